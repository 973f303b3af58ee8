"""Open choices: what a question or a write waits for, keyed by its own id, several open at once.

A choice is kept until it is answered (a one-shot kind) or until it expires; `expires_at` is stored in UTC so
that expiry compares as text in SQL whatever the configured timezone.
"""

import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from store.tx import immediate, query

# `iam`: which contact or organisation a user means by /iam; `link`: an admin's 확인/거절 of a requested link
KINDS = ("log", "meeting", "clarify", "rsvp", "import", "correction", "document", "iam", "link")
ID_BYTES = 4   # 8 hex characters: a button's callback data stays far below Telegram's 64 bytes
_ATTEMPTS = 5  # ids drawn again on the rare collision with an open choice


@dataclass(frozen=True)
class OpenChoice:
    """One open choice as kept: its id and kind, who may answer (None: anyone it was sent to), where, when it
    was offered and until when, and what its intent needs to finish (JSON)."""

    id: str
    kind: str
    user_id: int | None
    chat_id: int | None
    created_at: str
    expires_at: datetime
    payload: dict[str, Any]

    def expired(self, now: datetime) -> bool:
        """Whether the choice can no longer be answered at `now`."""
        return now >= self.expires_at


def utc(moment: datetime) -> str:
    """A moment as the UTC ISO text kept in `expires_at`."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class ChoiceRecords:
    """Open choices (mixed into Store)."""

    db: Database

    def open_choice(self, kind: str, user_id: int | None, chat_id: int | None, created: datetime,
                    expires: datetime, payload: dict[str, Any]) -> str:
        """Keep a new open choice and return its id; choices that expired before `created` are dropped."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind of choice: {kind!r}")
        text = json.dumps(payload, ensure_ascii=False)
        with immediate(self.db):
            self.db.execute("DELETE FROM choices WHERE expires_at <= ?", [utc(created)])
            for _ in range(_ATTEMPTS):
                choice_id = secrets.token_hex(ID_BYTES)
                try:
                    self.db.execute(
                        "INSERT INTO choices (id, kind, user_id, chat_id, created_at, expires_at, payload) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [choice_id, kind, user_id, chat_id, created.isoformat(), utc(expires), text])
                    return choice_id
                except sqlite3.IntegrityError:
                    continue
        raise RuntimeError("no free choice id")   # 5 collisions in 2**32 ids: not a real outcome

    def choice(self, choice_id: str) -> OpenChoice | None:
        """The open (or expired but not yet dropped) choice with this id, or None."""
        found = query(self.db, "SELECT * FROM choices WHERE id = ?", [choice_id])
        if not found:
            return None
        row = found[0]
        return OpenChoice(str(row["id"]), str(row["kind"]), row["user_id"], row["chat_id"], str(row["created_at"]),
                          datetime.fromisoformat(str(row["expires_at"])), json.loads(row["payload"]))

    def close_choice(self, choice_id: str) -> None:
        """Remove a choice that has been answered."""
        self.db.execute("DELETE FROM choices WHERE id = ?", [choice_id])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction around a block (BEGIN IMMEDIATE … COMMIT, ROLLBACK when it raises); the
        store's own writes inside it join it, so an answered choice and its write commit together."""
        with immediate(self.db):
            yield
