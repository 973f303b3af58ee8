"""End to end through the fake Bot API: invite links, /iam with an admin's 확인, a revoked user's old button, and
forum topics (answers in the topic asked from; reminders and the digest in the topic /bind was sent in)."""

import os
import re
import time
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import Config, load_config
from bot.conversation import EXPIRED
from bot.reminder_service import ReminderService
from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from tests.fake_bot_api import FakeBotApi, Sent
from tests.test_telegram_e2e import e2e, quiet, running

MEMBER, COORDINATOR, ADMIN, NEWCOMER, LATECOMER = 1001, 2001, 3001, 5001, 5002
GROUP = -100555
TOPIC = 42
BUDGET_QUESTION = "@thisbot 국가혁신클러스터 2단계 지방비는?"


def _engine(tmp_path: Path, invite_days: int = 7) -> Engine:
    store = Store.open(tmp_path / "tf.db")
    store.set_role(None, MEMBER, "member", "2026-11-01T09:00:00+09:00", "이멤버")
    store.set_role(None, COORDINATOR, "coordinator", "2026-11-01T09:00:00+09:00", "김코디")
    return Engine(store, Policy(admins=frozenset({ADMIN}), invite_days=invite_days))


def _cfg() -> Config:
    return load_config(os.devnull, env={"TFBOT_TOKEN": "123:ABC"})


def _texts(fake: FakeBotApi, chat: int) -> list[str]:
    return [s.text for s in fake.messages_to(chat)]


async def _answer(fake: FakeBotApi, chat: int, says: str) -> Sent:
    """The first message to `chat` that says `says`, once it arrives."""
    await fake.wait_for(lambda: any(says in s.text for s in fake.messages_to(chat)))
    return next(s for s in fake.messages_to(chat) if says in s.text)


def test_an_invite_link_registers_once_and_expires(tmp_path: Path) -> None:
    engine = _engine(tmp_path, invite_days=1)
    store = engine.store

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, _cfg()):
            fake.send_text("/invite member", user_id=ADMIN)
            made = await _answer(fake, ADMIN, "초대 링크를 만들었습니다")
            [link] = re.findall(r"https://t\.me/thisbot\?start=[A-Za-z0-9_-]+", made.text)
            token = link.split("start=")[1]
            fake.send_text(f"/start {token}", user_id=NEWCOMER, first_name="홍길동")   # what opening the link sends
            await _answer(fake, NEWCOMER, "구성원(으)로 등록되었습니다")
            fake.send_text("국가혁신클러스터 2단계 지방비는?", user_id=NEWCOMER)
            await _answer(fake, NEWCOMER, "506억원")
            fake.send_text(f"/start {token}", user_id=LATECOMER)
            refused = await _answer(fake, LATECOMER, "이미 사용된 초대 링크")
            assert "아무것도 바꾸지 않았습니다" in refused.text
            fake.send_text("국가혁신클러스터 2단계 지방비는?", user_id=LATECOMER)
            denied = await _answer(fake, LATECOMER, "등록된 TF 구성원만")
            assert "506억원" not in denied.text
            fake.send_text("/invite coordinator", user_id=ADMIN)
            await fake.wait_for(lambda: len([t for t in _texts(fake, ADMIN) if "초대 링크를 만들었습니다" in t]) == 2)
            second = [t for t in _texts(fake, ADMIN) if "초대 링크를 만들었습니다" in t][1]
            [late] = re.findall(r"start=([A-Za-z0-9_-]+)", second)
            two_days = int(time.time()) + 2 * 86400   # the message's own date: opened after the day it was valid
            fake.inject_update(fake.message_update(f"/start {late}", user_id=LATECOMER, date=two_days))
            await _answer(fake, LATECOMER, "만료된 초대 링크")

    e2e(check)
    assert store.user(NEWCOMER)["role"] == "member" and store.user(NEWCOMER)["name"] == "홍길동"
    assert store.user(LATECOMER) is None


def test_members_cannot_invite_or_revoke(tmp_path: Path) -> None:
    engine = _engine(tmp_path)

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, _cfg()):
            fake.send_text("/invite member", user_id=MEMBER)
            await _answer(fake, MEMBER, "관리자 권한이 필요합니다")
            fake.send_text(f"/revoke {COORDINATOR}", user_id=MEMBER)
            await fake.wait_for(lambda: len(fake.messages_to(MEMBER)) == 2)
            assert all("관리자 권한이 필요합니다" in t for t in _texts(fake, MEMBER))

    e2e(check)
    assert engine.store.count("invites") == 0 and engine.store.user(COORDINATOR) is not None


def test_a_revoked_users_old_button_does_nothing(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    store = engine.store

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, _cfg()):
            fake.send_text("/log 그린에너지 캠퍼스 40% 기본설계", user_id=COORDINATOR)
            asked = await _answer(fake, COORDINATOR, "어느 과제")
            fake.send_text(f"/revoke {COORDINATOR}", user_id=ADMIN)
            done = await _answer(fake, ADMIN, "역할을 회수했습니다")
            assert "선택지 1개를 닫았습니다" in done.text
            labels = [b["text"] for b in asked.buttons]
            fake.press(asked, labels.index("그린에너지 캠퍼스 구축"), user_id=COORDINATOR)
            await fake.wait_for(lambda: any(e.message_id == asked.message_id for e in fake.edits))
            assert [e.text for e in fake.edits if e.message_id == asked.message_id] == [EXPIRED]
            fake.send_text("/log 에너지밸리 조성 40% 착수", user_id=COORDINATOR)
            await _answer(fake, COORDINATOR, "등록된 TF 구성원만")

    e2e(check)
    assert store.count("progress") == 0 and store.user(COORDINATOR) is None


