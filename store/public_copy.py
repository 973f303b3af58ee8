"""The view-only copy the web view serves: a separate SQLite file holding only the public tables
(store/public_tables.py), copied from the live database in one read transaction, and copied again when what
it shows has changed. The live database is only ever opened read-only (`mode=ro`, never `immutable`: the bot
writes it in WAL mode meanwhile)."""

import re
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from store.errors import CannotOpen
from store.freshness import WATCHED_TABLES
from store.opening import cannot_open, check_path, inspect
from store.public_tables import TABLES, PublicTable
from store.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000
# How a change to what the public tables read shows, read in the copy's read transaction: every write to the
# reference tables, meetings and agenda items bumps `data_generation` (store/freshness.py); progress only grows;
# the others are read as counts and latest values.
SIGNS: dict[str, str] = {
    "generation": "SELECT n FROM live.data_generation",
    "progress": "SELECT max(id), count(*) FROM live.progress",
    "task_owners": "SELECT count(*), max(added_at) FROM live.task_owners",
    "meeting_responses": "SELECT count(*), sum(response = '참석'), max(at) FROM live.meeting_responses",
    "documents": "SELECT count(*), max(added_at) FROM live.documents",
}


def tables_read(table: PublicTable) -> set[str]:
    """The live tables a public table reads."""
    found: set[str] = set()
    for text in (table.source, *(c.expr for c in table.columns)):
        found.update(re.findall(r"\blive\.(\w+)", text))
    return found


def live_tables_read() -> set[str]:
    """Every live table the public tables read."""
    return set().union(*(tables_read(t) for t in TABLES))


def depends_on(table: PublicTable) -> set[str]:
    """The SIGNS whose change means the table must be copied again."""
    read = tables_read(table)
    return ({"generation"} if read & WATCHED_TABLES else set()) | (read & set(SIGNS))


def followed_tables() -> set[str]:
    """The live tables whose every change some SIGN shows."""
    return set(WATCHED_TABLES) | set(SIGNS)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_sql(table: PublicTable) -> list[str]:
    """CREATE TABLE (with its primary key and references, so Datasette links rows) and its indexes."""
    keys = {t.name: t.key for t in TABLES}
    parts = []
    for column in table.columns:
        part = f"{_quoted(column.name)} {column.type}"
        if column.name == table.key:
            part += " PRIMARY KEY"
        if column.refers:
            part += f" REFERENCES {_quoted(column.refers)}({_quoted(keys[column.refers] or 'rowid')})"
        parts.append(part)
    out = [f"CREATE TABLE {_quoted(table.name)} ({', '.join(parts)})"]
    indexed = [c.name for c in table.columns if c.refers and c.name != table.key]
    indexed += [f for f in table.facets if f not in indexed and f != table.key]
    out += [f"CREATE INDEX {_quoted(f'{table.name}_{name}')} ON {_quoted(table.name)}({_quoted(name)})"
            for name in indexed]
    return out


def _fill_sql(table: PublicTable) -> str:
    names = ", ".join(_quoted(c.name) for c in table.columns)
    exprs = ", ".join(c.expr for c in table.columns)
    return f"INSERT INTO main.{_quoted(table.name)} ({names}) SELECT {exprs} FROM {table.source}"


def check_live(path: Path) -> None:
    """Raise a StoreError naming the fault when `path` is not a tfbot database this version can show as it is:
    missing (the web view never creates one), not a database, another application's, newer or not yet migrated."""
    check_path(path)
    if not path.is_file():
        raise CannotOpen(f"데이터베이스 파일이 없습니다: {path.absolute()} — tfbot web은 읽기만 하므로 만들지 "
                         "않습니다 (--db로 있는 파일을 주거나, tfbot start·tfbot ask로 먼저 만드세요)")
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise cannot_open(path, exc) from exc
    try:
        if inspect(Database(conn), path):
            raise CannotOpen(f"데이터베이스가 비어 있습니다: {path.absolute()} — tfbot start·tfbot ask로 먼저 "
                             "만드세요")
        applied = {row[0] for row in conn.execute("SELECT name FROM _migrations").fetchall()}
    except sqlite3.Error as exc:
        raise cannot_open(path, exc) from exc
    finally:
        conn.close()
    pending = [name for name, _ in MIGRATIONS if name not in applied]
    if pending:
        raise CannotOpen(f"이 tfbot보다 오래된 데이터베이스입니다: {path.absolute()} (적용할 마이그레이션: "
                         f"{', '.join(pending)}). tfbot web은 쓰지 않으므로, 봇을 한 번 시작하거나 tfbot ask로 "
                         "열어 갱신한 뒤 다시 실행하세요.")


