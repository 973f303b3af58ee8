"""Chat commands and writes told in words: which action, who may do it, and its handler."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from intents.message import Message, Pick, Reply
from intents.reading.intent import SCHEDULE_VERB
from intents.reading.matcher import NameIndex
from intents.registry import REGISTRY, Registry
from intents.writes.access import Policy, allowed, refuse
from intents.writes.admin import grant, revoke, show_audit, stale
from intents.writes.correction import confirm_correction, correct
from intents.writes.document import confirm_document, paste_document
from intents.writes.progress import confirm_log, log_progress, undo
from intents.writes.schedule import confirm, list_upcoming, move_or_cancel, rsvp, schedule
from store.store import Store


@dataclass
class Context:
    """What a command handler may use."""

    store: Store
    index: NameIndex
    policy: Policy
    registry: Registry = REGISTRY


Handler = Callable[[Context, Message], Reply]


def _bind(ctx: Context, message: Message) -> Reply:
    if message.chat_kind == "private" or message.chat_id is None:
        return Reply(text="/bind 는 알림을 받을 TF 그룹 대화방에서 실행해 주세요.", intent="bind")
    ctx.store.set_setting(message.user_id, message.now.isoformat(), "group_chat_id", str(message.chat_id))
    return Reply(text="이 그룹을 TF 회의 알림과 주간 요약을 받을 그룹으로 지정했습니다.", intent="bind")


HANDLERS: dict[str, tuple[str, Handler]] = {
    "/log": ("log", lambda c, m: log_progress(c.store, c.index, m)),
    "/undo": ("undo", lambda c, m: undo(c.store, c.policy, m)),
    "/grant": ("grant", lambda c, m: grant(c.store, m)),
    "/revoke": ("revoke", lambda c, m: revoke(c.store, m)),
    "/audit": ("audit", lambda c, m: show_audit(c.store, m)),
    "/meeting": ("meeting", lambda c, m: schedule(c.store, m)),
    "/move": ("meeting", lambda c, m: move_or_cancel(c.store, c.index, m)),
    "/cancel": ("meeting", lambda c, m: move_or_cancel(c.store, c.index, m)),
    "/meetings": ("ask", lambda c, m: list_upcoming(c.store, m)),
    "/bind": ("bind", _bind),
    "/correct": ("correct", lambda c, m: correct(c.store, c.index, m)),
    "/document": ("document", lambda c, m: paste_document(c.store, m)),
}
LONG_BODY = frozenset({"/document"})   # commands whose body is a pasted text, not a question


# the kinds of choice a write finishes, and the action (of the registry) whose role answering one needs
PICKED: dict[str, tuple[str, Callable[[Context, Message, Pick], Reply]]] = {
    "log": ("log", lambda c, m, p: confirm_log(c.store, m, p)),
    "meeting": ("meeting", lambda c, m, p: confirm(c.store, m, p)),
    "rsvp": ("ask", lambda c, m, p: rsvp(c.store, m, p.action)),
    "correction": ("correct", lambda c, m, p: confirm_correction(c.store, c.index, m, p)),
    "document": ("document", lambda c, m, p: confirm_document(c.store, m, p)),
}


def run_command(ctx: Context, command: str, role: str, message: Message, worded: str | None = None) -> Reply | None:
    """Answer a command or a command told in words (`worded`, as the one reading of the message found it: log,
    schedule, stale, correct); None when the message is a question."""
    if not command:
        if worded == "log":
            command = "/log"
        elif worded == "correct":
            command = "/correct"
        elif worded == "schedule":
            command = "/meeting"
            message = replace(message, text=SCHEDULE_VERB.sub("", message.text))
        elif worded == "stale":
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
    return handler(ctx, message)


def run_pick(ctx: Context, role: str, message: Message, pick: Pick) -> Reply:
    """Finish a write offered earlier with the option picked (the role is checked again: it may have changed)."""
    action, finish = PICKED[pick.kind]
    if not allowed(role, ctx.registry.role_for(action)):
        return refuse(ctx.registry.role_for(action), role)
    return finish(ctx, message, pick)
