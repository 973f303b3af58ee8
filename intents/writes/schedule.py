"""Coordinators schedule, move and cancel meetings from chat; members answer 참석/불참."""

import re
from datetime import datetime
from typing import Any

from intents.answers.render import person_name
from intents.answers.render import when as when_text
from intents.dates.calendar import meeting_attachment
from intents.dates.when import DateError, read_when
from intents.message import Button, Entity, Message, Offer, Pick, Reply, Written
from intents.reading.matcher import NameIndex
from intents.writes.access import actor_of
from store.store import Row, Store

MAX_TITLE = 100
_MODE = re.compile(r"\(?\s*(영상|대면|온라인)\s*(회의)?\s*\)?")
_COMMAND = re.compile(r"^/(meeting|move|cancel)\s*")
CONFIRM, CANCEL = "meeting:ok", "meeting:no"


def _confirming(payload: dict[str, Any], text: str, ok: str) -> Reply:
    """A meeting write shown as understood, with an offer to confirm (`ok`) or cancel it; nothing is saved yet."""
    return Reply(text=text, intent="meeting_confirm", offer=Offer("meeting", payload),
                 buttons=[Button(ok, CONFIRM), Button("취소", CANCEL)])


def describe(start: datetime, place: str | None, mode: str | None) -> str:
    """`2026년 12월 3일(목) 14:00 @ 장소 (영상)`."""
    where = f" @ {place}" if place else ""
    how = f" ({mode})" if mode else ""
    return f"{when_text(start.isoformat())}{where}{how}"


def schedule(store: Store, message: Message) -> Reply:
    """/meeting <언제> <제목> [@장소]: show what was understood, with 확인/취소, before saving."""
    body = _COMMAND.sub("", message.text.strip())
    if not body:
        return Reply(text="사용법: /meeting <언제> <제목> [@장소]\n예: /meeting 12월 3일 오후 2시 권역별 TF회의 (영상)",
                     intent="meeting")
    try:
        when = read_when(body, message.now)
    except DateError as exc:
        return Reply(text=f"{exc} 아무것도 저장하지 않았습니다.", intent="meeting")
    rest = when.without_phrase(body).strip(" ,").removeprefix("에 ")
    place = None
    if "@" in rest:
        rest, place = (part.strip() for part in rest.split("@", 1))
    mode_match = _MODE.search(rest)
    mode = mode_match.group(1) if mode_match else None
    title = _MODE.sub("", rest).strip(" ,") if mode_match else rest
    if not title:
        return Reply(text="회의 제목을 적어 주세요. 예: /meeting 12월 3일 오후 2시 권역별 TF회의", intent="meeting")
    if len(title) > MAX_TITLE or (place and len(place) > MAX_TITLE):
        return Reply(text=f"제목과 장소는 {MAX_TITLE}자 이내로 적어 주세요. 아무것도 저장하지 않았습니다.",
                     intent="meeting")
    payload = {"op": "add", "title": title, "start": when.start.isoformat(), "place": place, "mode": mode}
    lines = ["이렇게 등록할까요?", f"• 제목: {title}", f"• 일시: {describe(when.start, place, mode)}", *when.warnings]
    return _confirming(payload, "\n".join(lines), "확인")


def find_meeting(store: Store, index: NameIndex, name: str, now: datetime) -> list[Row]:
    """Scheduled meetings whose title matches a name (fuzzy), best first."""
    upcoming = {m["id"]: m for m in store.scheduled_meetings(now.isoformat())}
    found = [upcoming[c.id] for c in index.lookup(name, limit=20) if c.kind == "meeting" and c.id in upcoming]
    return found


def move_or_cancel(store: Store, index: NameIndex, message: Message) -> Reply:
    """/move <회의명> <언제> or /cancel <회의명>: confirm, then change (reminders follow)."""
    command = _COMMAND.match(message.text.strip())
    op = command.group(1) if command else "cancel"
    body = _COMMAND.sub("", message.text.strip())
    if not body:
        usage = "/move <회의명> <새 일시>" if op == "move" else "/cancel <회의명>"
        return Reply(text=f"사용법: {usage}", intent="meeting")
    new_start = None
    name = body
    if op == "move":
        try:
            when = read_when(body, message.now)
        except DateError as exc:
            return Reply(text=f"{exc} 아무것도 바꾸지 않았습니다.", intent="meeting")
        new_start = when.start
        name = when.without_phrase(body)
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
    if op == "move" and new_start is not None:
        payload = {"op": "move", "id": meeting["id"], "start": new_start.isoformat()}
        lines = [f"[{meeting['title']}] 일정을 바꿀까요?", f"• 기존: {when_text(meeting['start'])}",
                 f"• 변경: {describe(new_start, meeting['place'], meeting['mode'])}", *when.warnings]
        return _confirming(payload, "\n".join(lines), "변경")
    payload = {"op": "cancel", "id": meeting["id"]}
    text = (f"[{meeting['title']}] {when_text(meeting['start'])} 회의를 취소할까요? "
            "알림도 함께 취소되고 그룹에 알립니다.")
    return _confirming(payload, text, "회의 취소")


def confirm(store: Store, message: Message, pick: Pick) -> Reply:
    """The 확인/취소 press of a meeting write offered by `schedule` or `move_or_cancel`."""
    payload = pick.payload
    if pick.action != CONFIRM:
        return Reply(text="취소했습니다. 아무것도 바꾸지 않았습니다.", intent="meeting")
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
    old = store.cancel_meeting(actor, at, payload["id"])
    return Reply(text=f"[{old['title']}] {when_text(old['start'])} 회의를 취소했습니다.", intent="meeting_cancelled",
                 entities=[Entity("meeting", payload["id"], old["title"], 100.0)],
                 written=[Written("meeting", payload["id"])])


def list_upcoming(store: Store, message: Message) -> Reply:
    """/meetings: upcoming meetings."""
    rows = store.scheduled_meetings(message.now.isoformat())
    if not rows:
        return Reply(text="예정된 회의가 없습니다. 코디네이터는 /meeting 으로 등록할 수 있습니다.", intent="meetings")
    lines = ["예정된 회의:"] + [f"• {when_text(m['start'])} {m['title']}" + (f" @ {m['place']}" if m["place"] else "")
                              for m in rows[:20]]
    return Reply(text="\n".join(lines), intent="meetings",
                 entities=[Entity("meeting", m["id"], m["title"], 100.0) for m in rows[:20]])


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
