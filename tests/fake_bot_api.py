"""A fake Telegram Bot API server (aiohttp on 127.0.0.1) for end-to-end tests and the benchmark.

It speaks the HTTP protocol python-telegram-bot uses (GET/POST with JSON, form or multipart bodies at
/bot<token>/<method>, file downloads at /file/bot<token>/<file_path> after getFile), refuses what Telegram
refuses (over-long text and captions, HTML that Telegram cannot parse, callback_data over 64 bytes, chats the bot
may not write to, getFile over 20 MB, a photo that is not an image, over 10 MB or more than 20 times taller than
wide), and lets a test inject updates, make a
method fail or drop its connection, and wait for what the bot sent. Every sendMessage is counted as it
arrives, answered or not (`received`), and `on_send` can act at that instant (kill the bot, drop the send).
Forum groups: a message written in a topic carries `message_thread_id` and `is_topic_message`; one in the General
topic carries neither, and one in an ordinary reply thread only `message_thread_id`. A send's `message_thread_id`
is recorded (`Sent.thread_id`) and refused like Telegram refuses it ("message thread not found") unless the
chat is a forum and the thread one of its topics.
"""

import asyncio
import html
import itertools
import json
import logging
import re
import socket
import struct
import time
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

Json = dict[str, Any]
TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
                 "tg-emoji", "code", "pre", "blockquote", "tg-time"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)"
                  r"\s*>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_JSON_FIELDS = {"reply_markup", "commands", "scope", "allowed_updates", "link_preview_options",
                "reply_parameters", "entities", "caption_entities", "media"}
_INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "user_id", "from_chat_id", "message_thread_id"}
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_GETFILE_BYTES = 20 * 1024 * 1024   # getFile refuses larger files ("file is too big")
# sendPhoto: at most 10 MB, width + height at most 10,000 pixels, at most 20 times taller than wide (or wider
# than tall); anything else is refused (PHOTO_INVALID_DIMENSIONS), as Telegram does
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDES = 10000
MAX_PHOTO_RATIO = 20


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional response parameters."""

    def __init__(self, status: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


def parse_html(text: str) -> str:
    """The plain text Telegram would show for an HTML-formatted text; ApiError when it cannot parse."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            if m is None:
                raise _entities_error(f"unexpected '<' at offset {i}")
            closing, name = m.group(1) == "/", m.group(2).lower()
            if name not in TELEGRAM_TAGS:
                raise _entities_error(f'unsupported start tag "{name}" at offset {i}')
            if closing:
                if not stack or stack[-1] != name:
                    raise _entities_error(f'unmatched end tag "{name}" at offset {i}')
                stack.pop()
            else:
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if m is None:
                raise _entities_error(f"unsupported HTML entity at offset {i}")
            out.append(html.unescape(m.group()))
            i = m.end()
        else:
            out.append(ch)
            i += 1
    if stack:
        raise _entities_error(f'can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _entities_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def utf16_len(text: str) -> int:
    """Text length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Sent:
    """One message the bot sent (or edited): where, what the user sees, the raw text and the keyboard."""

    method: str
    chat_id: int
    message_id: int
    text: str
    raw: str
    reply_markup: Json | None
    time: float
    file: tuple[str, int] | None = None   # (filename, size) for sendPhoto / sendDocument
    data: bytes = b""   # the file's bytes, for sendPhoto / sendDocument
    thread_id: int | None = None   # the forum topic it was sent to (message_thread_id), None for none
    size: tuple[int, int] | None = None   # a photo's width and height in pixels

    @property
    def buttons(self) -> list[Json]:
        """The inline buttons, row by row flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


@dataclass
class Failure:
    """A planned error answer for the next call(s) of a method."""

    status: int
    description: str
    parameters: Json | None
    chat_id: int | None
    times: int


@dataclass
class FakeBotApi:
    """The fake server. Use `await start()`, point the bot at `base_url`, and `await stop()`."""

    token: str = "123:ABC"
    username: str = "thisbot"
    updates: list[Json] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    edits: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, Json]] = field(default_factory=list)
    callback_answers: list[Json] = field(default_factory=list)
    commands: list[Json] = field(default_factory=list)
    deliveries: Counter[int] = field(default_factory=Counter)
    chats: dict[int, Json] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    migrated: dict[int, int] = field(default_factory=dict)
    webhook: Json = field(default_factory=dict)
    received: list[tuple[float, Json]] = field(default_factory=list)   # every sendMessage as it arrived
    # called as a sendMessage arrives, before it is handled; False = drop it (neither delivered nor answered)
    on_send: Callable[[Json], Awaitable[bool]] | None = None
    files: dict[str, tuple[str, bytes, int]] = field(default_factory=dict)   # file_id -> (name, bytes, size)
    downloads: list[str] = field(default_factory=list)   # file_paths fetched from /file/bot<token>/
    topics: set[tuple[int, int]] = field(default_factory=set)   # (forum chat id, topic thread id)

    def __post_init__(self) -> None:
        self.bot_id = int(self.token.split(":")[0])
        self._next_update = itertools.count(1)
        self._next_message = itertools.count(1)
        self._next_query = itertools.count(1)
        self._polls = 0
        self._failures: dict[str, list[Failure]] = {}
        self._disconnects: Counter[str] = Counter()
        self._messages: dict[tuple[int, int], Json] = {}
        self._open_queries: set[str] = set()
        self._changed: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self._stopping = False
        self.port = 0

    # --- life cycle ------------------------------------------------------------------------------
    async def start(self) -> "FakeBotApi":
        """Listen on 127.0.0.1 on a free port."""
        self._changed = asyncio.Condition()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        """Release waiting long polls and stop listening."""
        if self._runner is not None:
            self._stopping = True
            await self._notify()
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """The Bot API base URL to give python-telegram-bot (the token is appended to it)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """The file download base URL."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- test controls ---------------------------------------------------------------------------
    def inject_update(self, update: Json) -> int:
        """Queue an update for getUpdates (an update_id is assigned when missing); return its id."""
        update.setdefault("update_id", next(self._next_update))
        for key in ("message", "edited_message"):
            if key in update:
                self.add_chat(update[key]["chat"])
                self._messages[(update[key]["chat"]["id"], update[key]["message_id"])] = update[key]
        if "callback_query" in update:
            self._open_queries.add(update["callback_query"]["id"])
        self.updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return int(update["update_id"])

    def add_chat(self, chat: Json) -> None:
        """Make a chat known (a private chat is known once its user has written to the bot)."""
        self.chats.setdefault(int(chat["id"]), chat)

    def block(self, chat_id: int) -> None:
        """Make every send to this chat fail like a user who blocked the bot (403)."""
        self.blocked.add(chat_id)

    def migrate_chat(self, old: int, new: int) -> None:
        """Turn a group into a supergroup: sends to `old` fail with migrate_to_chat_id."""
        self.migrated[old] = new
        self.add_chat({"id": new, "type": "supergroup", "title": self.chats.get(old, {}).get("title", "TF")})

    def fail_next(self, method: str, status: int = 429, retry_after: int | None = None, *,
                  description: str | None = None, chat_id: int | None = None, times: int = 1,
                  parameters: Json | None = None) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error."""
        params = dict(parameters or {})
        if status == 429:
            params.setdefault("retry_after", 1 if retry_after is None else retry_after)
        elif retry_after is not None:
            params["retry_after"] = retry_after
        default = {429: f"Too Many Requests: retry after {params.get('retry_after')}",
                   403: "Forbidden: bot was blocked by the user", 400: "Bad Request",
                   500: "Internal Server Error", 502: "Bad Gateway"}.get(status, "Error")
        self._failures.setdefault(method.lower(), []).append(
            Failure(status, description or default, params or None, chat_id, times))

    def disconnect_next(self, method: str, times: int = 1) -> None:
        """Close the connection without answering the next `times` calls of `method` (a network error)."""
        self._disconnects[method.lower()] += times

    def message_update(self, text: str, *, chat_id: int | None = None, user_id: int = 1001,
                       chat_type: str = "private", first_name: str = "사용자", reply_to: Json | None = None,
                       date: int | None = None, forum: bool = False, topic: int | None = None,
                       thread: int | None = None) -> Json:
        """A `message` update as Telegram builds it, with bot_command and mention entities. `forum`: the chat
        is a forum supergroup; `topic`: the message was written in that forum topic (message_thread_id and
        is_topic_message; None: the General topic); `thread`: it belongs to an ordinary reply thread
        (message_thread_id only)."""
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "ko"}
        if chat_id is None:
            chat_id = user_id if chat_type == "private" else -100
        chat: Json = ({"id": chat_id, "type": "private", "first_name": first_name} if chat_type == "private"
                      else {"id": chat_id, "type": chat_type, "title": "TF 단체방"})
        if forum:
            chat["is_forum"] = True
        message: Json = {"message_id": next(self._next_message), "from": user, "chat": chat,
                         "date": int(time.time()) if date is None else date, "text": text}
        entities = _entities(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if topic is not None:
            assert forum, "a topic is a forum's"
            self.topics.add((chat_id, topic))
            message["message_thread_id"], message["is_topic_message"] = topic, True
        elif thread is not None:
            message["message_thread_id"] = thread
        return {"message": message}

    def send_text(self, text: str, **kwargs: Any) -> int:
        """Inject a text message from a user (see `message_update`); return the update id."""
        return self.inject_update(self.message_update(text, **kwargs))

    def callback_update(self, data: str, message: Sent, *, user_id: int = 1001,
                        first_name: str = "사용자") -> Json:
        """A `callback_query` update: the user pressed the button carrying `data` under `message`."""
        shown = self._messages[(message.chat_id, message.message_id)]
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "ko"}
        return {"callback_query": {"id": str(next(self._next_query)), "from": user, "message": shown,
                                   "chat_instance": f"ci{message.chat_id}", "data": data}}

    def add_file(self, name: str, data: bytes, size: int | None = None) -> str:
        """Keep a file as if a user had uploaded it; return its file_id (`size`: the size Telegram reports,
        when a test needs it to differ from the bytes kept)."""
        file_id = f"doc{len(self.files) + 1}"
        self.files[file_id] = (name, data, len(data) if size is None else size)
        return file_id

    def document_update(self, name: str, data: bytes, *, size: int | None = None, user_id: int = 1001,
                        chat_type: str = "private", chat_id: int | None = None, caption: str | None = None,
                        first_name: str = "사용자") -> Json:
        """A `message` update carrying a document (as Telegram sends an uploaded file: no text)."""
        file_id = self.add_file(name, data, size)
        update = self.message_update("", user_id=user_id, chat_type=chat_type, chat_id=chat_id,
                                     first_name=first_name)
        message = update["message"]
        del message["text"]
        message["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
                               "mime_type": "application/octet-stream", "file_size": self.files[file_id][2]}
        if caption:
            message["caption"] = caption
        return update

    def send_document(self, name: str, data: bytes, **kwargs: Any) -> int:
        """Inject a document sent by a user (see `document_update`); return the update id."""
        return self.inject_update(self.document_update(name, data, **kwargs))

    def press(self, message: Sent, index: int = 0, **kwargs: Any) -> int:
        """Inject a press of the index-th button of a sent message; return the update id."""
        return self.inject_update(self.callback_update(message.buttons[index]["callback_data"], message, **kwargs))

    def bot_message(self, sent: Sent) -> Json:
        """The Message object of something the bot sent (to build replies to it)."""
        return self._messages[(sent.chat_id, sent.message_id)]

    def messages_to(self, chat_id: int) -> list[Sent]:
        """Everything sent to one chat, in order."""
        return [s for s in self.sent if s.chat_id == chat_id]

    async def wait_for_messages(self, n: int, timeout: float = 10.0) -> list[Sent]:
        """Wait until at least `n` messages have been sent in all; return them (TimeoutError if not)."""
        await self.wait_for(lambda: len(self.sent) >= n, timeout)
        return list(self.sent)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate()` holds after some server activity (TimeoutError if not)."""
        assert self._changed is not None, "start() the server first"
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    # --- HTTP ------------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, "Unauthorized"))
        try:
            params = await _params(request)
        except ValueError as exc:
            return _error(ApiError(400, f"Bad Request: {exc}"))
        self.calls.append((method, params))
        if method.lower() == "sendmessage":
            self.received.append((time.monotonic(), params))
            if self.on_send is not None and not await self.on_send(params):
                if request.transport is not None:
                    request.transport.close()
                return web.Response(status=500)   # never reaches the client: the connection is gone
        if self._disconnects[method.lower()] > 0:
            self._disconnects[method.lower()] -= 1
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)   # never reaches the client: the connection is gone
        try:
            self._planned_failure(method, params)
            handler = getattr(self, f"_api_{method.lower()}", None)
            if handler is None:
                log.warning("fake Bot API: unknown method %s %s", method, params)
                result: Any = True
            else:
                result = await handler(params)
        except ApiError as exc:
            return _error(exc)
        finally:
            await self._notify()
        return web.json_response({"ok": True, "result": result})

    def _planned_failure(self, method: str, params: Json) -> None:
        planned = self._failures.get(method.lower(), [])
        for failure in planned:
            if failure.chat_id is None or failure.chat_id == params.get("chat_id"):
                failure.times -= 1
                if failure.times <= 0:
                    planned.remove(failure)
                raise ApiError(failure.status, failure.description, failure.parameters)

    async def _notify(self) -> None:
        if self._changed is not None:
            async with self._changed:
                self._changed.notify_all()

    # --- methods ---------------------------------------------------------------------------------
    def _me(self) -> Json:
        return {"id": self.bot_id, "is_bot": True, "first_name": "tfbot", "username": self.username,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _api_getme(self, params: Json) -> Json:
        return self._me()

    async def _api_getupdates(self, params: Json) -> list[Json]:
        if self.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        if offset > 0:   # every update before `offset` is confirmed and forgotten
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        limit = max(1, min(100, int(params.get("limit") or 100)))
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        self._polls += 1
        poll = self._polls
        await self._notify()   # like Telegram, a newer getUpdates ends the one still waiting
        while not self.updates and not self._stopping and poll == self._polls:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            assert self._changed is not None
            async with self._changed:
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    break
        if poll != self._polls:
            raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                "make sure that only one bot instance is running")
        batch = self.updates[:limit]
        self.deliveries.update(u["update_id"] for u in batch)
        return batch

    async def _api_deletewebhook(self, params: Json) -> bool:
        self.webhook = {}
        if _truthy(params.get("drop_pending_updates")):
            self.updates.clear()
        return True

    async def _api_setwebhook(self, params: Json) -> bool:
        self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token")}
        if _truthy(params.get("drop_pending_updates")):
            self.updates.clear()
        return True

    async def _api_getwebhookinfo(self, params: Json) -> Json:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self.updates)}

    async def _api_setmycommands(self, params: Json) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")) or not (
                    1 <= len(command.get("description", "")) <= 256):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.commands = commands
        return True

    async def _api_getmycommands(self, params: Json) -> list[Json]:
        return self.commands

    async def _api_deletemycommands(self, params: Json) -> bool:
        self.commands = []
        return True

    async def _api_close(self, params: Json) -> bool:
        return True

    async def _api_logout(self, params: Json) -> bool:
        return True

    async def _api_sendchataction(self, params: Json) -> bool:
        self._chat(params)
        return True

    async def _api_answercallbackquery(self, params: Json) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self._open_queries.discard(query_id)
        self.callback_answers.append(params)
        return True

    async def _api_sendmessage(self, params: Json) -> Json:
        chat = self._chat(params)
        raw = str(params.get("text", ""))
        text = self._visible(raw, params.get("parse_mode"), MAX_TEXT, "message is too long")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        markup = _markup(params.get("reply_markup"))
        return self._record("sendMessage", chat, text, raw, markup, thread=self._thread(chat, params))

    async def _api_editmessagetext(self, params: Json) -> Json:
        chat = self._chat(params)
        key = (chat["id"], int(params.get("message_id") or 0))
        shown = self._messages.get(key)
        if shown is None or shown.get("from", {}).get("id") != self.bot_id:
            raise ApiError(400, "Bad Request: message to edit not found")
        raw = str(params.get("text", ""))
        text = self._visible(raw, params.get("parse_mode"), MAX_TEXT, "MESSAGE_TOO_LONG")
        markup = _markup(params.get("reply_markup"))
        if text == shown.get("text") and markup == shown.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                "markup are exactly the same as a current content and reply markup of the message")
        shown = {**shown, "text": text, "edit_date": int(time.time())}
        shown.pop("reply_markup", None)
        if markup:
            shown["reply_markup"] = markup
        self._messages[key] = shown
        self.edits.append(Sent("editMessageText", chat["id"], key[1], text, raw, markup, time.monotonic()))
        return shown

    async def _api_getfile(self, params: Json) -> Json:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        name, _, size = self.files[file_id]
        if size > MAX_GETFILE_BYTES:
            raise ApiError(400, "Bad Request: file is too big")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size,
                "file_path": f"documents/{file_id}_{name}"}

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        file_id = path.removeprefix("documents/").split("_", 1)[0]
        if file_id not in self.files:
            return web.Response(status=404)
        self.downloads.append(path)
        await self._notify()
        return web.Response(body=self.files[file_id][1], content_type="application/octet-stream")

    async def _api_sendphoto(self, params: Json) -> Json:
        upload = params.get("photo")
        if isinstance(upload, tuple):
            width, height = photo_size(upload[1])
            if len(upload[1]) > MAX_PHOTO_BYTES:
                raise ApiError(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
            if width + height > MAX_PHOTO_SIDES or max(width, height) > MAX_PHOTO_RATIO * min(width, height):
                raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        sent = self._send_file("sendPhoto", "photo", params)
        if isinstance(upload, tuple):
            sent["photo"][0].update({"width": width, "height": height})
            self.sent[-1].size = (width, height)
        return sent

    async def _api_senddocument(self, params: Json) -> Json:
        return self._send_file("sendDocument", "document", params)

    def _send_file(self, method: str, kind: str, params: Json) -> Json:
        chat = self._chat(params)
        upload = params.get(kind)
        if not isinstance(upload, tuple):
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        raw = str(params.get("caption", ""))
        caption = self._visible(raw, params.get("parse_mode"), MAX_CAPTION, "message caption is too long")
        markup = _markup(params.get("reply_markup"))
        record = self._record(method, chat, caption, raw, markup, file=(upload[0], len(upload[1])),
                              thread=self._thread(chat, params))
        self.sent[-1].data = upload[1]
        return {**record, kind: [{"file_id": f"f{record['message_id']}", "file_unique_id": "u",
                                  "file_size": len(upload[1]), "width": 1, "height": 1}]
                if kind == "photo" else {"file_id": f"f{record['message_id']}", "file_unique_id": "u",
                                         "file_name": upload[0], "file_size": len(upload[1])}}

    # --- helpers ---------------------------------------------------------------------------------
    def _chat(self, params: Json) -> Json:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.migrated:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": self.migrated[chat_id]})
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _thread(self, chat: Json, params: Json) -> int | None:
        """A send's message_thread_id: a topic of a forum chat, or refused as Telegram refuses it."""
        thread = params.get("message_thread_id")
        if thread is None:
            return None
        if not isinstance(thread, int) or not chat.get("is_forum") or (chat["id"], thread) not in self.topics:
            raise ApiError(400, "Bad Request: message thread not found")
        return thread

    @staticmethod
    def _visible(raw: str, parse_mode: Any, limit: int, too_long: str) -> str:
        mode = str(parse_mode or "").lower()
        text = parse_html(raw) if mode == "html" else raw
        if mode not in ("", "html"):
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r} in the fake server")
        if utf16_len(text) > limit:
            raise ApiError(400, f"Bad Request: {too_long}")
        return text

    def _record(self, method: str, chat: Json, text: str, raw: str, markup: Json | None,
                file: tuple[str, int] | None = None, thread: int | None = None) -> Json:
        message_id = next(self._next_message)
        message: Json = {"message_id": message_id, "from": self._me(), "chat": chat, "date": int(time.time())}
        if thread is not None:
            message["message_thread_id"], message["is_topic_message"] = thread, True
        if file is None:
            message["text"] = text
        elif text:
            message["caption"] = text
        if markup:
            message["reply_markup"] = markup
        self._messages[(chat["id"], message_id)] = message
        self.sent.append(Sent(method, chat["id"], message_id, text, raw, markup, time.monotonic(), file,
                              thread_id=thread))
        return message


