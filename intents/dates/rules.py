"""Recurrence rules told in Korean (`매주 화요일 14:00 · 10회`), and what to say beside a meeting's time (moved
from where its rule put it, a public holiday): what listings, answers and reminders need, without the phrase
reading of intents/dates/recurrence.py."""

from datetime import date, datetime
from typing import Any

from intents.answers.render import WEEKDAYS, when
from intents.dates.when import holiday_name

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ORDINAL_NAMES = {1: "첫째", 2: "둘째", 3: "셋째", 4: "넷째", 5: "다섯째", -1: "마지막"}


def describe_rule(rule: str, start: datetime) -> str:
    """A rule in Korean with its time of day and end: `매주 화요일 14:00`, `매월 첫째 월요일 10:00 · 10회`."""
    from store.recurrence import rule_parts  # icalendar, only when a rule is told: 65 ms of every `tfbot ask`

    parts = rule_parts(rule)
    freq = str(parts["FREQ"][0])
    interval = int(parts.get("INTERVAL", [1])[0])
    days = [str(d) for d in parts.get("BYDAY", [])]
    if freq == "DAILY":
        text = "매일" if interval == 1 else f"{interval}일마다"
    elif freq == "WEEKLY":
        names = [WEEKDAYS[CODES.index(d[-2:])] for d in days] or [WEEKDAYS[start.weekday()]]
        every = {1: "매주", 2: "격주"}.get(interval, f"{interval}주마다")
        text = "평일" if names == list(WEEKDAYS[:5]) and interval == 1 else f"{every} {'·'.join(names)}요일"
    elif freq == "MONTHLY":
        every = "매월" if interval == 1 else f"{interval}개월마다"
        if days:
            order = int(days[0][:-2] or 1)
            text = f"{every} {_ORDINAL_NAMES.get(order, f'{order}번째')} {WEEKDAYS[CODES.index(days[0][-2:])]}요일"
        else:
            day = int(parts.get("BYMONTHDAY", [start.day])[0])
            text = f"{every} {'말일' if day == -1 else f'{day}일'}"
    else:
        month = int(parts.get("BYMONTH", [start.month])[0])
        text = f"매년 {month}월 {int(parts.get('BYMONTHDAY', [start.day])[0])}일"
    text += f" {start:%H:%M}"
    if "UNTIL" in parts:
        ends = parts["UNTIL"][0]
        ends_day = ends.astimezone(start.tzinfo).date() if isinstance(ends, datetime) else ends
        text += f" · {when(ends_day.isoformat())}까지"
    if "COUNT" in parts:
        text += f" · {int(parts['COUNT'][0])}회"
    return text


def occurrence_note(row: dict[str, Any]) -> str:
    """What to say beside a meeting's time: moved from where its rule put it, a public holiday."""
    notes = []
    start = str(row.get("start") or "")
    original = row.get("occurrence")
    if original and original != start:
        notes.append(f"일정 변경: 원래 {when(str(original))}")
    if len(start) >= 10:
        try:
            name = holiday_name(date.fromisoformat(start[:10]))
        except ValueError:
            name = None
        if name:
            notes.append(f"⚠️ 공휴일: {name}")
    return f" ({', '.join(notes)})" if notes else ""


def series_label(row: dict[str, Any]) -> str:
    """` · 매주 화요일 14:00` for a recurring meeting's row (or one of its occurrences), '' for a one-off."""
    if not row.get("rrule"):
        return ""
    first = datetime.fromisoformat(str(row.get("series_start") or row["start"]))
    return f" · {describe_rule(str(row['rrule']), first)}"
