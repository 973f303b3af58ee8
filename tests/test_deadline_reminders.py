"""Deadline reminders: owners reminded before a due date and nudged after it, once each across restarts (claimed
→ sent → confirmed), new ones when the due date changes, none for an away owner, quiet hours deferring (never
dropping) them, the digest listing what is due, and the reminder service sending them across a restart."""

import asyncio
import logging
import os
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.config import Config, load_config
from bot.reminder_service import ReminderService
from bot.scheduler import apply_plan, schedule_digest
from intents.dates.deadlines import OVERDUE, DeadlineDue, Deadlines, action_item, task_item
from intents.dates.quiet import Quiet
from intents.dates.reminders import digest, nudges
from intents.message import Reply
from intents.writes.access import Policy
from store import Store
from tests.conftest import SEOUL
from tests.test_reminder_service import Outbox, _serve, _until

OWNER, OTHER, COORD = 4, 5, 2
TASK = "d000-task-daegu"   # 그린에너지 캠퍼스 구축, led by 가스공사
DUE = date(2026, 12, 4)    # a Friday
AT = time(9)
NOBODY_QUIET = Quiet(None, None, weekends=False, holidays=False)


@pytest.fixture
def owned(store: Store) -> Store:
    """A store where two users are linked to 가스공사, each with a private chat, and the task is due on DUE."""
    at = "2026-11-01T09:00:00+09:00"
    for user in (OWNER, OTHER):
        store.set_role(None, user, "member", at, f"담당{user}")
        store.request_link(user, at, organisation="d000-org-kogas")
        store.confirm_link(None, user, at)
        store.remember_private_chat(user, 100 + user, at)
    store.set_role(None, COORD, "coordinator", at, "김코디")
    store.set_due(COORD, TASK, DUE.isoformat(), at)
    return store


def _deadlines(store: Store, quiet: Quiet = NOBODY_QUIET, offsets: tuple[int, ...] = (3 * 86400, 86400)) -> Deadlines:
    return Deadlines(store, list(offsets), AT, quiet)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SEOUL)


