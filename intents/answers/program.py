"""Program and task information: what it is, who leads it, where, fields by phase, results, facts."""

import re

from intents.answers.common import Ask, finish, matching_rows, nothing
from intents.answers.compute import facts_as_results, phases_period, result_arithmetic, result_operation
from intents.answers.render import amount, name_of, regions_text, when_iso
from intents.message import Entity, Reply
from intents.reading.aspect import BY_NAME, label_says
from intents.reading.morph import nouns_of
from intents.reading.normalize import compact
from intents.reading.normalize import tokens as tokenize
from intents.reading.understand import entity_row, region_of
from intents.reading.vocab import RESULTS, is_generic, is_question_word
from store.store import Row, Store

_KIND_LABEL = {"협업과제": "혁신도시 협업과제", "대표프로젝트": "대표 프로젝트", "우수과제": "중점 확산 우수과제"}


# the words a row's area is shown with (분야 of a task, 분류/유형 of a program): said in a question, they ask it
AREA_LABELS = ("분야", "분류", "유형")

def header(store: Store, row: Row, table: str) -> list[str]:
    """Name, kind, lead, ministry, region, period and summary of a program or task."""
    lines = [f"[{row['name']}] {_KIND_LABEL.get(str(row['kind']), str(row['kind']))}"]
    if row.get("parent"):
        parent = store.program(str(row["parent"])) or store.task(str(row["parent"]))
        if parent:
            lines.append(f"상위: {parent['name']}")
    if row.get("lead"):
        lines.append(f"주관기관: {name_of(store, str(row['lead']))}")
    if row.get("ministry") and row.get("ministry") != row.get("lead"):
        lines.append(f"소관부처: {name_of(store, str(row['ministry']))}")
    city = f"혁신도시 {row['innovation_city']}" if row.get("innovation_city") else ""
    if row.get("region") or city:   # where a 협업과제 is: its 시·도 and its 혁신도시, on one line
        lines.append("지역: " + " · ".join(part for part in (regions_text(row), city) if part))
    if row.get("period"):
        lines.append(f"기간: {row['period']}")
    if row.get("area"):
        lines.append(f"{'분야' if table == 'tasks' else '분류/유형'}: {row['area']}")
    if row.get("summary"):
        lines.append(f"내용: {row['summary']}")
    return lines


GIST_LABELS = ("주관기관:", "소관부처:", "지역:", "분야:", "분류/유형:", "내용:")


def gist(store: Store, row: Row) -> str | None:
    """One line that says what a program or task is when the whole of it is asked: who leads it, where,
    in what field, then what it does."""
    who = [name_of(store, str(row[k])) for k in ("lead", "ministry") if row.get(k)]
    where = regions_text(row) if row.get("region") else ""
    city = str(row.get("innovation_city") or "")
    if city:
        where = city if not where or city.startswith(where) else f"{where} ({city})"
    parts = [*dict.fromkeys(who), *([where] if where else []), *([str(row["area"])] if row.get("area") else [])]
    said = " · ".join(parts)
    summary = str(row.get("summary") or "")
    if not said and not summary:
        return None
    return said + (" — " if said and summary else "") + summary


def names_by_document(store: Store, subject: Entity) -> str | None:
    """What the newest document that names a program or task otherwise calls it (see `_names_by_document`)."""
    row = entity_row(store, subject.kind, subject.id)
    return _names_by_document(store, row, subject.kind) if row else None


def _names_by_document(store: Store, row: Row, kind: str) -> str | None:
    """What the newest document that names a program otherwise calls it, beside the name it is filed
    under: "명칭: 지역혁신협력지구(클러스터) (2023-02-27 자료) — 이전: 국가혁신클러스터육성사업 (2021-03-02 자료)";
    None when no other name is used by a document newer than its own."""
    def dated(source: str) -> str:
        return str((store.source(source) or {}).get("date") or "")
    own = dated(str(row["source"]))
    newest: dict[str, str] = {}
    for alias in store.aliases(kind, str(row["id"])):
        dates = [dated(s) for s in store.sources_naming(str(row["id"]), alias)]
        if dates and max(dates) > own:
            newest[alias] = max(dates)
    if not newest:
        return None
    latest = max(newest.values())
    names = [a for a, d in newest.items() if d == latest]
    names = [a for a in names if not any(a != b and compact(a) in compact(b) for b in names)]   # the fullest
    return f"명칭: {', '.join(names)} ({latest} 자료) — 이전: {row['name']} ({own} 자료)"


