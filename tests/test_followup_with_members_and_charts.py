"""Due dates and action items beside the members work and the charts: the digest carries who is away, what is due
and the progress picture; a reply to a meeting message in a forum topic hands out an action item there; the digest
with its due dates and captioned picture goes to the topic /bind was sent in; /help lists every command; a person
no contact names is not found when their 할 일 is asked."""

import os
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import Config, load_config
from bot.reminder_service import ReminderService
from intents.dates.reminders import digest
from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW, ask
from tests.fake_bot_api import FakeBotApi, Sent
from tests.test_telegram_e2e import e2e, running

MEMBER, COORDINATOR, ADMIN = 1001, 2001, 3001
GROUP = -100555
TOPIC = 42
PNG = b"\x89PNG\r\n\x1a\n"


def _team(store: Store) -> Engine:
    at = "2026-11-01T09:00:00+09:00"
    store.set_role(None, MEMBER, "member", at, "이멤버")
    store.set_role(None, COORDINATOR, "coordinator", at, "김코디")
    return Engine(store, Policy(admins=frozenset({ADMIN})))


def _cfg() -> Config:
    cfg = load_config(os.devnull, env={"TFBOT_TOKEN": "123:ABC"})
    cfg.quiet_nights, cfg.quiet_weekends, cfg.quiet_holidays = "", False, False
    return cfg


async def _answer(fake: FakeBotApi, chat: int, says: str) -> Sent:
    await fake.wait_for(lambda: any(says in s.text for s in fake.messages_to(chat)))
    return next(s for s in fake.messages_to(chat) if says in s.text)


def test_the_digest_lists_who_is_away_what_is_due_and_sends_the_progress_picture(store: Store) -> None:
    engine = _team(store)
    store.add_progress("d000-task-daegu", COORDINATOR, "김코디", (NOW - timedelta(days=2)).isoformat(), 40, "진행",
                       "설계")
    store.set_due(COORDINATOR, "d000-task-daegu", (NOW.date() + timedelta(days=5)).isoformat(), NOW.isoformat())
    store.set_due(COORDINATOR, "d000-task-busan", (NOW.date() - timedelta(days=3)).isoformat(), NOW.isoformat())
    ask(engine, "/away 12월 24일까지", MEMBER)
    reply = digest(store, Policy(due_soon_days=14), NOW)
    soon, late = reply.text.split("기한 임박 (14일 안) 과제·후속조치:")[1].split("기한 지남 과제·후속조치:")
    assert "그린에너지 캠퍼스 구축" in soon and "D-5" in soon
    assert "부산형 청년창업허브 조성" in late and "3일 지남" in late
    assert "부재 중 (알림을 보내지 않음):\n• 이멤버 — 2026년 12월 24일(목)까지" in reply.text
    assert "📊 진행 현황 그림" in reply.text
    assert [a.kind for a in reply.attachments] == ["photo"] and reply.attachments[0].caption


def test_help_lists_every_command_of_the_members_charts_and_deadlines_work(store: Store) -> None:
    help_text = ask(_team(store), "/help", ADMIN).text
    for command in ("/due", "/action", "/chart", "/iam", "/away", "/invite", "/links", "/revoke", "/bind"):
        assert command in help_text, command


def test_an_action_item_word_with_a_person_no_contact_names_is_not_found(store: Store) -> None:
    engine = _team(store)
    reply = ask(engine, "김철수 할 일", MEMBER)
    assert reply.intent == "unknown" and "'김철수'(이)라는 이름은 자료의 담당자·참석자 명단에 없습니다" in reply.text
    assert ask(engine, "가스공사 할 일", MEMBER).text.startswith("가스공사 담당 후속조치")


def test_a_reply_to_a_meeting_message_in_a_forum_topic_hands_out_an_item_there(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "tf.db")
    engine = _team(store)
    topic = {"chat_id": GROUP, "chat_type": "supergroup", "forum": True, "topic": TOPIC}

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, _cfg()):
            fake.send_text("/meeting@thisbot 12월 3일 오후 2시 권역별 TF회의 (영상)", user_id=COORDINATOR, **topic)
            question = await _answer(fake, GROUP, "권역별 TF회의")
            assert question.thread_id == TOPIC
            fake.press(question, 0, user_id=COORDINATOR)
            await fake.wait_for(lambda: any("등록했습니다" in e.text for e in fake.edits))
            saved = next(e for e in fake.edits if "등록했습니다" in e.text)
            fake.send_text("/action@thisbot 가스공사 캠퍼스 부지 검토", user_id=COORDINATOR,
                           reply_to=fake.bot_message(saved), **topic)
            offer = await _answer(fake, GROUP, "이렇게 기록할까요")
            assert offer.thread_id == TOPIC and "회의: 권역별 TF회의" in offer.text and "담당: 가스공사" in offer.text

    e2e(check)


def test_the_digest_goes_to_the_bound_topic_with_its_due_dates_and_captioned_picture(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "tf.db")
    engine = _team(store)
    cfg = _cfg()
    now = datetime.now(cfg.tz)
    store.add_progress("d000-task-daegu", COORDINATOR, "김코디", (now - timedelta(days=2)).isoformat(), 40, "진행",
                       "설계")
    store.set_due(COORDINATOR, "d000-task-daegu", (now.date() + timedelta(days=5)).isoformat(), now.isoformat())
    service = ReminderService(store, engine.policy, cfg, watch_seconds=0.2)

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg, background=[service]):
            fake.send_text("/bind@thisbot", user_id=ADMIN, chat_id=GROUP, chat_type="supergroup", forum=True,
                           topic=TOPIC)
            await _answer(fake, GROUP, "이 주제(토픽)를")
            await service.send_digest()
            await fake.wait_for(lambda: any(s.method == "sendPhoto" for s in fake.messages_to(GROUP)))
            text = next(s for s in fake.messages_to(GROUP) if "TF 주간 요약" in s.text)
            photo = next(s for s in fake.messages_to(GROUP) if s.method == "sendPhoto")
            assert text.thread_id == TOPIC and photo.thread_id == TOPIC
            assert "기한 임박 (14일 안) 과제·후속조치:" in text.text and "그린에너지 캠퍼스 구축" in text.text
            assert photo.data.startswith(PNG) and photo.text.startswith("협업과제 진행 현황")

    e2e(check)
