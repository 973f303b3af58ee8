"""Several coordinators writing at once lose nothing: threads and processes against one file."""

import multiprocessing
import threading
from pathlib import Path

from store import Store

TASK = "d000-task-daegu"
PER_WRITER = 40


def _write(path: str, writer: int) -> None:
    store = Store.open(path)
    for i in range(PER_WRITER):
        store.add_progress(TASK, writer, f"writer{writer}", f"2026-11-23T10:00:{i:02d}+09:00", i % 101, "진행",
                           f"w{writer}-n{i}")
    store.close()


def _check(path: Path, writers: list[int]) -> None:
    store = Store.open(path)
    notes = [r["note"] for r in store.rows("SELECT note FROM progress")]
    expected = {f"w{w}-n{i}" for w in writers for i in range(PER_WRITER)}
    assert len(notes) == len(expected)
    assert set(notes) == expected
    assert store.count("audit") == len(expected)


def test_concurrent_threads_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "threads.db"
    Store.open(path).close()
    threads = [threading.Thread(target=_write, args=(str(path), w)) for w in range(1, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    _check(path, list(range(1, 7)))


def test_concurrent_processes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "procs.db"
    Store.open(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write, args=(str(path), w)) for w in range(11, 15)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    _check(path, list(range(11, 15)))
