"""What a Store remembers of the reference tables, and when it reads them again: whenever they changed, written
by this connection or any other process (a counter the database's triggers bump, migration 009)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database

from store.tx import query

Row = dict[str, Any]
# Tables filled from the built-in dataset and changed by dataset updates, imports, corrections and documents:
# a Store keeps what it read of them (copies handed out) until any of them changes, in any process.
# Only small results are kept, and only so many: a listing of thousands of rows in a big store is cheap
# to read again, and keeping it made garbage collection pauses long (bench/engine_bench.py, 100x store).
# Users, progress, meetings, settings and the rest are read fresh every time.
REFERENCE_TABLES = frozenset({"sources", "regions", "organisations", "contacts", "phones", "programs", "tasks",
                              "aliases", "fields", "budgets", "results", "facts"})
# The tables whose every write bumps the generation: the reference tables, and the meetings and agenda the
# Engine's name and topic indexes read too.
WATCHED_TABLES = REFERENCE_TABLES | {"meetings", "agenda_items"}
REFERENCE_MEMO = 4096      # results kept, oldest dropped first
REFERENCE_MAX_ROWS = 200   # larger results are read again each time


class Freshness:
    """Remembered reference reads that follow the database (mixed into Store)."""

    db: Database

    def __init__(self) -> None:
        self._remembered: dict[tuple[str, tuple[Any, ...]], tuple[Row, ...]] = {}
        self._remembered_at = -1              # the generation the remembered rows were read at
        self._question_writes: int | None = None   # inside `answering`: this connection's changes when last read

    def generation(self) -> int:
        """A number that changes whenever the reference tables, meetings or agenda items change, written by this
        connection or any other (what is kept from them must be read again)."""
        return int(self.db.conn.execute("SELECT n FROM data_generation").fetchone()[0])

    def current_generation(self) -> int:
        """The generation, forgetting what was remembered when it changed. Read every time, except while
        `answering` a question: then once, and again after this connection wrote."""
        changes = self.db.conn.total_changes
        if self._question_writes is None or self._question_writes != changes:
            generation = self.generation()
            if generation != self._remembered_at:
                self._remembered.clear()
                self._remembered_at = generation
            if self._question_writes is not None:
                self._question_writes = changes
        return self._remembered_at

    @contextmanager
    def answering(self) -> Iterator[None]:
        """One question: what another process writes meanwhile is read from the next question on, so the
        generation is read once (and after this connection's own writes), not at every remembered read."""
        if self._question_writes is not None:   # nested: the outer question decides
            yield
            return
        self._question_writes = -1   # read at the first use
        try:
            yield
        finally:
            self._question_writes = None

    def reference(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[Row]:
        """Rows of a read over reference tables only, remembered until they change (copies returned)."""
        self.current_generation()
        key = (sql, tuple(params))
        found = self._remembered.get(key)
        if found is None:
            found = tuple(query(self.db, sql, params))
            if len(found) <= REFERENCE_MAX_ROWS:
                if len(self._remembered) >= REFERENCE_MEMO:
                    del self._remembered[next(iter(self._remembered))]
                self._remembered[key] = found
        return [dict(row) for row in found]
