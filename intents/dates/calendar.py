"""Meetings as iCalendar (.ics) files people add to Outlook or their phone (icalendar library)."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from intents.message import Attachment
from store.store import Row

DEFAULT_LENGTH = timedelta(hours=1)


def meetings_ics(meetings: list[Row], stamp: datetime) -> bytes:
    """One VCALENDAR holding a VEVENT for each meeting that has a date-time."""
    cal = Calendar()
    cal.add("prodid", "-//tfbot//TF meetings//KO")
    cal.add("version", "2.0")
    for row in meetings:
        if not row.get("start") or "T" not in str(row["start"]):
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
    return bytes(cal.to_ical())


def meeting_attachment(row: Row, stamp: datetime) -> Attachment:
    """A single meeting as an .ics attachment."""
    return Attachment(filename=f"{row['id']}.ics", data=meetings_ics([row], stamp), mime="text/calendar")
