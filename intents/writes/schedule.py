"""Coordinators schedule, move and cancel meetings from chat; members answer 참석/불참."""

import re
from datetime import datetime

from intents.answers.render import person_name
from intents.answers.render import when as when_text
from intents.dates.calendar import meeting_attachment
from intents.dates.rules import occurrence_note, series_label
from intents.dates.when import DateError, read_when
from intents.message import Entity, Message, Pick, Reply, Written
from intents.reading.matcher import NameIndex
from intents.writes.access import actor_of
from intents.writes.meeting_form import CONFIRM, confirming, describe, title_place_mode
from store.store import Row, Store

_COMMAND = re.compile(r"^/(meeting|move|cancel)\s*")


def schedule(store: Store, message: Message) -> Reply:
    """/meeting <언제> <제목> [@장소]: show what was understood, with 확인/취소, before saving; a recurring meeting
    (`매주 화요일 오후 2시 …`) is read as its rule."""
    body = _COMMAND.sub("", message.text.strip())
    if not body:
        return Reply(text="사용법: /meeting <언제> <제목> [@장소]\n"
                          "예: /meeting 12월 3일 오후 2시 권역별 TF회의 (영상)\n"
                          "반복: /meeting 매주 화요일 오후 2시 권역별 TF회의", intent="meeting")
    from intents.dates.recurrence import mentions_recurrence  # loaded by the commands that need it
    from intents.writes import series

    if mentions_recurrence(body):
        return series.schedule_series(message, body)
    try:
        when = read_when(body, message.now)
    except DateError as exc:
        return Reply(text=f"{exc} 아무것도 저장하지 않았습니다.", intent="meeting")
    titled = title_place_mode(when.without_phrase(body))
    if isinstance(titled, Reply):
        return titled
    title, place, mode = titled
    payload = {"op": "add", "title": title, "start": when.start.isoformat(), "place": place, "mode": mode}
    lines = ["이렇게 등록할까요?", f"• 제목: {title}", f"• 일시: {describe(when.start, place, mode)}", *when.warnings]
    return confirming(payload, "\n".join(lines), "확인")


def find_meeting(store: Store, index: NameIndex, name: str, now: datetime) -> list[Row]:
    """Scheduled meetings whose title matches a name (fuzzy), best first: one-off meetings to come, and
    recurring meetings with an occurrence to come (as their next occurrence)."""
    upcoming: dict[str, Row] = {}
    for occurrence in store.scheduled_meetings(now.isoformat()):
        upcoming.setdefault(str(occurrence["id"]), occurrence)
    found = []
    for candidate in index.lookup(name, limit=20):
        if candidate.kind != "meeting":
            continue
        row: Row | None = upcoming.get(candidate.id)
        if row is None:   # a recurring meeting whose next occurrence is further than the window
            series = store.meeting(candidate.id)
            if series and series.get("rrule") and series["status"] != "취소":
                following = store.next_occurrence(candidate.id, now)
                row = {**series, "start": following.start, "occurrence": following.occurrence} if following else None
        if row is not None and row not in found:
            found.append(row)
    return found


def move_or_cancel(store: Store, index: NameIndex, message: Message) -> Reply:
    """/move <회의명> <언제> or /cancel <회의명>: confirm, then change (reminders follow). A recurring meeting
    changes one occurrence (the next, or the one named by date) unless '이후 모두' or '전체' is said."""
    command = _COMMAND.match(message.text.strip())
    op = command.group(1) if command else "cancel"
    body = _COMMAND.sub("", message.text.strip())
    if not body:
        usage = ("/move <회의명> <새 일시>  (반복 회의: /move <회의명> 12월 15일 → 12월 16일 15시, '이후 모두', '전체')"
                 if op == "move" else "/cancel <회의명>  (반복 회의: /cancel <회의명> 12월 15일, '이후 모두', '전체')")
        return Reply(text=f"사용법: {usage}", intent="meeting")
    from intents.writes import series

    change = series.read_change(op, body, message.now)
    if isinstance(change, Reply):
        return change
    name = change.name
    matches = find_meeting(store, index, name, message.now)
    if not matches:
        return Reply(text=f"'{name}'(와)과 일치하는 예정된 회의를 찾지 못했습니다. /meetings 로 목록을 보세요.",
                     intent="meeting")
    if len(matches) > 1 and matches[0]["title"] != name:
        options = matches[:8]
        return Reply(text="어느 회의인가요? 회의명을 정확히 다시 입력해 주세요.\n" + "\n".join(
            f"• {m['title']} — {when_text(m['start'])}" for m in options), intent="meeting",
            entities=[Entity("meeting", m["id"], m["title"], 100.0) for m in options])
    meeting = matches[0]
    if meeting.get("rrule"):
        return series.change_series(store, message, op, meeting, change)
    if op == "move":
        if change.new_start is None:
            return Reply(text=f"[{meeting['title']}]은(는) 반복 회의가 아닙니다. 새 날짜와 시간을 적어 주세요. "
                              f"예: /move {meeting['title']} 12월 10일 오후 3시. 아무것도 바꾸지 않았습니다.",
                         intent="meeting")
        payload = {"op": "move", "id": meeting["id"], "start": change.new_start.isoformat()}
        lines = [f"[{meeting['title']}] 일정을 바꿀까요?", f"• 기존: {when_text(meeting['start'])}",
                 f"• 변경: {describe(change.new_start, meeting['place'], meeting['mode'])}", *change.warnings]
        return confirming(payload, "\n".join(lines), "변경")
    payload = {"op": "cancel", "id": meeting["id"]}
    text = (f"[{meeting['title']}] {when_text(meeting['start'])} 회의를 취소할까요? "
            "알림도 함께 취소되고 그룹에 알립니다.")
    return confirming(payload, text, "회의 취소")


