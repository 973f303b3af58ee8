"""Follow-up: tasks' due dates, the action items a meeting hands out, and the bot's messages about a meeting.

A due date is an ISO date (the whole day); who set it and when are kept with it, where it came from (chat,
import) in row_origins under `task_deadlines`. An action item belongs to a meeting and to one owner — a user,
a contact or an organisation, whose linked users it reaches (store/links.py) — and is done once someone
marks it so, with who and when. Every write is audited in its transaction.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlite_utils import Database

from store.errors import InvalidValue, NotFound
from store.links import OWNER_KINDS
from store.tx import immediate, query

Row = dict[str, Any]
MAX_WHAT = 200   # an action item's text
DUE_TABLE = "task_deadlines"   # the row_origins table name of a task's due date
_ACTION = ("SELECT a.*, m.title AS meeting_title, m.start AS meeting_start FROM action_items a "
           "JOIN meetings m ON m.id = a.meeting")


def iso_day(value: str) -> str:
    """An ISO date (`2026-12-20`) checked; InvalidValue otherwise."""
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise InvalidValue(f"기한은 날짜(예: 2026-12-20)여야 합니다: {value!r}")


class FollowUpRecords:
    """Due dates, action items and meeting messages (mixed into Store)."""

    db: Database
    audit: Callable[[str, int | None, str, str, object, object], None]   # from PeopleQueries
    record_origin: Callable[[str, str, str, str | None, int | None, str], None]   # from OriginRecords

    # --- due dates of tasks ----------------------------------------------------------------------
    def set_due(self, actor: int | None, task: str, due: str | None, at: str, origin: str = "chat",
                ref: str | None = None) -> str | None:
        """Set a task's due date (an ISO date), or clear it (None); returns the old one. The origin (`chat`,
        `import`) is recorded in row_origins; audited."""
        new = iso_day(due) if due is not None else None
        with immediate(self.db):
            if not query(self.db, "SELECT 1 FROM tasks WHERE id = ?", [task]):
                raise NotFound(f"없는 과제입니다: {task}")
            found = query(self.db, "SELECT due FROM task_deadlines WHERE task = ?", [task])
            old = str(found[0]["due"]) if found else None
            if new is None:
                self.db.execute("DELETE FROM task_deadlines WHERE task = ?", [task])
                self.db.execute("DELETE FROM row_origins WHERE tbl = ? AND row_id = ?", [DUE_TABLE, task])
            else:
                self.db.execute(
                    "INSERT INTO task_deadlines (task, due, set_by, set_at) VALUES (?, ?, ?, ?) ON CONFLICT(task) "
                    "DO UPDATE SET due = excluded.due, set_by = excluded.set_by, set_at = excluded.set_at",
                    [task, new, actor, at])
                self.record_origin(DUE_TABLE, task, origin, ref, actor, at)
            self.audit(at, actor, "due", task, old, new)
        return old

    def due_of(self, task: str) -> Row | None:
        """A task's due date with who set it, when, and its origin (`chat`, `import` …), or None."""
        found = query(self.db, "SELECT d.*, o.origin, o.ref FROM task_deadlines d LEFT JOIN row_origins o "
                               "ON o.tbl = ? AND o.row_id = d.task WHERE d.task = ?", [DUE_TABLE, task])
        return found[0] if found else None

    def task_deadlines(self, first: str | None = None, last: str | None = None) -> list[Row]:
        """Tasks due between two ISO dates (inclusive; None: unbounded), soonest first, with the task's name,
        kind, lead and region."""
        return query(self.db, "SELECT d.task, d.due, d.set_by, d.set_at, t.name, t.kind, t.lead, t.region, t.parent "
                              "FROM task_deadlines d JOIN tasks t ON t.id = d.task WHERE d.due >= ? AND d.due <= ? "
                              "ORDER BY d.due, t.rowid", [first or "0000-00-00", last or "9999-99-99"])

    # --- action items ----------------------------------------------------------------------------
    def add_action(self, actor: int | None, at: str, meeting: str, owner_kind: str, owner_id: str, what: str,
                   due: str | None) -> int:
        """Record an action item of a meeting for an owner (user, contact or organisation); returns its id."""
        what = " ".join(what.split())
        if not what or len(what) > MAX_WHAT:
            raise InvalidValue(f"할 일은 1~{MAX_WHAT}자로 적어 주세요.")
        if owner_kind not in OWNER_KINDS:
            raise InvalidValue(f"담당 종류는 {', '.join(OWNER_KINDS)} 중 하나여야 합니다: {owner_kind!r}")
        day = iso_day(due) if due is not None else None
        with immediate(self.db):
            if not query(self.db, "SELECT 1 FROM meetings WHERE id = ?", [meeting]):
                raise NotFound(f"없는 회의입니다: {meeting}")
            table, column = {"user": ("users", "user_id"), "contact": ("contacts", "id"),
                             "organisation": ("organisations", "id")}[owner_kind]
            if not query(self.db, f"SELECT 1 FROM {table} WHERE {column} = ?", [owner_id]):
                raise NotFound(f"없는 담당입니다: {owner_id}")
            cursor = self.db.execute(
                "INSERT INTO action_items (meeting, owner_kind, owner_id, what, due, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", [meeting, owner_kind, str(owner_id), what, day, actor, at])
            item = int(cursor.lastrowid or 0)
            self.audit(at, actor, "action", str(item), None,
                       {"meeting": meeting, "owner": f"{owner_kind}:{owner_id}", "what": what, "due": day})
        return item

    def action(self, item: int) -> Row | None:
        """One action item with its meeting's title and start, or None."""
        found = query(self.db, f"{_ACTION} WHERE a.id = ?", [item])
        return found[0] if found else None

    def actions_of_meeting(self, meeting: str) -> list[Row]:
        """A meeting's action items, open ones first, each in the order recorded."""
        return query(self.db, f"{_ACTION} WHERE a.meeting = ? ORDER BY a.done_at IS NOT NULL, a.id", [meeting])

    def open_actions(self, first: str | None = None, last: str | None = None) -> list[Row]:
        """Open action items due between two ISO dates (inclusive); with no bounds, every open item (those
        without a due date last)."""
        if first is None and last is None:
            return query(self.db, f"{_ACTION} WHERE a.done_at IS NULL ORDER BY a.due IS NULL, a.due, a.id")
        return query(self.db, f"{_ACTION} WHERE a.done_at IS NULL AND a.due >= ? AND a.due <= ? ORDER BY a.due, a.id",
                     [first or "0000-00-00", last or "9999-99-99"])

    def actions_of_owners(self, owners: list[tuple[str, str]]) -> list[Row]:
        """The action items of any of these (kind, id) owners, open ones first, soonest due first."""
        if not owners:
            return []
        where = " OR ".join("(a.owner_kind = ? AND a.owner_id = ?)" for _ in owners)
        return query(self.db, f"{_ACTION} WHERE {where} ORDER BY a.done_at IS NOT NULL, a.due IS NULL, a.due, a.id",
                     [v for owner in owners for v in owner])

    def open_actions_before(self, meeting: str, start: str) -> list[Row]:
        """Open action items a meeting starting at `start` should bring up: those of this meeting (a series
        meets again) and of every meeting that began before it, soonest due first."""
        return query(self.db, f"{_ACTION} WHERE a.done_at IS NULL AND (a.meeting = ? OR (m.start IS NOT NULL "
                              "AND m.start < ?)) ORDER BY a.due IS NULL, a.due, a.id", [meeting, start])

    def last_meeting_with_actions(self, before: str) -> Row | None:
        """The latest meeting that began before `before` and has action items; when none with a date has, the
        meeting an item was last recorded for."""
        found = query(self.db, "SELECT m.* FROM meetings m WHERE m.start IS NOT NULL AND m.start < ? AND EXISTS "
                               "(SELECT 1 FROM action_items a WHERE a.meeting = m.id) ORDER BY m.start DESC LIMIT 1",
                      [before])
        if not found:
            found = query(self.db, "SELECT m.* FROM action_items a JOIN meetings m ON m.id = a.meeting "
                                   "WHERE m.start IS NULL OR m.start >= ? ORDER BY a.id DESC LIMIT 1", [before])
        return found[0] if found else None

    def mark_done(self, actor: int | None, actor_name: str | None, item: int, at: str) -> Row:
        """Mark an action item done by `actor` at `at` (once: a done item stays as it was); returns the item as
        it was before. Audited."""
        with immediate(self.db):
            old = self.action(item)
            if old is None:
                raise NotFound(f"없는 후속조치입니다: {item}")
            if old["done_at"] is None:
                self.db.execute("UPDATE action_items SET done_by = ?, done_by_name = ?, done_at = ? WHERE id = ?",
                                [actor, actor_name, at, item])
                self.audit(at, actor, "action_done", str(item), None, at)
        return old

    # --- the bot's messages about a meeting ---------------------------------------------------------
    def remember_meeting_message(self, chat_id: int, message_id: int, meeting: str, at: str) -> None:
        """Note that a message the bot sent in a chat is about a meeting (a reminder, a saved meeting)."""
        self.db.execute("INSERT OR REPLACE INTO meeting_messages (chat_id, message_id, meeting, sent_at) "
                        "VALUES (?, ?, ?, ?)", [chat_id, message_id, meeting, at])

    def meeting_of_message(self, chat_id: int, message_id: int) -> str | None:
        """The meeting a message the bot sent in a chat is about, if it is one of those."""
        found = query(self.db, "SELECT meeting FROM meeting_messages WHERE chat_id = ? AND message_id = ?",
                      [chat_id, message_id])
        return str(found[0]["meeting"]) if found else None
