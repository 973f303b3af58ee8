"""Who is who in the store: links asked and confirmed, task owners reaching users, away dates."""

from datetime import date

import pytest

from store.errors import InvalidValue, NotFound
from store.store import Store

AT = "2026-12-02T10:00:00"


def _users(store: Store) -> None:
    store.set_role(None, 101, "member", AT, name="가")
    store.set_role(None, 102, "coordinator", AT, name="나")


def test_a_link_reaches_owners_only_once_confirmed(store: Store) -> None:
    _users(store)
    store.request_link(101, AT, contact="d000-contact-jung")
    assert store.link_of(101)["state"] == "requested"
    assert store.users_for("contact", "d000-contact-jung") == []
    assert [r["user_id"] for r in store.requested_links()] == [101]
    store.confirm_link(1, 101, AT)
    assert store.users_for("contact", "d000-contact-jung") == [101]
    # the contact's organisation reaches its confirmed contacts' users, and users linked to it directly
    store.request_link(102, AT, organisation="org-molit")
    store.confirm_link(1, 102, AT)
    assert store.users_for("organisation", "org-molit") == [101, 102]
    assert store.requested_links() == []


def test_task_owners_default_to_the_lead_organisation(store: Store) -> None:
    _users(store)
    store.request_link(102, AT, organisation="d000-org-kamco")
    store.confirm_link(1, 102, AT)
    assert store.task_owners("d000-task-busan") == [{"owner_kind": "organisation", "owner_id": "d000-org-kamco"}]
    assert store.task_owner_users("d000-task-busan") == [102]
    assert store.add_task_owner(1, "d000-task-busan", "user", "101", AT)
    assert not store.add_task_owner(1, "d000-task-busan", "user", "101", AT)
    assert store.task_owner_users("d000-task-busan") == [101]   # explicit owners replace the lead


def test_bad_links_change_nothing(store: Store) -> None:
    _users(store)
    with pytest.raises(NotFound):
        store.request_link(999, AT, contact="d000-contact-jung")
    with pytest.raises(NotFound):
        store.request_link(101, AT, contact="no-such-contact")
    with pytest.raises(InvalidValue):
        store.request_link(101, AT, contact="d000-contact-jung", organisation="org-molit")
    with pytest.raises(NotFound):
        store.add_task_owner(1, "no-such-task", "user", "101", AT)
    with pytest.raises(InvalidValue):
        store.add_task_owner(1, "d000-task-busan", "team", "x", AT)
    assert store.link_of(101) is None and store.task_owners("d000-task-busan")[0]["owner_kind"] == "organisation"


def test_removing_a_user_drops_their_link(store: Store) -> None:
    _users(store)
    store.request_link(101, AT, contact="d000-contact-jung")
    store.confirm_link(1, 101, AT)
    store.remove_user(1, 101, AT)
    assert store.link_of(101) is None and store.users_for("contact", "d000-contact-jung") == []


def test_away_until_a_day_inclusive(store: Store) -> None:
    _users(store)
    store.set_away(101, date(2026, 12, 24), AT)
    assert store.is_away(101, date(2026, 12, 24)) and not store.is_away(101, date(2026, 12, 25))
    assert [r["user_id"] for r in store.away_users(date(2026, 12, 3))] == [101]
    store.set_away(101, None, AT)
    assert not store.is_away(101, date(2026, 12, 3))
    with pytest.raises(NotFound):
        store.set_away(999, date(2026, 12, 24), AT)
