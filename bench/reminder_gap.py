"""How long a sent reminder stays unrecorded: from the channel's answer to the committed `sent` record.

That gap is the only window in which a crash repeats a reminder. The real ReminderService sends 500
reminders (250 meetings, two chats each) through a Sender that answers after 2 ms; the store's
confirm_reminder is wrapped to time its commit.

Run: .venv/bin/python bench/reminder_gap.py
"""

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.reminder_service import ReminderService  # noqa: E402
from intents.message import Reply  # noqa: E402
from intents.writes.access import Policy  # noqa: E402
from store import Store  # noqa: E402
from store.reminders import ReminderKey, ReminderRecords  # noqa: E402

SEOUL = ZoneInfo("Asia/Seoul")
MEETINGS = 250
answered: dict[tuple[int, str], float] = {}
gaps: list[float] = []
_confirm = ReminderRecords.confirm_reminder


def timed_confirm(self: ReminderRecords, key: ReminderKey, at: str) -> None:
    """The store's confirm_reminder, timed from the answer to the end of its commit."""
    _confirm(self, key, at)
    gaps.append(time.perf_counter() - answered[(key.chat_id, key.meeting)])


class Channel:
    """A Sender that answers after 2 ms and notes when."""

    async def send(self, chat: int, reply: Reply) -> bool:
        """Accept the reminder."""
        await asyncio.sleep(0.002)
        answered[(chat, reply.buttons[0].action.split(":")[1])] = time.perf_counter()
        return True


async def run(folder: Path) -> None:
    """250 meetings, each due for its 1-day reminder now, to two chats."""
    store = Store.open(folder / "tf.db")
    now = datetime.now(SEOUL)
    for user in (1, 2):
        store.remember_private_chat(user, user, now.isoformat())
    for i in range(MEETINGS):
        start = now + timedelta(minutes=5, seconds=i)
        meeting = store.add_meeting(1, now.isoformat(), f"회의 {i}", start.isoformat(), None, None, None)
        store.respond(meeting, 2, "참석자", "참석", now.isoformat())
    cfg = load_config(os.devnull, env={})
    cfg.reminder_offsets = ["1d"]
    service = ReminderService(store, Policy(), cfg)
    await service.start(Channel())
    while len(gaps) < 2 * MEETINGS:
        await asyncio.sleep(0.05)
    await service.stop()
    store.close()


def main() -> int:
    """Run and print the gap's median, p99 and maximum."""
    ReminderRecords.confirm_reminder = timed_confirm  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(Path(tmp)))
    ordered = sorted(gaps)
    print(f"{len(ordered)} reminders: answer → committed record median {statistics.median(ordered) * 1e3:.2f} ms, "
          f"p99 {ordered[int(len(ordered) * 0.99)] * 1e3:.2f} ms, max {ordered[-1] * 1e3:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
