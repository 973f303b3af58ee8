"""The sliding-window rate limiter on a virtual clock: Telegram's limits kept, the full rate reached.

The event loop below runs on simulated time: when nothing is ready to run, it moves its clock to the next
timer instead of sleeping, so 20 simulated seconds take milliseconds and every run is the same.
"""

import asyncio
import logging
import os
import random
import selectors
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import pytest
from telegram.error import NetworkError, RetryAfter

from bot.config import load_config
from bot.fair_updates import FairUpdates
from bot.limiter import GROUP, OVERALL, Limit, SlidingWindowLimiter, chat_of, posts_message
from bot.telegram import build_application
from bot.telegram_http import AiohttpRequest
from intents.engine import Engine

T = TypeVar("T")
# PTB 22 warns on every RetryAfter that retry_after will become a timedelta
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
PRIVATE, GROUP_A, GROUP_B = 1001, -100_001, -100_002


class _InstantSelector(selectors.DefaultSelector):   # type: ignore[misc,valid-type]
    """A selector that never blocks: a wait for `timeout` seconds moves the loop's clock instead."""

    def __init__(self, loop: "VirtualTimeLoop") -> None:
        super().__init__()
        self.loop = loop

    def select(self, timeout: float | None = None) -> list[Any]:
        ready = super().select(0)
        if not ready:
            if timeout is None:
                raise RuntimeError("deadlock: every task waits and no timer is set")
            self.loop.now += timeout
        return ready


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An asyncio event loop whose `time()` is simulated (starts at 1000.0)."""

    def __init__(self) -> None:
        self.now = 1000.0
        super().__init__(_InstantSelector(self))

    def time(self) -> float:
        """The simulated clock."""
        return self.now


def simulate(main: Callable[[VirtualTimeLoop], Coroutine[Any, Any, T]]) -> T:
    """Run `main(loop)` on a fresh virtual-time loop."""
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(main(loop))
    finally:
        loop.close()


def limiter_on(loop: VirtualTimeLoop, **kwargs: Any) -> SlidingWindowLimiter:
    """The production limits (unless overridden) with the loop's clock injected."""
    return SlidingWindowLimiter(clock=loop.time, **kwargs)


class Server:
    """The Bot API as the limiter's callbacks reach it: records when each message arrives, per chat.

    Each call spends a random network delay (seeded) before it arrives and another before its answer
    returns, so arrival order and timing differ from the order the limiter let calls go."""

    def __init__(self, loop: VirtualTimeLoop, latency: float = 0.02, seed: int = 7) -> None:
        self.loop, self.latency, self.random = loop, latency, random.Random(seed)
        self.arrivals: list[tuple[float, int]] = []
        self.refuse: list[float] = []   # retry_after values for the next calls, answered with 429

    async def call(self, chat_id: int) -> dict[str, Any]:
        """One sendMessage: travel, arrive (or be refused), travel back."""
        await asyncio.sleep(self.random.uniform(0, self.latency))
        if self.refuse:
            wait = self.refuse.pop(0)
            await asyncio.sleep(self.random.uniform(0, self.latency))
            raise RetryAfter(int(wait))
        self.arrivals.append((self.loop.time(), chat_id))
        await asyncio.sleep(self.random.uniform(0, self.latency))
        return {"chat": {"id": chat_id}}

    def times(self, chat_id: int | None = None) -> list[float]:
        """Arrival times, of one chat or of all."""
        return sorted(t for t, c in self.arrivals if chat_id is None or c == chat_id)


def send(limiter: SlidingWindowLimiter, server: Server, chat_id: int,
         endpoint: str = "sendMessage") -> Awaitable[Any]:
    """A call as python-telegram-bot's ExtBot makes it through the limiter."""
    return limiter.process_request(server.call, (chat_id,), {}, endpoint, {"chat_id": chat_id, "text": "답"}, None)


def most_in_window(times: list[float], width: float) -> int:
    """The largest number of times inside any half-open window [t, t + width)."""
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= width:
            start += 1
        best = max(best, end - start + 1)
    return best


# --- the limits --------------------------------------------------------------------------------------
def test_the_shipped_limits_are_telegrams_less_a_small_margin() -> None:
    assert (OVERALL.count, OVERALL.seconds) == (28, 1.0)
    assert (GROUP.count, GROUP.seconds) == (19, 60.0)


def test_a_burst_of_100_never_puts_more_than_28_in_any_second() -> None:
    async def main(loop: VirtualTimeLoop) -> Server:
        limiter, server = limiter_on(loop), Server(loop)
        await limiter.initialize()
        await asyncio.gather(*(send(limiter, server, PRIVATE + i) for i in range(100)))
        return server

    server = simulate(main)
    times = server.times()
    assert len(times) == 100
    assert most_in_window(times, 1.0) == 28, "the window is filled to the limit, never past it"
    assert times[-1] - times[0] < 3.2, "100 sends leave in four windows (0, 1, 2 and 3 s), not later"


