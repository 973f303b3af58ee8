"""Shared fixtures: a throwaway database with the built-in dataset, and an engine over it."""

import io
import logging
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from intents.engine import Engine
from intents.message import Message, Offer, Pick, Reply
from store import Store

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)


@pytest.fixture(scope="session")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file created once per test session (read-only tests copy nothing from it)."""
    path = tmp_path_factory.mktemp("shared") / "tf.db"
    Store.open(path).close()
    return path


@pytest.fixture(scope="session")
def ro_engine(shared_db: Path) -> Iterator[Engine]:
    """An engine for tests that only read."""
    store = Store.open(shared_db)
    yield Engine(store)
    store.close()


@pytest.fixture(scope="session")
def ro_store(shared_db: Path) -> Iterator[Store]:
    """A store for tests that only read."""
    s = Store.open(shared_db)
    yield s
    s.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh database with the built-in dataset, for tests that write."""
    s = Store.open(tmp_path / "tf.db")
    yield s
    s.close()


@pytest.fixture
def engine(store: Store) -> Engine:
    """An engine over a fresh database."""
    return Engine(store)


def ask(engine: Engine, text: str, user_id: int | None = None, now: datetime = NOW,
        chat_id: int | None = None) -> Reply:
    """Ask the engine as a user would, at a fixed time; without a user id, as the local operator (the console)."""
    message = Message(text=text, now=now, user_id=user_id, chat_id=chat_id if chat_id is not None else user_id,
                      local_operator=user_id is None)
    return engine.answer(message)


def choose(engine: Engine, asked: Reply, action: str, user_id: int | None = None, now: datetime = NOW,
           text: str = "") -> Reply:
    """Pick the option `action` of an answer's offer, as the conversation core does once it has checked the press
    (`text`: the question that was asked, which a clarifying choice answers again)."""
    assert action in [b.action for b in asked.buttons], (action, asked.buttons)
    offer = asked.offer or Offer("clarify")
    message = Message(text=text, now=now, user_id=user_id, chat_id=user_id, local_operator=user_id is None)
    return engine.answer(message, Pick(offer.kind, action, offer.payload))


Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    """`tfbot` in this process: cli(*args, stdin="") → (exit status, stdout, stderr); no TFBOT_* from the
    environment; the logging it configures is undone afterwards."""
    from bot import cli as tfbot
    from bot.logs import NOISY

    for name in [n for n in os.environ if n.startswith("TFBOT_")]:
        monkeypatch.delenv(name)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in NOISY}

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            status = tfbot.main(list(args))
        except SystemExit as exc:   # argparse: usage errors, --help, --version
            status = int(exc.code or 0)
        out = capsys.readouterr()
        return status, out.out, out.err

    yield run
    root.handlers[:], root.level = handlers, level
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)
