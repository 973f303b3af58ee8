"""Which updates the bot works on at once: no group chat may take every place.

python-telegram-bot works on `concurrent_updates` updates at once, and an update keeps its place while its
handler waits to send. Once a group has had its 19 answers in a minute, the rate limiter (bot/limiter.py)
holds that group's next answers for up to a minute; with one shared cap, a busy group's waiting answers
could take every place and private questions would wait behind them. Here one group chat holds at most
`per_group` of the places; its further updates wait without taking one, and keep their turn.
"""

import asyncio
from collections import Counter, deque
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.limiter import is_group

# python-telegram-bot takes its own semaphore before handing an update over; it is sized so that updates
# waiting for a place never fill it, and the real cap is ours
WAITING_ROOM = 10_000
Chat = int | str | None


class FairUpdates(BaseUpdateProcessor):
    """At most `concurrent` updates at once, of which at most `per_group` from any one group chat; places go
    to waiting updates in the order they came, passing over those of a group that has its share."""

    def __init__(self, concurrent: int, per_group: int | None = None) -> None:
        if concurrent < 1:
            raise ValueError("concurrent must be at least 1")
        super().__init__(concurrent + WAITING_ROOM)
        self.concurrent = concurrent
        self.per_group = per_group if per_group is not None else max(1, concurrent // 4)
        if not 1 <= self.per_group <= concurrent:
            raise ValueError("per_group must be between 1 and concurrent")
        self._running = 0
        self._by_group: Counter[int | str] = Counter()
        self._waiting: deque[tuple[Chat, asyncio.Future[None]]] = deque()

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run an update's handlers once it has a place."""
        chat = update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
        chat = chat if is_group(chat) else None   # private chats share the places without a share of their own
        place: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((chat, place))
        self._hand_out()
        try:
            await place
        except asyncio.CancelledError:
            if place.done() and not place.cancelled():   # granted just before the cancellation
                self._leave(chat)
            else:
                self._waiting.remove((chat, place))
            raise
        try:
            await coroutine
        finally:
            self._leave(chat)

    def _fits(self, chat: Chat) -> bool:
        return chat is None or self._by_group[chat] < self.per_group

    def _hand_out(self) -> None:
        """Give free places to the earliest waiting updates that fit."""
        while self._running < self.concurrent:
            entry = next((e for e in self._waiting if self._fits(e[0])), None)
            if entry is None:
                return
            self._waiting.remove(entry)
            chat, place = entry
            self._running += 1
            if chat is not None:
                self._by_group[chat] += 1
            place.set_result(None)

    def _leave(self, chat: Chat) -> None:
        """An update is done: its place goes to the next that fits."""
        self._running -= 1
        if chat is not None:
            self._by_group[chat] -= 1
            if not self._by_group[chat]:
                del self._by_group[chat]
        self._hand_out()
