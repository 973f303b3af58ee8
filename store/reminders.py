"""What became of each meeting reminder in each chat: claimed before the send, sent once accepted, or skipped.

A reminder is keyed by the meeting's start as well as its id, so a moved meeting's reminders are new ones, and
each occurrence of a recurring meeting (the series' id, the occurrence's start) has its own.
Each method is one short statement or transaction, so a caller on another thread holds no lock for long.
"""

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from store.tx import immediate, query

Row = dict[str, Any]
CLAIMED, SENT, SKIPPED = "claimed", "sent", "skipped"


@dataclass(frozen=True)
class ReminderKey:
    """One reminder of one meeting (at the start it had when planned) for one chat."""

    meeting: str
    start: str
    offset_seconds: int
    chat_id: int

    def params(self) -> list[Any]:
        """The key's values in column order."""
        return [self.meeting, self.start, self.offset_seconds, self.chat_id]


_WHERE = "meeting = ? AND start = ? AND offset_seconds = ? AND chat_id = ?"


class ReminderRecords:
    """Claims, confirmations and skips of meeting reminders (mixed into Store)."""

    db: Database

    def reminder_states(self, meeting: str, start: str, offset_seconds: int) -> dict[int, str]:
        """Chat id → state (`claimed`, `sent`, `skipped`) of one reminder of one meeting."""
        rows = query(self.db, "SELECT chat_id, state FROM reminders_sent WHERE meeting = ? AND start = ? "
                              "AND offset_seconds = ?", [meeting, start, offset_seconds])
        return {int(r["chat_id"]): str(r["state"]) for r in rows}

    def claim_reminder(self, key: ReminderKey, at: str) -> int | None:
        """Claim a reminder before sending it; the attempt number (2+ resends an unconfirmed claim), or None.

        None when it was sent or skipped already, or when the meeting (or, for a recurring one, the occurrence
        at that start) was cancelled or moved since planned.
        """
        with immediate(self.db):
            current = query(self.db, "SELECT 1 FROM meetings m WHERE id = ? AND status != '취소' AND CASE WHEN NOT "
                            "EXISTS (SELECT 1 FROM meeting_series s WHERE s.meeting = m.id) THEN start = ? ELSE "
                            "EXISTS (SELECT 1 FROM meeting_occurrences o WHERE o.meeting = m.id AND o.start = ?) END",
                            [key.meeting, key.start, key.start])
            if not current:
                return None
            found = self.db.execute(
                "INSERT INTO reminders_sent (meeting, start, offset_seconds, chat_id, state, claimed_at) "
                "VALUES (?, ?, ?, ?, 'claimed', ?) ON CONFLICT DO UPDATE SET claimed_at = excluded.claimed_at, "
                "attempts = attempts + 1 WHERE state = 'claimed' RETURNING attempts", [*key.params(), at]).fetchall()
        return int(found[0][0]) if found else None

    def confirm_reminder(self, key: ReminderKey, at: str) -> None:
        """The channel accepted the reminder: it counts as sent (one small statement)."""
        self.db.execute(
            "INSERT INTO reminders_sent (meeting, start, offset_seconds, chat_id, state, claimed_at, done_at) "
            "VALUES (?, ?, ?, ?, 'sent', ?, ?) ON CONFLICT DO UPDATE SET state = 'sent', done_at = excluded.done_at",
            [*key.params(), at, at])

    def release_reminder(self, key: ReminderKey) -> None:
        """The send failed: drop the claim so that the reminder is tried again."""
        self.db.execute(f"DELETE FROM reminders_sent WHERE {_WHERE} AND state = 'claimed'", key.params())

    def skip_reminder(self, key: ReminderKey, at: str) -> bool:
        """Record that a reminder will never go out (its meeting began); False if it was sent or skipped already."""
        found = self.db.execute(
            "INSERT INTO reminders_sent (meeting, start, offset_seconds, chat_id, state, claimed_at, done_at) "
            "VALUES (?, ?, ?, ?, 'skipped', ?, ?) ON CONFLICT DO UPDATE SET state = 'skipped', "
            "done_at = excluded.done_at WHERE state = 'claimed' RETURNING 1", [*key.params(), at, at]).fetchall()
        return bool(found)

    def reminder_records(self, state: str | None = None) -> list[Row]:
        """Every reminder record (or those in one state), oldest claim first."""
        if state is None:
            return query(self.db, "SELECT * FROM reminders_sent ORDER BY claimed_at, meeting, chat_id")
        return query(self.db, "SELECT * FROM reminders_sent WHERE state = ? ORDER BY claimed_at, meeting, chat_id",
                     [state])
