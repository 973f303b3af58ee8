"""The Bot API transport: python-telegram-bot's public `BaseRequest` interface over an aiohttp client session.

PTB's default transport is httpx. Side by side in bench/telegram_bench.py (16 updates at once, a local
server), a bare PTB echo bot answers about three times as many updates a second over this transport as over
PTB's HTTPXRequest, and tfbot twice as many, at half the CPU per update (figures in the README); every
answer is one call, so the transport is much of the bot's CPU per update. It is the bot's only transport.

Proxies come from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY, as with httpx, but are looked up
once per host: aiohttp's own `trust_env` reads the environment and ~/.netrc in a worker thread on every
call, which cost more than the call itself.
"""

import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# A timeout as PTB passes it: seconds, None for no limit, or BaseRequest.DEFAULT_NONE when the caller set none
# (PTB types it with a private alias; `object` is what the public interface leaves for an override).
Timeout = object


def _seconds(given: Timeout, default: float | None) -> float | None:
    """The timeout a call asked for, or ours when it asked for none (BaseRequest.DEFAULT_NONE)."""
    if given is None or (isinstance(given, int | float) and not isinstance(given, bool)):
        return given
    return default   # BaseRequest.DEFAULT_NONE ("not set"), the only other value PTB passes


class AiohttpRequest(BaseRequest):
    """Bot API calls through one pooled aiohttp session (created on `initialize`, closed on `shutdown`)."""

    __slots__ = ("_connect", "_media_write", "_pool", "_pool_size", "_proxies", "_read", "_session", "_write")

    def __init__(self, pool_size: int = 16, *, read_timeout: float | None = 5.0, write_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, pool_timeout: float | None = 1.0,
                 media_write_timeout: float | None = 20.0) -> None:
        if pool_size < 1:
            raise ValueError("pool_size must be at least 1")
        self._pool_size = pool_size
        self._read, self._write, self._connect = read_timeout, write_timeout, connect_timeout
        self._pool, self._media_write = pool_timeout, media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds (PTB adds the long-poll timeout to it for getUpdates)."""
        return self._read

    async def initialize(self) -> None:
        """Open the client session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            self._proxies.clear()
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                cookie_jar=aiohttp.DummyCookieJar(),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        """Close the session and its pooled connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def proxy_for(self, url: str) -> str | None:
        """The proxy the environment names for this URL's scheme and host, or None (NO_PROXY honoured)."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxies = urllib.request.getproxies()
            bypass = not key[1] or urllib.request.proxy_bypass(key[1])
            self._proxies[key] = None if bypass else proxies.get(key[0]) or proxies.get("all")
        return self._proxies[key]

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
                         write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Timeout = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        """One HTTP request; the status code and body, or TimedOut / NetworkError."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        read = _seconds(read_timeout, self._read)
        connect = _seconds(connect_timeout, self._connect)
        pool = _seconds(pool_timeout, self._pool)
        write = _seconds(write_timeout, self._media_write if files else self._write)
        # aiohttp has no write timeout of its own: the four budgets together bound the whole exchange
        parts = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(
            total=None if None in parts else sum(p for p in parts if p is not None),
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect, sock_read=read,
        )
        body: Any = fields
        if files:
            form = aiohttp.FormData(quote_fields=False)   # UTF-8 file names as Telegram expects (회의.ics)
            for name, value in (fields or {}).items():
                form.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                form.add_field(name, content, filename=filename, content_type=mimetype)
            body = form
        try:
            async with self._session.request(method, url, data=body, timeout=timeout,
                                             proxy=self.proxy_for(url)) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
