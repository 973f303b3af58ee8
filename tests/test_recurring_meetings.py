"""Recurring meetings: scheduling from chat, one occurrence moved or cancelled (reminders follow, the others stay),
this-and-following and whole-series changes, holidays flagged, the next meeting, the rolling window, .ics export
round-tripped through icalendar and re-expanded with recurring-ical-events."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import recurring_ical_events
from apscheduler.schedulers.background import BackgroundScheduler
from icalendar import Calendar

from bot.scheduler import apply_plan
from intents.dates.calendar import meetings_ics
from intents.dates.reminders import Due, Reminders, digest, extend_window, window_stale
from intents.engine import Engine
from intents.message import Reply
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW, SEOUL, Cli, ask, choose

COORD, MEMBER, GROUP = 2, 3, -1001
COORD_CHAT = COORD   # the coordinator writes to the bot in a private chat: that is where their reminders go
OFFSETS = [86400, 3600]


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SEOUL)


@pytest.fixture
def team(store: Store) -> Engine:
    """An engine with a coordinator (with a private chat) and a member, and the TF group bound."""
    store.set_role(None, COORD, "coordinator", NOW.isoformat(), "김코디")
    store.set_role(None, MEMBER, "member", NOW.isoformat(), "이멤버")
    store.set_setting(None, NOW.isoformat(), "group_chat_id", str(GROUP))
    return Engine(store, Policy())


def _confirmed(team: Engine, text: str, now: datetime = NOW) -> Reply:
    asked = ask(team, text, COORD, now=now)
    assert asked.intent == "meeting_confirm", asked.text
    return choose(team, asked, asked.buttons[0].action, COORD, now=now)


def _weekly(team: Engine) -> str:
    """`매주 화요일 오후 2시 권역별 TF회의`, confirmed: 11/24, 12/1, 12/8, 12/15 … at 14:00."""
    saved = _confirmed(team, "/meeting 매주 화요일 오후 2시 권역별 TF회의 @ 세종청사")
    assert saved.intent == "meeting_saved"
    return saved.entities[0].id


def _starts(store: Store, meeting: str, days: int = 35) -> list[str]:
    return [o.start for o in store.occurrences(meeting, NOW, NOW + timedelta(days=days))]


class Outbox:
    """A channel stand-in: what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    def __call__(self, chat: int, reply: Reply) -> bool:
        self.sent.append((chat, reply.text))
        return True


def _due(meeting: str, start: datetime, offset: int = 3600) -> Due:
    return Due(meeting, offset, start - timedelta(seconds=offset), start.isoformat())


def test_a_recurring_meeting_is_confirmed_before_it_is_saved(team: Engine) -> None:
    asked = ask(team, "/meeting 매주 화요일 오후 2시 권역별 TF회의 (영상) @ 세종청사", COORD)
    assert asked.intent == "meeting_confirm" and [b.action for b in asked.buttons] == ["meeting:ok", "meeting:no"]
    assert "• 반복: 매주 화요일 14:00" in asked.text and "첫 회의: 2026년 11월 24일(화) 14:00 @ 세종청사 (영상)" \
        in asked.text
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU" in asked.text
    assert "2027년 2월 9일(화) 14:00 설날 대체 휴일" in asked.text   # a coming occurrence on a public holiday
    assert team.store.series_list() == []
    saved = choose(team, asked, "meeting:ok", COORD)
    assert saved.intent == "meeting_saved" and saved.attachments[0].filename.endswith(".ics")
    assert b"RRULE:FREQ=WEEKLY;BYDAY=TU" in saved.attachments[0].data
    [series] = team.store.series_list()
    assert (series["title"], series["rrule"], series["tzid"], series["mode"]) == (
        "권역별 TF회의", "FREQ=WEEKLY;BYDAY=TU", "Asia/Seoul", "영상")
    assert [r["action"] for r in team.store.audit_log()][-1] == "meeting"


