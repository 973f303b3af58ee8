"""What the store holds of an entity, and which program a kind, a place or an organisation stands for: plain
functions over the store that the engine picks and routes with."""

import re
from collections import Counter
from collections.abc import Sequence

from intents.answers.common import Ask, budgets_of
from intents.answers.search import as_candidate
from intents.message import Entity
from intents.reading import vocab
from intents.reading.aspect import label_says
from intents.reading.morph import nouns_of
from intents.reading.normalize import compact
from intents.reading.understand import Query, entity_row, region_of
from store.store import Store

ASPECT_COLUMNS = {"lead": "lead", "region": "region", "period": "period"}   # card aspects a row holds as a column


def in_regions(store: Store, subject: Entity, regions: Sequence[str]) -> bool:
    """False when the subject belongs to regions and none of them is asked; a meeting asked with a region
    ("부산권 권역별 TF 회의") must say that region in its title, place or note."""
    row = entity_row(store, subject.kind, subject.id) or {}
    if subject.kind == "meeting" and regions:
        said = " ".join(str(row.get(k) or "") for k in ("title", "place", "note", "attendees"))
        return any(r in said for r in regions)
    own = set(region_of(row))
    return not own or bool(own & set(regions))


def of_regions(store: Store, subject: Entity, q: Query) -> bool:
    """Whether the question's region picked the subject out ("세종도 지역사업평가단 있어?": that one)."""
    row = entity_row(store, subject.kind, subject.id) or {}
    return bool(q.regions) and bool(set(region_of(row)) & set(q.regions))


def results_named(store: Store, ask: Ask, subject: Entity) -> bool:
    """Whether the question names one of the subject's results by all the nouns of its metric (일자리
    창출, 사업화 매출)."""
    unexplained = ask.query.unexplained
    for row in store.results(subject.id):
        nouns = [n for n in nouns_of(str(row["metric"])) if len(n) >= 2]
        if nouns and all(compact(n) in ask.query.compact for n in nouns):
            return True
        if any(n in vocab.RESULTS and n in ask.query.compact for n in nouns):   # "일자리 몇 명": 일자리 창출
            return True
        said = compact(f"{row['metric']} {row['note'] or ''}")   # "정규직 비율": what its note says
        if unexplained and all(w in said for w in unexplained) and any(compact(n) in ask.query.compact
                                                                     for n in nouns):
            return True
    return False


def data_says(store: Store, subject: Entity, word: str) -> bool:
    """Whether anything the store holds of the subject says the word: its row, aliases, facts, results,
    fields, budgets, agenda, the rows under it or led by it, and the people of it or of its document."""
    key = subject.id
    row = entity_row(store, subject.kind, key) or {}
    rows: list[dict[str, object]] = [row, *store.facts(key), *store.results(key), *store.fields(key),
                                     *store.budgets(key), *store.agenda(key)]
    rows += [*store.children("programs", key), *store.children("tasks", key)]
    if subject.kind == "organisation":
        rows += [*store.contacts_of_organisation(key), *store.led_by("programs", key), *store.led_by("tasks", key)]
    elif row.get("source"):
        rows += store.contacts_of_source(str(row["source"]))
    said = compact(" ".join([*store.aliases(subject.kind, key),
                             *(str(v) for r in rows for v in r.values() if isinstance(v, str))]))
    return compact(word) in said


def facts_say(store: Store, q: Query, c: Entity) -> bool:
    """Whether a noun of the question that no name it said covers is in the candidate's facts (발굴)."""
    named = " ".join(compact(m.text) for m in q.mentions)
    said = compact(" ".join(f"{f['attribute']} {f['value']}" for f in store.facts(c.id)))
    return any(len(n) >= 2 and n not in named and n in said for n in nouns_of(q.text))


def is_under(store: Store, child: Entity, parent: Entity) -> bool:
    """Whether a row belongs to a program: linked as its parent, or, where the data does not link them,
    of the kind the program's name says (공공기관 중점 확산 우수과제 → the 우수과제)."""
    row = entity_row(store, child.kind, child.id) or {}
    if row.get("parent"):
        return str(row["parent"]) == parent.id
    return parent.kind == "program" and child.id != parent.id and \
        any(kind == row.get("kind") for _, kind in kinds_named(parent.name))


