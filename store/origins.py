"""Where a reference row came from: the built-in dataset unless a row here says an import, a correction or a
document wrote it, so that a dataset update never overwrites what a person entered; and where a value set
from chat (a task's due date: `chat`) came from."""

from dataclasses import dataclass

from sqlite_utils import Database

from store.tx import immediate, query

ORIGINS = ("dataset", "import", "correction", "document", "chat")


@dataclass(frozen=True)
class Origin:
    """Who wrote a row last, how (one of ORIGINS), from what (a file name, a document id) and when."""

    origin: str
    ref: str | None
    user_id: int | None
    at: str


class OriginRecords:
    """Row origins (mixed into Store)."""

    db: Database

    def record_origin(self, table: str, row_id: str, origin: str, ref: str | None, user_id: int | None,
                      at: str) -> None:
        """Record (replacing any earlier record) that `origin` last wrote the row `row_id` of `table`."""
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin: {origin!r}")
        with immediate(self.db):
            self.db.execute("INSERT OR REPLACE INTO row_origins (tbl, row_id, origin, ref, user_id, at) "
                            "VALUES (?, ?, ?, ?, ?, ?)", [table, row_id, origin, ref, user_id, at])

    def origin_of(self, table: str, row_id: str) -> Origin:
        """Where the row came from; a row with no record came from the built-in dataset."""
        found = query(self.db, "SELECT origin, ref, user_id, at FROM row_origins WHERE tbl = ? AND row_id = ?",
                      [table, row_id])
        if not found:
            return Origin("dataset", None, None, "")
        row = found[0]
        return Origin(str(row["origin"]), row["ref"], row["user_id"], str(row["at"]))

    def edited_rows(self, table: str) -> set[str]:
        """Ids of the rows of `table` that a person wrote (not the dataset): a dataset update leaves them."""
        return {str(r["row_id"]) for r in query(
            self.db, "SELECT row_id FROM row_origins WHERE tbl = ? AND origin != 'dataset'", [table])}

    def record_origins(self, rows: list[tuple[str, str]], origin: str, ref: str | None, user_id: int | None,
                       at: str) -> None:
        """record_origin for many (table, row id) pairs written at once (an import of thousands of rows)."""
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin: {origin!r}")
        with immediate(self.db):
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO row_origins (tbl, row_id, origin, ref, user_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                [(table, row_id, origin, ref, user_id, at) for table, row_id in rows])
