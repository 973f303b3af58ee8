"""Write transactions that take the write lock up front, so concurrent writers wait instead of failing."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


@contextmanager
def immediate(db: Database) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error); nested use joins the outer transaction."""
    if db.conn.in_transaction:
        yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.rollback()
        raise
    db.commit()
