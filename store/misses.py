"""Questions the bot could not answer: kept so the TF sees what it asks that the data does not hold."""

import json

from sqlite_utils import Database

from store.tx import immediate, query

Row = dict[str, object]


class MissQueries:
    """Unanswered questions (mixed into Store). No user or chat id is kept with them."""

    db: Database

    def note_miss(self, at: str, text: str, kind: str, understood: dict[str, object],
                  options: list[str] | None = None) -> None:
        """Keep a question answered 'not found' (kind 'notfound') or with a choice (kind 'clarify')."""
        with immediate(self.db):
            self.db.execute(
                "INSERT INTO unanswered (at, text, kind, understood, options) VALUES (?, ?, ?, ?, ?)",
                [at, text, kind, json.dumps(understood, ensure_ascii=False),
                 json.dumps(options, ensure_ascii=False) if options else None])

    def note_pick(self, option: str) -> None:
        """Mark the latest open choice offering `option` as picked."""
        with immediate(self.db):
            self.db.execute(
                "UPDATE unanswered SET picked = 1 WHERE id = (SELECT max(id) FROM unanswered WHERE kind = "
                "'clarify' AND picked = 0 AND options LIKE ?)", [f"%{json.dumps(option)}%"])

    def misses(self, since: str | None = None) -> list[Row]:
        """Questions not answered, and choices nobody picked, oldest first, optionally from a date on."""
        return query(self.db, "SELECT at, text, kind, understood FROM unanswered WHERE (kind = 'notfound' OR "
                     "picked = 0) AND at >= ? ORDER BY id", [since or ""])
