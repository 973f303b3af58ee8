"""New documents from coordinators: a 보도자료 sent as a file (HWP, HWPX, PDF, TXT) or pasted after /document is
read, shown as a preview — its title, issuer and date, and the contacts of its contact block, new or already
known — and stored on 확인 as a new source whose passages questions can be answered from. Nothing is written
before 확인."""

import hashlib
from dataclasses import asdict
from typing import Any

from intents.documents.contacts import FoundContact, contact_block
from intents.documents.extract import KIND_NAME, NOTHING, Extracted, Unreadable, extract, tidy
from intents.documents.header import read_header
from intents.documents.passages import split_passages
from intents.message import Button, Message, Offer, Pick, Reply, Written
from intents.registry import REGISTRY
from intents.writes.access import Policy, actor_of, allowed, refuse, refuse_unknown, role_of
from store.documents import NewContact, NewDocument
from store.store import Store

SAVE_ALL, SAVE_TEXT, CANCEL = "document:all", "document:text", "document:cancel"
PASTED = "붙여넣은 글"
MAX_PASTE_CHARS = 200_000
USAGE = ("사용법: /document 다음 줄부터 보도자료 본문을 붙여 넣어 보내 주세요 (한 메시지로). "
         "HWP·HWPX·PDF·TXT 파일은 파일로 보내면 됩니다 (코디네이터).")
MAX_SHOWN_CONTACTS = 20


def receive_document(store: Store, file_name: str, data: bytes, user: Message, policy: Policy | None = None) -> Reply:
    """A document file sent by `user` (whose message carries the clock): its preview with 확인/문서만 저장/취소,
    or a clear reply saying why it cannot be read. Nothing is written here."""
    role = role_of(store, policy or Policy(), user)
    if role is None:
        return refuse_unknown(user)
    needed = REGISTRY.role_for("document")
    if not allowed(role, needed):
        return refuse(needed, role)
    try:
        extracted = extract(file_name, data)
    except Unreadable as exc:
        return Reply(text=str(exc), intent="document_refused")
    return preview(store, file_name, extracted, hashlib.sha256(data).hexdigest())


def paste_document(store: Store, message: Message) -> Reply:
    """/document followed by a 보도자료's text in the same message: its preview (the role was checked by the
    command table)."""
    body = message.text.strip()
    body = body.split(maxsplit=1)[1] if len(body.split(maxsplit=1)) > 1 else ""
    if not body.strip():
        return Reply(text=USAGE, intent="document")
    if len(body) > MAX_PASTE_CHARS:
        return Reply(text=f"붙여넣은 글이 너무 깁니다({len(body):,}자). 파일로 보내 주세요. {NOTHING}",
                     intent="document_refused")
    text = tidy(body)
    return preview(store, PASTED, Extracted("paste", text), hashlib.sha256(text.encode("utf-8")).hexdigest())


def preview(store: Store, file_name: str, doc: Extracted, sha256: str) -> Reply:
    """What a document would add, with the buttons that add it; a document already stored is said so."""
    stored = store.document_with_hash(sha256)
    if stored is not None:
        return Reply(text=f"이미 등록된 문서입니다: {stored['title']} ({stored['issuer']}, "
                          f"{stored['date'] or '발행일 미상'}; {str(stored['added_at'])[:10]} 등록). {NOTHING}",
                     intent="document_refused", sources=[str(stored["file"])])
    names = store.organisation_names()
    header = read_header(doc.text, [n for n, _, _ in names])
    found = contact_block(doc.text, [n for n, _, _ in names], header.issuers)
    passages = split_passages(doc.text)
    new, known = _sorted_contacts(store, found)
    kind = KIND_NAME[doc.kind]
    lines = [f"문서를 읽었습니다: {file_name[:80]} ({kind}, {len(doc.text):,}자, 구절 {len(passages)}개)",
             f"• 제목: {header.title}", f"• 발행: {header.issuer}",
             f"• 날짜: {header.date or '미상'}" + (f" — {header.date_note}" if header.date_note else "")]
    if found:
        lines.append(f"연락처 블록의 담당자 {len(found)}명:")
        lines += [f"• 새 담당자: {_contact_line(c)}" for c in new[:MAX_SHOWN_CONTACTS]]
        lines += [f"• 이미 있음: {_contact_line(c)}" for c in known[:MAX_SHOWN_CONTACTS]]
    else:
        lines.append("연락처 블록(담당 부서·책임자·담당자와 전화번호)은 찾지 못했습니다.")
    saving = f"문서를 질문에 답할 수 있게 저장하고 새 담당자 {len(new)}명을 추가합니다" if new else \
        "문서를 질문에 답할 수 있게 저장합니다"
    lines.append(f"'확인'을 누르면 {saving}. 누르기 전에는 아무것도 저장하지 않았습니다.")
    payload: dict[str, Any] = {
        "file": file_name[:200], "kind": doc.kind, "sha256": sha256, "title": header.title, "issuer": header.issuer,
        "date": header.date, "date_note": header.date_note, "text": doc.text,
        "contacts": [_stored_contact(store, c) for c in new],
    }
    buttons = [Button("확인", SAVE_ALL)] + ([Button("문서만 저장", SAVE_TEXT)] if new else []) + \
        [Button("취소", CANCEL)]
    return Reply(text="\n".join(lines), intent="document_confirm", offer=Offer("document", payload), buttons=buttons)


