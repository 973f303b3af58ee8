"""The reminder service: start-up after a crash, writes by another process, retries, one send in flight,
store work off the event loop, and no import between the Telegram adapter and the reminders."""

import asyncio
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.reminder_service import ReminderService
from bot.store_worker import StoreWorker
from intents.dates.reminders import Due
from intents.engine import Engine
from intents.message import Reply
from intents.writes.access import Policy
from store import Store
from store.reminders import ReminderKey
from tests.conftest import SEOUL
from tests.fake_bot_api import FakeBotApi
from tests.test_telegram_e2e import e2e, running

ROOT = Path(__file__).resolve().parent.parent
ORGANISER, ATTENDEE, MEMBER = 2001, 2002, 1001


class Outbox:
    """A Sender that records what it sends; chats in `refuse` fail (their first `refuse_times` sends)."""

    def __init__(self, refuse: tuple[int, ...] = (), refuse_times: int = 1, pause: float = 0.0) -> None:
        self.sent: list[tuple[int, str]] = []
        self.refuse, self.refusals, self.pause = refuse, {chat: refuse_times for chat in refuse}, pause
        self.in_flight = self.most_in_flight = 0

    async def send(self, chat: int, reply: Reply) -> bool:
        """Record the send after `pause` seconds; False while this chat is refused."""
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.pause)
            if self.refusals.get(chat, 0) > 0:
                self.refusals[chat] -= 1
                return False
            self.sent.append((chat, reply.text))
            return True
        finally:
            self.in_flight -= 1

    def reminders(self) -> list[tuple[int, str]]:
        """(chat, meeting title) of each reminder sent."""
        return [(chat, text.split("[", 1)[1].split("]", 1)[0]) for chat, text in self.sent if "⏰ 회의 알림" in text]


def _config(tmp_path: Path, *offsets: str) -> Config:
    cfg = load_config(os.devnull, env={})
    cfg.reminder_offsets = list(offsets)
    return cfg


def _store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "tf.db")
    now = datetime.now(SEOUL).isoformat()
    for user in (ORGANISER, ATTENDEE, MEMBER):
        store.remember_private_chat(user, user, now)
    return store


def _meeting(store: Store, title: str, start: datetime, attendee: bool = True) -> str:
    now = datetime.now(SEOUL).isoformat()
    meeting = store.add_meeting(ORGANISER, now, title, start.isoformat(), None, None, None)
    if attendee:
        store.respond(meeting, ATTENDEE, "참석자", "참석", now)
    return meeting


def _soon(seconds: float) -> datetime:
    return (datetime.now(SEOUL) + timedelta(seconds=seconds)).replace(microsecond=0)


async def _until(predicate: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.05)


def _serve(service: ReminderService, outbox: Outbox, test: Callable[[], Awaitable[None]]) -> None:
    async def main() -> None:
        await service.start(outbox)
        try:
            await asyncio.wait_for(test(), 30)
        finally:
            await service.stop()

    asyncio.run(main())


