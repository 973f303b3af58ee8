"""Meetings from chat: date phrases, warnings, confirmation, move, cancel, 참석/불참, .ics, listing."""

from datetime import datetime, timedelta

import pytest

from intents.dates.reminders import Due, Reminders
from intents.dates.when import DateError, read_when
from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW, SEOUL, ask, choose

COORD, MEMBER = 2, 3


@pytest.fixture
def team(store: Store) -> Engine:
    """An engine with one coordinator and one member."""
    store.set_role(None, COORD, "coordinator", NOW.isoformat(), "김코디")
    store.set_role(None, MEMBER, "member", NOW.isoformat(), "이멤버")
    return Engine(store, Policy())


@pytest.mark.parametrize("phrase, expected", [
    ("12월 3일 오후 2시", datetime(2026, 12, 3, 14, 0)),
    ("2026-12-03 14:00", datetime(2026, 12, 3, 14, 0)),
    ("2026.12.3 14시", datetime(2026, 12, 3, 14, 0)),
    ("내일 오전 10시", datetime(2026, 11, 24, 10, 0)),
    ("모레 오후 3시 30분", datetime(2026, 11, 25, 15, 30)),
    ("다음주 화요일 15시", datetime(2026, 12, 1, 15, 0)),
    ("'23.2.27(월) 14:00", datetime(2023, 2, 27, 14, 0)),
    ("12.3(목) 14:00", datetime(2026, 12, 3, 14, 0)),
])
def test_date_phrases_people_type(phrase: str, expected: datetime) -> None:
    assert read_when(phrase + " 회의", NOW).start == expected.replace(tzinfo=SEOUL)


@pytest.mark.parametrize("phrase", ["12월 32일 오후 2시", "회의 언제", "12월 3일", "", "ㅋㅋㅋ"])
def test_malformed_dates_are_refused(phrase: str) -> None:
    with pytest.raises(DateError):
        read_when(phrase, NOW)


@pytest.mark.parametrize("phrase, warning", [
    ("'23.2.27(월) 14:00", "지난"),
    ("12월 5일 오후 2시", "주말"),
    ("12월 25일 오후 2시", "공휴일(기독탄신일)"),
    ("12.4(목) 14:00", "요일(목)"),
    ("3시", "오전/오후"),
])
def test_warnings(phrase: str, warning: str) -> None:
    assert any(warning in w for w in read_when(phrase + " 회의", NOW).warnings)


def test_schedule_confirm_list_and_ics(team: Engine) -> None:
    reply = ask(team, "/meeting 12월 3일 오후 2시 권역별 TF회의 (영상) @ 세종청사 6동", COORD)
    assert reply.intent == "meeting_confirm"
    assert "2026년 12월 3일(목) 14:00" in reply.text and "세종청사 6동" in reply.text and "(영상)" in reply.text
    assert [b.action for b in reply.buttons] == ["meeting:ok", "meeting:no"]
    assert team.store.scheduled_meetings(NOW.isoformat()) == []
    saved = choose(team, reply, "meeting:ok", COORD)
    assert saved.intent == "meeting_saved" and saved.attachments[0].filename.endswith(".ics")
    assert "SUMMARY:권역별 TF회의" in saved.attachments[0].data.decode()
    assert b"DTSTART:20261203T050000Z" in saved.attachments[0].data   # 14:00 KST
    listing = ask(team, "/meetings", MEMBER)
    assert "권역별 TF회의" in listing.text and "2026년 12월 3일(목) 14:00" in listing.text
    nxt = ask(team, "다음 TF 회의 언제야?", MEMBER)
    assert "권역별 TF회의" in nxt.text
    audit = [r["action"] for r in team.store.audit_log()]
    assert "meeting" in audit


def test_cancel_button_and_member_refusal_save_nothing(team: Engine) -> None:
    asked = ask(team, "/meeting 내일 오전 10시 점검회의", COORD)
    assert "아무것도 바꾸지" in choose(team, asked, "meeting:no", COORD).text
    refused = ask(team, "/meeting 내일 오전 10시 점검회의", MEMBER)
    assert refused.intent == "denied"
    assert team.store.scheduled_meetings(NOW.isoformat()) == []


