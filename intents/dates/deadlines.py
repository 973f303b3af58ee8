"""Deadline reminders: owners of a task or an action item are reminded before its due date (offsets in config)
and nudged once after it, in the owners' private chats, through the same claim → send → confirm records as
meeting reminders (store/deadline_reminders.py). Quiet hours move a reminder to the next allowed moment; an
owner away that day gets none (recorded as skipped). Plans only; bot/reminder_service.py schedules and sends.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from intents.answers.render import progress_summary, when
from intents.dates.quiet import Quiet
from intents.dates.reminders import SKIP_LOOKBACK, offset_text
from intents.message import Button, Offer, Reply
from store.deadline_reminders import DeadlineKey
from store.store import Row, Store

log = logging.getLogger(__name__)
OVERDUE = -86400   # the overdue nudge: the day after the due date, at the reminders' time of day
PREFIX = "deadline:"
CLAIMED = "claimed"
DONE_LIFETIME = timedelta(days=14)   # how long a reminder's 완료 button may be pressed


def task_item(task: str) -> str:
    """The reminders' name of a task's due date."""
    return f"task:{task}"


def action_item(item: int) -> str:
    """The reminders' name of an action item's due date."""
    return f"action:{item}"


@dataclass(frozen=True)
class DeadlineDue:
    """One reminder of one item's due date: the item, the due date, how long before it (negative: the overdue
    nudge after it), when it goes (quiet hours honoured) and from when it may no longer go (`closes`: the end of
    the due day for a reminder before it, a week later for the overdue nudge)."""

    item: str
    due: str
    offset_seconds: int
    at: datetime
    closes: datetime

    @property
    def job_id(self) -> str:
        """Stable id, so that rebuilding never duplicates a job."""
        return f"{PREFIX}{self.item}:{self.offset_seconds}"

    def key(self, user: int) -> DeadlineKey:
        """The store's key of this reminder for one person."""
        return DeadlineKey(self.item, self.due, self.offset_seconds, user)


@dataclass(frozen=True)
class DeadlineOutgoing:
    """One deadline reminder for one person's private chat, ready to send."""

    due: DeadlineDue
    user: int
    chat: int
    reply: Reply

    @property
    def key(self) -> DeadlineKey:
        """The store's key of this reminder."""
        return self.due.key(self.user)


@dataclass
class DeadlinePlan:
    """Reminders to schedule, to send at once (fell due while down), and to record as skipped (too late, or an
    earlier reminder of the same item that a later one, due as well, stands for)."""

    future: list[DeadlineDue] = field(default_factory=list)
    overdue: list[DeadlineDue] = field(default_factory=list)
    skipped: list[DeadlineDue] = field(default_factory=list)


