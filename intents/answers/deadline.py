"""Due dates and follow-up: a task's due date with its owners, what is due soon or overdue, and the action items
of a meeting or of the asker, with 완료 buttons for the open ones."""

from datetime import date, timedelta

from intents.answers.common import Ask
from intents.answers.render import name_of, person_name, progress_summary, when
from intents.message import Button, Entity, Offer, Reply
from intents.reading.understand import region_of
from store.store import Row, Store

MAX_LISTED = 30
MAX_BUTTONS = 8
_ORIGIN = {"chat": "채팅", "import": "가져오기", "dataset": "원문 자료", "document": "보도자료", "correction": "수정"}


# --- owners ----------------------------------------------------------------------------------------
def owner_name(store: Store, kind: str, owner_id: str) -> str:
    """How an owner is shown: an organisation's name, a contact's name, title and organisation, a user's name."""
    if kind == "organisation":
        return name_of(store, owner_id)
    if kind == "contact":
        row = store.contact(owner_id)
        if row is None:
            return owner_id
        who = " ".join(str(row[k]) for k in ("person", "title") if row.get(k)) or str(row.get("department") or "")
        org = name_of(store, row.get("organisation"))
        return f"{who}({org})" if org else who
    user = store.user(int(owner_id)) if owner_id.isdigit() else None
    return person_name(int(owner_id) if owner_id.isdigit() else None, user["name"] if user else None)


def task_owners_text(store: Store, task: str) -> str:
    """A task's owners as shown (its lead organisation when none were named), or '담당 미지정'."""
    owners = [owner_name(store, str(o["owner_kind"]), str(o["owner_id"])) for o in store.task_owners(task)]
    return ", ".join(dict.fromkeys(owners)) or "담당 미지정"


# --- days ------------------------------------------------------------------------------------------
def days_left(due: str, today: date) -> str:
    """`D-3`, `오늘`, `2일 지남`."""
    days = (date.fromisoformat(due) - today).days
    return f"D-{days}" if days > 0 else "오늘" if days == 0 else f"{-days}일 지남"


def _done(store: Store, task: str) -> bool:
    latest = store.latest_progress(task)
    return latest is not None and latest["status"] == "완료"


def open_task_deadlines(store: Store, first: date | None, last: date | None) -> list[Row]:
    """Tasks due between two days (None: unbounded) that are not done (their latest progress is not 완료)."""
    rows = store.task_deadlines(first.isoformat() if first else None, last.isoformat() if last else None)
    return [r for r in rows if not _done(store, str(r["task"]))]


def _state(store: Store, task: str) -> str:
    latest = store.latest_progress(task)
    return progress_summary(latest["percent"], str(latest["status"]), latest["note"]) if latest else "진행 기록 없음"


def task_line(store: Store, row: Row, today: date) -> str:
    """One task with its due date: `• 2026년 12월 20일(일) D-3 과제명 — 담당: … — 40% · 진행`."""
    return (f"• {when(str(row['due']))} {days_left(str(row['due']), today)} {row['name']} — "
            f"담당: {task_owners_text(store, str(row['task']))} — {_state(store, str(row['task']))}")


def action_line(store: Store, item: Row, today: date, meeting: bool = True) -> str:
    """One action item: state, what, owner, due date, its meeting; who marked it done and when."""
    due = f" — 기한 {when(str(item['due']))} ({days_left(str(item['due']), today)})" if item["due"] else ""
    if item["done_at"]:
        due = f" — 완료: {person_name(item['done_by'], item['done_by_name'])}, {when(str(item['done_at']))}"
    where = f" — [{item['meeting_title']}]" if meeting else ""
    state = "완료" if item["done_at"] else "미완료"
    return (f"• [{state}] {item['what']} — 담당: {owner_name(store, str(item['owner_kind']), str(item['owner_id']))}"
            f"{due}{where}")


def done_buttons(items: list[Row]) -> tuple[list[Button], Offer | None]:
    """A 완료 button for each open item shown (the first few), and the choice they answer."""
    open_items = [i for i in items if not i["done_at"]][:MAX_BUTTONS]
    if not open_items:
        return [], None
    buttons = [Button(f"완료: {str(i['what'])[:20]}", f"done:{i['id']}") for i in open_items]
    return buttons, Offer("action_done", {}, anyone=True)


