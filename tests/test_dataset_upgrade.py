"""A newer built-in dataset reaches an existing database: rows it added, changed and removed are added, changed
and removed, but never over what a person imported, corrected or edited, and never under a row that refers to
one."""

import csv
import logging
import shutil
from pathlib import Path

import pytest

from intents.engine import Engine
from store import Store
from store.dataset import dataset_version, load_dataset
from store.schema import MIGRATIONS
from store.store import connect
from store.upgrade import VERSION_KEY, held_version
from tests.conftest import ask

AT = "2026-12-02T10:00:00+09:00"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the built-in dataset the test may change."""
    copy = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "store" / "data", copy)
    return copy


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows)


def change(path: Path, key: str, **cells: str) -> None:
    """Change cells of the row `key` of a dataset file."""
    header, rows = _rows(path)
    found = [r for r in rows if r["key"] == key]
    assert found, key
    found[0].update(cells)
    _write(path, header, rows)


def remove(path: Path, key: str) -> None:
    """Remove the row `key` from a dataset file."""
    header, rows = _rows(path)
    assert any(r["key"] == key for r in rows), key
    _write(path, header, [r for r in rows if r["key"] != key])


def add(path: Path, **cells: str) -> None:
    """Append a row to a dataset file."""
    header, rows = _rows(path)
    _write(path, header, [*rows, {c: cells.get(c, "") for c in header}])


def edit_as_people_do(store: Store) -> None:
    """A correction, an import, a meeting moved in chat, a corrected row the dataset will drop, progress on a task
    the dataset will drop."""
    store.db.execute("UPDATE contacts SET department = '혁신도시정책과' WHERE id = 'd000-contact-jung'")
    store.record_origin("contacts", "d000-contact-jung", "correction", None, 7, AT)
    store.db.execute("INSERT INTO contacts (id, person, title, organisation, source) "
                     "VALUES ('imp-c1', '김가져옴', '주무관', 'd000-org-kamco', '000')")
    store.record_origin("contacts", "imp-c1", "import", "명단.xlsx", 7, AT)
    store.update_meeting(7, AT, "d000-meet-kickoff", place="세종청사")
    store.db.execute("UPDATE tasks SET summary = '고친 설명' WHERE id = 'd000-best-08'")
    store.record_origin("tasks", "d000-best-08", "correction", None, 7, AT)
    store.add_progress("d000-proj-daegu-1", 7, "담당", AT, 30, "진행", "착공")
    store.record_origin("contacts", "d004-ct-lim-sanggyu", "import", "명단.xlsx", 7, AT)   # imported as it was
    store.record_origin("tasks", "d000-best-07", "import", "과제.xlsx", 7, AT)


def change_the_dataset(data: Path) -> None:
    """A changed cell, changed aliases and phones, two added rows, two removed, and changes to rows people wrote."""
    change(data / "000" / "organisations.csv", "d000-org-kamco", note="새 메모", aliases="한국자산관리공사 | 캠코")
    change(data / "004" / "contacts.csv", "d004-ct-jang-yonghee", phones="044-204-7599")
    add(data / "000" / "programs.csv", key="d000-prog-h2", name="혁신도시 수소 실증사업", aliases="수소실증",
        kind="사업", region="울산", period="2027~2029", summary="혁신도시에서 수소를 실증합니다.")
    add(data / "000" / "budgets.csv", key="d000-bud-h2-2027", program="d000-prog-h2", year="2027", funding="국비",
        amount="120", unit="억원", is_total="0")
    remove(data / "000" / "budgets.csv", "d000-bud-collab-2021")
    remove(data / "000" / "tasks.csv", "d000-best-09")
    remove(data / "000" / "tasks.csv", "d000-best-08")        # corrected by a person: stays
    remove(data / "000" / "tasks.csv", "d000-proj-daegu-1")   # has progress: stays
    change(data / "000" / "contacts.csv", "d000-contact-jung", title="서기관")   # corrected by a person
    add(data / "000" / "contacts.csv", key="imp-c1", person="데이터셋", organisation="d000-org-kamco")   # imported
    change(data / "000" / "meetings.csv", "d000-meet-kickoff", place="서울")   # moved in chat
    change(data / "004" / "contacts.csv", "d004-ct-lim-sanggyu", title="국장")   # imported
    remove(data / "000" / "tasks.csv", "d000-best-07")   # imported


def test_a_newer_dataset_updates_the_database_but_not_what_people_wrote(
        tmp_path: Path, data: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "tf.db"
    store = Store.open(path, data)
    edit_as_people_do(store)
    store.close()
    change_the_dataset(data)

    with caplog.at_level(logging.INFO, logger="store.upgrade"):
        store = Store.open(path, data)
    lines = [r.getMessage() for r in caplog.records if r.name == "store.upgrade"]
    assert any("2 added, 2 changed, 2 removed, 6 kept as a person wrote them, 1 kept because other rows refer "
               "to them" in line for line in lines), lines
    assert any("tasks:d000-proj-daegu-1 is no longer in the dataset but is kept" in line for line in lines), lines

    kamco = store.organisation("d000-org-kamco") or {}
    assert kamco["note"] == "새 메모"
    assert store.aliases("organisation", "d000-org-kamco") == ["캠코", "한국자산관리공사"]
    assert store.phones("contact", "d004-ct-jang-yonghee") == ["044-204-7599"]
    assert (store.program("d000-prog-h2") or {})["period"] == "2027~2029"
    assert [b["amount"] for b in store.budgets("d000-prog-h2")] == [120]
    assert store.one("SELECT 1 FROM budgets WHERE id = 'd000-bud-collab-2021'") is None
    assert store.task("d000-best-09") is None
    assert store.aliases("task", "d000-best-09") == []

    jung = store.contact("d000-contact-jung") or {}
    assert (jung["title"], jung["department"]) == ("사무관", "혁신도시정책과")
    assert (store.contact("imp-c1") or {})["person"] == "김가져옴"
    assert (store.meeting("d000-meet-kickoff") or {})["place"] == "세종청사"
    assert (store.task("d000-best-08") or {})["summary"] == "고친 설명"
    assert (store.contact("d004-ct-lim-sanggyu") or {})["title"] == "과장"
    assert store.task("d000-best-07") is not None
    assert store.task("d000-proj-daegu-1") is not None
    assert store.latest_progress("d000-proj-daegu-1") is not None
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert held_version(store.db) == dataset_version(data)

    engine = Engine(store)
    assert "044-204-7599" in ask(engine, "장용희 연락처").text
    assert "2027~2029" in ask(engine, "수소실증 기간").text

    before = store.generation()
    store.close()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="store.upgrade"):
        again = Store.open(path, data)
    assert [r for r in caplog.records if r.name == "store.upgrade"] == [], "the second open changes nothing"
    assert again.generation() == before
    again.close()


def test_a_later_update_finds_a_kept_row_the_dataset_brings_back(tmp_path: Path, data: Path) -> None:
    path = tmp_path / "tf.db"
    store = Store.open(path, data)
    store.add_progress("d000-proj-daegu-1", 7, "담당", AT, 30, "진행", "착공")
    store.close()
    header, rows = _rows(data / "000" / "tasks.csv")
    remove(data / "000" / "tasks.csv", "d000-proj-daegu-1")
    Store.open(path, data).close()
    _write(data / "000" / "tasks.csv", header, [r | ({"summary": "다시 온 설명"} if r["key"] == "d000-proj-daegu-1"
                                                     else {}) for r in rows])
    store = Store.open(path, data)
    assert (store.task("d000-proj-daegu-1") or {})["summary"] == "다시 온 설명"


def _database_of_today(path: Path, data: Path) -> None:
    """A database as tfbot made it before dataset versions were recorded, with a person's edits."""
    db = connect(path)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, step in MIGRATIONS:
        if name == "009_dataset_version":
            break
        step(db)
        db.execute("INSERT INTO _migrations VALUES (?, 'then')", [name])
    load_dataset(db, data)
    db.execute("UPDATE contacts SET department = '혁신도시정책과' WHERE id = 'd000-contact-jung'")
    db.execute("INSERT INTO row_origins (tbl, row_id, origin, user_id, at) "
               "VALUES ('contacts', 'd000-contact-jung', 'correction', 7, ?)", [AT])
    db.execute("UPDATE meetings SET place = '세종청사' WHERE id = 'd000-meet-kickoff'")
    db.execute("INSERT INTO audit (at, user_id, action, target) VALUES (?, 7, 'meeting_edit', 'd000-meet-kickoff')",
               [AT])
    db.execute("INSERT INTO meetings (id, title, kind, start, created_by) "
               "VALUES ('m-1a2b3c4d', '권역별 TF회의', '회의', '2026-12-03T14:00', 7)")
    db.execute("INSERT INTO audit (at, user_id, action, target) VALUES (?, 7, 'meeting', 'm-1a2b3c4d')", [AT])
    db.execute("INSERT INTO users (user_id, role, added_at) VALUES (7, 'coordinator', 'then')")
    db.execute("INSERT INTO progress (task, user_id, at, status) VALUES ('d000-proj-daegu-1', 7, ?, '진행')", [AT])
    db.close()


