"""Recurring meetings from chat: `/meeting 매주 화요일 오후 2시 …` read into a rule and confirmed; `/move` and
`/cancel` change one occurrence (the next, or the one named by date) unless `이후 모두` (this one and those after
it) or `전체` (the whole series) is said."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import korean_datetime

from intents.answers.render import when as when_text
from intents.dates.calendar import meeting_attachment
from intents.dates.recurrence import Recurrence, mentions_recurrence, read_recurrence
from intents.dates.rules import CODES, describe_rule, occurrence_note
from intents.dates.when import DateError, find_day, holiday_name, read_when
from intents.message import Entity, Message, Reply, Written
from intents.writes.access import actor_of
from intents.writes.meeting_form import confirming, describe, title_place_mode
from store.recurrence import Occurrence, expand, first_on_or_after, rule_parts, rule_text
from store.store import Row, Store

PREVIEW = 3                       # occurrences shown after the first when a series is offered
HOLIDAY_YEARS = 1                 # how far ahead occurrences on public holidays are pointed out
MAX_HOLIDAYS = 5
SCOPES = ("this", "following", "all")
_FOLLOWING = re.compile(r"(?:이\s*회차\s*)?(?:이후|부터)(?:\s*(?:회차|회의|일정))?(?:\s*(?:모두|전부|다|전체))?(?!\S)"
                        r"|(?<!\S)(?:앞으로|다음\s*회차부터)\s*(?:모두|전부|다)(?!\S)")
_ALL = re.compile(r"(?<!\S)(?:반복\s*)?전체(?:를|다)?(?:\s*(?:일정|회차|반복)(?:을|를)?)?(?!\S)"
                  r"|(?<!\S)모든\s*회차(?!\S)")
_THIS = re.compile(r"(?<!\S)(?:이번|그|이|다음)?\s*회차(?:만)?(?!\S)|(?<!\S)(?:이번|하나|한\s*번)만(?!\S)")
_ARROW = re.compile(r"\s*(?:→|->|=>|⇒|➡)\s*")
_A_DAY = re.compile(r"\d\s*일|\d\s*[./]\s*\d|요일|오늘|내일|모레|글피")
_LEFTOVER = re.compile(r"\s*(?:의|을|를|은|는)?\s*$")


@dataclass
class Change:
    """What a /move or /cancel said: the meeting's name, which occurrence (a day, maybe a time), the scope, and
    the new time or new rule of a move."""

    name: str
    scope: str = "this"
    day: date | None = None
    at: time | None = None
    new_start: datetime | None = None
    new_rule: Recurrence | None = None
    warnings: list[str] = field(default_factory=list)


# --- scheduling ------------------------------------------------------------------------------------
def schedule_series(message: Message, body: str) -> Reply:
    """`/meeting 매주 화요일 오후 2시 권역별 TF회의`: the rule, its first occurrences and the public holidays it
    meets on, with 확인/취소; nothing is saved before 확인."""
    try:
        recurrence = read_recurrence(body, message.now)
    except DateError as exc:
        return Reply(text=f"{exc} 아무것도 저장하지 않았습니다.", intent="meeting")
    titled = title_place_mode(recurrence.without_phrase(body))
    if isinstance(titled, Reply):
        return titled
    title, place, mode = titled
    zone = getattr(message.now.tzinfo, "key", None)
    payload = {"op": "add_series", "title": title, "start": recurrence.start.isoformat(), "rrule": recurrence.rule,
               "tzid": zone, "place": place, "mode": mode}
    row = {"id": "new", "title": title, "start": recurrence.start.isoformat(), "rrule": recurrence.rule, "tzid": zone}
    lines = ["이렇게 등록할까요?", f"• 제목: {title}", f"• 반복: {describe_rule(recurrence.rule, recurrence.start)}",
             f"• 첫 회의: {describe(recurrence.start, place, mode)}{occurrence_note({'start': payload['start']})}"]
    lines.extend(_preview(row, recurrence.start))
    lines.extend(recurrence.warnings)
    lines.append(f"(iCalendar 규칙: RRULE:{recurrence.rule})")
    return confirming(payload, "\n".join(lines), "확인")


def _preview(row: Row, first: datetime) -> list[str]:
    """The next few occurrences after the first, and those of the coming year that fall on public holidays."""
    year = expand(row, [], first, first + timedelta(days=366 * HOLIDAY_YEARS))
    lines = []
    following = year[1:PREVIEW + 1]
    if following:
        lines.append("• 이어서: " + ", ".join(when_text(o.start) for o in following) + (" …" if len(year) > 4 else ""))
    on_holidays = [(o, holiday_name(date.fromisoformat(o.start[:10]))) for o in year]
    named = [(o, name) for o, name in on_holidays if name]
    if named:
        shown = ", ".join(f"{when_text(o.start)} {name}" for o, name in named[:MAX_HOLIDAYS])
        more = f" 외 {len(named) - MAX_HOLIDAYS}회" if len(named) > MAX_HOLIDAYS else ""
        lines.append(f"⚠️ 앞으로 1년 중 공휴일과 겹치는 회차: {shown}{more}")
    return lines


# --- reading a /move or /cancel ----------------------------------------------------------------------
def read_change(op: str, body: str, now: datetime) -> Change | Reply:
    """Read a /move or /cancel body: scope words, which occurrence, the new time (a move), the name."""
    scope = "this"
    for pattern, said in ((_ALL, "all"), (_FOLLOWING, "following"), (_THIS, "this")):
        if pattern.search(body):
            scope = scope if scope != "this" else said
            body = pattern.sub(" ", body)
    body = re.sub(r"\s+", " ", body).strip()
    change = Change(name=body, scope=scope)
    left = body
    if op == "move":
        parts = _ARROW.split(body, maxsplit=1)
        if len(parts) == 2:
            left, right = parts
        else:
            left, right = _split_new_time(body, now)
        try:
            if mentions_recurrence(right):
                change.new_rule = read_recurrence(right, now)
                leftover = change.new_rule.without_phrase(right)
            else:
                found = read_when(right, now)
                change.new_start, change.warnings = found.start, found.warnings
                leftover = found.without_phrase(right)
        except DateError as exc:
            return Reply(text=f"{exc} 아무것도 바꾸지 않았습니다.", intent="meeting")
        left = f"{left} {leftover}".strip()
    named = find_day(left, now)
    if named is not None and _A_DAY.search(left[named[2]:named[3]]):   # "12월 점검회의" names no occurrence
        start, timed, begin, end = named
        change.day, change.at = start.date(), start.time() if timed else None
        left = (left[:begin] + " " + left[end:]).strip()
    change.name = _LEFTOVER.sub("", re.sub(r"\s+", " ", left)).strip()
    return change


def _split_new_time(body: str, now: datetime) -> tuple[str, str]:
    """Where a /move's new time begins when no arrow says so: at the recurrence words, else at the last phrase
    with a time of day (`권역별 TF회의 12월 15일 12월 16일 15시`: the 15th is which occurrence, the 16th the new
    time)."""
    words = re.search(r"매일|평일|주중|매주|격주|\d+\s*주\s*마다|[월화수목금토일](?:요일)?\s*마다|매월|매달|매년", body)
    if words and mentions_recurrence(body):
        return body[:words.start()], body[words.start():]
    timed = [p for p in korean_datetime.parse_all(body, now=now.replace(tzinfo=None)) if p.time is not None]
    if not timed:
        return "", body   # read_when says what is missing
    begin = timed[-1].span[0]
    return body[:begin], body[begin:]


# --- changing a series -----------------------------------------------------------------------------
def change_series(store: Store, message: Message, op: str, meeting: Row, change: Change) -> Reply:
    """/move or /cancel on a recurring meeting: which occurrence and what changes, shown with 확인/취소."""
    series = store.meeting(str(meeting["id"])) or meeting
    target = _target(store, series, change, message.now)
    if isinstance(target, Reply):
        return target
    title, when_target = series["title"], when_text(target.start)
    described = describe_rule(str(series["rrule"]), datetime.fromisoformat(str(series["start"])))
    hint = "(이 회차부터 모두 바꾸려면 '이후 모두', 반복 전체는 '전체'를 붙여 주세요.)"
    if op == "cancel":
        if change.scope == "all":
            payload: dict[str, Any] = {"op": "cancel", "id": series["id"]}
            text = (f"[{title}] 반복 회의({described}) 전체를 취소할까요? 남은 회차의 알림도 모두 취소되고 "
                    "그룹에 알립니다.")
            return confirming(payload, text, "전체 취소")
        if change.scope == "following":
            payload = {"op": "end_series", "id": series["id"], "occurrence": target.occurrence}
            text = (f"[{title}] {when_target} 회차부터 이후 회의를 모두 취소할까요? 그 전 회차는 그대로이고, 알림도 "
                    "함께 취소되며 그룹에 알립니다.")
            return confirming(payload, text, "이후 모두 취소")
        payload = {"op": "cancel_occurrence", "id": series["id"], "occurrence": target.occurrence}
        text = (f"[{title}] {when_target} 회차만 취소할까요? 다른 회차는 그대로입니다({described}). 이 회차의 알림도 "
                f"취소되고 그룹에 알립니다.\n{hint}")
        return confirming(payload, text, "이 회차 취소")
    return _move(store, series, target, change, described, hint, message.now)


def _move(store: Store, series: Row, target: Occurrence, change: Change, described: str, hint: str,
          now: datetime) -> Reply:
    """The confirmation of a move: one occurrence, this one and those after it, or the whole series."""
    title, when_target = series["title"], when_text(target.start)
    original = datetime.fromisoformat(target.occurrence)
    if change.scope == "this":
        if change.new_start is None:
            later = original + timedelta(days=1)
            return Reply(text="한 회차만 옮길 때는 새 날짜와 시간을 적어 주세요. 예: /move "
                              f"{title} {original.month}월 {original.day}일 → {later.month}월 {later.day}일 15시"
                              "\n반복 규칙을 바꾸려면 '이후 모두' 또는 '전체'를 붙여 주세요. "
                              "아무것도 바꾸지 않았습니다.",
                         intent="meeting")
        clash = _clash(store, series, target, change.new_start)
        if clash:
            return Reply(text=f"{when_text(change.new_start.isoformat())}에는 이미 [{title}] 회차가 있습니다. "
                              "다른 시각을 적어 주세요. 아무것도 바꾸지 않았습니다.", intent="meeting")
        payload: dict[str, Any] = {"op": "move_occurrence", "id": series["id"], "occurrence": target.occurrence,
                                   "start": change.new_start.isoformat()}
        lines = [f"[{title}] {when_target} 회차만 옮길까요? 다른 회차는 그대로입니다({described}).",
                 f"• 변경: {describe(change.new_start, series['place'], series['mode'])}", *change.warnings]
        if change.day is None and abs(change.new_start - original) > timedelta(days=7):
            lines.append(f"⚠️ 날짜를 적지 않아 다음 회차({when_target})를 옮깁니다. 다른 회차라면 날짜를 적어 주세요. "
                         f"예: /move {title} {change.new_start.month}월 {change.new_start.day}일 → 새 일시")
        lines.append(hint)
        return confirming(payload, "\n".join(lines), "이 회차 변경")
    first = datetime.fromisoformat(str(series["start"]))
    if change.new_rule is not None:
        new_rule = _keep_end(change.new_rule.rule, str(series["rrule"]))
        begin = max(original.date(), now.date()) if change.scope == "following" else now.date()
        candidate = datetime.combine(begin, change.new_rule.start.timetz())
        if candidate <= now:
            candidate += timedelta(days=1)
        new_start = first_on_or_after(new_rule, candidate)
        warnings = change.new_rule.warnings
    else:
        assert change.new_start is not None
        shifted = shift_rule(str(series["rrule"]), (change.new_start.date() - original.date()).days)
        if shifted is None:
            return Reply(text=f"'{described}' 규칙은 날짜를 옮겨 바꿀 수 없습니다. 새 반복을 적어 주세요. "
                              f"예: /move {title} 이후 모두 매월 둘째 화요일 오후 3시. 아무것도 바꾸지 않았습니다.",
                         intent="meeting")
        new_rule = shifted
        moved_first = change.new_start if change.scope == "following" else first + (change.new_start - original)
        new_start = first_on_or_after(new_rule, moved_first)   # the rule's own first day from there
        warnings = change.warnings
    if new_start is None:
        return Reply(text="새 규칙으로 열리는 회의가 없습니다. 끝나는 날을 확인해 주세요. 아무것도 바꾸지 않았습니다.",
                     intent="meeting")
    new_described = describe_rule(new_rule, new_start)
    if change.scope == "following":
        payload = {"op": "split_series", "id": series["id"], "occurrence": target.occurrence,
                   "start": new_start.isoformat(), "rrule": new_rule}
        note = occurrence_note({"start": new_start.isoformat()})
        lines = [f"[{title}] {when_target} 회차부터 이후 모두 바꿀까요? 그 전 회차는 그대로입니다.",
                 f"• 기존: {described}",
                 f"• 변경: {new_described}, 첫 회의 {describe(new_start, series['place'], series['mode'])}{note}"]
        return confirming(payload, "\n".join([*lines, *warnings]), "이후 모두 변경")
    payload = {"op": "reschedule_series", "id": series["id"], "start": new_start.isoformat(), "rrule": new_rule}
    lines = [f"[{title}] 반복 전체를 바꿀까요? 회차별로 따로 바꾼 일정은 새 규칙으로 대체됩니다.",
             f"• 기존: {described}", f"• 변경: {new_described}"]
    return confirming(payload, "\n".join([*lines, *warnings]), "전체 변경")


def _keep_end(rule: str, old: str) -> str:
    """A new rule keeps the old one's end (UNTIL or COUNT) when it says none of its own."""
    parts, before = dict(rule_parts(rule)), rule_parts(old)
    if "UNTIL" in parts or "COUNT" in parts:
        return rule
    for key in ("UNTIL", "COUNT"):
        if key in before:
            parts[key] = before[key]
    return rule_text(parts)


