"""Questions that name no entity: budgets by their qualifiers alone, facts and results by topic words."""

import re
from dataclasses import dataclass, replace

from intents.answers.budget import answer_budget, select
from intents.answers.common import Ask, finish
from intents.answers.compute import result_arithmetic, result_operation
from intents.answers.meeting import answer_meeting, titled
from intents.answers.render import cited
from intents.message import Entity, Reply
from intents.reading.morph import has_noun, is_verb, noun_head
from intents.reading.normalize import compact
from intents.reading.understand import region_of
from intents.reading.vocab import is_generic, is_question_word
from store.store import Row, Store

MAX_PROGRAMS = 1
MAX_FACTS = 6


@dataclass(frozen=True)
class Topic:
    """A fact, result or agenda item with its label and text pre-normalised for word search."""

    table: str
    row: Row
    head: str
    body: str


def build_topics(store: Store) -> list[Topic]:
    """Every fact, result and agenda item, normalised once (the engine keeps this between questions)."""
    out = []
    for table, label, detail in (("facts", "attribute", "value"), ("results", "metric", "note"),
                                 ("agenda_items", "item", "note")):
        for row in store.all_of(table):
            out.append(Topic(table, row, compact(str(row[label])), compact(str(row[detail] or ""))))
    return out


def answer_without_subject(ask: Ask, intent: str, topics: list[Topic]) -> Reply | None:
    """Answer from qualifiers or topic words when no name was recognised; None when unsure."""
    clear = not ask.query.unexplained
    said = topics_said(ask, topics)   # "안건 의결 및 보고 순서는 몇 시": an agenda item said whole
    if said is not None:
        return said
    if intent == "meeting" and titled(ask):
        return answer_meeting(ask)
    if intent == "budget" and clear:
        reply = _budget_by_qualifiers(ask)
        if reply is not None:
            return reply
    reply = _facts_by_topic(ask, topics)
    if reply is not None:
        return reply
    if intent == "meeting" and clear:
        return answer_meeting(ask)
    return None


def _budget_by_qualifiers(ask: Ask) -> Reply | None:
    q = ask.query
    if q.phase is None and q.year is None and q.period is None:
        return None
    by_program: dict[str, list[Row]] = {}
    for row in ask.store.dated_budgets():
        by_program.setdefault(str(row["program"]), []).append(row)
    matching = [pid for pid, rows in by_program.items() if select(rows, ask)]
    # a child program whose parent also matches is part of the parent's answer
    chosen = [pid for pid in matching if str((ask.store.program(pid) or {}).get("parent") or "") not in matching]
    if len(chosen) != MAX_PROGRAMS:
        return None
    program = ask.store.program(chosen[0]) or ask.store.task(chosen[0])
    if program is None:
        return None
    kind = "program" if ask.store.program(chosen[0]) else "task"
    ask.subject = Entity(kind, str(program["id"]), str(program["name"]), 80.0)
    return answer_budget(ask)


def _topic_words(ask: Ask) -> list[str]:
    # (not a bound noun or a counter with its particle: 중에, 건이)
    heads = (noun_head(w) for w in ask.content_words() if has_noun(w))   # 얼마라고 → 얼마, 정규직이 → 정규직
    # not verb forms (했었나) nor question words (얼마): what the question asks with, not what it asks about
    return [w for w in heads if len(w) >= 2 and not is_generic(w) and not is_verb(w) and not is_question_word(w)]


def _says_phase(head: str, phase: int) -> bool:
    """Whether a compacted label names this phase, alone or in a span (3단계, 2~3단계)."""
    return bool(re.search(rf"(?<![0-9]){phase}단계|[0-9]~{phase}단계|(?<![0-9]){phase}~[0-9]단계", head))


def topics_said(ask: Ask, topics: list[Topic]) -> Reply | None:
    """Facts, results or agenda items whose whole label the question says ("안건 의결 및 보고 순서"): stronger
    than a name only guessed from a part of it."""
    said = [t for t in topics if len(t.head) >= 4 and t.head in ask.query.compact]
    if said and not ask.query.regions:
        said = [_as_whole(ask.store, t, topics) for t in said]
    if said and result_operation(ask) in ("diff", "sum"):
        said = topics   # "중핵기업 유치 중 수도권 기업 빼면": the other operand is named in part
    return _facts_by_topic(ask, list({id(t): t for t in said}.values())) if said else None


