"""Listing and search: tasks, programs, clusters or 평가단 by region, organisation, area or topic."""

import re

from intents.answers.common import Ask, finish, nothing
from intents.answers.render import name_of, regions_text, when
from intents.message import Entity, Reply
from intents.reading.normalize import compact, particle
from intents.reading.understand import entity_row, region_of
from store.store import Row, Store

MAX_TOPIC = 30
MAX_NAMED = 20   # names in a list's first line
_TABLE_KIND = {"tasks": "task", "programs": "program", "organisations": "organisation"}


def filter_rows(ask: Ask, rows: list[Row], table: str) -> list[Row]:
    """Keep rows in the asked regions, led by the asked organisations, in the asked area."""
    q = ask.query
    if q.cities and table == "tasks":
        rows = [r for r in rows if r.get("innovation_city") in q.cities]
    elif q.regions:
        rows = [r for r in rows if set(region_of(r)) & set(q.regions)]
    named = ([ask.subject] if ask.subject else []) + ask.others
    orgs = [c.id for c in named if c.kind == "organisation"]
    if orgs and table != "organisations":
        rows = [r for r in rows if r.get("lead") in orgs or r.get("ministry") in orgs]
    areas = {str(r.get("area")) for r in rows if r.get("area")}
    asked_areas = [a for a in areas if compact(a) in q.compact]
    if asked_areas:
        rows = [r for r in rows if r.get("area") in asked_areas]
    return rows


def row_line(store: Store, row: Row) -> str:
    """One listed row: name, lead, region, area."""
    extra = [v for v in (name_of(store, row.get("lead")) if row.get("lead") else "", regions_text(row),
                         str(row.get("innovation_city") or ""), str(row.get("area") or "")) if v]
    return f"• {row['name']}" + (f" ({', '.join(dict.fromkeys(extra))})" if extra else "")


def as_candidate(table: str, row: Row, score: float = 100.0) -> Entity:
    """A listed row as a matched entity."""
    return Entity(_TABLE_KIND[table], str(row["id"]), str(row["name"]), score)


def answer_list(ask: Ask, table: str, kind: str, rows: list[Row], checked: tuple[str, ...] = ()) -> Reply:
    """목록·검색 — 지역, 기관, 분야별 과제·사업·평가단 목록 (예: 부산 협업과제, 한국전력이 맡은 협업과제).

    `checked`: places asked whether they are among the rows ("울산도 들어가나?"), answered after the list."""
    store = ask.store
    if not rows:
        return nothing(ask, "search", f"조건에 맞는 {kind}을(를)")
    where = f" ({', '.join(ask.query.regions)})" if ask.query.regions and not checked else ""
    lines = [f"{kind}{where} {len(rows)}개: " + ", ".join(str(r["name"]) for r in rows[:MAX_NAMED]), ""]
    for place in checked:
        holding = [str(r["name"]) for r in rows if place in region_of(r)]
        lines.insert(1, f"예 — {place}: {', '.join(holding)}" if holding
                     else f"아니요 — {particle(place, '은', '는')} 들어 있지 않습니다.")
    areas = list(dict.fromkeys(str(r["area"]) for r in rows if r.get("area")))
    if {"field", "type"} & set(ask.aspects()) and 1 < len(areas) < len(rows):   # "3대 분야가 뭐뭐": the fields
        lines = [f"{kind}{where}의 분야 {len(areas)}개: {', '.join(areas)} ({len(rows)}개 {kind})", *lines]
    places = list(dict.fromkeys(p for r in rows for p in region_of(r)))
    counted = {"region", "count"} <= set(ask.aspects()) and len(rows) > 1 and bool(places)
    if counted:   # "참여하는 시도 다 세면 몇 곳": the regions of all of them, each once
        lines = [f"[{kind}] 시·도", f"{kind}{where} {len(rows)}개에 든 시·도 {len(places)}곳 (겹치는 곳은 한 번): "
                 f"{', '.join(places)}", *lines]
    lines.extend(row_line(store, r) for r in rows)
    ents = [as_candidate(table, r) for r in rows]
    return finish(ask, "search", lines, [r["source"] for r in rows], entities=ents, asked=int(counted))


_COUNT_SAID = re.compile(r"(\d+)개")   # "4개 사업": how many the asker expects


