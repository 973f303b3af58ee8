"""Bring an existing database up to a newer built-in dataset: rows the dataset added, changed or removed are
added, changed or removed, but a row a person imported, corrected, added from a document or edited in chat is
never overwritten or deleted, and a row other rows still refer to is never deleted.

What the dataset last wrote is kept per row as a fingerprint (`dataset_rows`). A row is updated or removed only
while it still holds exactly what the dataset wrote. A database made before versions were recorded has no
fingerprints: its reference rows were written by the dataset loader alone, so a row no person is recorded to
have written (row_origins) and the audit log does not name counts as the dataset's.
"""

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from store.dataset import (
    ALIAS_OWNER,
    DATA_DIR,
    DATASET_TABLES,
    KEY_COLUMN,
    PHONE_OWNER,
    REFERENCES,
    Dataset,
    Entry,
    columns_of,
    dataset_version,
    fingerprint,
    owned_rows,
    read_dataset,
)

log = logging.getLogger(__name__)
VERSION_KEY = "dataset_version"   # in `settings`


@dataclass
class Upgrade:
    """What one dataset update did, counted in rows (aliases and phones go with their owner row)."""

    old: str | None
    new: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    kept_edited: int = 0        # the dataset changed or removed it, but a person wrote it
    kept_referred: list[str] = field(default_factory=list)   # "table:id" removed by the dataset, still referred to

    def line(self) -> str:
        """One line for the log."""
        return (f"dataset updated {self.old or '(version unknown)'} → {self.new}: {self.added} added, "
                f"{self.changed} changed, {self.removed} removed, {self.kept_edited} kept as a person wrote them, "
                f"{len(self.kept_referred)} kept because other rows refer to them")


def held_version(db: Database) -> str | None:
    """The dataset version a database holds, or None when it was made before versions were recorded."""
    found = db.execute("SELECT value FROM settings WHERE key = ?", [VERSION_KEY]).fetchone()
    return str(found[0]) if found else None


def record_dataset(db: Database, dataset: Dataset, keep: Iterable[tuple[str, str, str]] = ()) -> None:
    """Record that the database holds `dataset`: its version and the fingerprint of each of its rows (plus
    `keep`: (table, id, fingerprint) of rows the dataset removed that had to stay)."""
    db.execute("DELETE FROM dataset_rows")
    db.conn.executemany("INSERT INTO dataset_rows (tbl, row_id, digest) VALUES (?, ?, ?)",
                        [(t, k, e.digest()) for t in DATASET_TABLES for k, e in dataset.tables[t].items()])
    db.conn.executemany("INSERT OR REPLACE INTO dataset_rows (tbl, row_id, digest) VALUES (?, ?, ?)", list(keep))
    db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
               [VERSION_KEY, dataset.version])


def upgrade_dataset(db: Database, data_dir: Path = DATA_DIR) -> Upgrade | None:
    """Apply a newer dataset's changes inside the caller's write transaction (the caller logs them once committed,
    `log_upgrade`); None when the database already holds this version (nothing is read beyond the files' hash)."""
    version = dataset_version(data_dir)
    old = held_version(db)
    if old == version:
        return None
    dataset = read_dataset(data_dir)
    return _Upgrader(db, dataset, old).run()


def log_upgrade(where: Path, done: Upgrade) -> None:
    """Log what a committed dataset update did: one line of counts, and one per row kept for its referrers."""
    log.info("database %s: %s", where, done.line())
    for ref in done.kept_referred:
        log.info("database %s: %s is no longer in the dataset but is kept: other rows refer to it", where, ref)


