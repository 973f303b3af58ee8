"""The rate limiter: Telegram's flood limits kept as sliding windows (python-telegram-bot's BaseRateLimiter).

Telegram allows about 30 messages a second in all and 20 a minute to one group. The limiter lets at most
`OVERALL.count` messages reach the Bot API in any `OVERALL.seconds` window and `GROUP.count` to one group
(a negative chat id, or an @name) in any `GROUP.seconds` window. A send holds its place in a window from
the moment it starts until a full window after its answer came back, so however the network delays a
request, the server cannot see more than the limit inside any window — and, unlike fixed small buckets,
a backlog still leaves at the full rate (28 a second, less only the time a call takes).

A group at its minute limit holds back only that group's sends: a send waits for its group's window
first and only then for the overall one, so private answers pass it. A 429 (RetryAfter) is logged once,
holds that chat's sends for the time Telegram asked, and is retried up to `retries` times. Calls that do
not post a message (getUpdates, getMe, answerCallbackQuery, setMyCommands, sendChatAction …) are never held.
"""

import asyncio
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Limit:
    """At most `count` messages in any window of `seconds`."""

    count: int
    seconds: float

    def __post_init__(self) -> None:
        if self.count < 1 or self.seconds <= 0:
            raise ValueError(f"a limit needs a positive count and window, not {self.count} in {self.seconds} s")


OVERALL = Limit(28, 1.0)    # Telegram: about 30 a second; 2 spare for what the bot cannot see (other clients)
GROUP = Limit(19, 60.0)     # Telegram: 20 a minute to one group; 1 spare
RETRIES = 3                 # a send refused with 429 is tried again this many times, then the 429 is raised
RETRY_MARGIN = 0.1          # seconds added to Telegram's retry_after
# Bot API methods that post or change a message in a chat; every other method passes unheld
MESSAGE_PREFIXES = ("send", "copyMessage", "forwardMessage", "editMessage", "stopPoll")
NOT_MESSAGES = frozenset({"sendChatAction"})


def posts_message(endpoint: str) -> bool:
    """True for Bot API methods that post or edit a message (sendMessage, editMessageText …)."""
    return endpoint.startswith(MESSAGE_PREFIXES) and endpoint not in NOT_MESSAGES


def chat_of(data: dict[str, Any]) -> int | str | None:
    """The chat a call is for: an integer id (a digit string converted), an @name, or None."""
    chat = data.get("chat_id")
    if isinstance(chat, str):
        try:
            return int(chat)
        except ValueError:
            return chat
    return chat if isinstance(chat, int) else None


def is_group(chat: int | str | None) -> bool:
    """True for a group, supergroup or channel: a negative id, or an @name (only those have one)."""
    return isinstance(chat, str) or (isinstance(chat, int) and chat < 0)