def answer_led(ask: Ask) -> Reply | None:
    """기관이 맡은 과제·사업: what an organisation leads; None when it leads nothing in the store."""
    store, subject = ask.store, ask.subject
    if subject is None:
        return None
    rows = [("tasks", r) for r in store.led_by("tasks", subject.id) if r["kind"] != "대표프로젝트"]
    rows += [("programs", r) for r in store.led_by("programs", subject.id)]
    if not rows:
        return None
    said = _COUNT_SAID.search(ask.query.compact)
    years: list[int] = []
    if ask.query.year is not None:
        years = [ask.query.year]
    elif said is not None:   # the latest year any of its programs has money in
        years = sorted({int(b["year"]) for t, r in rows if t == "programs"
                        for b in store.budgets(str(r["id"])) if b["year"]}, reverse=True)[:1]
    for year in years:   # "산업부 23년 지역사업 사업명", "지역사업 4개 이름": its programs with money that year
        funded = [(t, r) for t, r in rows           # (the latest, when a count is said), not a plan of them
                  if t == "programs" and any(b["year"] == year for b in store.budgets(str(r["id"])))]
        ids = {str(r["id"]) for _, r in funded}
        plans = {str(r["parent"]) for _, r in funded if r.get("parent")} | {
            str(p["id"]) for _, p in funded if ids & set(store.filed_under(str(p["id"]), str(p["name"])))}
        kept = [(t, r) for t, r in funded if str(r["id"]) not in plans]
        if len(kept) >= 2 and (ask.query.year is not None or (said is not None and int(said.group(1)) == len(kept))):
            rows = kept
    where = ask.query.has("어디", "혁신도시")   # "NIPA가 맡은 혁신도시가 어디였지": the places too
    names = ", ".join(str(r["name"]) + (f" ({r.get('innovation_city') or regions_text(r)})" if where and (
        r.get("innovation_city") or regions_text(r)) else "") for _, r in rows[:MAX_NAMED])
    lines = [f"[{subject.name}] 맡은 과제·사업", f"{len(rows)}개: {names}"]
    for table, row in rows:
        lines.append(row_line(store, row))
        lines.extend(f"  - {c['name']}" for c in store.children(table, str(row["id"])))
    return finish(ask, "search", lines, [r["source"] for _, r in rows],
                  entities=[subject, *(as_candidate(t, r) for t, r in rows)])


def answer_region(ask: Ask) -> Reply:
    """지역 현황: everything the store knows in the asked regions."""
    store = ask.store
    lines: list[str] = []
    sources: list[str] = []
    ents: list[Entity] = []
    if "lead" in ask.aspects():   # "광주전남은 어디가 주도해?": who leads the 협업과제 there, first
        lines.extend(_leads_in(store, ask.query.cities, ask.query.regions))
    for city in ask.query.cities:
        rows = store.tasks_in_city(city)
        lines.append(f"[{city} 혁신도시] 과제")
        lines.extend(row_line(store, r) for r in rows)
        sources.extend(r["source"] for r in rows)
        ents.extend(as_candidate("tasks", r) for r in rows)
    for region in [] if ask.query.cities else ask.query.regions:
        lines.append(f"[{region}] 관련 자료")
        for table, title in (("tasks", "과제"), ("programs", "사업"), ("organisations", "기관")):
            rows = store.in_region(table, region) if table != "organisations" else \
                store.organisations_in_region(region)
            if rows:
                lines.append(f"{title}:")
                lines.extend(row_line(store, r) for r in rows[:20])
                sources.extend(r["source"] for r in rows[:20])
                ents.extend(as_candidate(table, r) for r in rows[:20])
    if not ents:
        return nothing(ask, "search", "해당 지역의 자료를")
    return finish(ask, "search", lines, sources, entities=ents)


