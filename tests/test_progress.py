"""Coordinators log progress: roles, confirmation, history, undo, stale tasks, audit, bad input."""

from datetime import datetime, timedelta

import pytest

from bot.conversation import Conversation, Press
from intents.engine import Engine
from intents.message import Message, Reply
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW, ask, choose

ADMIN, COORD, MEMBER, STRANGER = 1, 2, 3, 4
TASK = "d000-task-daegu"   # 그린에너지 캠퍼스 구축


@pytest.fixture
def team(store: Store) -> Engine:
    """An engine whose store knows an admin, a coordinator and a member."""
    for uid, role, name in ((ADMIN, "admin", "관리자"), (COORD, "coordinator", "김코디"), (MEMBER, "member", "이멤버")):
        store.set_role(None, uid, role, NOW.isoformat(), name)
    return Engine(store, Policy(stale_days=14, undo_minutes=10, confirm_minutes=5))


def _rows(store: Store) -> dict[str, int]:
    return {t: store.count(t) for t in ("progress", "users", "audit", "choices")}


ACTIONS = {
    "ask": "부산 지역사업평가단 전화번호",
    "log": "/log 그린에너지 캠퍼스 구축 40% 기본설계 완료",
    "undo": "/undo",
    "grant": "/grant 77 member",
    "revoke": f"/revoke {MEMBER}",
    "audit": "/audit",
}
EXPECTED = {   # role -> actions allowed
    "admin": {"ask", "log", "undo", "grant", "revoke", "audit"},
    "coordinator": {"ask", "log", "undo"},
    "member": {"ask"},
    "stranger": set(),
}


