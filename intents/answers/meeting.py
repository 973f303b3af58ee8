"""Meetings and deadlines: next, past, by name, with time, place, chairs and agenda."""

import re
from datetime import datetime, timedelta

from intents.answers.common import Ask, finish, matching_rows, nothing
from intents.answers.render import clock, when, when_iso
from intents.dates.calendar import meeting_attachment
from intents.dates.rules import describe_rule, occurrence_note, series_label
from intents.message import Entity, Reply
from intents.reading.normalize import compact
from intents.writes.schedule import attendance
from store.store import Row, Store

MAX_TITLED = 5
ORDINAL = re.compile(r"제?([0-9]+)차")   # 제1차, 2차: which sitting of a recurring meeting
_RECURS = re.compile(r"수시|상시|매월|매주|매년|분기마다|매\s?분기|정기")   # how often, when a meeting has no date


def meeting_lines(store: Store, row: Row, now: datetime | None = None) -> list[str]:
    """A meeting's title, time, place, mode, chairs, attendees and agenda as lines; a recurring meeting's rule
    and its next occurrences (moved, cancelled and on public holidays said) when `now` is given."""
    lines = [f"[{row['title']}] {row['kind']}"]
    start, end = row["start"], row["end"]
    if row.get("rrule"):
        first = datetime.fromisoformat(str(start))
        lines.append(f"일시: {describe_rule(str(row['rrule']), first)} (반복, 첫 회의 {when_iso(start)})")
        lines.extend(_occurrence_lines(store, row, now) if now is not None else [])
        return [*lines, *_details(store, row)]
    span = when_iso(start) if not end else when(start)
    if end:
        until = clock(end) or when(end)
        if not clock(end) and start and str(end)[:4] == str(start)[:4]:   # 2021년 7월 ~ 12월: the year said once
            until = until.removeprefix(f"{str(end)[:4]}년 ")
        span += f" ~ {until}" + (f" [{start[:10]}]" if start and len(start) >= 10 else "")
    often = _RECURS.search(str(row["note"] or "").split(".")[0]) if not start else None
    if often:   # "수시로 개최할 예정": no date, but when it meets is said
        span = f"정해진 날짜 없음 — {str(row['note']).split('.')[0].split(' (')[0]}"
    lines.append(f"일시: {span}")
    return [*lines, *_details(store, row)]


NEXT_OCCURRENCES = 4


def _occurrence_lines(store: Store, row: Row, now: datetime) -> list[str]:
    """The next occurrences of a recurring meeting, and those cancelled among them."""
    meeting_id = str(row["id"])
    following = store.occurrences(meeting_id, now, now + timedelta(days=400))[:NEXT_OCCURRENCES]
    if not following:
        return ["남은 회차가 없습니다."]
    last = following[-1].start
    lines = ["다음 회차:"]
    shown = [(o.start, f"• {when(o.start)}" + occurrence_note({"start": o.start, "occurrence": o.occurrence}))
             for o in following]
    for exception in store.exceptions_of(meeting_id):
        if exception["start"] is None and exception["scope"] == "this" and now.isoformat() < \
                str(exception["occurrence"]) <= last:
            shown.append((str(exception["occurrence"]), f"• {when(str(exception['occurrence']))} — 취소"))
    lines.extend(text for _, text in sorted(shown))
    return lines


def _details(store: Store, row: Row) -> list[str]:
    """Place, mode, chairs, attendees, note and agenda of a meeting, as lines."""
    lines = []
    if row["place"]:
        lines.append(f"장소: {row['place']}")
    if row["mode"]:
        mode = str(row["mode"])
        lines.append(f"방식: {mode}회의" if mode in ("영상", "대면", "서면", "화상") else f"방식: {mode}")
    if row["chairs"]:
        lines.append(f"주재/위원장: {row['chairs']}")
    if row["attendees"]:
        lines.append(f"참석: {row['attendees']}")
    if row["note"]:
        lines.append(f"비고: {row['note']}")
    agenda = store.agenda(row["id"])
    if agenda:
        lines.append("안건·진행 순서:")
        for item in agenda:
            times = f"{item['start']}~{item['end']} " if item["start"] else ""
            by = f" ({item['by']})" if item["by"] else ""
            lines.append(f"• {times}{item['item']}{by}")
    return lines