# --- questions -------------------------------------------------------------------------------------
def answer_task_due(ask: Ask) -> Reply:
    """기한 — 과제의 기한과 담당, 남은 날 (예: 부산형 청년창업허브 조성 기한 언제야, 마감 임박 과제, 기한 지난 과제)."""
    store, subject = ask.store, ask.subject
    assert subject is not None and subject.kind == "task"
    task = store.task(subject.id) or {"name": subject.name}
    today = ask.message.now.date()
    found = store.due_of(subject.id)
    lines = [f"[{task['name']}] 기한"]
    if found is None:
        lines.append("기한이 정해지지 않았습니다 (원문 자료에도 이 과제의 기한은 없습니다). "
                     "코디네이터는 /due <과제명> <날짜> 로 정할 수 있습니다.")
    else:
        due = str(found["due"])
        state = "완료된 과제" if _done(store, subject.id) else days_left(due, today)
        lines.append(f"기한: {when(due)} ({state})")
        origin = _ORIGIN.get(str(found["origin"] or ""), "")
        ref = f" '{found['ref']}'" if found["ref"] else ""
        setter = store.user(int(found["set_by"])) if found["set_by"] else None
        lines.append(f"정한 사람: {person_name(found['set_by'], setter['name'] if setter else None)}, "
                     f"{when(str(found['set_at']))}"
                     + (f" ({origin}{ref})" if origin else ""))
    lines.append(f"담당: {task_owners_text(store, subject.id)}")
    lines.append(f"현재: {_state(store, subject.id)}")
    return Reply(text="\n".join(lines), intent="due", entities=[subject])


def _organisations(ask: Ask) -> set[str]:
    """The organisations a question is about: its subject, or those it names."""
    if ask.subject is not None and ask.subject.kind == "organisation":
        return {ask.subject.id}
    return {c.id for m in ask.query.mentions for c in m.candidates[:1] if c.kind == "organisation"}


def _in_scope(ask: Ask, row: Row) -> bool:
    """Whether a task row is within the regions, cities and organisations the question names."""
    q = ask.query
    task = ask.store.task(str(row["task"])) or {}
    if q.cities and task.get("innovation_city") not in q.cities:
        return False
    if q.regions and not set(region_of(row)) & set(q.regions):
        return False
    orgs = _organisations(ask)
    if orgs:
        owners = {str(o["owner_id"]) for o in ask.store.task_owners(str(row["task"]))}
        return bool(orgs & (owners | {str(row.get("lead") or "")}))
    return True


def answer_due_list(ask: Ask, mode: str, soon_days: int) -> Reply:
    """마감 임박·기한 지난 과제와 후속조치 — 기한, 담당, 진행 (예: 마감 임박 과제, 기한 지난 과제, 부산 과제 기한)."""
    store, today = ask.store, ask.message.now.date()
    if mode == "soon":
        first, last, title = today, today + timedelta(days=soon_days), f"마감 임박 ({soon_days}일 안)"
    elif mode == "overdue":
        first, last, title = None, today - timedelta(days=1), "기한 지난"
    else:
        first, last, title = None, None, "기한이 정해진"
    tasks = [r for r in open_task_deadlines(store, first, last) if _in_scope(ask, r)]
    scoped = bool(ask.query.regions or ask.query.cities or _organisations(ask))
    actions = [] if scoped else store.open_actions(first.isoformat() if first else None,
                                                   last.isoformat() if last else "9999-12-31")
    where = ", ".join([*ask.query.regions, *ask.query.cities])
    lines = [f"{title} 과제{f' ({where})' if where else ''} {len(tasks)}건"]
    lines.extend(task_line(store, r, today) for r in tasks[:MAX_LISTED])
    if not tasks:
        lines.append("• 없음")
    if mode == "all" and scoped:   # "부산 과제 기한": the region's tasks that have none, too
        undated = [t for t in _tasks_in_scope(ask) if store.due_of(str(t["id"])) is None]
        if undated:
            names = ", ".join(str(t["name"]) for t in undated[:20])
            lines.append(f"기한이 정해지지 않은 과제 {len(undated)}건: {names}")
    if actions:
        lines.append("")
        lines.append(f"{title} 후속조치 {len(actions)}건")
        lines.extend(action_line(store, a, today) for a in actions[:MAX_LISTED])
    buttons, offer = done_buttons(actions)
    entities = [Entity("task", str(r["task"]), str(r["name"]), 100.0) for r in tasks[:MAX_LISTED]]
    return Reply(text="\n".join(lines), intent="due_list", entities=entities, buttons=buttons, offer=offer)


def _tasks_in_scope(ask: Ask) -> list[Row]:
    """The 협업과제 and 대표프로젝트 of the regions or cities the question names."""
    store, q = ask.store, ask.query
    rows: list[Row] = []
    for kind in ("협업과제", "대표프로젝트"):
        rows.extend(store.of_kind("tasks", kind))
    if q.cities:
        return [r for r in rows if r.get("innovation_city") in q.cities]
    return [r for r in rows if set(region_of(r)) & set(q.regions)]


