"""Formatting shared by the intents: amounts, dates, phones, sources."""

from datetime import date, datetime

from store.people import LOCAL_OPERATOR
from store.store import Row, Store

WEEKDAYS = "월화수목금토일"


def amount(value: int | None, unit: str | None) -> str:
    """An integer amount in its stored unit as a Korean figure: 25910 백만원 → `259.1억원`."""
    if value is None:
        return "미정"
    if unit == "백만원":
        eok = value / 100
        text = f"{eok:,.2f}".rstrip("0").rstrip(".")
        return f"{text}억원"
    if unit in (None, "", "억원"):
        return f"{value:,}억원"
    return f"{value:,}{unit}"


def person_name(user_id: int | None, name: str | None = None) -> str:
    """How a recorded writer is shown: their name, the local operator, the bot itself, or their id."""
    if name:
        return name
    if user_id is None:
        return "tfbot(자동)"
    return "로컬 운영자" if user_id == LOCAL_OPERATOR else f"사용자 {user_id}"


def progress_summary(percent: int | None, status: str, note: str | None) -> str:
    """A progress entry as `40% · 진행 — 메모`; no percent says so, a note that only repeats the status is left out."""
    pct = f"{percent}%" if percent is not None else "진행률 미기재"
    said = (note or "").strip()
    return f"{pct} · {status}" + (f" — {said}" if said and said != status else "")


def when(text: str | None) -> str:
    """An ISO date, date-time or month from the store in Korean, with the weekday."""
    if not text:
        return "일정 미정"
    try:
        if len(text) == 4 and text.isdigit():
            return f"{text}년"
        if len(text) == 7:
            year, month = text.split("-")
            return f"{int(year)}년 {int(month)}월"
        if len(text) == 10:
            d = date.fromisoformat(text)
            return f"{d.year}년 {d.month}월 {d.day}일({WEEKDAYS[d.weekday()]})"
        dt = datetime.fromisoformat(text)
    except ValueError:
        return text
    return f"{dt.year}년 {dt.month}월 {dt.day}일({WEEKDAYS[dt.weekday()]}) {dt:%H:%M}"


def when_iso(text: str | None) -> str:
    """`when()` followed by the ISO date in brackets, so both spellings can be searched for."""
    if not text or len(text) < 10:
        return when(text)
    return f"{when(text)} [{text[:10]}]"


def clock(text: str | None) -> str:
    """The HH:MM part of an ISO date-time, or '' for a date without a time."""
    if text and "T" in text:
        return text.split("T", 1)[1][:5]
    return ""


def cited(store: Store, source_id: str, source_ids: list[str]) -> str:
    """` [발행기관 날짜]` after a figure when an answer draws on more than one document, so that each figure
    names its own source; '' when the answer has one source (the source line below says it)."""
    if len(set(source_ids)) < 2:
        return ""
    src = store.source(source_id)
    if src is None:
        return ""
    issuer = str(src["issuer"] or "").replace(" · ", "·")
    return f" [{issuer} {src['date'] or '발행일 미상'}]"


CORRECTION = "correction:"   # a source id that names a correction made from chat: `correction:<history id>`


def row_source(store: Store, table: str, row: Row) -> str:
    """What an answer cites for a row: its latest correction (`correction:<id>`) when a person corrected it
    from chat, else the document it came from."""
    origin = store.origin_of(table, str(row["id"]))
    if origin.origin == "correction" and origin.ref:
        return f"{CORRECTION}{origin.ref}"
    return str(row.get("source") or "")


def _correction_text(store: Store, sid: str | None) -> str | None:
    """`수정: 김코디, 2026-12-02` for a correction's source id; None for a document's id or an unknown one."""
    if not sid or not sid.startswith(CORRECTION) or not sid[len(CORRECTION):].isdigit():
        return None
    found = store.correction(int(sid[len(CORRECTION):]))
    if found is None:
        return None
    return f"수정: {person_name(found['user_id'], found['user_name'])}, {str(found['at'])[:10]}"


def source_name(store: Store, sid: str | None) -> str | None:
    """A source as an answer names it: a document's title, issuer and date, or who corrected it and when."""
    corrected = _correction_text(store, sid)
    if corrected is not None:
        return corrected
    src = store.source(sid) if sid else None
    if src is None:
        return None
    return f"{src['title']} ({src['issuer']}, {src['date'] or '발행일 미상'})"


def source_line(store: Store, source_ids: list[str]) -> str:
    """`출처: …` naming each source document with its issuer and date, and each correction with who and when."""
    parts = dict.fromkeys(n for n in (source_name(store, sid) for sid in dict.fromkeys(source_ids)) if n)
    return "출처: " + "; ".join(parts) if parts else ""


def source_files(store: Store, source_ids: list[str]) -> list[str]:
    """The file names of the source documents, for the JSON `sources` list (a correction as `수정: 누구, 날짜`)."""
    out = []
    for sid in dict.fromkeys(source_ids):
        corrected = _correction_text(store, sid)
        src = store.source(sid) if corrected is None and sid else None
        if corrected is not None and corrected not in out:
            out.append(corrected)
        elif src is not None:
            out.append(str(src["file"]))
    return out


def name_of(store: Store, org_id: str | None) -> str:
    """The display name of an organisation key (or the key itself when unknown)."""
    if not org_id:
        return ""
    org = store.organisation(org_id)
    return str(org["name"]) if org else org_id


def regions_text(row: Row) -> str:
    """The region cell of a row as `부산, 울산, 경남`."""
    return ", ".join(r.strip() for r in str(row.get("region") or "").split("|") if r.strip())


def describe(row: Row) -> str:
    """A budget cell's qualifiers in words: `2020년 · 1단계 · R&D`."""
    parts = []
    if row["year"]:
        parts.append(f"{row['year']}년")
    elif row["period"]:
        parts.append(str(row["period"]).replace("~", "~") + "년")
    if row["phase"]:
        parts.append(f"{row['phase']}단계" + (" 소계" if row["is_total"] and not row["year"] else ""))
    for key in ("category", "funding", "scope"):
        if row[key]:
            parts.append(str(row[key]))
    label = " · ".join(parts)
    if row["label"] and not label:
        label = str(row["label"])
    return label or "전체"
