"""Chat commands and writes told in words: which action, who may do it, and its handler."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from intents.documents.extract import KINDS as DOCUMENT_KINDS
from intents.message import Message, Pick, Reply
from intents.reading.intent import SCHEDULE_VERB
from intents.reading.matcher import NameIndex
from intents.registry import REGISTRY, Registry
from intents.writes import members
from intents.writes.access import NOTHING_WRITTEN, Policy, allowed, refuse, role_of
from intents.writes.admin import grant, revoke, show_audit, stale
from intents.writes.away import away
from intents.writes.correction import confirm_correction, correct
from intents.writes.document import confirm_document, paste_document, receive_document
from intents.writes.invites import invite
from intents.writes.progress import confirm_log, log_progress, undo
from intents.writes.schedule import confirm, list_upcoming, move_or_cancel, rsvp, schedule
from store.meetings import GROUP_KEY, TOPIC_KEY
from store.sheets.reading import MAX_FILE_BYTES, SUFFIXES, too_large
from store.store import Store


def _sheets() -> ModuleType:
    """The spreadsheet intents, loaded when a spreadsheet is sent or asked for (xlsx writing and the import
    planner are not needed to answer a question, and loading them slowed every `tfbot ask`)."""
    return importlib.import_module("intents.writes.sheets")


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
    at = message.now.isoformat()
    with ctx.store.transaction():
        ctx.store.set_setting(message.user_id, at, GROUP_KEY, str(message.chat_id))
        ctx.store.set_setting(message.user_id, at, TOPIC_KEY, str(message.thread_id or ""))
    where = "이 주제(토픽)를" if message.thread_id else "이 그룹을"
    return Reply(text=f"{where} TF 회의 알림과 주간 요약을 받을 곳으로 지정했습니다.", intent="bind")


HANDLERS: dict[str, tuple[str, Handler]] = {
    "/log": ("log", lambda c, m: log_progress(c.store, c.index, m)),
    "/undo": ("undo", lambda c, m: undo(c.store, c.policy, m)),
    "/grant": ("grant", lambda c, m: grant(c.store, m)),
    "/revoke": ("revoke", lambda c, m: revoke(c.store, c.policy, m)),
    "/invite": ("invite", lambda c, m: invite(c.store, c.policy, m)),
    "/iam": ("iam", lambda c, m: members.iam(c.store, c.index, c.policy, m)),
    "/links": ("links", lambda c, m: members.pending(c.store, m)),
    "/away": ("away", lambda c, m: away(c.store, m)),
    "/audit": ("audit", lambda c, m: show_audit(c.store, m)),
    "/meeting": ("meeting", lambda c, m: schedule(c.store, m)),
    "/move": ("meeting", lambda c, m: move_or_cancel(c.store, c.index, m)),
    "/cancel": ("meeting", lambda c, m: move_or_cancel(c.store, c.index, m)),
    "/meetings": ("ask", lambda c, m: list_upcoming(c.store, m)),
    "/bind": ("bind", _bind),
    "/correct": ("correct", lambda c, m: correct(c.store, c.index, m)),
    "/document": ("document", lambda c, m: paste_document(c.store, m)),
    "/export": ("export", lambda c, m: _sheets().export(c.store, m, role_of(c.store, c.policy, m))),
    "/template": ("import", lambda c, m: _sheets().template(m)),
}
LONG_BODY = frozenset({"/document"})   # commands whose body is a pasted text, not a question

# a file sent to the bot, by its suffix: the action (of the registry) whose role it needs, and its handler
FILE_HANDLERS: dict[str, tuple[str, Handler]] = {
    **{suffix: ("import", lambda c, m: _sheets().receive_sheet(c.store, m)) for suffix in SUFFIXES},
    # a 보도자료 (HWP, HWPX, PDF, TXT): read into a preview of the document and its contact block
    **{suffix: ("document", lambda c, m: _document_file(c, m)) for suffix in DOCUMENT_KINDS},
}


def _document_file(ctx: Context, message: Message) -> Reply:
    """A document file sent to the bot, handed to the document intent with its bytes."""
    assert message.file is not None and message.file.data is not None
    return receive_document(ctx.store, message.file.name, message.file.data, message, ctx.policy)
MAX_UPLOAD_BYTES = MAX_FILE_BYTES   # a larger file is refused before it is downloaded


# the kinds of choice a write finishes, and the action (of the registry) whose role answering one needs
PICKED: dict[str, tuple[str, Callable[[Context, Message, Pick], Reply]]] = {
    "log": ("log", lambda c, m, p: confirm_log(c.store, m, p)),
    "meeting": ("meeting", lambda c, m, p: confirm(c.store, m, p)),
    "rsvp": ("ask", lambda c, m, p: rsvp(c.store, m, p.action)),
    "correction": ("correct", lambda c, m, p: confirm_correction(c.store, c.index, m, p)),
    "document": ("document", lambda c, m, p: confirm_document(c.store, m, p)),
    "import": ("import", lambda c, m, p: _sheets().confirm_import(c.store, m, p)),
    "iam": ("iam", lambda c, m, p: members.choose(c.store, c.policy, m, p)),
    "link": ("links", lambda c, m, p: members.decide(c.store, m, p)),
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


def run_file(ctx: Context, role: str, message: Message) -> Reply:
    """Answer a file sent to the bot: the handler of its suffix, if the sender's role allows it; a file of
    another kind, one too large or one sent in a group gets a sentence saying so."""
    assert message.file is not None
    name, size = message.file.name, message.file.size
    suffix = Path(name).suffix.lower()
    if suffix not in FILE_HANDLERS:
        kinds = ", ".join(sorted(FILE_HANDLERS))
        return Reply(text=f"'{name}'은(는) 받을 수 있는 파일이 아닙니다 (받는 형식: {kinds}). {NOTHING_WRITTEN}",
                     intent="file")
    action, handler = FILE_HANDLERS[suffix]
    if not allowed(role, ctx.registry.role_for(action)):
        return refuse(ctx.registry.role_for(action), role)
    if message.chat_kind != "private":
        return Reply(text=f"파일은 봇과의 개인 대화로 보내 주세요. {NOTHING_WRITTEN}", intent="file")
    if size > MAX_UPLOAD_BYTES or message.file.data is None:
        return Reply(text=f"{too_large(name, size)} {NOTHING_WRITTEN}", intent="file")
    return handler(ctx, message)


def may_send(store: Store, policy: Policy, registry: Registry, message: Message, name: str) -> bool:
    """Whether the sender may send a file of this name: a handler reads its kind and their role allows it (a
    channel fetches only such files)."""
    handler = FILE_HANDLERS.get(Path(name).suffix.lower())
    return handler is not None and allowed(role_of(store, policy, message), registry.role_for(handler[0]))
