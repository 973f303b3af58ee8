"""Meeting reminders, deadline reminders, cancellation notices, the weekly digest and nudges, sent through any
channel's Sender.

Delivery is at least once: a reminder is claimed in the database before it is sent and confirmed by one small
statement right after the channel accepted it; a failed send releases the claim; a claim left unconfirmed
by a crash is sent again at start-up (and by the periodic sync) if the meeting has not begun. One reminder is
in flight at a time, so a crash can repeat at most that one. Deadline reminders (intents/dates/deadlines.py)
go the same way, one at a time with the meetings', to the owners' private chats; they, the nudges and the digest
wait out quiet hours.

Store work runs on worker threads with connections of their own (bot/store_worker.py), never under a lock
the event loop takes; confirmations have a thread to themselves so that nothing is queued ahead of them.
The plan is rebuilt from the database at start-up, whenever the database changes (a write by this process,
the CLI or an import) and every SYNC_SECONDS.
"""

import asyncio
import logging
import time
from collections.abc import Coroutine, Sequence
from datetime import datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Config
from bot.scheduler import apply_plan, held, log_skips, schedule_digest
from bot.sender import Sender
from bot.store_worker import StoreWorker
from intents.dates.deadlines import PREFIX as DEADLINE_PREFIX
from intents.dates.deadlines import DeadlineDue, DeadlineOutgoing, DeadlinePlan, Deadlines
from intents.dates.reminders import (
    Due,
    Outgoing,
    Plan,
    Reminders,
    digest,
    extend_window,
    nudges,
    parse_offset,
    window_stale,
)
from intents.message import Reply
from intents.writes.access import Policy
from store import Store
from store.meetings import GROUP_KEY

log = logging.getLogger(__name__)
SYNC_SECONDS = 60.0   # a full re-plan: resends unconfirmed claims and failed sends
WATCH_SECONDS = 1.0   # how often the database is checked for a write by anyone
LATE_SECONDS = 60     # a reminder sent this long after it fell due is logged as late
STOP_SECONDS = 5.0    # at shutdown, how long a send in flight may take to finish
AnyDue = Due | DeadlineDue
AnyOutgoing = Outgoing | DeadlineOutgoing
SKIP_BATCH = 200      # reminders of meetings that began, recorded as skipped per call on the worker
WINDOW_JOB = "occurrence-window"   # the daily job that extends recurring meetings' rolling window