def png(width: int, height: int) -> bytes:
    """A white PNG of this size (the signature, IHDR, IDAT and IEND chunks), for tests that send a photo."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def photo_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height from its header; ApiError for anything that is not a PNG (Telegram refuses a
    photo it cannot decode)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
    return struct.unpack(">II", data[16:24])


def _error(exc: ApiError) -> web.Response:
    body: Json = {"ok": False, "error_code": exc.status, "description": exc.description}
    if exc.parameters:
        body["parameters"] = exc.parameters
    return web.json_response(body, status=exc.status)


async def _params(request: web.Request) -> Json:
    """Query string and body (JSON, urlencoded form or multipart) as one dict of decoded values."""
    raw: Json = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("JSON body must be an object")
            raw.update(body)
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    raw[key] = (value.filename, value.file.read(), value.content_type)
                else:
                    raw[key] = value
    params: Json = {}
    for key, value in raw.items():
        if isinstance(value, str) and key in _JSON_FIELDS:
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"can't parse {key} JSON object") from exc
        elif isinstance(value, str) and key in _INT_FIELDS and re.fullmatch(r"-?\d+", value):
            value = int(value)
        params[key] = value
    return params


def _markup(markup: Any) -> Json | None:
    if not markup:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _truthy(value: Any) -> bool:
    return value in (True, "true", "True", "1", 1)


def _entities(text: str) -> list[Json]:
    """bot_command and mention entities, with offsets and lengths in UTF-16 units as Telegram gives them."""
    found: list[Json] = []
    for m in re.finditer(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?|(?<!\w)@[A-Za-z0-9_]{5,32}", text):
        kind = "bot_command" if m.group().startswith("/") else "mention"
        if kind == "bot_command" and m.start() != 0:
            continue
        found.append({"type": kind, "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())})
    return found
