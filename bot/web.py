"""`tfbot web`: the read-only web view. Datasette serves a view-only copy of the database that holds only the
public tables (store/public_copy.py), refreshed from the live database when it changes; a login is required
off the loopback interface."""

import asyncio
import errno
import ipaddress
import logging
import os
import signal
import socket
import sqlite3
import sys
import tempfile
import threading
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from bot.config import Config
from bot.web_metadata import DATABASE, PASSWORD_HASH_ENV, metadata
from store.public_copy import PublicCopy, check_live

log = logging.getLogger(__name__)

REFRESH_SECONDS = 1.0          # how often the live database is asked whether it changed (one PRAGMA)
MIN_PASSWORD = 8
BACKLOG = 2048                 # uvicorn's
# Basic auth checks the password on every request (each page and its CSS and JS): Datasette's default
# 480,000 PBKDF2 rounds cost ~0.3 s of CPU a request here. The hash never leaves this process's memory,
# so more rounds would slow nobody's offline guessing.
HASH_ITERATIONS = 20_000
# The facets worth having are declared per table; Datasette's suggestions tried every other column of every
# page and cost ~0.5 s a page of the 100x store's 101,000 progress entries (bench/web_bench.py). Long texts
# (a task's summary, a document) are cut on the table pages, whole on a row's own page and in JSON; a facet
# shows its 10 largest values, and more on request.
SETTINGS = {"suggest_facets": False, "allow_download": False, "truncate_cells_html": 60, "default_facet_size": 10}
INSTALL = "tfbot web에 필요한 Datasette를 불러올 수 없습니다: 설치를 다시 하세요 (.venv/bin/pip install -e .)"


class WebFault(Exception):
    """An operator fault that stops `tfbot web` before it serves (one line, exit status 2)."""


class _Stopped(Exception):
    """SIGTERM arrived: stop serving and clean up."""


def is_loopback(host: str) -> bool:
    """Whether every address `host` names is on this machine's loopback interface (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return bool(found) and all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in found)


def listen_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (port 0: any free port); WebFault saying why when it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except (OSError, UnicodeError):
        raise WebFault(f"--host {host}: 이 컴퓨터에서 찾을 수 없는 주소입니다 (예: 127.0.0.1)") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # not past a listener: only TIME_WAIT
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise WebFault(f"{host}:{port} 포트를 이미 다른 프로그램이 쓰고 있습니다 "
                           "(--port로 다른 포트를 주세요)") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise WebFault(f"{host}:{port}에서 열 권한이 없습니다 (1024보다 큰 포트를 주세요)") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise WebFault(f"--host {host}: 이 컴퓨터의 주소가 아닙니다 (예: 127.0.0.1, 0.0.0.0)") from None
        raise WebFault(f"{host}:{port}에서 열 수 없습니다: {exc.strerror or exc}") from None
    sock.listen(BACKLOG)   # from now on a browser waits for the page instead of being refused
    return sock


def _datasette_modules() -> tuple[Any, Any]:
    """Datasette and uvicorn, imported here only (`tfbot ask` never pays for them); WebFault if missing."""
    try:
        import uvicorn
        from datasette.app import Datasette
    except ImportError:
        raise WebFault(INSTALL) from None
    return Datasette, uvicorn


def _only_known_plugins(login: bool) -> None:
    """Datasette's own plugins, and datasette-auth-passwords when there is a login: no other Datasette plugin
    installed on the machine (one that writes, say) is loaded into the view."""
    import datasette_auth_passwords
    from datasette.plugins import DEFAULT_PLUGINS, pm

    for plugin in list(pm.get_plugins()):
        if getattr(plugin, "__name__", None) in DEFAULT_PLUGINS or (login and plugin is datasette_auth_passwords):
            continue
        pm.unregister(plugin)
    if login and not pm.is_registered(datasette_auth_passwords):
        pm.register(datasette_auth_passwords, "datasette_auth_passwords")


def _follow(copy: PublicCopy, stop: threading.Event) -> None:
    """Refresh the copy whenever the live database changed, until `stop`; a failed read keeps the last copy."""
    said = ""
    while not stop.wait(REFRESH_SECONDS):
        try:
            if copy.refresh():
                log.debug("web view: copied again")
            said = ""
        except sqlite3.Error as exc:
            if str(exc) != said:
                log.warning("웹 보기: 데이터베이스를 다시 읽지 못해 마지막 사본을 보여 줍니다 (%s)", exc)
            said = str(exc)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stopped


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(cfg: Config, host: str, port: int) -> None:
    """Serve the web view until Ctrl-C or SIGTERM; WebFault (or a StoreError for the database) when it cannot."""
    login = cfg.web_password is not None
    if not login and not is_loopback(host):
        raise WebFault(f"--host {host}: 127.0.0.1 밖으로 열려면 로그인이 필요합니다 — TFBOT_WEB_PASSWORD 환경 변수에 "
                       f"비밀번호를 설정하세요 (사용자 이름은 config의 [web] user, 지금 {cfg.web_user!r})")
    if login and len(cfg.web_password or "") < MIN_PASSWORD:
        raise WebFault(f"TFBOT_WEB_PASSWORD는 {MIN_PASSWORD}자 이상이어야 합니다")
    datasette, uvicorn = _datasette_modules()
    live = Path(cfg.db_path)
    check_live(live)
    sock = listen_socket(host, port)
    with sock, tempfile.TemporaryDirectory(prefix="tfbot-web-") as folder:
        copy = PublicCopy.create(live, Path(folder) / f"{DATABASE}.db")
        if login:
            from datasette_auth_passwords.utils import hash_password

            os.environ[PASSWORD_HASH_ENV] = hash_password(cfg.web_password, iterations=HASH_ITERATIONS)
        _only_known_plugins(login)
        offset = datetime.now(cfg.tz).utcoffset() or timedelta(0)
        shown = metadata(cfg.stale_days, int(offset.total_seconds()) // 60, cfg.web_user if login else None)
        ds = datasette(files=[str(copy.target)], metadata=shown, settings=SETTINGS)
        debug = cfg.log_level == "DEBUG"
        logging.getLogger("uvicorn.error").setLevel(logging.DEBUG if debug else logging.WARNING)
        server = uvicorn.Server(uvicorn.Config(ds.app(), log_config=None, access_log=debug, lifespan="off",
                                               server_header=False))
        stop = threading.Event()
        follower = threading.Thread(target=_follow, args=(copy, stop), name="tfbot-web-refresh", daemon=True)
        follower.start()
        print(f"tfbot web: {_url(host, sock.getsockname()[1])} — 읽기 전용, {live.absolute()}의 공개 자료"
              f"{' (로그인: ' + cfg.web_user + ')' if login else ''}. 끝내려면 Ctrl-C", flush=True)
        previous = signal.signal(signal.SIGTERM, _stop)

        async def run() -> None:
            await ds.invoke_startup()
            await server.serve(sockets=[sock])

        try:
            asyncio.run(run())
        except _Stopped:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            stop.set()
            follower.join()
            copy.close()
            sys.stdout.flush()
