"""Meetings as iCalendar (.ics) files people add to Outlook or their phone (icalendar library). A recurring
meeting is one VEVENT with its RRULE and EXDATEs and one override per moved occurrence (RECURRENCE-ID), with the
VTIMEZONE its times refer to."""

from datetime import UTC, datetime, timedelta

from intents.message import Attachment
from store.store import Row

DEFAULT_LENGTH = timedelta(hours=1)


def meetings_ics(meetings: list[Row], stamp: datetime) -> bytes:
    """One VCALENDAR holding a VEVENT for each meeting that has a date-time (a recurring one's `exceptions`, its
    moved and cancelled occurrences, go with it)."""
    from icalendar import Calendar, Event  # only when a file is made: its import is 65 ms of every `tfbot ask`

    from store.recurrence import series_events

    cal = Calendar()
    cal.add("prodid", "-//tfbot//TF meetings//KO")
    cal.add("version", "2.0")
    recurring = False
    for row in meetings:
        if not row.get("start") or "T" not in str(row["start"]):
            continue
        if row.get("rrule"):
            for event in series_events(row, row.get("exceptions", []), stamp.astimezone(UTC)):
                cal.add_component(event)
            recurring = True
            continue
        start = datetime.fromisoformat(str(row["start"])).astimezone(UTC)
        end = datetime.fromisoformat(str(row["end"])).astimezone(UTC) if row.get("end") and "T" in str(
            row["end"]) else start + DEFAULT_LENGTH
        event = Event()
        event.add("uid", f"{row['id']}@tfbot")
        event.add("summary", str(row["title"]))
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("dtstamp", stamp)
        if row.get("place"):
            event.add("location", str(row["place"]))
        if row.get("status") == "취소":
            event.add("status", "CANCELLED")
        cal.add_component(event)
    if recurring:   # a series recurs in its time zone (TZID): the VTIMEZONE goes with it (RFC 5545 3.2.19)
        cal.add_missing_timezones()
    return bytes(cal.to_ical())


def meeting_attachment(row: Row, stamp: datetime) -> Attachment:
    """A single meeting (or a recurring one, with its `exceptions`) as an .ics attachment."""
    return Attachment(filename=f"{row['id']}.ics", data=meetings_ics([row], stamp), mime="text/calendar")