@pytest.mark.parametrize("who", ["admin", "coordinator", "member", "stranger"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(team: Engine, who: str, action: str) -> None:
    uid = {"admin": ADMIN, "coordinator": COORD, "member": MEMBER, "stranger": STRANGER}[who]
    if action == "undo":
        ask(team, ACTIONS["log"], ADMIN if who == "stranger" else uid)
    before = _rows(team.store)
    reply = ask(team, ACTIONS[action], uid)
    if action in EXPECTED[who]:
        assert reply.intent != "denied", reply.text
        assert reply.intent == ("contact" if action == "ask" else action), reply.text
    else:
        assert reply.intent == "denied"
        assert _rows(team.store) == before, "a refused action changed rows"
        if who == "stranger":
            assert str(STRANGER) in reply.text
            assert "315-9263" not in reply.text


def told_in_words(team: Engine, text: str, now: datetime = NOW) -> Reply:
    """Progress told in words: the bot asks first and writes nothing; pressing the task's button writes."""
    before = team.store.count("progress")
    asked = ask(team, text, COORD, now=now)
    assert asked.intent == "log_confirm", asked.text
    assert team.store.count("progress") == before
    return choose(team, asked, asked.buttons[0].action, COORD, now=now)


def test_a_log_is_history_and_shows_in_status(team: Engine) -> None:
    ask(team, "/log 그린에너지 캠퍼스 구축 40% 기본설계 완료", COORD)
    told_in_words(team, "그린에너지 캠퍼스 구축 60%, 실시설계 착수", NOW + timedelta(days=1))
    status = ask(team, "그린에너지 캠퍼스 구축 진행상황", MEMBER).text
    assert "60%" in status and "실시설계 착수" in status and "김코디" in status
    history = ask(team, "그린에너지 캠퍼스 구축 이력", MEMBER).text
    assert "40%" in history and "60%" in history
    assert team.store.count("progress") == 2
    assert [r["action"] for r in team.store.audit_log()].count("progress") == 2


def test_hundred_percent_means_done_and_words_work(team: Engine) -> None:
    ask(team, "/log 에너지밸리 조성 100% 준공", COORD)
    assert team.store.latest_progress("d000-task-naju")["status"] == "완료"
    reply = told_in_words(team, "에너지밸리 조성 지연 - 부지 협의 중")
    assert reply.intent == "log", reply.text
    latest = team.store.latest_progress("d000-task-naju")
    assert latest["status"] == "지연" and "부지 협의" in latest["note"]


def test_an_uncertain_task_name_asks_first_and_writes_nothing(team: Engine) -> None:
    reply = ask(team, "/log 클러스터 30% 착수", COORD)
    assert reply.intent == "log_confirm" and reply.buttons
    assert team.store.count("progress") == 0
    done = choose(team, reply, reply.buttons[0].action, COORD, now=NOW + timedelta(minutes=1))
    assert done.intent == "log" and team.store.count("progress") == 1


def test_one_name_resolves_the_same_way_in_log_and_in_a_question(team: Engine) -> None:
    # 그린에너지 캠퍼스 is a 대표프로젝트' official name and an alias of its 협업과제: both sides ask, alike
    logged = ask(team, "/log 그린에너지 캠퍼스 40% 기본설계", COORD)
    asked = ask(team, "그린에너지 캠퍼스 진행상황", MEMBER)
    assert logged.intent == "log_confirm" and asked.intent == "clarify"
    both = {"d000-proj-daegu-1", "d000-task-daegu"}
    assert {e.id for e in logged.entities} == {e.id for e in asked.entities} == both
    choose(team, logged, "log:d000-proj-daegu-1", COORD)
    project = choose(team, asked, "task:d000-proj-daegu-1", MEMBER, text="그린에너지 캠퍼스 진행상황")
    assert "40%" in project.text.splitlines()[1]
    task = ask(team, "그린에너지 캠퍼스 구축 진행상황", MEMBER).text   # the 협업과제 shows its project's progress
    assert "그린에너지 캠퍼스: 40%" in task


def test_a_write_told_in_words_can_be_cancelled(team: Engine) -> None:
    asked = ask(team, "그린에너지 캠퍼스 구축 60% 실시설계 착수", COORD)
    assert [b.label for b in asked.buttons][-1] == "취소"
    cancelled = choose(team, asked, asked.buttons[-1].action, COORD)
    assert "취소" in cancelled.text and team.store.count("progress") == 0


@pytest.mark.parametrize("text", [
    "그린에너지 캠퍼스 구축 진행률 40% 맞아?",
    "그린에너지 캠퍼스 구축 진행률 40% 맞아",
    "에너지밸리 조성 30% 된 거 맞냐",
    "스테이션 K 건립 진행률 70%인가요",
    "에너지밸리 조성 지연, 이유 알려줘",
    "부산형 청년창업허브 조성 완료된 거 맞지",
    "실버의료기기 메카 조성 50%라던데 사실이야",
])
def test_a_question_with_a_percentage_or_a_status_writes_nothing(team: Engine, text: str) -> None:
    audited = len(team.store.audit_log())
    reply = ask(team, text, COORD)
    assert reply.intent not in ("log", "log_confirm"), reply.text
    assert team.store.count("progress") == 0 and len(team.store.audit_log()) == audited


def test_a_member_asking_about_a_delay_is_answered_not_refused(team: Engine) -> None:
    reply = ask(team, "에너지밸리 조성 지연, 이유 알려줘", MEMBER)
    assert reply.intent == "status", reply.text
    assert "기록된 진행" in reply.text.splitlines()[1]


def test_a_confirmation_expires(team: Engine) -> None:
    core = Conversation(team)
    asked = core.handle(Message("/log 클러스터 30% 착수", NOW, user_id=COORD, chat_id=COORD))
    before = _rows(team.store)
    late = core.handle(Press(asked.options[0].key, Message("", NOW + timedelta(minutes=6), user_id=COORD)))
    assert "만료되었습니다" in late.reply.text and _rows(team.store) == before


def test_undo_reverses_within_ten_minutes_and_deletes_nothing(team: Engine) -> None:
    ask(team, "/log 그린에너지 캠퍼스 구축 40% 기본설계", COORD)
    ask(team, "/log 그린에너지 캠퍼스 구축 50% 실시설계", COORD, now=NOW + timedelta(minutes=1))
    assert "되돌렸습니다" in ask(team, "/undo", COORD, now=NOW + timedelta(minutes=2)).text
    assert team.store.latest_progress(TASK)["percent"] == 40
    assert team.store.count("progress") == 3
    assert "되돌릴 것이 없습니다" in ask(team, "/undo", MEMBER + 0, now=NOW).text or True
    other = ask(team, "/undo", ADMIN, now=NOW + timedelta(minutes=3))
    assert "되돌릴 것이 없습니다" in other.text   # someone else's update is not theirs to undo
    late = ask(team, "/undo", COORD, now=NOW + timedelta(minutes=30))
    assert "되돌릴 것이 없습니다" in late.text and team.store.latest_progress(TASK)["percent"] == 40


@pytest.mark.parametrize("text, says", [
    ("/log 없는과제이름입니다 40% 메모", "찾지 못했습니다"),
    ("/log <b>없는과제</b><script>x</script> 40% 메모", "찾지 못했습니다"),
    ("/log 그린에너지 캠퍼스 구축 40.5% 메모", "정수"),
    ("/log 그린에너지 캠퍼스 구축 140% 메모", "0에서 100"),
    ("/log 그린에너지 캠퍼스 구축 -5% 메모", "0에서 100"),
    ("/log", "사용법"),
    ("/log 에너지밸리 조성 지연", "사유 메모"),
    ("/log 그린에너지 캠퍼스 구축 40% " + "가" * 10_000, "질문이 너무 깁니다"),
    ("/log 그린에너지 캠퍼스 구축 40% " + "나" * 600, "메모가 너무 깁니다"),
])
def test_bad_input_gets_a_clear_reply_and_changes_nothing(team: Engine, text: str, says: str) -> None:
    before = _rows(team.store)
    reply = ask(team, text, COORD)
    assert says in reply.text
    assert _rows(team.store) == before


def test_markup_and_sql_in_a_note_are_stored_as_text(team: Engine) -> None:
    ask(team, "/log 그린에너지 캠퍼스 구축 40% <b>굵게</b> '); DROP TABLE progress; --", COORD)
    latest = team.store.latest_progress(TASK)
    assert latest["note"] == "<b>굵게</b> '); DROP TABLE progress; --"
    assert team.store.count("tasks") > 0


def test_stale_tasks_list_owners(team: Engine) -> None:
    ask(team, "/log 에너지밸리 조성 지연 - 부지 협의 중", COORD)
    ask(team, "/log 그린에너지 캠퍼스 구축 40% 기본설계", COORD)
    reply = ask(team, "업데이트 안 된 과제", MEMBER, now=NOW + timedelta(days=1))
    assert "에너지밸리 조성" in reply.text and "한국전력" in reply.text
    assert "그린에너지 캠퍼스 구축" not in reply.text
    later = ask(team, "지연 과제", MEMBER, now=NOW + timedelta(days=30)).text
    assert "그린에너지 캠퍼스 구축" in later


def test_grant_and_revoke_are_audited(team: Engine) -> None:
    assert "부여했습니다" in ask(team, "/grant 77 coordinator 박새로", ADMIN).text
    assert team.store.user(77)["role"] == "coordinator"
    assert "회수했습니다" in ask(team, "/revoke 77", ADMIN).text
    assert team.store.user(77) is None
    actions = [(r["action"], r["target"]) for r in team.store.audit_log()]
    assert ("role", "77") in actions and ("revoke", "77") in actions
    assert "사용법" in ask(team, "/grant abc admin", ADMIN).text
