"""The aiohttp Bot API transport: requests, uploads, timeouts and network errors as PTB expects them."""

import ast
import asyncio
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut

from bot.telegram_http import AiohttpRequest

ROOT = Path(__file__).resolve().parent.parent
Seen = list[tuple[str, dict[str, str], str]]


@asynccontextmanager
async def server(seen: Seen, delay: float = 0.0) -> AsyncIterator[str]:
    """A local HTTP server that records each request (form fields, file names, User-Agent) and answers ok."""
    async def handle(request: web.Request) -> web.Response:
        await asyncio.sleep(delay)
        form = await request.post()
        fields = {k: (v.filename if isinstance(v, web.FileField) else str(v)) for k, v in form.items()}
        seen.append((request.path, fields, request.headers.get("User-Agent", "")))
        if request.path.rsplit("/", 1)[-1].startswith("send"):   # a sent message, as Telegram answers
            chat = {"id": int(fields.get("chat_id", 0)), "type": "private"}
            return web.json_response({"ok": True, "result": {"message_id": 1, "date": 0, "chat": chat}})
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def test_a_message_sent_through_a_bot_round_trips() -> None:
    async def main() -> None:
        seen: Seen = []
        request = AiohttpRequest(2)
        await request.initialize()
        async with server(seen) as url:
            bot = Bot("1:A", base_url=f"{url}/bot", request=request)
            sent = await bot.send_message(5, "<b>안녕</b>")
        await request.shutdown()
        assert sent.chat.id == 5 and sent.message_id == 1
        assert seen == [("/bot1:A/sendMessage", {"chat_id": "5", "text": "<b>안녕</b>"}, AiohttpRequest.USER_AGENT)]

    asyncio.run(main())


def test_an_upload_keeps_its_korean_file_name() -> None:
    async def main() -> None:
        seen: Seen = []
        request = AiohttpRequest()
        await request.initialize()
        async with server(seen) as url:
            bot = Bot("1:A", base_url=f"{url}/bot", request=request)
            await bot.send_document(5, InputFile(b"BEGIN:VCALENDAR", filename="회의.ics", attach=True))
        await request.shutdown()
        [(_, fields, _)] = seen
        assert fields["chat_id"] == "5" and "회의.ics" in fields.values()

    asyncio.run(main())


def test_a_slow_server_is_a_timeout() -> None:
    async def main() -> None:
        request = AiohttpRequest(read_timeout=0.2)
        await request.initialize()
        async with server([], delay=2.0) as url:
            with pytest.raises(TimedOut):
                await request.do_request(f"{url}/bot1:A/getMe", "POST")
        await request.shutdown()

    asyncio.run(main())


def test_a_timeout_the_call_gives_wins_over_the_default() -> None:
    async def main() -> None:
        request = AiohttpRequest(read_timeout=30.0)
        await request.initialize()
        async with server([], delay=2.0) as url:
            started = time.monotonic()
            with pytest.raises(TimedOut):
                await request.do_request(f"{url}/bot1:A/getMe", "POST", read_timeout=0.2)
            assert time.monotonic() - started < 1.5
        await request.shutdown()

    asyncio.run(main())


def test_the_bot_modules_use_only_public_python_telegram_bot_modules() -> None:
    private = []
    for path in sorted(ROOT.glob("*/*.py")):
        if path.parts[-2] not in ("bot", "intents", "store", "tests", "bench"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            private += [f"{path.name}: {n}" for n in names
                        if n.split(".")[0] == "telegram" and any(p.startswith("_") for p in n.split("."))]
    assert not private


def test_a_refused_connection_is_a_network_error() -> None:
    async def main() -> None:
        with socket.socket() as sock:   # a port that was free a moment ago and has no listener
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        request = AiohttpRequest()
        await request.initialize()
        with pytest.raises(NetworkError) as raised:
            await request.do_request(f"http://127.0.0.1:{port}/bot1:A/getMe", "POST")
        assert not isinstance(raised.value, TimedOut)
        await request.shutdown()

    asyncio.run(main())


def test_used_before_initialize_or_after_shutdown_it_says_so_and_can_start_again() -> None:
    async def main() -> None:
        request = AiohttpRequest()
        with pytest.raises(RuntimeError, match="not initialized"):
            await request.do_request("http://127.0.0.1:9/bot1:A/getMe", "POST")
        seen: Seen = []
        async with server(seen) as url:
            await request.initialize()
            await request.shutdown()
            with pytest.raises(RuntimeError, match="not initialized"):
                await request.do_request(f"{url}/bot1:A/getMe", "POST")
            await request.initialize()
            status, _ = await request.do_request(f"{url}/bot1:A/getMe", "POST")
            await request.shutdown()
        assert status == 200 and len(seen) == 1

    asyncio.run(main())


def test_a_pool_needs_a_connection() -> None:
    with pytest.raises(ValueError):
        AiohttpRequest(0)


def test_a_proxy_from_the_environment_is_used_and_no_proxy_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    async def main() -> None:
        seen: Seen = []
        async with server(seen) as url:   # the local server stands in for the proxy
            for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
                monkeypatch.delenv(name, raising=False)
                monkeypatch.delenv(name.upper(), raising=False)
            monkeypatch.setenv("HTTP_PROXY", url)
            monkeypatch.setenv("NO_PROXY", "bypassed.invalid")
            request = AiohttpRequest()
            await request.initialize()
            assert request.proxy_for("http://bypassed.invalid/bot1:A/getMe") is None
            assert request.proxy_for("https://api.telegram.org/bot1:A/getMe") is None   # no HTTPS_PROXY
            # a host that cannot resolve: only the proxy can answer
            status, _ = await request.do_request("http://tfbot-proxy-test.invalid/bot1:A/getMe", "POST")
            await request.shutdown()
        assert status == 200 and [path for path, _, _ in seen] == ["/bot1:A/getMe"]

    asyncio.run(main())
