"""APScheduler wiring: one date job per reminder (stable ids), a weekly digest, rebuilt from the database."""

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.base import BaseScheduler

from intents.dates.reminders import Due, Reminders, next_digest

log = logging.getLogger(__name__)
PREFIX = "remind:"
DIGEST_JOB = "digest"


def sync_reminders(scheduler: BaseScheduler, reminders: Reminders, now: datetime,
                   fire: Callable[[Due], object]) -> tuple[int, int, int]:
    """Make the scheduler's reminder jobs match the database: add, move, drop; run overdue ones now.

    Returns (jobs scheduled, reminders fired now, reminders skipped because the meeting had started).
    """
    plan = reminders.plan(now)
    wanted = {due.job_id: due for due in plan.future}
    for job in scheduler.get_jobs():
        if job.id.startswith(PREFIX) and job.id not in wanted:
            job.remove()
    for due in plan.future:
        scheduler.add_job(fire, "date", run_date=due.at, args=[due], id=due.job_id, replace_existing=True,
                          misfire_grace_time=None, coalesce=True)
    for due in plan.overdue:   # fell due while the bot was down: run as soon as the scheduler can
        scheduler.add_job(fire, "date", run_date=now, args=[due], id=due.job_id, replace_existing=True,
                          misfire_grace_time=None)
    for due in plan.skipped:
        log.info("reminder %s skipped: the meeting started at or before %s", due.job_id, now.isoformat())
    return len(plan.future), len(plan.overdue), len(plan.skipped)


def schedule_digest(scheduler: BaseScheduler, now: datetime, spec: str, run: Callable[[], object]) -> datetime:
    """Schedule the next weekly digest (after weekends and holidays); `run` must call this again."""
    at = next_digest(now, spec)
    scheduler.add_job(run, "date", run_date=at, id=DIGEST_JOB, replace_existing=True, misfire_grace_time=3600)
    return at
