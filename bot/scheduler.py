"""APScheduler wiring: one date job per reminder (stable ids), a weekly digest, rebuilt from the database."""

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.base import BaseScheduler

from intents.dates.reminders import Due, Plan, Reminders, next_digest

log = logging.getLogger(__name__)
PREFIX = "remind:"
DIGEST_JOB = "digest"


def apply_plan(scheduler: BaseScheduler, plan: Plan, fire: Callable[[Due], object]) -> int:
    """Make the scheduler's reminder jobs match the plan's future reminders: add, move, drop; keep the unchanged.

    A job that fell due a moment ago and has not run yet stays, so that it still runs.
    Returns the number of jobs added or moved.
    """
    wanted = {due.job_id: due for due in plan.future}
    just_due = set(plan.overdue)
    for job in scheduler.get_jobs():
        if not job.id.startswith(PREFIX):
            continue
        args = tuple(job.args)
        due = wanted.get(job.id)
        if due is not None and args == (due,):
            del wanted[job.id]
        elif due is None and not (len(args) == 1 and args[0] in just_due):
            job.remove()
    for due in wanted.values():
        scheduler.add_job(fire, "date", run_date=due.at, args=[due], id=due.job_id, replace_existing=True,
                          misfire_grace_time=None, coalesce=True)
    return len(wanted)


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