def same_answer(store: Store, q: Query, options: list[Entity]) -> bool:
    """Whether the options all give the same answer to what is asked (a project and its 협업과제 asked for
    their lead organisation): then there is nothing to choose."""
    columns = [ASPECT_COLUMNS[a] for a in q.aspects if a in ASPECT_COLUMNS]
    if not columns or len(columns) != len(q.aspects):
        return False
    rows = [entity_row(store, c.kind, c.id) or {} for c in options]
    return all(len({str(r.get(col) or "") for r in rows}) == 1 and rows[0].get(col) for col in columns)


def could_answer(store: Store, q: Query, intent: str, c: Entity) -> bool:
    """Whether a candidate holds what is asked: a budget of one, a date of one when a date is asked."""
    if intent == "budget" and c.kind in ("program", "task"):
        return bool(budgets_of(store, c.id)) or bool(store.children("programs", c.id))
    if "time" in q.aspects and c.kind in ("program", "task"):
        return bool(store.meetings_of_program(c.id))
    return True


def has_data_for(store: Store, intent: str, c: Entity) -> bool:
    """Whether the store holds what the question asks about this candidate."""
    if intent == "budget":
        return bool(budgets_of(store, c.id))
    if intent == "contact":
        if c.kind == "meeting":   # a meeting's people are those its document names
            source = (store.meeting(c.id) or {}).get("source")
            return bool(source and store.contacts_of_source(str(source)))
        return c.kind in ("contact", "department") or bool(
            store.phones(c.kind, c.id) or (c.kind == "organisation" and store.has_contacts(c.id)))
    if intent == "meeting":
        return c.kind == "meeting"
    return False


def phases(store: Store, program_id: str) -> set[int]:
    """The phases a program's budgets, fields or facts speak of."""
    phases = {int(r["phase"]) for r in store.budgets(program_id) + store.fields(program_id)
              if r["phase"] is not None}
    text = " ".join(f"{f['attribute']} {f['value']}" for f in store.facts(program_id))
    phases.update(int(n) for n in re.findall(r"([0-9])\s*단계", text))
    return phases


def knows_about(store: Store, org_id: str) -> bool:
    """Whether an organisation has an address, phones, contacts or programs in the store."""
    org = store.organisation(org_id) or {}
    return bool(org.get("address") or store.phones("organisation", org_id) or store.has_contacts(org_id)
                or store.led_by("programs", org_id) or store.led_by("tasks", org_id))


def facts_answer(store: Store, q: Query, c: Entity) -> bool:
    """Whether a fact or agenda item of the candidate is named by a leftover word of the question, or
    said whole by it ("위원회 모두발언 몇 시": the meeting whose agenda has 모두발언)."""
    labels = [compact(str(f["attribute"])) for f in store.facts(c.id)]
    if c.kind == "meeting":
        labels += [compact(str(a["item"])) for a in store.agenda(c.id)]
    return any(w in label for w in q.unexplained for label in labels) or \
        any(len(label) >= 4 and label in q.compact for label in labels) or \
        any(label_says(label, q.aspects) for label in labels if c.kind != "meeting")


def names_under(store: Store, table: str, row: dict[str, object]) -> str:
    """A row's name and its children's names, compacted (a 협업과제 and its 대표프로젝트)."""
    children = store.children(table, str(row["id"])) if table in ("programs", "tasks") else []
    return compact(" ".join([str(row["name"]), *(str(c["name"]) for c in children)]))


