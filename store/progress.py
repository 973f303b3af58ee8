"""Task progress history: every update is a new row; the current state is derived from them."""

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from store.errors import InvalidValue
from store.tx import immediate, query

Row = dict[str, Any]

_LIVE = ("SELECT * FROM progress WHERE task = ? AND reverses IS NULL AND id NOT IN "
         "(SELECT reverses FROM progress WHERE reverses IS NOT NULL) ORDER BY id DESC")


class ProgressQueries:
    """Read side of the progress history (mixed into Store)."""

    db: Database

    def latest_progress(self, task_id: str) -> Row | None:
        """The task's latest update that has not been taken back, or None."""
        found = query(self.db, _LIVE + " LIMIT 1", [task_id])
        return found[0] if found else None

    def tasks_updated_since(self, at: str) -> list[str]:
        """Names of tasks with a live update at or after `at`."""
        return [r["name"] for r in query(self.db,
            "SELECT DISTINCT t.name FROM progress p JOIN tasks t ON t.id = p.task "
            "WHERE p.at >= ? AND p.reverses IS NULL ORDER BY t.name", [at])]

    def progress_entry(self, entry_id: int) -> Row | None:
        """One progress row by id (reversals included), or None."""
        found = query(self.db, "SELECT * FROM progress WHERE id = ?", [entry_id])
        return found[0] if found else None

    def tracked_tasks(self) -> list[Row]:
        """The tasks whose progress the TF follows, in table order: every 협업과제, and any other task (a 대표프로젝트,
        a 우수과제) with a live update."""
        return query(self.db,
            "SELECT * FROM tasks WHERE kind = '협업과제' OR id IN (SELECT task FROM progress WHERE reverses IS NULL "
            "AND id NOT IN (SELECT reverses FROM progress WHERE reverses IS NOT NULL)) ORDER BY rowid")

    def progress_history(self, task_id: str) -> list[Row]:
        """Every progress row of a task, oldest first, reversals included."""
        return query(self.db, "SELECT * FROM progress WHERE task = ? ORDER BY id", [task_id])


STATUSES = ("계획", "진행", "지연", "보류", "완료")


class ProgressWrites(ProgressQueries):
    """Write side of the progress history: append, take back. Each write is one audited transaction."""

    audit: Callable[[str, int | None, str, str, object, object], None]   # from PeopleQueries

    def add_progress(self, task_id: str, user_id: int, user_name: str | None, at: str,
                     percent: int | None, status: str, note: str) -> int:
        """Append one progress entry and its audit row; return the entry id."""
        if status not in STATUSES:
            raise InvalidValue(f"상태는 {', '.join(STATUSES)} 중 하나여야 합니다.")
        if percent is not None and not 0 <= percent <= 100:
            raise InvalidValue("진행률은 0에서 100 사이여야 합니다.")
        with immediate(self.db):
            old = self.latest_progress(task_id)
            cursor = self.db.execute(
                "INSERT INTO progress (task, user_id, user_name, at, percent, status, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", [task_id, user_id, user_name, at, percent, status, note])
            entry_id = int(cursor.lastrowid or 0)
            self.audit(at, user_id, "progress", task_id,
                       old and {"percent": old["percent"], "status": old["status"], "note": old["note"]},
                       {"percent": percent, "status": status, "note": note})
        return entry_id

    def undo_progress(self, user_id: int, at: str, since: str) -> Row | None:
        """Take back the user's latest live entry written at or after `since`; return it, or None."""
        with immediate(self.db):
            found = query(self.db,
                "SELECT * FROM progress WHERE user_id = ? AND reverses IS NULL AND at >= ? AND id NOT IN "
                "(SELECT reverses FROM progress WHERE reverses IS NOT NULL) ORDER BY id DESC LIMIT 1",
                [user_id, since])
            if not found:
                return None
            entry = found[0]
            self.db.execute(
                "INSERT INTO progress (task, user_id, user_name, at, percent, status, note, reverses) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [entry["task"], user_id, entry["user_name"], at, entry["percent"], entry["status"],
                 "되돌림", entry["id"]])
            self.audit(at, user_id, "undo", str(entry["task"]), {"entry": entry["id"]}, None)
        return entry

    def stale_tasks(self, before: str) -> list[Row]:
        """협업과제 whose latest live update is older than `before` (or that have none), or in status 지연."""
        out = []
        for task in query(self.db, "SELECT * FROM tasks WHERE kind = '협업과제' ORDER BY rowid"):
            latest = self.latest_progress(task["id"])
            if latest is None or latest["at"] < before or latest["status"] == "지연":
                out.append({**task, "latest": latest})
        return out