class PublicCopy:
    """The view-only copy of one live database, kept in `target` (a file only this process writes)."""

    def __init__(self, live: Path, target: Path) -> None:
        self.live = live
        self.target = target
        self._seen: dict[str, tuple[object, ...]] = {}   # the SIGNS at the last copy
        self._version: int | None = None
        self.conn = sqlite3.connect(target.absolute().as_uri(), uri=True, isolation_level=None,
                                    timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")   # Datasette reads while a refresh writes
            self.conn.execute("PRAGMA synchronous = OFF")    # a copy: rebuilt from the live database if lost
            self.conn.execute("ATTACH DATABASE ? AS live", [f"{live.absolute().as_uri()}?mode=ro"])
            if not self.conn.execute("SELECT count(*) FROM main.sqlite_master").fetchone()[0]:
                self.conn.execute("BEGIN")
                for table in TABLES:
                    for statement in _create_sql(table):
                        self.conn.execute(statement)
                self.conn.execute("COMMIT")
        except sqlite3.Error:
            self.conn.close()
            raise

    @classmethod
    def create(cls, live: Path, target: Path) -> "PublicCopy":
        """Check the live database and make its first copy in `target`; a StoreError says what is wrong."""
        check_live(live)
        try:
            copy = cls(live, target)
            copy.refresh()
        except sqlite3.Error as exc:
            raise cannot_open(live, exc) from exc
        return copy

    def _signs(self) -> dict[str, tuple[object, ...]]:
        return {name: tuple(self.conn.execute(sql).fetchone()) for name, sql in SIGNS.items()}

    def _copy(self, table: PublicTable) -> None:
        """Replace the table's rows with the live ones."""
        self.conn.execute(f"DELETE FROM main.{_quoted(table.name)}")
        self.conn.execute(_fill_sql(table))

    def _copy_new(self, table: PublicTable) -> None:
        """An append-only history: copy the rows added since the last copy and those they change; everything
        again if rows were not only added (a restored backup, say)."""
        name, key = _quoted(table.name), _quoted(table.key or "rowid")
        last, copied = self.conn.execute(f"SELECT coalesce(max({key}), 0), count(*) FROM main.{name}").fetchone()
        live, new = self.conn.execute(f"SELECT count(*), count(*) FILTER (WHERE {table.grows} > ?) "
                                      f"FROM {table.source}", [last]).fetchone()
        if copied + new != live:
            self._copy(table)
            return
        touched = f"SELECT {table.touches} FROM {table.source} WHERE {table.grows} > ? AND {table.touches} IS NOT NULL"
        self.conn.execute(f"DELETE FROM main.{name} WHERE {key} IN ({touched})", [last])
        self.conn.execute(f"{_fill_sql(table)} WHERE {table.grows} > ? OR {table.grows} IN ({touched})", [last, last])

    def refresh(self) -> bool:
        """Copy again the public tables whose live rows changed since the last copy; whether any did. Cheap when
        nothing did: one PRAGMA (no commit by anyone), or a few indexed reads (a commit to tables the view does
        not show)."""
        version = self.conn.execute("PRAGMA live.data_version").fetchone()[0]
        if version == self._version:
            return False
        self.conn.execute("BEGIN IMMEDIATE")   # one read snapshot of the live database for every table
        try:
            signs = self._signs()
            changed = {name for name, sign in signs.items() if self._seen.get(name) != sign}
            if not changed:
                self.conn.execute("ROLLBACK")
                self._version = version
                return False
            for table in TABLES:
                if not depends_on(table) & changed:
                    continue
                if table.grows and self._seen:
                    self._copy_new(table)
                else:
                    self._copy(table)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self._seen, self._version = signs, version
        return True

    def close(self) -> None:
        """Close the copy's connection (the file stays)."""
        self.conn.close()