def confirm_document(store: Store, message: Message, pick: Pick) -> Reply:
    """The press of 확인 (document and new contacts), 문서만 저장 or 취소 on a document's preview."""
    if pick.action == CANCEL:
        return Reply(text=f"취소했습니다. {NOTHING}", intent="document")
    data = pick.payload
    stored = store.document_with_hash(str(data["sha256"]))
    if stored is not None:   # saved meanwhile, from this preview's twin or another process
        return Reply(text=f"이미 등록된 문서입니다: {stored['title']}. {NOTHING}", intent="document")
    contacts = [NewContact(c["person"], c["title"], c["role"], c["organisation"], c["department"],
                           tuple(c["phones"]), c["note"]) for c in data["contacts"]] if pick.action == SAVE_ALL else []
    text = str(data["text"])
    doc = NewDocument(str(data["file"]), str(data["kind"]), str(data["sha256"]), str(data["title"]),
                      str(data["issuer"]), data["date"], data["date_note"], text, tuple(split_passages(text)))
    source = store.add_document(doc, contacts, actor_of(message), message.now.isoformat())
    people = ", ".join(f"{c.person} {c.title or ''}".strip() for c in contacts)
    added = f" 새 담당자 {len(contacts)}명을 추가했습니다: {people}." if contacts else ""
    return Reply(text=f"저장했습니다: {doc.title} ({doc.issuer}, {doc.date or '발행일 미상'}). "
                      f"구절 {len(doc.passages)}개를 질문에 답하는 데 씁니다.{added}",
                 intent="document", sources=[doc.file], written=[Written("document", source)])


def _sorted_contacts(store: Store, found: list[FoundContact]) -> tuple[list[FoundContact], list[FoundContact]]:
    """The contacts the store does not have yet (a new person, or a known person with a new phone), and
    those it has (the same person with the same phone)."""
    new: list[FoundContact] = []
    known: list[FoundContact] = []
    for contact in found:
        rows = store.contact_phones(contact.person)
        same = any(set(contact.phones) & set(phones) for _, phones in rows)
        (known if same else new).append(contact)
    return new, known


def _contact_line(c: FoundContact) -> str:
    where = " ".join(p for p in (c.organisation, (c.department or "").replace(" | ", "·")) if p)
    return f"{c.person} {c.title} ({where + ', ' if where else ''}{c.role}) ☎ {', '.join(c.phones)}"


def _stored_contact(store: Store, c: FoundContact) -> dict[str, Any]:
    """A found contact as the confirmation will store it: its organisation by id when the store knows it."""
    ids = {name: org_id for name, org_id, _ in store.organisation_names()}
    org_id = ids.get(c.organisation or "")
    note = "보도자료 연락처" + (f" ({c.organisation})" if c.organisation and not org_id else "")
    return asdict(NewContact(c.person, c.title, c.role, org_id, c.department, c.phones, note))
