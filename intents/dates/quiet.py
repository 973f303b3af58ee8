"""Quiet hours: when nudges, deadline reminders and digests wait (nights, weekends, public holidays). A message
that falls in them goes at the next allowed moment, never dropped."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from intents.dates.when import holiday_name

_NIGHTS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_MAX_STEPS = 400   # days looked ahead for an allowed moment (a year of holidays and weekends is far less)


def parse_nights(spec: str) -> tuple[time, time] | None:
    """`21:00-08:00` → (21:00, 08:00); an empty string → None (no quiet nights); ValueError otherwise."""
    if not spec.strip():
        return None
    found = _NIGHTS.match(spec)
    if found is None:
        raise ValueError(f"quiet nights look like 21:00-08:00: {spec!r}")
    hours, minutes = (int(found.group(1)), int(found.group(3))), (int(found.group(2)), int(found.group(4)))
    if max(hours) > 23 or max(minutes) > 59:
        raise ValueError(f"quiet nights are times between 00:00 and 23:59: {spec!r}")
    return time(hours[0], minutes[0]), time(hours[1], minutes[1])


@dataclass(frozen=True)
class Quiet:
    """When nothing unasked is sent: from `night_start` to `night_end` (across midnight when the start is the
    later time; None: no quiet nights), all of Saturday and Sunday (`weekends`), public holidays (`holidays`)."""

    night_start: time | None = time(21)
    night_end: time | None = time(8)
    weekends: bool = True
    holidays: bool = True

    def _quiet_day(self, moment: datetime) -> bool:
        day = moment.date()
        return (self.weekends and day.weekday() >= 5) or (self.holidays and holiday_name(day) is not None)

    def _night_ends(self, moment: datetime) -> datetime | None:
        """When the quiet night `moment` falls in ends; None when it is not in one."""
        start, end = self.night_start, self.night_end
        if start is None or end is None or start == end:
            return None
        now = moment.timetz().replace(tzinfo=None)
        same_day = moment.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
        if start > end:   # 21:00-08:00
            if now >= start:
                return same_day + timedelta(days=1)
            return same_day if now < end else None
        return same_day if start <= now < end else None

    def is_quiet(self, moment: datetime) -> bool:
        """Whether `moment` is in quiet hours."""
        return self._quiet_day(moment) or self._night_ends(moment) is not None

    def next_allowed(self, moment: datetime) -> datetime:
        """`moment` itself when it is not quiet, else the first moment after it that is not."""
        at = moment
        for _ in range(_MAX_STEPS):
            if self._quiet_day(at):
                at = at.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
                continue
            ends = self._night_ends(at)
            if ends is None:
                return at
            at = ends
        return at