def _counted(store: Store, row: Row, table: str, places: bool) -> str | None:
    """The rows under a program or task counted by kind, and named when of one kind; its 시·도 first when
    places are counted (몇 곳, 몇 군데) and it has several; None when there is nothing to count."""
    regions = region_of(row)
    if places and len(regions) >= 2:
        return f"지역 {len(regions)}곳: {', '.join(regions)}"
    children = store.children(table, str(row["id"]))
    by_kind: dict[str, list[str]] = {}
    for child in children:
        by_kind.setdefault(str(child.get("kind") or "세부 항목"), []).append(str(child["name"]))
    if len(by_kind) == 1:
        (kind, names), = by_kind.items()
        return f"{kind} {len(names)}개: {', '.join(names)}"
    if by_kind:
        return " · ".join(f"{kind} {len(names)}개" for kind, names in by_kind.items())
    return f"지역 {len(regions)}곳: {', '.join(regions)}" if len(regions) >= 2 else None


def answer_program(ask: Ask) -> Reply:
    """사업·과제 정보 — 내용, 주관기관, 지역, 단계별 육성분야, 성과, 세부 조건 (예: 세종 클러스터 분야)."""
    store, subject = ask.store, ask.subject
    if subject is None or subject.kind not in ("program", "task"):
        return nothing(ask, "program", "해당 사업이나 과제를")
    table = "programs" if subject.kind == "program" else "tasks"
    row = store.program(subject.id) if table == "programs" else store.task(subject.id)
    if row is None:
        return nothing(ask, "program", "해당 사업이나 과제를")
    q = ask.query
    sources = [str(row["source"])]
    facts = store.facts(subject.id)
    asked_facts = matching_rows(facts, "attribute", ask) or matching_rows(facts, "value", ask, min_len=3)
    if not asked_facts:   # "몇 년까지 지원돼": the one fact whose label says what is asked (지원 기간)
        labelled = [f for f in facts if label_says(str(f["attribute"]), q.aspects)]
        asked_facts = labelled if len(labelled) == 1 else []
    # the facts that say more of the question first ("3단계 몇 년 착수 목표": the one on 3단계 착수 목표)
    said = [*ask.content_words(), *([f"{q.phase}단계"] if q.phase is not None else [])]
    asked_facts = sorted(asked_facts, key=lambda f: -sum(compact(w) in compact(f"{f['attribute']} {f['value']}")
                                                          for w in said))
    results = store.results(subject.id)
    if q.phase is not None and results:   # "2단계 일자리": only results of that phase's period (budget table)
        periods = {str(b["period"]) for b in store.budgets(subject.id) if b["phase"] == q.phase and b["period"]}
        results = [r for r in results if str(r["period"] or "") in periods]
        words = [w for w in ask.content_words() if not w[0].isdigit() and not is_generic(w)]
        phase_dated = [m for m in store.meetings_of_program(subject.id) if f"{q.phase}단계" in str(m["title"])
                       and any(w in compact(str(m["title"])) for w in words)]
        if not results and q.has(*RESULTS) and not phase_dated:   # "3단계 착수 목표": a dated step, not a result
            return nothing(ask, "program", f"'{subject.name}' {q.phase}단계의 성과를")
    asked_results = _most_named_first(matching_rows(results, "metric", ask), ask)
    asked: list[str] = []   # what the question names goes first, under the card's header
    by_label = matching_rows(facts, "attribute", ask)
    if 2 <= len(by_label) <= 3:   # "주축산업이랑 미래신산업 몇 개": each fact it names, on one line
        asked.append(" · ".join(f"{f['attribute']}: {f['value']}" for f in by_label))
        sources.extend(f["source"] for f in by_label)
    named_results = asked_results or (results if q.has(*RESULTS) else [])
    if not by_label and named_results:   # a result named by its metric before a fact matched only by its text
        asked_facts = []
    words = ask.content_words()
    fact_named = max((sum(w in compact(str(f["attribute"])) for w in words) for f in asked_facts), default=0)
    result_named = max((sum(w in compact(str(r["metric"])) for w in words) for r in named_results), default=0)
    if result_named > fact_named:   # "기업 유치 실적": the result 기업 유치 says more of it than a fact on 유치
        asked_facts = []
    for fact in [] if asked else asked_facts:
        asked.append(f"• {fact['attribute']}: {fact['value']}")
        sources.append(fact["source"])
    span = phase_period(store, row, q.phase) if q.phase is not None and "period" in ask.aspects() else None
    if span:   # "3단계 기간": that phase's years alone, not the program's
        asked = [f"{q.phase}단계 기간: {span}", *(ln for ln in asked if "기간" not in ln.split(":")[0])]
    computed = result_arithmetic(ask, named_results) or result_arithmetic(ask, facts_as_results(by_label))
    if computed:   # what was asked to compute leads the lines it was computed from
        asked.insert(0, computed)
    lasting = _duration(ask, facts) if asks_length(ask) else None
    if lasting is not None:   # "사업기간 몇 년", "당초 계획보다 몇 년 늘었어": the length, computed when changed
        asked = [lasting[0], *(ln for ln in asked if ln.removeprefix("• ") not in lasting[0])]
        sources.append(lasting[1])
    result_lines = [_result_line(res) for res in named_results]
    sources.extend(res["source"] for res in named_results)
    asking = _questions_asked(ask)
    if asking >= 2 and len(result_lines) >= 2 and not computed:   # "일자리 몇 명이랑 중핵기업 몇 개": both,
        both = " · ".join(ln.removeprefix("• ") for ln in result_lines[:asking])   # on the first line
        result_lines = [both, *result_lines[asking:]]
    asked.extend(result_lines)
    fields = store.fields(subject.id)
    field_lines: list[str] = []
    if fields:
        chosen = [f for f in fields if q.phase is None or f["phase"] == q.phase] or fields
        field_lines.append("육성분야:")
        for f in chosen:
            field_lines.append(f"• {f['phase']}단계: {f['area']} › {f['field']} — {f['description']}")
            sources.append(f["source"])
        # "제주 클러스터 2단계 과제": that phase's field is what is asked, before lines that say no phase
        if q.phase is not None and not any(f"{q.phase}단계" in ln for ln in asked):
            asked = ["육성분야 " + "; ".join(ln.removeprefix("• ") for ln in field_lines[1:]), *asked]
            field_lines = []
    top = header(store, row, table)
    if span:
        top = [ln for ln in top if not ln.startswith("기간:")]
    whole = gist(store, row) if not asked and not ask.aspects() and q.phase is None else None
    if whole:   # the whole entity is asked: what it is goes first, in one line, then the rest of the card
        whole = f"{row['name']} — {whole}" if ask.implicit else whole   # found for the asker: its name too
        top = [top[0], whole, *(ln for ln in top[1:] if not ln.startswith(GIST_LABELS))]
    if q.has("이름", "명칭") and not asked:   # "국가혁신클러스터 지금은 이름 뭐로 바뀌었지": its names by document
        renamed = _names_by_document(store, row, subject.kind)
        asked = [renamed] if renamed else asked
    counts = BY_NAME["count"].states
    # "도심융합특구 몇 군데 지정됐어": the rows under it, or its places, counted when no line states a count —
    # not when the question names what it counts, a noun nothing explains ("입주기업 몇 개")
    if "count" in ask.aspects() and not q.unexplained and counts is not None \
            and not any(counts.search(ln) for ln in [*asked, *top]):
        counted = _counted(store, row, table, q.has("곳", "군데"))
        asked = [counted, *asked] if counted else asked
    lines = [*top[:1], *asked, *top[1:], *([""] if field_lines else []), *field_lines]
    if not asked_facts and not asked_results:
        lines.extend(_extras(store, row, table, sources, facts, results))
    named = [m.text for m in q.mentions if m.exact and len(m.text) >= 4]
    dated = [m for m in store.meetings() if m["program"] != row["id"]
             and any(key in compact(str(m["title"])) for key in named)]
    dated = [*store.meetings_of_program(str(row["id"])), *dated]   # its own dates, then those naming it
    words = [n for n in nouns_of(q.text) if len(n) >= 2]   # the dates the question names most come first
    dated = sorted(dated, key=lambda m: -sum(w in compact(str(m["title"])) for w in words))
    for meeting in dated[:4]:
        lines.append(f"• 일정: {meeting['title']} — {when_iso(meeting['start'])}")
        sources.append(meeting["source"])
    return finish(ask, "program", lines, sources, asked=len(asked))


