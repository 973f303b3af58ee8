"""The view-only copy `tfbot web` serves: only the public tables, no Telegram id anywhere in it, refreshed when
what it shows changes, and the saved queries over it."""

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from store import Store
from store.corrections import Change
from store.documents import NewDocument
from store.errors import CannotOpen, NotADatabase, NotTfbotDatabase
from store.public_copy import PublicCopy, check_live, depends_on, followed_tables, live_tables_read
from store.public_tables import TABLES, saved_queries
from store.reminders import ReminderKey
from tests.conftest import NOW

USER, OTHER, ADMIN = 7350012345, 7350067890, 7350011111   # Telegram user ids
CHAT = -1001987654321                                     # a group chat id
AT = NOW.isoformat()
GREEN = "d000-task-daegu"   # 그린에너지 캠퍼스 구축


def _every_id_written(store: Store) -> None:
    """Write the Telegram ids into every place the live database keeps one."""
    store.set_role(None, ADMIN, "admin", AT, "관리자")
    store.set_role(ADMIN, USER, "coordinator", AT, "김코디")
    store.set_role(ADMIN, OTHER, "member", AT)                 # no name: the view must not fall back to the id
    store.add_progress(GREEN, USER, "김코디", AT, 40, "진행", "기본설계")
    store.add_progress(GREEN, OTHER, None, AT, 45, "지연", "부지 협의")
    meeting = store.add_meeting(USER, AT, "웹 보기 점검 회의", "2026-12-03T14:00:00+09:00", None, None, "영상")
    store.respond(meeting, USER, "김코디", "참석", AT)
    store.respond(meeting, OTHER, None, "불참", AT)
    store.remember_private_chat(USER, USER, AT)
    store.set_setting(ADMIN, AT, "group_chat", str(CHAT))
    store.claim_reminder(ReminderKey(meeting, "2026-12-03T14:00:00+09:00", 3600, CHAT), AT)
    store.request_link(USER, AT, contact="d000-contact-jung")
    store.confirm_link(ADMIN, USER, AT)
    store.add_task_owner(ADMIN, GREEN, "user", str(OTHER), AT)
    store.add_task_owner(ADMIN, GREEN, "contact", "d000-contact-jung", AT)
    store.set_away(OTHER, NOW.date() + timedelta(days=3), AT)
    store.open_choice("log", USER, CHAT, NOW, NOW + timedelta(minutes=5), {"by": USER})
    doc = NewDocument("보도자료.txt", "txt", "ab" * 32, "광주 에너지 보도자료", "광주광역시", "2026-11-20", None,
                      "광주 에너지밸리 본문", (("광주 에너지밸리 본문", "광주에너지밸리본문"),))
    store.add_document(doc, [], USER, AT)
    store.correct([Change("contacts", "d000-contact-jung", "department", store.current(
        "contacts", "d000-contact-jung", "department"), "혁신도시정책과")], USER, "김코디", AT)


@pytest.fixture
def live(store: Store) -> Store:
    """A live database (WAL, written by the store) holding Telegram ids everywhere it keeps them."""
    _every_id_written(store)
    return store


@pytest.fixture
def copy(live: Store, tmp_path: Path) -> Iterator[PublicCopy]:
    """The view-only copy of `live`."""
    made = PublicCopy.create(Path(str(live.path())), tmp_path / "view.db")
    yield made
    made.close()


def _view(copy: PublicCopy) -> sqlite3.Connection:
    return sqlite3.connect(f"{copy.target.absolute().as_uri()}?mode=ro", uri=True)