def test_a_member_cannot_create_a_recurring_meeting(team: Engine) -> None:
    refused = ask(team, "/meeting 매주 화요일 오후 2시 권역별 TF회의", MEMBER)
    assert refused.intent == "denied" and refused.buttons == []
    in_words = ask(team, "매주 화요일 오후 2시에 권역별 TF회의 잡아줘", MEMBER)
    assert in_words.intent == "denied"
    assert team.store.series_list() == [] and team.store.count("choices") == 0


def test_scheduling_a_recurring_meeting_in_words(team: Engine) -> None:
    asked = ask(team, "매주 화요일 오후 2시에 권역별 TF회의 잡아줘", COORD)
    assert asked.intent == "meeting_confirm" and "매주 화요일 14:00" in asked.text and "권역별 TF회의" in asked.text


def test_the_third_occurrence_moved_to_wednesday_keeps_the_others_and_its_reminders_follow(team: Engine) -> None:
    store = team.store
    meeting = _weekly(team)
    assert _starts(store, meeting) == [_at(2026, 11, 24, 14).isoformat(), _at(2026, 12, 1, 14).isoformat(),
                                       _at(2026, 12, 8, 14).isoformat(), _at(2026, 12, 15, 14).isoformat(),
                                       _at(2026, 12, 22, 14).isoformat()]
    asked = ask(team, "/move 권역별 TF회의 12월 8일 → 12월 9일 14시", COORD)
    assert "2026년 12월 8일(화) 14:00 회차만 옮길까요?" in asked.text and "2026년 12월 9일(수) 14:00" in asked.text
    assert _starts(store, meeting)[2] == _at(2026, 12, 8, 14).isoformat()   # nothing written before 확인
    done = choose(team, asked, "meeting:ok", COORD)
    assert done.intent == "meeting_saved" and "다른 회차는 그대로" in done.text
    assert _starts(store, meeting) == [_at(2026, 11, 24, 14).isoformat(), _at(2026, 12, 1, 14).isoformat(),
                                       _at(2026, 12, 9, 14).isoformat(), _at(2026, 12, 15, 14).isoformat(),
                                       _at(2026, 12, 22, 14).isoformat()]
    # a day before, the daily job has moved the window on: the reminders are those of the moved occurrence
    day_before = _at(2026, 12, 7, 12)
    extend_window(store, day_before, 14)
    plan = Reminders(store, OFFSETS).plan(day_before)
    planned = {(d.start, d.offset_seconds) for d in plan.future + plan.overdue}
    assert (_at(2026, 12, 9, 14).isoformat(), 3600) in planned
    assert not any(start == _at(2026, 12, 8, 14).isoformat() for start, _ in planned)
    old, new = _at(2026, 12, 8, 14), _at(2026, 12, 9, 14)
    outbox = Outbox()
    assert Reminders(store, OFFSETS).deliver(_due(meeting, old), old - timedelta(minutes=55), outbox) == []
    assert Reminders(store, OFFSETS).deliver(_due(meeting, new), new - timedelta(minutes=55), outbox) == \
        [GROUP, COORD_CHAT]
    assert all("2026년 12월 9일(수) 14:00" in text and "일정 변경: 원래 2026년 12월 8일(화) 14:00" in text
               for _, text in outbox.sent)
    assert {r["start"] for r in store.reminder_records()} == {new.isoformat()}   # the old time: never sent
    following = _at(2026, 12, 15, 14)
    assert len(Reminders(store, OFFSETS).deliver(_due(meeting, following), following - timedelta(minutes=50),
                                                 Outbox())) == 2


