"""Due dates of tasks: Korean date phrases at a fixed time, /due and the same in words (confirmed first, only
for coordinators), and the questions 마감 임박 과제, 기한 지난 과제, a task's or a region's due dates, with owners;
a question never writes."""

from datetime import date, timedelta

import pytest

from intents.dates.due import read_due
from intents.dates.when import DateError
from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW, ask, choose

COORD, MEMBER, OWNER = 2, 3, 4
BUSAN, DAEGU, NAJU = "d000-task-busan", "d000-task-daegu", "d000-task-naju"   # NOW: Monday 2026-11-23 10:00


@pytest.fixture
def team(store: Store) -> Engine:
    """An engine with a coordinator, a member, and an owner linked to 가스공사 (그린에너지 캠퍼스 구축's lead)."""
    for uid, role, name in ((COORD, "coordinator", "김코디"), (MEMBER, "member", "이멤버"),
                            (OWNER, "member", "박가스")):
        store.set_role(None, uid, role, NOW.isoformat(), name)
    store.request_link(OWNER, NOW.isoformat(), organisation="d000-org-kogas")
    store.confirm_link(None, OWNER, NOW.isoformat())
    return Engine(store, Policy(due_soon_days=14))


@pytest.mark.parametrize(("phrase", "expected"), [
    ("12월 20일", date(2026, 12, 20)),
    ("12월 20일까지", date(2026, 12, 20)),
    ("12/20", date(2026, 12, 20)),
    ("12.20", date(2026, 12, 20)),
    ("2026-12-20", date(2026, 12, 20)),
    ("2026.12.20", date(2026, 12, 20)),
    ("'26.12.20", date(2026, 12, 20)),
    ("내일", date(2026, 11, 24)),
    ("모레", date(2026, 11, 25)),
    ("3일 후", date(2026, 11, 26)),
    ("2주 후", date(2026, 12, 7)),
    ("이번 주 금요일", date(2026, 11, 27)),
    ("금요일까지", date(2026, 11, 27)),
    ("다음 주 금요일", date(2026, 12, 4)),
    ("이달 말", date(2026, 11, 30)),
    ("다음 달 말", date(2026, 12, 31)),
    ("12월 말", date(2026, 12, 31)),
    ("연말", date(2026, 12, 31)),
    ("다음달 10일", date(2026, 12, 10)),
    ("내년 1월 15일", date(2027, 1, 15)),
    ("1월 5일", date(2027, 1, 5)),
    ("12.4(금)", date(2026, 12, 4)),
])
def test_due_date_phrases_people_type(phrase: str, expected: date) -> None:
    assert read_due(f"부산형 청년창업허브 조성 {phrase}", NOW).day == expected


@pytest.mark.parametrize(("phrase", "says"), [
    ("언젠가", "알아보지 못했습니다"),
    ("다음에", "알아보지 못했습니다"),
    ("ㅋㅋㅋ", "알아보지 못했습니다"),
    ("", "알아보지 못했습니다"),
    ("2월 30일", "'2월 30일'은(는) 없는 날짜"),
    ("12월 32일", "'12월 32일'은(는) 없는 날짜"),
    ("2026-13-01", "없는 날짜"),
])
def test_unreadable_due_dates_are_refused_with_examples(phrase: str, says: str) -> None:
    with pytest.raises(DateError) as refused:
        read_due(phrase, NOW)
    assert says in str(refused.value) and "예: 12월 20일" in str(refused.value)


@pytest.mark.parametrize(("phrase", "warning"), [
    ("12월 20일", "주말(일요일)"),
    ("12월 25일", "공휴일(기독탄신일)"),
    ("12.4(목)", "요일(목)"),
    ("11월 1일", "2027년으로 이해"),
    ("이달 말", "기간으로 읽어 그 마지막 날"),
    ("12월 20일 오후 3시", "날짜로만 기록"),
    ("어제", "이미 지난 날짜"),
])
def test_warnings_shown_before_saving(phrase: str, warning: str) -> None:
    assert any(warning in w for w in read_due(phrase, NOW).warnings)


def test_due_is_shown_as_understood_and_saved_only_on_confirm(team: Engine) -> None:
    offered = ask(team, "/due 부산형 청년창업허브 조성 12월 20일", COORD)
    assert offered.intent == "due_confirm"
    assert "2026년 12월 20일(일)" in offered.text and "주말" in offered.text and "자산관리공사" in offered.text
    assert team.store.due_of(BUSAN) is None
    saved = choose(team, offered, f"due:{BUSAN}", COORD)
    assert saved.intent == "due_saved" and "정했습니다" in saved.text
    found = team.store.due_of(BUSAN)
    assert (found["due"], found["set_by"], found["origin"]) == ("2026-12-20", COORD, "chat")


def test_due_in_words_is_confirmed_and_can_be_cancelled(team: Engine) -> None:
    offered = ask(team, "부산형 청년창업허브 기한 12월 20일로 해줘", COORD)
    assert offered.intent == "due_confirm" and "부산형 청년창업허브 조성" in offered.text
    assert "아무것도" in choose(team, offered, "due:cancel", COORD).text
    assert team.store.due_of(BUSAN) is None
    moved = ask(team, "그린에너지 캠퍼스 구축 마감을 다음 주 금요일로 바꿔 주세요", COORD)
    choose(team, moved, f"due:{DAEGU}", COORD)
    assert team.store.due_of(DAEGU)["due"] == "2026-12-04"