def test_a_database_without_a_recorded_version_is_upgraded_safely(tmp_path: Path, data: Path) -> None:
    path = tmp_path / "today.db"
    _database_of_today(path, data)
    change_the_dataset(data)
    store = Store.open(path, data)
    assert held_version(store.db) == dataset_version(data)
    assert (store.organisation("d000-org-kamco") or {})["note"] == "새 메모"
    assert store.phones("contact", "d004-ct-jang-yonghee") == ["044-204-7599"]
    assert store.program("d000-prog-h2") is not None
    assert store.task("d000-best-09") is None and store.task("d000-best-08") is None
    assert store.task("d000-proj-daegu-1") is not None, "progress refers to it"
    assert (store.contact("d000-contact-jung") or {})["department"] == "혁신도시정책과"
    assert (store.meeting("d000-meet-kickoff") or {})["place"] == "세종청사", "the audit log says a person moved it"
    assert store.meeting("m-1a2b3c4d") is not None, "a meeting written in chat is no dataset row"
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_database_without_a_recorded_version_and_the_same_dataset_keeps_every_row(tmp_path: Path,
                                                                                      data: Path) -> None:
    path = tmp_path / "today.db"
    _database_of_today(path, data)
    before = connect(path)
    tables = ("organisations", "contacts", "phones", "aliases", "programs", "tasks", "budgets", "meetings", "facts")
    dump = {t: before.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    before.close()
    store = Store.open(path, data)
    assert {t: store.db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables} == dump
    assert store.setting(VERSION_KEY) == dataset_version(data)
