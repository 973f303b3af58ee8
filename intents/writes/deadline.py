"""Coordinators set a task's due date: `/due <과제명> <날짜>` or in words ("부산형 청년창업허브 기한 12월 20일로
해줘"), read with the meetings' Korean date reading and shown as understood with 확인/취소 before anything is
saved; `/due <과제명> 삭제` clears it."""

import re

from intents.answers.deadline import task_owners_text
from intents.answers.render import when
from intents.dates.due import read_due
from intents.dates.when import DateError
from intents.message import Button, Entity, Message, Offer, Pick, Reply, Written
from intents.reading.intent import SET_VERB
from intents.reading.matcher import NameIndex
from intents.writes.access import actor_of
from store.store import Store

CERTAIN = 90.0
CANCEL = "due:cancel"
USAGE = ("사용법: /due <과제명> <날짜>  예: /due 부산형 청년창업허브 조성 12월 20일 (지우기: /due <과제명> 삭제)\n"
         "말로도: '부산형 청년창업허브 기한 12월 20일로 해줘'")
_COMMAND = re.compile(r"^/due\s*")
_CLEAR = re.compile(r"\s*(삭제|없음|지우기|해제)\s*$")
# the words of a request around the task's name: "… 기한을 … 로 해줘"
_DUE_WORD = re.compile(r"(기한|마감일|마감|데드라인|납기)(을|를|은|는|이|가|도)?(?=$|\s)")


def _name(text: str) -> str:
    """What is left of a request once its date phrase is out: the task's name."""
    text = SET_VERB.sub("", text.strip()).strip()
    return " ".join(_DUE_WORD.sub(" ", text).split()).strip(" ,")


def set_due(store: Store, index: NameIndex, message: Message) -> Reply:
    """/due <과제명> <날짜> (or the same in words): the task and date as understood, with 확인/취소 (or which task,
    when the name fits several); nothing is saved before the choice."""
    body = _COMMAND.sub("", message.text.strip())
    if not body:
        return Reply(text=USAGE, intent="due")
    day: str | None = None
    warnings: list[str] = []
    clear = _CLEAR.search(body)
    if clear is not None and message.text.lstrip().startswith("/"):
        name = body[: clear.start()]
    else:
        try:
            due = read_due(body, message.now)
        except DateError as exc:
            return Reply(text=f"{exc} 아무것도 저장하지 않았습니다.\n{USAGE}", intent="due")
        day, warnings, name = due.day.isoformat(), due.warnings, due.without_phrase(body)
    name = _name(name)
    if not name:
        return Reply(text=f"어느 과제의 기한인지 과제명을 적어 주세요. 아무것도 저장하지 않았습니다.\n{USAGE}",
                     intent="due")
    candidates = [c for c in index.lookup(name, limit=50) if c.kind == "task"]
    if not candidates:
        return Reply(text=f"'{name}' 과제를 찾지 못했습니다. 과제명을 확인해 주세요. 아무것도 저장하지 않았습니다.",
                     intent="due")
    top = candidates[0]
    options = [top, *(c for c in candidates[1:] if top.score - c.score <= 5.0)][:8]
    what = f"기한 {when(day)}" if day else "기한 지우기"
    if len(options) > 1 or top.score < CERTAIN:
        lines = [f"어느 과제의 기한인가요? ({what}) 고르기 전에는 아무것도 저장하지 않습니다.",
                 *(f"• {c.name}" for c in options), *warnings]
        buttons = [Button(c.name, f"due:{c.id}") for c in options]
    else:
        old = store.due_of(top.id)
        lines = ["이렇게 정할까요?" if day else "기한을 지울까요?", f"• 과제: {top.name}",
                 f"• 기한: {when(day)}" if day else "• 기한: 없음",
                 f"• 지금 기한: {when(str(old['due'])) if old else '없음'}",
                 f"• 담당(알림 받음): {task_owners_text(store, top.id)}", *warnings]
        buttons = [Button("확인", f"due:{top.id}")]
    return Reply(text="\n".join(lines), intent="due_confirm", entities=list(options),
                 offer=Offer("due", {"due": day}), buttons=[*buttons, Button("취소", CANCEL)])


def confirm_due(store: Store, message: Message, pick: Pick) -> Reply:
    """The press of a task (확인) or 취소 offered by `set_due`: save the due date its payload holds."""
    if pick.action == CANCEL:
        return Reply(text="취소했습니다. 아무것도 저장하지 않았습니다.", intent="due")
    task_id = pick.action.removeprefix("due:")
    task = store.task(task_id)
    if task is None:
        return Reply(text="선택한 과제를 찾지 못했습니다. 아무것도 저장하지 않았습니다.", intent="due")
    day = pick.payload.get("due")
    old = store.set_due(actor_of(message), task_id, day, message.now.isoformat(), "chat")
    before = f" (이전: {when(old)})" if old else ""
    text = (f"[{task['name']}] 기한을 {when(day)}(으)로 정했습니다{before}.\n"
            f"담당({task_owners_text(store, task_id)})에게 기한 전과 지난 뒤에 알림을 보냅니다.") if day else \
        f"[{task['name']}] 기한을 지웠습니다{before}."
    return Reply(text=text, intent="due_saved", entities=[Entity("task", task_id, str(task["name"]), 100.0)],
                 written=[Written("due", task_id)])