def test_iam_is_confirmed_by_an_admin_and_the_user_is_told(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    store = engine.store

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, _cfg()):
            fake.send_text("/help", user_id=ADMIN)   # the admin has a private chat with the bot
            await fake.wait_for_messages(1)
            fake.send_text("/iam 정병찬", user_id=MEMBER)
            await _answer(fake, MEMBER, "연결을 요청했습니다")
            notice = await _answer(fake, ADMIN, "🔗 연결 요청")
            assert [b["text"] for b in notice.buttons] == ["확인", "거절"] and "이멤버" in notice.text
            fake.press(notice, 0, user_id=ADMIN)
            await fake.wait_for(lambda: any("확인했습니다" in e.text for e in fake.edits))
            told = await _answer(fake, MEMBER, "관리자가 연결을 확인했습니다")
            assert "정병찬" in told.text
            fake.send_text("/iam", user_id=MEMBER)
            await _answer(fake, MEMBER, "연결: 나 = 정병찬")

    e2e(check)
    assert store.link_of(MEMBER)["state"] == "confirmed" and store.link_of(MEMBER)["confirmed_by"] == ADMIN


def test_answers_go_to_the_forum_topic_asked_from_and_nowhere_else(tmp_path: Path) -> None:
    engine = _engine(tmp_path)

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, _cfg()):
            fake.send_text(BUDGET_QUESTION, user_id=MEMBER, chat_id=GROUP, chat_type="supergroup", forum=True,
                           topic=TOPIC)
            [in_topic] = await fake.wait_for_messages(1)
            assert in_topic.chat_id == GROUP and in_topic.thread_id == TOPIC and "506억원" in in_topic.text
            fake.send_text(BUDGET_QUESTION, user_id=MEMBER, chat_id=GROUP, chat_type="supergroup", forum=True)
            [_, general] = await fake.wait_for_messages(2)   # the General topic: no thread id
            assert general.chat_id == GROUP and general.thread_id is None and "506억원" in general.text
            fake.send_text(BUDGET_QUESTION, user_id=MEMBER, chat_id=-100600, chat_type="supergroup", thread=77)
            [*_, replied] = await fake.wait_for_messages(3)   # an ordinary reply thread is not a topic
            assert replied.chat_id == -100600 and replied.thread_id is None and "506억원" in replied.text
            fake.send_text("@thisbot 그린에너지 캠퍼스", user_id=MEMBER, chat_id=GROUP, chat_type="supergroup",
                           forum=True, topic=TOPIC)
            [*_, question] = await fake.wait_for_messages(4)
            assert question.thread_id == TOPIC and question.buttons
            fake.press(question, 0, user_id=MEMBER)   # answered in place, in the topic
            await fake.wait_for(lambda: len(fake.edits) == 1)
            assert fake.edits[0].message_id == question.message_id
            await quiet(fake)
            assert all(s.thread_id in (TOPIC, None) for s in fake.sent)

    e2e(check)


def test_bind_in_a_topic_sends_reminders_and_the_digest_there(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    store = engine.store
    cfg = _cfg()
    now = datetime.now(cfg.tz)
    start = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
    lead = 4   # the reminder falls due this long after the bot starts
    cfg.reminder_offsets = [f"{int((start - now).total_seconds()) - lead}s"]
    service = ReminderService(store, engine.policy, cfg, watch_seconds=0.2)

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg, background=[service]):
            fake.send_text("/bind@thisbot", user_id=ADMIN, chat_id=GROUP, chat_type="supergroup", forum=True,
                           topic=TOPIC)
            bound = await _answer(fake, GROUP, "이 주제(토픽)를")
            assert bound.thread_id == TOPIC
            store.add_meeting(COORDINATOR, now.isoformat(), "토픽 점검회의", start.isoformat(), None, None, None)
            reminder = await _answer(fake, GROUP, "⏰ 회의 알림")
            assert reminder.thread_id == TOPIC and "토픽 점검회의" in reminder.text
            await service.send_digest()
            digest = await _answer(fake, GROUP, "TF 주간 요약")
            assert digest.thread_id == TOPIC
            fake.topics.discard((GROUP, TOPIC))   # the topic was deleted: the digest goes to the General topic
            await service.send_digest()
            await fake.wait_for(lambda: len([t for t in _texts(fake, GROUP) if "TF 주간 요약" in t]) == 2)
            assert [s.thread_id for s in fake.messages_to(GROUP) if "TF 주간 요약" in s.text] == [TOPIC, None]
            fake.send_text("/bind@thisbot", user_id=ADMIN, chat_id=GROUP, chat_type="supergroup", forum=True)
            await _answer(fake, GROUP, "이 그룹을")
            await service.send_digest()
            await fake.wait_for(lambda: len([t for t in _texts(fake, GROUP) if "TF 주간 요약" in t]) == 3)
            assert fake.messages_to(GROUP)[-1].thread_id is None

    e2e(check, timeout=40)
    assert store.bound_topic(GROUP) is None