class Sent:
    """A channel stand-in recording (chat, text)."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    def __call__(self, chat: int, reply: Reply) -> bool:
        self.sent.append((chat, reply.text))
        return True


def _start(store: Store, now: datetime, outbox: Sent, quiet: Quiet = NOBODY_QUIET) -> None:
    """A (re)started bot at `now`: a fresh planner sends what fell due while it was down."""
    for due in _deadlines(store, quiet).plan(now).overdue:
        _deadlines(store, quiet).deliver(due, now, outbox)


def test_plan_reminds_before_and_nudges_after_the_due_date(owned: Store) -> None:
    plan = _deadlines(owned).plan(_at(DUE - timedelta(days=4), 10))
    assert [(d.offset_seconds, d.at) for d in plan.future] == [
        (3 * 86400, _at(date(2026, 12, 1), 9)), (86400, _at(date(2026, 12, 3), 9)),
        (OVERDUE, _at(date(2026, 12, 5), 9))]
    assert plan.overdue == [] and plan.skipped == []
    assert all(d.item == task_item(TASK) and d.job_id.startswith("deadline:task:") for d in plan.future)


def test_due_soon_and_overdue_reach_each_owner_once_across_restarts(owned: Store) -> None:
    outbox = Sent()
    _start(owned, _at(date(2026, 11, 30), 10), outbox)   # before any reminder
    assert outbox.sent == []
    _start(owned, _at(date(2026, 12, 1), 9, 30), outbox)   # the 3-day reminder fell due while down
    assert sorted(chat for chat, _ in outbox.sent) == [104, 105]
    assert all("⏰ 과제 기한 알림 (3일 전)" in t and "그린에너지 캠퍼스 구축" in t and "2026년 12월 4일(금)" in t
               for _, t in outbox.sent)
    _start(owned, _at(date(2026, 12, 1), 9, 40), outbox)   # restarted again: nothing twice
    assert len(outbox.sent) == 2
    _start(owned, _at(date(2026, 12, 5), 9, 5), outbox)   # the overdue nudge (and the 1-day one is late: skipped)
    assert len(outbox.sent) == 4 and sum("🔔 과제 기한 지남 (1일 지남)" in t for _, t in outbox.sent) == 2
    _start(owned, _at(date(2026, 12, 6), 10), outbox)
    assert len(outbox.sent) == 4
    assert {(r["offset_seconds"], r["state"]) for r in owned.deadline_reminder_records() if r["state"] == "sent"} == {
        (3 * 86400, "sent"), (OVERDUE, "sent")}


def test_a_reminder_counts_as_sent_only_once_confirmed(owned: Store) -> None:
    now = _at(date(2026, 12, 3), 9, 1)
    [due] = [d for d in _deadlines(owned).plan(now).overdue if d.offset_seconds == 86400]
    first, second = _deadlines(owned).outgoing(due, now)
    assert _deadlines(owned).claim(first, now) == 1   # and the process dies before Telegram answers
    restarted = Sent()
    assert sorted(_deadlines(owned).deliver(due, now + timedelta(minutes=1), restarted)) == [OWNER, OTHER]
    assert [r["attempts"] for r in owned.deadline_reminder_records() if r["user_id"] == first.user] == [2]
    assert _deadlines(owned).outgoing(due, now + timedelta(minutes=2)) == []   # nothing twice
    assert _deadlines(owned).claim(second, now) is None


def test_a_changed_due_date_makes_new_reminders_and_the_old_claims_lapse(owned: Store) -> None:
    now = _at(date(2026, 12, 3), 9, 1)
    [old] = [d for d in _deadlines(owned).plan(now).overdue if d.offset_seconds == 86400]
    _deadlines(owned).deliver(old, now, Sent())
    owned.set_due(COORD, TASK, "2026-12-07", now.isoformat())
    assert _deadlines(owned).outgoing(old, now) == []   # planned for the old date: never sent now
    plan = _deadlines(owned).plan(now)
    assert {d.due for d in plan.future} == {"2026-12-07"}
    assert {d.offset_seconds for d in plan.future} == {3 * 86400, 86400, OVERDUE}


def test_an_away_owner_gets_no_nudge_and_it_is_recorded(owned: Store) -> None:
    owned.set_away(OTHER, date(2026, 12, 10), "2026-11-30T10:00:00+09:00")
    outbox = Sent()
    _start(owned, _at(date(2026, 12, 5), 10), outbox)
    assert [chat for chat, _ in outbox.sent] == [104]
    away = [r for r in owned.deadline_reminder_records() if r["user_id"] == OTHER]
    assert {(r["state"], r["reason"]) for r in away} == {("skipped", "away")}


def test_a_done_task_or_done_action_item_is_not_reminded(owned: Store) -> None:
    now = _at(date(2026, 12, 3), 9, 1)
    owned.add_progress(TASK, COORD, "김코디", now.isoformat(), 100, "완료", "")
    assert all(d.item != task_item(TASK) for d in [*_deadlines(owned).plan(now).overdue,
                                                     *_deadlines(owned).plan(now).future])
    item = owned.add_action(COORD, now.isoformat(), "d000-meet-regional", "user", str(OWNER), "자료 제출", "2026-12-04")
    [due] = [d for d in _deadlines(owned).plan(now).overdue if d.item == action_item(item)]
    [out] = _deadlines(owned).outgoing(due, now)
    assert out.user == OWNER and [b.action for b in out.reply.buttons] == [f"done:{item}"]
    owned.mark_done(OWNER, "담당4", item, now.isoformat())
    assert _deadlines(owned).outgoing(due, now) == []


def test_quiet_hours_defer_and_never_drop() -> None:
    quiet = Quiet()
    friday_night = datetime(2026, 12, 4, 22, 30, tzinfo=SEOUL)
    assert quiet.is_quiet(friday_night) and quiet.next_allowed(friday_night) == datetime(2026, 12, 7, 8, 0,
                                                                                       tzinfo=SEOUL)
    assert quiet.next_allowed(datetime(2026, 12, 24, 23, 0, tzinfo=SEOUL)) == datetime(2026, 12, 28, 8, 0,
                                                                                       tzinfo=SEOUL)   # 성탄절
    assert not quiet.is_quiet(datetime(2026, 12, 3, 12, 0, tzinfo=SEOUL))
    assert Quiet(time(12), time(13), False, False).next_allowed(datetime(2026, 12, 5, 12, 30, tzinfo=SEOUL)) == \
        datetime(2026, 12, 5, 13, 0, tzinfo=SEOUL)


def test_a_reminder_falling_in_quiet_hours_goes_at_the_next_allowed_time(owned: Store) -> None:
    quiet = Quiet()   # nights 21:00-08:00, weekends, holidays
    owned.set_due(COORD, TASK, "2026-12-07", "2026-11-30T10:00:00+09:00")   # a Monday
    plan = _deadlines(owned, quiet).plan(_at(date(2026, 12, 3), 10))
    one_day = next(d for d in plan.future if d.offset_seconds == 86400)
    assert one_day.at == _at(date(2026, 12, 7), 8)   # Sunday 09:00 is quiet: Monday 08:00, still before the end
    # the bot comes back on a Saturday night: what fell due waits for Monday morning, it is not dropped
    late = _deadlines(owned, quiet).plan(_at(date(2026, 12, 5), 22))
    waiting = [d for d in late.future if d.offset_seconds == 3 * 86400]
    assert [d.at for d in waiting] == [_at(date(2026, 12, 7), 8)] and late.overdue == []
    outbox = Sent()
    _start(owned, _at(date(2026, 12, 5), 22), outbox, quiet)
    assert outbox.sent == []
    _start(owned, _at(date(2026, 12, 7), 8, 1), outbox, quiet)
    assert len(outbox.sent) == 2 and all("1일 전" in t for _, t in outbox.sent)   # the latest of the two stands


def test_the_digest_waits_out_quiet_hours_and_lists_due_dates(owned: Store) -> None:
    scheduler = BackgroundScheduler(timezone=SEOUL)
    scheduler.start(paused=True)
    try:
        at = schedule_digest(scheduler, datetime(2026, 11, 27, 12, tzinfo=SEOUL), "mon 07:00", lambda: None, Quiet())
    finally:
        scheduler.shutdown(wait=False)
    assert at == datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL)
    owned.set_due(COORD, "d000-task-busan", "2026-11-20", "2026-11-01T09:00:00+09:00")
    text = digest(owned, Policy(due_soon_days=14), datetime(2026, 11, 30, 9, tzinfo=SEOUL)).text
    soon, late = text.split("기한 임박 (14일 안) 과제·후속조치:")[1].split("기한 지남 과제·후속조치:")
    assert "그린에너지 캠퍼스 구축" in soon and "D-4" in soon and "부산형 청년창업허브" not in soon
    assert "부산형 청년창업허브 조성" in late and "10일 지남" in late


def test_an_away_owner_of_a_stale_task_gets_no_nudge(owned: Store) -> None:
    owned.add_progress(TASK, OWNER, "담당4", "2026-10-01T09:00:00+09:00", 10, "진행", "")
    now = datetime(2026, 11, 30, 9, tzinfo=SEOUL)
    assert [chat for chat, _ in nudges(owned, Policy(), now)] == [104]
    owned.set_away(OWNER, date(2026, 12, 1), now.isoformat())
    assert nudges(owned, Policy(), now) == []


def test_deadline_jobs_are_kept_apart_from_meeting_jobs(owned: Store) -> None:
    scheduler = BackgroundScheduler(timezone=SEOUL)
    scheduler.start(paused=True)
    try:
        plan = _deadlines(owned).plan(_at(date(2026, 11, 30), 10))
        assert apply_plan(scheduler, plan, lambda due: None, "deadline:") == 3
        assert apply_plan(scheduler, plan, lambda due: None, "deadline:") == 0   # unchanged: left alone
        scheduler.add_job(lambda: None, "date", run_date=_at(date(2026, 12, 1), 9), id="remind:m-1:60")
        empty = type(plan)()
        apply_plan(scheduler, empty, lambda due: None, "deadline:")
        assert [j.id for j in scheduler.get_jobs()] == ["remind:m-1:60"]
    finally:
        scheduler.shutdown(wait=False)


# --- the reminder service, restarted --------------------------------------------------------------
def _config(at: time, offsets: list[str]) -> Config:
    cfg = load_config(os.devnull, env={})
    cfg.reminder_offsets = ["60s"]
    cfg.deadline_offsets = offsets
    cfg.deadline_at = at.isoformat(timespec="seconds")
    cfg.quiet_nights, cfg.quiet_weekends, cfg.quiet_holidays = "", False, False
    return cfg


def test_the_service_sends_due_soon_and_overdue_once_across_a_restart(owned: Store, tmp_path: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    now = datetime.now(SEOUL)
    if now.time() > time(23, 59) or now.time() < time(0, 1):
        pytest.skip("too close to midnight for same-day due dates")
    at = (now + timedelta(seconds=4)).time().replace(microsecond=0)
    today = now.date()
    owned.set_due(COORD, TASK, today.isoformat(), now.isoformat())                          # due soon (1 day)
    owned.set_due(COORD, "d000-task-busan", (today - timedelta(days=1)).isoformat(), now.isoformat())   # overdue
    owned.add_task_owner(COORD, "d000-task-busan", "user", str(OWNER), now.isoformat())
    cfg = _config(at, ["1d"])
    # the first run died while sending the due-soon reminder to OWNER: claimed, never confirmed
    [due] = [d for d in Deadlines(owned, [86400], at, NOBODY_QUIET).plan(now).overdue]
    owned.claim_deadline_reminder(due.key(OWNER), now.isoformat())
    first = Outbox()

    async def before_the_nudge() -> None:
        await _until(lambda: len(first.sent) >= 2, 10)
        await asyncio.sleep(0.3)

    with caplog.at_level(logging.INFO, logger="bot.reminder_service"):
        _serve(ReminderService(owned, Policy(), cfg), first, before_the_nudge)   # then stopped (a restart)
    assert sorted(chat for chat, _ in first.sent) == [104, 105]
    assert all("1일 전" in text for _, text in first.sent)
    assert any("claimed but never confirmed" in r.getMessage() for r in caplog.records)
    second = Outbox()

    async def the_nudge() -> None:
        await _until(lambda: bool(second.sent), 15)
        await asyncio.sleep(0.5)

    _serve(ReminderService(owned.reopen(), Policy(), cfg), second, the_nudge)
    assert second.sent == [(104, second.sent[0][1])] and "🔔 과제 기한 지남 (1일 지남)" in second.sent[0][1]
    assert "부산형 청년창업허브 조성" in second.sent[0][1]
    states = {(r["item"], r["offset_seconds"], r["user_id"]): (r["state"], r["attempts"])
              for r in owned.deadline_reminder_records() if r["state"] != "skipped"}
    assert states == {(task_item(TASK), 86400, OWNER): ("sent", 2), (task_item(TASK), 86400, OTHER): ("sent", 1),
                      ("task:d000-task-busan", OVERDUE, OWNER): ("sent", 1)}


def test_a_deadline_due_carries_its_key() -> None:
    due = DeadlineDue("task:t1", "2026-12-04", 86400, _at(DUE, 9), _at(DUE + timedelta(days=1), 0))
    assert due.key(7).params() == ["task:t1", "2026-12-04", 86400, 7] and due.job_id == "deadline:task:t1:86400"