def test_a_cancelled_occurrence_sends_nothing_and_the_group_is_told(team: Engine) -> None:
    store = team.store
    meeting = _weekly(team)
    before = Reminders(store, OFFSETS).plan(NOW)
    key = f"{meeting}@{_at(2026, 12, 1, 14).isoformat()}"
    assert key in before.upcoming
    asked = ask(team, "/cancel 권역별 TF회의 12월 1일", COORD)
    assert "2026년 12월 1일(화) 14:00 회차만 취소할까요?" in asked.text
    assert choose(team, asked, "meeting:ok", COORD).intent == "meeting_cancelled"
    after = Reminders(store, OFFSETS).plan(NOW)
    assert key not in after.upcoming and meeting in after.upcoming
    cancelled = _at(2026, 12, 1, 14)
    assert not any(d.start == cancelled.isoformat() for d in after.future)
    outbox = Outbox()
    for offset in OFFSETS:
        assert Reminders(store, OFFSETS).deliver(_due(meeting, cancelled, offset),
                                                 cancelled - timedelta(seconds=offset - 60), outbox) == []
    assert outbox.sent == [] and store.reminder_records() == []
    notices = Reminders(store, OFFSETS).cancellations(before.upcoming - after.upcoming, NOW.date())
    assert [(chat, r.text) for chat, r in notices] == [
        (chat, "❌ 회의 취소: [권역별 TF회의] 2026년 12월 1일(화) 14:00 회차 (다른 회차는 그대로입니다)")
        for chat in (GROUP, COORD_CHAT)]
    assert _starts(store, meeting, 16) == [_at(2026, 11, 24, 14).isoformat(), _at(2026, 12, 8, 14).isoformat()]
    detail = ask(team, "권역별 TF회의 언제야?", MEMBER).text
    assert "• 2026년 12월 1일(화) 14:00 — 취소" in detail and "매주 화요일 14:00" in detail


def test_an_away_organiser_and_the_digest_with_occurrences(team: Engine) -> None:
    """/away and the digest's 부재 중 lines and progress picture hold for a recurring meeting's occurrences."""
    store = team.store
    meeting = _weekly(team)
    first, later = _at(2026, 11, 24, 14), _at(2026, 12, 8, 14)
    due, due_later = (Due(meeting, 3600, t - timedelta(hours=1), t.isoformat(), True) for t in (first, later))
    assert [o.chat for o in Reminders(store, OFFSETS).outgoing(due, due.at)] == [GROUP, COORD_CHAT]
    ask(team, "/away 12월 1일까지", COORD)
    assert store.user(COORD)["away_until"] == "2026-12-01"
    assert [o.chat for o in Reminders(store, OFFSETS).outgoing(due, due.at)] == [GROUP]   # the group only
    before = Reminders(store, OFFSETS).plan(NOW)
    assert choose(team, ask(team, "/cancel 권역별 TF회의 12월 1일", COORD), "meeting:ok", COORD).intent \
        == "meeting_cancelled"
    gone = before.upcoming - Reminders(store, OFFSETS).plan(NOW).upcoming
    assert [chat for chat, _ in Reminders(store, OFFSETS).cancellations(gone, NOW.date())] == [GROUP]
    assert [o.chat for o in Reminders(store, OFFSETS).outgoing(due_later, due_later.at)] == [GROUP, COORD_CHAT]
    store.add_progress("d000-task-daegu", COORD, "김코디", (NOW - timedelta(days=2)).isoformat(), 40, "진행", "설계")
    weekly = digest(store, Policy(), NOW)
    lines = weekly.text.splitlines()
    soon = lines[lines.index("다가오는 회의 (2주):") + 1:lines.index("지난주 업데이트된 과제:") - 1]
    assert soon == ["• 2026년 11월 24일(화) 14:00 권역별 TF회의"]   # 12/1 cancelled, 12/8 beyond two weeks
    assert "부재 중 (알림을 보내지 않음):\n• 김코디 — 2026년 12월 1일(화)까지" in weekly.text
    assert [a.kind for a in weekly.attachments] == ["photo"] and "📊 진행 현황 그림" in weekly.text