def answer_not_in_regions(ask: Ask) -> Reply:
    """아니요: the subject is not in the regions a yes/no question asks about; the regions it is in."""
    store, subject = ask.store, ask.subject
    assert subject is not None
    row = entity_row(store, subject.kind, subject.id)
    asked = "·".join(ask.query.regions)
    if not row or not region_of(row):
        return nothing(ask, "search", f"'{subject.name}'의 지역을")
    # where the asked place is instead, among the rows of the same kind ("경남은 조선해양 협력권에")
    table = "programs" if subject.kind == "program" else "tasks"
    instead = [str(r["name"]) for r in store.of_kind(table, str(row.get("kind") or ""))
               if set(ask.query.regions) & set(region_of(r))] if subject.kind in ("program", "task") else []
    there = f" {asked}: {', '.join(instead)}" if instead else ""
    lines = [f"[{subject.name}] 지역", f"아니요 — {particle(asked, '은', '는')} 들어 있지 않습니다. "
             f"{subject.name}: {regions_text(row)}.{there}"]
    return finish(ask, "search", lines, [str(row["source"])])


def _leads_in(store: Store, cities: tuple[str, ...], regions: tuple[str, ...]) -> list[str]:
    """One line naming the organisations that lead the 협업과제 of the asked 혁신도시 or 시·도 (none when
    none are there)."""
    rows = [r for city in cities for r in store.tasks_in_city(city)] if cities else \
        [r for r in store.of_kind("tasks", "협업과제") if set(regions) <= set(region_of(r))]
    rows = [r for r in rows if r.get("kind") == "협업과제" and r.get("lead")]
    if not rows:
        return []
    where = " ".join(cities) if cities else "·".join(regions)
    leads = ", ".join(f"{name_of(store, r['lead'])} ({r['name']})" for r in rows)
    return [f"{where} 협업과제 주관기관: {leads}", ""]


def answer_topic(ask: Ask, candidates: list[Entity], words: list[str]) -> Reply:
    """검색: programs and tasks whose names, aliases or areas contain the asked words."""
    store = ask.store
    rows: dict[str, tuple[str, Row]] = {}
    for c in candidates:
        if c.kind in ("program", "task"):
            row = store.program(c.id) if c.kind == "program" else store.task(c.id)
            if row:
                rows[c.id] = ("programs" if c.kind == "program" else "tasks", row)
    for table in ("tasks", "programs"):
        for word in words:
            for row in store.rows_named_like(table, word):
                rows.setdefault(str(row["id"]), (table, row))
    found = list(rows.values())[:MAX_TOPIC]
    if not found:
        return nothing(ask, "search", "관련된 사업이나 과제를")
    head = f"'{' '.join(words)}' 관련 사업·과제 {len(found)}건" + (" (앞의 30건)" if len(rows) > MAX_TOPIC else "")
    names = ", ".join(str(r["name"]) for _, r in found[:MAX_NAMED])
    lines = [f"{head}: {names}" + (" …" if len(found) > MAX_NAMED else ""), ""]   # the names first, then each
    lines.extend(row_line(store, r) for _, r in found)
    return finish(ask, "search", lines, [r["source"] for _, r in found],
                  entities=[as_candidate(t, r) for t, r in found])


def answer_series(ask: Ask, said: str, options: list[Entity]) -> Reply:
    """검색: the rows whose names begin with what was said (실물경제 현장 점검회의 (철강), (기계) …), all of them,
    the part each name adds first, with its date when it is a meeting."""
    store = ask.store
    rows = [(c, entity_row(store, c.kind, c.id) or {}) for c in options]
    base = min((c.name for c in options), key=len)
    common = next((base[:i] for i in range(len(base), 0, -1) if all(c.name.startswith(base[:i]) for c in options)),
                  said)
    if all(row.get("start") for _, row in rows):   # a series of meetings, in the order they were held
        rows.sort(key=lambda pair: str(pair[1]["start"]))
        options = [c for c, _ in rows]
    common = common.rstrip(" (·-")
    parts = [_enclosed(c.name[len(common):].strip(" ·-")) or c.name for c in options]
    lines = [f"{common} {len(options)}건: {', '.join(parts)}", ""]
    for c, row in rows:
        dated = when(str(row["start"])[:10]) if row.get("start") else ""
        lines.append(f"• {c.name}" + (f" — {dated}" if dated else ""))
    return finish(ask, "search", lines, [str(r.get("source") or "") for _, r in rows if r.get("source")],
                  entities=list(options), asked=1)


def _enclosed(text: str) -> str:
    """A text without the one pair of parentheses around it: "(생명공학(바이오))" → "생명공학(바이오)"."""
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text