def confirm(store: Store, message: Message, pick: Pick) -> Reply:
    """The 확인/취소 press of a meeting write offered by `schedule` or `move_or_cancel`."""
    payload = pick.payload
    if pick.action != CONFIRM:
        return Reply(text="취소했습니다. 아무것도 바꾸지 않았습니다.", intent="meeting")
    from intents.writes import series

    written = series.confirm_series(store, message, payload)
    if written is not None:
        return written
    at, actor = message.now.isoformat(), actor_of(message)
    if payload["op"] == "add":
        meeting_id = store.add_meeting(actor, at, payload["title"], payload["start"], None, payload["place"],
                                       payload["mode"])
        row = store.meeting(meeting_id) or {}
        start = datetime.fromisoformat(payload["start"])
        return Reply(text=f"등록했습니다: [{payload['title']}] {describe(start, payload['place'], payload['mode'])}\n"
                          "일정 파일(.ics)을 함께 보냅니다.", intent="meeting_saved",
                     entities=[Entity("meeting", meeting_id, payload["title"], 100.0)],
                     attachments=[meeting_attachment(row, message.now)], written=[Written("meeting", meeting_id)])
    if payload["op"] == "move":
        old = store.update_meeting(actor, at, payload["id"], start=payload["start"])
        return Reply(text=f"[{old['title']}] 일정을 {when_text(payload['start'])}(으)로 바꿨습니다. 알림도 옮겼습니다.",
                     intent="meeting_saved", entities=[Entity("meeting", payload["id"], old["title"], 100.0)],
                     written=[Written("meeting", payload["id"])])
    recurring = bool((store.meeting(payload["id"]) or {}).get("rrule"))
    old = store.cancel_meeting(actor, at, payload["id"])
    if recurring:
        return Reply(text=f"[{old['title']}] 반복 회의 전체를 취소했습니다. 남은 회차의 알림도 보내지 않습니다.",
                     intent="meeting_cancelled", entities=[Entity("meeting", payload["id"], old["title"], 100.0)],
                     written=[Written("meeting", payload["id"])])
    return Reply(text=f"[{old['title']}] {when_text(old['start'])} 회의를 취소했습니다.", intent="meeting_cancelled",
                 entities=[Entity("meeting", payload["id"], old["title"], 100.0)],
                 written=[Written("meeting", payload["id"])])


def list_upcoming(store: Store, message: Message) -> Reply:
    """/meetings: upcoming meetings."""
    rows = store.scheduled_meetings(message.now.isoformat())
    if not rows:
        return Reply(text="예정된 회의가 없습니다. 코디네이터는 /meeting 으로 등록할 수 있습니다.", intent="meetings")
    lines = ["예정된 회의:"] + [f"• {when_text(m['start'])} {m['title']}" + (f" @ {m['place']}" if m["place"] else "")
                              + series_label(m) + occurrence_note(m) for m in rows[:20]]
    return Reply(text="\n".join(lines), intent="meetings", entities=meeting_entities(rows[:20]))


def meeting_entities(rows: list[Row]) -> list[Entity]:
    """The meetings of a listing as entities, each once (a recurring meeting lists several occurrences)."""
    seen: dict[str, Entity] = {}
    for m in rows:
        seen.setdefault(str(m["id"]), Entity("meeting", str(m["id"]), str(m["title"]), 100.0))
    return list(seen.values())


def rsvp(store: Store, message: Message, choice: str) -> Reply:
    """참석/불참 button: record the answer (anyone registered may answer)."""
    _, meeting_id, answer = [*choice.split(":"), "", ""][:3]
    row = store.meeting(meeting_id)
    if row is None or answer not in ("y", "n"):
        return Reply(text="회의를 찾지 못했습니다.", intent="rsvp")
    response = "참석" if answer == "y" else "불참"
    store.respond(meeting_id, message.user_id or 0, message.user_name, response, message.now.isoformat())
    return Reply(text=f"[{row['title']}] {response}으로 기록했습니다.", intent="rsvp",
                 written=[Written("attendance", meeting_id)])


def attendance(store: Store, row: Row) -> list[str]:
    """Who answered 참석 or 불참 for a meeting."""
    answers = store.responses(str(row["id"]))
    if not answers:
        return ["아직 참석 여부를 답한 사람이 없습니다."]
    lines = []
    for response in ("참석", "불참"):
        names = [person_name(a["user_id"], a["user_name"]) for a in answers if a["response"] == response]
        lines.append(f"{response} {len(names)}명: {', '.join(names) if names else '-'}")
    return lines