def test_the_next_meeting_is_the_next_occurrence(team: Engine) -> None:
    meeting = _weekly(team)
    _confirmed(team, "/meeting 12월 2일 오후 3시 지역혁신 점검회의")
    first = ask(team, "다음 회의 언제야?", MEMBER).text.splitlines()
    assert first[0].startswith("다음 회의: 2026년 11월 24일(화) 14:00") and "권역별 TF회의" in first[0]
    later = _at(2026, 11, 25, 9)   # the 11/24 one is over; the next is the 12/1 occurrence, then the one-off
    lines = ask(team, "다음 회의 언제야?", MEMBER, now=later).text.splitlines()
    assert lines[0].startswith("다음 회의: 2026년 12월 1일(화) 14:00") and "권역별 TF회의" in lines[0]
    assert "지역혁신 점검회의" in lines[2]
    _confirmed(team, "/cancel 권역별 TF회의 12월 1일", later)
    lines = ask(team, "다음 회의 언제야?", MEMBER, now=later).text.splitlines()
    assert "지역혁신 점검회의" in lines[0] and "2026년 12월 8일(화) 14:00" in lines[2]
    assert [e.id for e in ask(team, "/meetings", MEMBER, now=later).entities].count(meeting) == 1


def test_public_holidays_are_flagged_per_occurrence(team: Engine) -> None:
    store = team.store
    meeting = _confirmed(team, "/meeting 매주 금요일 오후 2시 주간 점검회의").entities[0].id
    christmas = _at(2026, 12, 25, 14)
    extend_window(store, _at(2026, 12, 14, 9), 14)   # the window reaches the 25th
    listing = ask(team, "/meetings", MEMBER, now=_at(2026, 12, 14, 9)).text
    assert "2026년 12월 25일(금) 14:00 주간 점검회의 · 매주 금요일 14:00 (⚠️ 공휴일: 기독탄신일)" in listing
    assert "2026년 12월 18일(금) 14:00 주간 점검회의 · 매주 금요일 14:00\n" in listing
    [out, *_] = Reminders(store, OFFSETS).outgoing(_due(meeting, christmas), christmas - timedelta(minutes=50))
    assert "⚠️ 공휴일: 기독탄신일" in out.reply.text and "반복: 매주 금요일 14:00" in out.reply.text
    assert "공휴일" not in Reminders(store, OFFSETS).outgoing(
        _due(meeting, _at(2026, 12, 18, 14)), _at(2026, 12, 18, 13, 10))[0].reply.text


def test_this_and_following_moves_the_rest_and_keeps_what_came_before(team: Engine) -> None:
    store = team.store
    meeting = _weekly(team)
    asked = ask(team, "/move 권역별 TF회의 12월 15일 이후 모두 → 12월 16일 15시", COORD)
    assert "2026년 12월 15일(화) 14:00 회차부터 이후 모두" in asked.text and "매주 수요일 15:00" in asked.text
    done = choose(team, asked, "meeting:ok", COORD)
    successor = done.entities[0].id
    assert successor != meeting
    starts = sorted(_starts(store, meeting, 40) + _starts(store, successor, 40))
    assert starts == [_at(2026, 11, 24, 14).isoformat(), _at(2026, 12, 1, 14).isoformat(),
                      _at(2026, 12, 8, 14).isoformat(), _at(2026, 12, 16, 15).isoformat(),
                      _at(2026, 12, 23, 15).isoformat(), _at(2026, 12, 30, 15).isoformat()]
    assert store.meeting(successor)["rrule"] == "FREQ=WEEKLY;BYDAY=WE"
    plan = Reminders(store, OFFSETS).plan(NOW)
    moved = f"{meeting}@{_at(2026, 12, 15, 14).isoformat()}"
    notices = Reminders(store, OFFSETS).cancellations({moved}, NOW.date())
    assert notices == [] and plan.future   # moved on, not cancelled: nobody is told of a cancellation


def test_a_counted_series_split_keeps_its_count(team: Engine) -> None:
    store = team.store
    meeting = _confirmed(team, "/meeting 매주 화요일 오후 2시 권역별 TF회의 5회").entities[0].id
    successor = _confirmed(team, "/move 권역별 TF회의 12월 8일 이후 모두 → 12월 9일 14시").entities[0].id
    assert _starts(store, meeting, 120) == [_at(2026, 11, 24, 14).isoformat(), _at(2026, 12, 1, 14).isoformat()]
    assert _starts(store, successor, 120) == [_at(2026, 12, 9, 14).isoformat(), _at(2026, 12, 16, 14).isoformat(),
                                              _at(2026, 12, 23, 14).isoformat()]