def test_30_group_sends_never_put_more_than_19_in_any_minute() -> None:
    async def main(loop: VirtualTimeLoop) -> Server:
        limiter, server = limiter_on(loop), Server(loop)
        await limiter.initialize()
        await asyncio.gather(*(send(limiter, server, GROUP_A) for _ in range(30)))
        return server

    server = simulate(main)
    times = server.times(GROUP_A)
    assert len(times) == 30
    assert most_in_window(times, 60.0) == 19
    assert most_in_window(times, 1.0) <= 19
    assert 60.0 <= times[19] - times[0] < 60.5, "the 20th waits a minute from the first, and no longer"


def test_private_sends_go_while_a_group_waits_for_its_minute() -> None:
    async def main(loop: VirtualTimeLoop) -> tuple[Server, float]:
        limiter, server = limiter_on(loop), Server(loop)
        await limiter.initialize()
        start = loop.time()
        group = [asyncio.ensure_future(send(limiter, server, GROUP_A)) for _ in range(25)]
        await asyncio.sleep(0.5)   # the group has used its 19 and 6 wait for the minute to pass
        other_group = asyncio.ensure_future(send(limiter, server, GROUP_B))   # 19 + 1 + 8 = 28 this second
        private = [asyncio.ensure_future(send(limiter, server, PRIVATE + i)) for i in range(8)]
        await asyncio.gather(*private, other_group)
        done = loop.time() - start
        await asyncio.gather(*group)
        return server, done

    server, done = simulate(main)
    assert done < 0.6, "private answers and another group are not queued behind a group at its limit"
    assert len(server.times(GROUP_A)) == 25 and server.times(GROUP_A)[-1] - server.times(GROUP_A)[0] >= 60
    assert len(server.times(GROUP_B)) == 1


def test_a_20_second_backlog_is_sent_at_27_or_more_a_second() -> None:
    async def main(loop: VirtualTimeLoop) -> Server:
        limiter, server = limiter_on(loop), Server(loop)
        await limiter.initialize()

        async def offer() -> None:   # 40 a second for 20 s (one in 40 to a group): more than Telegram allows
            calls = []
            for i in range(800):
                chat = GROUP_A if i % 80 == 0 else GROUP_B if i % 80 == 40 else PRIVATE + i % 300
                calls.append(asyncio.ensure_future(send(limiter, server, chat)))
                await asyncio.sleep(1 / 40)
            await asyncio.gather(*calls)

        await asyncio.wait_for(offer(), timeout=35)
        return server

    server = simulate(main)
    times = server.times()
    assert len(times) == 800
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate >= 27, f"the backlog leaves at nearly 28 a second, not {rate:.1f}"
    assert most_in_window(times, 1.0) <= 28
    assert max(most_in_window(server.times(g), 60.0) for g in (GROUP_A, GROUP_B)) <= 19


def test_late_answers_count_until_a_window_after_they_return() -> None:
    """However the network bunches arrivals, the server never sees more than the limit in a window."""
    async def main(loop: VirtualTimeLoop) -> Server:
        limiter, server = limiter_on(loop, overall=Limit(5, 1.0)), Server(loop, latency=0.8, seed=3)
        await limiter.initialize()
        await asyncio.gather(*(send(limiter, server, PRIVATE + i) for i in range(60)))
        return server

    server = simulate(main)
    assert len(server.times()) == 60 and most_in_window(server.times(), 1.0) <= 5


# --- what is limited ---------------------------------------------------------------------------------
@pytest.mark.parametrize("endpoint", ["getUpdates", "getMe", "answerCallbackQuery", "setMyCommands",
                                      "sendChatAction", "deleteMessage"])
def test_calls_that_post_no_message_are_not_held(endpoint: str) -> None:
    async def main(loop: VirtualTimeLoop) -> tuple[Server, float]:
        limiter, server = limiter_on(loop, overall=Limit(1, 1.0)), Server(loop, latency=0)
        await limiter.initialize()
        start = loop.time()
        await asyncio.gather(*(send(limiter, server, GROUP_A, endpoint) for _ in range(50)))
        return server, loop.time() - start

    server, took = simulate(main)
    assert len(server.arrivals) == 50 and took == 0.0
    assert not posts_message(endpoint)


@pytest.mark.parametrize("endpoint", ["sendMessage", "sendPhoto", "sendDocument", "editMessageText",
                                      "copyMessage", "forwardMessage"])
def test_calls_that_post_a_message_are_held(endpoint: str) -> None:
    async def main(loop: VirtualTimeLoop) -> Server:
        limiter, server = limiter_on(loop, overall=Limit(2, 1.0)), Server(loop, latency=0)
        await limiter.initialize()
        await asyncio.gather(*(send(limiter, server, PRIVATE, endpoint) for _ in range(6)))
        return server

    server = simulate(main)
    assert most_in_window(server.times(), 1.0) == 2 and server.times()[-1] - server.times()[0] >= 2.0