_YEARS_ASKED = re.compile(r"몇(?:개)?년")   # a length in years asked: 몇 년, 몇년짜리, 몇 개년
# … said so whatever else the question asks (몇 년짜리, 몇 년으로 늘었어, 몇 년간); "몇 년에 착수" asks a year
_LENGTH_ASKED = re.compile(r"몇(?:개)?년(?:짜리|으로|간|동안|늘|줄|더)|몇개년")


def _questions_asked(ask: Ask) -> int:
    """How many question words (몇, 얼마 …) the question itself says, outside its clauses of context."""
    return sum(is_question_word(w) for i, w in enumerate(tokenize(ask.query.text)) if i not in ask.query.context_at)


def asks_length(ask: Ask) -> bool:
    """Whether a question asks how many years something lasts: 몇 년 with a period asked (사업기간 몇 년), or
    said as a length (몇 년짜리, 몇 년으로 늘었어)."""
    said = ask.query.compact
    return bool(_LENGTH_ASKED.search(said)) or ("period" in ask.aspects() and bool(_YEARS_ASKED.search(said)))


# a length a fact states: (10년, …), 7개년 — not a year ('24년, ~'27년, 2018년)
_LASTS = re.compile(r"(?<![~'’‘\d.])(\d{1,2})\s*(?:개년|년)(?![~\d])")