def retry_after_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked the bot to wait, in seconds."""
    with warnings.catch_warnings():   # PTB 22 warns that retry_after will become a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class SlidingWindow:
    """At most `limit.count` sends in any `limit.seconds`; a send counts from its start until a window after
    it ends. Waiting sends go in the order they came (an asyncio.Lock wakes its waiters first come, first
    served)."""

    def __init__(self, limit: Limit, clock: Clock, sleep: Sleep) -> None:
        self.limit = limit
        self._clock, self._sleep = clock, sleep
        self._ended: deque[float] = deque()   # end times of finished sends, oldest first (the clock only grows)
        self._in_flight = 0
        self._turn = asyncio.Lock()
        self._finished = asyncio.Event()

    def _expire(self, now: float) -> None:
        while self._ended and self._ended[0] + self.limit.seconds <= now:
            self._ended.popleft()

    def idle(self) -> bool:
        """True when nothing is in flight, waiting, or still inside the window."""
        self._expire(self._clock())
        return not self._ended and not self._in_flight and not self._turn.locked()

    async def acquire(self) -> None:
        """Wait for a place in the window and take it; `release()` must follow."""
        async with self._turn:
            while True:
                now = self._clock()
                self._expire(now)
                if self._in_flight + len(self._ended) < self.limit.count:
                    self._in_flight += 1
                    return
                if self._ended:   # the oldest finished send leaves the window first
                    await self._sleep(self._ended[0] + self.limit.seconds - now)
                else:             # every place is held by a send still in flight: wait for one to end
                    finished = self._finished
                    await finished.wait()

    def release(self) -> None:
        """A send taken with `acquire()` has ended (answered or failed): it stays counted a window longer."""
        self._in_flight -= 1
        self._ended.append(self._clock())
        self._finished.set()
        self._finished = asyncio.Event()


class SlidingWindowLimiter(BaseRateLimiter[int]):
    """Telegram's limits for python-telegram-bot: `ApplicationBuilder().rate_limiter(SlidingWindowLimiter())`.

    `rate_limit_args`, when a call passes it, is that call's number of 429 retries."""

    def __init__(self, overall: Limit = OVERALL, group: Limit = GROUP, retries: int = RETRIES, *,
                 clock: Clock | None = None, sleep: Sleep = asyncio.sleep) -> None:
        if retries < 0:
            raise ValueError("retries must not be negative")
        self.overall_limit, self.group_limit, self.retries = overall, group, retries
        self._clock: Clock = clock or time.monotonic
        self._sleep = sleep
        self._overall: SlidingWindow | None = None
        self._groups: dict[int | str, SlidingWindow] = {}
        self._held: dict[int | str, float] = {}   # chat → until when Telegram asked us not to send there

    async def initialize(self) -> None:
        """Start with empty windows (they belong to the event loop the bot runs on)."""
        self._overall = SlidingWindow(self.overall_limit, self._clock, self._sleep)
        self._groups.clear()
        self._held.clear()

    async def shutdown(self) -> None:
        """Forget the windows."""
        self._overall = None
        self._groups.clear()
        self._held.clear()

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Result]], args: Any,
                              kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                              rate_limit_args: int | None) -> Result:
        """Make one Bot API call, after waiting for the windows it counts in; 429s waited out and retried."""
        if not posts_message(endpoint):
            return await callback(*args, **kwargs)
        chat = chat_of(data)
        retries = self.retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            await self._wait_until_released(chat)
            try:
                return await self._send(chat, callback, args, kwargs)
            except RetryAfter as exc:
                wait = retry_after_seconds(exc) + RETRY_MARGIN
                if attempt == retries:
                    log.warning("Telegram refused %s to chat %s with 429 (retry after %.1f s) %d times; "
                                "giving up", endpoint, chat, wait, attempt + 1)
                    raise
                log.info("Telegram asked to wait %.1f s before sending to chat %s (429); retry %d of %d",
                         wait, chat, attempt + 1, retries)
                if chat is not None:
                    now = self._clock()
                    for done in [c for c, until in self._held.items() if until <= now]:   # holds of the past
                        del self._held[done]
                    self._held[chat] = max(self._held.get(chat, 0.0), now + wait)
                else:
                    await self._sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _wait_until_released(self, chat: int | str | None) -> None:
        """Sleep while a 429 holds this chat's sends."""
        while chat is not None and chat in self._held:
            left = self._held[chat] - self._clock()
            if left <= 0:
                del self._held[chat]
                return
            await self._sleep(left)

    async def _send(self, chat: int | str | None, callback: Callable[..., Coroutine[Any, Any, Result]],
                    args: Any, kwargs: dict[str, Any]) -> Result:
        """The call inside its group's window (if any), then the overall window."""
        if self._overall is None:
            raise RuntimeError("the rate limiter is not initialized")
        windows = [self._group_window(chat)] if is_group(chat) else []
        windows.append(self._overall)
        taken: list[SlidingWindow] = []
        try:
            for window in windows:   # the group's minute first: a full group never holds the overall window
                await window.acquire()
                taken.append(window)
            return await callback(*args, **kwargs)
        finally:
            for window in taken:
                window.release()

    def _group_window(self, chat: int | str | None) -> SlidingWindow:
        """The window of one group, made on its first send; windows of groups gone quiet are dropped."""
        assert chat is not None
        window = self._groups.get(chat)
        if window is None:
            for quiet in [key for key, w in self._groups.items() if w.idle()]:
                del self._groups[quiet]
            window = self._groups[chat] = SlidingWindow(self.group_limit, self._clock, self._sleep)
        return window
