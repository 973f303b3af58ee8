"""Reminder and digest logic over the store and an injected clock; adapters only schedule and send."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from intents.answers.chart import followed, progress_attachments
from intents.answers.deadline import digest_lines, open_items_lines
from intents.answers.render import person_name, when
from intents.charts import ChartUnavailable
from intents.charts.progress import progress_chart
from intents.dates.rules import occurrence_note, series_label
from intents.dates.when import is_working_day
from intents.message import Attachment, Button, Entity, Message, Offer, Reply
from intents.writes.access import Policy
from intents.writes.admin import stale
from intents.writes.meeting_form import describe
from store.meetings import GROUP_KEY
from store.reminders import CLAIMED, ReminderKey
from store.store import Row, Store

_OFFSET = re.compile(r"^\s*(\d+)\s*([dhms])\s*$")
_UNIT = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_WEEKDAY = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DIGEST = re.compile(r"^\s*([a-z]+)\s+(\d{1,2}):(\d{2})\s*$")
SKIP_LOOKBACK = timedelta(days=7)   # a reminder whose meeting began this recently is recorded as skipped


def parse_offset(text: str) -> int:
    """`1d`, `1h`, `30m`, `10s` → seconds; ValueError otherwise."""
    match = _OFFSET.match(text)
    if not match:
        raise ValueError(f"reminder offset must look like 1d, 1h, 30m or 10s: {text!r}")
    return int(match.group(1)) * _UNIT[match.group(2)]


def parse_digest(spec: str) -> tuple[int, int, int]:
    """`mon 09:00` (or `monday 9:00`) → (weekday 0-6, hour, minute); ValueError otherwise."""
    match = _DIGEST.match(spec.lower())
    day = match.group(1) if match else ""
    if match is None or (day not in _WEEKDAY and day not in _DAY_NAMES):
        raise ValueError(f"digest must be a weekday and a time like mon 09:00: {spec!r}")
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise ValueError(f"digest time must be between 00:00 and 23:59: {spec!r}")
    return _WEEKDAY[day[:3]], hour, minute


def offset_text(seconds: int) -> str:
    """Seconds before a meeting in Korean: `1일 전`, `1시간 전`, `30분 전`."""
    for unit, size in (("일", 86400), ("시간", 3600), ("분", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit} 전"
    return f"{seconds}초 전"


class Due(NamedTuple):
    """One reminder: which meeting (starting when), how long before, when it falls due, and its stable job id. A
    tuple: a plan of 10,000 recurring meetings holds tens of thousands (bench/recurrence_bench.py)."""

    meeting_id: str
    offset_seconds: int
    at: datetime
    start: str   # the meeting's start as stored: a moved meeting's reminders are new ones
    series: bool = False   # an occurrence of a recurring meeting

    @property
    def job_id(self) -> str:
        """Stable id, so that rebuilding never duplicates a job: one per meeting and offset; a recurring meeting
        has one for all its reminders, held by the one that falls due first (the scheduler keeps one job per
        series, not one per reminder of the window)."""
        if self.series:
            return f"remind:{self.meeting_id}"
        return f"remind:{self.meeting_id}:{self.offset_seconds}"

    @property
    def begins(self) -> datetime:
        """When the meeting begins; the reminder is not sent from then on."""
        return datetime.fromisoformat(self.start)

    def key(self, chat: int) -> ReminderKey:
        """The store's key of this reminder for one chat."""
        return ReminderKey(self.meeting_id, self.start, self.offset_seconds, chat)


@dataclass(frozen=True)
class Outgoing:
    """One reminder for one chat, ready to send."""

    due: Due
    chat: int
    reply: Reply

    @property
    def key(self) -> ReminderKey:
        """The store's key of this reminder."""
        return self.due.key(self.chat)


@dataclass
class Plan:
    """Reminders to schedule, to send at once (fell due while down), and to skip (meeting started)."""

    future: list[Due]
    overdue: list[Due]
    skipped: list[Due]
    # meetings that have not begun, and each occurrence of a recurring one as `id@original start`
    upcoming: set[str] = field(default_factory=set)