def shift_rule(rule: str, days: int) -> str | None:
    """A rule whose occurrences fall `days` later (weekdays, a month's day, a year's day shifted); None when the
    rule cannot say that (the 29th and later of a month, the last day, a month's n-th weekday across a week)."""
    parts = dict(rule_parts(rule))
    if days == 0 or parts["FREQ"] == ["DAILY"]:
        return rule
    if "BYDAY" in parts:
        shifted = []
        for code in parts["BYDAY"]:
            order, day = str(code)[:-2], str(code)[-2:]
            if order and parts["FREQ"] != ["WEEKLY"] and abs(days) >= 7:
                return None
            shifted.append(order + CODES[(CODES.index(day) + days) % 7])
        parts["BYDAY"] = shifted
        return rule_text(parts)
    if "BYMONTHDAY" in parts:
        if "BYMONTH" in parts:
            moved = date(2025, int(parts["BYMONTH"][0]), int(parts["BYMONTHDAY"][0])) + timedelta(days=days)
            parts["BYMONTH"], parts["BYMONTHDAY"] = [moved.month], [moved.day]
            return rule_text(parts)
        monthday = int(parts["BYMONTHDAY"][0]) + days
        if not 1 <= monthday <= 28 or int(parts["BYMONTHDAY"][0]) < 0:
            return None
        parts["BYMONTHDAY"] = [monthday]
        return rule_text(parts)
    return rule


