"""Admin commands in chat: /grant, /revoke, /audit; and the stale-task list coordinators read."""

import json
from datetime import timedelta

from intents.answers.render import name_of, person_name, progress_summary, when
from intents.message import Message, Reply
from intents.writes.access import ROLE_NAME, Policy, actor_of
from store import InvalidValue, NotFound
from store.store import Row, Store

_ROLE_WORDS = {"member": "member", "구성원": "member", "coordinator": "coordinator", "코디네이터": "coordinator",
               "admin": "admin", "관리자": "admin"}


def grant(store: Store, message: Message) -> Reply:
    """/grant ID ROLE: give a user a role (member, coordinator, admin)."""
    parts = message.text.split()
    if len(parts) < 3 or not parts[1].lstrip("-").isdigit() or parts[2].lower() not in _ROLE_WORDS:
        return Reply(text="사용법: /grant <사용자ID> <member|coordinator|admin> [이름]", intent="grant")
    role = _ROLE_WORDS[parts[2].lower()]
    name = " ".join(parts[3:])[:50] or None
    try:
        old = store.set_role(actor_of(message), int(parts[1]), role, message.now.isoformat(), name)
    except InvalidValue as exc:
        return Reply(text=str(exc), intent="grant")
    before = f" (이전: {ROLE_NAME[old['role']]})" if old else ""
    return Reply(text=f"사용자 {parts[1]}에게 {ROLE_NAME[role]} 역할을 부여했습니다{before}.", intent="grant")


def revoke(store: Store, policy: Policy, message: Message) -> Reply:
    """/revoke <ID|이름>: end a user's access at once — role, link, open choices and pending requests."""
    _, _, target = message.text.partition(" ")
    target = target.strip()
    if not target:
        return Reply(text="사용법: /revoke <사용자ID 또는 이름>", intent="revoke")
    if target.lstrip("-").isdigit():
        user_id = int(target)
    else:
        found = store.users_named(target)
        if not found:
            return Reply(text=f"등록된 사용자 중 '{target[:30]}'을(를) 찾지 못했습니다. 아무것도 바꾸지 않았습니다. "
                              "사용자 목록: tfbot users list", intent="revoke")
        if len(found) > 1:
            lines = [f"'{target[:30]}'인 사용자가 {len(found)}명입니다. 사용자 ID로 다시 보내 주세요. 아무것도 바꾸지 "
                     "않았습니다."]
            lines.extend(f"• /revoke {r['user_id']} — {r['name'] or ''} ({ROLE_NAME[str(r['role'])]})" for r in found)
            return Reply(text="\n".join(lines), intent="revoke")
        user_id = int(found[0]["user_id"])
    configured = (f" 설정(config·TFBOT_ADMINS)의 관리자라 관리자 권한은 남습니다: 설정에서 {user_id}을(를) 지워 주세요."
                  if user_id in policy.admins else "")
    try:
        old = store.remove_user(actor_of(message), user_id, message.now.isoformat())
    except NotFound as exc:
        return Reply(text=f"{exc}{configured}", intent="revoke")
    who = f"{old['name']}({user_id})" if old["name"] else f"사용자 {user_id}"
    return Reply(text=f"{who}의 {ROLE_NAME[old['role']]} 역할을 회수했습니다. {ended(old)}{configured}",
                 intent="revoke")


def ended(removed: Row) -> str:
    """What else a removal ended, as a sentence: the link, the open choices, the invites the person made."""
    parts = []
    if removed.get("link"):
        parts.append("담당자·기관 연결을 끊었습니다")
    if removed.get("choices"):
        parts.append(f"열려 있던 선택지 {removed['choices']}개를 닫았습니다")
    if removed.get("invites"):
        parts.append(f"이 사람이 만든 초대 {removed['invites']}개를 무효로 했습니다")
    return (", ".join(parts) + ". " if parts else "") + "이제 이 사람의 버튼과 명령은 아무것도 하지 않습니다."


def audit_lines(store: Store, since: str | None = None) -> list[str]:
    """The audit log as lines: when, who, what, old → new (an undo shows the entry it took back)."""
    lines = []
    for r in store.audit_log(since):
        old, new = _shown(r["old"]), _shown(r["new"])
        if r["action"] == "undo":
            old, new = _undone(store, r["old"]), "되돌림"
        lines.append(f"{r['at']} {person_name(r['user_id'])} {r['action']} {r['target']}: {old} → {new}")
    return lines


def _shown(value: str | None) -> str:
    """An audited value as text: a progress entry as `40% · 진행 — 메모`, anything else as stored, none as `-`."""
    if value is None:
        return "-"
    try:
        data = json.loads(value)
    except ValueError:
        return value
    if isinstance(data, dict) and "status" in data:
        return progress_summary(data.get("percent"), str(data["status"]), data.get("note"))
    return value


def _undone(store: Store, value: str | None) -> str:
    """What an undo took back: the progress entry it names (`#2 40% · 진행 — 메모`)."""
    try:
        entry_id = int(json.loads(value or "")["entry"])
    except (ValueError, KeyError, TypeError):
        return _shown(value)
    entry = store.progress_entry(entry_id)
    if entry is None:
        return f"기록 #{entry_id}"
    return f"기록 #{entry_id} {progress_summary(entry['percent'], entry['status'], entry['note'])}"


def show_audit(store: Store, message: Message) -> Reply:
    """/audit: the latest 30 audit entries."""
    lines = audit_lines(store)[-30:]
    text = "감사 기록 (최근 30건)\n" + "\n".join(lines) if lines else "감사 기록이 없습니다."
    return Reply(text=text, intent="audit")


def stale(store: Store, policy: Policy, message: Message) -> Reply:
    """업데이트 안 된 과제·지연 과제: tasks with no update in N days or in status 지연, with owners."""
    before = (message.now - timedelta(days=policy.stale_days)).isoformat()
    rows = store.stale_tasks(before)
    if not rows:
        return Reply(text=f"최근 {policy.stale_days}일 안에 모두 업데이트되었고 지연 과제도 없습니다.", intent="stale")
    lines = [f"점검이 필요한 과제 {len(rows)}건 ({policy.stale_days}일 이상 업데이트 없음 또는 지연):"]
    for row in rows:
        latest = row["latest"]
        owner = name_of(store, row["lead"]) or "담당기관 미상"
        if latest is None:
            state = "기록 없음"
        else:
            who = person_name(latest["user_id"], latest["user_name"])
            state = f"{latest['status']} {latest['percent'] if latest['percent'] is not None else '-'}% " \
                    f"({who}, {when(latest['at'])})"
        lines.append(f"• {row['name']} — 담당: {owner} — {state}")
    return Reply(text="\n".join(lines), intent="stale")
