"""Before a file is used as the TF database: say plainly why it cannot be one, and never alter it if so."""

import os
import sqlite3
import stat
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sqlite_utils import Database

from store.errors import CannotOpen, NewerDatabase, NotADatabase, NotTfbotDatabase, ReadOnly
from store.schema import MIGRATIONS

MARKER = "_migrations"           # the table every tfbot database has; its first row names the first migration
FIRST_MIGRATION = MIGRATIONS[0][0]


def check_path(path: Path) -> None:
    """Raise CannotOpen when a path cannot hold a database file: a directory, or in a folder that does not exist."""
    if path.is_dir():
        raise CannotOpen(f"데이터베이스 경로가 파일이 아니라 폴더입니다: {path.absolute()} "
                         f"(예: --db {path / 'tfbot.db'})")
    if not path.parent.is_dir():
        raise CannotOpen(f"데이터베이스 파일을 둘 폴더가 없습니다: {path.parent.absolute()}")


def is_read_only_file(path: Path) -> bool:
    """Whether an existing file must not be written: the system refuses it, or no one has write permission
    (a file made read-only on purpose is honoured even by root, whom the system would let write)."""
    if not path.exists():
        return False
    return not os.access(path, os.W_OK) or not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def cannot_open(path: Path, exc: sqlite3.Error) -> Exception:
    """The store error for an SQLite failure met while opening or inspecting a file."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code == sqlite3.SQLITE_NOTADB:
        return NotADatabase(f"SQLite 데이터베이스 파일이 아닙니다: {path.absolute()}")
    if code == sqlite3.SQLITE_CORRUPT:
        return NotADatabase(f"데이터베이스 파일이 손상되었습니다: {path.absolute()}")
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnly(f"데이터베이스가 읽기 전용이라 열 수 없습니다: {path.absolute()}")
    return CannotOpen(f"데이터베이스 파일을 열 수 없습니다: {path.absolute()} ({exc})")


def inspect(db: Database, path: Path) -> bool:
    """True for a new, empty database; False for a tfbot database this version can use. Reads only.

    Raises NotTfbotDatabase for another application's file and NewerDatabase for one a newer tfbot migrated.
    """
    tables = {row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()}
    if not tables:
        return True
    applied: list[str] = []
    if MARKER in tables:
        try:
            applied = [row[0] for row in db.execute(f"SELECT name FROM {MARKER} ORDER BY rowid").fetchall()]
        except sqlite3.OperationalError:   # a table of that name with other columns: not ours
            applied = []
    if FIRST_MIGRATION not in applied:
        raise NotTfbotDatabase(f"tfbot 데이터베이스가 아닙니다(다른 프로그램의 SQLite 파일로 보입니다): "
                               f"{path.absolute()} — 아무것도 바꾸지 않았습니다. 다른 --db 경로를 주세요.")
    known = {name for name, _ in MIGRATIONS}
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise NewerDatabase(f"더 새 버전의 tfbot이 만든 데이터베이스라 열지 않습니다: {path.absolute()} "
                            f"(이 파일의 스키마: {', '.join(unknown)}; 이 tfbot은 {MIGRATIONS[-1][0]}까지 압니다, "
                            f"버전 {_version()}). tfbot을 업데이트해 주세요.")
    return False


def refuse_to_migrate(db: Database, path: Path, fresh: bool) -> None:
    """For a read-only file: raise ReadOnly when it is not yet a database of this version (it cannot become one)."""
    if fresh:
        raise ReadOnly(f"데이터베이스 파일이 비어 있고 읽기 전용이라 만들 수 없습니다: {path.absolute()}")
    applied = {row[0] for row in db.execute(f"SELECT name FROM {MARKER}").fetchall()}
    pending = [name for name, _ in MIGRATIONS if name not in applied]
    if pending:
        raise ReadOnly(f"데이터베이스가 읽기 전용이라 이 버전의 tfbot에 맞게 갱신할 수 없습니다: {path.absolute()} "
                       f"(적용할 마이그레이션: {', '.join(pending)})")


def _version() -> str:
    try:
        return version("tfbot")
    except PackageNotFoundError:
        return "미상"
