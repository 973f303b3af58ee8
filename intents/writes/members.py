"""Who is who: /iam asks that a Telegram user be linked to a contact or an organisation; an admin confirms
(확인) or refuses (거절) from the notice they get, or from /links; the user is told either way."""

from datetime import timedelta
from typing import Any

from intents.answers.render import name_of, person_name, when
from intents.message import Button, Entity, Message, Notice, Offer, Pick, Reply
from intents.reading.matcher import NameIndex
from intents.writes.access import ROLE_NAME, Policy, actor_of
from store import NotFound
from store.store import Row, Store

CERTAIN = 90.0          # a name matched this well, with no close second, is requested without asking
CLOSE = 5.0             # candidates within this many points of the best are asked about
MAX_OPTIONS = 8
MAX_NAME = 60
LINK_DAYS = 7           # how long an admin's 확인/거절 buttons stay open
MAX_LISTED_BUTTONS = 4  # /links: requests with buttons (two each); the rest are listed
KINDS = ("contact", "organisation")
CANCEL = "iam:cancel"
_KIND_NAME = {"contact": "담당자", "organisation": "기관"}


def target_text(store: Store, kind: str, target: str) -> str:
    """A contact or an organisation as a person recognises it: `정병찬 사무관 (산업통상자원부 지역경제총괄과)`,
    `국토교통부 (기관)`."""
    if kind == "contact":
        row = store.contact(target)
        if row is None:
            return target
        who = " ".join(str(p) for p in (row.get("person"), row.get("title")) if p)
        where = " ".join(p for p in (name_of(store, row.get("organisation")),
                                     str(row.get("department") or "").split("|")[0].strip()) if p)
        return f"{who or target} ({where or '담당자'})"
    return f"{name_of(store, target) or target} (기관)"


def link_text(store: Store, link: Row) -> str:
    """A stored link's target (see target_text)."""
    kind = "contact" if link["contact"] else "organisation"
    return target_text(store, kind, str(link["contact"] or link["organisation"]))


def user_text(store: Store, user_id: int) -> str:
    """A registered user as admins see them: `홍길동 (사용자 1001, 구성원)`."""
    row = store.user(user_id)
    if row is None:
        return f"사용자 {user_id}"
    name = str(row["name"]) if row["name"] else None
    return f"{person_name(user_id, name)} (사용자 {user_id}, {ROLE_NAME.get(str(row['role']), row['role'])})"


def admins(store: Store, policy: Policy) -> tuple[int, ...]:
    """Who is told of a link request: the admins registered in the database and those of the configuration."""
    found = {int(r["user_id"]) for r in store.users() if r["role"] == "admin"} | set(policy.admins)
    return tuple(sorted(found))


def iam(store: Store, index: NameIndex, policy: Policy, message: Message) -> Reply:
    """/iam <이름>: ask that the sender be linked to a contact or an organisation (an admin confirms); /iam
    alone: the sender's link as it stands."""
    if message.local_operator or message.user_id is None:
        return Reply(text="/iam 은 텔레그램 사용자가 자신을 담당자나 기관에 연결할 때 씁니다. 콘솔의 로컬 운영자는 "
                          "연결할 수 없습니다 (시험: tfbot ask --user ID \"/iam 이름\").", intent="iam")
    _, _, name = message.text.partition(" ")
    name = name.strip()
    if not name:
        return current(store, message.user_id)
    if len(name) > MAX_NAME:
        return Reply(text=f"이름이 너무 깁니다({len(name)}자). 담당자 이름이나 기관명만 적어 주세요.", intent="iam")
    candidates = [c for c in index.lookup(name, limit=50) if c.kind in KINDS]
    if not candidates:
        return Reply(text=f"'{name}'에 해당하는 담당자나 기관을 찾지 못했습니다. 자료에 있는 담당자 이름이나 기관명을 "
                          "적어 주세요. 예: /iam 정병찬, /iam 국토교통부. 아무것도 요청하지 않았습니다.", intent="iam")
    top = candidates[0]
    close = [c for c in candidates[1:] if top.score - c.score <= CLOSE]
    if top.score < CERTAIN or close:
        return _ask_which(store, [top, *close][:MAX_OPTIONS])
    return request(store, policy, message, top.kind, top.id)


