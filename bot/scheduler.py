"""APScheduler wiring: one date job per reminder (stable ids), a weekly digest, rebuilt from the database."""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from apscheduler.schedulers.base import BaseScheduler

from intents.dates.deadlines import DeadlineDue
from intents.dates.quiet import Quiet
from intents.dates.reminders import Due, Reminders, next_digest

log = logging.getLogger(__name__)
PREFIX = "remind:"
DIGEST_JOB = "digest"


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

    A job that fell due a moment ago and has not run yet stays, so that it still runs.
    Returns the number of jobs added or moved.
    """
    wanted = {due.job_id: due for due in plan.future}
    just_due = set(plan.overdue)
    for job in scheduler.get_jobs():
        if not job.id.startswith(prefix):
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
