"""Rebuilding reminder jobs for 10,000 meetings at start-up (target: under 2 s).

Run: .venv/bin/python bench/reminder_bench.py
"""

import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apscheduler.schedulers.background import BackgroundScheduler  # noqa: E402

from bot.scheduler import sync_reminders  # noqa: E402
from intents.dates.reminders import Reminders  # noqa: E402
from store import Store  # noqa: E402

SEOUL = ZoneInfo("Asia/Seoul")
MEETINGS = 10_000


def main() -> int:
    """Insert 10,000 future meetings, then time a cold rebuild of their 20,000 reminder jobs."""
    now = datetime(2026, 11, 23, 10, tzinfo=SEOUL)
    with tempfile.TemporaryDirectory() as d:
        store = Store.open(Path(d) / "bench.db")
        with store.db.atomic():
            store.db.table("meetings").insert_all(
                {"id": f"bench-{i}", "title": f"권역별 TF회의 {i}", "kind": "회의", "status": "예정",
                 "start": (now + timedelta(days=2, minutes=7 * i)).isoformat()} for i in range(MEETINGS))
        store.close()
        t0 = time.perf_counter()
        store = Store.open(Path(d) / "bench.db")       # a restart: open, plan, schedule
        scheduler = BackgroundScheduler(timezone=SEOUL)
        scheduler.start(paused=True)
        scheduled, fired, skipped = sync_reminders(scheduler, Reminders(store, [86400, 3600]), now, lambda due: None)
        elapsed = time.perf_counter() - t0
        jobs = len(scheduler.get_jobs())
        t1 = time.perf_counter()
        sync_reminders(scheduler, Reminders(store, [86400, 3600]), now, lambda due: None)
        again = time.perf_counter() - t1
        scheduler.shutdown(wait=False)
    print(f"{MEETINGS:,} meetings: {scheduled:,} reminder jobs scheduled ({jobs:,} in the scheduler), "
          f"{fired} fired, {skipped} skipped in {elapsed:.2f} s; a second sync took {again:.2f} s")
    return 0 if elapsed < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
