"""Coordinators log task progress: parse, resolve the task, offer a choice when unsure, write, undo."""

import re
from datetime import timedelta
from typing import Any

from intents.answers.render import progress_summary, when
from intents.message import Button, Entity, Message, Offer, Pick, Reply, Written
from intents.reading.intent import PERCENT, STATUS
from intents.reading.matcher import NameIndex
from intents.writes.access import Policy
from store.store import Store

MAX_NOTE = 500
CERTAIN = 90.0
_PHRASE = re.compile(r"진행률|진척률|진행도")
NEEDS_NOTE = ("지연", "보류")
CANCEL = "log:cancel"
_LEADING_STATUS = re.compile(rf"(?:{STATUS.pattern})(?:\s*중)?(?=$|[\s\-:–—,.(])")


def parse(text: str) -> tuple[str, int | None, str, str] | Reply:
    """Split `<과제명> <N>% <메모>` (or the same in words) into name, percent, status and note."""
    body = re.sub(r"^/log", "", text.strip()).strip()
    if not body:
        return Reply(text="사용법: /log <과제명> <진행률%> <메모>\n예: /log 그린에너지 캠퍼스 40% 기본설계 완료",
                     intent="log")
    percent: int | None = None
    match = PERCENT.search(body)
    if match:
        value = float(match.group(1))
        if not value.is_integer() or not 0 <= value <= 100:
            return Reply(text=f"진행률은 0에서 100 사이의 정수로 적어 주세요. (입력: {match.group(0)})", intent="log")
        percent = int(value)
        name, note = body[: match.start()], body[match.end():].lstrip(" ,-:–").rstrip()
        status = _status(percent, note)
        note = "" if note == status else note   # "0% 계획": the status said again is no memo
    else:
        status_match = STATUS.search(body)
        if not status_match:
            return Reply(text="진행률(예: 40%)이나 상태(계획·진행·지연·보류·완료)를 함께 적어 주세요.", intent="log")
        said = body[status_match.start():]
        name, note, status = body[: status_match.start()], _without_status(said).lstrip(" ,-:–").rstrip(), \
            _status(None, said)
    name = _PHRASE.sub("", name).strip(" ,-:–")
    if len(note) > MAX_NOTE:
        return Reply(text=f"메모가 너무 깁니다({len(note):,}자). {MAX_NOTE}자 이내로 적어 주세요.", intent="log")
    if status in NEEDS_NOTE and not note:
        return Reply(text=f"'{status}' 상태에는 사유 메모가 필요합니다. 예: 에너지밸리 조성 지연 - 부지 협의 중",
                     intent="log")
    if not name:
        return Reply(text="어느 과제인지 과제명을 적어 주세요.", intent="log")
    return name, percent, status, note


def _without_status(said: str) -> str:
    """The memo after a leading status word that stands alone ("완료" → "", "지연 - 부지 협의 중" → "부지 협의 중",
    "진행 중 부지 협의" → "부지 협의"); a status word that is part of a longer word (완료됨) stays in the memo."""
    found = _LEADING_STATUS.match(said)
    return said[found.end():] if found else said


def _status(percent: int | None, note: str) -> str:
    if percent == 100:
        return "완료"
    found = STATUS.search(note)
    if found and found.group(0) != "완료":
        return found.group(0)
    if found:
        return "완료" if percent in (None, 100) else "진행"
    return "계획" if percent == 0 else "진행"


def log_progress(store: Store, index: NameIndex, message: Message) -> Reply:
    """진행상황 기록: resolve the task (asking when unsure, with an offer to finish it), or append an entry."""
    parsed = parse(message.text)
    if isinstance(parsed, Reply):
        return parsed
    name, percent, status, note = parsed
    candidates = [c for c in index.lookup(name, limit=50) if c.kind == "task"]
    if not candidates:
        return Reply(text=f"'{name}' 과제를 찾지 못했습니다. 과제명을 확인해 주세요. 아무것도 기록하지 않았습니다.",
                     intent="log")
    top = candidates[0]
    close = [c for c in candidates[1:] if top.score - c.score <= 5.0]
    payload = {"percent": percent, "status": status, "note": note}
    in_words = not message.text.lstrip().startswith("/")
    if top.score < CERTAIN or close or in_words:   # a write told in words is always confirmed
        options = [top, *close][:8] if close else [top]
        what = progress_summary(percent, status, note)
        head = "어느 과제에 기록할까요?" if len(options) > 1 or top.score < CERTAIN else "이렇게 기록할까요?"
        lines = [f"{head} ({what}) 선택하기 전에는 아무것도 기록하지 않습니다."]
        lines.extend(f"• {c.name}" for c in options)
        return Reply(text="\n".join(lines), intent="log_confirm",
                     entities=list(options), offer=Offer("log", payload),
                     buttons=[*(Button(c.name, f"log:{c.id}") for c in options), Button("취소", CANCEL)])
    return _write(store, message, top, payload)


def confirm_log(store: Store, message: Message, pick: Pick) -> Reply:
    """The press of a task (or 취소) offered by `log_progress`: write the entry its payload holds."""
    if pick.action == CANCEL:
        return Reply(text="취소했습니다. 아무것도 기록하지 않았습니다.", intent="log")
    task_id = pick.action.removeprefix("log:")
    row = store.task(task_id)
    if row is None:
        return Reply(text="선택한 과제를 찾지 못했습니다. 아무것도 기록하지 않았습니다.", intent="log")
    return _write(store, message, Entity("task", task_id, str(row["name"]), 100.0), pick.payload)


def _write(store: Store, message: Message, task: Entity, payload: dict[str, Any]) -> Reply:
    registered = store.user(message.user_id) if message.user_id is not None else None
    user_name = message.user_name or (str(registered["name"]) if registered and registered["name"] else None)
    entry = store.add_progress(task.id, message.user_id or 0, user_name, message.now.isoformat(),
                               payload["percent"], payload["status"], payload["note"])
    what = progress_summary(payload["percent"], payload["status"], payload["note"])
    text = f"기록했습니다: [{task.name}] {what}\n(잘못 기록했다면 10분 안에 /undo)"
    return Reply(text=text, intent="log", entities=[task], written=[Written("progress", str(entry))])


def undo(store: Store, policy: Policy, message: Message) -> Reply:
    """/undo: take back your own latest update within the undo window (recorded as a reversal)."""
    since = (message.now - timedelta(minutes=policy.undo_minutes)).isoformat()
    entry = store.undo_progress(message.user_id or 0, message.now.isoformat(), since)
    if entry is None:
        return Reply(text=f"최근 {policy.undo_minutes}분 안에 직접 기록한 진행상황이 없어 되돌릴 것이 없습니다.",
                     intent="undo")
    task = store.task(str(entry["task"]))
    name = task["name"] if task else entry["task"]
    what = progress_summary(entry["percent"], entry["status"], entry["note"])
    return Reply(text=f"되돌렸습니다: [{name}] {what} ({when(entry['at'])} 기록)", intent="undo")
