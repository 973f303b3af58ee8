"""Recurring meetings as iCalendar: a series (its RRULE, an EXDATE for each occurrence cancelled on its own, a
RECURRENCE-ID override for each occurrence moved) built with icalendar and expanded with recurring-ical-events.

The expansion that fills the rolling window of occurrences and the .ics export use this one builder, so a
calendar app that reads the export sees the occurrences the bot reminds of. No SQL here: rows come in as dicts.
recurring-ical-events and dateutil are imported when a series is expanded, not by every `tfbot ask`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

Row = dict[str, Any]
DEFAULT_LENGTH = timedelta(hours=1)
_AFTER_STEPS = 64   # occurrences looked at for the first one after a moment (an ongoing one comes first)
_WINDOW_STEPS = 5000   # a window of a year and a half of a daily meeting


@dataclass(frozen=True, order=True)
class Occurrence:
    """One occurrence of a series: when it takes place, and its original start by the rule (its RECURRENCE-ID,
    the key its exceptions are kept under); the two differ when it was moved."""

    start: str
    occurrence: str

    @property
    def moved(self) -> bool:
        """Whether this occurrence was moved away from where its rule put it."""
        return self.start != self.occurrence


def iso(moment: datetime) -> str:
    """A moment as the store keeps it: ISO 8601 to the second, with its offset."""
    return moment.replace(microsecond=0).isoformat()


def zone_of(row: Row) -> tzinfo:
    """The time zone a series recurs in (`tzid`), else the offset its start was written with."""
    if row.get("tzid"):
        return ZoneInfo(str(row["tzid"]))
    return datetime.fromisoformat(str(row["start"])).tzinfo or UTC


def in_zone(text: str, zone: tzinfo) -> datetime:
    """A stored moment in a series' time zone."""
    return datetime.fromisoformat(text).astimezone(zone)


def rule_parts(rule: str) -> vRecur:
    """An RRULE's parts (FREQ, INTERVAL, BYDAY, UNTIL, COUNT …), read by icalendar."""
    parts: vRecur = vRecur.from_ical(rule)
    return parts


def rule_text(parts: dict[str, Any]) -> str:
    """RRULE text (without the `RRULE:` prefix) in icalendar's canonical order."""
    return bytes(vRecur(parts).to_ical()).decode()   # type: ignore[no-untyped-call]


def _rrule(rule: str, start: datetime) -> Any:
    """dateutil's reading of an RRULE from `start` (what icalendar and recurring-ical-events use underneath)."""
    from dateutil.rrule import rrulestr

    return rrulestr(rule, dtstart=start)


def _occurrences_of(calendar: Calendar) -> Any:
    """recurring-ical-events' query over a calendar."""
    import recurring_ical_events

    return recurring_ical_events.of(calendar)


def first_on_or_after(rule: str, candidate: datetime) -> datetime | None:
    """The first moment on or after `candidate` (aware; its time of day is the series') that the rule's
    pattern holds, ignoring INTERVAL, COUNT and UNTIL: where a series of that pattern starts (RFC 5545 asks for
    DTSTART to be an occurrence). None when there is none within the rule's UNTIL."""
    parts = dict(rule_parts(rule))
    until = parts.pop("UNTIL", None)
    for key in ("INTERVAL", "COUNT"):
        parts.pop(key, None)
    found: datetime | None = _rrule(rule_text(parts), candidate).after(candidate, inc=True)
    if found is None or (until and found > until[0]):
        return None
    return found.astimezone(candidate.tzinfo) if candidate.tzinfo else found


def instances_before(row: Row, moment: datetime) -> int:
    """How many instances the rule generated before `moment` (COUNT counts them, cancelled ones included)."""
    zone = zone_of(row)
    start = in_zone(str(row["start"]), zone)
    if moment <= start:
        return 0
    return len(_rrule(str(row["rrule"]), start).between(start, moment, inc=False)) + 1


