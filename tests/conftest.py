"""Shared fixtures: a throwaway database with the built-in dataset, and an engine over it."""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from intents.engine import Engine
from intents.message import Message, Reply
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
        choice: str | None = None, chat_id: int | None = None) -> Reply:
    """Ask the engine as a user would, at a fixed time; without a user id, as the local operator (the console)."""
    message = Message(text=text, now=now, user_id=user_id, chat_id=chat_id if chat_id is not None else user_id,
                      local_operator=user_id is None)
    return engine.answer(message, choice=choice)