def _target(store: Store, series: Row, change: Change, now: datetime) -> Occurrence | Reply:
    """The occurrence a change is about: the one on the day named (its original day or where it was moved to),
    else the next one."""
    meeting_id, title = str(series["id"]), series["title"]
    if change.day is None:
        found = store.next_occurrence(meeting_id, now)
        if found is None:
            return Reply(text=f"[{title}]의 남은 회차가 없습니다. 아무것도 바꾸지 않았습니다.", intent="meeting")
        return found
    zone = datetime.fromisoformat(str(series["start"])).tzinfo
    day_start = datetime.combine(change.day, time(0), now.tzinfo or zone)
    near = store.occurrences(meeting_id, day_start - timedelta(days=45), day_start + timedelta(days=46))
    cancelled = {str(e["occurrence"]) for e in store.exceptions_of(meeting_id) if e["start"] is None}
    on_day = [o for o in near if change.day in (_day(o.start), _day(o.occurrence))
              and (change.at is None or change.at in (_clock(o.start), _clock(o.occurrence)))]
    if len(on_day) == 1:
        return on_day[0]
    said = when_text(change.day.isoformat())
    if any(_day(c) == change.day for c in cancelled):
        return Reply(text=f"[{title}] {said} 회차는 이미 취소되었습니다. 아무것도 바꾸지 않았습니다.", intent="meeting")
    if len(on_day) > 1:
        return Reply(text=f"[{title}]은(는) {said}에 여러 번 열립니다. 시간도 적어 주세요: "
                          + ", ".join(when_text(o.start) for o in on_day), intent="meeting")
    asked = change.day
    closest = sorted(near, key=lambda o: abs((_day(o.start) - asked).days))[:2]
    nearby = ", ".join(when_text(o.start) for o in sorted(closest)) or "없음"
    return Reply(text=f"[{title}]은(는) {said}에 열리지 않습니다. 가까운 회차: {nearby}. 아무것도 바꾸지 않았습니다.",
                 intent="meeting")


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _clock(text: str) -> time:
    return datetime.fromisoformat(text).time()


