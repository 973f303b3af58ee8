"""Budgets: amounts by program, year, phase, category, funding source; totals from stored cells."""

import re
from dataclasses import replace

from intents.answers.common import Ask, finish, matching_rows, nothing, this_year
from intents.answers.compute import (
    FUNDING_NAMES,
    answer_compute,
    measure_word,
    measured,
    phases_period,
    pointed_source,
    rows_named,
)
from intents.answers.render import amount, cited, describe
from intents.message import Reply
from intents.reading.morph import as_modifier
from intents.reading.normalize import compact, strip_particle, tokens
from store.store import Row

_GLOSS = re.compile(r"\(([^)]*)\)")
_AMOUNT = re.compile(r"[0-9][0-9,.]*\s*(조|억|천만|백만|만)?\s*원")
_FUNDING_ORDER = {"국비": 0, "정부": 0, "지방비": 1, "지방비등": 1, "합계": 2, None: 3}


def select(rows: list[Row], ask: Ask) -> list[Row]:
    """The cells a question asks for; 국비·지방비·합계 all when funding is not said."""
    q = ask.query
    picked = rows
    if q.period is not None:
        by_period = [r for r in picked if r["period"] == q.period and r["year"] is None]
        if not by_period:
            return []
        picked = by_period
    if q.year is not None:
        by_year = [r for r in picked if r["year"] == q.year]
        if not by_year:
            return []
        picked = by_year
    if q.phase is not None:
        by_phase = [r for r in picked if r["phase"] == q.phase]
        if not by_phase:
            return []
        picked = by_phase
        if q.year is None:
            picked = [r for r in picked if r["is_total"]] or picked
    if q.category:
        picked = [r for r in picked if r["category"] == q.category]
    elif q.funding:
        wanted = FUNDING_NAMES[q.funding]
        picked = [r for r in picked if r["funding"] in wanted]
    if q.scope:
        picked = [r for r in picked if r["scope"] == q.scope] or picked
    elif not (q.category or q.funding):
        picked = [r for r in picked if not r["scope"]] or picked
    if q.year is None and q.phase is None and q.period is None and not q.category:
        # no qualifier: the program-wide figures (multi-year totals and period cells) first
        broad = [r for r in picked if r["year"] is None and r["phase"] is None]
        picked = broad or picked
    # the same cell in two documents: the newer first ("지난 5년간 총 지원액": the 2023 figure, not the 2021 plan)
    dates = {str(r["source"]): str((ask.store.source(str(r["source"])) or {}).get("date") or "") for r in picked}
    picked = sorted(picked, key=lambda r: dates[str(r["source"])], reverse=True)
    if not (q.funding or q.category):   # the amount of a program, unqualified, is its total: it goes first
        return sorted(picked, key=lambda r: (r["funding"] != "합계", r["year"] is not None, not r["is_total"],
                                             _FUNDING_ORDER.get(r["funding"], 3)))
    return sorted(picked, key=lambda r: (_FUNDING_ORDER.get(r["funding"], 3)))


def _one_cell(picked: list[Row]) -> list[Row]:
    """The leading cells that differ only in their source of money (합계, 국비, 지방비), when two or more do."""
    def key(r: Row) -> tuple[object, ...]:
        return (r["year"], r["period"], r["phase"], r["scope"], r["category"], r["unit"])
    if not picked or picked[0]["category"]:
        return []
    same = [r for r in picked if key(r) == key(picked[0]) and r["funding"] and r["amount"] is not None]
    return same if len({r["funding"] for r in same}) == len(same) >= 2 else []