def upcoming(store: Store, now: datetime) -> list[Row]:
    """Meetings scheduled after `now`, soonest first: the same list as /meetings."""
    return store.scheduled_meetings(now.isoformat())


def meeting_line(row: Row) -> str:
    """A meeting on one line: when, title, place; a recurring one's rule, a moved occurrence, a public holiday."""
    return (f"{when_iso(row['start'])} {row['title']}" + (f" @ {row['place']}" if row["place"] else "")
            + series_label(row) + occurrence_note(row))


def _adjacent(agenda: list[Row], items: list[Row], ask: Ask) -> list[Row]:
    """The timed agenda item after (다음, 끝나면, 이후) or before (전에, 앞에) the one item the question names."""
    timed = [a for a in agenda if a["start"]]
    named = [a for a in items if a in timed]
    if len(named) != 1:
        return []
    at = timed.index(named[0])
    q = ask.query
    step = 1 if q.order == "next" or q.has("끝나면", "끝난뒤", "끝난후", "이후") else \
        -1 if q.has("전에", "앞에", "이전", "직전") else 0
    return [timed[at + step]] if step and 0 <= at + step < len(timed) else []


def answer_next(ask: Ask) -> Reply:
    """다음 회의: the next scheduled meetings; those about the subject the question names, when it names one."""
    store, subject = ask.store, ask.subject
    future = upcoming(store, ask.message.now)
    if subject is not None:
        said = [m.text for m in ask.query.mentions]
        future = [m for m in future if m["program"] == subject.id or m["id"] == subject.id
                  or any(key in compact(str(m["title"])) for key in said)]
    today = when(ask.message.now.date().isoformat())
    if not future:
        about = f"'{subject.name}' 관련 " if subject is not None else ""
        return Reply(text=f"{today} 이후 {about}예정된 회의가 없습니다. 코디네이터는 /meeting 으로 등록할 수 있습니다.",
                     intent="meeting")
    lines = [f"다음 회의: {meeting_line(future[0])}"]
    if len(future) > 1:
        lines.append("그다음 예정:")
        lines.extend(f"• {meeting_line(m)}" for m in future[1:10])
    return finish(ask, "meeting", lines, [m["source"] for m in future[:10] if m["source"]],
                  entities=_as_entities(future[:10]), asked=1)


_CLOCK = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")


def _minutes(start: object, end: object) -> str:
    """` (50분)`: how long an agenda item lasts, from its start and end times; '' when either is not a time."""
    a, b = _CLOCK.match(str(start or "")), _CLOCK.match(str(end or ""))
    if a is None or b is None:
        return ""
    length = (int(b[1]) * 60 + int(b[2])) - (int(a[1]) * 60 + int(a[2]))
    return f" ({length}분)" if length > 0 else ""


# a day asked, not a month
_DAY_ASKED = re.compile(r"며칠|몇일|몇월몇일|정확한날짜|정확히언제|날짜가정확히|정확한일자")


