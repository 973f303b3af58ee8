"""End to end: the real python-telegram-bot Application from build_application against the fake Bot API."""

import asyncio
import logging
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config, load_config
from bot.conversation import APOLOGY, EXPIRED, NOT_YOURS
from bot.reminder_service import ReminderService
from bot.telegram import SENT_PRIVATELY, build_application
from intents.engine import Engine
from intents.message import Attachment, Button, Message, Pick, Reply
from intents.registry import REGISTRY, Entry
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW
from tests.fake_bot_api import FakeBotApi, png

MEMBER, MEMBER2, COORDINATOR, ADMIN, STRANGER = 1001, 1002, 2001, 3001, 9999
GROUP = -100123
BUSAN_PHONE = "315-9263"


@pytest.fixture
def cfg() -> Config:
    """A configuration with the test token and an empty config file."""
    return load_config(os.devnull, env={"TFBOT_TOKEN": "123:ABC"})


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    """The real engine on a throwaway database, with members, a coordinator and an admin."""
    store = Store.open(tmp_path / "tf.db")
    for user, role in ((MEMBER, "member"), (MEMBER2, "member"), (COORDINATOR, "coordinator")):
        store.set_role(None, user, role, "2026-11-01T09:00:00+09:00", f"user{user}")
    return Engine(store, Policy(admins=frozenset({ADMIN})))


class StubEngine:
    """An engine stand-in for adapter-translation tests: records messages, answers with a fixed reply; open
    choices are kept in an in-memory store."""

    registry = REGISTRY
    policy = Policy()

    def __init__(self, reply: Reply | Callable[[Message, Pick | None], Reply]) -> None:
        self.reply = reply
        self.seen: list[tuple[Message, Pick | None]] = []
        self.store = Store.open(":memory:")

    def answer(self, message: Message, pick: Pick | None = None) -> Reply:
        """Record the message and return the planned reply."""
        self.seen.append((message, pick))
        return self.reply(message, pick) if callable(self.reply) else self.reply


@asynccontextmanager
async def running(fake: FakeBotApi, engine: Any, cfg: Config, **kwargs: Any) -> AsyncIterator[Any]:
    """The Application polling the fake server, started the way run_polling starts it."""
    kwargs.setdefault("base_url", fake.base_url)
    if "background" not in kwargs and not isinstance(engine, StubEngine):   # a stub has no store to plan from
        kwargs["background"] = [ReminderService(engine.store, engine.policy, cfg)]
    app = build_application(engine, cfg, **kwargs)
    async with app:
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)


def e2e(test: Callable[[FakeBotApi], Awaitable[None]], timeout: float = 30) -> None:
    """Run a test coroutine with a started fake Bot API server, in a fresh event loop."""

    async def main() -> None:
        fake = await FakeBotApi(token="123:ABC", username="thisbot").start()
        try:
            await asyncio.wait_for(test(fake), timeout)
        finally:
            await fake.stop()

    asyncio.run(main())


async def quiet(fake: FakeBotApi, seconds: float = 0.4) -> None:
    """Give the bot time to (wrongly) answer something it should ignore."""
    await asyncio.sleep(seconds)