def _event(row: Row, start: datetime, length: timedelta, stamp: datetime | None) -> Event:
    event = Event()
    event.add("uid", f"{row['id']}@tfbot")
    event.add("summary", str(row["title"]))
    event.add("dtstart", start)
    event.add("dtend", start + length)
    if stamp is not None:
        event.add("dtstamp", stamp)
    if row.get("place"):
        event.add("location", str(row["place"]))
    if row.get("status") == "취소":
        event.add("status", "CANCELLED")
    return event


def series_events(row: Row, exceptions: Iterable[Row], stamp: datetime | None = None) -> list[Event]:
    """The VEVENTs of a series: the master with its RRULE and EXDATEs, then one override per moved occurrence."""
    zone = zone_of(row)
    start = in_zone(str(row["start"]), zone)
    length = DEFAULT_LENGTH
    if row.get("end") and "T" in str(row["end"]):
        length = max(in_zone(str(row["end"]), zone) - start, timedelta(minutes=1))
    master = _event(row, start, length, stamp)
    master.add("rrule", rule_parts(str(row["rrule"])))
    changed = sorted(exceptions, key=lambda e: str(e["occurrence"]))
    cancelled = [in_zone(str(e["occurrence"]), zone) for e in changed if e["start"] is None and e["scope"] == "this"]
    if cancelled:
        master.add("exdate", cancelled)
    events = [master]
    for exception in changed:
        if exception["start"] is not None:
            moved = _event(row, in_zone(str(exception["start"]), zone), length, stamp)
            moved.add("recurrence-id", in_zone(str(exception["occurrence"]), zone))
            events.append(moved)
    return events


def _calendar(row: Row, exceptions: Iterable[Row]) -> Calendar:
    cal = Calendar()
    for event in series_events(row, exceptions):
        cal.add_component(event)
    return cal


def _occurrence(component: Any, zone: tzinfo) -> Occurrence:
    start = component["DTSTART"].dt.astimezone(zone)
    original = component.get("RECURRENCE-ID")
    return Occurrence(iso(start), iso(original.dt.astimezone(zone)) if original is not None else iso(start))


def expand(row: Row, exceptions: Iterable[Row], since: datetime, until: datetime) -> list[Occurrence]:
    """The occurrences of a series that start in [since, until), moved ones where they were moved to and
    cancelled ones left out (recurring-ical-events over the series' VEVENTs)."""
    zone = zone_of(row)
    found = _occurrences_of(_calendar(row, exceptions)).between(since, until)
    return sorted({o for o in (_occurrence(c, zone) for c in found)
                   if since <= datetime.fromisoformat(o.start) < until})


def next_after(row: Row, exceptions: Iterable[Row], moment: datetime) -> Occurrence | None:
    """The first occurrence of a series that starts at or after `moment`, or None when the series has ended."""
    zone = zone_of(row)
    for steps, component in enumerate(_occurrences_of(_calendar(row, exceptions)).after(moment)):
        found = _occurrence(component, zone)
        if datetime.fromisoformat(found.start) >= moment:
            return found
        if steps >= _AFTER_STEPS:
            break
    return None


def window(row: Row, exceptions: Iterable[Row], since: datetime, until: datetime) -> list[Occurrence]:
    """The occurrences of a series that start in [since, until), and the first one after (the next meeting is
    known even when it is further away): `expand` and `next_after` in one pass of recurring-ical-events."""
    zone = zone_of(row)
    found: list[Occurrence] = []
    for steps, component in enumerate(_occurrences_of(_calendar(row, exceptions)).after(since)):
        occurrence = _occurrence(component, zone)
        start = datetime.fromisoformat(occurrence.start)
        if start >= since:
            found.append(occurrence)
            if start >= until:
                break
        if steps >= _WINDOW_STEPS:
            break
    return found


def ends_before(rule: str, occurrence: datetime) -> str:
    """The rule ended just before an occurrence (its COUNT replaced by an UNTIL one second earlier, in UTC)."""
    parts = dict(rule_parts(rule))
    parts.pop("COUNT", None)
    parts["UNTIL"] = [(occurrence - timedelta(seconds=1)).astimezone(UTC)]
    return rule_text(parts)
