"""Database faults: each is one clear line on stderr and exit status 2 (never a traceback), and the file is left
as it was; a read-only database answers questions and refuses writes with a message while the batch goes on."""

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from intents.engine import Engine
from intents.message import Message
from store import CannotOpen, NewerDatabase, NotADatabase, NotTfbotDatabase, ReadOnly, Store
from store.schema import MIGRATIONS
from tests.conftest import NOW, SEOUL, Cli

BUSAN_PHONE = "315-9263"
LOG = "/log 에너지밸리 조성 40% 부지 협의"
READ_ONLY = "데이터베이스가 읽기 전용이라 기록할 수 없습니다"


def one_line_fault(out: tuple[int, str, str], *words: str) -> str:
    """The single stderr line of a fault, after checking the exit status and that no traceback was printed."""
    status, _, err = out
    lines = err.strip().splitlines()
    assert status == 2, err
    assert len(lines) == 1 and lines[0].startswith("tfbot: ") and "Traceback" not in err, err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def digest(path: Path) -> str:
    """The file's content hash: a refused file must not be touched at all (not even switched to WAL)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tfbot database made once; tests copy it."""
    path = tmp_path_factory.mktemp("template") / "tf.db"
    store = Store.open(path)
    store.set_role(None, 42, "coordinator", NOW.isoformat(), "김코디")
    store.close()
    return path


