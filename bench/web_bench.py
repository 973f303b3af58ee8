"""The web view: copying the public tables (built-in store and the 100x store of engine_bench), what a refresh
costs when nothing it shows changed, `tfbot web`'s start-up, page times on the 100x store, how soon a write
shows, and what a password check costs per request at Datasette's default PBKDF2 rounds and at ours.

Run: .venv/bin/python bench/web_bench.py  (about a minute on 2 cores)
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from datasette_auth_passwords.utils import hash_password, verify_password  # noqa: E402
from engine_bench import grow  # noqa: E402

from bot.web import HASH_ITERATIONS  # noqa: E402
from store import Store  # noqa: E402
from store.public_copy import PublicCopy  # noqa: E402
from tests.conftest import NOW  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def copying(label: str, store: Store, folder: Path) -> None:
    """Time the first copy, a refresh with no commit, one after a commit the view does not show, one after a
    progress entry."""
    live = Path(str(store.path()))
    t0 = time.perf_counter()
    copy = PublicCopy.create(live, folder / f"{label}.db")
    first = time.perf_counter() - t0
    idle, unseen, seen = [], [], []
    for i in range(5):
        t0 = time.perf_counter()
        copy.refresh()
        idle.append(time.perf_counter() - t0)
        store.open_choice("log", 1, 1, NOW, NOW + timedelta(minutes=5), {"i": i})
        t0 = time.perf_counter()
        assert not copy.refresh()
        unseen.append(time.perf_counter() - t0)
        store.add_progress("d000-task-daegu", 1, "bench", NOW.isoformat(), i, "진행", "")
        t0 = time.perf_counter()
        assert copy.refresh()
        seen.append(time.perf_counter() - t0)
    copy.close()
    print(f"{label}: first copy {ms(first)}; refresh, no commit: {ms(statistics.median(idle))}; after a commit the "
          f"view does not show: {ms(statistics.median(unseen))}; after a progress entry (copied again): "
          f"{ms(statistics.median(seen))} (medians of 5)")


def serving(label: str, store: Store) -> None:
    """`tfbot web` on the store: start-up, page times, and how soon a progress entry shows."""
    db = Path(str(store.path()))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "web", "--db", str(db), "--port", "0", "--config",
                             os.devnull], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        found = re.search(r"http://\S+/", proc.stdout.readline())
        assert found, "tfbot web did not start"
        with httpx.Client(base_url=found.group(0), timeout=30) as client:
            client.get("/tfbot/tasks.json")
            print(f"tfbot web on the {label}: listening and answering after {time.perf_counter() - t0:.2f} s "
                  f"(start-up and first copy)")
            for path in ("/tfbot/tasks", "/tfbot/progress", "/tfbot/progress?_facet=과제",
                         "/tfbot/contacts?_facet=기관", "/tfbot/budgets", "/tfbot/late_tasks",
                         "/tfbot/budgets_by_region"):
                times = []
                for _ in range(5):
                    t0 = time.perf_counter()
                    answer = client.get(path)
                    times.append(time.perf_counter() - t0)
                    assert answer.status_code == 200, (path, answer.status_code)
                print(f"  GET {path}: median {ms(statistics.median(times))}, max {ms(max(times))}")
            follow = []
            for i in range(5):
                store.add_progress("d000-task-ulsan", 1, "bench", NOW.isoformat(), 50 + i, "진행", "")
                t0 = time.perf_counter()
                while client.get("/tfbot/tasks.json", params={"id": "d000-task-ulsan", "_shape": "array"}).json()[0][
                        "진행률"] != 50 + i:
                    time.sleep(0.02)
                follow.append(time.perf_counter() - t0)
            print(f"  a progress entry shows after: median {ms(statistics.median(follow))}, max {ms(max(follow))} "
                  f"(polled every 20 ms; the view looks every 1 s)")
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def hashing() -> None:
    """One password check (each request under Basic auth) at Datasette's default rounds and at ours."""
    for rounds in (480_000, HASH_ITERATIONS):
        hashed = hash_password("tf-secret-1", iterations=rounds)
        t0 = time.perf_counter()
        for _ in range(5):
            assert verify_password("tf-secret-1", hashed)
        print(f"password check at {rounds:,} PBKDF2 rounds: {ms((time.perf_counter() - t0) / 5)} a request")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store.open(folder / "builtin.db")
        copying("built-in store", store, folder)
        serving("built-in store", store)
        store.close()
        big = Store.open(folder / "big.db")
        grow(big)
        sizes = {t: big.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("programs", "contacts",
                                                                                       "progress")}
        print(f"100x store: {sizes}")
        copying("100x store", big, folder)
        serving("100x store", big)
        big.close()
    hashing()
    return 0


if __name__ == "__main__":
    sys.exit(main())
