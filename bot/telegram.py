"""The Telegram adapter: Bot API updates in, engine messages through, Bot API calls out."""

import asyncio
import hashlib
import logging
import re
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any, TypeAlias, TypeVar
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MessageEntity,
    Update,
)
from telegram import Message as TgMessage
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    JobQueue,
    MessageHandler,
    filters,
)
from telegram.helpers import create_deep_linked_url

from bot.config import Config
from bot.conversation import Conversation, Incoming, Option, Outgoing, Press, apology, incident_id
from bot.fair_updates import FairUpdates
from bot.limiter import SlidingWindowLimiter, retry_after_seconds
from bot.sender import Background
from bot.telegram_http import AiohttpRequest
from bot.telegram_text import MAX_CALLBACK_BYTES, escape, redact_contacts, split_text
from intents.engine import Engine
from intents.message import Attachment, IncomingFile, Message, Reply
from intents.writes.commands import MAX_UPLOAD_BYTES

log = logging.getLogger(__name__)

Context: TypeAlias = ContextTypes.DEFAULT_TYPE
App: TypeAlias = Application[ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]]
Bot: TypeAlias = ExtBot[Any]
T = TypeVar("T")

SENT_PRIVATELY = "연락처는 개인 메시지로 보냈습니다."
NOT_DOWNLOADED = "파일을 내려받지 못했습니다. 잠시 후 다시 보내 주세요. 아무것도 바꾸지 않았습니다."
MAX_NOTICE = 200   # answerCallbackQuery text
MAX_CAPTION = 1024   # a photo's caption
ALLOWED_UPDATES = ("message", "callback_query")
SEND_RETRIES = 3
BACKOFF_SECONDS = 0.5

MigrationHook = Callable[[int, int], None]


def fits_caption(text: str) -> bool:
    """Whether a text fits under a photo: Telegram takes 1,024 characters, counted in UTF-16 units."""
    return len(text.encode("utf-16-le")) // 2 <= MAX_CAPTION


def api_urls(base: str) -> tuple[str, str]:
    """Bot API and file base URLs from TFBOT_API_BASE_URL (`http://host:port` or `.../bot`)."""
    base = base.rstrip("/")
    root = base[: -len("/bot")] if base.endswith("/bot") else base
    return f"{root}/bot", f"{root}/file/bot"


def build_application(engine: Engine, cfg: Config, *, base_url: str | None = None, rate_limit: bool = True,
                      on_chat_migrated: MigrationHook | None = None, background: Sequence[Background] = ()) -> App:
    """The python-telegram-bot Application for one engine; `background` (the reminders) is started with it."""
    if not cfg.token:
        raise ValueError("a bot token is required (TFBOT_TOKEN)")
    # concurrent_updates at once, a quarter of them at most for one group (bot/fair_updates.py)
    builder = ApplicationBuilder().token(cfg.token).concurrent_updates(FairUpdates(cfg.concurrent_updates))
    # the one Bot API transport (bot/telegram_http.py): a connection per concurrent update, one for polling
    builder = builder.request(AiohttpRequest(cfg.concurrent_updates)).get_updates_request(AiohttpRequest(1))
    url = base_url or cfg.api_base_url
    if url:
        api, files = api_urls(url)
        builder = builder.base_url(api).base_file_url(files)
    adapter = TelegramAdapter(engine, cfg, on_chat_migrated, background)
    builder = builder.post_init(adapter.post_init).post_stop(adapter.post_stop)
    # Telegram's flood limits as sliding windows (bot/limiter.py); tests may go without
    app: App = builder.rate_limiter(SlidingWindowLimiter()).build() if rate_limit else builder.build()
    adapter.limiter_retries = rate_limit
    adapter.register(app)
    return app


def run_polling(cfg: Config, engine: Engine, background: Sequence[Background] = ()) -> None:
    """Run the bot with long polling until interrupted (confirmed updates are never fetched again)."""
    app = build_application(engine, cfg, background=background)
    app.run_polling(drop_pending_updates=False, allowed_updates=list(ALLOWED_UPDATES))


