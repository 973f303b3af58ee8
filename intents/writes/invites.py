"""Joining: an admin makes a one-time invite link (/invite member|coordinator); whoever opens it first, before it
expires, is registered with that role (/start <token>, which Telegram sends when the link is opened)."""

import re
from datetime import datetime, timedelta

from intents.answers.render import when
from intents.message import Message, Reply
from intents.writes.access import RANK, ROLE_NAME, Policy, actor_of, not_a_person, refuse_unknown
from store.invites import INVITE_ROLES
from store.store import Store

_ROLE_WORDS = {"member": "member", "구성원": "member", "멤버": "member",
               "coordinator": "coordinator", "코디네이터": "coordinator", "코디": "coordinator"}
_ADMIN_WORDS = ("admin", "관리자")
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")   # what a deep link's start parameter may carry
UNKNOWN = ("알 수 없는 초대 링크입니다. 받은 링크를 끝까지 그대로 열었는지 확인하고, 안 되면 관리자에게 새 링크를 "
           "요청해 주세요. 아무것도 바꾸지 않았습니다.")
USAGE = "사용법: /invite member 또는 /invite coordinator (관리자, 봇과의 개인 대화에서)"


def invite(store: Store, policy: Policy, message: Message) -> Reply:
    """/invite member|coordinator (admin): a one-time link that registers whoever opens it with that role until it
    expires; /invite alone lists the open ones."""
    parts = message.text.split()
    if len(parts) == 1:
        return _open_invites(store, message)
    word = parts[1].lower()
    if len(parts) > 2 or (word not in _ROLE_WORDS and word not in _ADMIN_WORDS):
        return Reply(text=USAGE, intent="invite")
    if word in _ADMIN_WORDS:
        return Reply(text="관리자는 초대 링크로 만들 수 없습니다 (링크는 전달될 수 있습니다). 등록된 사람에게 "
                          "/grant <사용자ID> admin 으로 부여해 주세요.", intent="invite")
    if message.chat_kind != "private":
        return Reply(text="초대 링크는 그룹에 남지 않도록 봇과의 개인 대화에서 만들어 주세요. "
                          "아무것도 만들지 않았습니다.", intent="invite")
    role = _ROLE_WORDS[word]
    assert role in INVITE_ROLES
    expires = message.now + timedelta(days=policy.invite_days)
    token = store.create_invite(actor_of(message), role, message.now, expires)
    until = when(expires.isoformat(timespec="minutes"))
    lines = [f"{ROLE_NAME[role]} 초대 링크를 만들었습니다 (한 번만 쓸 수 있고, {until}까지):"]
    if message.start_link is not None:   # Telegram: python-telegram-bot's create_deep_linked_url
        lines.append(message.start_link(token))
    else:   # the console and the CLI do not know the bot's @name
        lines += [f"토큰: {token}", f"링크: https://t.me/<봇 사용자명>?start={token}",
                  f"(텔레그램에서 봇에게 '/start {token}'을 보내도 됩니다)"]
    lines.append(f"이 링크를 처음 여는 사람이 {ROLE_NAME[role]}(으)로 등록됩니다. "
                 "등록할 사람에게만 개인적으로 보내 주세요.")
    return Reply(text="\n".join(lines), intent="invite")


def _open_invites(store: Store, message: Message) -> Reply:
    """The invites not yet used or expired (their short ids, never a token), and how to make one."""
    rows = store.open_invites(message.now)
    if not rows:
        return Reply(text=f"쓸 수 있는 초대 링크가 없습니다.\n{USAGE}", intent="invite")
    lines = [f"아직 쓰지 않은 초대 {len(rows)}건:"]
    for row in rows:
        lines.append(f"• {row['id']} {ROLE_NAME[str(row['role'])]} — {when(str(row['created_at'])[:16])} 생성, "
                     f"만료 {when(_local(str(row['expires_at']), message))}")
    lines.append(USAGE)
    return Reply(text="\n".join(lines), intent="invite")


def _local(utc_text: str, message: Message) -> str:
    """A UTC moment kept by the store, in the message's timezone, to the minute."""
    moment = datetime.fromisoformat(utc_text)
    if message.now.tzinfo is not None:
        moment = moment.astimezone(message.now.tzinfo)
    return moment.isoformat(timespec="minutes")[:16]


def redeem(store: Store, policy: Policy, message: Message) -> Reply:
    """/start <token>: register the sender with the invite's role, once, before it expires; a used, expired or
    unknown token is refused and changes nothing; a sender whose role is as high already keeps it."""
    if message.local_operator:
        return Reply(text="초대는 텔레그램 사용자가 엽니다. 시험하려면: tfbot ask --user ID \"/start 토큰\"",
                     intent="invite")
    if message.user_id is None or not_a_person(message):
        return refuse_unknown(message)
    if message.chat_kind != "private":
        return Reply(text="초대 링크는 봇과의 개인 대화에서 열어 주세요. 아무것도 바꾸지 않았습니다.", intent="invite")
    token = message.text.split(maxsplit=1)[1].strip()
    if message.user_id in policy.admins:
        return Reply(text="설정 파일에 관리자로 지정되어 있어 초대가 필요 없습니다. 이 초대는 쓰지 않았습니다.",
                     intent="invite")
    if not TOKEN_SHAPE.match(token):
        return Reply(text=f"{UNKNOWN} (사용자 ID: {message.user_id})", intent="invite")
    name = (message.user_name or "").strip()[:50] or None
    done = store.redeem_invite(token, message.user_id, name, message.now)
    role = ROLE_NAME.get(done.role or "", "")
    if done.outcome == "registered":
        return Reply(text=f"환영합니다! {role}(으)로 등록되었습니다.\n담당자나 기관으로 연결하려면 /iam <이름>, "
                          "무엇을 물어볼 수 있는지는 /help", intent="invite")
    if done.outcome == "promoted":
        return Reply(text=f"역할이 {role}(으)로 바뀌었습니다 (이전: {ROLE_NAME[done.before or 'member']}).",
                     intent="invite")
    if done.outcome == "already":
        before = done.before or "member"
        same = "같은" if RANK[before] == RANK[done.role or "member"] else "더 높은"
        return Reply(text=f"이미 {ROLE_NAME[before]}(으)로 등록되어 있습니다 ({same} 역할이라 바꾸지 않았습니다). "
                          "이 초대는 쓰지 않았으니 다른 분이 쓸 수 있습니다.", intent="invite")
    if done.outcome == "used":
        return Reply(text="이미 사용된 초대 링크입니다. 초대 링크는 한 번만 쓸 수 있습니다. 아무것도 바꾸지 "
                          f"않았습니다. 관리자에게 새 링크를 요청해 주세요. (사용자 ID: {message.user_id})",
                     intent="invite")
    if done.outcome == "expired":
        return Reply(text=f"만료된 초대 링크입니다 ({when(_local(done.expires_at or '', message))}에 만료). 아무것도 "
                          f"바꾸지 않았습니다. 관리자에게 새 링크를 요청해 주세요. (사용자 ID: {message.user_id})",
                     intent="invite")
    return Reply(text=f"{UNKNOWN} (사용자 ID: {message.user_id})", intent="invite")

