"""The store: created and loaded on first use, only migrated afterwards, WAL, every row sourced."""

import re
import sqlite3
from pathlib import Path

import pytest

from store import DatasetError, Store
from store.dataset import DATA_DIR, load_dataset, parse_phone
from store.schema import MIGRATIONS
from store.store import REFERENCE_TABLES, connect


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


def test_reference_rows_are_remembered_handed_out_as_copies_and_read_again_when_reopened(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "tf.db")
    first = store.organisation("org-mss")
    assert first is not None
    first["address"] = "호출한 쪽이 바꾼 값"
    again = store.organisation("org-mss")
    assert again is not None and again["address"] != "호출한 쪽이 바꾼 값"
    store.db.execute("UPDATE organisations SET address = '고친 주소' WHERE id = 'org-mss'")
    assert store.organisation("org-mss") == again, "remembered while the store is open"
    store.close()
    reopened = Store.open(tmp_path / "tf.db")
    assert (reopened.organisation("org-mss") or {})["address"] == "고친 주소"
    reopened.close()


def test_user_data_is_always_read_fresh(store: Store) -> None:
    assert store.user(4242) is None
    store.set_role(None, 4242, "member", "2026-11-01T09:00:00+09:00")
    assert (store.user(4242) or {})["role"] == "member"


# writers of reference tables beside the loader and migrations, each of which forgets what its Store remembers
# when it writes (the cross-process case is the freshness work of issue 11)
FORGETTING_WRITERS = ("documents.py",)


def test_reference_tables_are_written_only_when_the_dataset_is_loaded() -> None:
    """What a Store remembers stays true: no code outside the loader, migrations and the writers that forget
    what their Store remembers writes those tables."""
    root = Path(__file__).resolve().parent.parent
    write = re.compile(r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\[?(\w+)",
                       re.IGNORECASE)
    table_write = re.compile(r"""(?:\.table\(|db\[)["'](\w+)["']\]?\)?\.(?:insert|upsert|update|delete)""")
    offenders = []
    for path in [*root.glob("store/*.py"), *root.glob("intents/*.py"), *root.glob("bot/*.py")]:
        if path.name in ("dataset.py", "schema.py"):
            continue
        if path.name in FORGETTING_WRITERS:
            assert "self._remembered.clear()" in path.read_text(encoding="utf-8"), path.name
            continue
        text = path.read_text(encoding="utf-8")
        if path.name == "corrections.py" and "self.forget()" in text:
            continue
        for table in [*write.findall(text), *table_write.findall(text)]:
            if table in REFERENCE_TABLES:
                offenders.append(f"{path.name}: {table}")
    assert not offenders


def test_large_reference_results_are_read_again_and_the_oldest_kept_result_is_dropped(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("store.store.REFERENCE_MAX_ROWS", 1)
    monkeypatch.setattr("store.store.REFERENCE_MEMO", 2)
    ministries = store.of_kind("organisations", "부처")
    assert len(ministries) > 1
    for org in ("org-mss", "org-molit", "org-motie"):   # three kept results where only two fit
        store.organisation(org)
    store.db.execute("UPDATE organisations SET address = '새 주소' WHERE id IN ('org-mss', 'org-motie')")
    assert {r["id"]: r["address"] for r in store.of_kind("organisations", "부처")}["org-mss"] == "새 주소"
    assert (store.organisation("org-mss") or {})["address"] == "새 주소", "the oldest was dropped"
    assert (store.organisation("org-motie") or {})["address"] != "새 주소", "the newest is still kept"
