"""Backups with SQLite's online backup API (a consistent copy, safe while the bot writes) and restoring one,
after checking that it is a tfbot database this version can open and backing up the current one first."""

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from store.errors import CannotOpen, NotTfbotDatabase, StoreError
from store.opening import cannot_open, inspect
from store.store import Store

BACKUP_FOLDER = "backups"   # beside the database file


class CannotBackUp(StoreError):
    """The backup file cannot be written where it was asked (an existing file, a missing folder)."""


def _reading(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=10)


def backup_file(source: Path, target: Path, now: datetime) -> Path:
    """Copy a tfbot database file, as committed, to `target` (a folder: a dated file in it) without taking its
    write lock: a writer in the middle of a transaction neither waits nor is copied half-done. The file is
    checked as a restore would check it; an existing target is never overwritten."""
    check_restorable(source, "백업할")
    return _copy(source, target, now)


def backup_to(store: Store, target: Path, now: datetime) -> Path:
    """Copy an open store's database, as committed, to `target` (see backup_file)."""
    return _copy(store.path() or store.db.conn, target, now)


def _copy(source: Path | sqlite3.Connection, target: Path, now: datetime) -> Path:
    """SQLite's online backup API from a file (through a read-only connection of its own) or a connection."""
    if target.is_dir():
        target = target / f"tfbot-backup-{now:%Y%m%d-%H%M%S}.db"
    if target.exists():
        raise CannotBackUp(f"이미 있는 파일이라 덮어쓰지 않습니다: {target.absolute()}")
    if not target.parent.is_dir():
        raise CannotBackUp(f"백업 파일을 둘 폴더가 없습니다: {target.parent.absolute()}")
    reading = _reading(source) if isinstance(source, Path) else source
    try:
        copy = sqlite3.connect(target)
        try:
            reading.backup(copy)
        finally:
            copy.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise CannotBackUp(f"백업을 쓸 수 없습니다: {target.absolute()} ({exc})") from exc
    finally:
        if reading is not source:
            reading.close()
    return target


def backup_before(store: Store, what: str, now: datetime) -> Path | None:
    """A backup in the `backups` folder beside the database, named for when and before what it was taken;
    None for an in-memory database (there is no file to keep it beside)."""
    path = store.path()
    if path is None:
        return None
    folder = path.parent / BACKUP_FOLDER
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise CannotBackUp(f"백업 폴더를 만들 수 없습니다: {folder} ({exc.strerror})") from exc
    stem = f"{path.stem}-{now:%Y%m%d-%H%M%S}-{what}"
    target, n = folder / f"{stem}.db", 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{n}.db"
    return backup_to(store, target, now)


def check_restorable(path: Path, what: str = "복원할") -> None:
    """Raise unless `path` is a tfbot database this version can open (CannotOpen, NotADatabase,
    NotTfbotDatabase, NewerDatabase, each saying why)."""
    if not path.is_file():
        raise CannotOpen(f"{what} 파일이 없습니다: {path.absolute()}")
    try:
        conn = _reading(path)
    except sqlite3.Error as exc:
        raise cannot_open(path, exc) from exc
    try:
        if inspect(Database(conn), path):
            raise NotTfbotDatabase(f"tfbot 데이터베이스가 아닙니다(비어 있습니다): {path.absolute()}")
    except sqlite3.Error as exc:
        raise cannot_open(path, exc) from exc
    finally:
        conn.close()


def restore_from(store: Store, source: Path, now: datetime) -> Path | None:
    """Replace the database's contents with those of `source` after checking it and backing up the current
    contents (returned: where). Open the database again afterwards to migrate an older file forward."""
    check_restorable(source)
    own = store.path()
    if own is not None and own.resolve() == source.resolve():
        raise CannotBackUp(f"지금 쓰는 데이터베이스 자신은 복원할 수 없습니다: {source.absolute()}")
    saved = backup_before(store, "before-restore", now)
    reading = _reading(source)
    try:
        reading.backup(store.db.conn)
    except sqlite3.Error as exc:
        raise CannotBackUp(f"복원하지 못했습니다: {exc} (지금 데이터베이스는 그대로입니다)") from exc
    finally:
        reading.close()
    store.forget_reference_rows()
    return saved
