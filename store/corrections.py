"""Corrections of single facts from chat: the row changed in one transaction, the old value kept in
`corrections` with the date and source it came from, the row's origin recorded, the change audited."""

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from store.dataset import parse_phone
from store.errors import InvalidValue, NotFound, StaleValue
from store.origins import Origin
from store.tx import immediate, query

Row = dict[str, Any]
PHONES = "phones"   # the field of a row's phone numbers (kept in `phones`, shown joined by ' | ')
CORRECTABLE: dict[str, tuple[str, ...]] = {
    "contacts": ("person", "title", "department", "organisation", PHONES),
    "organisations": ("name", "address", PHONES),
}
_OWNER = {"contacts": "contact", "organisations": "organisation"}
_SEP = " | "
# a Korean phone number as people type it: 044-203-4419, 044 203 4419, (044)203-4419, 02-123-4567,
# 010-1234-5678, 0442034419; a nationwide number: 1588-1234
_AREA = re.compile(r"^\(?(0\d{1,2})\)?[-.\s]?(\d{3,4})[-.\s]?(\d{4})$")
_NATIONWIDE = re.compile(r"^(1[5-9]\d{2})[-.\s]?(\d{4})$")


def phone_number(text: str) -> str | None:
    """A phone number written as `0AA-BBB-CCCC` (Seoul `02-…`, `1588-1234`), or None when it is not one."""
    said = text.strip()
    nationwide = _NATIONWIDE.match(said)
    if nationwide:
        return f"{nationwide.group(1)}-{nationwide.group(2)}"
    found = _AREA.match(said)
    if found is None:
        return None
    digits = "".join(found.groups())
    area = 2 if digits.startswith("02") else 3
    if not 9 <= len(digits) <= 11 or not 3 <= len(digits) - area - 4 <= 4:
        return None
    return f"{digits[:area]}-{digits[area:-4]}-{digits[-4:]}"


@dataclass(frozen=True)
class Change:
    """One field of one row to change: the value shown when it was offered (`old`, to check nobody changed it
    meanwhile) and the new one. Phones are ` | `-joined; an organisation is its id."""

    table: str
    row_id: str
    field: str
    old: str | None
    new: str

    def as_json(self) -> dict[str, str | None]:
        """The change as kept in an open choice's payload."""
        return {"table": self.table, "row_id": self.row_id, "field": self.field, "old": self.old, "new": self.new}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Change":
        """A change read back from an open choice's payload."""
        return cls(str(data["table"]), str(data["row_id"]), str(data["field"]), data["old"], str(data["new"]))


@dataclass(frozen=True)
class NewDesk:
    """A department's own phone line where the data has none yet: a contact row with no person."""

    organisation: str
    department: str
    phone: str