def answer_meeting(ask: Ask) -> Reply:
    """회의·일정 — 회의 일시·장소·안건, 다음 회의, 참석자 (예: 다음 TF 회의 언제야?)."""
    store, subject = ask.store, ask.subject
    if subject is not None and subject.kind == "meeting":
        row = store.meeting(subject.id)
        if row is None:
            return nothing(ask, "meeting", "해당 회의를")
        asked, held = ORDINAL.search(ask.query.compact), ORDINAL.search(compact(str(row["title"])))
        if asked and held and asked.group(1) != held.group(1):
            return nothing(ask, "meeting", f"{asked.group(1)}차 회의를")
        year = ask.query.year
        if year is not None and row["start"] and not str(row["start"]).startswith(str(year)):
            return nothing(ask, "meeting", f"{year}년 {row['title']}을(를)")
        start = str(row["start"] or "")
        if _DAY_ASKED.search(ask.query.compact) and len(start) < 10:   # "정확히 며칠에 열렸어": only a month
            known = f" — 자료에는 {when(start)}로만 나옵니다" if start else ""
            return Reply(text=f"'{row['title']}'의 정확한 날짜는 자료에 없습니다{known}.", intent="meeting",
                         missed=True)
        detail = meeting_lines(store, row, ask.message.now)
        facts = store.facts(str(row["id"]))
        named = matching_rows(facts, "attribute", ask)
        # an agenda item or fact the question names ("모두발언 시간") is the answer: it goes first
        agenda = store.agenda(str(row["id"]))
        items = matching_rows(agenda, "item", ask)
        items = _adjacent(agenda, items, ask) or items   # "모두발언 다음 순서": the item after it
        said = [f"• {a['item']} 시간: {a['start']}~{a['end']}" + _minutes(a["start"], a["end"]) +
                (f" ({a['by']})" if a["by"] else "") for a in items if a["start"]] + \
            [f"• {f['attribute']}: {f['value']}" for f in named]
        detail = [*detail[:1], *said, *detail[1:]]
        detail.extend(f"• {f['attribute']}: {f['value']}" for f in ([] if named else facts[:4]))
        if ask.query.has("참석자", "참석여부", "불참", "누가참석", "참석해"):
            detail.extend(["", *attendance(store, row)])
        reply = finish(ask, "meeting", detail, [row["source"]] if row["source"] else [], asked=len(said))
        if ask.query.has("ics", "캘린더", "달력", "일정파일"):
            calendar_row = {**row, "exceptions": store.exceptions_of(str(row["id"]))} if row.get("rrule") else row
            reply.attachments.append(meeting_attachment(calendar_row, ask.message.now))
        return reply
    if subject is not None:
        return nothing(ask, "meeting", f"'{subject.name}'의 회의·일정을")
    meetings = store.meetings()
    if not meetings:
        return nothing(ask, "meeting", "등록된 회의를")
    wanted = titled(ask)
    if wanted:
        lines: list[str] = []
        for row in wanted:
            lines.extend([*meeting_lines(store, row), ""])
        return finish(ask, "meeting", lines, [m["source"] for m in wanted], entities=_as_entities(wanted))
    future = upcoming(store, ask.message.now)
    lines = []
    if ask.query.order == "last":   # "지난 회의 언제였어": the latest dated meeting before now
        now = ask.message.now.isoformat()
        past = sorted((m for m in meetings if m["start"] and m["start"] < now[: len(m["start"])]
                       and m["status"] != "취소"), key=lambda m: m["start"], reverse=True)[:5]
        if past:
            lines = [f"지난 회의: {meeting_line(past[0])}", *(f"• {meeting_line(m)}" for m in past[1:])]
            return finish(ask, "meeting", lines, [m["source"] for m in past if m["source"]],
                          entities=_as_entities(past))
    if future:
        lines.append("예정된 회의·일정:")
        lines.extend(f"• {when(m['start'])} {m['title']}" + (f" @ {m['place']}" if m["place"] else "")
                     + series_label(m) + occurrence_note(m) for m in future[:10])
        shown = future[:10]
    else:
        past = [m for m in meetings if m["start"]][-5:]
        lines.append(f"{when(ask.message.now.date().isoformat())} 이후 예정된 회의가 없습니다. 최근 회의·일정:")
        lines.extend(f"• {when(m['start'])} {m['title']}" for m in reversed(past))
        shown = past
    return finish(ask, "meeting", lines, [m["source"] for m in shown], entities=_as_entities(shown))


def titled(ask: Ask) -> list[Row]:
    """Up to five meetings whose titles share a topic word with the question."""
    wanted = matching_rows(ask.store.meetings(), "title", ask)
    return wanted if len(wanted) <= MAX_TITLED else []


def _as_entities(rows: list[Row]) -> list[Entity]:
    """Each meeting once (a recurring one may be listed at several occurrences)."""
    seen: dict[str, Entity] = {}
    for m in rows:
        seen.setdefault(str(m["id"]), Entity("meeting", str(m["id"]), str(m["title"]), 100.0))
    return list(seen.values())