def test_cancelling_this_and_following_ends_the_series_and_says_so(team: Engine) -> None:
    store = team.store
    meeting = _weekly(team)
    before = Reminders(store, OFFSETS).plan(NOW)
    asked = ask(team, "/cancel 권역별 TF회의 12월 1일 이후 모두", COORD)
    assert "2026년 12월 1일(화) 14:00 회차부터 이후 회의를 모두 취소할까요?" in asked.text
    choose(team, asked, "meeting:ok", COORD)
    assert _starts(store, meeting, 120) == [_at(2026, 11, 24, 14).isoformat()]
    after = Reminders(store, OFFSETS).plan(NOW)
    gone = before.upcoming - after.upcoming
    texts = {r.text for _, r in Reminders(store, OFFSETS).cancellations(gone, NOW.date())}
    assert texts == {"❌ 반복 회의 종료: [권역별 TF회의] 2026년 12월 1일(화) 14:00 회차부터 이후 회의를 모두 "
                     "취소했습니다."}


def test_the_whole_series_is_moved_or_cancelled_with_전체(team: Engine) -> None:
    store = team.store
    meeting = _weekly(team)
    _confirmed(team, "/move 권역별 TF회의 12월 1일 → 12월 2일 10시")
    asked = ask(team, "/move 권역별 TF회의 전체 매주 목요일 오후 4시", COORD)
    assert "반복 전체를 바꿀까요?" in asked.text and "매주 목요일 16:00" in asked.text
    choose(team, asked, "meeting:ok", COORD)
    assert _starts(store, meeting, 14) == [_at(2026, 11, 26, 16).isoformat(), _at(2026, 12, 3, 16).isoformat()]
    assert store.exceptions_of(meeting) == []   # the one moved alone follows the new rule too
    before = Reminders(store, OFFSETS).plan(NOW)
    asked = ask(team, "/cancel 권역별 TF회의 전체", COORD)
    assert "전체를 취소할까요?" in asked.text
    assert choose(team, asked, "meeting:ok", COORD).intent == "meeting_cancelled"
    assert store.scheduled_meetings(NOW.isoformat()) == []
    after = Reminders(store, OFFSETS).plan(NOW)
    notices = Reminders(store, OFFSETS).cancellations(before.upcoming - after.upcoming, NOW.date())
    assert [r.text for _, r in notices] == ["❌ 반복 회의 취소: [권역별 TF회의] · 매주 목요일 16:00 — 남은 회차 "
                                            "모두"] * 2


@pytest.mark.parametrize("text, says", [
    ("/cancel 권역별 TF회의 12월 2일", "2026년 12월 2일(수)에 열리지 않습니다. 가까운 회차: 2026년 12월 1일(화) 14:00"),
    ("/move 권역별 TF회의 12월 1일 → 12월 8일 14시", "이미 [권역별 TF회의] 회차가 있습니다"),
    ("/move 권역별 TF회의 12월 1일 → 매주 수요일 15시", "한 회차만 옮길 때는"),
    ("/move 권역별 TF회의 12월 1일 → 언젠가", "알아보지 못했습니다"),
])
def test_a_change_that_cannot_be_made_changes_nothing(team: Engine, text: str, says: str) -> None:
    meeting = _weekly(team)
    before = _starts(team.store, meeting)
    reply = ask(team, text, COORD)
    assert says in reply.text and "아무것도 바꾸지 않았습니다" in reply.text
    assert reply.buttons == [] and _starts(team.store, meeting) == before


def test_without_a_date_the_next_occurrence_is_the_one_changed(team: Engine) -> None:
    meeting = _weekly(team)
    asked = ask(team, "/cancel 권역별 TF회의", COORD)
    assert "2026년 11월 24일(화) 14:00 회차만 취소할까요?" in asked.text
    far = ask(team, "/move 권역별 TF회의 12월 16일 15시", COORD)
    assert "⚠️ 날짜를 적지 않아 다음 회차(2026년 11월 24일(화) 14:00)를 옮깁니다" in far.text
    assert _starts(team.store, meeting)[0] == _at(2026, 11, 24, 14).isoformat()


