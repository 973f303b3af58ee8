"""One-time invites: an admin makes a token for a role; the first person to open it before it expires gets it.

Only the token's SHA-256 is kept, so the database (or a backup of it) cannot be used to register anyone.
Expiry is kept in UTC, like open choices, so that it compares as text whatever the configured timezone.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from store.choices import utc
from store.errors import InvalidValue
from store.people import ROLES, check_person
from store.tx import immediate, query

Row = dict[str, Any]
INVITE_ROLES = ("member", "coordinator")   # an admin is made with /grant, never by a link anyone may forward
TOKEN_BYTES = 16   # 22 URL-safe characters: inside a deep link's 64, and not guessable


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which an invite token is kept."""
    return hashlib.sha256(token.encode()).hexdigest()


def invite_id(digest: str) -> str:
    """An invite's short id in lists and the audit log: the first 8 characters of its hash."""
    return digest[:8]


@dataclass(frozen=True)
class Redeemed:
    """What opening an invite did: `registered` (a new user), `promoted` (a member made coordinator),
    `already` (the user's role is as high already: nothing changed and the invite stays open), or why it was
    refused: `used`, `expired`, `unknown`. `role` is the invite's role, `before` the user's earlier one."""

    outcome: str
    role: str | None = None
    before: str | None = None
    expires_at: str | None = None


class InviteRecords:
    """Invites (mixed into Store)."""

    db: Database
    audit: Callable[[str, int | None, str, str, object, object], None]   # from PeopleQueries
    user: Callable[[int], Row | None]                                      # from PeopleQueries

    def create_invite(self, actor: int | None, role: str, created: datetime, expires: datetime) -> str:
        """Make a one-time invite for `role` (member or coordinator) and return its token (kept only hashed).
        Audited under the invite's short id."""
        if role not in INVITE_ROLES:
            raise InvalidValue(f"초대할 수 있는 역할은 {', '.join(INVITE_ROLES)}입니다: {role!r}")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        digest = token_hash(token)
        with immediate(self.db):
            self.db.execute("INSERT INTO invites (token_hash, role, created_by, created_at, expires_at) "
                            "VALUES (?, ?, ?, ?, ?)", [digest, role, actor, created.isoformat(), utc(expires)])
            self.audit(created.isoformat(), actor, "invite", invite_id(digest), None,
                       {"role": role, "expires": utc(expires)})
        return token

    def redeem_invite(self, token: str, user_id: int, name: str | None, now: datetime) -> Redeemed:
        """Open an invite as `user_id`: registers them with its role once, before it expires; a user whose role
        is as high already keeps it and leaves the invite open. A used, expired or unknown token changes
        nothing. Audited."""
        check_person(user_id)
        digest = token_hash(token.strip())
        with immediate(self.db):
            found = query(self.db, "SELECT * FROM invites WHERE token_hash = ?", [digest])
            if not found:
                return Redeemed("unknown")
            invite = found[0]
            role = str(invite["role"])
            if invite["used_by"] is not None:
                return Redeemed("used", role)
            if str(invite["expires_at"]) <= utc(now):
                return Redeemed("expired", role, expires_at=str(invite["expires_at"]))
            old = self.user(user_id)
            before = str(old["role"]) if old else None
            if before is not None and ROLES.index(before) >= ROLES.index(role):
                return Redeemed("already", role, before)
            at = now.isoformat()
            self.db.execute(
                "INSERT INTO users (user_id, name, role, added_at, added_by) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET role = excluded.role, name = coalesce(name, excluded.name)",
                [user_id, name, role, at, invite["created_by"]])
            self.db.execute("UPDATE invites SET used_by = ?, used_at = ? WHERE token_hash = ?", [user_id, at, digest])
            self.audit(at, user_id, "invite_use", invite_id(digest), before, role)
            self.audit(at, user_id, "role", str(user_id), before, role)
        return Redeemed("promoted" if before else "registered", role, before)

    def open_invites(self, now: datetime) -> list[Row]:
        """Invites not yet used or expired, oldest first (with their short `id`, never a token)."""
        rows = query(self.db, "SELECT * FROM invites WHERE used_by IS NULL AND expires_at > ? "
                              "ORDER BY created_at", [utc(now)])
        return [{**r, "id": invite_id(str(r["token_hash"]))} for r in rows]

    def invite_of(self, token: str) -> Row | None:
        """The invite a token opens, used or not (for tests and the operator), or None."""
        found = query(self.db, "SELECT * FROM invites WHERE token_hash = ?", [token_hash(token.strip())])
        return found[0] if found else None
