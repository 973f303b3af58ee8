"""Action items from meetings: a coordinator records one (`/action <회의명> <담당자> <할 일> [기한]`, or a
reply to the bot's message about a meeting: `/action <담당자> <할 일> [기한]`, or the same in words with
by when, "정병찬 자료 제출 금요일까지"), shown as understood with 확인/취소; its
owner (or a coordinator) marks it done from a 완료 button, which records who and when."""

from dataclasses import dataclass
from datetime import datetime

from intents.answers.deadline import owner_name
from intents.answers.render import person_name, when
from intents.dates.due import find_due
from intents.dates.when import DateError
from intents.message import Button, Entity, Message, Offer, Pick, Reply, Written
from intents.reading.matcher import NameIndex
from intents.reading.normalize import compact, strip_particle
from intents.writes.access import RANK, Policy, actor_of, role_of
from store.errors import InvalidValue, NotFound
from store.followup import MAX_WHAT
from store.store import Row, Store

CONFIRM, CANCEL = "action:ok", "action:no"
USAGE = ("사용법: /action <회의명> <담당자> <할 일> [기한]\n"
         "예: /action 권역별 TF회의 정병찬 예산 협의 결과 공유 12월 20일까지\n"
         "회의 알림이나 회의 등록 메시지에 답장하면 회의명은 빼고 씁니다: "
         "/action 정병찬 예산 협의 결과 공유 금요일까지")
MEETING_SCORE = 90.0   # a meeting title read with a typo, at least this close
OWNER_SCORE = 90.0
MAX_NAME_WORDS = 8     # the longest meeting title, in words, looked for at the start
MAX_OWNER_WORDS = 3


@dataclass(frozen=True)
class Parsed:
    """An action item as read from a message: its meeting, owner, what and due date, with warnings."""

    meeting: Row
    owner_kind: str
    owner_id: str
    what: str
    due: str | None
    warnings: tuple[str, ...]


def _meeting_at_start(store: Store, index: NameIndex, words: list[str], now: datetime) -> tuple[Row, int] | None:
    """The meeting whose title the first words say (exactly, else one close enough), and how many words it
    took; of several meetings of that title, the one closest to now (past ones first)."""
    for fuzzy in (False, True):
        for size in range(min(MAX_NAME_WORDS, len(words) - 1), 0, -1):
            text = " ".join(words[:size])
            found = [c for c in index.lookup(text, limit=10) if c.kind == "meeting"
                     and (c.score >= 100.0 or (fuzzy and c.score >= MEETING_SCORE))]
            if not found or (not fuzzy and compact(text) not in index.by_key):
                continue
            rows = [r for r in (store.meeting(c.id) for c in found) if r is not None and r.get("status") != "취소"]
            if rows:
                return _closest(rows, now), size
    return None


def _closest(meetings: list[Row], now: datetime) -> Row:
    """Of meetings of one title, the latest that began (or begins today), else the next one."""
    def start(row: Row) -> str:
        return str(row.get("start") or "")

    held = [m for m in meetings if start(m)[:10] <= now.date().isoformat()]
    return max(held, key=start) if held else min(meetings, key=start)


def _owner_at_start(store: Store, index: NameIndex, words: list[str]) -> tuple[str, str, int] | None:
    """The owner the first words name — a contact, an organisation or a registered user's name — and how many
    words it took (a contact's title after the name, 정병찬 사무관, taken with it)."""
    users = {compact(str(u["name"])): int(u["user_id"]) for u in store.users() if u.get("name")}
    for fuzzy in (False, True):
        for size in range(min(MAX_OWNER_WORDS, len(words)), 0, -1):
            text = " ".join([*words[:size - 1], strip_particle(words[size - 1])])
            key = compact(text)
            if not fuzzy and key in users and key not in index.by_key:
                return "user", str(users[key]), size
            found = [c for c in index.lookup(text, limit=10) if c.kind in ("contact", "organisation")
                     and (c.score >= 100.0 or (fuzzy and c.score >= OWNER_SCORE))]
            if not found or (not fuzzy and key not in index.by_key):
                continue
            best = _latest_contact(store, found) if found[0].kind == "contact" else found[0]
            taken = size
            if best.kind == "contact" and taken < len(words):
                title = str((store.contact(best.id) or {}).get("title") or "")
                if title and strip_particle(words[taken]) == title:
                    taken += 1
            return best.kind, best.id, taken
    return None


def _latest_contact(store: Store, found: list[Entity]) -> Entity:
    """Of a person's contact rows (one per document), the one as of the latest date."""
    same = [c for c in found if c.kind == "contact" and c.name == found[0].name]
    return max(same, key=lambda c: str((store.contact(c.id) or {}).get("as_of") or ""))


def parse(store: Store, index: NameIndex, text: str, now: datetime, meeting: Row | None) -> Parsed | str:
    """Read `<회의명> <담당자> <할 일> [기한]` (without the meeting's name when it is known); a sentence saying
    what is missing otherwise."""
    try:
        due = find_due(text, now)
    except DateError as exc:
        return f"{exc}"
    body = due.without_phrase(text) if due else text
    words = body.split()
    if meeting is None:
        found = _meeting_at_start(store, index, words, now)
        if found is None:
            return "어느 회의의 후속조치인지 회의명을 찾지 못했습니다. /meetings 로 회의명을 확인하세요."
        meeting, taken = found
        words = words[taken:]
    owner = _owner_at_start(store, index, words)
    if owner is None:
        return ("담당자를 찾지 못했습니다. 담당자 이름(자료의 담당자나 등록된 사용자)이나 기관명을 "
                "회의명 뒤에 적어 주세요.")
    kind, owner_id, taken = owner
    what = " ".join(words[taken:]).strip(" ,-:")
    if not what:
        return "할 일을 적어 주세요."
    if len(what) > MAX_WHAT:
        return f"할 일은 {MAX_WHAT}자 이내로 적어 주세요."
    return Parsed(meeting, kind, owner_id, what, due.day.isoformat() if due else None,
                  tuple(due.warnings) if due else ())


