"""Events an operator must see in the log: a refused user (ids only), a migration applied to an existing file."""

import logging
import sqlite3
from pathlib import Path

import pytest

from bot.conversation import Conversation
from intents.engine import Engine
from intents.message import Message
from store import Store
from tests.conftest import NOW


def test_a_refused_user_is_logged_with_ids_and_without_the_text(engine: Engine,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.conversation")
    out = Conversation(engine).handle(Message(text="부산 평가단 전화번호 비밀", now=NOW, user_id=4242, chat_id=4242))
    assert "등록된 TF 구성원만" in out.reply.text
    [record] = [r for r in caplog.records if "refused" in r.getMessage()]
    assert record.getMessage() == "user 4242 in chat 4242 refused: no role" and "비밀" not in caplog.text


def test_a_migration_applied_to_an_existing_database_is_logged(tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "old.db"
    Store.open(path).close()
    db = sqlite3.connect(path)   # as a database made before 007_choices would be
    db.executescript("""
        DELETE FROM _migrations WHERE name = '007_choices'; DROP TABLE choices;
        CREATE TABLE pending (user_id INTEGER NOT NULL, chat_id INTEGER NOT NULL, created_at TEXT NOT NULL,
                              payload TEXT NOT NULL, PRIMARY KEY (user_id, chat_id));
    """)
    db.close()
    caplog.set_level(logging.INFO, logger="store.store")
    Store.open(path).close()
    assert [r.getMessage() for r in caplog.records] == [f"database {path}: migration 007_choices applied"]
