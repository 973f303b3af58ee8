"""The conversation core: choices kept in the database under their own id, one error boundary, @botname once."""

import logging
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.conversation import APOLOGY, EXPIRED, NOT_YOURS, Conversation, Outgoing, Press, strip_bot_name
from intents.dates.reminders import Due, Reminders
from intents.engine import Engine
from intents.message import Message, Pick, Reply
from intents.writes.access import Policy
from intents.writes.commands import PICKED
from store import ReadOnly, Store
from tests.conftest import NOW

COORD, MEMBER, OTHER, STRANGER = 2001, 1001, 1002, 9999
GROUP = -100123
AMBIGUOUS_LOG = "/log 그린에너지 캠퍼스 40% 기본설계"   # a 대표프로젝트 and its 협업과제 share the name
MEETING = "/meeting 12월 3일 오후 2시 권역별 TF회의 @ 세종청사"
TABLES = ("choices", "progress", "meetings", "meeting_responses", "audit", "unanswered", "private_chats")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh database file with a coordinator and two members."""
    store = Store.open(tmp_path / "tf.db")
    for user, role in ((COORD, "coordinator"), (MEMBER, "member"), (OTHER, "member")):
        store.set_role(None, user, role, NOW.isoformat(), f"user{user}")
    store.close()
    return tmp_path / "tf.db"


@pytest.fixture
def core(db: Path) -> Conversation:
    """A core over that database."""
    return Conversation(Engine(Store.open(db), Policy(confirm_minutes=5)))


def said(core: Conversation, text: str, user: int | None = COORD, now: datetime = NOW,
         chat: int | None = None) -> Outgoing:
    """A message from a user in their private chat (or in `chat`)."""
    where = chat if chat is not None else user
    return core.handle(Message(text, now, user_id=user, chat_id=where, user_name=f"user{user}",
                               chat_kind="group" if where is not None and where < 0 else "private",
                               local_operator=user is None))


def press(core: Conversation, key: str, user: int | None = COORD, now: datetime = NOW,
          chat: int | None = None) -> Outgoing:
    """An option chosen by a user."""
    return core.handle(Press(key, Message("", now, user_id=user, chat_id=chat if chat is not None else user,
                                          user_name=f"user{user}", local_operator=user is None)))


def rows(store: Store) -> dict[str, int]:
    """Row counts of every table a choice could touch."""
    return {t: store.count(t) for t in TABLES}


def key_of(out: Outgoing, label: str) -> str:
    """The key of the option with this label."""
    return next(o.key for o in out.options if o.label == label)


def test_log_then_meeting_then_the_old_log_button(core: Conversation) -> None:
    store = core.store
    log = said(core, AMBIGUOUS_LOG)
    assert log.reply.intent == "log_confirm" and len(log.options) == 3   # two tasks and 취소
    meeting = said(core, MEETING)
    assert meeting.reply.intent == "meeting_confirm" and store.count("choices") == 2
    logged = press(core, key_of(log, "그린에너지 캠퍼스 구축"), now=NOW + timedelta(minutes=1))
    assert logged.reply.intent == "log" and "기록했습니다: [그린에너지 캠퍼스 구축] 40%" in logged.reply.text
    assert store.latest_progress("d000-task-daegu")["percent"] == 40 and store.count("choices") == 1
    saved = press(core, key_of(meeting, "확인"), now=NOW + timedelta(minutes=2))
    assert saved.reply.intent == "meeting_saved" and "권역별 TF회의" in saved.reply.text
    assert [m["title"] for m in store.scheduled_meetings(NOW.isoformat())] == ["권역별 TF회의"]
    assert [w.what for w in saved.written] == ["meeting"] and [w.what for w in logged.written] == ["progress"]
    assert store.count("choices") == 0


def test_several_choices_open_at_once_and_answering_one_leaves_the_others(core: Conversation) -> None:
    first, second = said(core, AMBIGUOUS_LOG), said(core, "그린에너지 캠퍼스")
    third = said(core, "/log 에너지밸리 조성 30% 부지 협의 중", chat=None)   # certain: written at once, no choice
    assert third.reply.intent == "log" and not third.options
    before = {o.key.split(".")[0] for o in (*first.options, *second.options)}
    assert len(before) == 2 and core.store.count("choices") == 2
    answered = press(core, second.options[0].key)
    assert answered.reply.intent != "clarify" and core.store.choice(first.options[0].key.split(".")[0]) is not None
    assert press(core, key_of(first, "취소")).reply.text.startswith("취소했습니다")
    assert core.store.count("choices") == 0


def test_an_expired_an_unknown_and_an_answered_choice_say_so_and_change_nothing(core: Conversation) -> None:
    log = said(core, AMBIGUOUS_LOG)
    before = rows(core.store)
    late = press(core, log.options[0].key, now=NOW + timedelta(minutes=5))
    assert late.reply.text == EXPIRED and late.reply.intent == "expired" and rows(core.store) == before
    for key in ("0123abcd.1", "zz", "", f"{log.options[0].key.split('.')[0]}.9", "../../etc"):
        assert press(core, key).reply.text == EXPIRED, key
    assert rows(core.store) == before
    meeting = said(core, MEETING)
    press(core, key_of(meeting, "취소"))
    before = rows(core.store)
    again = press(core, key_of(meeting, "확인"))
    assert again.reply.text == EXPIRED and rows(core.store) == before
    assert "이 선택지는 만료되었습니다" in EXPIRED


def test_only_the_asker_may_answer_and_a_refusal_changes_nothing(core: Conversation) -> None:
    asked = said(core, "@thisbot 그린에너지 캠퍼스", user=MEMBER, chat=GROUP)
    before = rows(core.store)
    other = press(core, asked.options[0].key, user=OTHER, chat=GROUP)
    assert other.refused and other.reply.text == NOT_YOURS and rows(core.store) == before
    assert not press(core, asked.options[0].key, user=MEMBER, chat=GROUP).refused


def test_a_role_lost_before_the_press_is_refused_and_the_choice_stays(core: Conversation) -> None:
    log = said(core, AMBIGUOUS_LOG)
    core.store.set_role(None, COORD, "member", NOW.isoformat())
    before = rows(core.store)
    refused = press(core, log.options[0].key)
    assert refused.refused and "코디네이터 권한" in refused.reply.text and rows(core.store) == before


def test_anyone_a_reminder_reached_answers_for_themselves_and_it_stays_open(core: Conversation) -> None:
    store = core.store
    start = "2026-12-03T14:00:00+09:00"
    meeting = store.add_meeting(COORD, NOW.isoformat(), "권역별 TF회의", start, None, "세종", None)
    due = Due(meeting, 3600, datetime.fromisoformat(start) - timedelta(hours=1), start)
    sent = core.offer(GROUP, Reminders.compose(store.meeting(meeting) or {}, due), NOW)
    assert [o.label for o in sent.options] == ["참석", "불참"]
    yes = press(core, sent.options[0].key, user=MEMBER, chat=GROUP)
    no = press(core, sent.options[1].key, user=OTHER, chat=GROUP)
    assert yes.still_open and "참석으로 기록했습니다" in yes.reply.text and "불참으로" in no.reply.text
    answers = sorted((r["user_id"], r["response"]) for r in store.responses(meeting))
    assert answers == [(MEMBER, "참석"), (OTHER, "불참")]
    before = rows(store)
    stranger = press(core, sent.options[0].key, user=STRANGER, chat=GROUP)
    assert stranger.refused and str(STRANGER) in stranger.reply.text and rows(store) == before
    late = press(core, sent.options[0].key, user=MEMBER, now=datetime.fromisoformat(start))
    assert late.reply.text == EXPIRED   # the meeting has begun


def test_a_choice_works_after_a_restart(core: Conversation, db: Path) -> None:
    log, meeting = said(core, AMBIGUOUS_LOG), said(core, MEETING)
    core.store.close()
    restarted = Conversation(Engine(Store.open(db), Policy(confirm_minutes=5)))   # nothing kept in memory
    assert press(restarted, key_of(log, "그린에너지 캠퍼스 구축")).reply.intent == "log"
    assert press(restarted, key_of(meeting, "확인")).reply.intent == "meeting_saved"
    assert restarted.store.count("choices") == 0


def test_an_exception_inside_an_intent_is_an_apology_with_an_incident_id(
        core: Conversation, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    log = said(core, AMBIGUOUS_LOG)
    before = rows(core.store)

    def explode(store: Store, message: Message, pick: Pick) -> Reply:
        store.add_progress("d000-task-daegu", COORD, None, NOW.isoformat(), 1, "진행", "절반만 쓰인 기록")
        raise KeyError("percent")

    monkeypatch.setitem(PICKED, "log", ("log", lambda c, m, p: explode(c.store, m, p)))
    with caplog.at_level(logging.ERROR, logger="bot.conversation"):
        failed = press(core, log.options[0].key)
    found = re.fullmatch(re.escape(APOLOGY) + r" \(오류 번호: ([0-9a-f]{8})\)", failed.reply.text)
    assert found is not None and failed.reply.intent == "error"
    [record] = caplog.records
    assert found.group(1) in record.getMessage() and record.exc_info is not None
    assert "KeyError" in caplog.text and "percent" in caplog.text
    assert rows(core.store) == before, "the choice and the half-done write were rolled back together"


def test_the_bot_name_of_a_command_is_dropped_in_one_place(core: Conversation) -> None:
    assert strip_bot_name("/log@tf_bot 캠퍼스 40%") == "/log 캠퍼스 40%"
    assert strip_bot_name(" /start@tf_bot") == "/start" and strip_bot_name("메일 a@b.kr") == "메일 a@b.kr"
    meeting = said(core, "/meeting@tf_bot 12월 3일 오후 2시 권역별 TF회의")
    assert meeting.reply.intent == "meeting_confirm" and "• 제목: 권역별 TF회의" in meeting.reply.text
    assert said(core, "/help@tf_bot").reply.intent == "help"


def test_a_read_only_database_answers_a_clarifying_question_without_options(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    Store.open(path).close()
    path.chmod(0o444)
    try:
        core = Conversation(Engine(Store.open(path)))
        asked = said(core, "그린에너지 캠퍼스", user=None)
        assert asked.reply.intent == "clarify" and not asked.options and not asked.reply.buttons
        assert "읽기 전용" in asked.reply.text
        assert said(core, AMBIGUOUS_LOG, user=None).reply.intent == "readonly"
    finally:
        path.chmod(0o644)


def test_callback_keys_fit_in_a_telegram_button(core: Conversation) -> None:
    out = said(core, "그린에너지 캠퍼스")
    assert out.options and all(len(o.key.encode()) <= 64 for o in out.options)
    assert all(re.fullmatch(r"[0-9a-f]{8}\.[1-9][0-9]?", o.key) for o in out.options)


def test_a_database_that_turns_read_only_while_running_is_said_plainly(core: Conversation,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    log = said(core, AMBIGUOUS_LOG)

    def refuse(*args: object, **kwargs: object) -> None:
        raise ReadOnly("데이터베이스가 읽기 전용이라 기록할 수 없습니다.")

    monkeypatch.setattr(Store, "open_choice", refuse)
    monkeypatch.setattr(Store, "transaction", refuse)
    asked = said(core, "그린에너지 캠퍼스")
    before = rows(core.store)
    pressed = press(core, log.options[0].key)
    for out in (asked, pressed):
        assert out.reply.intent == "readonly" and "읽기 전용" in out.reply.text and "오류 번호" not in out.reply.text
    assert rows(core.store) == before and core.store.count("choices") == 1