def _ask_which(store: Store, options: list[Entity]) -> Reply:
    """Buttons for each candidate (and 취소); nothing is requested until one is chosen."""
    labels = [target_text(store, c.kind, c.id) for c in options]
    head = "어느 분(기관)으로 연결할까요?" if len(options) > 1 else "이 분(기관)으로 연결할까요?"
    lines = [f"{head} 고르기 전에는 아무것도 요청하지 않습니다."]
    lines.extend(f"• {label}" for label in labels)
    return Reply(text="\n".join(lines), intent="iam_choose", entities=list(options), offer=Offer("iam"),
                 buttons=[*(Button(label, f"iam:{c.kind}:{c.id}") for c, label in zip(options, labels, strict=True)),
                          Button("취소", CANCEL)])


def choose(store: Store, policy: Policy, message: Message, pick: Pick) -> Reply:
    """The press of a candidate (or 취소) offered by /iam: request that link."""
    if pick.action == CANCEL:
        return Reply(text="취소했습니다. 아무것도 요청하지 않았습니다.", intent="iam")
    _, kind, target = pick.action.split(":", 2)
    if kind not in KINDS or message.user_id is None:
        return Reply(text="고른 항목을 찾지 못했습니다. 아무것도 요청하지 않았습니다.", intent="iam")
    return request(store, policy, message, kind, target)


def request(store: Store, policy: Policy, message: Message, kind: str, target: str) -> Reply:
    """Record the request and tell the admins, with 확인/거절 buttons any of them may press."""
    assert message.user_id is not None
    user, at = message.user_id, message.now.isoformat()
    same = store.link_of(user)
    if same is not None and (same["contact"] or same["organisation"]) == target:   # asked again: nothing new
        what = link_text(store, same)
        if same["state"] == "confirmed":
            return Reply(text=f"이미 연결되어 있습니다: 나 = {what}", intent="iam")
        return Reply(text=f"이미 요청했습니다: 나 = {what} (관리자 확인 대기). 관리자가 확인하면 알려 드립니다.",
                     intent="iam")
    try:
        old = store.request_link(user, at, **{kind: target})
    except NotFound:
        return Reply(text="그 담당자(기관)를 찾지 못했습니다. 아무것도 요청하지 않았습니다.", intent="iam")
    what = target_text(store, kind, target)
    told = admins(store, policy)
    lines = [f"연결을 요청했습니다: 나 = {what}", "관리자가 확인하면 알려 드립니다."]
    if old is not None and old["state"] == "confirmed":
        lines.append(f"(확인되어 있던 연결 '{link_text(store, old)}'은(는) 새 요청이 처리될 때까지 쓰지 않습니다.)")
    if not told:
        lines.append("(등록된 관리자가 없어 아직 아무에게도 알리지 못했습니다.)")
    notice = Reply(
        text=f"🔗 연결 요청\n{user_text(store, user)} → {what}\n확인하면 이 사람이 그 {_KIND_NAME[kind]}(으)로 "
             "과제 알림을 받습니다. (요청 목록: /links)",
        intent="link_request", buttons=[Button("확인", f"link:ok:{user}"), Button("거절", f"link:no:{user}")],
        offer=Offer("link", {"user": user, "requests": {str(user): [kind, target, at]}},
                    message.now + timedelta(days=LINK_DAYS), anyone=True))
    return Reply(text="\n".join(lines), intent="iam", entities=[Entity(kind, target, what, 100.0)],
                 notices=[Notice(told, notice)] if told else [])


def current(store: Store, user_id: int) -> Reply:
    """The sender's link: confirmed (by whom, when), waiting for an admin, or none."""
    link = store.link_of(user_id)
    if link is None:
        return Reply(text="아직 담당자나 기관에 연결되어 있지 않습니다. 연결하려면: /iam <담당자 이름 또는 기관명>",
                     intent="iam")
    what = link_text(store, link)
    if link["state"] == "confirmed":
        admin = store.user(int(link["confirmed_by"])) if link["confirmed_by"] is not None else None
        by = person_name(link["confirmed_by"], str(admin["name"]) if admin and admin["name"] else None)
        return Reply(text=f"연결: 나 = {what} (확인: {by}, {when(str(link['confirmed_at']))})", intent="iam")
    return Reply(text=f"연결 요청 중: 나 = {what} ({when(str(link['requested_at']))} 요청, 관리자 확인 대기)",
                 intent="iam")