class Deadlines:
    """Plans and composes deadline reminders; records each claimed, sent or skipped, per person."""

    def __init__(self, store: Store, offsets: list[int], at: time, quiet: Quiet) -> None:
        self.store = store
        self.offsets = sorted({o for o in offsets if o > 0}, reverse=True)
        self.at = at
        self.quiet = quiet

    def _items(self, first: date, last: date) -> list[tuple[str, str]]:
        """(item, due date) of every open task and action item due between two days."""
        items = [(task_item(str(r["task"])), str(r["due"]))
                 for r in self.store.task_deadlines(first.isoformat(), last.isoformat()) if not self._done(r)]
        items += [(action_item(int(r["id"])), str(r["due"]))
                  for r in self.store.open_actions(first.isoformat(), last.isoformat())]
        return items

    def _done(self, task: Row) -> bool:
        latest = self.store.latest_progress(str(task["task"]))
        return latest is not None and latest["status"] == "완료"

    def _schedule(self, item: str, due: str, offset: int, now: datetime) -> DeadlineDue:
        day = date.fromisoformat(due)
        anchor = datetime.combine(day, self.at, tzinfo=now.tzinfo)
        nominal = anchor - timedelta(seconds=offset)
        closes = (datetime.combine(day + timedelta(days=1), time(), tzinfo=now.tzinfo) if offset > 0
                  else nominal + SKIP_LOOKBACK)
        at = self.quiet.next_allowed(nominal)
        if at <= now and self.quiet.is_quiet(now):
            at = self.quiet.next_allowed(now)
        return DeadlineDue(item, due, offset, at, closes)

    def plan(self, now: datetime) -> DeadlinePlan:
        """Every reminder of every item due from a little over a week ago to the farthest offset ahead."""
        plan = DeadlinePlan()
        ahead = max(self.offsets, default=0) // 86400 + 2
        behind = SKIP_LOOKBACK.days + 2
        for item, due in self._items(now.date() - timedelta(days=behind), now.date() + timedelta(days=ahead)):
            late_soon: list[DeadlineDue] = []
            for offset in [*self.offsets, OVERDUE]:
                planned = self._schedule(item, due, offset, now)
                if planned.closes <= now or planned.at >= planned.closes:
                    if planned.closes <= now:
                        plan.skipped.append(planned)
                elif planned.at > now:
                    plan.future.append(planned)
                elif offset > 0:
                    late_soon.append(planned)
                else:
                    plan.overdue.append(planned)
            if late_soon:   # several reminders before the due date fell due at once: the latest stands for all
                plan.overdue.append(late_soon[-1])
                plan.skipped.extend(late_soon[:-1])
        return plan

    def owners(self, item: str) -> list[int]:
        """The registered users an item's owners reach."""
        kind, _, ident = item.partition(":")
        if kind == "task":
            return self.store.task_owner_users(ident)
        found = self.store.action(int(ident)) if ident.isdigit() else None
        return self.store.users_for(str(found["owner_kind"]), str(found["owner_id"])) if found else []

    def outgoing(self, due: DeadlineDue, now: datetime) -> list[DeadlineOutgoing]:
        """The reminder for each owner with a private chat who has not had it; [] when the item was done, its
        due date changed, or it can no longer go."""
        if due.closes <= now or not self.store.still_due(due.item, due.due):
            return []
        kind, _, ident = due.item.partition(":")
        if kind == "task":
            task = self.store.task(ident)
            if task is None or self._done({"task": ident}):
                return []
            reply = compose_task(self.store, task, due, now)
        else:
            found = self.store.action(int(ident))
            if found is None:
                return []
            reply = compose_action(found, due, now)
        done = {user for user, state in self.store.deadline_reminder_states(due.item, due.due,
                                                                            due.offset_seconds).items()
                if state != CLAIMED}
        out = []
        for user in self.owners(due.item):
            chat = self.store.private_chat(user)
            if chat is not None and user not in done:
                out.append(DeadlineOutgoing(due, user, chat, reply))
        return out

    def claim(self, out: DeadlineOutgoing, now: datetime) -> int | None:
        """Claim before sending: the attempt number, or None (sent meanwhile, no longer due, or the person is
        away today: then recorded as skipped)."""
        if self.store.is_away(out.user, now.date()):
            if self.store.skip_deadline_reminder(out.key, "away", now.isoformat()):
                log.info("deadline reminder %s to user %s skipped: away", out.due.job_id, out.user)
            return None
        return self.store.claim_deadline_reminder(out.key, now.isoformat())

    def confirm(self, out: DeadlineOutgoing, now: datetime) -> None:
        """The channel accepted the reminder: record it as sent."""
        self.store.confirm_deadline_reminder(out.key, now.isoformat())

    def release(self, out: DeadlineOutgoing) -> None:
        """A send failed: forget the claim so that the reminder is tried again."""
        self.store.release_deadline_reminder(out.key)

    def deliver(self, due: DeadlineDue, now: datetime, send: Callable[[int, Reply], bool]) -> list[int]:
        """Claim, send and confirm one person at a time (a failed send is released); the users reached."""
        reached = []
        for out in self.outgoing(due, now):
            if self.claim(out, now) is None:
                continue
            if send(out.chat, out.reply):
                self.confirm(out, now)
                reached.append(out.user)
            else:
                self.release(out)
        return reached

    def skip(self, due: DeadlineDue, now: datetime) -> list[int]:
        """Record, for each owner who never had it, that this reminder will not go out; the users newly
        recorded."""
        if not self.store.still_due(due.item, due.due):
            return []
        reason = "late" if due.closes <= now else "superseded"
        done = {user for user, state in self.store.deadline_reminder_states(due.item, due.due,
                                                                            due.offset_seconds).items()
                if state != CLAIMED}
        return [user for user in self.owners(due.item)
                if user not in done and self.store.skip_deadline_reminder(due.key(user), reason, now.isoformat())]


def _head(due: DeadlineDue, what: str, now: datetime) -> str:
    if due.offset_seconds > 0:
        return f"⏰ {what} 기한 알림 ({offset_text(due.offset_seconds)})"
    late = (now.date() - date.fromisoformat(due.due)).days
    return f"🔔 {what} 기한 지남 ({late}일 지남)"


def compose_task(store: Store, task: Row, due: DeadlineDue, now: datetime) -> Reply:
    """A task's deadline reminder: its due date and where it stands."""
    latest = store.latest_progress(str(task["id"]))
    state = (progress_summary(latest["percent"], str(latest["status"]), latest["note"]) if latest
             else "기록된 진행상황 없음")
    text = (f"{_head(due, '과제', now)}\n[{task['name']}]\n기한: {when(due.due)}\n현재: {state}\n"
            f"진행상황은 /log {task['name']} <N>% <메모> 로 기록해 주세요.")
    return Reply(text=text, intent="deadline_reminder")


def compose_action(item: Row, due: DeadlineDue, now: datetime) -> Reply:
    """An action item's deadline reminder, with a 완료 button (its owners, or a coordinator, may press it)."""
    text = (f"{_head(due, '후속조치', now)}\n[{item['meeting_title']}] {item['what']}\n기한: {when(due.due)}\n"
            "마쳤으면 '완료'를 눌러 주세요.")
    return Reply(text=text, intent="deadline_reminder",
                 offer=Offer("action_done", {}, now + DONE_LIFETIME, anyone=True),
                 buttons=[Button("완료", f"done:{item['id']}")])
