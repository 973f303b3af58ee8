"""Who may do what: roles, the policy settings the write side needs, and the refusal texts."""

from dataclasses import dataclass, field

from intents.message import Message, Reply
from store.people import LOCAL_OPERATOR, SHARED_SENDERS
from store.store import Store

RANK = {"member": 1, "coordinator": 2, "admin": 3}
ROLE_NAME = {"member": "구성원", "coordinator": "코디네이터", "admin": "관리자"}

NOTHING_WRITTEN = "아무것도 바꾸지 않았습니다."   # said after every refused file or import


@dataclass(frozen=True)
class Policy:
    """Settings of the write side: first admins, stale threshold, undo and confirmation windows, how long an
    invite link may be used."""

    admins: frozenset[int] = field(default_factory=frozenset)
    stale_days: int = 14
    undo_minutes: int = 10
    confirm_minutes: int = 5
    follow_up_minutes: int = 5   # how long a question naming no subject refers to the chat's last one
    invite_days: int = 7


def role_of(store: Store, policy: Policy, message: Message) -> str | None:
    """The sender's role: the local operator (console, CLI) and configured admins are admins; a message with no
    user id, or sent on behalf of a chat, has none."""
    if message.local_operator:
        return "admin"
    user_id = message.user_id
    if user_id is None or not_a_person(message):
        return None
    if user_id in policy.admins:
        return "admin"
    row = store.user(user_id)
    return str(row["role"]) if row else None


def not_a_person(message: Message) -> bool:
    """Whether a message was sent on behalf of a chat: flagged by the adapter, or from a shared sender id."""
    return message.on_behalf_of_chat or message.user_id in SHARED_SENDERS


def actor_of(message: Message) -> int | None:
    """The id a write is recorded under: the sender's, or LOCAL_OPERATOR for the console and the CLI."""
    return LOCAL_OPERATOR if message.local_operator else message.user_id


def allowed(role: str | None, needed: str) -> bool:
    """Whether a role is at least the role an action needs (the registry says which)."""
    return role is not None and RANK[role] >= RANK[needed]


def refuse_unknown(message: Message) -> Reply:
    """The reply to a sender without a role: no data; a person is told their id to send to an admin."""
    if not_a_person(message):
        return Reply(text=("그룹이나 채널 이름으로 보낸 메시지에는 답하지 않습니다. 본인 계정으로 다시 보내 주세요. "
                           "(익명 관리자라면 익명 설정을 끈 뒤 보내 주세요)"), intent="denied")
    if message.user_id is None:
        return Reply(text="보낸 사람을 알 수 없는 메시지에는 답할 수 없습니다.", intent="denied")
    return Reply(
        text=("죄송합니다. 등록된 TF 구성원만 이용할 수 있습니다.\n"
              f"관리자에게 아래 사용자 ID를 알려 등록을 요청해 주세요.\n사용자 ID: {message.user_id}"),
        intent="denied",
    )


def refuse(needed: str, role: str | None) -> Reply:
    """The reply to a registered user whose role is below the one an action needs."""
    need = ROLE_NAME[needed]
    have = ROLE_NAME.get(role or "", "미등록")
    return Reply(text=f"이 작업은 {need} 권한이 필요합니다. (현재 역할: {have})", intent="denied")
