"""Planning deadline reminders at scale: 10,000 tasks and 10,000 action items with due dates spread over a year
(the plan looks at those due from a week and a bit ago to the farthest offset ahead), timed as the reminder
service runs it at start-up and after every write, and the weekly digest's due-date part (30 of each list).

Run: .venv/bin/python bench/deadline_bench.py
"""

import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apscheduler.schedulers.background import BackgroundScheduler  # noqa: E402

from bot.scheduler import apply_plan  # noqa: E402
from intents.answers.deadline import digest_lines  # noqa: E402
from intents.dates.deadlines import PREFIX, Deadlines  # noqa: E402
from intents.dates.quiet import Quiet  # noqa: E402
from store import Store  # noqa: E402

SEOUL = ZoneInfo("Asia/Seoul")
ITEMS = 10_000


def main() -> int:
    """Insert the tasks, items and due dates, then time a cold plan, a second plan and the digest."""
    now = datetime(2026, 11, 23, 10, tzinfo=SEOUL)
    at = now.isoformat()
    with tempfile.TemporaryDirectory() as d:
        store = Store.open(Path(d) / "bench.db")
        with store.db.atomic():
            store.db.table("tasks").insert_all({"id": f"bench-task-{i}", "name": f"시험 과제 {i}", "kind": "협업과제",
                                                "lead": "d000-org-kogas"} for i in range(ITEMS))
            store.db.table("task_deadlines").insert_all(
                {"task": f"bench-task-{i}", "due": (now.date() + timedelta(days=i % 365 - 30)).isoformat(),
                 "set_by": 1, "set_at": at} for i in range(ITEMS))
            store.db.table("action_items").insert_all(
                {"meeting": "d000-meet-regional", "owner_kind": "organisation", "owner_id": "d000-org-kogas",
                 "what": f"할 일 {i}", "due": (now.date() + timedelta(days=i % 365 - 30)).isoformat(),
                 "created_at": at} for i in range(ITEMS))
        store.close()
        t0 = time.perf_counter()
        store = Store.open(Path(d) / "bench.db")
        planner = Deadlines(store, [3 * 86400, 86400], clock(9), Quiet())
        plan = planner.plan(now)
        scheduler = BackgroundScheduler(timezone=SEOUL)
        scheduler.start(paused=True)
        jobs = apply_plan(scheduler, plan, lambda due: None, PREFIX)
        cold = time.perf_counter() - t0
        t1 = time.perf_counter()
        Deadlines(store, [3 * 86400, 86400], clock(9), Quiet()).plan(now)
        again = time.perf_counter() - t1
        t2 = time.perf_counter()
        lines = digest_lines(store, now.date(), 14)
        digested = time.perf_counter() - t2
        scheduler.shutdown(wait=False)
    print(f"{ITEMS:,} tasks + {ITEMS:,} action items with due dates: {len(plan.future):,} reminders planned "
          f"({jobs:,} jobs), {len(plan.overdue)} due now, {len(plan.skipped)} skipped; open, plan and schedule "
          f"{cold:.2f} s, a second plan {again:.2f} s, the digest's due-date part ({len(lines)} lines) "
          f"{digested:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
