"""Meeting reminders, cancellation notices, the weekly digest and nudges, sent through the Telegram adapter."""

import logging
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from telegram.error import TelegramError

from bot.config import Config
from bot.scheduler import schedule_digest, sync_reminders
from intents.dates.reminders import GROUP_KEY, Due, Reminders, digest, nudges, parse_offset
from intents.message import Message, Reply
from intents.writes.schedule import MEETING_WRITES

if TYPE_CHECKING:
    from bot.telegram import App, TelegramAdapter

log = logging.getLogger(__name__)
SYNC_SECONDS = 60


class TelegramReminders:
    """Keeps the job queue's reminder jobs in step with the database and sends what falls due."""

    def __init__(self, adapter: "TelegramAdapter", cfg: Config) -> None:
        self.adapter = adapter
        self.cfg = cfg
        self.reminders = Reminders(adapter.engine.store, [parse_offset(o) for o in cfg.reminder_offsets])
        self.app: App | None = None

    def now(self) -> datetime:
        """The current time in the configured timezone."""
        return datetime.now(self.cfg.tz)

    async def start(self, app: "App") -> None:
        """Plan every reminder from the database, re-plan periodically, schedule the digest."""
        self.app = app
        await self.sync()
        scheduler = self._scheduler()
        scheduler.add_job(self.sync, "interval", seconds=SYNC_SECONDS, id="reminder-sync", replace_existing=True)
        schedule_digest(scheduler, self.now(), self.cfg.digest, self.send_digest)

    def _scheduler(self) -> Any:
        assert self.app is not None and self.app.job_queue is not None
        return self.app.job_queue.scheduler

    async def sync(self) -> None:
        """Add, move or drop reminder jobs to match the database; overdue ones run at once."""
        if self.app is None:
            return
        scheduler = self._scheduler()
        await self.adapter.locked(lambda: sync_reminders(scheduler, self.reminders, self.now(), self.fire))

    async def fire(self, due: Due) -> None:
        """Send one reminder to each chat that has not had it; a failed send is tried again later."""
        outgoing = await self.adapter.locked(lambda: self.reminders.deliver(due, self.now()))
        for chat, reply in outgoing:
            if not await self._send(chat, reply):
                await self.adapter.locked(partial(self.reminders.release, due, chat))

    async def after_reply(self, reply: Reply) -> None:
        """A meeting was saved, moved or cancelled: re-plan, and tell the group of a cancellation."""
        if reply.intent not in MEETING_WRITES:
            return
        await self.sync()
        if reply.intent == "meeting_cancelled":
            for entity in reply.entities:
                row = await self.adapter.locked(partial(self.adapter.engine.store.meeting, entity.id))
                if row is not None:
                    notices = await self.adapter.locked(partial(self.reminders.cancellation_notice, row))
                    for chat, notice in notices:
                        await self._send(chat, notice)

    async def send_digest(self) -> None:
        """The weekly digest to the bound group and nudges to owners of stale tasks; then the next one."""
        now = self.now()
        store, policy = self.adapter.engine.store, self.adapter.engine.policy
        group = await self.adapter.locked(lambda: store.setting(GROUP_KEY))
        if group:
            await self._send(int(group), await self.adapter.locked(lambda: digest(store, policy, now)))
        for chat, nudge in await self.adapter.locked(lambda: nudges(store, policy, now)):
            await self._send(chat, nudge)
        schedule_digest(self._scheduler(), now, self.cfg.digest, self.send_digest)

    async def _send(self, chat: int, reply: Reply) -> bool:
        assert self.app is not None
        carrier = Message(text=reply.text, now=self.now(), user_id=None, chat_id=chat)   # anyone may press
        try:
            return await self.adapter.send_reply(self.app.bot, chat, carrier, reply)
        except TelegramError:
            log.warning("could not send %s to chat %s", reply.intent, chat, exc_info=True)
            return False
