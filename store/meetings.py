"""Meetings written from chat, attendance, bound chats and settings; writes audited."""

import secrets
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from store.errors import NotFound
from store.tx import immediate, query

Row = dict[str, Any]
_EDITABLE = ("title", "start", "end", "place", "mode")
GROUP_KEY = "group_chat_id"     # the setting /bind writes: the TF group's chat id
TOPIC_KEY = "group_thread_id"   # and the forum topic it was sent in ("" when none)


class MeetingWrites:
    """Write side of meetings, attendance and settings (mixed into Store)."""

    db: Database

    audit: Callable[[str, int | None, str, str, object, object], None]   # from PeopleQueries

    def add_meeting(self, actor: int | None, at: str, title: str, start: str, end: str | None, place: str | None,
                    mode: str | None, kind: str = "회의") -> str:
        """Create a meeting written from chat; return its id."""
        meeting_id = "m-" + secrets.token_hex(4)
        with immediate(self.db):
            self.db.execute(
                'INSERT INTO meetings (id, title, kind, start, "end", place, mode, created_by, status) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '예정')", [meeting_id, title, kind, start, end, place, mode, actor])
            self.audit(at, actor, "meeting", meeting_id, None,
                       {"title": title, "start": start, "end": end, "place": place, "mode": mode})
        return meeting_id

    def update_meeting(self, actor: int | None, at: str, meeting_id: str, **changes: str | None) -> Row:
        """Change a meeting's title, time, place or mode; returns the old row."""
        unknown = set(changes) - set(_EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        with immediate(self.db):
            old = self._meeting(meeting_id)
            sets = ", ".join(f'"{k}" = ?' for k in changes)
            self.db.execute(f"UPDATE meetings SET {sets} WHERE id = ?", [*changes.values(), meeting_id])
            self.audit(at, actor, "meeting_edit", meeting_id, {k: old[k] for k in changes}, changes)
        return old

    def cancel_meeting(self, actor: int | None, at: str, meeting_id: str) -> Row:
        """Mark a meeting cancelled (kept, never deleted); returns the old row."""
        with immediate(self.db):
            old = self._meeting(meeting_id)
            self.db.execute("UPDATE meetings SET status = '취소' WHERE id = ?", [meeting_id])
            self.audit(at, actor, "meeting_cancel", meeting_id, old["status"], "취소")
        return old

    def _meeting(self, meeting_id: str) -> Row:
        found = query(self.db, "SELECT * FROM meetings WHERE id = ?", [meeting_id])
        if not found:
            raise NotFound(f"회의를 찾지 못했습니다: {meeting_id}")
        return found[0]

    def respond(self, meeting_id: str, user_id: int, user_name: str | None, response: str, at: str) -> None:
        """Record (or change) a user's 참석/불참 answer."""
        with immediate(self.db):
            self.db.execute(
                "INSERT INTO meeting_responses (meeting, user_id, user_name, response, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(meeting, user_id) DO UPDATE SET response = excluded.response, at = excluded.at, "
                "user_name = coalesce(excluded.user_name, user_name)", [meeting_id, user_id, user_name, response, at])

    def responses(self, meeting_id: str) -> list[Row]:
        """Attendance answers for a meeting."""
        return query(self.db, "SELECT * FROM meeting_responses WHERE meeting = ? ORDER BY response, at",
                                  [meeting_id])

    def remember_private_chat(self, user_id: int, chat_id: int, at: str) -> None:
        """Note that a user has a private chat with the bot (for reminders and nudges)."""
        self.db.execute(
            "INSERT INTO private_chats (user_id, chat_id, seen_at) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET chat_id = excluded.chat_id, seen_at = excluded.seen_at",
            [user_id, chat_id, at])

    def private_chat(self, user_id: int) -> int | None:
        """The private chat id of a user, if they have one with the bot."""
        found = query(self.db, "SELECT chat_id FROM private_chats WHERE user_id = ?", [user_id])
        return int(found[0]["chat_id"]) if found else None

    def setting(self, key: str) -> str | None:
        """A stored setting (e.g. the bound TF group chat)."""
        found = query(self.db, "SELECT value FROM settings WHERE key = ?", [key])
        return str(found[0]["value"]) if found else None

    def set_setting(self, actor: int | None, at: str, key: str, value: str) -> None:
        """Store a setting, audited."""
        with immediate(self.db):
            old = self.setting(key)
            self.db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
            self.audit(at, actor, "setting", key, old, value)

    def bound_topic(self, chat_id: int) -> int | None:
        """The forum topic of the bound TF group that reminders and the digest go to, when `chat_id` is that group
        and /bind was sent in a topic; else None."""
        found = query(self.db, "SELECT key, value FROM settings WHERE key IN (?, ?)", [GROUP_KEY, TOPIC_KEY])
        values = {str(r["key"]): str(r["value"]) for r in found}
        topic = values.get(TOPIC_KEY, "")
        return int(topic) if values.get(GROUP_KEY) == str(chat_id) and topic.lstrip("-").isdigit() else None
