"""The built-in dataset: totals recomputed from cells, contacts and 평가단 complete, names resolvable."""

from collections import defaultdict
from typing import Any

from store import Store

Row = dict[str, Any]


def _cells(store: Store) -> list[Row]:
    return store.rows("SELECT * FROM budgets WHERE amount IS NOT NULL")


def _same(row: Row, *keys: str) -> tuple[Any, ...]:
    return tuple(row[k] for k in ("program", "source", *keys))


def test_funding_totals_equal_national_plus_local(ro_store: Store) -> None:
    cells = _cells(ro_store)
    checked = 0
    for total in (r for r in cells if r["funding"] == "합계" and r["is_total"]):
        key = _same(total, "year", "phase", "period", "category", "scope")
        parts = [r for r in cells if _same(r, "year", "phase", "period", "category", "scope") == key
                 and r["funding"] in ("국비", "정부", "지방비", "지방비등")]
        if parts:
            assert sum(r["amount"] for r in parts) == total["amount"], total["id"]
            checked += 1
    assert checked >= 10


def test_rnd_plus_non_rnd_equals_national_funding(ro_store: Store) -> None:
    cells = _cells(ro_store)
    checked = 0
    for national in (r for r in cells if r["funding"] == "국비" and r["source"] == "002"):
        key = _same(national, "year", "phase", "period")
        parts = [r for r in cells if _same(r, "year", "phase", "period") == key and r["category"] in ("R&D", "비R&D")]
        if len(parts) == 2:
            assert sum(r["amount"] for r in parts) == national["amount"], national["id"]
            checked += 1
    assert checked >= 8   # '18 '19 '20 1단계 '21 '22 2단계 and 합계(A+B)


def test_phase_subtotals_and_grand_totals_recompute(ro_store: Store) -> None:
    cells = _cells(ro_store)
    rows: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
    for r in cells:
        rows[_same(r, "category", "funding")].append(r)
    checked = 0
    for group in rows.values():
        for sub in (r for r in group if r["is_total"] and r["phase"] is not None and r["year"] is None):
            years = [r for r in group if r["phase"] == sub["phase"] and r["year"] is not None]
            if years:
                assert sum(r["amount"] for r in years) == sub["amount"], sub["id"]
                checked += 1
        subtotals = [r for r in group if r["is_total"] and r["phase"] is not None and r["year"] is None]
        for grand in (r for r in group if r["is_total"] and r["phase"] is None and r["period"] == "2018~2022"
                      and r["source"] == "002"):
            assert sum(r["amount"] for r in subtotals) == grand["amount"], grand["id"]
            checked += 1
    assert checked >= 15


def test_new_plus_continuing_equals_selection_size(ro_store: Store) -> None:
    cells = _cells(ro_store)
    checked = 0
    for total in (r for r in cells if r["is_total"] and not r["scope"] and not r["funding"]):
        parts = [r for r in cells if _same(r, "year") == _same(total, "year") and r["scope"] in ("신규", "계속")]
        if parts:
            assert sum(r["amount"] for r in parts) == total["amount"], total["id"]
            checked += 1
    assert checked >= 2


def test_the_14_evaluation_groups_have_address_and_phones(ro_store: Store) -> None:
    groups = ro_store.rows("SELECT * FROM organisations WHERE kind = '평가단'")
    assert len(groups) == 14
    assert len({g["region"] for g in groups}) == 14
    for g in groups:
        assert g["address"], g["name"]
        assert ro_store.phones("organisation", g["id"]), g["name"]


def test_every_person_with_a_phone_in_the_documents_is_a_contact(ro_store: Store) -> None:
    people = {r["person"] for r in ro_store.rows("SELECT person FROM contacts WHERE person IS NOT NULL")}
    assert {"정승훈", "서가람", "정병찬", "임상규", "최정민", "장용희", "송주호", "배은주"} <= people


def test_the_ten_innovation_city_tasks_and_sixteen_best_practices(ro_store: Store) -> None:
    assert len(ro_store.of_kind("tasks", "협업과제")) == 10
    assert len(ro_store.of_kind("tasks", "우수과제")) == 16
    clusters = ro_store.rows("SELECT * FROM programs WHERE kind = '클러스터'")
    assert len(clusters) == 14
    for cluster in clusters:
        assert {f["phase"] for f in ro_store.fields(cluster["id"])} == {1, 2}, cluster["name"]


def test_old_and_new_program_names_lead_to_one_program(ro_engine: Any) -> None:
    old = ro_engine.match("국가혁신클러스터")[0]
    new = ro_engine.match("지역혁신협력지구(클러스터)")[0]
    assert (old.kind, old.id) == (new.kind, new.id) == ("program", "prog-nic")
