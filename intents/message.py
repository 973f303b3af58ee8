"""Transport-neutral messages and replies: what adapters hand the engine and get back."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MAX_REPLY_CHARS = 4096


@dataclass(frozen=True)
class IncomingFile:
    """A file sent to the bot: its name, its size as the channel reported it, and its bytes (None when the
    channel did not fetch it: too large, or of a kind no handler reads)."""

    name: str
    size: int
    data: bytes | None = None


@dataclass(frozen=True)
class Message:
    """One incoming message: text, who sent it, where, and the clock reading to use.

    `local_operator` is set only by the console and the CLI: the person at the machine, an admin without a
    Telegram id. A message with neither a user id nor that flag gets no data. `on_behalf_of_chat` marks a
    message sent in the name of a group or channel (an anonymous admin, a channel post, an automatic forward):
    its sender is not a person, so it gets no data either. `thread_id` is the forum topic the message was
    written in (None: the General topic, an ordinary reply thread, a chat without topics), which its answer goes
    to; `start_link` is how the channel makes a link that opens a private chat with the bot and sends it
    `/start <parameter>` (Telegram's deep link; None where there is none: the console, the CLI).
    """

    text: str
    now: datetime
    user_id: int | None = None
    chat_id: int | None = None
    user_name: str | None = None
    chat_kind: str = "private"
    local_operator: bool = False
    on_behalf_of_chat: bool = False
    file: IncomingFile | None = None   # a document sent with the message (its caption is the text)
    thread_id: int | None = None
    start_link: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Entity:
    """An entity of the store a text may refer to, with a 0–100 score: what the matcher finds, what routing
    picks and what a reply names."""

    kind: str
    id: str
    name: str
    score: float

    def as_json(self) -> dict[str, object]:
        """The entity as the `tfbot ask --json` contract spells it."""
        return {"kind": self.kind, "id": self.id, "name": self.name, "score": round(self.score, 1)}


@dataclass(frozen=True)
class Button:
    """An answer option: `label` is shown, `action` (short, ASCII) is sent back when pressed."""

    label: str
    action: str


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply (an .ics calendar entry, a chart): `kind` 'photo' is shown as a picture,
    with its `caption` under it (a chart's title and source)."""

    filename: str
    data: bytes
    mime: str
    kind: str = "document"
    caption: str = ""


@dataclass(frozen=True)
class Offer:
    """What a reply with buttons waits for: the kind of choice (`log`, `meeting`, `clarify`, `rsvp`,
    `correction`, `document`, `import`, `iam`, `link`), what its intent needs to finish it (JSON), until when it
    may be answered (None: the kind's usual time) and whether anyone it was sent to may answer it for
    themselves (an RSVP) rather than only the asker."""

    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    expires: datetime | None = None
    anyone: bool = False


@dataclass(frozen=True)
class Pick:
    """An option chosen from an open choice: its kind, the option's action and the payload kept with it."""

    kind: str
    action: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    """A write an intent made (`meeting`: added, moved or cancelled; `progress`; `attendance`; `correction`: a
    fact corrected, its history id) and its row's id."""

    what: str
    id: str


@dataclass(frozen=True)
class Notice:
    """A message for other people than the asker, sent to their private chats by a channel that can (Telegram):
    an admin asked to confirm a link, a user told it was confirmed. Its buttons (one choice for all of them)
    may be answered by any of them whose role allows it."""

    users: tuple[int, ...]
    reply: "Reply"


@dataclass
class Reply:
    """What the engine answers: plain text (adapters escape it), options, files, provenance."""

    text: str
    intent: str
    entities: list[Entity] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    private: bool = False
    missed: bool = False   # the data did not hold what was asked: kept for `tfbot unanswered`
    offer: Offer | None = None   # what the buttons wait for (no offer: a clarifying choice)
    written: list[Written] = field(default_factory=list)   # what was written while answering
    notices: list[Notice] = field(default_factory=list)   # messages for others (admins, the user concerned)

    def as_json(self) -> dict[str, object]:
        """The reply in the `tfbot ask --json` contract."""
        return {
            "intent": self.intent,
            "text": self.text,
            "entities": [e.as_json() for e in self.entities],
            "sources": list(self.sources),
        }