def _replied_meeting(store: Store, message: Message) -> Row | None:
    """The meeting a message replies to: the bot's message about it in this chat."""
    if message.reply_to is None or message.chat_id is None:
        return None
    meeting = store.meeting_of_message(message.chat_id, message.reply_to)
    return store.meeting(meeting) if meeting else None


def _offer(store: Store, parsed: Parsed) -> Reply:
    meeting = parsed.meeting
    lines = ["이렇게 기록할까요? 확인을 누르기 전에는 아무것도 저장하지 않습니다.",
             f"• 회의: {meeting['title']} ({when(str(meeting['start']) if meeting['start'] else None)})",
             f"• 담당: {owner_name(store, parsed.owner_kind, parsed.owner_id)}",
             f"• 할 일: {parsed.what}", f"• 기한: {when(parsed.due) if parsed.due else '없음'}", *parsed.warnings]
    payload = {"meeting": meeting["id"], "owner_kind": parsed.owner_kind, "owner_id": parsed.owner_id,
               "what": parsed.what, "due": parsed.due}
    return Reply(text="\n".join(lines), intent="action_confirm", offer=Offer("action", payload),
                 entities=[Entity("meeting", str(meeting["id"]), str(meeting["title"]), 100.0)],
                 buttons=[Button("확인", CONFIRM), Button("취소", CANCEL)])


def add_action(store: Store, index: NameIndex, message: Message) -> Reply:
    """/action <회의명> <담당자> <할 일> [기한] (the meeting's name left out in a reply to a meeting message): the
    item as understood, with 확인/취소."""
    body = message.text.strip().removeprefix("/action").strip()
    if not body:
        return Reply(text=USAGE, intent="action")
    parsed = parse(store, index, body, message.now, _replied_meeting(store, message))
    if isinstance(parsed, str):
        return Reply(text=f"{parsed} 아무것도 저장하지 않았습니다.\n{USAGE}", intent="action")
    return _offer(store, parsed)


def replies_to_meeting(store: Store, message: Message) -> bool:
    """Whether a message replies to the bot's message about a meeting."""
    return _replied_meeting(store, message) is not None


def confirm_action(store: Store, message: Message, pick: Pick) -> Reply:
    """The 확인/취소 press of an action item offered by `add_action`."""
    if pick.action != CONFIRM:
        return Reply(text="취소했습니다. 아무것도 저장하지 않았습니다.", intent="action")
    p = pick.payload
    try:
        item = store.add_action(actor_of(message), message.now.isoformat(), str(p["meeting"]), str(p["owner_kind"]),
                                str(p["owner_id"]), str(p["what"]), p.get("due"))
    except (NotFound, InvalidValue) as exc:
        return Reply(text=f"{exc} 아무것도 저장하지 않았습니다.", intent="action")
    meeting = store.meeting(str(p["meeting"])) or {"title": p["meeting"]}
    due = f", 기한 {when(str(p['due']))}" if p.get("due") else ""
    return Reply(text=f"후속조치를 기록했습니다: [{meeting['title']}] {p['what']} — 담당 "
                      f"{owner_name(store, str(p['owner_kind']), str(p['owner_id']))}{due}",
                 intent="action_saved", written=[Written("action", str(item))])


def mark_done(store: Store, policy: Policy, message: Message, pick: Pick) -> Reply:
    """A 완료 button: the item's owner (a user its owner reaches) or a coordinator marks it done; who and when
    are recorded. Anyone else is refused and nothing changes."""
    raw = pick.action.removeprefix("done:")
    item = store.action(int(raw)) if raw.isdigit() else None
    if item is None:
        return Reply(text="후속조치를 찾지 못했습니다.", intent="action_done")
    if item["done_at"]:
        return Reply(text=f"이미 완료로 기록되어 있습니다: {item['what']} "
                          f"({person_name(item['done_by'], item['done_by_name'])}, {when(str(item['done_at']))})",
                     intent="action_done")
    role = role_of(store, policy, message)
    owners = store.users_for(str(item["owner_kind"]), str(item["owner_id"]))
    if RANK.get(role or "", 0) < RANK["coordinator"] and message.user_id not in owners:
        return Reply(text="이 후속조치의 담당자나 코디네이터만 완료로 표시할 수 있습니다.", intent="denied")
    registered = store.user(message.user_id) if message.user_id is not None else None
    name = message.user_name or (str(registered["name"]) if registered and registered["name"] else None)
    store.mark_done(actor_of(message), name, int(raw), message.now.isoformat())
    who = person_name(actor_of(message), name)
    return Reply(text=f"완료로 기록했습니다: [{item['meeting_title']}] {item['what']} ({who}, "
                      f"{when(message.now.isoformat())})", intent="action_done",
                 written=[Written("action_done", raw)])