def pending(store: Store, message: Message) -> Reply:
    """/links (admin): link requests waiting, oldest first, with 확인/거절 buttons for the first few."""
    rows = store.requested_links()
    if not rows:
        return Reply(text="확인을 기다리는 연결 요청이 없습니다.", intent="links")
    lines = [f"확인을 기다리는 연결 요청 {len(rows)}건:"]
    buttons: list[Button] = []
    requests: dict[str, list[Any]] = {}
    for n, row in enumerate(rows):
        user = int(row["user_id"])
        kind = "contact" if row["contact"] else "organisation"
        target = str(row["contact"] or row["organisation"])
        who, what = _short_user(store, user), target_text(store, kind, target)
        lines.append(f"• {user_text(store, user)} → {what} ({when(str(row['requested_at']))})")
        if n < MAX_LISTED_BUTTONS:
            requests[str(user)] = [kind, target, str(row["requested_at"])]
            buttons += [Button(f"확인: {who} → {what}"[:60], f"link:ok:{user}"),
                        Button(f"거절: {who}"[:60], f"link:no:{user}")]
    if len(rows) > MAX_LISTED_BUTTONS:
        lines.append(f"(버튼은 앞의 {MAX_LISTED_BUTTONS}건만: 처리한 뒤 /links 를 다시 보내 주세요)")
    return Reply(text="\n".join(lines), intent="links", buttons=buttons,
                 offer=Offer("link", {"requests": requests}, message.now + timedelta(days=LINK_DAYS)))


def _short_user(store: Store, user_id: int) -> str:
    row = store.user(user_id)
    return str(row["name"]) if row and row["name"] else f"사용자 {user_id}"


def decide(store: Store, message: Message, pick: Pick) -> Reply:
    """An admin's 확인 or 거절 of a request, if it is still the one shown (not answered, changed or dropped
    since): the link is confirmed, or dropped; the user is told."""
    verdict, _, whose = pick.action.removeprefix("link:").partition(":")
    user = int(whose)
    shown = pick.payload.get("requests", {}).get(str(user))
    link = store.link_of(user)
    if shown is None or link is None or _request_of(link) != shown:
        if link is not None and link["state"] == "confirmed" and _request_of(link)[:2] == (shown or [])[:2]:
            return Reply(text=f"이미 확인된 연결입니다: {_short_user(store, user)} = {link_text(store, link)}",
                         intent="links")
        return Reply(text="이 요청은 이미 처리되었거나 바뀌었습니다. 아무것도 바꾸지 않았습니다. (요청 목록: /links)",
                     intent="links")
    who, what = _short_user(store, user), link_text(store, link)
    at = message.now.isoformat()
    if verdict == "ok":
        store.confirm_link(actor_of(message), user, at)
        told = Reply(text=f"✅ 관리자가 연결을 확인했습니다: 나 = {what}\n이제 이 이름으로 과제 알림을 받습니다.",
                     intent="link_confirmed")
        return Reply(text=f"확인했습니다: {who} = {what}", intent="links", notices=[Notice((user,), told)])
    store.drop_link(actor_of(message), user, at)
    told = Reply(text=f"관리자가 연결 요청을 받아들이지 않았습니다: {what}\n다시 요청하려면 /iam <이름>",
                 intent="link_refused")
    return Reply(text=f"거절했습니다: {who} → {what} (연결 요청을 지웠습니다)", intent="links",
                 notices=[Notice((user,), told)])


def _request_of(link: Row) -> list[Any]:
    """A stored link as a choice's payload keeps it: [kind, target, requested_at] (state aside)."""
    kind = "contact" if link["contact"] else "organisation"
    if link["state"] != "requested":
        return [kind, str(link["contact"] or link["organisation"]), "confirmed"]
    return [kind, str(link["contact"] or link["organisation"]), str(link["requested_at"])]

