"""Recurring meetings in the database: series, their exceptions (one occurrence moved or cancelled, or the series
ended from one on) and the occurrences expanded for the rolling window, which reminders and listings read.

The occurrences are derived: whenever a series or its exceptions change, that series' rows are rebuilt in the
same transaction (store/recurrence.py expands them with recurring-ical-events); `extend_occurrences` moves the
whole window forward, a chunk of series per transaction. The window reaches `until` and always holds each
series' first occurrence after it too, so the next meeting is known even when it is further away.
store/recurrence.py (icalendar, recurring-ical-events) is imported by the methods that need it: opening a
database or answering most questions does not, and loading it slowed every `tfbot` command.
"""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from store.errors import NotFound
from store.tx import immediate, query

if TYPE_CHECKING:
    from store.recurrence import Occurrence

Row = dict[str, Any]
DEFAULT_WINDOW_DAYS = 14       # how far ahead occurrences are expanded when nothing set the window yet
KEEP_PAST = timedelta(days=31)  # occurrences kept behind: reminders of one that began are recorded as skipped
EXTEND_CHUNK = 200             # series rebuilt per transaction when the window moves forward
_SERIES = "SELECT m.*, s.rrule, s.tzid FROM meetings m JOIN meeting_series s ON s.meeting = m.id"
_ONE_OFF = "NOT EXISTS (SELECT 1 FROM meeting_series s WHERE s.meeting = m.id)"