# --- questions and answers -------------------------------------------------------------------------
def test_member_question_answered_in_private_chat(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("부산 지역사업평가단 전화번호", user_id=MEMBER)
            [answer] = await fake.wait_for_messages(1)
            assert answer.chat_id == MEMBER and BUSAN_PHONE in answer.text
            assert "[부산지역사업평가단]" in answer.text

    e2e(check)


def test_api_base_url_from_the_environment(engine: Engine, tmp_path: Path) -> None:
    async def check(fake: FakeBotApi) -> None:
        env = {"TFBOT_TOKEN": "123:ABC", "TFBOT_API_BASE_URL": f"http://127.0.0.1:{fake.port}"}
        cfg = load_config(os.devnull, env=env)
        async with running(fake, engine, cfg, base_url=None) as app:
            assert app.bot.base_url == f"http://127.0.0.1:{fake.port}/bot123:ABC"
            assert app.bot.base_file_url == f"http://127.0.0.1:{fake.port}/file/bot123:ABC"
            fake.send_text("/start", user_id=MEMBER)
            [answer] = await fake.wait_for_messages(1)
            assert "안녕하세요" in answer.text

    e2e(check)


def test_command_menu_published_in_korean(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            names = [c["command"] for c in fake.commands]
            assert names == ["start", "help", "log", "meeting", "meetings", "chart", "due", "action", "undo", "correct",
                             "document", "iam", "away", "export", "template"]
            assert all(any("가" <= ch <= "힣" for ch in c["description"]) for c in fake.commands)

    e2e(check)


def test_a_newly_registered_intent_appears_in_help_and_the_menu(tmp_path: Path, cfg: Config) -> None:
    remind = Entry("remind", "coordinator", "알림 다시 보내기 (코디네이터): /remind <회의명>", "/remind",
                   "알림 다시 보내기")
    engine = Engine(Store.open(tmp_path / "r.db"), Policy(admins=frozenset({ADMIN})), REGISTRY.with_entry(remind))
    help_text = engine.answer(Message("/help", NOW, user_id=ADMIN)).text
    assert "/remind — 알림 다시 보내기 (코디네이터)" in help_text

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            assert ("remind", "알림 다시 보내기") in [(c["command"], c["description"]) for c in fake.commands]

    e2e(check)


def test_ambiguous_name_offers_buttons_and_a_press_answers(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("그린에너지 캠퍼스", user_id=MEMBER)
            [question] = await fake.wait_for_messages(1)
            assert len(question.buttons) >= 2 and "어느 것" in question.text
            assert all(len(b["callback_data"].encode()) < 64 for b in question.buttons)
            label = question.buttons[1]["text"]
            fake.press(question, 1, user_id=MEMBER)
            await fake.wait_for(lambda: len(fake.edits) == 1)
            assert fake.callback_answers, "the press is always acknowledged"
            edited = fake.edits[0]
            assert edited.message_id == question.message_id and label.split(" (")[0] in edited.text
            assert "어느 것" not in edited.text

    e2e(check)


def test_only_the_asker_may_press(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("@thisbot 그린에너지 캠퍼스", user_id=MEMBER, chat_id=GROUP, chat_type="supergroup")
            [question] = await fake.wait_for_messages(1)
            fake.press(question, 0, user_id=MEMBER2)
            await fake.wait_for(lambda: len(fake.callback_answers) == 1)
            assert fake.callback_answers[0].get("text") == NOT_YOURS
            await quiet(fake)
            assert not fake.edits

    e2e(check)


def test_a_button_still_works_after_a_restart(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("그린에너지 캠퍼스", user_id=MEMBER)
            [question] = await fake.wait_for_messages(1)
        restarted = Engine(engine.store.reopen(), engine.policy)   # a new process over the same database
        async with running(fake, restarted, cfg):
            fake.press(question, 0, user_id=MEMBER)
            await fake.wait_for(lambda: len(fake.edits) == 1)
            assert "어느 것" not in fake.edits[0].text and question.buttons[0]["text"].split(" (")[0] in \
                fake.edits[0].text and fake.callback_answers

    e2e(check)


def test_an_unknown_or_answered_choice_says_it_expired_and_changes_nothing(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("그린에너지 캠퍼스", user_id=MEMBER)
            [question] = await fake.wait_for_messages(1)
            fake.press(question, 0, user_id=MEMBER)
            await fake.wait_for(lambda: len(fake.edits) == 1)
            before = {t: engine.store.count(t) for t in ("choices", "progress", "audit", "unanswered")}
            fake.press(question, 1, user_id=MEMBER)   # the same question's other button: answered already
            fake.inject_update(fake.callback_update("0123abcd.1", question, user_id=MEMBER))   # never issued
            fake.inject_update(fake.callback_update("old-ptb-key", question, user_id=MEMBER))
            # the first says so in place of the answer; the same text again cannot be an edit, so it is sent
            await fake.wait_for(lambda: len(fake.edits) + len(fake.sent) == 1 + 4)
            said = [e.text for e in fake.edits[1:]] + [s.text for s in fake.sent[1:]]
            assert said == [EXPIRED] * 3 and len(fake.callback_answers) == 4
            assert {t: engine.store.count(t) for t in before} == before

    e2e(check)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")   # raised inside PTB's RetryAfter
def test_rate_limit_429_is_retried_after_retry_after(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.fail_next("sendMessage", 429, retry_after=1)
            started = time.monotonic()
            fake.send_text("부산 지역사업평가단 전화번호", user_id=MEMBER)
            [answer] = await fake.wait_for_messages(1)
            assert time.monotonic() - started >= 1.0 and BUSAN_PHONE in answer.text
            assert [m for m, _ in fake.calls].count("sendMessage") == 2

    e2e(check)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_429_is_retried_without_the_rate_limiter_too(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg, rate_limit=False):
            fake.fail_next("sendMessage", 429, retry_after=1)
            fake.fail_next("sendMessage", 502)
            fake.send_text("부산 지역사업평가단 전화번호", user_id=MEMBER)
            [answer] = await fake.wait_for_messages(1)
            assert BUSAN_PHONE in answer.text
            assert [m for m, _ in fake.calls].count("sendMessage") == 3

    e2e(check)


def test_a_dropped_connection_is_retried_and_nothing_is_lost(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.disconnect_next("sendMessage", times=2)
            fake.send_text("부산 지역사업평가단 전화번호", user_id=MEMBER)
            [answer] = await fake.wait_for_messages(1)
            assert BUSAN_PHONE in answer.text
            assert [m for m, _ in fake.calls].count("sendMessage") == 3

    e2e(check)


def test_html_in_user_input_is_escaped(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("<b>부산</b> & 평가단", user_id=MEMBER)
            fake.send_text("<script>알수없음</script> & 1<2", user_id=MEMBER2)
            await fake.wait_for_messages(2)
            [busan] = fake.messages_to(MEMBER)
            [echo] = fake.messages_to(MEMBER2)
            assert BUSAN_PHONE in busan.text
            assert "<script>알수없음</script> & 1<2" in echo.text
            assert "&lt;script&gt;" in echo.raw and "&amp;" in echo.raw

    e2e(check)


# --- groups --------------------------------------------------------------------------------------
def test_group_commands_for_this_bot_only(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            group = {"chat_id": GROUP, "chat_type": "supergroup", "user_id": MEMBER}
            fake.send_text("/start@otherbot", **group)
            fake.send_text("/help@otherbot", **group)
            fake.send_text("/foo@otherbot", **group)
            fake.send_text("부산 지역사업평가단 주소", **group)   # not addressed to the bot
            fake.send_text("@otherbot 부산 지역사업평가단 주소", **group)
            await quiet(fake)
            assert not fake.sent
            fake.send_text("/start@thisbot", **group)
            [hello] = await fake.wait_for_messages(1)
            assert hello.chat_id == GROUP and "안녕하세요" in hello.text
            fake.send_text("/foo@thisbot", **group)
            await fake.wait_for_messages(2)
            assert "알 수 없는 명령" in fake.sent[1].text
            fake.send_text("/help", **group)
            await fake.wait_for_messages(3)
            await quiet(fake)
            assert len(fake.sent) == 3

    e2e(check)


def test_group_mentions_and_replies_reach_the_engine_without_the_mention(cfg: Config) -> None:
    stub = StubEngine(lambda m, c: Reply(text=f"받음: {m.text}", intent="echo"))

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, stub, cfg):
            group = {"chat_id": GROUP, "chat_type": "group", "user_id": MEMBER}
            fake.send_text("@thisbot 부산 평가단", **group)
            [first] = await fake.wait_for_messages(1)
            assert first.text == "받음: 부산 평가단"
            fake.send_text("그럼 대구는?", reply_to=fake.bot_message(first), **group)
            await fake.wait_for_messages(2)
            assert fake.sent[1].text == "받음: 그럼 대구는?"
            fake.send_text("/log@thisbot 캠퍼스 40% 설계", **group)
            await fake.wait_for_messages(3)
            assert fake.sent[2].text == "받음: /log 캠퍼스 40% 설계"
        message = stub.seen[0][0]
        assert message.chat_kind == "group" and message.chat_id == GROUP and message.user_id == MEMBER
        assert message.user_name == "사용자"
        assert message.now.tzinfo == ZoneInfo("Asia/Seoul") and abs(message.now.timestamp() - time.time()) < 60

    e2e(check)


def test_private_data_asked_in_group_goes_to_private_chat(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.add_chat({"id": MEMBER, "type": "private", "first_name": "사용자"})   # has talked to the bot
            fake.send_text("@thisbot 부산 지역사업평가단 전화번호", chat_id=GROUP, chat_type="supergroup",
                           user_id=MEMBER)
            await fake.wait_for_messages(2)
            [private] = fake.messages_to(MEMBER)
            [notice] = fake.messages_to(GROUP)
            assert BUSAN_PHONE in private.text
            assert notice.text == SENT_PRIVATELY

    e2e(check)


def test_private_data_falls_back_to_redacted_group_answer(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):   # MEMBER2 never wrote to the bot: 403 for a private message
            fake.send_text("@thisbot 부산 지역사업평가단 전화번호", chat_id=GROUP, chat_type="supergroup",
                           user_id=MEMBER2)
            [answer] = await fake.wait_for_messages(1)
            assert answer.chat_id == GROUP and "[부산지역사업평가단]" in answer.text
            assert BUSAN_PHONE not in answer.text and "(비공개)" in answer.text
            assert "엄궁로 70-16" in answer.text   # an address is not a phone number

    e2e(check)


# --- restarts, errors, chats closed or moved -------------------------------------------------------
def test_restart_does_not_reprocess_old_updates(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            old = [fake.send_text(q, user_id=MEMBER) for q in ("부산 지역사업평가단 전화번호", "/help", "/start")]
            await fake.wait_for_messages(3)
        async with running(fake, engine, cfg):
            new = fake.send_text("/start", user_id=MEMBER2)
            await fake.wait_for_messages(4)
            await quiet(fake, 1.5)   # one more long-poll cycle
        assert len(fake.sent) == 4 and fake.sent[-1].chat_id == MEMBER2
        assert all(fake.deliveries[u] == 1 for u in [*old, new]), fake.deliveries

    e2e(check)


def test_unexpected_error_gets_the_fixed_apology(cfg: Config, caplog: pytest.LogCaptureFixture) -> None:
    def explode(message: Message, pick: Pick | None) -> Reply:
        raise RuntimeError("secret internal detail")

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, StubEngine(explode), cfg):
            fake.send_text("아무 질문", user_id=MEMBER)
            [apology] = await fake.wait_for_messages(1)
            said.append(apology.text)

    said: list[str] = []
    with caplog.at_level(logging.ERROR, logger="bot.conversation"):
        e2e(check)
    [text] = said
    incident = re.fullmatch(re.escape(APOLOGY) + r" \(오류 번호: ([0-9a-f]{8})\)", text)
    assert incident is not None and "secret" not in text, text
    [record] = [r for r in caplog.records if r.exc_info]
    assert incident.group(1) in record.getMessage() and "secret internal detail" in str(record.exc_info[1])


def test_blocked_user_is_skipped(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("/start", user_id=MEMBER)
            fake.block(MEMBER)
            fake.send_text("/start", user_id=MEMBER2)
            [answer] = await fake.wait_for_messages(1)
            await quiet(fake)
            assert answer.chat_id == MEMBER2 and len(fake.sent) == 1

    e2e(check)


def test_chat_migration_resends_and_calls_the_hook(engine: Engine, cfg: Config) -> None:
    moved: list[tuple[int, int]] = []
    engine.store.set_setting(ADMIN, "2026-11-01T09:00:00+09:00", "group_chat_id", str(GROUP))

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg, on_chat_migrated=lambda old, new: moved.append((old, new))):
            fake.send_text("/start@thisbot", chat_id=GROUP, chat_type="group", user_id=MEMBER)
            fake.migrate_chat(GROUP, GROUP * 10)
            [answer] = await fake.wait_for_messages(1)
            assert answer.chat_id == GROUP * 10

    e2e(check)
    assert moved == [(GROUP, GROUP * 10)]
    assert engine.store.setting("group_chat_id") == str(GROUP * 10), "the bound group follows the migration"


# --- adapter translation (stub engine) -------------------------------------------------------------
def test_long_reply_is_split_on_lines(cfg: Config) -> None:
    lines = [f"{i:04d} <&> 부산·대구 지역사업평가단 연락처 줄" for i in range(400)]
    text = "\n".join([*lines, "가" * 5000, "끝"])
    stub = StubEngine(Reply(text=text, intent="long", buttons=[Button("부산 (기관)", "organisation:x")]))

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, stub, cfg):
            fake.send_text("긴 답", user_id=MEMBER)
            await fake.wait_for(lambda: bool(fake.sent) and fake.sent[-1].text.endswith("끝"))
            parts = [s.text for s in fake.sent]
            assert len(parts) >= 4 and all(len(p) <= 4096 for p in parts)
            assert "".join(parts).replace("\n", "") == text.replace("\n", "")
            assert parts[0].startswith("0000") and parts[0].endswith("줄"), "split on a line boundary"
            assert "&lt;" in fake.sent[0].raw
            assert all(not s.buttons for s in fake.sent[:-1]) and fake.sent[-1].buttons

    e2e(check)


def test_attachments_go_out_as_photo_and_document(cfg: Config) -> None:
    picture = png(4, 3)
    reply = Reply(text="회의 일정입니다.", intent="meeting", attachments=[
        Attachment("chart.png", picture, "image/png", kind="photo", caption="그림 설명"),
        Attachment("회의.ics", b"BEGIN:VCALENDAR\nEND:VCALENDAR\n", "text/calendar"),
    ])

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, StubEngine(reply), cfg):
            fake.send_text("회의", user_id=MEMBER)
            sent = await fake.wait_for_messages(3)
            assert [s.method for s in sent] == ["sendMessage", "sendPhoto", "sendDocument"]
            assert sent[1].file == ("chart.png", len(picture)) and sent[1].size == (4, 3)
            assert sent[1].text == "그림 설명"   # the caption, under the picture
            assert sent[2].file is not None and sent[2].file[0] == "회의.ics"

    e2e(check)


# --- roles (answered by the engine) --------------------------------------------------------------
def test_unknown_user_refused_with_their_id(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("부산 지역사업평가단 전화번호", user_id=STRANGER)
            [answer] = await fake.wait_for_messages(1)
            assert str(STRANGER) in answer.text and BUSAN_PHONE not in answer.text

    e2e(check)


def test_member_log_refused_and_coordinator_log_accepted(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("/log 그린에너지 캠퍼스 구축 40% 기본설계 완료", user_id=MEMBER)
            [refused] = await fake.wait_for_messages(1)
            assert "권한" in refused.text
            fake.send_text("/log 그린에너지 캠퍼스 40% <b>기본설계</b> & 1<2", user_id=COORDINATOR)
            await fake.wait_for_messages(2)
            asked = fake.sent[1]   # two tasks share the name: the engine asks before writing
            assert "어느 과제" in asked.text and engine.store.latest_progress("d000-task-daegu") is None
            labels = [b["text"] for b in asked.buttons]
            fake.press(asked, labels.index("그린에너지 캠퍼스 구축"), user_id=COORDINATOR)
            await fake.wait_for(lambda: len(fake.edits) == 1)
            assert "기록했습니다" in fake.edits[0].text and "40%" in fake.edits[0].text
            fake.send_text("그린에너지 캠퍼스 구축 진행상황", user_id=MEMBER)
            await fake.wait_for(lambda: len(fake.messages_to(MEMBER)) == 2)
            status = fake.messages_to(MEMBER)[1]
            assert "40%" in status.text and "<b>기본설계</b> & 1<2" in status.text
            assert "&lt;b&gt;기본설계&lt;/b&gt; &amp; 1&lt;2" in status.raw, "a note's markup is shown, not obeyed"
        assert engine.store.latest_progress("d000-task-daegu")["note"] == "<b>기본설계</b> & 1<2"

    e2e(check)


def test_member_correction_refused_and_coordinator_correction_confirmed_with_a_button(engine: Engine,
                                                                                      cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("/correct 정병찬 전화 044-203-4419", user_id=MEMBER)
            [refused] = await fake.wait_for_messages(1)
            assert "코디네이터 권한" in refused.text
            fake.send_text("정병찬 사무관 전화번호 044-203-4419로 바뀌었어요", user_id=COORDINATOR)
            await fake.wait_for_messages(2)
            asked = fake.sent[1]
            assert "044-203-4418" in asked.text and "044-203-4419" in asked.text
            assert [b["text"] for b in asked.buttons] == ["확인", "취소"]
            assert engine.store.corrections_of("contacts", "d002-ct-jeongbyeongchan") == []
            fake.press(asked, 0, user_id=COORDINATOR)
            await fake.wait_for(lambda: len(fake.edits) == 1)
            assert "고쳤습니다" in fake.edits[0].text
            fake.send_text("정병찬 연락처", user_id=MEMBER)
            await fake.wait_for(lambda: len(fake.messages_to(MEMBER)) == 2)
            answer = fake.messages_to(MEMBER)[1]
            assert "044-203-4419" in answer.text and "출처: 수정: " in answer.text and "2021-03-02" not in answer.text

    e2e(check)