def test_chat_ids_as_the_bot_api_takes_them() -> None:
    assert chat_of({"chat_id": "-100123"}) == -100123
    assert chat_of({"chat_id": "@tf_channel"}) == "@tf_channel"
    assert chat_of({"inline_message_id": "x"}) is None


def test_a_group_named_by_its_username_has_a_minute_window_too() -> None:
    async def main(loop: VirtualTimeLoop) -> list[float]:
        limiter = limiter_on(loop, group=Limit(2, 60.0))
        await limiter.initialize()
        seen: list[float] = []

        async def call() -> bool:
            seen.append(loop.time())
            return True

        await asyncio.gather(*(limiter.process_request(call, (), {}, "sendMessage", {"chat_id": "@tf"}, None)
                               for _ in range(3)))
        return seen

    seen = simulate(main)
    assert seen[2] - seen[0] >= 60.0


# --- 429 ---------------------------------------------------------------------------------------------
def test_a_429_is_waited_out_and_retried_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    async def main(loop: VirtualTimeLoop) -> tuple[Server, float]:
        limiter, server = limiter_on(loop), Server(loop, latency=0)
        await limiter.initialize()
        server.refuse = [5]
        start = loop.time()
        await send(limiter, server, GROUP_A)
        return server, loop.time() - start

    with caplog.at_level(logging.INFO, logger="bot.limiter"):
        server, took = simulate(main)
    assert len(server.arrivals) == 1 and 5.0 <= took < 5.5
    [line] = [r.getMessage() for r in caplog.records]
    assert str(GROUP_A) in line and "5.1 s" in line


def test_a_429_holds_that_chat_only() -> None:
    async def main(loop: VirtualTimeLoop) -> dict[int, float]:
        limiter, server = limiter_on(loop), Server(loop, latency=0)
        await limiter.initialize()
        server.refuse = [10]
        start = loop.time()
        first = asyncio.ensure_future(send(limiter, server, GROUP_A))
        await asyncio.sleep(0.1)
        again = asyncio.ensure_future(send(limiter, server, GROUP_A))   # the same chat: waits too
        await send(limiter, server, PRIVATE)
        private = loop.time() - start
        await asyncio.gather(first, again)
        return {c: t - start for t, c in server.arrivals} | {0: private}

    done = simulate(main)
    assert done[0] < 0.2, "another chat is not held"
    assert done[GROUP_A] >= 10.0


def test_429_retries_are_bounded_then_the_error_is_raised(caplog: pytest.LogCaptureFixture) -> None:
    async def main(loop: VirtualTimeLoop) -> Server:
        limiter, server = limiter_on(loop, retries=2), Server(loop, latency=0)
        await limiter.initialize()
        server.refuse = [1, 1, 1, 1]
        with pytest.raises(RetryAfter):
            await send(limiter, server, PRIVATE)
        return server

    with caplog.at_level(logging.INFO, logger="bot.limiter"):
        server = simulate(main)
    assert server.refuse == [1], "three tries: the first and two retries"
    assert len(caplog.records) == 3 and "giving up" in caplog.records[-1].getMessage()


def test_other_errors_pass_through_and_free_their_place() -> None:
    async def main(loop: VirtualTimeLoop) -> float:
        limiter = limiter_on(loop, overall=Limit(1, 1.0))
        await limiter.initialize()

        async def broken() -> bool:
            raise NetworkError("connection reset")

        start = loop.time()
        for _ in range(3):
            with pytest.raises(NetworkError):
                await limiter.process_request(broken, (), {}, "sendMessage", {"chat_id": PRIVATE}, None)
        return loop.time() - start

    assert simulate(main) == pytest.approx(2.0), "a failed call still counted: one a second"


def test_the_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Limit(0, 1.0)
    with pytest.raises(ValueError, match="positive"):
        Limit(5, 0)
    with pytest.raises(ValueError, match="negative"):
        SlidingWindowLimiter(retries=-1)


# --- wiring ------------------------------------------------------------------------------------------
def test_the_application_sends_through_the_limiter_the_fair_update_places_and_aiohttp(ro_engine: Engine) -> None:
    cfg = load_config(os.devnull, env={"TFBOT_TOKEN": "123:ABC"})
    app = build_application(ro_engine, cfg)
    assert isinstance(app.bot.rate_limiter, SlidingWindowLimiter)
    assert isinstance(app.update_processor, FairUpdates) and app.update_processor.concurrent == 16
    assert isinstance(app.bot.request, AiohttpRequest)
    assert build_application(ro_engine, cfg, rate_limit=False).bot.rate_limiter is None
