"""The CLI as an operator meets it: global options anywhere, --version, help for every argument, exit statuses,
a closed pipe, files that cannot be written, ids that cannot hold a role, empty listings, a failing question."""

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from bot import cli as tfbot
from bot.conversation import APOLOGY
from intents.engine import Engine
from intents.message import Message, Pick, Reply
from store import Store
from tests.conftest import Cli
from tests.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
BUSAN, BUSAN_PHONE = "부산 지역사업평가단 전화번호", "315-9263"


def without_tfbot_settings() -> dict[str, str]:
    """The environment without TFBOT_* settings, for a `tfbot` subprocess."""
    return {k: v for k, v in os.environ.items() if not k.startswith("TFBOT_")}


def test_db_and_config_before_or_after_the_subcommand(tmp_path: Path, cli: Cli) -> None:
    before, after = tmp_path / "before.db", tmp_path / "after.db"
    status, out, _ = cli("--db", str(before), "ask", "--json", BUSAN)
    assert status == 0 and BUSAN_PHONE in json.loads(out)["text"] and before.exists()
    assert cli("--db", str(before), "ask", BUSAN, "--db", str(after))[0] == 0
    assert after.exists(), "the option after the subcommand wins"
    config = tmp_path / "tf.toml"
    configured = tmp_path / "configured.db"
    config.write_text(f'[store]\npath = "{configured}"\n', encoding="utf-8")
    assert cli("--config", str(config), "users", "list")[0] == 0 and configured.exists()
    one = subprocess.run([sys.executable, "-m", "bot.cli", "--db", str(before), "ask", BUSAN], capture_output=True,
                         text=True, cwd=ROOT, timeout=60, env=without_tfbot_settings())
    assert one.returncode == 0 and BUSAN_PHONE in one.stdout   # the installed entry point parses the same


def test_version_comes_from_the_package_metadata(cli: Cli) -> None:
    status, out, _ = cli("--version")
    assert status == 0 and out.strip() == f"tfbot {version('tfbot')}"


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found.extend(_parsers(child))
    return found


def test_every_argument_has_help_and_the_exit_statuses_are_documented(cli: Cli) -> None:
    parsers = _parsers(tfbot.build_parser())
    assert len(parsers) >= 12
    missing = [f"{p.prog} {a.dest}" for p in parsers for a in p._actions
               if not isinstance(a, argparse._SubParsersAction) and not a.help]
    assert not missing
    text = tfbot.build_parser().format_help()
    for status in (tfbot.OK, tfbot.FAILED, tfbot.FAULT, tfbot.INTERRUPTED, tfbot.PIPE_CLOSED):
        assert f"\n  {status} " in text
    assert "exit status" in cli("ask", "--help")[1]


def test_a_reader_that_goes_away_ends_the_output_quietly(tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text(f"{BUSAN}\n" * 600, encoding="utf-8")
    with questions.open("rb") as stdin:
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "ask", "--db", str(tmp_path / "p.db")],
                                stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                                env=without_tfbot_settings())
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline().decode()
        proc.stdout.close()   # `| head -1`
        status = proc.wait(timeout=120)
        errors = proc.stderr.read().decode()
    assert first.startswith("[부산지역사업평가단]")
    assert status == tfbot.PIPE_CLOSED and errors == ""


def test_export_ics_to_a_missing_folder_or_a_directory_is_one_line(tmp_path: Path, cli: Cli) -> None:
    db = str(tmp_path / "c.db")
    status, _, err = cli("export-ics", str(tmp_path / "nope" / "tf.ics"), "--db", db)
    assert status == 1 and err.strip().splitlines() == [
        f"tfbot: 일정 파일을 쓸 수 없습니다: {tmp_path / 'nope' / 'tf.ics'} (폴더가 없습니다)"]
    status, _, err = cli("export-ics", str(tmp_path), "--db", db)
    assert status == 1 and "폴더입니다" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "nope").exists()


def test_users_add_refuses_non_positive_and_shared_ids(tmp_path: Path, cli: Cli) -> None:
    db = str(tmp_path / "c.db")
    status, _, err = cli("users", "add", "-5", "--role", "member", "--db", db)
    assert status == 2 and "양의 정수" in err
    status, _, err = cli("users", "add", "1087968824", "--role", "admin", "--db", db)
    assert status == 2 and "공용 ID" in err and "본인 계정" in err
    assert cli("users", "add", "777000", "--role", "member", "--db", db)[0] == 2
    assert Store.open(db).users() == []