@pytest.mark.parametrize("text, says", [
    ("/meeting 12월 32일 오후 2시 회의", "알아보지 못했습니다"),
    ("/meeting 12월 3일 오후 2시", "제목"),
    ("/meeting", "사용법"),
    ("/meeting 12월 3일 오후 2시 " + "가" * 200, "100자"),
    ("/meeting 12월 3일 회의", "시간이 빠졌습니다"),
])
def test_bad_meeting_input_saves_nothing(team: Engine, text: str, says: str) -> None:
    reply = ask(team, text, COORD)
    assert says in reply.text
    assert team.store.count("choices") == 0 and team.store.scheduled_meetings(NOW.isoformat()) == []


def test_move_and_cancel_by_fuzzy_name(team: Engine) -> None:
    _schedule(team, "/meeting 12월 3일 오후 2시 권역별 TF회의")
    meeting_id = team.store.scheduled_meetings(NOW.isoformat())[0]["id"]
    move = ask(team, "/move 권역별 TF 회의 12월 10일 오후 3시", COORD)
    assert move.intent == "meeting_confirm" and "12월 10일(목) 15:00" in move.text
    choose(team, move, "meeting:ok", COORD)
    assert team.store.meeting(meeting_id)["start"] == "2026-12-10T15:00:00+09:00"
    cancel = ask(team, "/cancel 권역별 TF회의", COORD)
    assert cancel.intent == "meeting_confirm"
    done = choose(team, cancel, "meeting:ok", COORD)
    assert done.intent == "meeting_cancelled"
    assert team.store.meeting(meeting_id)["status"] == "취소"
    assert "찾지 못했습니다" in ask(team, "/cancel 없는회의이름", COORD).text


def test_attendance_buttons_and_listing(team: Engine) -> None:
    _schedule(team, "/meeting 12월 3일 오후 2시 권역별 TF회의")
    meeting_id = team.store.scheduled_meetings(NOW.isoformat())[0]["id"]
    reminder = Reminders.compose(team.store.meeting(meeting_id) or {}, Due(meeting_id, 3600, NOW, "x"))
    assert "참석으로" in choose(team, reminder, f"rsvp:{meeting_id}:y", MEMBER).text
    assert "불참으로" in choose(team, reminder, f"rsvp:{meeting_id}:n", COORD).text
    team.store.respond(meeting_id, MEMBER, "이멤버", "참석", (NOW + timedelta(minutes=1)).isoformat())
    answer = ask(team, "권역별 TF회의 참석자", MEMBER)
    assert "참석 1명: 이멤버" in answer.text and "불참 1명" in answer.text


def test_scheduling_in_words(team: Engine) -> None:
    reply = ask(team, "12월 3일 오후 2시에 권역별 TF회의 잡아줘", COORD)
    assert reply.intent == "meeting_confirm" and "권역별 TF회의" in reply.text


def _schedule(team: Engine, text: str) -> None:
    asked = ask(team, text, COORD)
    choose(team, asked, asked.buttons[0].action, COORD)


@pytest.mark.parametrize("question", [
    "다음 회의 언제야?", "다음 회의는?", "다음 TF 회의 언제야?", "다음 TF회의 일정 알려줘"])
def test_the_next_meeting_is_the_one_scheduled(team: Engine, question: str) -> None:
    _schedule(team, "/meeting 12월 10일 오후 2시 권역별 TF회의 @ 세종청사")
    _schedule(team, "/meeting 12월 17일 오후 3시 지역혁신 점검회의")
    first = ask(team, question, MEMBER).text.splitlines()[0]
    assert first.startswith("다음 회의:") and "12월 10일" in first and "권역별 TF회의" in first, first


def test_questions_and_the_meetings_command_list_the_same_meetings(team: Engine) -> None:
    _schedule(team, "/meeting 12월 10일 오후 2시 권역별 TF회의 @ 세종청사")
    listed = ask(team, "/meetings", MEMBER)
    asked = ask(team, "회의 일정", MEMBER)
    assert [e.id for e in listed.entities] == [e.id for e in asked.entities]


def test_no_next_meeting_is_said_plainly(team: Engine) -> None:
    reply = ask(team, "다음 지역경제위원회 일정 잡혔어?", MEMBER)
    assert "예정된 회의가 없습니다" in reply.text and reply.entities == []