def descend(store: Store, q: Query, top: Entity) -> Entity:
    """A program named with a region, or with the organisation that leads one of its parts ("캠코가 맡은
    협업과제"), stands for its one child there or of that organisation."""
    leads = {c.id for m in q.mentions if m.exact for c in m.candidates if c.kind == "organisation"}
    if top.kind not in ("program", "task") or not (q.regions or leads):
        return top
    own = entity_row(store, top.kind, top.id) or {}
    if not q.regions and leads & {str(own.get(k) or "") for k in ("lead", "ministry")}:
        return top   # "중기부 지역산업진흥계획": the organisation's own program, not a part of it

    def there(row: dict[str, object]) -> bool:
        return bool(set(region_of(row)) & set(q.regions)) if q.regions else str(row.get("lead") or "") in leads

    table = "programs" if top.kind == "program" else "tasks"
    children = [(t, c) for t in dict.fromkeys((table, "tasks")) for c in store.children(t, top.id)
                if there(c)]
    if not children:   # not linked in the data: the rows of the kind its name says (…10대 협업과제 → 협업과제)
        kinds = kinds_named(top.name)
        children = [(t, r) for t, kind in kinds for r in store.of_kind(t, kind) if there(r)]
    if len(children) == 1:
        return as_candidate(children[0][0], children[0][1], top.score)
    return top


def program_of_kind(store: Store, rows: list[dict[str, object]], kind: str) -> Entity | None:
    """The one program the rows of a kind belong to: their common parent, or the budgeted program named for it."""
    parents = {str(r.get("parent") or "") for r in rows}
    if len(parents) == 1 and (program := store.program(parents.pop())) is not None:
        return as_candidate("programs", program)
    named = [p for p in store.rows_named_like("programs", kind) if store.budgets(str(p["id"]))]
    return as_candidate("programs", named[0]) if len(named) == 1 else None


def budgeted_kind_owner(store: Store, q: Query) -> Entity | None:
    """The one program that the rows of a kind the question names belong to, when it has budget rows."""
    owners = {o.id: o for table, kind in q.kind_words
              if (o := program_of_kind(store, store.of_kind(table, kind), kind)) is not None
              and budgets_of(store, o.id)}
    return next(iter(owners.values())) if len(owners) == 1 else None


def plan_of(store: Store, org_id: str, year: int | None) -> Entity | None:
    """An organisation's budget as a whole: the one program it leads, under no other, with a year's total
    row (of the year asked) — 중기부's 지역산업진흥계획; None when not exactly one."""
    totals = {str(r["id"]): (r, {int(b["year"]) for b in store.budgets(str(r["id"]))
                                 if b["is_total"] and b["year"] is not None})
              for r in store.led_by("programs", org_id) if not r.get("parent")}
    latest = max((y for _, years in totals.values() for y in years), default=None)
    plans = [r for r, years in totals.values() if (year or latest) in years]   # (올해: the latest year)
    return as_candidate("programs", plans[0]) if len(plans) == 1 else None


def kinds_of_named_area(store: Store, q: Query) -> list[tuple[str, str]]:
    """The kinds whose rows share an area the question names and no name explains ("에너지신산업 대분류에
    들어간 시도", "ICT융합 분야 어디어디"): a field several rows are in names them all."""
    named = {m.best.id for m in q.mentions if m.exact}
    kinds = []
    for table, kind in dict.fromkeys(vocab.KIND_WORDS.values()):
        rows = store.of_kind(table, kind)
        if not named <= {str(r.get("parent") or "") for r in rows}:
            continue   # a name said other than the program the rows are under ("국가혁신클러스터 육성분야에서")
        areas = Counter(compact(str(r.get("area") or "")) for r in rows)
        if any(n >= 2 and len(area) >= 4 and area in q.compact for area, n in areas.items()):
            kinds.append((table, kind))
    return kinds


def described_in_regions(store: Store, q: Query) -> Entity | None:
    """The one program or task of the asked regions whose name or description says every word nothing else
    explained; None when none or several do."""
    if not q.regions or not q.unexplained:
        return None
    found = {(table, str(r["id"])): r for table in ("programs", "tasks") for region in q.regions
             for r in store.in_region(table, region)
             if all(w in compact(f"{r['name']} {r.get('area') or ''} {r.get('summary') or ''}")
                    for w in q.unexplained)
             and set(q.regions) <= set(region_of(r))}
    if len(found) != 1:
        return None
    (table, _), row = next(iter(found.items()))
    return as_candidate(table, row)


def kinds_named(name: str) -> list[tuple[str, str]]:
    """The kinds of rows a program's name says it holds (…10대 협업과제 → 협업과제, … 우수과제 → 우수과제)."""
    said = compact(name)
    return [v for k, v in vocab.KIND_WORDS.items() if k in said]