def test_the_copy_holds_the_public_tables_and_no_telegram_id(copy: PublicCopy) -> None:
    view = _view(copy)
    names = {r[0] for r in view.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert names == {t.name for t in TABLES}
    shown = []
    for table in names:
        shown.extend(str(v) for row in view.execute(f'SELECT * FROM "{table}"') for v in row if v is not None)
    text = "\n".join(shown)
    for secret in (USER, OTHER, ADMIN, CHAT, abs(CHAT)):
        assert str(secret) not in text, secret
    columns = {r[1] for t in names for r in view.execute(f"PRAGMA table_info('{t}')")}
    assert not columns & {"user_id", "chat_id", "added_by", "created_by", "confirmed_by", "owner_id"}
    # what coordinators came for is there: the latest progress, who logged it by name, the contact owner
    green = view.execute("SELECT 진행률, 상태, 메모, 기록자 FROM tasks WHERE id = ?", [GREEN]).fetchone()
    assert green == (45, "지연", "부지 협의", "이름 없는 사용자")
    assert view.execute("SELECT 기록자 FROM progress ORDER BY id").fetchall() == [("김코디",), ("이름 없는 사용자",)]
    assert view.execute("SELECT 과제, 담당자, 기관 FROM task_owners").fetchall() == [
        (GREEN, "d000-contact-jung", None)]
    assert view.execute("SELECT 참석, 불참 FROM meetings WHERE 회의명 = '웹 보기 점검 회의'").fetchone() == (1, 1)
    assert view.execute("SELECT 부서 FROM contacts WHERE id = 'd000-contact-jung'").fetchone() == ("혁신도시정책과",)
    assert view.execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_every_live_table_the_copy_reads_is_followed() -> None:
    assert "progress" in live_tables_read() and live_tables_read() <= followed_tables()
    assert all(depends_on(t) for t in TABLES)
    assert {t.name for t in TABLES if "progress" in depends_on(t)} == {"tasks", "progress"}


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    view = sqlite3.connect(path)
    return {t.name: sorted(view.execute(f'SELECT * FROM "{t.name}"').fetchall(), key=repr) for t in TABLES}


def test_a_copy_kept_up_to_date_equals_a_fresh_one(live: Store, copy: PublicCopy, tmp_path: Path) -> None:
    later = (NOW + timedelta(minutes=1)).isoformat()
    live.add_progress("d000-task-busan", USER, "김코디", later, 10, "진행", "착수")
    assert copy.refresh()
    live.undo_progress(OTHER, later, AT)                        # takes back an entry copied before
    live.add_progress("d000-task-ulsan", OTHER, None, later, 5, "계획", "")
    assert copy.refresh()
    live.db.execute("DELETE FROM progress WHERE id = 1")      # rows gone, as after restoring an older backup
    live.add_progress("d000-task-ulsan", OTHER, None, later, 6, "진행", "")
    assert copy.refresh()
    live.add_task_owner(ADMIN, "d000-task-ulsan", "organisation", "d000-org-knoc", later)
    live.respond(str(live.db.execute("SELECT id FROM meetings WHERE created_by = ?", [USER]).fetchone()[0]),
                 ADMIN, "관리자", "참석", later)
    assert copy.refresh()
    fresh = PublicCopy.create(Path(str(live.path())), tmp_path / "fresh.db")
    assert _dump(copy.target) == _dump(fresh.target)
    fresh.close()


def test_the_copy_follows_what_it_shows_and_only_that(live: Store, copy: PublicCopy) -> None:
    assert not copy.refresh()   # nothing committed since
    live.open_choice("log", USER, CHAT, NOW, NOW + timedelta(minutes=5), {"by": USER})
    assert not copy.refresh()   # a commit to a table the view does not show: not copied again
    live.add_progress(GREEN, USER, "김코디", AT, 60, "진행", "실시설계")
    assert copy.refresh()
    view = _view(copy)
    assert view.execute("SELECT 진행률, 메모 FROM tasks WHERE id = ?", [GREEN]).fetchone() == (60, "실시설계")
    meeting = view.execute("SELECT id FROM meetings WHERE 회의명 = '웹 보기 점검 회의'").fetchone()[0]
    live.respond(meeting, OTHER, None, "참석", (NOW + timedelta(minutes=1)).isoformat())
    assert copy.refresh()
    assert view.execute("SELECT 참석, 불참 FROM meetings WHERE id = ?", [meeting]).fetchone() == (2, 0)
    live.undo_progress(USER, (NOW + timedelta(minutes=2)).isoformat(), AT)
    assert copy.refresh()
    assert view.execute("SELECT 진행률 FROM tasks WHERE id = ?", [GREEN]).fetchone() == (45,)


def _run(copy: PublicCopy, name: str, params: dict[str, str] | None = None) -> list[dict[str, object]]:
    sql = next(q.sql for q in saved_queries(14) if q.name == name)
    view = _view(copy)
    view.row_factory = sqlite3.Row
    return [dict(r) for r in view.execute(sql, params or {})]


def test_late_tasks(live: Store, copy: PublicCopy) -> None:
    long_ago = (datetime.now(NOW.tzinfo) - timedelta(days=30)).isoformat()
    live.add_progress("d000-task-busan", USER, "김코디", long_ago, 20, "진행", "")
    live.add_progress("d000-task-naju", USER, "김코디", long_ago, 100, "완료", "")
    live.add_progress("d000-task-ulsan", USER, "김코디", datetime.now(NOW.tzinfo).isoformat(), 10, "진행", "")
    copy.refresh()
    rows = {r["id"]: r["사유"] for r in _run(copy, "late_tasks")}
    assert next(iter(rows)) == GREEN and rows[GREEN] == "상태: 지연"
    assert rows["d000-task-busan"] in ("30일째 기록 없음", "29일째 기록 없음")
    assert "d000-task-naju" not in rows and "d000-task-ulsan" not in rows   # finished; logged today
    assert "진행 기록 없음" in rows.values()   # the 협업과제 never logged


def test_budgets_by_region(copy: PublicCopy) -> None:
    every = _run(copy, "budgets_by_region", {"지역": ""})
    assert len(every) == _view(copy).execute("SELECT count(*) FROM budgets").fetchone()[0]
    gangwon = _run(copy, "budgets_by_region", {"지역": "강원"})
    assert gangwon[0]["지역"] == "강원" and gangwon[0]["사업명"] == "강원 국가혁신클러스터"
    assert {r["지역"] for r in gangwon} == {"강원", "여러 지역"}   # and the national programs 강원 is part of


def test_check_live_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(CannotOpen, match="데이터베이스 파일이 없습니다"):
        check_live(tmp_path / "none.db")
    with pytest.raises(CannotOpen, match="폴더가 없습니다"):
        check_live(tmp_path / "no" / "tf.db")
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(NotADatabase):
        check_live(tmp_path / "junk.db")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(NotTfbotDatabase):
        check_live(tmp_path / "other.db")
    Store.open(tmp_path / "old.db").close()
    old = sqlite3.connect(tmp_path / "old.db")
    old.execute("DELETE FROM _migrations WHERE name = (SELECT max(name) FROM _migrations)")
    old.commit()
    old.close()
    with pytest.raises(CannotOpen, match="오래된 데이터베이스"):
        check_live(tmp_path / "old.db")
