"""APScheduler wiring: one date job per reminder (stable ids), a weekly digest, rebuilt from the database."""

import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from apscheduler.schedulers.base import STATE_RUNNING, BaseScheduler

from intents.dates.reminders import Due, Plan, Reminders, next_digest

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


def apply_plan(scheduler: BaseScheduler, plan: Plan, fire: Callable[[Due], object]) -> int:
    """Make the scheduler's reminder jobs match the plan's future reminders: add, move, drop; keep the unchanged.

    A job that fell due a moment ago and has not run yet stays, so that it still runs. A recurring meeting has
    one job, for the reminder of its window that falls due first: the plan holds the later ones, and the next
    is scheduled once the one before has gone (`held` tells the service which reminders have had a job).
    Returns the number of jobs added or moved.
    """
    wanted: dict[str, Due] = {}
    for planned in plan.future:
        job = planned.job_id
        kept = wanted.get(job)
        if kept is None or (planned.series and planned.at < kept.at):   # the first to fall due takes the job
            wanted[job] = planned
    just_due = set(plan.overdue)
    for job in scheduler.get_jobs():
        if not job.id.startswith(PREFIX):
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
    """The reminders the scheduler holds a job for."""
    return {job.args[0] for job in scheduler.get_jobs() if job.id.startswith(PREFIX) and len(job.args) == 1}


def log_skips(due: Due, chats: list[int], now: datetime) -> None:
    """Log, once per chat, a reminder that will not go out because its meeting began."""
    for chat in chats:
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


def schedule_digest(scheduler: BaseScheduler, now: datetime, spec: str, run: Callable[[], object]) -> datetime:
    """Schedule the next weekly digest (after weekends and holidays); `run` must call this again."""
    at = next_digest(now, spec)
    scheduler.add_job(run, "date", run_date=at, id=DIGEST_JOB, replace_existing=True, misfire_grace_time=3600)
    return at
