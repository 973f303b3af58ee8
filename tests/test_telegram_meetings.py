"""End to end through the fake Bot API: schedule, confirm, reminder in the group, 참석, attendance."""

import asyncio
import os
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import Config, load_config
from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from tests.fake_bot_api import FakeBotApi
from tests.test_telegram_e2e import e2e, running

MEMBER, COORDINATOR, ADMIN = 1001, 2001, 3001
GROUP = -100777
LEAD_SECONDS = 4   # the reminder falls due this long after the meeting is confirmed


def test_schedule_remind_and_answer_attendance(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "tf.db")
    store.set_role(None, MEMBER, "member", "2026-11-01T09:00:00+09:00", "이멤버")
    store.set_role(None, COORDINATOR, "coordinator", "2026-11-01T09:00:00+09:00", "김코디")
    engine = Engine(store, Policy(admins=frozenset({ADMIN})))
    cfg: Config = load_config(os.devnull, env={"TFBOT_TOKEN": "123:ABC"})
    now = datetime.now(cfg.tz)
    start = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
    cfg.reminder_offsets = [f"{int((start - now).total_seconds()) - LEAD_SECONDS}s"]

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("/bind@thisbot", user_id=ADMIN, chat_id=GROUP, chat_type="supergroup")
            await fake.wait_for(lambda: any("알림" in s.text for s in fake.messages_to(GROUP)))
            fake.send_text(f"/meeting {start:%Y-%m-%d %H:%M} 권역별 점검회의 @ 세종청사", user_id=COORDINATOR)
            await fake.wait_for(lambda: any(s.buttons for s in fake.messages_to(COORDINATOR)))
            question = next(s for s in fake.messages_to(COORDINATOR) if s.buttons)
            assert "이렇게 등록할까요?" in question.text and f"{start:%H:%M}" in question.text
            fake.press(question, 0, user_id=COORDINATOR)
            await fake.wait_for(lambda: any("등록했습니다" in e.text for e in fake.edits))
            await fake.wait_for(lambda: any(s.file and s.file[0].endswith(".ics") for s in fake.sent))
            await fake.wait_for(lambda: any("⏰ 회의 알림" in s.text for s in fake.messages_to(GROUP)),
                                timeout=LEAD_SECONDS + 10)
            reminder = next(s for s in fake.messages_to(GROUP) if "⏰ 회의 알림" in s.text)
            assert "권역별 점검회의" in reminder.text and [b["text"] for b in reminder.buttons] == ["참석", "불참"]
            edits = len(fake.edits)
            fake.press(reminder, 0, user_id=MEMBER)   # each person answers for themselves; the reminder stays
            fake.press(reminder, 1, user_id=COORDINATOR)
            await fake.wait_for(lambda: len(fake.callback_answers) >= 3)
            notices = [str(a.get("text")) for a in fake.callback_answers[-2:]]
            assert any("참석으로 기록했습니다" in n for n in notices) and any("불참으로" in n for n in notices)
            assert len(fake.edits) == edits, "the group's reminder keeps its buttons for the others"
            fake.send_text("권역별 점검회의 참석자", user_id=MEMBER)
            await fake.wait_for(lambda: any("참석 1명" in s.text and "불참 1명" in s.text
                                            for s in fake.messages_to(MEMBER)))
            await asyncio.sleep(0.5)
            reminders = [s.chat_id for s in fake.sent if "⏰ 회의 알림" in s.text]
            assert sorted(reminders) == sorted([GROUP, COORDINATOR]), "once to the group, once to the organiser"
            fake.send_text("/cancel 권역별 점검회의", user_id=COORDINATOR)
            await fake.wait_for(lambda: any("취소할까요" in s.text for s in fake.messages_to(COORDINATOR)))
            confirm = next(s for s in fake.messages_to(COORDINATOR) if "취소할까요" in s.text)
            fake.press(confirm, 0, user_id=COORDINATOR)
            await fake.wait_for(lambda: any("❌ 회의 취소" in s.text for s in fake.messages_to(GROUP)))

    e2e(check, timeout=40)
    assert store.count("reminders_sent") == 2


def test_log_then_meeting_then_the_old_log_button_across_a_restart(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "tf.db")
    store.set_role(None, COORDINATOR, "coordinator", "2026-11-01T09:00:00+09:00", "김코디")
    cfg: Config = load_config(os.devnull, env={"TFBOT_TOKEN": "123:ABC"})

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, Engine(store, Policy()), cfg):
            fake.send_text("/log 그린에너지 캠퍼스 40% 기본설계", user_id=COORDINATOR)
            [log] = await fake.wait_for_messages(1)
            fake.send_text("/meeting 12월 3일 오후 2시 권역별 TF회의", user_id=COORDINATOR)
            [_, meeting] = await fake.wait_for_messages(2)
            assert "어느 과제" in log.text and "이렇게 등록할까요?" in meeting.text
        async with running(fake, Engine(store.reopen(), Policy()), cfg):   # a new process, the same database
            labels = [b["text"] for b in log.buttons]
            fake.press(log, labels.index("그린에너지 캠퍼스 구축"), user_id=COORDINATOR)
            await fake.wait_for(lambda: any("기록했습니다" in e.text for e in fake.edits))
            fake.press(meeting, 0, user_id=COORDINATOR)
            await fake.wait_for(lambda: any("등록했습니다" in e.text for e in fake.edits))
            assert [e.message_id for e in fake.edits] == [log.message_id, meeting.message_id]

    e2e(check)
    assert store.latest_progress("d000-task-daegu")["percent"] == 40
    assert [m["title"] for m in store.scheduled_meetings("2026-01-01")] == ["권역별 TF회의"]
