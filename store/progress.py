"""Task progress history: every update is a new row; the current state is derived from them."""

from typing import Any

from sqlite_utils import Database

Row = dict[str, Any]

_LIVE = ("SELECT * FROM progress WHERE task = ? AND reverses IS NULL AND id NOT IN "
         "(SELECT reverses FROM progress WHERE reverses IS NOT NULL) ORDER BY id DESC")


class ProgressQueries:
    """Read side of the progress history (mixed into Store)."""

    db: Database

    def latest_progress(self, task_id: str) -> Row | None:
        """The task's latest update that has not been taken back, or None."""
        found = list(self.db.query(_LIVE + " LIMIT 1", [task_id]))
        return found[0] if found else None

    def progress_history(self, task_id: str) -> list[Row]:
        """Every progress row of a task, oldest first, reversals included."""
        return list(self.db.query("SELECT * FROM progress WHERE task = ? ORDER BY id", [task_id]))