def _clash(store: Store, series: Row, target: Occurrence, start: datetime) -> bool:
    """Whether another occurrence of the series already takes place at `start` (two would share reminders)."""
    others = store.occurrences(str(series["id"]), start - timedelta(seconds=1), start + timedelta(seconds=1))
    return any(o.occurrence != target.occurrence for o in others)


# --- confirming ------------------------------------------------------------------------------------------
def confirm_series(store: Store, message: Message, payload: dict[str, Any]) -> Reply | None:
    """Write a series change offered above, on 확인; None when the payload is not one of them."""
    at, actor, op = message.now.isoformat(), actor_of(message), payload["op"]
    if op == "add_series":
        meeting_id = store.add_series(actor, at, payload["title"], payload["start"], payload["rrule"],
                                      payload.get("tzid"), payload["place"], payload["mode"])
        row = store.meeting(meeting_id) or {}
        start = datetime.fromisoformat(payload["start"])
        text = (f"등록했습니다: [{payload['title']}] {describe_rule(payload['rrule'], start)}\n"
                f"첫 회의: {describe(start, payload['place'], payload['mode'])}\n"
                "회차마다 알림을 보냅니다. 일정 파일(.ics)을 함께 보냅니다.")
        return _saved(text, "meeting_saved", meeting_id, payload["title"],
                      [meeting_attachment({**row, "exceptions": []}, message.now)])
    if op not in ("move_occurrence", "cancel_occurrence", "end_series", "split_series", "reschedule_series"):
        return None
    meeting_id = str(payload["id"])
    if op == "move_occurrence":
        row = store.change_occurrence(actor, at, meeting_id, payload["occurrence"], payload["start"])
        text = (f"[{row['title']}] {when_text(payload['occurrence'])} 회차를 {when_text(payload['start'])}(으)로 "
                "옮겼습니다. 다른 회차는 그대로이고, 이 회차의 알림도 옮겼습니다.")
        return _saved(text, "meeting_saved", meeting_id, str(row["title"]))
    if op == "cancel_occurrence":
        row = store.change_occurrence(actor, at, meeting_id, payload["occurrence"], None)
        text = f"[{row['title']}] {when_text(payload['occurrence'])} 회차를 취소했습니다. 다른 회차는 그대로입니다."
        return _saved(text, "meeting_cancelled", meeting_id, str(row["title"]))
    if op == "end_series":
        row = store.end_series(actor, at, meeting_id, payload["occurrence"])
        text = f"[{row['title']}] {when_text(payload['occurrence'])} 회차부터 이후 회의를 모두 취소했습니다."
        return _saved(text, "meeting_cancelled", meeting_id, str(row["title"]))
    start = datetime.fromisoformat(payload["start"])
    if op == "split_series":
        new_id = store.split_series(actor, at, meeting_id, payload["occurrence"], payload["start"], payload["rrule"])
        row = store.meeting(new_id) or {}
        text = (f"[{row.get('title')}] {when_text(payload['occurrence'])} 회차부터 "
                f"{describe_rule(payload['rrule'], start)}(으)로 바꿨습니다. 첫 회의: {when_text(payload['start'])}")
        return _saved(text, "meeting_saved", new_id, str(row.get("title")))
    row = store.reschedule_series(actor, at, meeting_id, payload["start"], payload["rrule"])
    text = f"[{row['title']}] 반복 전체를 {describe_rule(payload['rrule'], start)}(으)로 바꿨습니다."
    return _saved(text, "meeting_saved", meeting_id, str(row["title"]))


def _saved(text: str, intent: str, meeting_id: str, title: str, attachments: list[Any] | None = None) -> Reply:
    return Reply(text=text, intent=intent, entities=[Entity("meeting", meeting_id, title, 100.0)],
                 attachments=attachments or [], written=[Written("meeting", meeting_id)])
