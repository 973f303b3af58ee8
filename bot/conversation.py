"""The conversation core every channel goes through (Telegram, the console, `tfbot ask`): receive → handle → send.

One error boundary: an unexpected exception gives the user a fixed apology with an incident id, and the log the
traceback under that id. One place strips a command's `@botname`. Open choices (buttons, numbered console
choices, `tfbot ask --choose`) are kept in the database under their own id, so several can be open at once,
answering one never touches another, and a choice still works after a restart and from another process.
"""

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from intents.engine import Engine
from intents.message import Message, Offer, Pick, Reply, Written
from store import ReadOnly, Store
from store.choices import ID_BYTES
from store.people import LOCAL_OPERATOR
from store.tx import READ_ONLY_TEXT

log = logging.getLogger(__name__)

APOLOGY = "죄송합니다. 요청을 처리하는 중 문제가 생겼습니다. 잠시 후 다시 시도해 주세요."
EXPIRED = "이 선택지는 만료되었습니다. 아무것도 바뀌지 않았습니다. 질문이나 명령을 다시 보내 주세요."
NOT_YOURS = "질문하신 분만 고를 수 있습니다."
NOT_KEPT = "(읽기 전용 데이터베이스라 선택지를 둘 수 없습니다. 이름을 정확히 넣어 다시 물어봐 주세요.)"
CLARIFY_LIFETIME = timedelta(days=1)   # a clarifying question's buttons: answering one only reads
RSVP_LIFETIME = timedelta(days=7)      # 참석/불참 of a message that does not say when its meeting begins
# answered once; an RSVP may be answered by many, and changed
ONE_SHOT = ("log", "meeting", "clarify", "correction", "document", "import", "iam", "link")
CONFIRMED_SOON = ("log", "meeting", "correction", "document", "iam")   # open for [progress] confirm_minutes
_BOT_SUFFIX = re.compile(r"^(/\w+)@\w+")
_KEY = re.compile(rf"^([0-9a-f]{{{2 * ID_BYTES}}})\.([1-9][0-9]?)$")


@dataclass(frozen=True)
class Option:
    """One option of an open choice as a channel shows it: the key that answers it and its label."""

    key: str
    label: str


@dataclass(frozen=True)
class Press:
    """An option chosen: its key (a button's callback data, a console number's key, `tfbot ask --choose`),
    and who chose it, where and when (the message's text is not read)."""

    key: str
    message: Message


Incoming = Message | Press


@dataclass
class Outgoing:
    """What a channel sends for one incoming message: the reply to `chat`, the keys of its options, and the
    message it answers (None for a message nobody asked for)."""

    chat: int | None
    reply: Reply
    options: list[Option] = field(default_factory=list)
    asker: Message | None = None
    refused: bool = False   # a choice this user may not answer: nothing was done (Telegram says so on the button)
    still_open: bool = False   # the choice answered stays open for the others it reached (an RSVP)
    notices: list["Outgoing"] = field(default_factory=list)   # for other people's private chats (see Notice)

    @property
    def written(self) -> list[Written]:
        """What was written while answering (a meeting, a progress entry, an attendance answer)."""
        return self.reply.written

    def body(self) -> str:
        """The reply's text without the lines that only repeat an option ("• 이름"): a text channel lists the
        options itself, with their numbers or keys."""
        labels = {f"• {o.label}" for o in self.options}
        return "\n".join(line for line in self.reply.text.split("\n") if line not in labels)


def strip_bot_name(text: str) -> str:
    """`/log@tfbot …` → `/log …`: a command addressed to the bot by name is the command."""
    text = text.strip()
    return _BOT_SUFFIX.sub(r"\1", text, count=1)


def apology(incident: str) -> str:
    """The fixed apology for an unexpected failure, with the incident id the log holds its traceback under."""
    return f"{APOLOGY} (오류 번호: {incident})"


def incident_id() -> str:
    """A new incident id: 8 hex characters."""
    return secrets.token_hex(4)


