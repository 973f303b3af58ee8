"""What became of each deadline reminder for each person: claimed before the send, sent once accepted, or
skipped (the person was away, or it could no longer go out), the same states as meeting reminders have.

A reminder is keyed by its item (`task:<id>`, `action:<id>`), the item's due date, its offset (positive: days
before the due date; negative: the overdue nudge after it) and the person, so that a changed due date makes
new reminders. Each method is one short statement or transaction.
"""

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from store.tx import immediate, query

Row = dict[str, Any]


@dataclass(frozen=True)
class DeadlineKey:
    """One reminder of one item's due date for one person."""

    item: str
    due: str
    offset_seconds: int
    user_id: int

    def params(self) -> list[Any]:
        """The key's values in column order."""
        return [self.item, self.due, self.offset_seconds, self.user_id]


_WHERE = "item = ? AND due = ? AND offset_seconds = ? AND user_id = ?"
_INSERT = "INSERT INTO deadline_reminders (item, due, offset_seconds, user_id, state, reason, claimed_at, done_at) "


class DeadlineReminderRecords:
    """Claims, confirmations and skips of deadline reminders (mixed into Store)."""

    db: Database

    def deadline_reminder_states(self, item: str, due: str, offset_seconds: int) -> dict[int, str]:
        """User id → state (`claimed`, `sent`, `skipped`) of one reminder of one item's due date."""
        rows = query(self.db, "SELECT user_id, state FROM deadline_reminders WHERE item = ? AND due = ? "
                              "AND offset_seconds = ?", [item, due, offset_seconds])
        return {int(r["user_id"]): str(r["state"]) for r in rows}

    def still_due(self, item: str, due: str) -> bool:
        """Whether the item still has this due date (and, for an action item, is not done)."""
        kind, _, ident = item.partition(":")
        if kind == "task":
            sql = "SELECT 1 FROM task_deadlines WHERE task = ? AND due = ?"
        elif kind == "action" and ident.isdigit():
            sql = "SELECT 1 FROM action_items WHERE id = ? AND due = ? AND done_at IS NULL"
        else:
            return False
        return bool(query(self.db, sql, [ident, due]))

    def claim_deadline_reminder(self, key: DeadlineKey, at: str) -> int | None:
        """Claim a reminder before sending it; the attempt number (2+ resends an unconfirmed claim), or None when
        it was sent or skipped already, or the item's due date changed or it was done since planned."""
        with immediate(self.db):
            if not self.still_due(key.item, key.due):
                return None
            found = self.db.execute(
                _INSERT + "VALUES (?, ?, ?, ?, 'claimed', NULL, ?, NULL) ON CONFLICT DO UPDATE SET "
                "claimed_at = excluded.claimed_at, attempts = attempts + 1 WHERE state = 'claimed' RETURNING attempts",
                [*key.params(), at]).fetchall()
        return int(found[0][0]) if found else None

    def confirm_deadline_reminder(self, key: DeadlineKey, at: str) -> None:
        """The channel accepted the reminder: it counts as sent (one small statement)."""
        self.db.execute(_INSERT + "VALUES (?, ?, ?, ?, 'sent', NULL, ?, ?) ON CONFLICT DO UPDATE SET state = 'sent', "
                        "done_at = excluded.done_at", [*key.params(), at, at])

    def release_deadline_reminder(self, key: DeadlineKey) -> None:
        """The send failed: drop the claim so that the reminder is tried again."""
        self.db.execute(f"DELETE FROM deadline_reminders WHERE {_WHERE} AND state = 'claimed'", key.params())

    def skip_deadline_reminder(self, key: DeadlineKey, reason: str, at: str) -> bool:
        """Record that a reminder will not go out (`away`, `late`); False if it was sent or skipped already."""
        found = self.db.execute(
            _INSERT + "VALUES (?, ?, ?, ?, 'skipped', ?, ?, ?) ON CONFLICT DO UPDATE SET state = 'skipped', "
            "reason = excluded.reason, done_at = excluded.done_at WHERE state = 'claimed' RETURNING 1",
            [*key.params(), reason, at, at]).fetchall()
        return bool(found)

    def deadline_reminder_records(self, state: str | None = None) -> list[Row]:
        """Every deadline reminder record (or those in one state), oldest claim first."""
        if state is None:
            return query(self.db, "SELECT * FROM deadline_reminders ORDER BY claimed_at, item, user_id")
        return query(self.db, "SELECT * FROM deadline_reminders WHERE state = ? ORDER BY claimed_at, item, user_id",
                     [state])
