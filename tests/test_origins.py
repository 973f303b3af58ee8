"""Row origins: a row is the dataset's until an import, a correction or a document records otherwise."""

from datetime import UTC, datetime, timedelta

import pytest

from store import Store


def test_a_row_without_a_record_is_the_datasets(store: Store) -> None:
    assert store.origin_of("contacts", "d004-contact-bae").origin == "dataset"
    assert store.edited_rows("contacts") == set()


def test_a_recorded_origin_is_kept_and_replaced(store: Store) -> None:
    store.record_origin("contacts", "c1", "import", "명단.xlsx", 7, "2026-12-02T10:00:00+09:00")
    assert store.origin_of("contacts", "c1").ref == "명단.xlsx"
    store.record_origin("contacts", "c1", "correction", None, 8, "2026-12-03T10:00:00+09:00")
    found = store.origin_of("contacts", "c1")
    assert (found.origin, found.user_id) == ("correction", 8)
    assert store.edited_rows("contacts") == {"c1"}
    assert store.edited_rows("budgets") == set()


def test_an_unknown_origin_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.record_origin("contacts", "c1", "rumour", None, None, "2026-12-02")


def test_choices_accept_the_data_kinds(store: Store) -> None:
    now = datetime(2026, 12, 2, tzinfo=UTC)
    for kind in ("import", "correction", "document"):
        choice_id = store.open_choice(kind, 1, 1, now, now + timedelta(minutes=5), {"x": 1})
        assert store.choice(choice_id) is not None
