"""APScheduler wiring: one date job per reminder (stable ids), a weekly digest, rebuilt from the database."""

import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from apscheduler.schedulers.base import STATE_RUNNING, BaseScheduler

from intents.dates.deadlines import DeadlineDue
from intents.dates.quiet import Quiet
from intents.dates.reminders import Due, Reminders, next_digest

log = logging.getLogger(__name__)
PREFIX = "remind:"
DIGEST_JOB = "digest"
MANY_JOBS = 100   # adding more than this many jobs pauses a running scheduler meanwhile


def _signed(fire: Callable[[Due], object]) -> Callable[[Due], object]:
    """`fire` with its signature worked out once: APScheduler checks each job's arguments against its function's
    signature (inspect.signature, which reads `__signature__` first), and working it out again for every job was
    a third of the time adding 20,000 jobs took (bench/recurrence_bench.py). A coroutine function stays one."""
    call: Callable[[Due], Any] = fire
    if inspect.iscoroutinefunction(fire):
        async def run_async(due: Due) -> object:
            result: Awaitable[object] = call(due)
            return await result
        run: Callable[[Due], object] = run_async
    else:
        def run_sync(due: Due) -> object:
            return call(due)
        run = run_sync
    run.__signature__ = inspect.signature(run)  # type: ignore[attr-defined]
    return run


class Scheduled(Protocol):
    """A reminder as the scheduler sees it: a stable job id and when it goes."""

    @property
    def job_id(self) -> str:
        """Stable id of its job."""
        ...

    @property
    def at(self) -> datetime:
        """When it goes."""
        ...


class Planned(Protocol):
    """A plan as the scheduler sees it: reminders to schedule, and those to send at once."""

    @property
    def future(self) -> Sequence[Scheduled]:
        """Reminders to schedule."""
        ...

    @property
    def overdue(self) -> Sequence[Scheduled]:
        """Reminders that fell due and go at once."""
        ...


def apply_plan(scheduler: BaseScheduler, plan: Planned, fire: Callable[[Any], object], prefix: str = PREFIX) -> int:
    """Make the scheduler's reminder jobs (ids beginning with `prefix`) match the plan's future reminders: add,
    move, drop; keep the unchanged.

    A job that fell due a moment ago and has not run yet stays, so that it still runs. A recurring meeting has
    one job, for the reminder of its window that falls due first: the plan holds the later ones, and the next
    is scheduled once the one before has gone (`held` tells the service which reminders have had a job).
    Returns the number of jobs added or moved.
    """
    wanted: dict[str, Any] = {}
    for planned in plan.future:
        job = planned.job_id
        kept = wanted.get(job)
        # a recurring meeting's reminders share its job: the first to fall due takes it
        if kept is None or (getattr(planned, "series", False) and planned.at < kept.at):
            wanted[job] = planned
    just_due = set(plan.overdue)
    for job in scheduler.get_jobs():
        if not job.id.startswith(prefix):
            continue
        args = tuple(job.args)
        due = wanted.get(job.id)
        if len(args) == 1 and args[0] in just_due:
            wanted.pop(job.id, None)   # runs first; a later occurrence's reminder takes the id after it
        elif due is not None and args == (due,):
            del wanted[job.id]
        elif due is None:
            job.remove()
    run = _signed(fire)
    running = scheduler.state == STATE_RUNNING and len(wanted) > MANY_JOBS
    if running:   # one wake-up for all of them, not one per job added
        scheduler.pause()
    try:
        for due in wanted.values():   # everything given: APScheduler works out no defaults or first run time
            scheduler.add_job(run, "date", run_date=due.at, args=[due], id=due.job_id, name=due.job_id,
                              replace_existing=True, misfire_grace_time=None, coalesce=True, max_instances=1,
                              next_run_time=due.at)
    finally:
        if running:
            scheduler.resume()
    return len(wanted)


def held(scheduler: BaseScheduler) -> set[Due]:
    """The meeting reminders the scheduler holds a job for."""
    return {job.args[0] for job in scheduler.get_jobs() if job.id.startswith(PREFIX) and len(job.args) == 1}


def log_skips(due: Due | DeadlineDue, chats: list[int], now: datetime) -> None:
    """Log, once per chat (a deadline reminder: per person), a reminder that will not go out because its meeting
    began (its due date passed, or a later reminder of the same item went instead)."""
    for chat in chats:
        if isinstance(due, DeadlineDue):
            why = "its due date had passed" if due.closes <= now else "a later reminder of the item went instead"
            log.warning("deadline reminder %s (due %s) to user %s skipped: %s by %s", due.job_id, due.due, chat,
                        why, now.isoformat(timespec="seconds"))
            continue
        log.warning("reminder %s (meeting at %s) to chat %s skipped: the meeting had begun by %s",
                    due.job_id, due.start, chat, now.isoformat(timespec="seconds"))


def sync_reminders(scheduler: BaseScheduler, reminders: Reminders, now: datetime,
                   fire: Callable[[Due], object]) -> tuple[int, int, int]:
    """Make the scheduler's reminder jobs match the database: add, move, drop; run overdue ones now.

    Reminders whose meeting began are recorded and logged as skipped, once each.
    Returns (jobs scheduled, reminders fired now, reminders skipped because the meeting had started).
    """
    plan = reminders.plan(now)
    apply_plan(scheduler, plan, fire)
    for due in plan.overdue:   # fell due while the bot was down: run as soon as the scheduler can
        scheduler.add_job(fire, "date", run_date=now, args=[due], id=due.job_id, replace_existing=True,
                          misfire_grace_time=None)
    for due in plan.skipped:
        log_skips(due, reminders.skip(due, now), now)
    return len(plan.future), len(plan.overdue), len(plan.skipped)


def schedule_digest(scheduler: BaseScheduler, now: datetime, spec: str, run: Callable[[], object],
                    quiet: Quiet | None = None) -> datetime:
    """Schedule the next weekly digest (after weekends and holidays, and out of quiet hours); `run` must call
    this again."""
    at = next_digest(now, spec)
    if quiet is not None:
        at = quiet.next_allowed(at)
    scheduler.add_job(run, "date", run_date=at, id=DIGEST_JOB, replace_existing=True, misfire_grace_time=3600)
    return at
