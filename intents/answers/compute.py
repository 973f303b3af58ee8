"""Arithmetic the documents support: sums, differences, shares, averages, largest and smallest over budget
cells, with every operand cited and the arithmetic shown; refusals, saying why, where adding would be wrong."""

import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from intents.answers.common import Ask, budgets_of, finish, this_year
from intents.answers.render import cited, describe
from intents.message import Entity, Reply
from intents.reading.morph import nouns_of
from intents.reading.normalize import compact, strip_particle, tokens
from intents.reading.vocab import DIFF, DIVIDE, MAX, MEAN, MIN, SHARE, SUM, among_programs, compared
from store.store import Row

# the funding column's spellings of one source of money (the two documents write 정부 and 지방비등)
FUNDING_NAMES = {"국비": ("국비", "정부"), "정부": ("정부", "국비"), "지방비": ("지방비", "지방비등")}

_COUNT = re.compile(r"(?<![0-9])([0-9]{1,3})(?:개|곳|대|명)(?!년)")
_TO_EOK = {"억원": Decimal(1), "백만원": Decimal("0.01"), "천억원": Decimal(1000), "조원": Decimal(10000)}


@dataclass(frozen=True)
class Figure:
    """One operand: what it is, its amount in 억원, and the cell it came from."""

    label: str
    eok: Decimal
    row: Row
    differs: str = ""   # what the other documents say of the same cell, when the question chose one


def rows_named(ask: Ask, program_id: str) -> list[Row]:
    """A program's budget cells, those of the documents that use the name asked when they hold the year or
    period asked (국가혁신클러스터 → the 2021 release, 지역혁신협력지구 → the 2023 one): each name carries its
    own period; a year only the other document has is still found."""
    rows = budgets_of(ask.store, program_id)
    q = ask.query
    pointed = pointed_source(ask, {str(r["source"]) for r in rows})
    if pointed is not None:   # "지역경제위원회 자료 기준으로": that document's cells, whatever name is used
        narrowed = _holding(ask, [r for r in rows if r["source"] == pointed])
        if narrowed:
            return narrowed
    for mention in q.mentions:
        if any(c.id == program_id for c in mention.candidates):
            sources = ask.store.sources_naming(program_id, mention.text)
            narrowed = _holding(ask, [r for r in rows if r["source"] in sources])
            if narrowed:
                return narrowed
    return rows


def _holding(ask: Ask, rows: list[Row]) -> list[Row]:
    """The rows, when they hold every year, phase and period the question asks; else none."""
    q = ask.query
    if q.years and not all(any(r["year"] == y for r in rows) for y in q.years):
        return []
    if q.phases and not all(any(r["phase"] == p for r in rows) for p in q.phases):
        return []
    if q.period and not any(r["period"] == q.period for r in rows):
        return []
    return rows


def phases_period(rows: list[Row], first: int, last: int) -> str | None:
    """The period phases `first`..`last` cover together, from their budget cells' periods (2018~2020 and
    2021~2022 → 2018~2022); None when a phase has no period in the data."""
    starts, ends = [], []
    for phase in range(first, last + 1):
        periods = [str(r["period"]) for r in rows if r["phase"] == phase and r["period"] and "~" in str(r["period"])]
        if not periods:
            return None
        starts.append(min(p.split("~")[0] for p in periods))
        ends.append(max(p.split("~")[1] for p in periods))
    return f"{min(starts)}~{max(ends)}"


