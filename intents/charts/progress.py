"""What a progress chart shows: tasks as bars of their latest live percent, coloured by status, the ones not updated
for `[progress] stale_days` marked, and how they are cut into pictures Telegram accepts."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from store.store import Row, Store

# bars in one picture: 30 bars keep a picture readable and far inside Telegram's limit (a photo may be at most 20
# times taller than wide); more tasks go into further pictures, and past MAX_PICTURES they are counted ("외 N건")
PER_PICTURE = 30
MAX_PICTURES = 4


@dataclass(frozen=True)
class TaskBar:
    """One task: its name, latest live percent and status (None: nothing logged), when that was written, how
    many days ago, whether it is stale, whether it is drawn under its 협업과제 (a 대표프로젝트), and the note."""

    name: str
    percent: int | None
    status: str | None
    at: str | None
    days: int | None
    stale: bool
    under: bool = False
    note: str = ""


@dataclass(frozen=True)
class ProgressChart:
    """The tasks asked for, as of a moment, and the staleness rule they were marked by."""

    title: str
    bars: tuple[TaskBar, ...]
    as_of: datetime
    stale_days: int

    @property
    def logged(self) -> list[TaskBar]:
        """The bars of tasks with a live update."""
        return [b for b in self.bars if b.status is not None]

    def pictures(self) -> tuple[list[tuple[TaskBar, ...]], int]:
        """The bars cut into pictures of at most PER_PICTURE, at most MAX_PICTURES of them; and how many are left."""
        shown = self.bars[:PER_PICTURE * MAX_PICTURES]
        pages = [shown[i:i + PER_PICTURE] for i in range(0, len(shown), PER_PICTURE)]
        return pages, len(self.bars) - len(shown)


def progress_chart(store: Store, tasks: list[Row], title: str, now: datetime, stale_days: int) -> ProgressChart:
    """The chart of these tasks as of `now`: each one's latest live update (an undone one is not), stale when it
    has none or none in the last `stale_days` days."""
    before = now - timedelta(days=stale_days)
    ids = {str(t["id"]) for t in tasks}
    bars = []
    for task in tasks:
        latest = store.latest_progress(str(task["id"]))
        at = _moment(str(latest["at"]), now) if latest is not None else None
        bars.append(TaskBar(
            name=str(task["name"]), percent=latest["percent"] if latest is not None else None,
            status=str(latest["status"]) if latest is not None else None,
            at=str(latest["at"]) if latest is not None else None,
            days=(now - at).days if at is not None else None,
            stale=at is None or at < before, under=str(task.get("parent") or "") in ids,
            note=str(latest["note"] or "") if latest is not None else ""))
    return ProgressChart(title, tuple(bars), now, stale_days)


def _moment(text: str, now: datetime) -> datetime:
    """A stored ISO time, in the clock's zone when it was written without one."""
    at = datetime.fromisoformat(text)
    return at.replace(tzinfo=now.tzinfo) if at.tzinfo is None else at
