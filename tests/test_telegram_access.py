"""End to end through the fake Bot API: an update without a user gets nothing; a message sent on behalf of a
chat (anonymous admin, channel, automatic forward) gets the refusal and no data."""

import logging
import os
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config, load_config
from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW
from tests.fake_bot_api import FakeBotApi, Json
from tests.test_telegram_e2e import e2e, quiet, running

MEMBER, ADMIN = 1001, 3001
GROUP = -100123
CHANNEL_CHAT = -100999
BUSAN, BUSAN_PHONE = "부산 지역사업평가단 전화번호", "315-9263"
ANONYMOUS_ADMIN, CHANNEL_BOT, SERVICE = 1087968824, 136817688, 777000


@pytest.fixture
def cfg() -> Config:
    """The test token, an empty config file, the default transport."""
    return load_config(os.devnull, env={"TFBOT_TOKEN": "123:ABC"})


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    """A member and a configured admin, on a throwaway database."""
    store = Store.open(tmp_path / "tf.db")
    store.set_role(None, MEMBER, "member", NOW.isoformat(), "이멤버")
    return Engine(store, Policy(admins=frozenset({ADMIN})))


def on_behalf(fake: FakeBotApi, text: str, sender: int, sender_chat: Json, **extra: Any) -> Json:
    """A group message whose `from` is one of Telegram's shared ids and whose `sender_chat` is set."""
    update = fake.message_update(text, user_id=sender, chat_id=GROUP, chat_type="supergroup", first_name="Group")
    update["message"]["from"]["is_bot"] = True
    update["message"]["sender_chat"] = sender_chat
    update["message"].update(extra)
    return update


def test_an_update_without_a_user_gets_nothing_and_is_logged(engine: Engine, cfg: Config,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.telegram")

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            for text, kind, chat in ((BUSAN, "private", 4242), ("/help", "private", 4242),
                                     (f"@thisbot {BUSAN}", "supergroup", GROUP)):
                update = fake.message_update(text, chat_id=chat, chat_type=kind)
                del update["message"]["from"]
                fake.inject_update(update)
            await quiet(fake)
            fake.send_text(BUSAN, user_id=MEMBER)   # the bot is alive and answers a person
            [answer] = await fake.wait_for_messages(1)
            await quiet(fake, 0.2)
            assert answer.chat_id == MEMBER and BUSAN_PHONE in answer.text
            assert [s.chat_id for s in fake.sent] == [MEMBER]

    e2e(check)
    assert sum("has no sender" in r.getMessage() for r in caplog.records) == 3


def test_messages_on_behalf_of_a_chat_get_the_refusal_and_no_data(engine: Engine, cfg: Config) -> None:
    before = {t: engine.store.count(t) for t in ("users", "audit", "private_chats", "choices")}

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            group = {"id": GROUP, "type": "supergroup", "title": "TF 단체방"}
            channel = {"id": CHANNEL_CHAT, "type": "channel", "title": "TF 소식"}
            fake.inject_update(on_behalf(fake, f"@thisbot {BUSAN}", ANONYMOUS_ADMIN, group))
            fake.inject_update(on_behalf(fake, "/log@thisbot 에너지밸리 조성 40% 부지 협의", ANONYMOUS_ADMIN, group))
            fake.inject_update(on_behalf(fake, f"@thisbot {BUSAN}", CHANNEL_BOT, channel))
            fake.inject_update(on_behalf(fake, f"@thisbot {BUSAN}", SERVICE, channel, is_automatic_forward=True))
            sent = await fake.wait_for_messages(4)
            await quiet(fake, 0.3)
            assert len(fake.sent) == 4 and {s.chat_id for s in sent} == {GROUP}
            for reply in sent:
                assert "본인 계정으로" in reply.text and BUSAN_PHONE not in reply.text
                assert "사용자 ID" not in reply.text and str(ANONYMOUS_ADMIN) not in reply.text
                assert not reply.buttons

    e2e(check)
    assert {t: engine.store.count(t) for t in before} == before and engine.store.count("progress") == 0