class Reminders:
    """Plans and composes meeting reminders; records each one claimed, sent or skipped, per chat."""

    def __init__(self, store: Store, offsets: list[int], console_chat: int | None = None) -> None:
        self.store = store
        self.offsets = sorted(set(offsets), reverse=True)
        self.console_chat = console_chat

    def plan(self, now: datetime) -> Plan:
        """Every reminder of every meeting that has not started (or started within SKIP_LOOKBACK), by state; a
        recurring meeting's occurrences in the window each have their own, soonest first."""
        plan = Plan([], [], [])
        lookback = max(timedelta(seconds=max(self.offsets, default=0)), SKIP_LOOKBACK)
        future, overdue, skipped, upcoming = plan.future, plan.overdue, plan.skipped, plan.upcoming
        steps = [(offset, timedelta(seconds=offset)) for offset in self.offsets]
        moment = now.timestamp()   # compared as numbers: tens of thousands of occurrences in a big window
        for meeting_id, text, occurrence in self.store.meeting_starts((now - lookback).isoformat()):
            start = datetime.fromisoformat(text)
            begins, series = start.timestamp(), occurrence is not None
            if begins > moment:
                upcoming.add(meeting_id)
                if series:
                    upcoming.add(f"{meeting_id}@{occurrence}")
            for offset, step in steps:
                due = Due(meeting_id, offset, start - step, text, series)
                if begins - offset > moment:
                    future.append(due)
                elif begins > moment:
                    overdue.append(due)
                else:
                    skipped.append(due)
        return plan

    def chats(self, meeting: Row, day: date) -> list[int]:
        """Where a meeting's reminders go on `day`: the bound group, and the private chats of the attendees and
        the organiser who are not away then (the console: itself)."""
        if self.console_chat is not None:   # the console cannot send to Telegram chats, so claims none of them
            return [self.console_chat]
        chats: list[int] = []
        group = self.store.setting(GROUP_KEY)
        if group:
            chats.append(int(group))
        attendees = {a["user_id"] for a in self.store.responses(str(meeting["id"])) if a["response"] == "참석"}
        if meeting.get("created_by"):
            attendees.add(int(meeting["created_by"]))
        for user_id in self.store.recipients(sorted(attendees), day):
            chat = self.store.private_chat(int(user_id))
            if chat is not None and chat not in chats:
                chats.append(chat)
        return chats

    def outgoing(self, due: Due, now: datetime) -> list[Outgoing]:
        """The reminder for each chat that has not had it; [] when the meeting (or the occurrence) was cancelled,
        moved or began."""
        meeting = self.store.meeting_at(due.meeting_id, due.start)
        if meeting is None:
            return []   # cancelled or moved since planned: the moved meeting has its own reminders
        if due.begins <= now:
            return []
        done = {chat for chat, state in self.store.reminder_states(due.meeting_id, due.start,
                                                                   due.offset_seconds).items() if state != CLAIMED}
        reply = self.compose(meeting, due)
        items = open_items_lines(self.store, meeting, now.date())   # what the last meetings left open
        if items:
            head, _, ask = reply.text.rpartition("\n")
            reply.text = "\n".join([head, "", *items, "", ask])
        return [Outgoing(due, chat, reply) for chat in self.chats(meeting, now.date()) if chat not in done]

    def claim(self, out: Outgoing, now: datetime) -> int | None:
        """Claim before sending: the attempt number (2+ when an unconfirmed claim is taken over), or None."""
        return self.store.claim_reminder(out.key, now.isoformat())

    def confirm(self, out: Outgoing, now: datetime) -> None:
        """The channel accepted the reminder: record it as sent."""
        self.store.confirm_reminder(out.key, now.isoformat())

    def release(self, out: Outgoing) -> None:
        """A send failed: forget the claim so that the reminder is tried again."""
        self.store.release_reminder(out.key)

    def skip(self, due: Due, now: datetime) -> list[int]:
        """Record, for each chat that never had it, that this reminder will not go out; the chats newly recorded."""
        meeting = self.store.meeting_at(due.meeting_id, due.start)
        if meeting is None:
            return []
        done = {chat for chat, state in self.store.reminder_states(due.meeting_id, due.start,
                                                                   due.offset_seconds).items() if state != CLAIMED}
        return [chat for chat in self.chats(meeting, now.date())
                if chat not in done and self.store.skip_reminder(due.key(chat), now.isoformat())]

    def deliver(self, due: Due, now: datetime, send: Callable[[int, Reply], bool]) -> list[int]:
        """Claim, send and confirm one chat at a time (a failed send is released); the chats reached."""
        reached = []
        for out in self.outgoing(due, now):
            if self.claim(out, now) is None:
                continue
            if send(out.chat, out.reply):
                self.confirm(out, now)
                reached.append(out.chat)
            else:
                self.release(out)
        return reached

    @staticmethod
    def compose(meeting: Row, due: Due) -> Reply:
        """The reminder text with 참석/불참 buttons: anyone it reaches may answer, for themselves, until the meeting
        begins."""
        start = datetime.fromisoformat(str(meeting["start"]))
        text = (f"⏰ 회의 알림 ({offset_text(due.offset_seconds)})\n[{meeting['title']}]\n"
                f"{describe(start, meeting.get('place'), meeting.get('mode'))}{occurrence_note(meeting)}\n"
                + (f"반복: {series_label(meeting).removeprefix(' · ')}\n" if meeting.get("rrule") else "")
                + "참석 여부를 눌러 주세요.")
        return Reply(text=text, intent="reminder", offer=Offer("rsvp", {"meeting": meeting["id"]}, start, anyone=True),
                     entities=[Entity("meeting", str(meeting["id"]), str(meeting["title"]), 100.0)],
                     buttons=[Button("참석", f"rsvp:{meeting['id']}:y"), Button("불참", f"rsvp:{meeting['id']}:n")])

    def cancellation_notice(self, meeting: Row, day: date) -> list[tuple[int, Reply]]:
        """Tell the group (and attendees not away on `day`) that a meeting was cancelled (a recurring one: all
        that was left)."""
        if meeting.get("rrule"):
            text = f"❌ 반복 회의 취소: [{meeting['title']}]{series_label(meeting)} — 남은 회차 모두"
        else:
            text = f"❌ 회의 취소: [{meeting['title']}] {when(str(meeting['start']))}"
        return [(chat, Reply(text=text, intent="meeting_cancelled")) for chat in self.chats(meeting, day)]

    def cancellations(self, gone: set[str], day: date) -> list[tuple[int, Reply]]:
        """The notices owed for meetings and occurrences that left the plan (`Plan.upcoming`) because they were
        cancelled: a whole meeting, one occurrence of a recurring one, or its occurrences from one on (to those
        not away on `day`)."""
        out: list[tuple[int, Reply]] = []
        for key in sorted(gone):
            meeting_id, _, occurrence = key.partition("@")
            row = self.store.meeting(meeting_id)
            if row is None or (occurrence and row.get("status") == "취소"):
                continue   # a cancelled series is told once, not per occurrence
            if not occurrence:
                if row.get("status") == "취소":
                    out.extend(self.cancellation_notice(row, day))
                continue
            cancelled = self.store.cancelled_occurrence(meeting_id, occurrence)
            if cancelled is None:
                continue   # moved, begun, or past the window's end: not cancelled
            if cancelled["scope"] == "following":
                text = f"❌ 반복 회의 종료: [{row['title']}] {when(occurrence)} 회차부터 이후 회의를 모두 취소했습니다."
            else:
                text = f"❌ 회의 취소: [{row['title']}] {when(occurrence)} 회차 (다른 회차는 그대로입니다)"
            out.extend((chat, Reply(text=text, intent="meeting_cancelled")) for chat in self.chats(row, day))
        return out