def _duration(ask: Ask, facts: list[Row]) -> tuple[str, str] | None:
    """The years a program lasts as its facts state them (a fact labelled 기간 first), and the source; with a
    change asked ("당초보다 몇 년 늘었어"), the difference of the two lengths that fact states."""
    stated = sorted(((f, [int(m.group(1)) for m in _LASTS.finditer(str(f["value"]))]) for f in facts),
                    key=lambda pair: "기간" not in str(pair[0]["attribute"]))
    stated = [(f, lengths) for f, lengths in stated if lengths]
    if not stated:
        return None
    fact, lengths = stated[0]
    said = f"{fact['attribute']}: {fact['value']}"
    if result_operation(ask) == "diff" and len(set(lengths)) == 2:
        longer, shorter = max(lengths), min(lengths)
        return f"{longer}년 − {shorter}년 = {longer - shorter}년 ({said})", str(fact["source"])
    return said, str(fact["source"])


def phase_period(store: Store, row: Row, phase: int) -> str | None:
    """The years one phase of a program runs: from its budget subtotals, else from its text ("3단계('23~'27)")."""
    from_budgets = phases_period(store.budgets(str(row["id"])), phase, phase)
    if from_budgets:
        return from_budgets
    text = " ".join([str(row.get("summary") or ""), *(str(f["value"]) for f in store.facts(str(row["id"])))])
    found = re.search(rf"{phase}단계\s*\(\s*'?(\d{{2}})\s*[~∼-]\s*'?(\d{{2}})\s*\)", text)
    return f"20{found.group(1)}~20{found.group(2)}" if found else None


def _most_named_first(results: list[Row], ask: Ask) -> list[Row]:
    """Results ordered by how many of the question's words their metric, then their note, say ("청년 일자리
    비중": 일자리 창출, whose note gives 청년 70.0%, before 수도권 기업 비중)."""
    words = ask.content_words()

    def said(res: Row) -> tuple[int, int]:
        metric, note = compact(str(res["metric"])), compact(str(res["note"] or ""))
        return (-sum(w in metric or w in note for w in words), -sum(w in metric for w in words))

    return sorted(results, key=said)


def _result_line(res: Row) -> str:
    note = f" ({res['note']})" if res["note"] else ""
    period = f"[{res['period']}] " if res["period"] else ""
    return f"• {period}{res['metric']}: {res['value']}{res['unit'] or ''}{note}"


def _extras(store: Store, row: Row, table: str, sources: list[str], facts: list[Row],
            results: list[Row]) -> list[str]:
    """Children, budgets headline, a few facts and results."""
    lines: list[str] = []
    children = store.children(table, str(row["id"]))
    if table == "programs":
        children += store.children("tasks", str(row["id"]))
    else:
        children += store.children("programs", str(row["id"]))
    if children:
        lines.append("세부 항목:")
        lines.extend(f"• {c['name']}" + (f" ({c['area']})" if c.get("area") else "") for c in children[:30])
        if len(children) > 30:
            lines.append(f"… 외 {len(children) - 30}건")
    budgets = [b for b in store.budgets(str(row["id"])) if b["amount"] is not None]
    if budgets:
        top = [b for b in budgets if b["is_total"] and not b["year"] and not b["phase"]] or budgets[:3]
        lines.append("예산: " + ", ".join(
            f"{b['label'] or b['funding'] or ''} {amount(b['amount'], b['unit'])}".strip() for b in top[:4]))
        sources.extend(b["source"] for b in top[:4])
    for fact in facts[:6]:
        lines.append(f"• {fact['attribute']}: {fact['value']}")
        sources.append(fact["source"])
    for res in results[:4]:
        lines.append(_result_line(res))
        sources.append(res["source"])
    return lines