def run_webhook(cfg: Config, engine: Engine, url: str, listen: str, background: Sequence[Background] = ()) -> None:
    """Run the bot behind a webhook at `url`, serving HTTP on `listen` (`host:port`); needs tornado."""
    app = build_application(engine, cfg, background=background)
    host, _, port = listen.rpartition(":")
    secret = hashlib.sha256(f"tfbot-webhook:{cfg.token}".encode()).hexdigest()[:48]
    app.run_webhook(listen=host or "0.0.0.0", port=int(port), url_path=urlsplit(url).path.lstrip("/"),
                    webhook_url=url, secret_token=secret, drop_pending_updates=False,
                    allowed_updates=list(ALLOWED_UPDATES))


def keyboard(options: Sequence[Option]) -> InlineKeyboardMarkup | None:
    """Inline buttons for a reply's options; callback_data carries only the option's key."""
    if not options:
        return None
    for option in options:
        assert len(option.key.encode()) <= MAX_CALLBACK_BYTES
    return InlineKeyboardMarkup([[InlineKeyboardButton(o.label, callback_data=o.key)] for o in options])


class AddressedToBot(filters.MessageFilter):
    """Group messages meant for this bot: a mention of it, or a reply to one of its messages."""

    def filter(self, message: TgMessage) -> bool:
        """True when the message mentions the bot or replies to it."""
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        return bool(_bot_mentions(message))


class CommandForBot(filters.MessageFilter):
    """Commands without a bot name or addressed to this bot (`/x@thisbot`, not `/x@otherbot`)."""

    def filter(self, message: TgMessage) -> bool:
        """True when the leading command is not addressed to another bot."""
        first = (message.text or "").split(maxsplit=1)
        _, at, name = (first[0] if first else "").partition("@")
        return not at or name.lower() == message.get_bot().username.lower()


def _bot_mentions(message: TgMessage) -> list[str]:
    """The pieces of text by which a message mentions this bot."""
    bot = message.get_bot()
    found = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    return [text for entity, text in found.items()
            if (entity.type == MessageEntity.MENTION and text[1:].lower() == bot.username.lower())
            or (entity.user is not None and entity.user.id == bot.id)]


def topic_of(message: TgMessage | None) -> int | None:
    """The forum topic a message was written in, which its answer goes to; None for the General topic and for an
    ordinary reply thread (they carry no topic, or a thread id that is not one: `is_topic_message` is false)."""
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


def engine_text(message: TgMessage) -> str:
    """The text the core should see: mentions of the bot dropped (the core drops a command's `@botname`)."""
    text = message.text or ""
    for mention in _bot_mentions(message):
        text = text.replace(mention, " ", 1)
    return re.sub(r"[ \t]+", " ", text).strip()