def window_stale(store: Store, now: datetime, days: int) -> bool:
    """Whether the rolling window of recurring meetings' occurrences needs extending: never extended, or not
    reaching `days` ahead within a day (the daily job keeps it there)."""
    window = store.occurrence_window()
    if window is None:
        return bool(store.series_list())
    return datetime.fromisoformat(str(window["until"])) < now + timedelta(days=days - 1)


def extend_window(store: Store, now: datetime, days: int) -> int:
    """Expand every recurring meeting's occurrences `days` ahead (reminders are planned for those); the number
    of recurring meetings."""
    return store.extend_occurrences(now, now + timedelta(days=days))


def next_digest(now: datetime, spec: str) -> datetime:
    """The next digest time after `now` for a spec like `mon 09:00`, moved past weekends and holidays."""
    weekday, hour, minute = parse_digest(spec)
    candidate = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    candidate += timedelta(days=(weekday - candidate.weekday()) % 7)
    if candidate <= now:
        candidate += timedelta(days=7)
    while not is_working_day(candidate.date()):
        candidate += timedelta(days=1)
    return candidate


def digest(store: Store, policy: Policy, now: datetime) -> Reply:
    """Weekly digest: meetings in the next two weeks, tasks updated last week, tasks and action items due soon
    and overdue, stale tasks, who is away; and the progress picture of the tasks the TF follows, when any of
    them has an update (drawn here: a text-only digest when the picture cannot be drawn)."""
    lines = [f"📋 TF 주간 요약 ({when(now.date().isoformat())})", "", "다가오는 회의 (2주):"]
    soon = [m for m in store.scheduled_meetings(now.isoformat())
            if datetime.fromisoformat(str(m["start"])) <= now + timedelta(days=14)]
    lines.extend([f"• {when(str(m['start']))} {m['title']}{occurrence_note(m)}" for m in soon] or ["• 없음"])
    week_ago = (now - timedelta(days=7)).isoformat()
    updated = store.tasks_updated_since(week_ago)
    lines.append("")
    lines.append("지난주 업데이트된 과제:")
    lines.extend([f"• {name}" for name in updated] or ["• 없음"])
    lines.append("")
    lines.extend(digest_lines(store, now.date(), policy.due_soon_days))
    lines.append("")
    lines.append(stale(store, policy, Message(text="", now=now)).text)
    away = store.away_users(now.date())
    if away:
        lines.append("")
        lines.append("부재 중 (알림을 보내지 않음):")
        lines.extend(f"• {person_name(int(r['user_id']), r['name'])} — {when(str(r['away_until']))}까지" for r in away)
    chart = progress_chart(store, *followed(store), now, policy.stale_days)
    pictures: list[Attachment] = []
    if chart.logged:
        try:
            pictures = progress_attachments(chart)
        except ChartUnavailable as exc:
            lines.extend(["", f"(진행 현황 그림은 보내지 못했습니다: {exc})"])
    if pictures:
        lines.extend(["", f"📊 진행 현황 그림: 과제 {len(chart.bars)}건 (진행률, 상태별 색, "
                          f"※ {policy.stale_days}일 넘게 업데이트 없음)"])
    return Reply(text="\n".join(lines), intent="digest", attachments=pictures)


def nudges(store: Store, policy: Policy, now: datetime) -> list[tuple[int, Reply]]:
    """A short private nudge to each owner (last updater) of a stale task who has a private chat and is not away."""
    before = (now - timedelta(days=policy.stale_days)).isoformat()
    out = []
    for task in store.stale_tasks(before):
        latest = task["latest"]
        if latest is None or not store.recipients([int(latest["user_id"])], now.date()):
            continue
        chat = store.private_chat(int(latest["user_id"]))
        if chat is not None:
            out.append((chat, Reply(text=f"🔔 [{task['name']}] 진행상황을 업데이트해 주세요. "
                                         f"마지막 기록: {when(str(latest['at']))}", intent="nudge")))
    return out