def test_occurrences_are_expanded_for_the_rolling_window_not_for_a_year(team: Engine) -> None:
    store = team.store
    meeting = _weekly(team)
    held = store.rows("SELECT start FROM meeting_occurrences WHERE meeting = ? ORDER BY start", [meeting])
    # 14 days ahead, and the first one after (the next meeting is always known)
    assert [r["start"] for r in held] == [_at(2026, 11, 24, 14).isoformat(), _at(2026, 12, 1, 14).isoformat(),
                                         _at(2026, 12, 8, 14).isoformat()]
    assert window_stale(store, NOW, 14)   # never extended yet
    week_later = NOW + timedelta(days=7)
    assert extend_window(store, week_later, 14) == 1
    assert extend_window(store, week_later + timedelta(hours=1), 14) == 0   # its next one is further: nothing to add
    assert not window_stale(store, week_later, 14) and window_stale(store, week_later + timedelta(days=2), 14)
    held = store.rows("SELECT start FROM meeting_occurrences WHERE meeting = ? ORDER BY start", [meeting])
    assert held[-1]["start"] == _at(2026, 12, 15, 14).isoformat()
    much_later = NOW + timedelta(days=60)   # what began more than a month before is dropped
    extend_window(store, much_later, 14)
    starts = [r["start"] for r in store.rows("SELECT start FROM meeting_occurrences WHERE meeting = ?", [meeting])]
    assert min(starts) >= (much_later - timedelta(days=31)).isoformat()


def test_the_scheduler_holds_one_job_per_series_for_its_next_reminder(team: Engine) -> None:
    store = team.store
    meeting = _weekly(team)
    scheduler = BackgroundScheduler(timezone=SEOUL)
    scheduler.start(paused=True)
    try:
        plan = Reminders(store, OFFSETS).plan(NOW)
        assert len([d for d in plan.future if d.meeting_id == meeting]) == 6   # three occurrences, two offsets
        apply_plan(scheduler, plan, lambda due: None)
        [job] = scheduler.get_jobs()
        assert (job.id, job.args[0].start, job.args[0].offset_seconds) == (
            f"remind:{meeting}", _at(2026, 11, 24, 14).isoformat(), 86400)
        job.remove()   # it ran: the series' next reminder takes the job at the next re-plan
        apply_plan(scheduler, Reminders(store, OFFSETS).plan(_at(2026, 11, 23, 15)), lambda due: None)
        [job] = scheduler.get_jobs()
        assert (job.args[0].start, job.args[0].offset_seconds) == (_at(2026, 11, 24, 14).isoformat(), 3600)
        later = Reminders(store, OFFSETS).plan(_at(2026, 11, 24, 13, 30))   # the 1-hour one fell due, not yet run
        apply_plan(scheduler, later, lambda due: None)
        assert [j.args[0].offset_seconds for j in scheduler.get_jobs()] == [3600]   # kept until it runs
        scheduler.get_jobs()[0].remove()
        apply_plan(scheduler, later, lambda due: None)
        assert [j.args[0].start for j in scheduler.get_jobs()] == [_at(2026, 12, 1, 14).isoformat()]
    finally:
        scheduler.shutdown(wait=False)


def _moved_and_cancelled(team: Engine) -> str:
    meeting = _weekly(team)
    _confirmed(team, "/move 권역별 TF회의 12월 8일 → 12월 9일 14시")
    _confirmed(team, "/cancel 권역별 TF회의 12월 15일")
    _confirmed(team, "/meeting 12월 3일 오후 2시 지역혁신 점검회의")
    return meeting


