"""Store work off the event loop: one worker thread with a connection of its own, no lock the loop takes."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from store import Store

T = TypeVar("T")


class StoreWorker:
    """Runs store calls one at a time on its own thread and connection; the event loop awaits, never waits.

    SQLite serialises writers across connections (WAL, busy timeout): a write that must wait for another
    connection waits on this thread, while the loop goes on answering.
    """

    def __init__(self, open_store: Callable[[], Store], name: str) -> None:
        self._open = open_store
        self._store: Store | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    async def run(self, work: Callable[[Store], T]) -> T:
        """Run `work(store)` on the worker thread and return its result."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._call, work)

    def _call(self, work: Callable[[Store], T]) -> T:
        if self._store is None:
            self._store = self._open()
        return work(self._store)

    async def close(self) -> None:
        """Close the connection (on its thread) and stop the thread."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._close)
        self._executor.shutdown(wait=False)

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
