"""Logging: configured at start-up, to stderr, text or JSON lines, quiet third parties, never the bot token."""

import asyncio
import json
import logging
import os
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.logs import REDACTED, StderrHandler, configure_logging
from store import Store
from tests.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:AAH-secret_Token-value"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Put the root logger and the quietened loggers back as they were after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "apscheduler")}
    yield
    root.handlers[:], root.level = handlers, level
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)


def test_text_lines_with_level_and_logger(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "text", TOKEN)
    logging.getLogger("bot.scheduler").info("reminder %s skipped", "remind:m-1:3600")
    logging.getLogger("bot.scheduler").debug("not at INFO")
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith(" INFO bot.scheduler: reminder remind:m-1:3600 skipped")


def test_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("WARNING", "json", TOKEN)
    logging.getLogger("bot.telegram").info("below the level")
    logging.getLogger("bot.telegram").warning("chat %s 차단", 42, extra={"chat": 42})
    [line] = capsys.readouterr().err.splitlines()
    record = json.loads(line)
    assert {k: record[k] for k in ("level", "logger", "message", "chat")} == {
        "level": "WARNING", "logger": "bot.telegram", "message": "chat 42 차단", "chat": 42}
    assert "time" in record


def test_the_token_is_redacted_everywhere_in_a_record(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("text", "json"):
        configure_logging("DEBUG", fmt, TOKEN)
        log = logging.getLogger("httpx")
        log.info("HTTP Request: POST https://api.telegram.org/bot%s/getUpdates", TOKEN)
        log.info("another bot's URL: https://api.telegram.org/bot987:Other-Token_x/getMe")
        log.warning("the token itself: " + TOKEN, extra={"detail": f"url …/bot{TOKEN}/x and {TOKEN}"})
        try:
            raise RuntimeError(f"Client error for url 'https://api.telegram.org/bot{TOKEN}/getMe'")
        except RuntimeError:
            log.exception("failed")
        err = capsys.readouterr().err
        assert TOKEN not in err and "Other-Token_x" not in err and "AAH-secret" not in err
        assert f"https://api.telegram.org/bot{REDACTED}/getUpdates" in err
        assert f"https://api.telegram.org/bot{REDACTED}/getMe" in err and "the token itself: [REDACTED]" in err
        assert f"RuntimeError: Client error for url 'https://api.telegram.org/bot{REDACTED}/getMe'" in err
        if fmt == "json":
            warning = json.loads(err.splitlines()[2])
            assert warning["detail"] == f"url …/bot{REDACTED}/x and {REDACTED}"


def test_httpx_and_apscheduler_are_quiet_unless_debug() -> None:
    configure_logging("INFO", "text", None)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    assert logging.getLogger("bot.scheduler").isEnabledFor(logging.INFO)
    configure_logging("DEBUG", "text", None)
    assert logging.getLogger("httpx").isEnabledFor(logging.DEBUG)


def test_configuring_twice_leaves_one_handler(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "text", None)
    configure_logging("INFO", "json", None)
    assert sum(isinstance(h, StderrHandler) for h in logging.getLogger().handlers) == 1
    logging.getLogger("bot").info("once")
    assert json.loads(capsys.readouterr().err)["message"] == "once"


# --- the real `tfbot run`: what an operator sees on stderr ----------------------------------------------------
def run_bot(tmp_path: Path, level: str, fmt: str) -> str:
    """`tfbot run` against the fake Bot API with a meeting that started 10 minutes ago.

    Returns its stderr from start to its exit on SIGTERM, sent once it logged a skip and polls for updates.
    """
    seoul = ZoneInfo("Asia/Seoul")
    db = tmp_path / "tf.db"
    store = Store.open(db)
    started = (datetime.now(seoul) - timedelta(minutes=10)).replace(microsecond=0)
    store.add_meeting(None, started.isoformat(), "로그 점검회의", started.isoformat(), None, None, None)
    store.set_setting(None, started.isoformat(), "group_chat_id", "-100123")   # a chat the reminders would reach
    store.close()
    config = tmp_path / "config.toml"
    config.write_text(f'[logging]\nlevel = "{level}"\nformat = "{fmt}"\n', encoding="utf-8")

    async def main() -> str:
        fake = await FakeBotApi(token=TOKEN).start()
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("TFBOT_")},
               "TFBOT_TOKEN": TOKEN, "TFBOT_API_BASE_URL": f"http://127.0.0.1:{fake.port}"}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--db", str(db), "--config", str(config),
            cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        assert proc.stderr is not None
        lines: list[str] = []
        try:
            while not any("skipped" in line for line in lines):
                line = await asyncio.wait_for(proc.stderr.readline(), 30)
                assert line, f"tfbot run ended without logging the skip: {lines}"
                lines.append(line.decode())
            await fake.wait_for(lambda: any(method == "getUpdates" for method, _ in fake.calls), 20)
        finally:
            if proc.returncode is None:
                proc.terminate()
            _, rest = await asyncio.wait_for(proc.communicate(), 30)
            await fake.stop()
        return "".join(lines) + rest.decode()

    return asyncio.run(main())


def test_tfbot_run_logs_a_skipped_reminder_as_text(tmp_path: Path) -> None:
    err = run_bot(tmp_path, "INFO", "text")
    skipped = [line for line in err.splitlines() if " skipped" in line]
    assert len(skipped) == 2 and all(" WARNING bot.scheduler: reminder remind:m-" in line for line in skipped)
    assert {line.split("remind:")[1].split(" ")[0].split(":")[1] for line in skipped} == {"86400", "3600"}
    assert "HTTP Request" not in err, "httpx's request lines are quiet at INFO"
    assert TOKEN not in err and "Traceback" not in err


def test_tfbot_run_logs_json_lines_at_debug_without_the_token(tmp_path: Path) -> None:
    err = run_bot(tmp_path, "DEBUG", "json")
    records = [json.loads(line) for line in err.splitlines()]   # every line is one JSON object
    skipped = [r for r in records if r["logger"] == "bot.scheduler" and "skipped" in r["message"]]
    assert len(skipped) == 2 and all(r["level"] == "WARNING" for r in skipped)
    urls = [r["message"] for r in records if r["message"].startswith("Set Bot API URL")]
    assert urls and all(m.endswith(f"/bot{REDACTED}") for m in urls), "python-telegram-bot logs the URL, redacted"
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