class ReminderService:
    """Keeps reminder jobs in step with the database and sends what falls due through a Sender."""

    def __init__(self, store: Store, policy: Policy, cfg: Config, *, sync_seconds: float = SYNC_SECONDS,
                 watch_seconds: float = WATCH_SECONDS) -> None:
        self.cfg, self.policy = cfg, policy
        self.offsets = [parse_offset(o) for o in cfg.reminder_offsets]
        self.deadline_offsets = [parse_offset(o) for o in cfg.deadline_offsets]
        self.quiet = cfg.quiet
        self.sync_seconds, self.watch_seconds = sync_seconds, watch_seconds
        self.work = StoreWorker(store.reopen, "tfbot-reminders")         # plans, compositions, the digest
        self.records = StoreWorker(store.reopen, "tfbot-reminder-log")   # claims and confirmations only
        self.occurrences = StoreWorker(store.reopen, "tfbot-occurrences")  # the daily window: seconds for many
        self.scheduler: AsyncIOScheduler | None = None
        self.sender: Sender | None = None
        self._sending = asyncio.Lock()    # one reminder in flight at a time
        self._known: set[AnyDue] = set()     # reminders of the last plan not yet begun
        self._held: set[Due] = set()      # meeting reminders of the plan that have had a job (run by it, or to be)
        self._upcoming: set[str] | None = None
        self._skipped: set[AnyDue] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._watcher: asyncio.Task[None] | None = None

    def now(self) -> datetime:
        """The current time in the configured timezone."""
        return datetime.now(self.cfg.tz)

    def _reminders(self, store: Store) -> Reminders:
        return Reminders(store, self.offsets)

    def _deadlines(self, store: Store) -> Deadlines:
        return Deadlines(store, self.deadline_offsets, self.cfg.deadline_time, self.quiet)

    # --- one reminder, of either kind ----------------------------------------------------------------
    def _outgoing(self, store: Store, due: AnyDue, now: datetime) -> Sequence[AnyOutgoing]:
        if isinstance(due, DeadlineDue):
            return self._deadlines(store).outgoing(due, now)
        return self._reminders(store).outgoing(due, now)

    def _claim(self, store: Store, out: AnyOutgoing, now: datetime) -> int | None:
        if isinstance(out, DeadlineOutgoing):
            return self._deadlines(store).claim(out, now)
        return self._reminders(store).claim(out, now)

    def _confirm(self, store: Store, out: AnyOutgoing, now: datetime) -> None:
        if isinstance(out, DeadlineOutgoing):
            self._deadlines(store).confirm(out, now)
        else:
            self._reminders(store).confirm(out, now)

    def _release(self, store: Store, out: AnyOutgoing) -> None:
        if isinstance(out, DeadlineOutgoing):
            self._deadlines(store).release(out)
        else:
            self._reminders(store).release(out)

    def _skipping(self, store: Store, due: AnyDue, now: datetime) -> list[int]:
        if isinstance(due, DeadlineDue):
            return self._deadlines(store).skip(due, now)
        return self._reminders(store).skip(due, now)

    @staticmethod
    def _closes(due: AnyDue) -> datetime:
        """From when a reminder no longer goes: its meeting began, or its due date passed."""
        return due.closes if isinstance(due, DeadlineDue) else due.begins

    # --- life cycle ------------------------------------------------------------------------------
    async def start(self, sender: Sender) -> None:
        """Plan every reminder from the database (sending what fell due while down), then keep watching."""
        self.sender = sender
        self.scheduler = AsyncIOScheduler(timezone=self.cfg.tz)
        self.scheduler.start()
        version = await self.work.run(lambda store: store.data_version())
        await self.sync(full=True)
        schedule_digest(self.scheduler, self.now(), self.cfg.digest, self.send_digest, self.quiet)
        self.scheduler.add_job(self._extend_job, "interval", days=1, id=WINDOW_JOB, replace_existing=True,
                               misfire_grace_time=None, coalesce=True)
        self._spawn(self.extend_window(only_if_stale=True))   # after a stop of more than a day; re-planned after
        self._watcher = asyncio.create_task(self._watch(version))

    async def stop(self) -> None:
        """Stop watching and scheduling; a send in flight may finish (else it is resent at the next start)."""
        if self._watcher is not None:
            self._watcher.cancel()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=STOP_SECONDS)
        for task in list(self._tasks):
            task.cancel()
        await self.work.close()
        await self.records.close()
        await self.occurrences.close()

    async def _watch(self, version: int) -> None:
        """Re-plan when anyone wrote to the database, and fully every sync_seconds."""
        last_full = time.monotonic()
        while True:
            await asyncio.sleep(self.watch_seconds)
            try:
                current = await self.work.run(lambda store: store.data_version())
                full = time.monotonic() - last_full >= self.sync_seconds
                if full or current != version:
                    version = current
                    await self.sync(full=full)
                    if full:
                        last_full = time.monotonic()
            except Exception:
                log.exception("re-planning reminders failed; trying again in %s s", self.watch_seconds)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a reminder task failed", exc_info=task.exception())

    # --- planning --------------------------------------------------------------------------------
    async def sync(self, *, full: bool = True) -> None:
        """Make the jobs match the database; send what is due and new (full: everything due not yet sent)."""
        assert self.scheduler is not None
        now = self.now()
        plans: tuple[Plan, DeadlinePlan] = await self.work.run(
            lambda store: (self._reminders(store).plan(now), self._deadlines(store).plan(now)))
        plan, deadlines = plans
        apply_plan(self.scheduler, plan, self._fire_job)
        apply_plan(self.scheduler, deadlines, self._fire_job, DEADLINE_PREFIX)
        # a meeting reminder due and never held by a job: new, or a recurring meeting's later reminder whose turn
        # for the series' job had not come; a deadline reminder due and not in the last plan (full: every one
        # due, in case a send failed)
        meetings_now = plan.overdue if full else [due for due in plan.overdue if due not in self._held]
        deadlines_now = deadlines.overdue if full else [due for due in deadlines.overdue if due not in self._known]
        self._known = {*plan.future, *plan.overdue, *deadlines.future, *deadlines.overdue}
        self._held = (self._held & {*plan.future, *plan.overdue}) | held(self.scheduler)
        due_now: list[AnyDue] = [*meetings_now, *deadlines_now]
        for due in due_now:
            self._spawn(self.fire(due))
        skipped: list[AnyDue] = [*plan.skipped, *deadlines.skipped]
        self._skipped &= set(skipped)   # only those still within the plan's look-back are remembered
        unrecorded = [due for due in skipped if due not in self._skipped]
        for first in range(0, len(unrecorded), SKIP_BATCH):
            await self._skip(*unrecorded[first:first + SKIP_BATCH])
        gone = (self._upcoming or set()) - plan.upcoming
        self._upcoming = plan.upcoming
        if gone:
            await self._notify_cancelled(gone)

    async def _extend_job(self) -> None:
        """The scheduler's daily job: extend the window in a task of ours."""
        self._spawn(self.extend_window())

    async def extend_window(self, *, only_if_stale: bool = False) -> None:
        """Move the rolling window of recurring meetings' occurrences `window_days` ahead (on its own worker: it
        takes seconds for thousands of series); the watcher re-plans reminders once it is written."""
        now, days = self.now(), self.cfg.window_days

        def extend(store: Store) -> int | None:
            if only_if_stale and not window_stale(store, now, days):
                return None
            return extend_window(store, now, days)

        started = time.monotonic()
        extended = await self.occurrences.run(extend)
        if extended is not None:
            log.info("recurring meetings: %d series expanded %d days ahead in %.1f s", extended, days,
                     time.monotonic() - started)

    async def _skip(self, *dues: AnyDue) -> None:
        """Record and log, once, each chat reminders will not reach because their meeting began (each person a
        deadline reminder will not reach); several in one call on the worker (after a restart each recurring
        meeting has an occurrence that began not long ago)."""
        async with self._sending:   # no claim of ours is in flight while a skip is recorded
            now = self.now()
            skipped = await self.records.run(
                lambda store: [(due, self._skipping(store, due, now)) for due in dues])
        for due, chats in skipped:
            log_skips(due, chats, now)
        self._skipped.update(dues)

    # --- sending ---------------------------------------------------------------------------------
    async def _fire_job(self, due: AnyDue) -> None:
        """The scheduler's job: hand the reminder to a task of ours, so that stop() can let it finish."""
        self._spawn(self.fire(due))

    async def fire(self, due: AnyDue) -> None:
        """Send one reminder to each chat that has not had it, one chat at a time."""
        now = self.now()
        if self._closes(due) <= now:
            await self._skip(due)
            return
        outgoing = await self.work.run(lambda store: self._outgoing(store, due, now))
        for out in outgoing:
            if not await self._send_one(out):
                return

    async def _send_one(self, out: AnyOutgoing) -> bool:
        """Claim, send, confirm (or release); False when the meeting has begun (the due date passed) meanwhile."""
        assert self.sender is not None
        async with self._sending:
            now = self.now()
            if self._closes(out.due) <= now:
                self._spawn(self._skip(out.due))
                return False
            attempt = await self.records.run(lambda store: self._claim(store, out, now))
            if attempt is None:
                return True   # sent meanwhile, or the meeting was cancelled or moved
            if attempt > 1:
                log.info("reminder %s to chat %s was claimed but never confirmed; sending it again",
                         out.due.job_id, out.chat)
            late = (now - out.due.at).total_seconds()
            if late > LATE_SECONDS:
                log.info("reminder %s to chat %s is %d s late", out.due.job_id, out.chat, late)
            if await self._deliver(out.chat, out.reply):
                await self.records.run(lambda store: self._confirm(store, out, self.now()))
            else:
                await self.records.run(lambda store: self._release(store, out))
                log.warning("reminder %s to chat %s was not sent; it is tried again at the next full sync",
                            out.due.job_id, out.chat)
        return True

    async def _deliver(self, chat: int, reply: Reply) -> bool:
        assert self.sender is not None
        try:
            return await self.sender.send(chat, reply)
        except Exception:
            log.exception("sending %s to chat %s failed", reply.intent, chat)
            return False

    async def _notify_cancelled(self, gone: set[str]) -> None:
        """Tell the group (and attendees not away today) of each meeting, or occurrence of a recurring one, that
        left the plan because it was cancelled."""
        today = self.now().date()
        for chat, notice in await self.work.run(lambda store: self._reminders(store).cancellations(gone, today)):
            await self._deliver(chat, notice)

    async def send_digest(self) -> None:
        """The weekly digest to the bound group and nudges to owners of stale tasks; then the next one."""
        assert self.scheduler is not None
        now, policy = self.now(), self.policy

        def compose(store: Store) -> list[tuple[int, Reply]]:
            group = store.setting(GROUP_KEY)
            out = [(int(group), digest(store, policy, now))] if group else []
            return out + nudges(store, policy, now)

        for chat, reply in await self.work.run(compose):
            await self._deliver(chat, reply)
        schedule_digest(self.scheduler, now, self.cfg.digest, self.send_digest, self.quiet)