def test_start_up_resends_an_unconfirmed_claim_and_nothing_confirmed(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    store = _store(tmp_path)
    start = _soon(30)
    meeting = _meeting(store, "권역별 TF회의", start)
    at = datetime.now(SEOUL).isoformat()
    assert store.claim_reminder(ReminderKey(meeting, start.isoformat(), 60, ORGANISER), at) == 1   # then killed
    store.confirm_reminder(ReminderKey(meeting, start.isoformat(), 60, ATTENDEE), at)
    outbox = Outbox()
    service = ReminderService(store, Policy(), _config(tmp_path, "60s"))

    async def check() -> None:
        await _until(lambda: bool(outbox.sent), 10)
        await asyncio.sleep(0.3)

    with caplog.at_level(logging.INFO, logger="bot.reminder_service"):
        _serve(service, outbox, check)
    assert outbox.reminders() == [(ORGANISER, "권역별 TF회의")]
    assert {r["chat_id"]: (r["state"], r["attempts"]) for r in store.reminder_records()} == {
        ORGANISER: ("sent", 2), ATTENDEE: ("sent", 1)}
    assert any("claimed but never confirmed" in r.getMessage() for r in caplog.records)


def test_a_meeting_moved_or_cancelled_while_down_is_honoured_at_start_up(tmp_path: Path) -> None:
    store = _store(tmp_path)
    old, new = _soon(20), _soon(40)
    moved = _meeting(store, "옮긴 회의", old)
    cancelled = _meeting(store, "취소한 회의", old)
    at = datetime.now(SEOUL).isoformat()
    for chat in (ORGANISER, ATTENDEE):
        store.confirm_reminder(ReminderKey(moved, old.isoformat(), 60, chat), at)   # reminded for the old time
    store.claim_reminder(ReminderKey(cancelled, old.isoformat(), 60, ORGANISER), at)   # then killed
    store.update_meeting(ORGANISER, at, moved, start=new.isoformat())                   # while the bot is down
    store.cancel_meeting(ORGANISER, at, cancelled)
    outbox = Outbox()

    async def check() -> None:
        await _until(lambda: len(outbox.sent) >= 2, 10)
        await asyncio.sleep(0.5)

    _serve(ReminderService(store, Policy(), _config(tmp_path, "60s")), outbox, check)
    assert sorted(outbox.reminders()) == [(ORGANISER, "옮긴 회의"), (ATTENDEE, "옮긴 회의")]
    assert all(f"{new:%H:%M}" in text for _, text in outbox.sent)


def test_a_meeting_written_by_another_process_is_reminded_and_its_cancellation_announced(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.set_setting(None, datetime.now(SEOUL).isoformat(), "group_chat_id", "-100777")
    outbox = Outbox()
    service = ReminderService(store, Policy(), _config(tmp_path, "3s"))
    path = tmp_path / "tf.db"

    def other_process(code: str) -> None:
        subprocess.run([sys.executable, "-c", f"from store import Store; s = Store.open({str(path)!r}); {code}"],
                       cwd=ROOT, check=True, timeout=60)

    async def check() -> None:
        start, later = _soon(6), _soon(60)
        await asyncio.to_thread(other_process, f"s.add_meeting({ORGANISER}, '{start.isoformat()}', '외부 회의', "
                                               f"'{start.isoformat()}', None, None, None)")
        await asyncio.to_thread(other_process, f"print(s.add_meeting({ORGANISER}, '{start.isoformat()}', "
                                               f"'취소될 회의', '{later.isoformat()}', None, None, None))")
        await _until(lambda: sorted(outbox.reminders()) == [(-100777, "외부 회의"), (ORGANISER, "외부 회의")], 12)
        assert service.scheduler is not None
        [doomed] = [j.args[0].meeting_id for j in service.scheduler.get_jobs() if j.id.startswith("remind:")]
        await asyncio.to_thread(other_process, f"s.cancel_meeting(None, '{start.isoformat()}', '{doomed}')")
        await _until(lambda: sum("❌ 회의 취소: [취소될 회의]" in t for _, t in outbox.sent) == 2, 10)
        assert [j for j in service.scheduler.get_jobs() if j.id.startswith("remind:")] == []

    _serve(service, outbox, check)


def test_a_failed_send_is_released_and_sent_by_the_periodic_sync(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _meeting(store, "재시도 회의", _soon(30), attendee=False)
    outbox = Outbox(refuse=(ORGANISER,))
    service = ReminderService(store, Policy(), _config(tmp_path, "60s"), sync_seconds=1.0)

    async def check() -> None:
        await _until(lambda: outbox.refusals[ORGANISER] == 0, 10)
        assert store.reminder_records() == []   # released, not left claimed
        await _until(lambda: bool(outbox.sent), 10)

    _serve(service, outbox, check)
    assert outbox.reminders() == [(ORGANISER, "재시도 회의")]
    assert [r["state"] for r in store.reminder_records()] == ["sent"]


def test_one_reminder_is_in_flight_at_a_time(tmp_path: Path) -> None:
    store = _store(tmp_path)
    for i in range(4):
        _meeting(store, f"동시 회의 {i}", _soon(30 + i))
    outbox = Outbox(pause=0.05)

    async def check() -> None:
        await _until(lambda: len(outbox.sent) == 8, 10)

    _serve(ReminderService(store, Policy(), _config(tmp_path, "60s")), outbox, check)
    assert outbox.most_in_flight == 1


def test_store_work_runs_on_its_own_thread_and_connection(tmp_path: Path) -> None:
    store = _store(tmp_path)

    async def check() -> None:
        worker = StoreWorker(store.reopen, "test-worker")
        try:
            thread, connection = await worker.run(lambda s: (threading.get_ident(), s.db.conn))
            assert thread != threading.get_ident() and connection is not store.db.conn
            assert await worker.run(lambda s: s.count("meetings")) == store.count("meetings")
        finally:
            await worker.close()

    asyncio.run(check())


def test_a_reminder_waiting_for_the_database_does_not_hold_up_answers(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.set_role(None, MEMBER, "member", "2026-11-01T09:00:00+09:00", "이멤버")
    start = _soon(7)
    _meeting(store, "잠긴 회의", start, attendee=False)
    cfg = _config(tmp_path, "4s")
    cfg.token = "123:ABC"
    engine = Engine(store, Policy())

    async def check(fake: FakeBotApi) -> None:
        fake.add_chat({"id": ORGANISER, "type": "private", "first_name": "주최자"})
        async with running(fake, engine, cfg):
            fake.send_text("지역사업평가단", user_id=MEMBER)   # the engine's first answer loads its analyser
            await fake.wait_for(lambda: bool(fake.messages_to(MEMBER)))
            writer = sqlite3.connect(tmp_path / "tf.db", isolation_level=None)   # another process's long write
            writer.execute("BEGIN IMMEDIATE")
            try:
                await asyncio.sleep(max(0.0, (start - timedelta(seconds=4) - datetime.now(SEOUL)).total_seconds())
                                    + 0.5)   # the reminder is due and waits for the database
                asked = time.monotonic()
                fake.send_text("부산 지역사업평가단 전화번호", user_id=MEMBER)
                await fake.wait_for(lambda: any("315-9263" in s.text for s in fake.messages_to(MEMBER)))
                answered = time.monotonic() - asked
                assert fake.messages_to(ORGANISER) == []
            finally:
                writer.rollback()
                writer.close()
            await fake.wait_for(lambda: any("잠긴 회의" in s.text for s in fake.messages_to(ORGANISER)), timeout=10)
        assert answered < 1.0

    e2e(check, timeout=40)


@pytest.mark.parametrize(("module", "absent"), [
    ("bot.reminder_service", ("bot.telegram", "telegram")),
    ("bot.telegram", ("bot.reminder_service",)),
])
def test_the_telegram_adapter_and_the_reminders_do_not_import_each_other(module: str, absent: tuple[str, ...]) -> None:
    code = f"import sys, {module}; print(','.join(m for m in {absent!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=True)
    assert done.stdout.strip() == ""


def test_a_reminders_due_identifies_its_meeting_start() -> None:
    start = datetime(2026, 12, 3, 14, tzinfo=SEOUL)
    due = Due("m-1", 3600, start - timedelta(hours=1), start.isoformat())
    assert due.begins == start and due.key(5) == ReminderKey("m-1", start.isoformat(), 3600, 5)