@pytest.fixture
def read_only_db(template: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the template with no write permission for anyone."""
    path = tmp_path / "ro.db"
    shutil.copy(template, path)
    path.chmod(0o444)
    yield path
    path.chmod(0o644)


def counts(path: Path, *tables: str) -> dict[str, int]:
    """Row counts read straight from the file."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
    finally:
        conn.close()


# --- cannot open -------------------------------------------------------------------------------------
def test_a_database_in_a_missing_folder(tmp_path: Path, cli: Cli) -> None:
    missing = tmp_path / "nope"
    one_line_fault(cli("ask", "부산 지역사업평가단 전화번호", "--db", str(missing / "tf.db")),
                   "폴더가 없습니다", str(missing))
    assert not missing.exists()


def test_a_database_path_that_is_a_directory(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    one_line_fault(cli("users", "list", "--db", str(folder)), "폴더입니다", str(folder))
    assert list(folder.iterdir()) == []


def test_a_file_of_random_bytes(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "random.db"
    path.write_bytes(os.urandom(4096))
    before = digest(path)
    one_line_fault(cli("ask", "부산", "--db", str(path)), "SQLite 데이터베이스 파일이 아닙니다", str(path))
    assert digest(path) == before
    with pytest.raises(NotADatabase):
        Store.open(path)


def test_another_applications_sqlite_file_is_refused_and_left_unchanged(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "crm.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'a@example.com')")
    conn.commit()
    conn.close()
    before = digest(path)
    one_line_fault(cli("users", "add", "5", "--role", "admin", "--db", str(path)), "tfbot 데이터베이스가 아닙니다",
                   "아무것도 바꾸지 않았습니다")
    assert digest(path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["crm.db"]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("users",)]
    assert conn.execute("SELECT * FROM users").fetchall() == [(1, "a@example.com")]
    conn.close()


def test_an_other_applications_migrations_table_is_no_tfbot_marker(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE _migrations (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO _migrations (name) VALUES ('0001_initial')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotTfbotDatabase):
        Store.open(path)
    assert digest(path) == before


def test_a_database_made_by_a_newer_tfbot_is_refused_naming_the_version(template: Path, tmp_path: Path,
                                                                          cli: Cli) -> None:
    path = tmp_path / "newer.db"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _migrations VALUES ('099_from_the_future', 'later')")
    conn.commit()
    conn.close()
    before = digest(path)
    one_line_fault(cli("ask", "부산 지역사업평가단 전화번호", "--db", str(path)), "더 새 버전의 tfbot",
                   "099_from_the_future", MIGRATIONS[-1][0])
    assert digest(path) == before
    with pytest.raises(NewerDatabase):
        Store.open(path)


def test_the_store_says_which_fault_in_process(tmp_path: Path) -> None:
    with pytest.raises(CannotOpen, match="폴더가 없습니다"):
        Store.open(tmp_path / "a" / "b.db")
    with pytest.raises(CannotOpen, match="폴더입니다"):
        Store.open(tmp_path)


# --- read-only -------------------------------------------------------------------------------------
def test_read_only_database_answers_and_refuses_writes_in_a_batch(read_only_db: Path, cli: Cli) -> None:
    before = counts(read_only_db, "progress", "audit", "users", "choices", "unanswered")
    questions = [LOG, "부산 지역사업평가단 전화번호", "/grant 77 member", "우주항공 위성 사업 담당자 전화번호"]
    status, out, err = cli("ask", "--json", "--db", str(read_only_db), stdin="\n".join(questions) + "\n")
    assert status == 0 and err == ""
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["intent"] for a in answers] == ["readonly", "contact", "readonly", "unknown"]
    assert READ_ONLY in answers[0]["text"] and BUSAN_PHONE in answers[1]["text"] and READ_ONLY in answers[2]["text"]
    assert counts(read_only_db, "progress", "audit", "users", "choices", "unanswered") == before


def test_read_only_database_refuses_one_write_with_exit_status_1(read_only_db: Path, cli: Cli) -> None:
    before = counts(read_only_db, "progress", "users")
    status, out, _ = cli("ask", LOG, "--db", str(read_only_db))
    assert status == 1 and READ_ONLY in out
    status, _, err = cli("users", "add", "77", "--role", "member", "--db", str(read_only_db))
    assert status == 1 and err.strip().splitlines() == [f"tfbot: {READ_ONLY}. 아무것도 바뀌지 않았습니다."]
    assert "42\tcoordinator\t김코디" in cli("users", "list", "--db", str(read_only_db))[1]
    assert counts(read_only_db, "progress", "users") == before


def test_read_only_database_in_the_console_goes_on(read_only_db: Path, cli: Cli) -> None:
    status, out, err = cli("chat", "--db", str(read_only_db), stdin=f"{LOG}\n부산 지역사업평가단 전화번호\n")
    assert status == 0 and READ_ONLY in out and BUSAN_PHONE in out
    [line] = err.strip().splitlines()
    said = f"데이터베이스: {read_only_db} (읽기 전용: 질문에는 답하고 기록은 거절합니다)"
    assert line.endswith(f" WARNING bot.cli: {said}"), line


def test_read_only_engine_refuses_every_kind_of_write(read_only_db: Path) -> None:
    store = Store.open(read_only_db)
    assert store.read_only
    engine = Engine(store)
    before = counts(read_only_db, "progress", "audit", "users", "choices", "meetings", "private_chats")
    now = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)
    for text in (LOG, "/grant 77 member", "/meeting 12월 3일 오후 2시 권역별 TF회의 @ 세종청사", "/undo"):
        reply = engine.answer(Message(text, now, local_operator=True))
        assert reply.intent in ("readonly", "undo"), (text, reply.text)
    coordinator = engine.answer(Message(LOG, now, user_id=42, chat_id=42))
    assert coordinator.intent == "readonly" and READ_ONLY in coordinator.text
    question = engine.answer(Message("부산 지역사업평가단 전화번호", now, user_id=42, chat_id=42))
    assert BUSAN_PHONE in question.text   # a private chat is not remembered, and the answer still comes
    store.close()
    assert counts(read_only_db, "progress", "audit", "users", "choices", "meetings", "private_chats") == before


def test_a_read_only_database_that_needs_migrating_is_refused(template: Path, tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "old.db"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    last = MIGRATIONS[-1][0]
    conn.execute("DELETE FROM _migrations WHERE name = ?", [last])
    conn.commit()
    conn.close()
    path.chmod(0o444)
    before = digest(path)
    one_line_fault(cli("ask", "부산", "--db", str(path)), "읽기 전용", last)
    with pytest.raises(ReadOnly):
        Store.open(path)
    assert digest(path) == before
    path.chmod(0o644)


# --- which file ------------------------------------------------------------------------------------
def test_start_says_it_creates_the_default_database_in_the_working_folder(tmp_path: Path, cli: Cli,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = cli("start", stdin="/help\n")
    assert status == 0 and "콘솔 모드" in out
    [line] = err.strip().splitlines()
    assert line.endswith(f" WARNING bot.cli: 새 데이터베이스를 만듭니다: {tmp_path / 'tfbot.db'}")
    _, _, err = cli("chat", stdin="/help\n")
    [line] = err.strip().splitlines()
    assert line.endswith(f" INFO bot.cli: 데이터베이스: {tmp_path / 'tfbot.db'}")
