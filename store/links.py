"""Who is who: Telegram users linked to a contact or an organisation, task owners, and who is away.

A link is asked for (`requested`) and holds only once an admin confirmed it. A task's owners are the rows in
`task_owners` when it has any, else its lead organisation; an owner that is a contact or an organisation
reaches the users confirmed as that contact, that organisation, or a contact of that organisation.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlite_utils import Database

from store.errors import InvalidValue, NotFound
from store.tx import immediate, query

Row = dict[str, Any]
OWNER_KINDS = ("user", "contact", "organisation")


class LinkRecords:
    """User links, task owners and away dates (mixed into Store)."""

    db: Database
    audit: Callable[[str, int | None, str, str, object, object], None]   # from PeopleQueries

    def request_link(self, user_id: int, at: str, contact: str | None = None,
                     organisation: str | None = None) -> Row | None:
        """Ask that a registered user be linked to one contact or one organisation; returns the previous link.

        The new link is `requested` until an admin confirms it. Audited.
        """
        if (contact is None) == (organisation is None):
            raise InvalidValue("연결할 대상은 담당자 한 명이나 기관 하나여야 합니다.")
        with immediate(self.db):
            if not query(self.db, "SELECT 1 FROM users WHERE user_id = ?", [user_id]):
                raise NotFound(f"등록되지 않은 사용자입니다: {user_id}")
            _check_exists(self.db, "contacts" if contact else "organisations", contact or organisation or "")
            old = self.link_of(user_id)
            self.db.execute(
                "INSERT INTO user_links (user_id, contact, organisation, state, requested_at) "
                "VALUES (?, ?, ?, 'requested', ?) ON CONFLICT(user_id) DO UPDATE SET contact = excluded.contact, "
                "organisation = excluded.organisation, state = 'requested', requested_at = excluded.requested_at, "
                "confirmed_by = NULL, confirmed_at = NULL", [user_id, contact, organisation, at])
            self.audit(at, user_id, "link_request", str(user_id), old and (old["contact"] or old["organisation"]),
                       contact or organisation)
        return old

    def confirm_link(self, admin: int | None, user_id: int, at: str) -> Row:
        """An admin confirms a user's requested link; returns the confirmed link. Audited."""
        with immediate(self.db):
            link = self.link_of(user_id)
            if link is None:
                raise NotFound(f"연결 요청이 없는 사용자입니다: {user_id}")
            self.db.execute("UPDATE user_links SET state = 'confirmed', confirmed_by = ?, confirmed_at = ? "
                            "WHERE user_id = ?", [admin, at, user_id])
            self.audit(at, admin, "link_confirm", str(user_id), link["state"], link["contact"] or link["organisation"])
        return self.link_of(user_id) or link

    def drop_link(self, actor: int | None, user_id: int, at: str) -> Row | None:
        """Remove a user's link (requested or confirmed); returns it, or None when there was none. Audited."""
        with immediate(self.db):
            link = self.link_of(user_id)
            if link is not None:
                self.db.execute("DELETE FROM user_links WHERE user_id = ?", [user_id])
                self.audit(at, actor, "link_drop", str(user_id), link["contact"] or link["organisation"], None)
        return link

    def link_of(self, user_id: int) -> Row | None:
        """A user's link, requested or confirmed."""
        found = query(self.db, "SELECT * FROM user_links WHERE user_id = ?", [user_id])
        return found[0] if found else None

    def users_named(self, name: str) -> list[Row]:
        """Registered users called `name` (spaces ignored): by the name they were registered with, or by the
        person of the contact they are linked to (requested or confirmed)."""
        bare = "".join(name.split())
        return query(self.db, "SELECT DISTINCT u.* FROM users u LEFT JOIN user_links l USING (user_id) "
                              "LEFT JOIN contacts c ON c.id = l.contact WHERE replace(u.name, ' ', '') = ? "
                              "OR replace(c.person, ' ', '') = ? ORDER BY u.user_id", [bare, bare])

    def requested_links(self) -> list[Row]:
        """Links waiting for an admin, oldest first."""
        return query(self.db, "SELECT * FROM user_links WHERE state = 'requested' ORDER BY requested_at, user_id")

    def users_for(self, kind: str, owner_id: str) -> list[int]:
        """Registered users an owner reaches: the user; a contact's or an organisation's confirmed users."""
        if kind == "user":
            sql = "SELECT user_id FROM users WHERE user_id = ?"
        elif kind == "contact":
            sql = ("SELECT l.user_id FROM user_links l JOIN users u USING (user_id) "
                   "WHERE l.state = 'confirmed' AND l.contact = ?")
        elif kind == "organisation":
            sql = ("SELECT l.user_id FROM user_links l JOIN users u USING (user_id) "
                   "LEFT JOIN contacts c ON c.id = l.contact WHERE l.state = 'confirmed' "
                   "AND coalesce(l.organisation, c.organisation) = ?")
        else:
            raise InvalidValue(f"담당 종류는 {', '.join(OWNER_KINDS)} 중 하나여야 합니다: {kind!r}")
        return sorted({int(r["user_id"]) for r in query(self.db, sql, [owner_id])})

    def task_owners(self, task: str) -> list[Row]:
        """A task's owners (kind, id): its own rows in task_owners, else its lead organisation."""
        rows = query(self.db, "SELECT owner_kind, owner_id FROM task_owners WHERE task = ? "
                              "ORDER BY added_at, owner_kind, owner_id", [task])
        if rows:
            return rows
        lead = query(self.db, "SELECT lead FROM tasks WHERE id = ? AND lead IS NOT NULL", [task])
        return [{"owner_kind": "organisation", "owner_id": lead[0]["lead"]}] if lead else []

    def add_task_owner(self, actor: int | None, task: str, kind: str, owner_id: str, at: str) -> bool:
        """Add an owner to a task; False when it was one already. Audited."""
        if kind not in OWNER_KINDS:
            raise InvalidValue(f"담당 종류는 {', '.join(OWNER_KINDS)} 중 하나여야 합니다: {kind!r}")
        with immediate(self.db):
            _check_exists(self.db, "tasks", task)
            table = {"user": "users", "contact": "contacts", "organisation": "organisations"}[kind]
            _check_exists(self.db, table, owner_id, "user_id" if kind == "user" else "id")
            added = self.db.execute(
                "INSERT INTO task_owners (task, owner_kind, owner_id, added_by, added_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING RETURNING 1", [task, kind, owner_id, actor, at]).fetchall()
            if added:
                self.audit(at, actor, "task_owner", task, None, f"{kind}:{owner_id}")
        return bool(added)

    def task_owner_users(self, task: str) -> list[int]:
        """Registered users a task's owners reach (see users_for)."""
        found: set[int] = set()
        for owner in self.task_owners(task):
            found.update(self.users_for(str(owner["owner_kind"]), str(owner["owner_id"])))
        return sorted(found)

    def set_away(self, user_id: int, until: date | None, at: str) -> None:
        """Mark a user away up to and including `until` (None: back). Audited."""
        with immediate(self.db):
            old = query(self.db, "SELECT away_until FROM users WHERE user_id = ?", [user_id])
            if not old:
                raise NotFound(f"등록되지 않은 사용자입니다: {user_id}")
            value = until.isoformat() if until else None
            self.db.execute("UPDATE users SET away_until = ? WHERE user_id = ?", [value, user_id])
            self.audit(at, user_id, "away", str(user_id), old[0]["away_until"], value)

    def is_away(self, user_id: int, day: date) -> bool:
        """Whether a user is away on `day`."""
        found = query(self.db, "SELECT away_until FROM users WHERE user_id = ?", [user_id])
        until = found[0]["away_until"] if found else None
        return bool(until) and day.isoformat() <= str(until)

    def recipients(self, user_ids: Iterable[int], day: date) -> list[int]:
        """The users of `user_ids` a nudge or a reminder may go to on `day`: those not away then, in the order
        given, each once. Every sender of messages to people asks here."""
        wanted = list(dict.fromkeys(int(u) for u in user_ids))
        if not wanted:
            return []
        marks = ", ".join("?" * len(wanted))
        away = {int(r["user_id"]) for r in query(
            self.db, f"SELECT user_id FROM users WHERE user_id IN ({marks}) AND away_until >= ?",
            [*wanted, day.isoformat()])}
        return [u for u in wanted if u not in away]

    def away_users(self, day: date) -> list[Row]:
        """Users away on `day`, with their names and away-until dates."""
        return query(self.db, "SELECT user_id, name, away_until FROM users WHERE away_until >= ? "
                              "ORDER BY away_until, user_id", [day.isoformat()])


def _check_exists(db: Database, table: str, key: str, column: str = "id") -> None:
    if not query(db, f"SELECT 1 FROM {table} WHERE {column} = ?", [key]):
        raise NotFound(f"없는 항목입니다: {key}")