def _as_whole(store: Store, topic: Topic, topics: list[Topic]) -> Topic:
    """With no place asked, a part's label said whole ("기업 유치" of 강원) stands for its parent program's label
    that holds it ("중핵기업 유치" of the national programme): the whole is what a question without a place asks."""
    parent = str((store.program(_owner_id(topic.table, topic.row)) or {}).get("parent") or "")
    wider = [t for t in topics if t.table == topic.table and topic.head in t.head
             and _owner_id(t.table, t.row) == parent] if parent else []
    if len(wider) > 1 and topic.table == "results" and len({t.row["unit"] for t in wider}) == 1:
        counts = [_number(t.row["value"]) for t in wider]   # 중핵기업 122 holds 수도권 기업 47: the whole is the most
        known = [c for c in counts if c is not None]
        if len(known) == len(counts) and known.count(max(known)) == 1:
            wider = [wider[known.index(max(known))]]
    return wider[0] if len(wider) == 1 else topic


def _number(value: object) -> float | None:
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def facts_labelled(ask: Ask, topics: list[Topic], owner: str) -> Reply | None:
    """An owner's facts whose label says every word the names left unexplained ("클러스터 근거": 근거)."""
    words = ask.query.unexplained
    mine = [t for t in topics if t.table == "facts" and _owner_id(t.table, t.row) == owner
            and words and all(w in t.head for w in words)]
    return _answer_with(ask, [(t.table, t.row) for t in mine][:MAX_FACTS]) if mine else None


def facts_saying(ask: Ask, topics: list[Topic], owner: str, words: list[str]) -> Reply | None:
    """The one fact of an owner that says most of the question's words, two of them at least ("협업과제
    추진실적은 어디에 반영한다고 했지": 경영평가 반영 — 추진실적을 … 반영); None when none does or two tie."""
    scored = sorted(((sum(w in t.head + t.body for w in words), i, t) for i, t in enumerate(topics)
                     if t.table == "facts" and _owner_id(t.table, t.row) == owner), key=lambda s: (-s[0], s[1]))
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return _answer_with(ask, [(scored[0][2].table, scored[0][2].row)])


def facts_naming(ask: Ask, topics: list[Topic], phrase: str) -> Reply | None:
    """Facts whose label contains a phrase of the question verbatim (stronger than a fuzzy name guess)."""
    if len(phrase) < 3 or not any(phrase in t.head for t in topics):
        return None
    return _facts_by_topic(ask, [t for t in topics if phrase in t.head])


