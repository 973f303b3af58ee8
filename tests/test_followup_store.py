"""Follow-up in the store: due dates with who, when and origin; action items done once with who and when; the
widened CHECK of migration 014 keeps what it allowed, after 013 (which left choices' kinds to Python)."""

import sqlite3
from datetime import datetime, timedelta

import pytest

from store.errors import InvalidValue, NotFound
from store.schema import MIGRATIONS, _allow
from store.store import Store

AT = "2026-12-02T10:00:00+09:00"
NOW = datetime.fromisoformat(AT)


def test_a_due_date_keeps_who_when_and_its_origin_and_is_audited(store: Store) -> None:
    assert store.set_due(7, "d000-task-busan", "2026-12-20", AT) is None
    found = store.due_of("d000-task-busan")
    assert (found["due"], found["set_by"], found["set_at"], found["origin"]) == ("2026-12-20", 7, AT, "chat")
    assert store.set_due(8, "d000-task-busan", "2026-12-24", AT, "import", "과제.xlsx") == "2026-12-20"
    changed = store.due_of("d000-task-busan")
    assert (changed["origin"], changed["ref"]) == ("import", "과제.xlsx")
    assert store.origin_of("task_deadlines", "d000-task-busan").origin == "import"
    assert store.origin_of("tasks", "d000-task-busan").origin == "dataset"   # the task row itself is untouched
    assert store.set_due(7, "d000-task-busan", None, AT) == "2026-12-24"
    assert store.due_of("d000-task-busan") is None
    assert [(r["action"], r["old"], r["new"]) for r in store.audit_log() if r["action"] == "due"] == [
        ("due", None, "2026-12-20"), ("due", "2026-12-20", "2026-12-24"), ("due", "2026-12-24", None)]


@pytest.mark.parametrize("bad", ["2026-02-30", "12월 20일", "2026-12", ""])
def test_a_due_date_that_is_not_a_day_is_refused(store: Store, bad: str) -> None:
    with pytest.raises(InvalidValue):
        store.set_due(7, "d000-task-busan", bad, AT)
    assert store.due_of("d000-task-busan") is None


def test_an_unknown_task_gets_no_due_date(store: Store) -> None:
    with pytest.raises(NotFound):
        store.set_due(7, "no-such-task", "2026-12-20", AT)


def test_an_action_item_is_done_once_with_who_and_when(store: Store) -> None:
    item = store.add_action(2, AT, "d000-meet-regional", "organisation", "d000-org-kogas", "부지 검토", "2026-12-11")
    assert [r["what"] for r in store.open_actions()] == ["부지 검토"]
    store.mark_done(5, "박담당", item, "2026-12-05T15:00:00+09:00")
    store.mark_done(6, "다른 사람", item, "2026-12-06T15:00:00+09:00")   # a second press changes nothing
    done = store.action(item)
    assert (done["done_by"], done["done_by_name"], done["done_at"]) == (5, "박담당", "2026-12-05T15:00:00+09:00")
    assert store.open_actions() == []
    assert [r["action"] for r in store.audit_log()].count("action_done") == 1


@pytest.mark.parametrize(("kind", "owner", "what", "error"), [
    ("organisation", "no-such-org", "검토", NotFound),
    ("team", "d000-org-kogas", "검토", InvalidValue),
    ("organisation", "d000-org-kogas", "  ", InvalidValue),
])
def test_an_action_item_needs_a_known_owner_and_something_to_do(store: Store, kind: str, owner: str, what: str,
                                                                error: type[Exception]) -> None:
    with pytest.raises(error):
        store.add_action(2, AT, "d000-meet-regional", kind, owner, what, None)
    assert store.count("action_items") == 0


def test_migration_014_after_013_keeps_the_origins_and_every_kind_of_choice(store: Store) -> None:
    names = [name for name, _ in MIGRATIONS]
    assert names.index("012_people_links") < names.index("013_invites") < names.index("014_deadlines")
    opened = NOW + timedelta(minutes=5)
    for kind in ("log", "rsvp", "document", "iam", "link", "due", "action", "action_done"):
        assert store.choice(store.open_choice(kind, 7, 7, NOW, opened, {})) is not None
    with pytest.raises(ValueError):   # kinds are checked where a choice is opened (013 dropped the CHECK)
        store.open_choice("rumour", 7, 7, NOW, opened, {})
    for origin in ("dataset", "import", "correction", "document", "chat"):
        store.record_origin("task_deadlines", f"t-{origin}", origin, None, None, AT)
    with pytest.raises(sqlite3.IntegrityError):   # the CHECK 014 widened still refuses what it never allowed
        store.db.execute("INSERT INTO row_origins (tbl, row_id, origin, at) "
                         "VALUES ('task_deadlines', 'x', 'rumour', ?)", [AT])
    indexes = {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"choices_expiry", "choices_user", "task_deadlines_due"} <= indexes


def test_widening_a_check_keeps_values_another_migration_added(store: Store) -> None:
    _allow(store.db, "row_origins", "origin", ("sheet",))   # as if an earlier migration had added an origin
    _allow(store.db, "row_origins", "origin", ("chat", "sheet", "later"))
    sql = store.one("SELECT sql FROM sqlite_master WHERE name = 'row_origins'")["sql"]
    assert sql.count("'sheet'") == 1 and sql.count("'chat'") == 1 and "'later'" in sql and "'dataset'" in sql
    with pytest.raises(ValueError):   # 013 left choices without a CHECK on kind: nothing there to widen
        _allow(store.db, "choices", "kind", ("later",))