def test_empty_listings_say_so(tmp_path: Path, cli: Cli) -> None:
    db = str(tmp_path / "c.db")
    assert cli("users", "list", "--db", db)[1].startswith("등록된 사용자가 없습니다.")
    assert cli("audit", "--db", db)[1].strip() == "감사 기록이 없습니다."
    assert cli("audit", "--since", "2026-01-01", "--db", db)[1].strip() == "2026-01-01 이후의 감사 기록이 없습니다."


def test_users_remove_of_an_unknown_user_is_one_line_and_status_1(tmp_path: Path, cli: Cli) -> None:
    status, _, err = cli("users", "remove", "4001", "--db", str(tmp_path / "c.db"))
    assert status == 1 and err.strip().splitlines() == ["tfbot: 등록되지 않은 사용자입니다: 4001"]


def _exploding(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Engine.answer

    def answer(self: Engine, message: Message, pick: Pick | None = None) -> Reply:
        if "폭발" in message.text:
            raise KeyError("percent")
        return real(self, message, pick)

    monkeypatch.setattr(Engine, "answer", answer)


def test_a_batch_goes_on_after_a_failing_question(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    _exploding(monkeypatch)
    status, out, err = cli("ask", "--json", "--db", str(tmp_path / "c.db"), stdin=f"{BUSAN}\n폭발하는 질문\n{BUSAN}\n")
    assert status == tfbot.OK
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["intent"] for a in answers] == ["contact", "error", "contact"]
    incident = re.fullmatch(re.escape(APOLOGY) + r" \(오류 번호: ([0-9a-f]{8})\)", answers[1]["text"])
    assert incident is not None and answers[1]["entities"] == []
    assert f"ERROR bot.conversation: incident {incident.group(1)}:" in err and "KeyError: 'percent'" in err   # the log
    status, out, _ = cli("ask", "--db", str(tmp_path / "c.db"), stdin=f"폭발\n{BUSAN}\n")
    assert status == tfbot.OK and out.startswith(APOLOGY) and BUSAN_PHONE in out


def test_one_failing_question_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    _exploding(monkeypatch)
    status, out, _ = cli("ask", "폭발", "--db", str(tmp_path / "c.db"))
    assert status == tfbot.FAILED and out.startswith(APOLOGY) and "오류 번호" in out


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    """The fake Bot API on its own event loop in a thread, for a `tfbot run` subprocess to talk to."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = FakeBotApi(token="123:ABC")
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(10)
    yield fake
    asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def test_run_with_a_token_telegram_refuses_says_so_in_one_line(tmp_path: Path, bot_api: FakeBotApi) -> None:
    env = {**without_tfbot_settings(),
           "TFBOT_TOKEN": "999:WRONG", "TFBOT_API_BASE_URL": f"http://127.0.0.1:{bot_api.port}"}
    out = subprocess.run([sys.executable, "-m", "bot.cli", "run", "--db", str(tmp_path / "r.db")], capture_output=True,
                         text=True, cwd=ROOT, timeout=60, env=env)
    assert out.returncode == tfbot.FAULT and out.stdout == ""
    assert out.stderr.splitlines()[-1] == "tfbot: 텔레그램이 봇 토큰을 거절했습니다. TFBOT_TOKEN을 확인해 주세요."
    assert "Traceback" not in out.stderr and "WRONG" not in out.stderr and "Unclosed" not in out.stderr
    assert bot_api.sent == []


def test_run_without_a_reachable_bot_api_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    env = {**without_tfbot_settings(),
           "TFBOT_TOKEN": "123:ABC", "TFBOT_API_BASE_URL": f"http://127.0.0.1:{port}"}
    out = subprocess.run([sys.executable, "-m", "bot.cli", "run", "--db", str(tmp_path / "r.db")], capture_output=True,
                         text=True, cwd=ROOT, timeout=60, env=env)
    assert out.returncode == tfbot.FAILED and "Traceback" not in out.stderr
    assert out.stderr.splitlines()[-1] == f"tfbot: 텔레그램 Bot API에 연결할 수 없습니다: http://127.0.0.1:{port}. " \
                                          "네트워크와 TFBOT_API_BASE_URL을 확인해 주세요."
