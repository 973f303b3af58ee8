"""Write transactions that take the write lock up front, so concurrent writers wait instead of failing."""

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database

from store.errors import ReadOnly


def is_read_only_error(exc: BaseException) -> bool:
    """Whether an exception says the database cannot be written (ReadOnly, or SQLite's SQLITE_READONLY)."""
    if isinstance(exc, ReadOnly):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.Error) and code is not None and code & 0xFF == sqlite3.SQLITE_READONLY


READ_ONLY_TEXT = "데이터베이스가 읽기 전용이라 기록할 수 없습니다. 아무것도 바뀌지 않았습니다."


@contextmanager
def immediate(db: Database) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error); nested use joins the outer transaction.

    A write the database refuses because it is read-only raises ReadOnly.
    """
    if db.conn.in_transaction:
        yield
        return
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.rollback()
            raise
        db.commit()
    except sqlite3.OperationalError as exc:
        if is_read_only_error(exc):
            raise ReadOnly(READ_ONLY_TEXT) from exc
        raise


def query(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows of a read query as dicts, straight from the connection.

    sqlite-utils' `Database.query` wraps each statement in a savepoint; for the many small reads of
    one answer that tripled the statements run (measured with a trace callback).
    """
    cursor = db.conn.execute(sql, list(params))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