def asker_owners(store: Store, user_id: int | None) -> tuple[list[tuple[str, str]], bool]:
    """The owners an asker stands for — themself, and the contact or organisation of their confirmed link
    (a contact's organisation too) — and whether they have a confirmed link."""
    if user_id is None:
        return [], False
    owners = [("user", str(user_id))]
    link = store.link_of(user_id)
    if link is None or link["state"] != "confirmed":
        return owners, False
    if link["contact"]:
        owners.append(("contact", str(link["contact"])))
        contact = store.contact(str(link["contact"])) or {}
        if contact.get("organisation"):
            owners.append(("organisation", str(contact["organisation"])))
    if link["organisation"]:
        owners.append(("organisation", str(link["organisation"])))
    return owners, True


def answer_actions(ask: Ask, mode: str) -> Reply:
    """후속조치 — 회의에서 나온 할 일과 담당, 기한, 완료 여부 (예: 지난 회의 후속조치, 내 할 일)."""
    store, message = ask.store, ask.message
    today = message.now.date()
    meeting: Row | None = None
    if mode == "mine":
        if message.local_operator or message.user_id is None:
            return Reply(text="콘솔(로컬 운영자)에는 연결된 담당자가 없어 '내 할 일'이 없습니다. "
                              "'지난 회의 후속조치'나 '[회의명] 후속조치'로 물어봐 주세요.", intent="actions")
        owners, linked = asker_owners(store, message.user_id)
        items = [i for i in store.actions_of_owners(owners) if not i["done_at"]]
        head = f"내 할 일 {len(items)}건"
        note = [] if linked else ["(담당자·기관 연결이 확인되지 않아, 본인에게 직접 맡겨진 것만 보입니다. "
                                  "연결은 관리자에게 요청하세요.)"]
    elif mode == "meeting" and ask.subject is not None and ask.subject.kind == "meeting":
        meeting = store.meeting(ask.subject.id)
        items = store.actions_of_meeting(ask.subject.id)
        head, note = f"[{ask.subject.name}] 후속조치 {len(items)}건", []
    elif mode == "owner" and ask.subject is not None:   # a contact's or an organisation's items
        items = store.actions_of_owners([(ask.subject.kind, ask.subject.id)])
        shown = owner_name(store, ask.subject.kind, ask.subject.id)
        head, note = f"{shown} 담당 후속조치 {len(items)}건 (미완료 {sum(not i['done_at'] for i in items)}건)", []
    elif mode == "last":
        meeting = store.last_meeting_with_actions(message.now.isoformat())
        if meeting is None:
            return Reply(text="지난 회의에서 기록된 후속조치가 없습니다. 코디네이터는 /action 으로 기록할 수 있습니다.",
                         intent="actions")
        items = store.actions_of_meeting(str(meeting["id"]))
        head, note = f"지난 회의 [{meeting['title']}] {when(meeting['start'])} 후속조치 {len(items)}건", []
    else:
        items = store.open_actions()
        head, note = f"미완료 후속조치 {len(items)}건", []
    lines = [head, *(action_line(store, i, today, meeting is None) for i in items[:MAX_LISTED])]
    if not items:
        lines.append("• 없음")
    lines.extend(note)
    buttons, offer = done_buttons(items)
    entities = [Entity("meeting", str(meeting["id"]), str(meeting["title"]), 100.0)] if meeting else \
        [ask.subject] if mode == "owner" and ask.subject is not None else []
    return Reply(text="\n".join(lines), intent="actions", entities=entities, buttons=buttons, offer=offer)


def open_items_lines(store: Store, meeting: Row, today: date) -> list[str]:
    """The open action items a meeting's reminder brings up: those of this meeting and of earlier ones."""
    items = store.open_actions_before(str(meeting["id"]), str(meeting.get("start") or ""))
    if not items:
        return []
    shown = [action_line(store, i, today) for i in items[:MAX_BUTTONS]]
    more = [f"… 외 {len(items) - MAX_BUTTONS}건 ('후속조치'로 전체 보기)"] if len(items) > MAX_BUTTONS else []
    return [f"미완료 후속조치 {len(items)}건:", *shown, *more]


# --- the weekly digest -----------------------------------------------------------------------------
def digest_lines(store: Store, today: date, soon_days: int) -> list[str]:
    """The digest's part on due dates: tasks and action items due soon, and those overdue."""
    lines: list[str] = []
    for title, first, last in ((f"기한 임박 ({soon_days}일 안)", today, today + timedelta(days=soon_days)),
                               ("기한 지남", None, today - timedelta(days=1))):
        tasks = open_task_deadlines(store, first, last)
        actions = store.open_actions(first.isoformat() if first else None, last.isoformat())
        lines.append(f"{title} 과제·후속조치:")
        lines.extend(task_line(store, r, today) for r in tasks[:MAX_LISTED])
        lines.extend(action_line(store, a, today) for a in actions[:MAX_LISTED])
        if not tasks and not actions:
            lines.append("• 없음")
        lines.append("")
    return lines[:-1]
