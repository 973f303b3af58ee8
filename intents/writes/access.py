"""Who may do what: roles, the policy settings the write side needs, and the refusal texts."""

from dataclasses import dataclass, field

from intents.message import Message, Reply
from store.store import Store

RANK = {"member": 1, "coordinator": 2, "admin": 3}
ROLE_NAME = {"member": "구성원", "coordinator": "코디네이터", "admin": "관리자"}


@dataclass(frozen=True)
class Policy:
    """Settings of the write side: first admins, stale threshold, undo and confirmation windows."""

    admins: frozenset[int] = field(default_factory=frozenset)
    stale_days: int = 14
    undo_minutes: int = 10
    confirm_minutes: int = 5
    follow_up_minutes: int = 5   # how long a question naming no subject refers to the chat's last one


def role_of(store: Store, policy: Policy, user_id: int | None) -> str | None:
    """The user's role; the local operator (no user id) and configured admins are admins."""
    if user_id is None or user_id in policy.admins:
        return "admin"
    row = store.user(user_id)
    return str(row["role"]) if row else None


def allowed(role: str | None, needed: str) -> bool:
    """Whether a role is at least the role an action needs (the registry says which)."""
    return role is not None and RANK[role] >= RANK[needed]


def refuse_unknown(message: Message) -> Reply:
    """The reply to someone who is not registered: no data, their id to send to an admin."""
    return Reply(
        text=("죄송합니다. 등록된 TF 구성원만 이용할 수 있습니다.\n"
              f"관리자에게 사용자 ID {message.user_id} 를 알려 등록을 요청해 주세요."),
        intent="denied",
    )


def refuse(needed: str, role: str | None) -> Reply:
    """The reply to a registered user whose role is below the one an action needs."""
    need = ROLE_NAME[needed]
    have = ROLE_NAME.get(role or "", "미등록")
    return Reply(text=f"이 작업은 {need} 권한이 필요합니다. (현재 역할: {have})", intent="denied")