def pointed_source(ask: Ask, sources: set[str]) -> str | None:
    """Of documents that disagree, the one a question points to: by its year ("21년 보도자료"), by the
    words of its title ("지역경제위 자료", "클러스터"), by its issuer; None when none stands out."""
    if ask.source in sources:
        return ask.source
    q = ask.query
    subject = ask.subject.id if ask.subject else None
    named = compact(" ".join([*(m.text for m in q.mentions if any(c.id == subject for c in m.candidates)),
                              ask.subject.name if ask.subject else ""]))
    # the names a document is pointed at by ("지경위 보도자료": 지경위 is 지역경제위원회), not the subject's own
    pointed = {compact(c.name) for m in q.pointers for c in m.candidates[:1]} - {compact(named)}
    scores: dict[str, int] = {}
    for source_id in sources:
        row = ask.store.source(source_id) or {}
        year = str(row.get("date") or "")[:4]
        score = 2 * (year.isdigit() and (int(year) in q.years or int(year) == q.document_year))
        # words of its title, but not those that name the subject itself (클러스터 names the program)
        title_words = [n for n in nouns_of(str(row.get("title") or "")) if len(n) >= 2 and compact(n) not in named]
        score += sum(compact(n) in q.compact for n in title_words)
        score += sum(name in compact(str(row.get("title") or "")) for name in pointed)
        scores[source_id] = score
    best = max(scores.values(), default=0)
    winners = [s for s, v in scores.items() if v == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _title(ask: Ask, source_id: str) -> str:
    row = ask.store.source(source_id) or {}
    return str(row.get("title") or source_id)


def operation(ask: Ask) -> str | None:
    """'max', 'min', 'share', 'mean', 'divide', 'diff' or 'sum' when the question asks to compute, else None."""
    said = ask.query.compact
    if any(w in said for w in DIVIDE) and divisor(ask) is not None:
        return "divide"
    if MAX.search(said):
        return "max"
    if MIN.search(said):
        return "min"
    if any(w in said for w in SHARE):
        return "share"
    if any(w in said for w in MEAN):
        return "mean"
    if any(w in said for w in DIFF):
        return "diff"
    if any(w in said for w in SUM):
        return "sum"
    return None


def divisor(ask: Ask) -> int | None:
    """The count a question divides by ("14개 시도로 나누면", "10대 과제에"), not a year, phase or amount."""
    found = _COUNT.findall(ask.query.compact)
    return int(found[-1]) if found and int(found[-1]) > 1 else None


def eok(row: Row) -> Decimal | None:
    """A cell's amount in 억원, converted exactly from 백만원, 천억원 or 조원; None for other units."""
    factor = _TO_EOK.get(str(row["unit"] or "억원"))
    return None if factor is None or row["amount"] is None else Decimal(int(row["amount"])) * factor


def show(value: Decimal) -> str:
    """An amount in 억원 as the documents write it: `1,362억원`, `259.1억원`."""
    return f"{_plain(value)}억원"


def cell(rows: list[Row], year: int | None = None, phase: int | None = None, period: str | None = None,
         funding: str | None = None, category: str | None = None, scope: str | None = None) -> list[Row]:
    """The cells for one combination; a dimension left None means the cell that does not split it."""
    if year is not None:
        rows = [r for r in rows if r["year"] == year]
    elif phase is not None:
        rows = [r for r in rows if r["phase"] == phase and r["year"] is None]
    elif period is not None:   # (a phase's subtotal is that period's cell when no other is: 2단계 = '21~'22)
        spans = [r for r in rows if r["period"] == period and r["year"] is None]
        rows = [r for r in spans if r["phase"] is None] or spans
    else:
        broad = [r for r in rows if r["year"] is None and r["phase"] is None]
        rows = broad or (rows if len({r["year"] for r in rows}) == 1 else [])
    if category is not None:
        rows = [r for r in rows if r["category"] == category]
    elif funding is not None:   # the funding's own cell, not its R&D part; or the one cell there is of it
        same = [r for r in rows if r["funding"] in FUNDING_NAMES.get(funding, (funding,))]
        rows = [r for r in same if not r["category"]] or (same if len(same) == 1 else [])
    else:
        rows = [r for r in rows if not r["category"] and r["funding"] in (None, "", "합계")]
    return [r for r in rows if (r["scope"] or None) == scope] if scope or any(not r["scope"] for r in rows) else rows


def measure_word(ask: Ask, rows: list[Row], names: list[str]) -> str | None:
    """A word of the question that some rows' labels hold and others not ("선정규모", "지원규모"): the
    documents' own name for what an amount measures. Words of the programs' own names are not measures."""
    labels = [compact(str(r["label"] or "")) for r in rows]
    named = [compact(n) for n in [*names, *(m.text for m in ask.query.mentions)]]   # and the names it was called by
    for word in sorted({compact(strip_particle(t)) for t in tokens(ask.query.text)}, key=len, reverse=True):
        if len(word) < 3 or not word.isalpha() or any(word in n for n in named):
            continue
        hits = sum(word in label for label in labels)
        if 0 < hits < len(rows):
            return word
    return None


def measured(rows: list[Row], word: str | None) -> list[Row]:
    """The rows whose label holds the measure word (all rows when there is none)."""
    return rows if word is None else [r for r in rows if word in compact(str(r["label"] or ""))]


def descendants(ask: Ask, program_id: str) -> list[Row]:
    """Every program under a program, children first."""
    found: list[Row] = []
    for child in ask.store.children("programs", program_id):
        found.append(child)
        found.extend(descendants(ask, str(child["id"])))
    return found


def _part_figures(ask: Ask, parent: Entity, base: dict[str, Any]) -> list[Figure] | str:
    """One figure per part of a program that has no cells of its own (its 내역사업), the measure asked of
    each; a part without that measure is looked for in its own parts, never added to them."""
    below = descendants(ask, parent.id)
    word = measure_word(ask, [r for p in below for r in ask.store.budgets(str(p["id"]))],
                        [parent.name, *(str(p["name"]) for p in below)])

    def walk(program_id: str) -> list[Figure] | str:
        figures: list[Figure] = []
        for child in ask.store.children("programs", program_id):
            rows = measured(ask.store.budgets(str(child["id"])), word)
            if not rows:
                deeper = walk(str(child["id"]))
                if isinstance(deeper, str):
                    return deeper
                figures.extend(deeper)
                continue
            got = _figure(ask, rows, str(child["name"]), **base)
            if isinstance(got, str):
                return got
            figures.append(got)
        return figures
    return walk(parent.id)


def _label(name: str, **parts: object) -> str:
    words = [name] if name else []
    for key, value in parts.items():
        if value is None:
            continue
        words.append(f"{value}년" if key == "year" else f"{value}단계" if key == "phase" else str(value))
    return " ".join(words)


def _figure(ask: Ask, rows: list[Row], name: str, **parts: object) -> Figure | str:
    """The one cell for a combination, or why there is none (no cell, two documents disagree, a unit)."""
    found = cell(rows, **parts)   # type: ignore[arg-type]
    label = " ".join(p for p in (name, describe(found[0]) if found else _label("", **parts)) if p)
    if not found and parts.get("funding") is None and parts.get("category") is None:
        whole = _sum_of_sources(ask, rows, name, **parts)   # a year's total the table does not print
        if whole is not None:
            return whole
    if not found:
        return f"{label}에 해당하는 금액이 자료에 없습니다."
    amounts = {eok(r) for r in found}
    differs = ""
    if len(amounts) > 1:   # the documents disagree: the one the question points to, if it points to one
        pointed = pointed_source(ask, {str(r["source"]) for r in found})
        if pointed is not None:
            others = [r for r in found if r["source"] != pointed]
            found = [r for r in found if r["source"] == pointed]
            amounts = {eok(r) for r in found}
            label = " ".join(p for p in (name, describe(found[0])) if p)
            differs = ", ".join(f"{show(a)} ({_title(ask, str(r['source']))})" for r in others
                                if (a := eok(r)) is not None and a not in amounts)
    if len(amounts) > 1:
        shown = ", ".join(show(a) for a in amounts if a is not None)
        return f"{label}의 금액이 자료마다 다릅니다({shown})."
    value = amounts.pop()
    if value is None:
        return f"{label}의 단위({found[0]['unit']})는 억원으로 바꿀 수 없습니다."
    return Figure(label, value, found[0], differs)


_GIVEN = re.compile(r"(?<![0-9.,])([0-9][0-9,]*(?:\.[0-9]+)?)\s*(조|천억|억)")


def _given_amounts(ask: Ask) -> list[Decimal]:
    """Amounts the question states itself, in 억원."""
    return [Decimal(m.group(1).replace(",", "")) * _TO_EOK[m.group(2) + "원"] for m in _GIVEN.finditer(ask.query.text)]


def _given_answer(ask: Ask, op: str, given: list[Decimal]) -> Reply:
    """The sum or difference of two amounts the asker gave, each cited where a stored cell says it."""
    a, b = given
    lead = f"{show(a)} + {show(b)} = {show(a + b)}" if op == "sum" else \
        f"{show(max(a, b))} − {show(min(a, b))} = {show(abs(a - b))}"
    lines = ["[예산] 계산", lead, "", "말씀하신 금액:"]
    sources: list[str] = []
    for value in given:
        cells = ask.store.budgets_of_amount(int(value)) if value == value.to_integral() else []
        if cells:
            program = ask.store.program(str(cells[0]["program"])) or {}
            lines.append(f"• {show(value)}: {program.get('name', '')} {describe(cells[0])}".rstrip())
            sources.append(str(cells[0]["source"]))
        else:
            lines.append(f"• {show(value)}: 자료의 예산 표에서 같은 금액을 찾지 못했습니다")
    return finish(ask, "budget", lines, sources, asked=1)


def _sum_of_sources(ask: Ask, rows: list[Row], name: str, **parts: object) -> Figure | None:
    """A cell's total as 국비 + 지방비 of the same cell, when the table gives those and no total."""
    pair = [_figure(ask, rows, name, **{**parts, "funding": funding}) for funding in ("국비", "지방비")]
    if not all(isinstance(f, Figure) for f in pair):
        return None
    national, local = (f for f in pair if isinstance(f, Figure))
    if national.row["source"] != local.row["source"]:
        return None
    label = f"{national.label.rsplit(' · ', 1)[0]} · 국비+지방비({show(national.eok)}+{show(local.eok)})"
    return Figure(label, national.eok + local.eok, {**national.row, "is_total": 1, "funding": "합계",
                                                    "label": "국비와 지방비의 합"})


_DISAGREE = "자료마다 다릅니다"


def answer_compute(ask: Ask) -> Reply | None:
    """계산 — 예산 셀의 합·차이·비중·평균·최대/최소를 피연산자와 출처와 함께 (예: 2019년 국비랑 지방비 합치면)."""
    reply = _compute(ask)
    if reply is None or _DISAGREE not in reply.text or ask.subject is None or ask.source is not None:
        return reply
    # the documents disagree and the question points to none: the arithmetic in each document that holds it
    subjects = [ask.subject, *ask.others]
    sources = dict.fromkeys(str(r["source"]) for c in subjects for r in budgets_of(ask.store, c.id))
    each: list[tuple[str, Reply]] = []
    for source in sources:
        one = replace(ask, source=source, notes=[])
        got = _compute(one)
        if got is not None and not got.text.startswith(_REFUSED):
            each.append((source, got))
    if not each:
        return reply
    if len(each) == 1:
        return each[0][1]
    ids = [s for s, _ in each]
    leads = [f"{got.text.splitlines()[1]}{cited(ask.store, s, ids)}" for s, got in each]
    head = each[0][1].text.splitlines()[0]
    lines = [head, " / ".join(leads), "", "자료마다 금액이 달라 자료별로 계산했습니다. 계산에 쓴 금액:"]
    for source, got in each:
        operands = got.text.split("\n\n")[1].splitlines()[1:]
        lines.extend(f"{line}{cited(ask.store, source, ids)}" for line in operands)
    return finish(ask, "budget", lines, ids, asked=1)


def _compute(ask: Ask) -> Reply | None:
    """The arithmetic a question asks, or why not (a refusal), or None when it asks none."""
    op = operation(ask)
    subject = ask.subject
    if op is None or subject is None:
        return None
    this_year(ask)
    given = _given_amounts(ask)
    if len(given) == 2 and op in ("sum", "diff"):   # "2864억이랑 4232억 더하면": the asker's own figures
        return _given_answer(ask, op, given)
    q = ask.query
    base: dict[str, Any] = {
        "year": q.year if len(q.years) <= 1 else None, "phase": q.phase if len(q.phases) <= 1 else None,
        "period": q.period, "funding": q.funding if len(q.fundings) <= 1 else None,
            "category": q.category if len(q.categories) <= 1 else None,
            "scope": q.scope if len(q.scopes) <= 1 else None}
    if base["year"] is not None or base["period"] is not None:
        base["phase"] = None   # a year or period says which cell; the phase only describes it
    if op in ("sum", "max", "min", "mean") and subject.kind == "program" and not ask.store.budgets(subject.id) \
            and all(o.id == subject.id for o in ask.others):   # "내역사업 3개 선정규모 다 더하면": over its parts
        over_parts = _part_figures(ask, subject, base)
        if isinstance(over_parts, str):
            return _refuse(ask, over_parts)
        if len(over_parts) >= 2:
            return _answer(ask, op, over_parts, subject.name)
    split = [(k, v) for k, v in (("year", q.years), ("phase", q.phases), ("funding", q.fundings),
                                 ("category", q.categories), ("scope", q.scopes)) if len(v) >= 2]
    if op == "sum" and not split and q.included and not ask.others and base["category"] is None \
            and base["scope"] is None:
        split = [("funding", ("국비", "지방비"))]   # "지방비까지 합친 총액": the sources of money, added
    subjects = [c for c in [subject, *ask.others] if c.kind in ("program", "task") and budgets_of(ask.store, c.id)]
    subjects = list({c.id: c for c in subjects}.values())   # one program named twice is one operand
    if subject.kind == "organisation":   # an organisation's programs: those holding the asked cells
        if base["year"] is None and base["period"] is None:
            base["year"] = _latest_shared_year(ask, subjects)
        asked: list[tuple[str, Any]] = [(k, v) for k, vs in split for v in vs] or [("year", base["year"])]
        subjects = [c for c in subjects if all(cell(rows_named(ask, c.id), **{**base, k: v}) for k, v in asked)]
    if len(subjects) == 1 and ((op in ("max", "min") and compared(q.compact) == "programs") or (
            op == "diff" and len(q.fundings) == 2 and among_programs(q.compact))):   # (…중에 지방비가 국비보다 많은)
        programs = [Entity("program", str(r["id"]), str(r["name"]), 100.0)   # "4개 중 국비 젤 많은 사업"
                    for r in ask.store.children("programs", subjects[0].id) if ask.store.budgets(str(r["id"]))]
        # (and those whose cells the plan's document files under it without linking them: 클러스터's 2023 국비)
        programs += [Entity("program", p, str(row["name"]), 100.0)
                     for p in ask.store.filed_under(subjects[0].id, subjects[0].name)
                     if p not in {c.id for c in programs} and (row := ask.store.program(p)) is not None]
        if base["year"] is None and base["period"] is None:
            base["year"] = _latest_shared_year(ask, programs)
        subjects = programs if len(programs) >= 2 else subjects
    parents = {str((ask.store.program(c.id) or {}).get("parent") or "") for c in subjects}
    subjects = [c for c in subjects if c.id not in parents]   # a plan's total is not compared with its parts
    figures: list[Figure] = []
    if subjects and op == "divide":   # "2단계 국비를 14개 시도로 나누면 시도당": one cell by the count given
        got = _figure(ask, rows_named(ask, subjects[0].id), "", **base)
        count = divisor(ask)
        if isinstance(got, str) or count is None:
            return _refuse(ask, got) if isinstance(got, str) else None
        lead = f"{got.label} {show(got.eok)} ÷ {count} = {show(got.eok / count)}"
        return finish(ask, "budget", [f"[{subjects[0].name}] 계산", lead, "", "계산에 쓴 금액:",
                                      f"• {got.label}: {show(got.eok)}"], [str(got.row["source"])], asked=1)
    if len(subjects) >= 2 and op == "diff" and [k for k, _ in split] == ["funding"] and len(q.fundings) == 2:
        return _compare(ask, subjects, base, q.fundings[0], q.fundings[1])   # "지방비가 국비보다 많은 사업"
    if len(subjects) >= 2 and not split:   # two programs, the same cell of each (the measure asked of each)
        each = {c.id: rows_named(ask, c.id) for c in subjects}
        word = measure_word(ask, [r for rows in each.values() for r in rows], [c.name for c in subjects])
        for c in subjects:
            got = _figure(ask, measured(each[c.id], word) or each[c.id], c.name, **base)
            if isinstance(got, str):
                return _refuse(ask, got)
            figures.append(got)
    elif subjects and len(split) == 1:   # one program, one dimension named twice or more
        key, values = split[0]
        rows = rows_named(ask, subjects[0].id)
        extra = {"category": ("funding", q.fundings), "funding": ("category", q.categories)}.get(key)
        operands = [{**base, key: value} for value in values]
        if op == "sum" and extra and len(extra[1]) == 1:   # "R&D + 비R&D + 지방비": the other kind of cell too
            operands.append({**base, key: None, extra[0]: extra[1][0]})
        for parts in operands:
            got = _figure(ask, rows, "", **parts)
            if isinstance(got, str):
                return _refuse(ask, got)
            figures.append(got)
    elif subjects and op in ("max", "min", "mean"):   # over the years (within a phase or period) of one program
        rows = [r for r in rows_named(ask, subjects[0].id) if r["year"] is not None]
        if base["phase"] is not None:
            rows = [r for r in rows if r["phase"] == base["phase"]]
        if base["period"] is not None:
            first, last = (int(y) for y in str(base["period"]).split("~"))
            rows = [r for r in rows if first <= int(r["year"]) <= last]
        for year in sorted({int(r["year"]) for r in rows}):
            got = _figure(ask, rows, "", **{**base, "year": year, "phase": None, "period": None})
            if isinstance(got, Figure):
                figures.append(got)
    elif subjects and op == "share" and (base["funding"] or base["category"]):
        # "2단계 국비 중 R&D 비율": R&D within 국비; "전체 사업비 중 지방비 비중": 지방비 within the total
        rows = rows_named(ask, subjects[0].id)
        part = {**base, "funding": None} if base["category"] else base
        whole = {**base, "category": None} if base["category"] and base["funding"] else \
            {**base, "funding": None, "category": None}
        for parts in (part, whole):
            got = _figure(ask, rows, "", **parts)
            if isinstance(got, str):
                return _refuse(ask, got)
            figures.append(got)
    elif subjects and op == "sum" and not base["funding"] and not base["category"]:
        rows = rows_named(ask, subjects[0].id)   # "총 얼마": a stored total, else 국비 + 지방비
        if cell(rows, **base):
            return None   # the budget answer states the stored total first
        for funding in ("국비", "지방비"):
            got = _figure(ask, rows, "", **{**base, "funding": funding})
            if isinstance(got, str):
                return None
            figures.append(got)
    if len(figures) < 2:
        return None
    return _answer(ask, op, figures, subjects[0].name if len(subjects) == 1 else "")


def _latest_shared_year(ask: Ask, programs: list[Entity]) -> int | None:
    """A year the question leaves unsaid, when programs are compared: the latest that two or more of them have."""
    counts = Counter(y for c in programs for y in {r["year"] for r in rows_named(ask, c.id) if r["year"]})
    return max((y for y, n in counts.items() if n >= 2), default=None)


def _answer(ask: Ask, op: str, figures: list[Figure], name: str) -> Reply:
    """The computed figure first, then each operand with its cell; refuses a total added to its parts."""
    rows = [f.row for f in figures]
    totals = {r["program"] for r in rows if r["is_total"]}
    if op in ("sum", "mean") and totals & {r["program"] for r in rows if not r["is_total"]}:
        return _refuse(ask, "소계·합계에 그 구성 항목을 더하면 같은 돈을 두 번 세게 됩니다.")
    periods = [(r["year"], r["period"]) for r in rows]
    if op in ("sum", "mean") and any(y for y, _ in periods) and any(p and not y for y, p in periods):
        return _refuse(ask, "한 해의 금액과 그 해를 포함하는 기간의 금액은 겹쳐서 더할 수 없습니다.")
    head = f"[{name}] 계산" if name else "[예산] 계산"
    if op == "diff" and len(figures) == 2:
        big, small = sorted(figures, key=lambda f: f.eok, reverse=True)
        lead = f"{big.label} {show(big.eok)} − {small.label} {show(small.eok)} = {show(big.eok - small.eok)}"
    elif op in ("max", "min"):
        pick = max(figures, key=lambda f: f.eok) if op == "max" else min(figures, key=lambda f: f.eok)
        word = "가장 많은" if op == "max" else "가장 적은"
        lead = f"{word} 것: {pick.label} {show(pick.eok)} (비교한 {len(figures)}개 중)"
    elif op == "share" and len(figures) == 2:
        part, whole = sorted(figures, key=lambda f: f.eok)
        lead = f"{part.label} {show(part.eok)} ÷ {whole.label} {show(whole.eok)} = {part.eok / whole.eok * 100:.1f}%"
    elif op == "mean":
        total = sum((f.eok for f in figures), Decimal(0))
        lead = f"평균 {show(total / len(figures))} = ({' + '.join(show(f.eok) for f in figures)}) ÷ {len(figures)}"
    else:
        total = sum((f.eok for f in figures), Decimal(0))
        lead = f"{' + '.join(f'{f.label} {show(f.eok)}'.strip() for f in figures)} = {show(total)}"
    lines = [head, lead, "", "계산에 쓴 금액:"]
    documents = [str(f.row["source"]) for f in figures]
    lines.extend(f"• {f.label or '금액'}: {show(f.eok)} ({f.row['label'] or ''})".replace(" ()", "")
                 + cited(ask.store, str(f.row["source"]), documents) for f in figures)
    lines.extend(f"• 참고: {f.label}은(는) 다른 자료에 {f.differs}로 나옵니다." for f in figures if f.differs)
    return finish(ask, "budget", lines, [str(f.row["source"]) for f in figures], asked=1)   # the result leads


def _compare(ask: Ask, subjects: list[Entity], base: dict[str, Any], first: str, second: str) -> Reply | None:
    """Which programs have more of one funding than another ("지방비가 국비보다 많은 사업"), each with both."""
    pairs = []
    for c in subjects:
        rows = rows_named(ask, c.id)
        a, b = _figure(ask, rows, c.name, **{**base, "funding": first}), _figure(ask, rows, c.name, **{**base,
                                                                                              "funding": second})
        if isinstance(a, Figure) and isinstance(b, Figure):
            pairs.append((c, a, b))
    if len(pairs) < 2:
        return None
    more = [(c, a, b) for c, a, b in pairs if a.eok > b.eok]
    names = ", ".join(c.name for c, _, _ in more) or "없음"
    lines = ["[예산] 비교", f"{first}가 {second}보다 많은 사업: {names} (비교한 {len(pairs)}개 중)", ""]
    lines.extend(f"• {c.name}: {first} {show(a.eok)} · {second} {show(b.eok)}" for c, a, b in pairs)
    return finish(ask, "budget", lines, [str(f.row["source"]) for _, a, b in pairs for f in (a, b)],
                  entities=[c for c, _, _ in more], asked=1)


_BASE = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*(명|건|개|곳|개사)")
_COUNT_ASKED = re.compile(r"몇(명|건|개|곳|개사)|(명|건|개|곳|개사)(정도|쯤)")


def result_operation(ask: Ask) -> str | None:
    """The operation asked over counts: as `operation`, and a difference said as a negation ("수도권 아닌")."""
    return operation(ask) or ("diff" if "아닌" in ask.query.compact else None)


def result_arithmetic(ask: Ask, results: list[Row]) -> str | None:
    """A line computed from the results a question names, best named first: a count from a rate and the
    count its note is a share of ("정규직은 몇 명": 649명 × 87.2%), or the difference or sum of two counts
    of one unit ("122건에서 수도권 기업 빼면", "수도권 아닌 기업")."""
    if not results:
        return None
    said = ask.query.compact
    op = result_operation(ask)
    counted = " ".join(str(r["metric"]) for r in results if r["unit"] != "%")
    # a rate whose own words the question says (정규직, 청년), beyond those of the count it is a share of
    rates = [r for r in results if r["unit"] == "%" and _BASE.search(str(r["note"] or ""))
             and any(len(n) >= 2 and n in said and n not in counted for n in nouns_of(str(r["metric"])))]
    if rates and _COUNT_ASKED.search(said) and op not in ("diff", "sum"):
        top = rates[0]
        base = _BASE.search(str(top["note"] or ""))
        assert base is not None
        whole, rate = Decimal(base.group(1).replace(",", "")), Decimal(str(top["value"]))
        value = whole * rate / 100
        return (f"약 {value.quantize(Decimal(1))}{base.group(2)} = {_plain(whole)}{base.group(2)} × {_plain(rate)}% "
                f"({_plain(value.quantize(Decimal('0.1')))}{base.group(2)}; {top['metric']})")
    top = results[0]
    counts = [r for r in results[:3] if r["unit"] == top["unit"] and r["unit"] != "%"
              and str(r["value"]).replace(".", "", 1).isdigit()]
    if op not in ("diff", "sum") or not counts:
        return None
    if len(counts) == 1:   # "122건에서 수도권 기업 빼면": the other operand is the question's own figure
        given = [m.group(1) for m in _BASE.finditer(ask.query.text) if m.group(2) == counts[0]["unit"]
                 and m.group(1).replace(",", "") != str(counts[0]["value"])]
        if len(given) != 1:
            return None
        counts.append({"metric": "말씀하신 수", "value": given[0].replace(",", ""), "unit": counts[0]["unit"]})
    unit = str(counts[0]["unit"] or "")
    than = said.find("보다")
    if op == "diff" and len(counts) >= 3 and than > 0 and any(w in said for w in SUM):
        # "주축산업이랑 미래신산업 합치면 기존 주력산업 48개보다 몇 개 많아": (A + B) − C, C named before 보다
        def at(r: Row) -> int:
            return max((said.rfind(compact(n), 0, than) for n in nouns_of(str(r["metric"])) if len(n) >= 2),
                       default=-1)
        other = max(counts[:3], key=at)
        parts = [r for r in counts[:3] if r is not other]
        total = sum((Decimal(str(r["value"])) for r in parts), Decimal(0))
        c = Decimal(str(other["value"]))
        summed = " + ".join(f"{r['metric']} {_plain(Decimal(str(r['value'])))}{unit}" for r in parts)
        # (the sum said too: "합치면 몇 개야? 기존 48개보다 늘어난 거지?" asks both)
        return f"({summed}) = {_plain(total)}{unit}; − {other['metric']} {_plain(c)}{unit} = {_plain(total - c)}{unit}"
    a, b = counts[0], counts[1]
    x, y = Decimal(str(a["value"])), Decimal(str(b["value"]))
    if op == "sum":
        return f"{a['metric']} {_plain(x)}{unit} + {b['metric']} {_plain(y)}{unit} = {_plain(x + y)}{unit}"
    big, small = (a, b) if x >= y else (b, a)
    return (f"{big['metric']} {_plain(max(x, y))}{unit} − {small['metric']} {_plain(min(x, y))}{unit} "
            f"= {_plain(abs(x - y))}{unit}")


_COUNTED = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(개|곳|건|명|개사|억원|%)\s*$")


def facts_as_results(facts: list[Row]) -> list[Row]:
    """Facts whose value is one counted figure ("41개"), as results that arithmetic can take."""
    out = []
    for fact in facts:
        found = _COUNTED.match(str(fact["value"]))
        if found:
            out.append({"metric": fact["attribute"], "value": found.group(1).replace(",", ""), "unit": found.group(2),
                        "note": None, "source": fact["source"]})
    return out


def _plain(value: Decimal) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


_REFUSED = "계산하지 않았습니다"


def _refuse(ask: Ask, why: str) -> Reply:
    return Reply(text=f"{_REFUSED}: {why}", intent="budget")