class Conversation:
    """Answers what arrives on any channel through one engine; keeps and answers open choices."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def handle(self, incoming: Incoming) -> Outgoing:
        """Answer a message or a chosen option; never raises (an unexpected failure is an apology)."""
        message = incoming.message if isinstance(incoming, Press) else incoming
        if isinstance(incoming, Press):
            return self._guarded(message, "answering", lambda: self._press(incoming))
        return self._guarded(message, "answering", lambda: self._ask(message))

    def receive_document(self, file_name: str, data: bytes, message: Message) -> Outgoing:
        """A document file sent in a chat: its preview with the choice to save it kept for the sender, or why it
        cannot be read; never raises (an unexpected failure is an apology). The file transport calls this."""
        return self._guarded(message, "reading a document from",
                             lambda: self._answered(message, self.engine.receive_document(file_name, data, message)))

    def _guarded(self, message: Message, doing: str, work: Callable[[], Outgoing]) -> Outgoing:
        """`work`'s reply; a database that became read-only while running, or an unexpected failure (logged with
        an incident id), answered with a sentence instead of raising."""
        try:
            return work()
        except ReadOnly:   # the file became read-only while running: a choice cannot be kept or answered
            return Outgoing(message.chat_id, Reply(text=f"{READ_ONLY_TEXT} 질문에는 계속 답합니다.", intent="readonly"),
                            asker=message)
        except Exception:
            incident = incident_id()
            # ids only: the message itself may carry personal data that does not belong in logs
            log.error("incident %s: %s user %s in chat %s failed", incident, doing, message.user_id,
                      message.chat_id, exc_info=True)
            return Outgoing(message.chat_id, Reply(text=apology(incident), intent="error"), asker=message)

    def offer(self, chat: int | None, reply: Reply, now: datetime) -> Outgoing:
        """A message nobody asked for (a reminder) with its choice kept, for anyone it reaches to answer; sent
        without buttons when the choice cannot be kept."""
        if not reply.buttons or self.store.read_only:
            return Outgoing(chat, reply)
        try:
            return Outgoing(chat, reply, self._keep(reply, now, None, chat, ""))
        except Exception:
            log.warning("the choice of a %s to chat %s was not kept; sent without buttons", reply.intent, chat,
                        exc_info=True)
            return Outgoing(chat, reply)

    @property
    def store(self) -> Store:
        """The engine's store, where open choices are kept."""
        return self.engine.store

    # --- a message -------------------------------------------------------------------------------
    def _ask(self, message: Message) -> Outgoing:
        message = replace(message, text=strip_bot_name(message.text))
        return self._answered(message, self.engine.answer(message))

    def _answered(self, message: Message, reply: Reply) -> Outgoing:
        """The outgoing reply to a message; a reply with options has its choice kept for the asker."""
        if reply.intent == "denied":   # ids only, never the text
            log.info("user %s in chat %s refused: %s", message.user_id, message.chat_id,
                     "sent on behalf of a chat" if message.on_behalf_of_chat else "no role")
        notices = self._notices(reply, message.now)
        if not reply.buttons:
            return Outgoing(message.chat_id, reply, asker=message, notices=notices)
        if self.store.read_only:
            shown = replace(reply, text=f"{reply.text}\n{NOT_KEPT}", buttons=[], offer=None)
            return Outgoing(message.chat_id, shown, asker=message)
        asker = LOCAL_OPERATOR if message.local_operator else message.user_id
        options = self._keep(reply, message.now, asker, message.chat_id, message.text)
        return Outgoing(message.chat_id, reply, options, message, notices=notices)

    def _notices(self, reply: Reply, now: datetime) -> list[Outgoing]:
        """One outgoing message per person a reply's notices are for, to their private chat; the buttons of one
        notice share one choice, for whichever of them answers it (their role is checked on the press)."""
        out: list[Outgoing] = []
        for notice in reply.notices:
            kept = notice.reply.buttons and not self.store.read_only
            options = self._keep(notice.reply, now, None, None, "") if kept else []
            for user in notice.users:
                out.append(Outgoing(self.store.private_chat(user) or user, notice.reply, options))
        return out

    def _keep(self, reply: Reply, now: datetime, asker: int | None, chat: int | None, text: str) -> list[Option]:
        """Keep a reply's choice (who may answer: the asker, or anyone for an RSVP) and return its options."""
        offer = reply.offer or Offer("clarify")
        expires = offer.expires or now + self._lifetime(offer.kind)
        payload = {"text": text, "options": [[b.label, b.action] for b in reply.buttons], "data": offer.payload}
        choice_id = self.store.open_choice(offer.kind, None if offer.anyone else asker, chat, now, expires, payload)
        return [Option(f"{choice_id}.{n}", b.label) for n, b in enumerate(reply.buttons, start=1)]

    def _lifetime(self, kind: str) -> timedelta:
        if kind in CONFIRMED_SOON:
            return timedelta(minutes=self.engine.policy.confirm_minutes)
        return CLARIFY_LIFETIME if kind == "clarify" else RSVP_LIFETIME

    # --- a chosen option -------------------------------------------------------------------------
    def _press(self, press: Press) -> Outgoing:
        """Answer a chosen option. The choice is read, checked and (if answered once) removed in the same
        transaction as the write it finishes: a failure leaves both as they were."""
        if self.store.read_only:   # nothing can be removed or written; a clarifying choice still answers
            return self._choose(press, take=False)
        with self.store.transaction():
            return self._choose(press, take=True)

    def _choose(self, press: Press, take: bool) -> Outgoing:
        message = press.message
        found = _KEY.match(press.key.strip())
        choice = self.store.choice(found.group(1)) if found else None
        number = int(found.group(2)) if found else 0
        if found is None or choice is None or choice.expired(message.now) or number > len(choice.payload["options"]):
            return Outgoing(message.chat_id, Reply(text=EXPIRED, intent="expired"), asker=message)
        presser = LOCAL_OPERATOR if message.local_operator else message.user_id
        if choice.user_id is not None and choice.user_id != presser:
            return Outgoing(message.chat_id, Reply(text=NOT_YOURS, intent="denied"), asker=message, refused=True)
        _, action = choice.payload["options"][number - 1]
        asked = replace(message, text=str(choice.payload["text"]))
        reply = self.engine.answer(asked, Pick(choice.kind, str(action), dict(choice.payload["data"])))
        if reply.intent == "denied":   # their role does not allow it (any more): the choice stays as it was
            return Outgoing(message.chat_id, reply, asker=message, refused=True)
        if take and choice.kind in ONE_SHOT:
            self.store.close_choice(choice.id)
        out = self._answered(asked, reply)
        out.still_open = choice.kind not in ONE_SHOT
        return out
