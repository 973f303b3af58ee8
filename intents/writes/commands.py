"""Chat commands and writes told in words: which action, who may do it, and its handler."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from intents.message import Message, Reply
from intents.reading.intent import SCHEDULE_VERB
from intents.reading.matcher import NameIndex
from intents.registry import REGISTRY, Registry
from intents.writes.access import Policy, allowed, refuse
from intents.writes.admin import grant, revoke, show_audit, stale
from intents.writes.progress import log_progress, undo
from intents.writes.schedule import confirm, list_upcoming, move_or_cancel, rsvp, schedule
from store.store import Store


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


def run_command(ctx: Context, command: str, role: str, message: Message, choice: str | None,
                worded: str | None = None) -> Reply | None:
    """Answer a command, a button press or a command told in words (`worded`, as the one reading of the
    message found it: log, schedule, stale); None when the message is a question."""
    if choice and choice.startswith(("meeting:", "rsvp:")):
        action = "meeting" if choice.startswith("meeting:") else "ask"
        if not allowed(role, ctx.registry.role_for(action)):
            return refuse(ctx.registry.role_for(action), role)
        return confirm(ctx.store, ctx.policy, message, choice) if action == "meeting" else rsvp(
            ctx.store, message, choice)
    if not command:
        if worded == "log" or (choice or "").startswith("log:"):
            command = "/log"
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
    return handler(ctx, message, choice)