class CorrectionRecords:
    """Corrections and their history (mixed into Store)."""

    db: Database
    audit: Callable[[str, int | None, str, str, object, object], None]   # from PeopleQueries
    record_origin: Callable[[str, str, str, str | None, int | None, str], None]   # from OriginRecords
    origin_of: Callable[[str, str], Origin]
    forget: Callable[[], None]   # from Store: the reference rows it remembered are stale after a write

    def current(self, table: str, row_id: str, field: str) -> str | None:
        """The value a correction would replace (phones ` | `-joined, None when empty); NotFound for no row."""
        _check(table, field)
        found = query(self.db, f"SELECT * FROM {table} WHERE id = ?", [row_id])
        if not found:
            raise NotFound(f"{table} {row_id} 행이 없습니다.")
        if field == PHONES:
            numbers = [r["display"] for r in query(
                self.db, "SELECT display FROM phones WHERE owner_kind = ? AND owner_id = ? ORDER BY id",
                [_OWNER[table], row_id])]
            return _SEP.join(numbers) or None
        value = found[0][field]
        return None if value in (None, "") else str(value)

    def correct(self, changes: Sequence[Change], user_id: int | None, user_name: str | None, at: str,
                desk: NewDesk | None = None) -> list[int]:
        """Apply corrections in one transaction and return their history ids: each row is updated, its old
        value kept with the date and source it came from, its origin recorded as a correction, the change
        audited. StaleValue when a value is no longer what was shown; nothing is written then."""
        with immediate(self.db):
            ids = [self._correct_one(c, user_id, user_name, at) for c in changes]
            if desk is not None:
                ids.append(self._add_desk(desk, user_id, user_name, at))
        self.forget()
        return ids

    def _correct_one(self, change: Change, user_id: int | None, user_name: str | None, at: str) -> int:
        table, row_id, field = change.table, change.row_id, change.field
        now = self.current(table, row_id, field)
        if now != change.old:
            raise StaleValue(f"그사이 값이 바뀌었습니다(지금: {now or '없음'}).")
        if not change.new.strip():
            raise InvalidValue("새 값이 비어 있습니다.")
        if field == PHONES:
            self._set_phones(_OWNER[table], row_id, change.new)
        else:
            self.db.execute(f"UPDATE {table} SET {field} = ? WHERE id = ?", [change.new, row_id])
        if table == "organisations" and field == "name" and change.old:   # the old name still finds it
            self.db.execute("INSERT OR IGNORE INTO aliases (entity_kind, entity_id, alias) VALUES (?, ?, ?)",
                            ["organisation", row_id, change.old])
        return self._remember(change, user_id, user_name, at)

    def _add_desk(self, desk: NewDesk, user_id: int | None, user_name: str | None, at: str) -> int:
        row_id = "c-" + secrets.token_hex(4)
        self.db.execute("INSERT INTO contacts (id, role, organisation, department, note, as_of) "
                        "VALUES (?, '대표', ?, ?, '부서 대표 전화 (채팅으로 수정)', ?)",
                        [row_id, desk.organisation, desk.department, at[:10]])
        self._set_phones("contact", row_id, desk.phone)
        return self._remember(Change("contacts", row_id, PHONES, None, desk.phone), user_id, user_name, at,
                              created=True)

    def _set_phones(self, owner: str, row_id: str, numbers: str) -> None:
        self.db.execute("DELETE FROM phones WHERE owner_kind = ? AND owner_id = ?", [owner, row_id])
        for display in (p.strip() for p in numbers.split("|") if p.strip()):
            if phone_number(display.partition("~")[0]) is None:
                raise InvalidValue(f"전화번호가 아닙니다: {display}")
            number, last = parse_phone(display)
            self.db.execute("INSERT INTO phones (owner_kind, owner_id, number, last, display) VALUES (?, ?, ?, ?, ?)",
                            [owner, row_id, number, last, display])

    def _remember(self, change: Change, user_id: int | None, user_name: str | None, at: str,
                  created: bool = False) -> int:
        """Keep the old value with where it came from (the document and its date, or the earlier import,
        correction or document), record the row's origin and audit the change; return the history id. A row
        the correction `created` had no old value and no source."""
        old_origin, old_ref, old_at = (None, None, None) if created else self._came_from(change)
        cursor = self.db.execute(
            "INSERT INTO corrections (tbl, row_id, field, old, new, old_origin, old_ref, old_at, user_id, user_name, "
            "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [change.table, change.row_id, change.field, change.old, change.new,
             old_origin, old_ref, old_at, user_id, user_name, at])
        correction_id = int(cursor.lastrowid or 0)
        self.record_origin(change.table, change.row_id, "correction", str(correction_id), user_id, at)
        self.audit(at, user_id, "correction", f"{change.table}:{change.row_id}", {change.field: change.old},
                   {change.field: change.new})
        return correction_id

    def _came_from(self, change: Change) -> tuple[str | None, str | None, str | None]:
        """Where a field's value came from — (origin, reference, date): its last correction; else, for a row
        corrected in another field, what the row came from before its first correction; else the row's origin
        (a dataset row: its document and the document's date)."""
        origin = self.origin_of(change.table, change.row_id)
        if origin.origin == "correction":
            earlier = self.corrections_of(change.table, change.row_id)
            same = [c for c in earlier if c["field"] == change.field]
            if same:
                return "correction", str(same[-1]["id"]), str(same[-1]["at"])
            if earlier:
                return earlier[0]["old_origin"], earlier[0]["old_ref"], earlier[0]["old_at"]
        if origin.origin != "dataset":
            return origin.origin, origin.ref, origin.at
        found = query(self.db, f"SELECT s.id, s.date FROM {change.table} t JOIN sources s ON s.id = t.source "
                               "WHERE t.id = ?", [change.row_id])
        return ("dataset", found[0]["id"], found[0]["date"]) if found else ("dataset", None, None)

    def organisation_named(self, name: str, other_than: str) -> str | None:
        """The id of another organisation with exactly this name (a rename must not take it), or None."""
        found = query(self.db, "SELECT id FROM organisations WHERE name = ? AND id != ?", [name, other_than])
        return str(found[0]["id"]) if found else None

    def correction(self, correction_id: int) -> Row | None:
        """One kept correction by id, or None."""
        found = query(self.db, "SELECT * FROM corrections WHERE id = ?", [correction_id])
        return found[0] if found else None

    def corrections_of(self, table: str, row_id: str) -> list[Row]:
        """The corrections of one row, oldest first: each with the old value, where it came from, who and when."""
        return query(self.db, "SELECT * FROM corrections WHERE tbl = ? AND row_id = ? ORDER BY id", [table, row_id])


def _check(table: str, field: str) -> None:
    if field not in CORRECTABLE.get(table, ()):
        raise InvalidValue(f"고칠 수 없는 항목입니다: {table}.{field}")