class SeriesRecords:
    """Recurring meetings and their occurrences (mixed into Store)."""

    db: Database

    audit: Callable[[str, int | None, str, str, object, object], None]   # from PeopleQueries

    # --- writing ---------------------------------------------------------------------------------
    def add_series(self, actor: int | None, at: str, title: str, start: str, rrule: str, tzid: str | None,
                   place: str | None, mode: str | None, kind: str = "회의") -> str:
        """Create a recurring meeting (its first occurrence `start`, its RRULE, the zone it recurs in) and its
        occurrences in the window; return its id."""
        from store import recurrence as ical

        ical.rule_parts(rrule)   # an RRULE icalendar cannot read is refused before anything is written
        meeting_id = "m-" + secrets.token_hex(4)
        with immediate(self.db):
            self.db.execute(
                'INSERT INTO meetings (id, title, kind, start, "end", place, mode, created_by, status) '
                "VALUES (?, ?, ?, ?, NULL, ?, ?, ?, '예정')", [meeting_id, title, kind, start, place, mode, actor])
            self.db.execute("INSERT INTO meeting_series (meeting, rrule, tzid) VALUES (?, ?, ?)",
                            [meeting_id, rrule, tzid])
            self.audit(at, actor, "meeting", meeting_id, None, {"title": title, "start": start, "rrule": rrule,
                                                                 "place": place, "mode": mode})
            self._rebuild(meeting_id, at)
        return meeting_id

    def change_occurrence(self, actor: int | None, at: str, meeting_id: str, occurrence: str,
                          start: str | None) -> Row:
        """Move one occurrence (by its original start) to `start`, or cancel it (`start` None); the others stay.
        Returns the series row."""
        from store import recurrence as ical

        with immediate(self.db):
            row = self._series(meeting_id)
            old = query(self.db, "SELECT start FROM meeting_exceptions WHERE meeting = ? AND occurrence = ?",
                        [meeting_id, occurrence])
            if start is not None:
                start = ical.iso(ical.in_zone(start, ical.zone_of(row)))
            if start == occurrence:   # moved back to where the rule puts it: no longer an exception
                self.db.execute("DELETE FROM meeting_exceptions WHERE meeting = ? AND occurrence = ?",
                                [meeting_id, occurrence])
            else:
                self.db.execute(
                    "INSERT INTO meeting_exceptions (meeting, occurrence, start, scope, created_by, at) "
                    "VALUES (?, ?, ?, 'this', ?, ?) ON CONFLICT(meeting, occurrence) DO UPDATE SET "
                    "start = excluded.start, scope = 'this', created_by = excluded.created_by, at = excluded.at",
                    [meeting_id, occurrence, start, actor, at])
            before = old[0]["start"] if old else occurrence
            action = "occurrence_move" if start is not None else "occurrence_cancel"
            self.audit(at, actor, action, f"{meeting_id}@{occurrence}", before, start or "취소")
            self._rebuild(meeting_id, at)
        return row

    def end_series(self, actor: int | None, at: str, meeting_id: str, occurrence: str) -> Row:
        """Cancel an occurrence and every one after it: the rule ends just before it (UNTIL). Returns the old row."""
        from store import recurrence as ical

        with immediate(self.db):
            row = self._series(meeting_id)
            rule = ical.ends_before(str(row["rrule"]), ical.in_zone(occurrence, ical.zone_of(row)))
            self.db.execute("UPDATE meeting_series SET rrule = ? WHERE meeting = ?", [rule, meeting_id])
            self.db.execute("DELETE FROM meeting_exceptions WHERE meeting = ? AND occurrence >= ?",
                            [meeting_id, occurrence])
            self.db.execute("INSERT INTO meeting_exceptions (meeting, occurrence, start, scope, created_by, at) "
                            "VALUES (?, ?, NULL, 'following', ?, ?)", [meeting_id, occurrence, actor, at])
            self.audit(at, actor, "series_end", meeting_id, row["rrule"], rule)
            self._rebuild(meeting_id, at)
        return row

    def split_series(self, actor: int | None, at: str, meeting_id: str, occurrence: str, start: str,
                     rrule: str) -> str:
        """Move an occurrence and every one after it: the series ends before it and a new one (same title, place
        and organiser) starts at `start` with `rrule`, its COUNT what was left of the old one's. Returns the new
        series' id."""
        from store import recurrence as ical

        with immediate(self.db):
            row = self._series(meeting_id)
            parts = ical.rule_parts(rrule)
            if "COUNT" in ical.rule_parts(str(row["rrule"])) and "UNTIL" not in parts:
                left = int(ical.rule_parts(str(row["rrule"]))["COUNT"][0]) - ical.instances_before(
                    row, ical.in_zone(occurrence, ical.zone_of(row)))
                parts["COUNT"] = [max(left, 1)]
                rrule = ical.rule_text(parts)
            ended = ical.ends_before(str(row["rrule"]), ical.in_zone(occurrence, ical.zone_of(row)))
            self.db.execute("UPDATE meeting_series SET rrule = ? WHERE meeting = ?", [ended, meeting_id])
            self.db.execute("DELETE FROM meeting_exceptions WHERE meeting = ? AND occurrence >= ?",
                            [meeting_id, occurrence])
            new_id = "m-" + secrets.token_hex(4)
            self.db.execute(
                'INSERT INTO meetings (id, title, kind, start, "end", place, mode, created_by, status, program, note) '
                "VALUES (?, ?, ?, ?, NULL, ?, ?, ?, '예정', ?, ?)", [new_id, row["title"], row["kind"], start,
                                                                     row["place"], row["mode"], row["created_by"],
                                                                     row["program"], row["note"]])
            self.db.execute("INSERT INTO meeting_series (meeting, rrule, tzid) VALUES (?, ?, ?)",
                            [new_id, rrule, row["tzid"]])
            self.audit(at, actor, "series_split", meeting_id, {"rrule": row["rrule"]},
                       {"rrule": ended, "continued_by": new_id, "start": start, "new_rrule": rrule})
            self._rebuild(meeting_id, at)
            self._rebuild(new_id, at)
        return new_id

    def reschedule_series(self, actor: int | None, at: str, meeting_id: str, start: str, rrule: str) -> Row:
        """Change a whole series (its first occurrence and rule); occurrences changed one at a time are reset.
        Returns the old row."""
        from store import recurrence as ical

        ical.rule_parts(rrule)
        with immediate(self.db):
            row = self._series(meeting_id)
            self.db.execute("UPDATE meetings SET start = ? WHERE id = ?", [start, meeting_id])
            self.db.execute("UPDATE meeting_series SET rrule = ? WHERE meeting = ?", [rrule, meeting_id])
            self.db.execute("DELETE FROM meeting_exceptions WHERE meeting = ?", [meeting_id])
            self.audit(at, actor, "series_edit", meeting_id, {"start": row["start"], "rrule": row["rrule"]},
                       {"start": start, "rrule": rrule})
            self._rebuild(meeting_id, at)
        return row

    def extend_occurrences(self, at: datetime, until: datetime, chunk: int = EXTEND_CHUNK) -> int:
        """Move the rolling window to reach `until`: the occurrences of every series that may have one before it
        rebuilt, `chunk` series per transaction, and those begun more than KEEP_PAST ago dropped. A series whose
        first occurrence after the window's old end is at or after `until` has nothing to add (most weekly and
        monthly ones, on a given day) and is left as it is. Returns the number of series rebuilt."""
        last = query(self.db, "SELECT m.id, (SELECT max(o.start) FROM meeting_occurrences o WHERE o.meeting = m.id) "
                              f"AS last FROM meetings m WHERE m.status != '취소' AND NOT {_ONE_OFF} ORDER BY m.id")
        ids = [str(r["id"]) for r in last if r["last"] is None or datetime.fromisoformat(str(r["last"])) < until]
        since = at - KEEP_PAST
        for first in range(0, len(ids), chunk):
            with immediate(self.db):
                for meeting_id in ids[first:first + chunk]:   # what began is left as it was
                    self._rebuild(meeting_id, at.isoformat(), until, since=at)
        with immediate(self.db):
            self.db.execute("DELETE FROM meeting_occurrences WHERE start < ?", [since.isoformat()])
            self.db.execute(
                "INSERT INTO occurrence_window (id, since, until, at) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
                "SET since = excluded.since, until = excluded.until, at = excluded.at",
                [since.isoformat(), until.isoformat(), at.isoformat()])
        return len(ids)

    def _series(self, meeting_id: str) -> Row:
        found = query(self.db, f"{_SERIES} WHERE m.id = ?", [meeting_id])
        if not found:
            raise NotFound(f"반복 회의를 찾지 못했습니다: {meeting_id}")
        return found[0]

    def _rebuild(self, meeting_id: str, at: str, until: datetime | None = None, since: datetime | None = None) -> None:
        """Expand one series into the window again (inside the caller's transaction): its occurrences from
        `since` (after a change to the series, from KEEP_PAST ago) to the window's end, and the first after."""
        from store import recurrence as ical

        row = self._series(meeting_id)
        moment = datetime.fromisoformat(at)
        since = since or moment - KEEP_PAST
        found = ical.window(row, self.exceptions_of(meeting_id), since, until or self.window_until(moment))
        self.db.execute("DELETE FROM meeting_occurrences WHERE meeting = ? AND start >= ?",
                        [meeting_id, ical.iso(since)])
        self.db.conn.executemany("INSERT OR REPLACE INTO meeting_occurrences (meeting, occurrence, start) "
                                 "VALUES (?, ?, ?)", [(meeting_id, o.occurrence, o.start) for o in found])

    # --- reading ---------------------------------------------------------------------------------
    def window_until(self, moment: datetime) -> datetime:
        """How far the window reaches: as far as it was last extended, or DEFAULT_WINDOW_DAYS ahead when it never
        was or has fallen behind `moment`."""
        found = query(self.db, "SELECT until FROM occurrence_window WHERE id = 1")
        until = datetime.fromisoformat(str(found[0]["until"])) if found else None
        return until if until is not None and until > moment else moment + timedelta(days=DEFAULT_WINDOW_DAYS)

    def occurrence_window(self) -> Row | None:
        """The window as last extended (`since`, `until`, `at`), or None if it never was."""
        found = query(self.db, "SELECT since, until, at FROM occurrence_window WHERE id = 1")
        return found[0] if found else None

    def exceptions_of(self, meeting_id: str) -> list[Row]:
        """Occurrences of a series moved or cancelled one at a time (and where it was ended), in order."""
        return query(self.db, "SELECT * FROM meeting_exceptions WHERE meeting = ? ORDER BY occurrence", [meeting_id])

    def cancelled_occurrence(self, meeting_id: str, occurrence: str) -> Row | None:
        """The exception that cancelled an occurrence (scope 'this'), or ended the series there ('following')."""
        found = query(self.db, "SELECT * FROM meeting_exceptions WHERE meeting = ? AND occurrence = ? "
                               "AND start IS NULL", [meeting_id, occurrence])
        return found[0] if found else None

    def series_list(self) -> list[Row]:
        """Every recurring meeting not cancelled as a whole, oldest first."""
        return query(self.db, f"{_SERIES} WHERE m.status != '취소' ORDER BY m.start, m.id")

    def occurrences(self, meeting_id: str, since: datetime, until: datetime) -> list["Occurrence"]:
        """The occurrences of one series in [since, until), expanded now (not only the window)."""
        from store import recurrence as ical

        row = self._series(meeting_id)
        return ical.expand(row, self.exceptions_of(meeting_id), since, until)

    def next_occurrence(self, meeting_id: str, moment: datetime) -> "Occurrence | None":
        """The first occurrence of a series at or after `moment`, expanded now (not only the window)."""
        from store import recurrence as ical

        row = self._series(meeting_id)
        return ical.next_after(row, self.exceptions_of(meeting_id), moment)

    def scheduled_meetings(self, after: str) -> list[Row]:
        """Meetings not cancelled whose start (a date-time) is after `after`, soonest first: one-off meetings,
        and the occurrences of recurring ones in the window, each as its series' row with the occurrence's
        `start`, its original start as `occurrence` (None for a one-off meeting) and the series' first one as
        `series_start`."""
        rows = query(self.db, "SELECT m.*, NULL AS rrule, NULL AS tzid, NULL AS occurrence FROM meetings m "
                              f"WHERE m.status != '취소' AND {_ONE_OFF} AND m.start > ? AND length(m.start) > 10",
                     [after])
        for row in query(self.db, "SELECT m.*, s.rrule, s.tzid, o.start AS occurrence_start, o.occurrence "
                                  "FROM meeting_occurrences o JOIN meetings m ON m.id = o.meeting "
                                  "JOIN meeting_series s ON s.meeting = m.id WHERE o.start > ? AND m.status != '취소'",
                         [after]):
            row["series_start"], row["start"] = row["start"], row.pop("occurrence_start")
            rows.append(row)
        rows.sort(key=lambda r: (str(r["start"]), str(r["id"])))
        return rows

    def meeting_starts(self, after: str) -> list[tuple[str, str, str | None]]:
        """(meeting id, start, original start or None) of each meeting not cancelled, and each occurrence of a
        recurring one in the window, that starts after `after`, soonest first: what reminders are planned from
        (only what the plan needs, so that thousands of series plan quickly)."""
        found = self.db.conn.execute(
            f"SELECT m.id, m.start, NULL FROM meetings m WHERE m.status != '취소' AND {_ONE_OFF} AND m.start > ? "
            "AND length(m.start) > 10 UNION ALL SELECT o.meeting, o.start, o.occurrence FROM meeting_occurrences o "
            "JOIN meetings m ON m.id = o.meeting WHERE o.start > ? AND m.status != '취소' ORDER BY 2, 1",
            [after, after]).fetchall()
        return [(str(r[0]), str(r[1]), r[2]) for r in found]

    def meeting_at(self, meeting_id: str, start: str) -> Row | None:
        """The meeting (one-off, or the occurrence of a series) that takes place at `start`, unless cancelled or
        moved away: what a reminder planned for that start is about."""
        found = query(self.db, "SELECT m.*, s.rrule, s.tzid, NULL AS occurrence FROM meetings m LEFT JOIN "
                               "meeting_series s ON s.meeting = m.id WHERE m.id = ? AND m.status != '취소'",
                      [meeting_id])
        if not found:
            return None
        row = found[0]
        if row["rrule"] is None:
            return row if row["start"] == start else None
        held = query(self.db, "SELECT occurrence FROM meeting_occurrences WHERE meeting = ? AND start = ?",
                     [meeting_id, start])
        if not held:
            return None
        return {**row, "series_start": row["start"], "start": start, "occurrence": held[0]["occurrence"]}

    def calendar_meetings(self, after: str) -> list[Row]:
        """What an .ics export holds: one-off meetings after `after`, and every recurring meeting not cancelled
        whose rule still has occurrences after it, with its exceptions (`exceptions`)."""
        from store import recurrence as ical

        rows = query(self.db, f"SELECT m.* FROM meetings m WHERE m.status != '취소' AND {_ONE_OFF} AND m.start > ? "
                              "AND length(m.start) > 10 ORDER BY m.start", [after])
        moment = datetime.fromisoformat(after)
        changed: dict[str, list[Row]] = {}
        for exception in query(self.db, "SELECT e.* FROM meeting_exceptions e JOIN meetings m ON m.id = e.meeting "
                                        "WHERE m.status != '취소' ORDER BY e.meeting, e.occurrence"):
            changed.setdefault(str(exception["meeting"]), []).append(exception)
        for row in self.series_list():
            held = query(self.db, "SELECT 1 FROM meeting_occurrences WHERE meeting = ? AND start >= ? LIMIT 1",
                         [row["id"], after])
            if held or ical.next_after(row, changed.get(str(row["id"]), []), moment) is not None:
                rows.append({**row, "exceptions": changed.get(str(row["id"]), [])})
        return rows
