"""Update places: a group whose answers wait for its minute cannot hold up private questions."""

import asyncio
from typing import Any

import pytest
from telegram import Update

from bot.fair_updates import FairUpdates

PRIVATE, GROUP, OTHER_GROUP = 1001, -100_001, -100_002


def update(update_id: int, chat_id: int) -> Update:
    """A text message update in a chat, as python-telegram-bot parses it."""
    chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "title": "TF"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "text": "질문",
               "from": {"id": PRIVATE, "is_bot": False, "first_name": "사용자"}}
    return Update.de_json({"update_id": update_id, "message": message}, None)


class Handlers:
    """Handler stand-ins: a group's handlers wait (as for the group's minute) until released."""

    def __init__(self) -> None:
        self.minute_over = asyncio.Event()
        self.running: dict[int, int] = {}
        self.most: dict[int, int] = {}
        self.done: list[int] = []

    async def handle(self, chat_id: int) -> None:
        """Count the chat's running handlers; a group's waits for its minute."""
        self.running[chat_id] = self.running.get(chat_id, 0) + 1
        self.most[chat_id] = max(self.most.get(chat_id, 0), self.running[chat_id])
        if chat_id < 0:
            await self.minute_over.wait()
        await asyncio.sleep(0)
        self.running[chat_id] -= 1
        self.done.append(chat_id)


def test_a_private_question_is_answered_while_a_group_waits_with_more_updates_than_places() -> None:
    async def main() -> tuple[Handlers, list[int]]:
        processor, handlers = FairUpdates(16), Handlers()
        tasks: list[asyncio.Task[Any]] = []
        for i in range(40):   # more waiting group updates than there are places
            chat = GROUP if i % 2 else OTHER_GROUP
            tasks.append(asyncio.ensure_future(processor.process_update(update(i, chat), handlers.handle(chat))))
        await asyncio.sleep(0.01)
        await asyncio.wait_for(processor.process_update(update(99, PRIVATE), handlers.handle(PRIVATE)), 1)
        before = list(handlers.done)
        handlers.minute_over.set()
        await asyncio.gather(*tasks)
        return handlers, before

    handlers, before = asyncio.run(main())
    assert before == [PRIVATE], "the private question was answered while both groups waited"
    assert handlers.most[GROUP] == 4 and handlers.most[OTHER_GROUP] == 4, "a group holds a quarter of 16"
    assert handlers.done.count(GROUP) == 20 and handlers.done.count(OTHER_GROUP) == 20


def test_a_group_update_passed_over_keeps_its_turn_before_later_private_ones() -> None:
    async def main() -> list[str]:
        processor, started = FairUpdates(2, per_group=1), []
        release = {name: asyncio.Event() for name in ("g1", "g2", "p1", "p2", "p3")}

        async def handle(name: str) -> None:
            started.append(name)
            await release[name].wait()

        arrivals = [("g1", GROUP), ("g2", GROUP), ("p1", PRIVATE), ("p2", PRIVATE + 1), ("p3", PRIVATE + 2)]
        tasks = [asyncio.ensure_future(processor.process_update(update(i, chat), handle(name)))
                 for i, (name, chat) in enumerate(arrivals)]
        await asyncio.sleep(0.01)
        assert started == ["g1", "p1"], "g2 waits: its group has its share"
        release["g1"].set()
        await asyncio.sleep(0.01)
        for event in release.values():
            event.set()
        await asyncio.gather(*tasks)
        return started

    assert asyncio.run(main()) == ["g1", "p1", "g2", "p2", "p3"]


def test_a_cancelled_update_gives_its_place_back() -> None:
    async def main() -> list[int]:
        processor, done = FairUpdates(1), []
        blocker = asyncio.Event()

        async def handle(n: int, wait: bool = False) -> None:
            if wait:
                await blocker.wait()
            done.append(n)

        first = asyncio.ensure_future(processor.process_update(update(1, PRIVATE), handle(1, wait=True)))
        second = handle(2)
        waiting = asyncio.ensure_future(processor.process_update(update(2, PRIVATE), second))
        await asyncio.sleep(0.01)
        waiting.cancel()
        second.close()   # never started: closed so that Python does not warn about it
        first.cancel()
        await asyncio.gather(first, waiting, return_exceptions=True)
        await asyncio.wait_for(processor.process_update(update(3, PRIVATE), handle(3)), 1)
        return done

    assert asyncio.run(main()) == [3]


def test_no_more_than_the_places_run_at_once() -> None:
    async def main() -> int:
        processor, running, most = FairUpdates(3), [0], [0]

        async def handle() -> None:
            running[0] += 1
            most[0] = max(most[0], running[0])
            await asyncio.sleep(0.001)
            running[0] -= 1

        await asyncio.gather(*(processor.process_update(update(i, PRIVATE + i), handle()) for i in range(20)))
        return most[0]

    assert asyncio.run(main()) == 3


def test_places_must_make_sense() -> None:
    with pytest.raises(ValueError):
        FairUpdates(0)
    with pytest.raises(ValueError):
        FairUpdates(4, per_group=5)
    assert FairUpdates(2).per_group == 1 and FairUpdates(16).per_group == 4