def _facts_by_topic(ask: Ask, topics: list[Topic]) -> Reply | None:
    words = _topic_words(ask)
    if not words:
        return None
    needed = max(1, (len(words) + 1) // 2)
    scored: list[tuple[int, str, Row]] = []
    places = set(ask.query.regions)
    for topic in topics:
        table, row, head, body = topic.table, topic.row, topic.head, topic.body
        if any(w in head for w in words):
            if places and not places & set(_regions_of(ask, _owner_id(table, row))):
                continue
            in_head = [w for w in words if w in head]
            hits = {w for w in words if w in head or w in body}
            strong = any(len(w) >= 4 for w in in_head) or len(in_head) >= 2
            if len(hits) >= needed and (strong or len(hits) >= 2):
                # a phase asked ("3단계 … 기준"): the label that says that phase before the one of other phases
                phased = ask.query.phase is not None and _says_phase(head, ask.query.phase)
                scored.append((len(hits) * 2 + len(in_head) + phased, table, row))
    if result_operation(ask) in ("diff", "sum"):
        # "중핵기업 유치 중 수도권 기업 빼면": the two results of one program whose labels say the question's
        # words, one of them each at least
        labelled = sorted(((sum(w in t.head for w in words), i, t) for i, t in enumerate(topics)
                           if t.table == "results" and any(w in t.head for w in words)), key=lambda s: (-s[0], s[1]))
        if labelled:
            owner = _owner_id("results", labelled[0][2].row)
            two = [("results", t.row) for _, _, t in labelled if _owner_id("results", t.row) == owner][:2]
            said = {w for _, r in two for w in words if w in compact(str(r["metric"]))}
            if len(two) == 2 and len(said) >= min(2, len(words)):
                return _answer_with(ask, two)
    if not scored:
        return None
    scored.sort(key=lambda t: -t[0])
    best = scored[0][0]
    return _answer_with(ask, [(t, r) for s, t, r in scored if s == best][:MAX_FACTS])


def _answer_with(ask: Ask, chosen: list[tuple[str, Row]]) -> Reply:
    """The chosen facts, results or agenda items, each under its owner's name and cited."""
    lines: list[str] = []
    subjects: list[Entity] = []
    documents = [str(r["source"]) for _, r in chosen]
    for table, row in chosen:
        subject_id = _owner_id(table, row)
        owner = ask.store.program(subject_id) or ask.store.task(subject_id) or ask.store.meeting(subject_id)
        owner_name = str(owner.get("name") or owner.get("title")) if owner else subject_id
        if table == "facts":
            lines.append(f"• [{owner_name}] {row['attribute']}: {row['value']}")
        elif table == "agenda_items":
            times = f"{row['start']}~{row['end']} " if row["start"] else ""
            lines.append(f"• [{owner_name}] {times}{row['item']}" + (f" ({row['by']})" if row["by"] else ""))
        else:
            note = f" ({row['note']})" if row["note"] else ""
            lines.append(f"• [{owner_name}] {row['metric']}: {row['value']}{row['unit'] or ''}{note}")
        lines[-1] += cited(ask.store, str(row["source"]), documents)
        kind = "program" if ask.store.program(subject_id) else ("task" if ask.store.task(subject_id) else "meeting")
        if not any(c.id == subject_id for c in subjects):
            subjects.append(Entity(kind, subject_id, owner_name, 70.0))
    computed = result_arithmetic(ask, [r for t, r in chosen if t == "results"]) if len(subjects) == 1 else None
    if computed:
        lines = [f"[{subjects[0].name}] 계산", computed, *lines]
    return finish(ask, "fact", lines, [r["source"] for _, r in chosen], entities=subjects)


def _regions_of(ask: Ask, subject_id: str) -> list[str]:
    owner = ask.store.program(subject_id) or ask.store.task(subject_id)
    return region_of(owner) if owner else []


def _owner_id(table: str, row: Row) -> str:
    return str(row["subject"] if table == "facts" else row["meeting"] if table == "agenda_items" else row["program"])


def facts_of_organisation(ask: Ask, topics: list[Topic], names: list[str]) -> Reply | None:
    """An organisation's fact kept under a program ("TIPA 누리집": the 누리집 fact of 지역특화산업육성사업, which
    lists several organisations'): the facts whose label says every word the names left unexplained and whose
    value names the organisation, the part of the value that names it first."""
    words = ask.query.unexplained
    called = [compact(n) for n in names if len(compact(n)) >= 2]
    mine = [t for t in topics if t.table == "facts" and words and all(w in t.head for w in words)
            and any(n in t.body for n in called)][:MAX_FACTS]
    if not mine:
        return None
    lines = [f"[{names[0]}] {mine[0].row['attribute']}"]
    for t in mine:
        parts = [p.strip() for p in re.split(r"\s[·;]\s", str(t.row["value"]))]
        said = [p for p in parts if any(n in compact(p) for n in called)]
        lines.append(f"{t.row['attribute']}: {' · '.join(said or parts)}")
    owner = _owner_id("facts", mine[0].row)
    row = ask.store.program(owner) or ask.store.task(owner) or {}
    lines.append(f"(출처 항목: [{row.get('name') or owner}] {mine[0].row['attribute']}: {mine[0].row['value']})")
    # (what the label says is what was asked: "누리집 주소" is a web address, not a street one)
    plain = replace(ask, query=replace(ask.query, aspects=()))
    return finish(plain, "fact", lines, [str(t.row["source"]) for t in mine])
