"""Charts: the first one a process draws (matplotlib imported, NanumGothic registered, drawn; target ≤ 2 s) and
the ones after it (target ≤ 300 ms each), asked through the engine as a user asks them.

Each run is a fresh Python process on a copy of one database (the built-in dataset, every task with a progress
entry): it answers one text question first (so that the engine's own start-up is not counted), then times the
first chart question, then 20 budget charts ("국가혁신클러스터 예산 그래프"), 20 progress pictures of 30 tasks
(the most bars a picture holds) and 20 of the 10 협업과제, and the 47-task "/chart 진행" (two pictures). Wall
times and CPU times are both printed: on a shared machine the CPU time is the fairer measure of the work.

Run: .venv/bin/python bench/chart_bench.py [--runs 5]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 23, 10, tzinfo=SEOUL)
FIRST_LIMIT, LATER_LIMIT = 2.0, 0.300
REPEATS = 20

CHILD = r"""
import json, sys, time
t_start = time.perf_counter()
from datetime import datetime
from zoneinfo import ZoneInfo
sys.path.insert(0, sys.argv[2])
from intents.engine import Engine
from intents.message import Message
from store import Store

now = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Seoul"))
engine = Engine(Store.open(sys.argv[1]))

cpu = {}

def answer(text, chat=1):
    t, c = time.perf_counter(), time.process_time()
    reply = engine.answer(Message(text=text, now=now, local_operator=True, chat_id=chat))
    cpu.setdefault(text, []).append(time.process_time() - c)
    return time.perf_counter() - t, reply

answer("국가혁신클러스터 2단계 지방비는?")   # the engine's own first answer: not a chart's cost
assert "matplotlib" not in sys.modules
first, reply = answer("국가혁신클러스터 예산 그래프")
assert reply.attachments and "matplotlib" in sys.modules
budget = [answer("국가혁신클러스터 예산 그래프")[0] for _ in range(%(repeats)d)]
progress30 = []
from intents.charts import draw
from intents.charts.progress import progress_chart
tasks = engine.store.rows("SELECT * FROM tasks ORDER BY rowid LIMIT 30")
chart = progress_chart(engine.store, tasks, "과제", now, 14)
progress30_cpu = []
for _ in range(%(repeats)d):
    t, c = time.perf_counter(), time.process_time()
    [picture] = draw.progress_pictures(chart, "진행 기록")
    progress30.append(time.perf_counter() - t)
    progress30_cpu.append(time.process_time() - c)
ten = progress_chart(engine.store, engine.store.of_kind("tasks", "협업과제"), "협업과제", now, 14)
progress10_cpu = []
for _ in range(%(repeats)d):
    c = time.process_time()
    draw.progress_pictures(ten, "진행 기록")
    progress10_cpu.append(time.process_time() - c)
every, reply = answer("/chart 진행", chat=2)   # a chat of its own: not read as a follow-up of the budget charts
print(json.dumps({"first": first, "first_cpu": cpu["국가혁신클러스터 예산 그래프"][0], "budget": budget,
                  "budget_cpu": cpu["국가혁신클러스터 예산 그래프"][1:], "progress30": progress30,
                  "progress30_cpu": progress30_cpu, "progress10_cpu": progress10_cpu, "every": every,
                  "pictures": len(reply.attachments),
                  "size30": [picture.width, picture.height]}))
"""


def database(folder: Path) -> Path:
    """The built-in dataset with a progress entry on every task, in statuses and ages that cover the colours."""
    from store import Store

    path = folder / "bench.db"
    store = Store.open(path)
    statuses = ("계획", "진행", "지연", "보류", "완료")
    for i, row in enumerate(store.rows("SELECT id FROM tasks ORDER BY rowid")):
        store.add_progress(row["id"], 900, "벤치", (NOW - timedelta(days=i)).isoformat(), (i * 7) % 101,
                           statuses[i % 5], "벤치마크 기록")
    store.close()
    return path


def reference() -> float:
    """CPU seconds of a fixed pure-Python loop: how fast this machine is at the time (to compare runs)."""
    start, total = time.process_time(), 0
    for i in range(3_000_000):
        total += i
    return time.process_time() - start


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> int:
    """Run fresh processes, print each one's first chart and the spread of the later ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes (default 5)")
    args = parser.parse_args()
    runs = []
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    before = reference()
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        source = database(folder)
        for n in range(args.runs):
            copy = folder / f"run{n}.db"
            shutil.copy(source, copy)
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", CHILD % {"repeats": REPEATS}, str(copy), str(ROOT)],
                                  capture_output=True, text=True, cwd=folder, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"run {n + 1}: first chart {ms(runs[-1]['first'])} (process {time.perf_counter() - t:.1f} s)")
    firsts = [r["first"] for r in runs]
    budget = sorted(x for r in runs for x in r["budget"])
    progress = sorted(x for r in runs for x in r["progress30"])
    budget_cpu = sorted(x for r in runs for x in r["budget_cpu"])
    progress_cpu = sorted(x for r in runs for x in r["progress30_cpu"])
    ten_cpu = sorted(x for r in runs for x in r["progress10_cpu"])
    every = [r["every"] for r in runs]

    def spread(values: list[float]) -> str:
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        return f"median {ms(statistics.median(values))}, p95 {ms(p95)}, max {ms(max(values))}"

    print(f"matplotlib {version('matplotlib')}; load average before: {load} (2 cores here; wall times grow "
          f"with it, CPU times less); a 3-million-step Python loop took {ms(before)} of CPU before, "
          f"{ms(reference())} after")
    print(f"first chart in a process (import matplotlib, register NanumGothic, draw; {args.runs} processes): "
          f"{', '.join(ms(f) for f in firsts)}; worst {ms(max(firsts))} (target ≤ {FIRST_LIMIT:.0f} s); CPU "
          f"{', '.join(ms(r['first_cpu']) for r in runs)}")
    print(f"budget chart answered, later ({len(budget)}): {spread(budget)} (target ≤ {ms(LATER_LIMIT)}); "
          f"CPU {spread(budget_cpu)}")
    print(f"progress picture of 30 tasks ({len(progress)}): {spread(progress)}; CPU {spread(progress_cpu)}; "
          f"{runs[0]['size30'][0]}×{runs[0]['size30'][1]} px")
    print(f"progress picture of the 10 협업과제 ({len(ten_cpu)}): CPU {spread(ten_cpu)}")
    print(f"'/chart 진행' answered (47 tasks, {runs[0]['pictures']} pictures): "
          f"{', '.join(ms(e) for e in every)}")
    ok = max(firsts) <= FIRST_LIMIT and statistics.median(budget) <= LATER_LIMIT \
        and statistics.median(progress) <= LATER_LIMIT
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