class _Upgrader:
    """One dataset update over one database (inside the caller's transaction)."""

    def __init__(self, db: Database, dataset: Dataset, old: str | None) -> None:
        self.db = db
        self.dataset = dataset
        self.done = Upgrade(old, dataset.version)
        self.recorded: dict[tuple[str, str], str] = {
            (r[0], r[1]): r[2] for r in db.execute("SELECT tbl, row_id, digest FROM dataset_rows").fetchall()}
        self.audited = set() if old is not None else {
            str(r[0]) for r in db.execute("SELECT DISTINCT target FROM audit WHERE target IS NOT NULL").fetchall()}
        self.referrers = _referrers(db)

    def run(self) -> Upgrade:
        """Add and change in dependency order, then remove what nothing refers to; record the new version."""
        removable: list[tuple[str, str, str]] = []
        for table in DATASET_TABLES:
            removable.extend(self._table(table))
        kept = self._remove(removable)
        record_dataset(self.db, self.dataset, kept)
        return self.done

    def _table(self, table: str) -> list[tuple[str, str, str]]:
        """Add and change this table's rows; return (table, id, fingerprint) of the rows the dataset removed and
        the database still holds as the dataset wrote them."""
        edited = {str(r[0]) for r in self.db.execute(
            "SELECT row_id FROM row_origins WHERE tbl = ? AND origin != 'dataset'", [table]).fetchall()}
        current = self._current(table)
        if self.done.old is None:   # no fingerprints: a row no person wrote holds what the dataset wrote
            base = {key: digest for key, digest in current.items() if key not in edited and key not in self.audited}
        else:
            base = {key: digest for (t, key), digest in self.recorded.items() if t == table}
        entries = self.dataset.tables[table]
        for key, entry in entries.items():
            now = current.get(key)
            if now == entry.digest():
                continue
            if key in edited or (now is not None and base.get(key) != now) or (now is None and key in base):
                self.done.kept_edited += 1   # written, changed or deleted by a person
            elif self._write(table, key, entry, insert=now is None):
                if now is None:
                    self.done.added += 1
                else:
                    self.done.changed += 1
        removed = []
        for key, digest in base.items():
            if key in entries or key not in current:
                continue
            if key in edited or current[key] != digest:
                self.done.kept_edited += 1
            else:
                removed.append((table, key, digest))
        return removed

    def _current(self, table: str) -> dict[str, str]:
        """The fingerprint of every row of a dataset table as the database holds it now."""
        columns = columns_of(table)
        aliases: dict[str, list[str]] = {}
        phones: dict[str, list[str]] = {}
        if table in ALIAS_OWNER:
            for owner, alias in self.db.execute("SELECT entity_id, alias FROM aliases WHERE entity_kind = ?",
                                                [ALIAS_OWNER[table]]).fetchall():
                aliases.setdefault(str(owner), []).append(alias)
        if table in PHONE_OWNER:
            for owner, display in self.db.execute("SELECT owner_id, display FROM phones WHERE owner_kind = ? "
                                                  "ORDER BY id", [PHONE_OWNER[table]]).fetchall():
                phones.setdefault(str(owner), []).append(display)
        listed = ", ".join(f'"{c}"' for c in columns)
        return {str(row[0]): fingerprint(list(row), aliases.get(str(row[0]), []), phones.get(str(row[0]), []))
                for row in self.db.execute(f"SELECT {listed} FROM {table}").fetchall()}

    def _write(self, table: str, key: str, entry: Entry, insert: bool) -> bool:
        """Insert or update one row with its aliases and phones, as the dataset gives them; False (nothing
        written, a log line) when the row would refer to a row the database no longer has."""
        key_column = KEY_COLUMN.get(table, "id")
        cells: dict[str, Any] = dict(entry.row)
        try:
            if insert:
                names = ", ".join(f'"{c}"' for c in cells)
                self.db.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cells))})",
                                list(cells.values()))
            else:
                sets = ", ".join(f'"{c}" = ?' for c in cells if c != key_column)
                self.db.execute(f'UPDATE {table} SET {sets} WHERE "{key_column}" = ?',
                                [v for c, v in cells.items() if c != key_column] + [key])
        except sqlite3.IntegrityError as exc:   # the statement alone is undone; the update goes on
            log.info("dataset: %s:%s not %s (%s)", table, key, "added" if insert else "changed", exc)
            self.done.kept_edited += 1
            return False
        self._drop_owned(table, key)
        aliases, phones = owned_rows(table, key, entry)
        if aliases:
            self.db.conn.executemany("INSERT OR IGNORE INTO aliases (entity_kind, entity_id, alias) "
                                     "VALUES (:entity_kind, :entity_id, :alias)", aliases)
        if phones:
            self.db.conn.executemany("INSERT INTO phones (owner_kind, owner_id, number, last, display) "
                                     "VALUES (:owner_kind, :owner_id, :number, :last, :display)", phones)
        return True

    def _drop_owned(self, table: str, key: str) -> None:
        if table in ALIAS_OWNER:
            self.db.execute("DELETE FROM aliases WHERE entity_kind = ? AND entity_id = ?", [ALIAS_OWNER[table], key])
        if table in PHONE_OWNER:
            self.db.execute("DELETE FROM phones WHERE owner_kind = ? AND owner_id = ?", [PHONE_OWNER[table], key])

    def _remove(self, removable: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        """Delete the rows the dataset removed that no other row refers to (a row referring to one is deleted
        first when it goes too); return those kept."""
        left = list(reversed(removable))
        while True:
            kept = []
            for table, key, digest in left:
                if self._referred(table, key):
                    kept.append((table, key, digest))
                    continue
                self._drop_owned(table, key)
                self.db.execute(f'DELETE FROM {table} WHERE "{KEY_COLUMN.get(table, "id")}" = ?', [key])
                self.db.execute("DELETE FROM row_origins WHERE tbl = ? AND row_id = ? AND origin = 'dataset'",
                                [table, key])
                self.done.removed += 1
            if len(kept) == len(left):
                break
            left = kept
        self.done.kept_referred = [f"{table}:{key}" for table, key, _ in kept]
        return kept

    def _referred(self, table: str, key: str) -> bool:
        """Whether a row of another table (or another row of this one) refers to this row."""
        key_column = KEY_COLUMN.get(table, "id")
        for child, column in self.referrers.get(table, ()):
            other = f' AND "{key_column}" != ?' if child == table else ""
            params = [key, key] if child == table else [key]
            if self.db.execute(f'SELECT 1 FROM {child} WHERE "{column}" = ?{other} LIMIT 1', params).fetchone():
                return True
        return False


def _referrers(db: Database) -> dict[str, set[tuple[str, str]]]:
    """For each table, the (table, column) pairs that may hold one of its keys: every declared foreign key in
    the database (progress → tasks, meeting_responses → meetings, …) and every reference the dataset knows
    (budgets.program → programs, …)."""
    found: dict[str, set[tuple[str, str]]] = {}
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()]
    for child in tables:
        try:
            keys = db.execute(f"PRAGMA foreign_key_list([{child}])").fetchall()
        except sqlite3.Error:   # a virtual table (full-text search) has none
            continue
        for fk in keys:
            found.setdefault(str(fk[2]), set()).add((child, str(fk[3])))
    for child, columns in REFERENCES.items():
        for column, targets in columns.items():
            for target in targets:
                found.setdefault(target, set()).add((child, column))
    return found