class TelegramAdapter:
    """Handlers and senders for one engine: updates become core messages and presses, outgoing replies become
    Bot API calls. The adapter keeps no state of its own: open choices live in the database."""

    def __init__(self, engine: Engine, cfg: Config, on_chat_migrated: MigrationHook | None = None,
                 background: Sequence[Background] = ()) -> None:
        self.engine = engine
        self.cfg = cfg
        self.on_chat_migrated = on_chat_migrated
        self.core = Conversation(engine)
        self._engine_lock = threading.Lock()
        self.background = list(background)
        self.bot: Bot | None = None
        self.limiter_retries = False   # True when the rate limiter waits out 429s itself: not retried twice

    # --- wiring ----------------------------------------------------------------------------------
    def register(self, app: App) -> None:
        """Register every handler and the error handler, in one place."""
        new_messages = filters.UpdateType.MESSAGE
        for_me = CommandForBot()
        app.add_handlers([
            CommandHandler([c.lstrip("/") for c in self.engine.registry.commands()], self.on_message,
                           filters=new_messages),
            MessageHandler(new_messages & filters.COMMAND & for_me, self.on_message),
            MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
                           self.on_message),
            MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS
                           & AddressedToBot(), self.on_message),
            MessageHandler(new_messages & filters.Document.ALL & filters.ChatType.PRIVATE, self.on_document),
            CallbackQueryHandler(self.on_choice),
        ])
        app.add_error_handler(self.on_error)

    async def post_init(self, app: App) -> None:
        """Publish the command menu with Korean descriptions; start the background work with this as its sender."""
        try:
            await app.bot.set_my_commands([BotCommand(name, text) for name, text in self.engine.registry.menu()])
        except TelegramError:
            log.warning("could not set the command menu", exc_info=True)
        self.bot = app.bot
        for work in self.background:
            await work.start(self)

    async def post_stop(self, app: App) -> None:
        """Stop the background work while the bot can still send (a send in flight finishes)."""
        for work in self.background:
            await work.stop()

    # --- handlers --------------------------------------------------------------------------------
    async def on_message(self, update: Update, context: Context) -> None:
        """Hand a command or a question to the core and deliver its reply."""
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        if message is None or chat is None:
            return
        if user is None:   # no sender to answer for: nothing is read from the store, nothing is sent
            log.info("update %s in chat %s has no sender; not answered", update.update_id, chat.id)
            return
        ask = Message(text=engine_text(message), now=message.date.astimezone(self.cfg.tz), user_id=user.id,
                      chat_id=chat.id, user_name=user.full_name,
                      chat_kind="private" if chat.type == ChatType.PRIVATE else "group",
                      on_behalf_of_chat=message.sender_chat is not None, thread_id=topic_of(message),
                      start_link=partial(create_deep_linked_url, context.bot.username))
        if ask.on_behalf_of_chat:
            log.info("update %s in chat %s was sent on behalf of a chat; refused", update.update_id, chat.id)
        await self.deliver(context.bot, chat, await self.handle(ask))

    async def on_document(self, update: Update, context: Context) -> None:
        """A file sent in a private chat: fetched (getFile) when a handler reads its kind, the sender's role
        allows it and it is not over the limit — a larger one is refused from the size Telegram reports, before
        any download — and handed to the core with its caption as the text, on a worker thread (reading a sheet
        can take a while)."""
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        if message is None or chat is None or user is None or message.document is None:
            return
        document = message.document
        name = document.file_name or "이름 없는 파일"
        size = document.file_size or 0
        data: bytes | None = None
        ask = Message(text=message.caption or "", now=message.date.astimezone(self.cfg.tz), user_id=user.id,
                      chat_id=chat.id, user_name=user.full_name, chat_kind="private",
                      on_behalf_of_chat=message.sender_chat is not None, thread_id=topic_of(message))
        if size <= MAX_UPLOAD_BYTES and await self.locked(partial(self.engine.takes_file, ask, name)):
            try:
                fetched = await context.bot.get_file(document.file_id)
                data = bytes(await fetched.download_as_bytearray())
            except TelegramError:
                log.warning("could not download file %s from chat %s", document.file_unique_id, chat.id,
                            exc_info=True)
                await self.send_reply(context.bot, chat.id, Reply(text=NOT_DOWNLOADED, intent="file"))
                return
            size = max(size, len(data))
        out = await self.locked(partial(self.core.handle, replace(ask, file=IncomingFile(name, size, data))))
        await self.deliver(context.bot, chat, out)

    async def on_choice(self, update: Update, context: Context) -> None:
        """A button press: the core answers the choice its callback data names, in place of the message shown."""
        query = update.callback_query
        if query is None:
            return
        shown = query.message if isinstance(query.message, TgMessage) else None   # None: deleted or too old
        chat = query.message.chat if query.message is not None else None
        user = query.from_user
        press = Press(query.data or "", Message(
            text="", now=datetime.now(self.cfg.tz), user_id=user.id, chat_id=chat.id if chat else None,
            user_name=user.full_name, chat_kind="private" if chat is None or chat.type == ChatType.PRIVATE
            else "group", thread_id=topic_of(shown)))
        out = await self.handle(press)
        if out.refused or out.still_open or chat is None:
            # nothing done, an RSVP whose buttons stay for the others, or nowhere to show it: the notice says it
            await self._acknowledge(query, out.reply.text[:MAX_NOTICE])
            await self.send_notices(context.bot, out)
            return
        await self._acknowledge(query)
        await self.deliver(context.bot, chat, out, shown)

    @staticmethod
    async def _acknowledge(query: CallbackQuery, text: str | None = None) -> None:
        """answerCallbackQuery, always; a query too old to answer does not stop the reply."""
        try:
            await query.answer(text)
        except TelegramError:
            log.info("could not answer callback query %s", query.id, exc_info=True)

    async def on_error(self, update: object, context: Context) -> None:
        """A failure outside the core (delivering a reply): logged with its traceback under an incident id, and
        the user gets the fixed apology with that id."""
        incident = incident_id()
        if not isinstance(update, Update):
            log.error("incident %s: error outside an update", incident, exc_info=context.error)
            return
        chat = update.effective_chat
        # ids only: the update itself may carry personal data that does not belong in logs
        log.error("incident %s: update %s in chat %s failed", incident, update.update_id,
                  chat.id if chat else None, exc_info=context.error)
        if chat is not None:
            try:
                await context.bot.send_message(chat.id, apology(incident),
                                               message_thread_id=topic_of(update.effective_message))
            except TelegramError:
                log.warning("could not send the apology", exc_info=True)

    # --- core ------------------------------------------------------------------------------------
    async def handle(self, incoming: Incoming) -> Outgoing:
        """Ask the synchronous core, one call at a time.

        The engine answers in about a millisecond (bench/engine_bench.py), so it runs on the event loop
        itself: a worker thread per call cost more in hand-offs than it saved (bench/telegram_bench.py).
        """
        with self._engine_lock:
            return self.core.handle(incoming)

    def _rebind(self, old: int, new: int) -> None:
        """A group became a supergroup: if it was the bound TF group, store its new id (audited)."""
        store = self.engine.store
        if store.setting("group_chat_id") == str(old):
            store.set_setting(None, datetime.now(self.cfg.tz).isoformat(), "group_chat_id", str(new))

    async def locked(self, fn: Callable[[], T]) -> T:
        """Run store work in a worker thread under the same lock as the engine."""
        def call() -> T:
            with self._engine_lock:
                return fn()

        return await asyncio.to_thread(call)

    # --- delivery --------------------------------------------------------------------------------
    async def deliver(self, bot: Bot, chat: Chat, out: Outgoing, edit: TgMessage | None = None) -> None:
        """Send a reply to a chat, in the forum topic it was asked in; private data asked in a group goes to the
        asker's private chat; then the notices for other people."""
        reply, options, ask = out.reply, out.options, out.asker
        topic = ask.thread_id if ask is not None else None
        if reply.private and chat.type != ChatType.PRIVATE:
            sent = False
            if ask is not None and ask.user_id is not None:   # an anonymous group admin has no private chat
                try:
                    sent = await self.send_reply(bot, ask.user_id, reply, options)
                except BadRequest:
                    log.info("private answer to user %s refused", ask.user_id, exc_info=True)
            if sent:
                reply, options = Reply(text=SENT_PRIVATELY, intent=reply.intent), []
            else:
                reply = Reply(text=redact_contacts(reply.text), intent=reply.intent, buttons=reply.buttons)
        await self.send_reply(bot, chat.id, reply, options, edit, topic)
        await self.send_notices(bot, out)

    async def send_notices(self, bot: Bot, out: Outgoing) -> None:
        """Send a reply's notices to the private chats of the people they are for (admins asked to confirm a link,
        the user told of it); one that cannot be delivered is logged and does not stop the others."""
        for notice in out.notices:
            if notice.chat is None:
                continue
            try:
                await self.send_reply(bot, notice.chat, notice.reply, notice.options)
            except TelegramError:
                log.warning("could not send %s to chat %s", notice.reply.intent, notice.chat, exc_info=True)

    async def send(self, chat: int, reply: Reply) -> bool:
        """Send a message nobody asked for (a reminder, a notice, the digest); True once Telegram accepted it.
        Its buttons may be pressed by anyone in the chat, for themselves. To the bound TF group it goes to the
        forum topic /bind was sent in; a topic deleted since gets it in the General topic instead."""
        if self.bot is None:
            return False
        with self._engine_lock:
            out = self.core.offer(chat, reply, datetime.now(self.cfg.tz))
            topic = self.engine.store.bound_topic(chat)
        try:
            try:
                return await self.send_reply(self.bot, chat, out.reply, out.options, topic=topic)
            except BadRequest as exc:
                if topic is None or "thread not found" not in str(exc).lower():
                    raise
                log.warning("topic %s of chat %s is gone; %s sent to the General topic (send /bind in a topic to "
                            "choose another)", topic, chat, reply.intent)
                return await self.send_reply(self.bot, chat, out.reply, out.options)
        except TelegramError:
            log.warning("could not send %s to chat %s", reply.intent, chat, exc_info=True)
            return False

    async def send_reply(self, bot: Bot, chat_id: int, reply: Reply, options: Sequence[Option] = (),
                         edit: TgMessage | None = None, topic: int | None = None) -> bool:
        """Send text (split, escaped, buttons on the last part) and files, to a forum topic when `topic` is given;
        False if the chat is closed."""
        chunks = split_text(reply.text)
        markup = keyboard(options)
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            html, buttons = escape(chunk), markup if last else None
            if i == 0 and edit is not None and await self._edit(bot, edit, html, buttons):
                continue
            sent = await self.call(chat_id, partial(self._send_text, bot, html, buttons, topic))
            if sent is None:
                return False
            chat_id = sent.chat.id
        for attachment in reply.attachments:
            if attachment.kind == "photo" and attachment.caption and not fits_caption(attachment.caption):
                # a caption Telegram would refuse goes as a message of its own, just before its picture
                for chunk in split_text(attachment.caption):
                    if await self.call(chat_id, partial(self._send_text, bot, escape(chunk), None, topic)) is None:
                        return False
            if await self.call(chat_id, partial(self._send_file, bot, attachment, topic)) is None:
                return False
        return True

    async def _edit(self, bot: Bot, shown: TgMessage, html: str, markup: InlineKeyboardMarkup | None) -> bool:
        try:
            await bot.edit_message_text(html, chat_id=shown.chat.id, message_id=shown.message_id,
                                        parse_mode=ParseMode.HTML, reply_markup=markup,
                                        link_preview_options=LinkPreviewOptions(is_disabled=True))
        except TelegramError:
            log.info("could not edit message %s; sending a new one", shown.message_id, exc_info=True)
            return False
        return True

    @staticmethod
    async def _send_text(bot: Bot, html: str, markup: InlineKeyboardMarkup | None, topic: int | None,
                         chat_id: int) -> TgMessage:
        return await bot.send_message(chat_id, html, parse_mode=ParseMode.HTML, reply_markup=markup,
                                      link_preview_options=LinkPreviewOptions(is_disabled=True),
                                      message_thread_id=topic)

    @staticmethod
    async def _send_file(bot: Bot, attachment: Attachment, topic: int | None, chat_id: int) -> TgMessage:
        """A picture as a photo (sendPhoto) with its caption under it, any other file as a document."""
        if attachment.kind == "photo":
            caption = attachment.caption if fits_caption(attachment.caption) else None
            return await bot.send_photo(chat_id, attachment.data, filename=attachment.filename, caption=caption,
                                        message_thread_id=topic)
        return await bot.send_document(chat_id, attachment.data, filename=attachment.filename,
                                       message_thread_id=topic)

    async def call(self, chat_id: int, send: Callable[[int], Awaitable[T]]) -> T | None:
        """One Bot API call to a chat: retried on network errors, None if the user blocked the bot."""
        for attempt in range(SEND_RETRIES + 1):
            try:
                return await send(chat_id)
            except Forbidden:
                log.info("chat %s is closed to the bot; skipped", chat_id)
                return None
            except ChatMigrated as exc:
                log.info("chat %s migrated to %s", chat_id, exc.new_chat_id)
                if self.on_chat_migrated is not None:
                    self.on_chat_migrated(chat_id, exc.new_chat_id)
                await self.locked(partial(self._rebind, chat_id, exc.new_chat_id))
                chat_id = exc.new_chat_id
            except RetryAfter as exc:
                if attempt == SEND_RETRIES or self.limiter_retries:   # the limiter has waited and retried already
                    raise
                await asyncio.sleep(retry_after_seconds(exc) + 0.1)
            except BadRequest:
                raise
            except NetworkError:   # includes TimedOut
                if attempt == SEND_RETRIES:
                    raise
                await asyncio.sleep(BACKOFF_SECONDS * 2**attempt)
        return None