def answer_budget(ask: Ask) -> Reply:
    """예산 — 연도·단계·R&D/비R&D·국비/지방비별 금액을 원문 표 그대로 (예: 국가혁신클러스터 2020년 국비)."""
    store, subject = ask.store, ask.subject
    if subject is None or subject.kind not in ("program", "task"):
        return nothing(ask, "budget", "해당 사업의 예산을")
    computed = answer_compute(ask)
    if computed is not None:
        return computed
    this_year(ask)
    rows = rows_named(ask, subject.id)
    if not rows:
        children = store.children("programs", subject.id)
        child_rows = [(c, r) for c in children for r in store.budgets(c["id"])]
        if child_rows:   # the year, phase or funding asked, of each 세부사업
            child_rows = [(c, r) for c in children for r in select(store.budgets(c["id"]), ask)]
            if not child_rows:
                return nothing(ask, "budget", f"'{subject.name}'에 대해 물으신 조건의 예산을")
        else:
            # "인턴십 월 얼마": no budget cells, but amounts the documents state as facts of it answer
            money = [f for f in store.facts(subject.id) if _AMOUNT.search(str(f["value"]))]
            if money:
                lines = [f"[{subject.name}] 금액", *(f"• {f['attribute']}: {f['value']}" for f in money)]
                return finish(ask, "budget", lines, [str(f["source"]) for f in money])
            row = store.program(subject.id) or store.task(subject.id) or {}
            summary = str(row.get("summary") or "")
            funding = ask.query.funding
            if _AMOUNT.search(summary) or (funding and funding in summary):
                # "체험인턴(월185만원)": an amount its description states; "… 조성비 국비 지원": the funding asked
                return finish(ask, "budget", [f"[{subject.name}] 금액", f"내용: {row['summary']}"],
                              [str(row["source"])])
            return nothing(ask, "budget", f"'{subject.name}'의 예산 정보를")
        lines = [f"[{subject.name}] 세부사업 예산"]
        for child, row in child_rows:
            lines.append(f"• {child['name']} ({describe(row)}): {amount(row['amount'], row['unit'])}")
        return finish(ask, "budget", lines, [r["source"] for _, r in child_rows])
    phased: set[str] = set()   # the documents that speak of phases, when the question names phases
    if ask.query.phase_span and ask.query.period is None:   # "1~2단계 통틀어": the period the phases cover
        covered = phases_period(rows, *ask.query.phase_span)
        if covered:
            ask.query = replace(ask.query, period=covered, phase_span=None)
            phased = {str(r["source"]) for r in rows if r["phase"] is not None}
    names = [subject.name, *store.aliases(subject.kind, subject.id)]   # (measure_word adds the names it was called by)
    rows = measured(rows, measure_word(ask, rows, names)) or rows   # "선정규모" of 선정규모 and 지원 규모
    picked = select(rows, ask)
    picked = [r for r in picked if str(r["source"]) in phased] or picked   # "1~2단계": that document's cell
    pointed = pointed_source(ask, {str(r["source"]) for r in picked}) if len({r["source"] for r in picked}) > 1 \
        else None
    if pointed is not None:   # two documents give the cell: the one the question points to
        picked = [r for r in picked if r["source"] == pointed]
    if not picked:
        return nothing(ask, "budget", f"'{subject.name}'에 대해 물으신 조건의 예산을")
    lines = [f"[{subject.name}] 예산 (단위 억원)"]
    together = _one_cell(picked) if not (ask.query.funding or ask.query.category) else []
    if together:   # the amount of a program, funding unsaid: each source of the same cell on the first line
        cell_words = describe({**together[0], "funding": None})
        lines.append(f"{cell_words}: " + " · ".join(f"{r['funding']} {amount(r['amount'], r['unit'])}"
                                                     for r in together))
    documents = [str(r["source"]) for r in picked]
    for row in picked:
        if any(row is r for r in together) and not row["note"]:
            continue   # said on the first line, with nothing more to say
        note = f" ({row['note']})" if row["note"] else ""
        source = cited(store, str(row["source"]), documents)   # two documents: each figure says whose it is
        lines.append(f"• {describe(row)}: {amount(row['amount'], row['unit'])}{note}{source}")
    facts = store.facts(subject.id)
    related = matching_rows(facts, "attribute", ask) or matching_rows(facts, "value", ask, min_len=2, at_least=2)
    # a word nothing named explains (사업화매출, 신규사업) that a fact says and no cell does: that fact is asked
    # (not a noun said as a verb, 확정된거임: that asks a state, not a figure)
    verbal = {w for t in tokens(ask.query.text) for w in ask.query.unexplained
              if t.startswith(w) and as_modifier(t) != t}
    # (nor words in parentheses, which gloss a name: "지역주력산업지원(시제품·인증 같은 기업지원서비스) 예산")
    glossed = {compact(strip_particle(t)) for part in _GLOSS.findall(ask.query.text) for t in tokens(part)}
    unsaid = [w for w in ask.query.unexplained if w not in verbal and not any(w in g for g in glossed)
              and not any(w in compact(f"{r['label'] or ''} {r['note'] or ''}") for r in picked)]
    # … unless the question names what a cell measures (선정규모): then the cell is what is asked
    labels = " ".join(compact(str(r["label"] or "")) for r in picked).replace(compact(subject.name), "")
    names_measure = any(len(w) >= 3 and w.isalpha() and w in labels
                        for w in (compact(strip_particle(t)) for t in tokens(ask.query.text)))
    leading = [] if names_measure else [f for f in facts if any(w in compact(str(f["value"])) for w in unsaid)][:2]
    lines[1:1] = [f"• {f['attribute']}: {f['value']}" for f in leading]
    lines.extend(f"• {f['attribute']}: {f['value']}" for f in related[:4] if f not in leading)
    parts = [r for r in picked if not r["is_total"] and r["amount"] is not None]
    units = {r["unit"] for r in parts}
    if ask.query.want_total and len(parts) > 1 and len(units) == 1 and not any(r["is_total"] for r in picked):
        total = sum(int(r["amount"]) for r in parts)
        lines.append(f"• 합계(위 항목의 합): {amount(total, parts[0]['unit'])}")
    return finish(ask, "budget", lines, [r["source"] for r in picked], asked=len(leading))