def test_the_ics_export_round_trips_and_re_expands_to_the_same_occurrences(team: Engine) -> None:
    store = team.store
    meeting = _moved_and_cancelled(team)
    data = meetings_ics(store.calendar_meetings(NOW.isoformat()), NOW)
    text = data.decode()
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU" in text and "BEGIN:VTIMEZONE" in text
    assert "EXDATE;TZID=Asia/Seoul:20261215T140000" in text
    assert "RECURRENCE-ID;TZID=Asia/Seoul:20261208T140000" in text
    parsed = Calendar.from_ical(data)
    assert parsed.to_ical() == data   # icalendar reads back what it wrote
    until = NOW + timedelta(days=70)
    again = {(str(c["UID"]), c["DTSTART"].dt.astimezone(SEOUL).isoformat())
             for c in recurring_ical_events.of(parsed).between(NOW, until)}
    expected = {(f"{meeting}@tfbot", o.start) for o in store.occurrences(meeting, NOW, until)}
    [one_off] = [m for m in store.scheduled_meetings(NOW.isoformat()) if not m["rrule"]]
    expected.add((f"{one_off['id']}@tfbot", one_off["start"]))
    assert again == expected
    assert (f"{meeting}@tfbot", _at(2026, 12, 9, 14).isoformat()) in again   # moved
    assert not any(start.startswith("2026-12-15") or start.startswith("2026-12-08") for _, start in again)


def test_tfbot_export_ics_writes_the_rule(tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "tf.db"
    store = Store.open(db)
    soon = datetime.now(SEOUL).replace(microsecond=0) + timedelta(days=1)
    store.add_series(None, datetime.now(SEOUL).isoformat(), "주간 점검", soon.isoformat(), "FREQ=WEEKLY",
                     "Asia/Seoul", None, None)
    store.close()
    status, out, _ = cli("--db", str(db), "export-ics", str(tmp_path / "tf.ics"))
    assert status == 0 and "(반복 회의 1건)" in out
    assert "RRULE:FREQ=WEEKLY" in (tmp_path / "tf.ics").read_text(encoding="utf-8")


def test_the_reminder_service_reminds_an_occurrence_and_keeps_the_window_moving(tmp_path: Path) -> None:
    import asyncio
    import os

    from bot.config import load_config
    from bot.reminder_service import WINDOW_JOB, ReminderService
    from tests.test_reminder_service import Outbox as Sender
    from tests.test_reminder_service import _serve, _until

    store = Store.open(tmp_path / "tf.db")
    now = datetime.now(SEOUL)
    store.remember_private_chat(COORD, COORD, now.isoformat())
    start = (now + timedelta(seconds=6)).replace(microsecond=0)
    meeting = store.add_series(COORD, now.isoformat(), "매일 점검", start.isoformat(), "FREQ=DAILY", "Asia/Seoul",
                               None, None)
    cfg = load_config(os.devnull, env={})
    cfg.reminder_offsets, cfg.window_days = ["4s"], 3
    service = ReminderService(store, Policy(), cfg)
    sender = Sender()

    async def check() -> None:
        await _until(lambda: sender.reminders() == [(COORD, "매일 점검")], 12)
        await _until(lambda: store.occurrence_window() is not None, 10)   # extended at start: it never was
        assert service.scheduler is not None and service.scheduler.get_job(WINDOW_JOB) is not None
        await _until(lambda: any(j.args and j.args[0].start == (start + timedelta(days=1)).isoformat()
                                 for j in service.scheduler.get_jobs() if j.id.startswith("remind:")), 10)
        await asyncio.sleep(0.2)

    _serve(service, sender, check)
    assert [(r["meeting"], r["start"], r["state"]) for r in store.reminder_records()] == [
        (meeting, start.isoformat(), "sent")]
    held = store.rows("SELECT count(*) AS n FROM meeting_occurrences WHERE meeting = ?", [meeting])[0]["n"]
    assert held == 15   # written before any window was set: 14 days ahead and the first after, not a year
    window = store.occurrence_window() or {}
    assert datetime.fromisoformat(window["until"]) - datetime.fromisoformat(window["at"]) == timedelta(days=3)