def test_a_name_that_fits_two_tasks_asks_which(team: Engine) -> None:
    offered = ask(team, "/due 그린에너지 캠퍼스 12월 20일", COORD)
    assert offered.intent == "due_confirm" and "어느 과제" in offered.text
    assert {b.action for b in offered.buttons} >= {"due:d000-task-daegu", "due:d000-proj-daegu-1", "due:cancel"}


def test_due_can_be_cleared(team: Engine) -> None:
    team.store.set_due(COORD, BUSAN, "2026-12-20", NOW.isoformat())
    offered = ask(team, "/due 부산형 청년창업허브 조성 삭제", COORD)
    assert "지울까요" in offered.text
    choose(team, offered, f"due:{BUSAN}", COORD)
    assert team.store.due_of(BUSAN) is None


@pytest.mark.parametrize("text", ["/due 부산형 청년창업허브 조성 12월 20일",
                                  "부산형 청년창업허브 기한 12월 20일로 해줘"])
def test_a_member_cannot_set_a_due_date(team: Engine, text: str) -> None:
    before = len(team.store.audit_log()), team.store.count("choices")
    reply = ask(team, text, MEMBER)
    assert reply.intent == "denied" and "코디네이터" in reply.text
    assert (len(team.store.audit_log()), team.store.count("choices")) == before


@pytest.mark.parametrize(("text", "says"), [
    ("/due 부산형 청년창업허브 조성 언젠가", "알아보지 못했습니다"),
    ("/due 부산형 청년창업허브 조성 2월 30일", "없는 날짜"),
    ("/due 12월 20일", "과제명을 적어"),
    ("/due 없는과제이름입니다 12월 20일", "찾지 못했습니다"),
    ("/due", "사용법"),
])
def test_bad_due_commands_get_a_clear_reply_and_save_nothing(team: Engine, text: str, says: str) -> None:
    reply = ask(team, text, COORD)
    assert says in reply.text and not reply.buttons
    assert team.store.count("task_deadlines") == 0


def _dated(store: Store) -> None:
    at = NOW.isoformat()
    store.set_due(COORD, BUSAN, (NOW.date() - timedelta(days=3)).isoformat(), at)   # overdue
    store.set_due(COORD, DAEGU, (NOW.date() + timedelta(days=5)).isoformat(), at)   # due soon
    store.set_due(COORD, NAJU, (NOW.date() + timedelta(days=40)).isoformat(), at)   # later
    store.add_action(COORD, at, "d000-meet-regional", "organisation", "d000-org-kogas", "부지 검토",
                     (NOW.date() + timedelta(days=2)).isoformat())


def test_due_soon_and_overdue_answer_with_owners(team: Engine) -> None:
    _dated(team.store)
    soon = ask(team, "마감 임박 과제", MEMBER)
    assert soon.intent == "due_list"
    assert "그린에너지 캠퍼스 구축" in soon.text and "가스공사" in soon.text and "D-5" in soon.text
    assert "부산형 청년창업허브" not in soon.text and "에너지밸리" not in soon.text
    assert "부지 검토" in soon.text   # an action item due soon too
    late = ask(team, "기한 지난 과제 알려줘", MEMBER)
    assert "부산형 청년창업허브 조성" in late.text and "3일 지남" in late.text and "자산관리공사" in late.text
    assert "그린에너지" not in late.text


def test_a_done_task_is_not_due_any_more(team: Engine) -> None:
    _dated(team.store)
    team.store.add_progress(BUSAN, COORD, "김코디", NOW.isoformat(), 100, "완료", "")
    assert "부산형 청년창업허브" not in ask(team, "기한 지난 과제", MEMBER).text


def test_a_tasks_and_a_regions_due_dates(team: Engine) -> None:
    _dated(team.store)
    one = ask(team, "부산형 청년창업허브 조성 기한 언제야", MEMBER)
    assert one.intent == "due" and "2026년 11월 20일(금)" in one.text and "3일 지남" in one.text
    assert "담당: 자산관리공사" in one.text and "김코디" in one.text
    region = ask(team, "부산 과제 기한 언제야", MEMBER)
    assert "부산형 청년창업허브 조성" in region.text and "기한이 정해지지 않은 과제 2건" in region.text
    undated = ask(team, "스마트 MICE 활성화 기한은?", MEMBER)
    assert "기한이 정해지지 않았습니다" in undated.text and "원문 자료에도" in undated.text


def test_a_due_word_about_something_else_is_answered_as_before(team: Engine) -> None:
    reply = ask(team, "지역스타기업 R&D 신청 접수 마감 언제?", MEMBER)
    assert reply.intent == "meeting" and "2023년 3월 15일(수) ~ 3월 29일(수)" in reply.text


@pytest.mark.parametrize("text", ["마감 임박 과제", "기한 지난 과제", "부산 과제 기한 언제야",
                                  "그린에너지 캠퍼스 구축 기한 언제야?", "지난 회의 후속조치", "내 할 일",
                                  "부산형 청년창업허브 기한 12월 20일이야?"])
def test_a_question_never_writes(team: Engine, text: str) -> None:
    _dated(team.store)
    tables = ("task_deadlines", "action_items", "audit", "progress", "deadline_reminders")
    before = {t: team.store.count(t) for t in tables}
    for who in (MEMBER, COORD):
        reply = ask(team, text, who)
        assert reply.intent not in ("due_confirm", "due_saved", "denied"), reply.text
    assert {t: team.store.count(t) for t in tables} == before
