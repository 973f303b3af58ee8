"""End to end through the fake Bot API: a reply to the bot's meeting message (its reminder in the group, its
'등록했습니다') hands out an action item; the owner marks it done from a button, with who and when kept; an
owner's deadline reminder arrives in their private chat with its 완료 button."""

import os
from datetime import datetime, time, timedelta
from pathlib import Path

from bot.config import Config, load_config
from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from tests.fake_bot_api import FakeBotApi
from tests.test_telegram_e2e import e2e, running

COORDINATOR, OWNER, ADMIN = 2001, 2002, 3001
GROUP = -100777
LEAD_SECONDS = 4   # the meeting reminder falls due this long after the bot starts


def _team(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "tf.db")
    at = "2026-11-01T09:00:00+09:00"
    store.set_role(None, COORDINATOR, "coordinator", at, "김코디")
    store.set_role(None, OWNER, "member", at, "정병찬")
    store.request_link(OWNER, at, contact="d002-ct-jeongbyeongchan")
    store.confirm_link(ADMIN, OWNER, at)
    store.set_setting(ADMIN, at, "group_chat_id", str(GROUP))
    return store


def _config() -> Config:
    cfg = load_config(os.devnull, env={"TFBOT_TOKEN": "123:ABC"})
    cfg.quiet_nights, cfg.quiet_weekends, cfg.quiet_holidays = "", False, False
    return cfg


def test_a_reply_to_the_meeting_reminder_records_an_item_and_its_owner_marks_it_done(tmp_path: Path) -> None:
    store = _team(tmp_path)
    cfg = _config()
    now = datetime.now(cfg.tz)
    start = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
    cfg.reminder_offsets = [f"{int((start - now).total_seconds()) - LEAD_SECONDS}s"]
    meeting = store.add_meeting(COORDINATOR, now.isoformat(), "권역별 점검회의", start.isoformat(), None, None, None)
    engine = Engine(store, Policy(admins=frozenset({ADMIN})))

    async def check(fake: FakeBotApi) -> None:
        fake.add_chat({"id": OWNER, "type": "private", "first_name": "정병찬"})
        fake.add_chat({"id": GROUP, "type": "supergroup", "title": "TF 단체방"})
        async with running(fake, engine, cfg):
            await fake.wait_for(lambda: any("⏰ 회의 알림" in s.text for s in fake.messages_to(GROUP)),
                                timeout=LEAD_SECONDS + 10)
            reminder = next(s for s in fake.messages_to(GROUP) if "⏰ 회의 알림" in s.text)
            fake.send_text("정병찬 사무관 예산 협의 결과 공유 12월 24일까지", user_id=COORDINATOR, chat_id=GROUP,
                           chat_type="supergroup", reply_to=fake.bot_message(reminder))
            await fake.wait_for(lambda: any("이렇게 기록할까요" in s.text for s in fake.messages_to(GROUP)))
            offer = next(s for s in fake.messages_to(GROUP) if "이렇게 기록할까요" in s.text)
            assert "회의: 권역별 점검회의" in offer.text and "정병찬 사무관(산업통상자원부)" in offer.text
            fake.press(offer, 0, user_id=COORDINATOR)
            await fake.wait_for(lambda: any("후속조치를 기록했습니다" in e.text for e in fake.edits))
            fake.send_text("내 할 일", user_id=OWNER)
            await fake.wait_for(lambda: any(s.buttons for s in fake.messages_to(OWNER)))
            mine = next(s for s in fake.messages_to(OWNER) if s.buttons)
            assert "예산 협의 결과 공유" in mine.text and mine.buttons[0]["text"] == "완료: 예산 협의 결과 공유"
            fake.press(mine, 0, user_id=OWNER, first_name="정병찬")
            await fake.wait_for(lambda: any("완료로 기록했습니다" in str(a.get("text")) for a in fake.callback_answers))

    e2e(check, timeout=40)
    [item] = store.actions_of_meeting(meeting)
    assert (item["owner_kind"], item["owner_id"], item["due"]) == ("contact", "d002-ct-jeongbyeongchan", "2026-12-24")
    assert item["done_by"] == OWNER and item["done_by_name"] == "정병찬" and item["done_at"]


def test_a_reply_to_the_saved_meeting_message_takes_a_command_without_the_meetings_name(tmp_path: Path) -> None:
    store = _team(tmp_path)
    engine = Engine(store, Policy(admins=frozenset({ADMIN})))

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, _config()):
            fake.send_text("/meeting 12월 3일 오후 2시 권역별 TF회의 (영상)", user_id=COORDINATOR)
            [question] = await fake.wait_for_messages(1)
            fake.press(question, 0, user_id=COORDINATOR)
            await fake.wait_for(lambda: any("등록했습니다" in e.text for e in fake.edits))
            saved = next(e for e in fake.edits if "등록했습니다" in e.text)
            fake.send_text("/action 가스공사 캠퍼스 부지 검토", user_id=COORDINATOR,
                           reply_to=fake.bot_message(saved))
            await fake.wait_for(lambda: any("이렇게 기록할까요" in s.text for s in fake.sent))
            offer = next(s for s in fake.sent if "이렇게 기록할까요" in s.text)
            assert "회의: 권역별 TF회의 (2026년 12월 3일" in offer.text and "담당: 가스공사" in offer.text

    e2e(check)


def test_an_owners_deadline_reminder_arrives_with_a_done_button(tmp_path: Path) -> None:
    store = _team(tmp_path)
    cfg = _config()
    now = datetime.now(cfg.tz)
    cfg.deadline_offsets = ["1d"]
    cfg.deadline_at = (now + timedelta(seconds=3)).time().isoformat(timespec="seconds")
    if now.time() > time(23, 59, 50):
        return   # tomorrow's date would be today's: not a test of deadlines
    meeting = store.add_meeting(COORDINATOR, now.isoformat(), "권역별 점검회의", now.isoformat(), None, None, None)
    item = store.add_action(COORDINATOR, now.isoformat(), meeting, "contact", "d002-ct-jeongbyeongchan",
                            "자료 제출", (now.date() + timedelta(days=1)).isoformat())
    store.remember_private_chat(OWNER, OWNER, now.isoformat())
    engine = Engine(store, Policy(admins=frozenset({ADMIN})))

    async def check(fake: FakeBotApi) -> None:
        fake.add_chat({"id": OWNER, "type": "private", "first_name": "정병찬"})
        async with running(fake, engine, cfg):
            await fake.wait_for(lambda: any("후속조치 기한 알림" in s.text for s in fake.messages_to(OWNER)),
                                timeout=10)
            reminder = next(s for s in fake.messages_to(OWNER) if "후속조치 기한 알림" in s.text)
            assert "(1일 전)" in reminder.text and "자료 제출" in reminder.text
            assert [b["text"] for b in reminder.buttons] == ["완료"]
            fake.press(reminder, 0, user_id=OWNER)
            await fake.wait_for(lambda: any("완료로 기록했습니다" in str(a.get("text")) for a in fake.callback_answers))

    e2e(check, timeout=30)
    assert store.action(item)["done_by"] == OWNER
    assert [(r["state"], r["user_id"]) for r in store.deadline_reminder_records()] == [("sent", OWNER)]
