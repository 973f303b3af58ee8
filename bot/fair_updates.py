"""Which updates the bot works on at once: no group chat may take every place.

python-telegram-bot works on `concurrent_updates` updates at once, and an update keeps its place while its
handler waits to send. Once a group has had its 19 answers in a minute, the rate limiter (bot/limiter.py)
holds that group's next answers for up to a minute; with one shared cap, a busy group's waiting answers
could take every place and private questions would wait behind them. Here one group chat holds at most
`per_group` of the places; its further updates wait for their group's turn without taking one.
"""

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.limiter import is_group

# python-telegram-bot takes its own semaphore before handing an update over; it is sized so that updates
# waiting for their group's turn never fill it, and the real cap is ours
WAITING_ROOM = 10_000


class FairUpdates(BaseUpdateProcessor):
    """At most `concurrent` updates at once, of which at most `per_group` from any one group chat."""

    def __init__(self, concurrent: int, per_group: int | None = None) -> None:
        if concurrent < 1:
            raise ValueError("concurrent must be at least 1")
        super().__init__(concurrent + WAITING_ROOM)
        self.concurrent = concurrent
        self.per_group = per_group if per_group is not None else max(1, concurrent // 4)
        if not 1 <= self.per_group <= concurrent:
            raise ValueError("per_group must be between 1 and concurrent")
        self._places = asyncio.BoundedSemaphore(concurrent)
        self._groups: dict[int | str, tuple[asyncio.Semaphore, int]] = {}   # chat → (its places, users)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run an update's handlers once it has a place (and, in a group, once its group has one)."""
        chat = update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
        if not is_group(chat):
            async with self._places:
                await coroutine
            return
        assert chat is not None
        turn, users = self._groups.get(chat) or (asyncio.Semaphore(self.per_group), 0)
        self._groups[chat] = (turn, users + 1)
        try:
            async with turn, self._places:
                await coroutine
        finally:
            turn, users = self._groups[chat]
            if users == 1:
                del self._groups[chat]
            else:
                self._groups[chat] = (turn, users - 1)
