"""The store: created and loaded on first use, only migrated afterwards, WAL, every row sourced."""

import sqlite3
from pathlib import Path

import pytest

from store import DatasetError, Store
from store.dataset import DATA_DIR, load_dataset, parse_phone
from store.schema import MIGRATIONS
from store.store import connect


def test_a_missing_database_is_created_migrated_and_loaded(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "new.db")
    names = [r["name"] for r in store.rows("SELECT name FROM _migrations ORDER BY name")]
    assert names == [name for name, _ in MIGRATIONS]
    assert store.count("organisations") > 20
    assert store.count("budgets") > 40
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_existing_database_is_not_reloaded_over_users_edits(tmp_path: Path) -> None:
    path = tmp_path / "tf.db"
    store = Store.open(path)
    store.db.execute("UPDATE organisations SET address = '새 주소' WHERE id = 'org-mss'")
    before = store.count("organisations")
    store.close()
    again = Store.open(path)
    assert again.count("organisations") == before
    assert again.organisation("org-mss")["address"] == "새 주소"


def test_every_row_names_a_known_source(ro_store: Store) -> None:
    sources = {r["id"] for r in ro_store.rows("SELECT id FROM sources")}
    for table in ("organisations", "contacts", "programs", "tasks", "budgets", "fields", "results", "facts",
                  "meetings", "agenda_items"):
        used = {r["source"] for r in ro_store.rows(f"SELECT DISTINCT source FROM {table}")}
        assert used <= sources, table
    assert {"000", "002", "003", "004"} <= {r["source"] for r in ro_store.rows(
        "SELECT DISTINCT source FROM programs UNION SELECT DISTINCT source FROM tasks")}


def test_a_phone_range_is_kept_as_a_range(ro_store: Store) -> None:
    assert parse_phone("044-300-0821~0826") == ("044-300-0821", "0826")
    displays = {r["display"] for r in ro_store.rows("SELECT display FROM phones")}
    assert "044-300-0821~0826" in displays


def test_the_dataset_rejects_a_dangling_reference(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "shared").mkdir(parents=True)
    for name in ("sources.csv", "regions.csv"):
        (data / name).write_text((DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (data / "shared" / "budgets.csv").write_text(
        "key,program,year,phase,period,category,funding,scope,amount,unit,is_total,label,note,source\n"
        "b1,no-such-program,2020,,,,국비,,10,억원,0,,,000\n", encoding="utf-8")
    db = connect(":memory:")
    from store.schema import migrate

    migrate(db)
    with pytest.raises(DatasetError, match="no-such-program"):
        load_dataset(db, data)


def test_two_processes_opening_a_new_file_load_it_once(tmp_path: Path) -> None:
    import multiprocessing

    path = tmp_path / "race.db"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_open, args=(str(path),)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    conn = sqlite3.connect(path)
    single = Store.open(tmp_path / "single.db")
    assert conn.execute("SELECT count(*) FROM budgets").fetchone()[0] == single.count("budgets")


def _open(path: str) -> None:
    Store.open(path).close()


def test_an_older_database_is_migrated_forward_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = connect(path)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, step in MIGRATIONS[:2]:   # a database written before meetings and indexes existed
        step(db)
        db.execute("INSERT INTO _migrations VALUES (?, 'then')", [name])
    load_dataset(db, DATA_DIR)
    db.execute("INSERT INTO users (user_id, role, added_at) VALUES (7, 'member', 'then')")
    db.close()
    store = Store.open(path)
    assert [r["name"] for r in store.rows("SELECT name FROM _migrations ORDER BY name")] == [n for n, _ in MIGRATIONS]
    assert store.user(7)["role"] == "member"
    assert store.meeting("d004-mtg-rec-2023-1")["status"] == "예정"
    assert "progress_reverses" in {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type='index'")}


def test_reference_rows_are_remembered_handed_out_as_copies_and_read_again_after_a_write(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "tf.db")
    first = store.organisation("org-mss")
    assert first is not None
    first["address"] = "호출한 쪽이 바꾼 값"
    again = store.organisation("org-mss")
    assert again is not None and again["address"] != "호출한 쪽이 바꾼 값"
    read = _reads(store)
    assert store.organisation("org-mss") == again and not read, "remembered while nothing changed"
    store.db.execute("UPDATE organisations SET address = '고친 주소' WHERE id = 'org-mss'")
    assert (store.organisation("org-mss") or {})["address"] == "고친 주소", "read again after its own write"
    store.close()


def _reads(store: Store) -> list[str]:
    """The reads of reference tables this store's connection runs from now on."""
    seen: list[str] = []
    store.db.conn.set_trace_callback(lambda sql: seen.append(sql) if "data_generation" not in sql else None)
    return seen


def test_user_data_is_always_read_fresh(store: Store) -> None:
    assert store.user(4242) is None
    store.set_role(None, 4242, "member", "2026-11-01T09:00:00+09:00")
    assert (store.user(4242) or {})["role"] == "member"


def test_large_reference_results_are_read_again_and_the_oldest_kept_result_is_dropped(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("store.freshness.REFERENCE_MAX_ROWS", 1)
    monkeypatch.setattr("store.freshness.REFERENCE_MEMO", 2)
    ministries = store.of_kind("organisations", "부처")
    assert len(ministries) > 1
    for org in ("org-mss", "org-molit", "org-motie"):   # three kept results where only two fit
        store.organisation(org)
    read = _reads(store)
    store.of_kind("organisations", "부처")
    assert len(read) == 1, "a large result is read again"
    store.organisation("org-mss")
    assert len(read) == 2, "the oldest was dropped"
    store.organisation("org-motie")
    assert len(read) == 2, "the newest is still kept"
