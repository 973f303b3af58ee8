"""Chat commands and writes told in words: which action, who may do it, and its handler."""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from intents.dates.when import DateError, read_when
from intents.message import Message, Reply
from intents.reading import vocab
from intents.reading.matcher import NameIndex
from intents.reading.normalize import compact
from intents.registry import REGISTRY, Registry
from intents.writes.access import Policy, allowed, refuse
from intents.writes.admin import grant, revoke, show_audit, stale
from intents.writes.progress import log_progress, looks_like_log, undo
from intents.writes.schedule import confirm, list_upcoming, move_or_cancel, rsvp, schedule
from store.store import Store

STALE_WORDS = ("업데이트안된", "업데이트없는", "지연과제", "지연된과제", "정체과제", "방치된과제", "미갱신")
_SCHEDULE_VERB = re.compile(r"(잡아|등록해|예약해|추가해|만들어|열어)\s*(줘|주세요|줄래)?")
_GATHERING = ("회의", "미팅", "간담회", "위원회", "설명회", "워크숍", "점검")


@dataclass
class Context:
    """What a command handler may use."""

    store: Store
    index: NameIndex
    policy: Policy
    registry: Registry = REGISTRY


Handler = Callable[[Context, Message, str | None], Reply]


def _bind(ctx: Context, message: Message, choice: str | None) -> Reply:
    if message.chat_kind == "private" or message.chat_id is None:
        return Reply(text="/bind 는 알림을 받을 TF 그룹 대화방에서 실행해 주세요.", intent="bind")
    ctx.store.set_setting(message.user_id, message.now.isoformat(), "group_chat_id", str(message.chat_id))
    return Reply(text="이 그룹을 TF 회의 알림과 주간 요약을 받을 그룹으로 지정했습니다.", intent="bind")


HANDLERS: dict[str, tuple[str, Handler]] = {
    "/log": ("log", lambda c, m, ch: log_progress(c.store, c.index, c.policy, m, ch)),
    "/undo": ("undo", lambda c, m, ch: undo(c.store, c.policy, m)),
    "/grant": ("grant", lambda c, m, ch: grant(c.store, m)),
    "/revoke": ("revoke", lambda c, m, ch: revoke(c.store, m)),
    "/audit": ("audit", lambda c, m, ch: show_audit(c.store, m)),
    "/meeting": ("meeting", lambda c, m, ch: schedule(c.store, m)),
    "/move": ("meeting", lambda c, m, ch: move_or_cancel(c.store, c.index, m)),
    "/cancel": ("meeting", lambda c, m, ch: move_or_cancel(c.store, c.index, m)),
    "/meetings": ("ask", lambda c, m, ch: list_upcoming(c.store, m)),
    "/bind": ("bind", _bind),
}


def scheduling_in_words(text: str, now_probe: Message) -> bool:
    """'12월 3일 오후 2시에 권역별 TF회의 잡아줘': a gathering, a date and a verb asking to schedule it."""
    if not _SCHEDULE_VERB.search(text) or not any(g in text for g in _GATHERING):
        return False
    try:
        read_when(text, now_probe.now)
    except DateError:
        return False
    return True


def run_command(ctx: Context, command: str, role: str, message: Message, choice: str | None) -> Reply | None:
    """Answer a command, a button press or a write told in words; None when the message is a question."""
    if choice and choice.startswith(("meeting:", "rsvp:")):
        action = "meeting" if choice.startswith("meeting:") else "ask"
        if not allowed(role, ctx.registry.role_for(action)):
            return refuse(ctx.registry.role_for(action), role)
        return confirm(ctx.store, ctx.policy, message, choice) if action == "meeting" else rsvp(
            ctx.store, message, choice)
    if not command:
        if looks_like_log(message.text) or (choice or "").startswith("log:"):
            command = "/log"
        elif scheduling_in_words(message.text, message):
            command = "/meeting"
            message = replace(message, text=_SCHEDULE_VERB.sub("", message.text))
        elif vocab.has_any(compact(message.text), STALE_WORDS):
            return stale(ctx.store, ctx.policy, message)
        else:
            return None
    if command not in HANDLERS:
        if command in ctx.registry.commands():
            return None
        return Reply(text=f"알 수 없는 명령입니다: {command[:30]}. /help 를 보세요.", intent="help")
    action, handler = HANDLERS[command]
    if not allowed(role, ctx.registry.role_for(action)):
        return refuse(ctx.registry.role_for(action), role)
    return handler(ctx, message, choice)
