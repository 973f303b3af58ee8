"""Users with roles and the audit log; every write is audited in its transaction."""

import json
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from store.errors import InvalidValue, NotFound
from store.tx import immediate, query

Row = dict[str, Any]
ROLES = ("member", "coordinator", "admin")
LOCAL_OPERATOR = 0   # who wrote it, in rows and the audit log, when the console or the CLI did (no Telegram id)
# Telegram ids that are not a person: messages sent on behalf of a chat carry them as their sender, shared by
# every group and channel, so a role given to one would be given to all of them.
SHARED_SENDERS = {
    1087968824: "익명 그룹 관리자의 메시지(GroupAnonymousBot)",
    136817688: "채널 이름으로 보낸 메시지(Channel Bot)",
    777000: "서비스 알림과 채널 자동 전달",
}


class PeopleQueries:
    """Users and audit (mixed into Store)."""

    db: Database

    def user(self, user_id: int) -> Row | None:
        """A registered user by Telegram id."""
        found = query(self.db, "SELECT * FROM users WHERE user_id = ?", [user_id])
        return found[0] if found else None

    def users(self) -> list[Row]:
        """Every registered user."""
        return query(self.db, "SELECT * FROM users ORDER BY role DESC, user_id")

    def audit(self, at: str, user_id: int | None, action: str, target: str, old: object, new: object) -> None:
        """Append one audit row (inside the caller's transaction)."""
        self.db.execute(
            "INSERT INTO audit (at, user_id, action, target, old, new) VALUES (?, ?, ?, ?, ?, ?)",
            [at, user_id, action, target, _dump(old), _dump(new)])

    def audit_all(self, at: str, user_id: int | None, action: str, entries: list[tuple[str, object, object]]) -> None:
        """Append one audit row per (target, old, new) of one write of many rows (inside the caller's
        transaction)."""
        self.db.conn.executemany(
            "INSERT INTO audit (at, user_id, action, target, old, new) VALUES (?, ?, ?, ?, ?, ?)",
            [(at, user_id, action, target, _dump(old), _dump(new)) for target, old, new in entries])

    def audit_log(self, since: str | None = None) -> list[Row]:
        """Audit rows, oldest first, optionally from an ISO date on."""
        if since:
            return query(self.db, "SELECT * FROM audit WHERE at >= ? ORDER BY id", [since])
        return query(self.db, "SELECT * FROM audit ORDER BY id")

    def set_role(self, actor: int | None, user_id: int, role: str, at: str, name: str | None = None) -> Row | None:
        """Grant `role` to a user (adding them); returns the previous row. Audited."""
        if role not in ROLES:
            raise InvalidValue(f"역할은 {', '.join(ROLES)} 중 하나여야 합니다: {role!r}")
        check_person(user_id)
        with immediate(self.db):
            old = self.user(user_id)
            self.db.execute(
                "INSERT INTO users (user_id, name, role, added_at, added_by) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET role = excluded.role, name = coalesce(excluded.name, name)",
                [user_id, name, role, at, actor])
            self.audit(at, actor, "role", str(user_id), old and old["role"], role)
        return old

    def remove_user(self, actor: int | None, user_id: int, at: str) -> Row:
        """End a user's access at once, in one transaction: their role, their link to a contact or an
        organisation (requested or confirmed), their open choices (a button they were shown does nothing any
        more) and an admin's 확인/거절 about them, their private chat (no reminder or nudge reaches them) and the
        unused invites they made. Audited; raises NotFound for an unknown id.

        Returns the removed user's row, with `link` (the link dropped, or None), `choices` and `invites` (how
        many were cancelled).
        """
        with immediate(self.db):
            old = self.user(user_id)
            if old is None:
                raise NotFound(f"등록되지 않은 사용자입니다: {user_id}")
            found = query(self.db, "SELECT * FROM user_links WHERE user_id = ?", [user_id])
            link = found[0] if found else None
            if link is not None:
                self.db.execute("DELETE FROM user_links WHERE user_id = ?", [user_id])
                self.audit(at, actor, "link_drop", str(user_id), link["contact"] or link["organisation"], None)
            choices = self.db.execute(
                "DELETE FROM choices WHERE user_id = ? OR (kind = 'link' AND json_extract(payload, '$.data.user') = ?)",
                [user_id, user_id]).rowcount
            now = _utc(at)
            invites = self.db.execute("UPDATE invites SET expires_at = ? WHERE created_by = ? AND used_by IS NULL "
                                      "AND expires_at > ?", [now, user_id, now]).rowcount
            self.db.execute("DELETE FROM private_chats WHERE user_id = ?", [user_id])
            self.db.execute("DELETE FROM users WHERE user_id = ?", [user_id])
            self.audit(at, actor, "revoke", str(user_id), old["role"], None)
            if choices or invites:
                self.audit(at, actor, "revoke_pending", str(user_id), {"choices": choices, "invites": invites}, None)
        return {**old, "link": link, "choices": choices, "invites": invites}

def check_person(user_id: int) -> None:
    """Raise InvalidValue unless an id can be a person's Telegram id (positive, not a shared sender id)."""
    if user_id <= 0:
        raise InvalidValue(f"사용자 ID는 양의 정수여야 합니다: {user_id}")
    if user_id in SHARED_SENDERS:
        raise InvalidValue(f"ID {user_id}: 사람이 아니라 텔레그램이 {SHARED_SENDERS[user_id]}에 쓰는 공용 ID라 "
                           "역할을 줄 수 없습니다. 본인 계정으로 봇에 메시지를 보내 받은 사용자 ID를 등록하세요.")


def _dump(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _utc(at: str) -> str:
    """An ISO moment as the UTC text invites and choices keep their expiry in."""
    return datetime.fromisoformat(at).astimezone(UTC).isoformat(timespec="seconds")
