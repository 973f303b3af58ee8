"""Contact lookup: who is in charge, phone numbers and addresses."""

import re

from intents.answers.common import Ask, finish, nothing
from intents.answers.compute import pointed_source
from intents.answers.render import name_of, row_source
from intents.message import Reply
from intents.reading.morph import nouns_of
from intents.reading.normalize import compact, strip_particle, tokens
from intents.reading.vocab import TITLES
from store.store import Row, Store

WORKING_LEVEL = ("담당자", "문의처")   # the roles a press release gives for questions, before 책임자
WORKING_LEVEL_WORD = "실무"   # what the TF calls those roles ("실무 담당 사무관"): asks for them, names no topic
WHO = ("누구", "성함", "이름")   # words that ask for a person's name


def contact_line(store: Store, row: Row) -> str:
    """One contact as `이름 직급 — 기관 부서 (역할) ☎ 번호`."""
    who = " ".join(str(v) for v in (row["person"], row["title"]) if v) or "대표 연락처"
    where = " ".join(v for v in (name_of(store, row["organisation"]),
                                 str(row["department"] or "").replace(" | ", "·")) if v)
    role = f" ({row['role']})" if row["role"] else ""
    phones = store.phones("contact", row["id"])
    phone_text = f" ☎ {', '.join(phones)}" if phones else " (전화번호 자료 없음)"
    # a position without a name is described by its note (its first clause: the rest is extraction remarks)
    note = f" — {str(row['note']).split(';')[0]}" if row["note"] and not row["person"] else ""
    return f"• {who} — {where}{role}{phone_text}{note}"


def organisation_block(store: Store, org: Row) -> list[str]:
    """An organisation's address and phones as lines (the card's header already names it), then what it is."""
    kind_note = str(org["note"] or "").split(" · ")[0].split(" (")[0]   # the first label, not extraction remarks
    lines = []
    if org["address"]:
        lines.append(f"주소: {org['address']}")
    phones = store.phones("organisation", org["id"])
    if phones:
        lines.append(f"전화: {', '.join(phones)}")
    if lines and kind_note:
        lines.append(f"구분: {kind_note}")
    return lines


def answer_contact(ask: Ask) -> Reply:
    """담당자·연락처 — 사람, 부서, 기관, 사업 이름으로 전화번호·주소를 찾습니다 (예: 울산 평가단 전화번호)."""
    store, subject = ask.store, ask.subject
    if subject is None:
        return nothing(ask, "contact", "해당 담당자나 연락처를")
    lines: list[str] = []
    sources: list[str] = []
    contacts: list[Row] = []
    orgs = [c.id for c in [subject, *ask.others] if c.kind == "organisation"]
    if subject.kind == "contact":
        row = store.contact(subject.id)
        if row:
            contacts = store.contacts_named(str(row["person"]))
    elif subject.kind == "department":
        contacts = store.contacts_of_department(subject.id)
        if orgs:
            contacts = [c for c in contacts if c["organisation"] in orgs] or contacts
    elif subject.kind == "organisation":
        org = store.organisation(subject.id)
        if org and _asks_for_something_else(store, org, ask):
            return nothing(ask, "contact", f"{org['name']}의 '{' '.join(ask.query.unexplained)}' 담당자를")
        if org:
            block = organisation_block(store, org)
            if block:
                lines.extend(block)
                sources.append(row_source(store, "organisations", org))
            org_phones = set(store.phones("organisation", subject.id))
            contacts = [c for c in store.contacts_of_organisation(subject.id)   # a desk row repeating the block
                        if c["person"] or not org_phones or set(store.phones("contact", c["id"])) != org_phones]
            departments = [c.id for c in ask.others if c.kind == "department"]
            if departments:
                contacts = [c for c in contacts if any(d in str(c["department"]) for d in departments)]
    elif subject.kind in ("program", "task", "meeting"):
        row = {"program": store.program, "task": store.task, "meeting": store.meeting}[subject.kind](subject.id)
        if row:
            contacts = _contacts_for(store, row, asked_titles(ask))
            if orgs:   # "기재부 쪽 TF 담당 사무관": only that organisation's people answer
                contacts = [c for c in contacts if c["organisation"] in orgs]
    if ask.query.has(*WHO) and subject.kind in ("organisation", "department") and \
            not any(c["person"] for c in contacts):   # "평가단 담당자 이름", "본부장 성함": the data names no one
        return nothing(ask, "contact", f"'{subject.name}'의 담당자 이름을")
    titles = asked_titles(ask)
    if titles and subject.kind in ("organisation", "department") and contacts and \
            not any(holds_title(c, t) for c in contacts for t in titles):   # "추진단 단장님 성함": a 부단장 only
        return nothing(ask, "contact", f"'{subject.name}'의 {titles[0]}을(를)")
    if contacts and ask.query.document_year:   # "23년 지경위 보도자료에 산업부 과장": that document's people
        dated = [c for c in contacts
                 if str((store.source(str(c["source"])) or {}).get("date") or "")[:4] == str(ask.query.document_year)]
        contacts = dated or contacts
    documents = {str(c["source"]) for c in contacts}
    q = ask.query
    pointed = pointed_source(ask, documents) if (q.pointers or q.years) and len(documents) > 1 else None
    if pointed:   # "지경위 보도자료에 산업부 책임자", "23년 지경위 산업부 과장": the people that document names
        contacts = [c for c in contacts if c["source"] == pointed]
    if contacts:
        contacts = _asked_first(contacts, ask)
        if lines and not _asks_for_person(ask, contacts):
            lines.append("")
        elif lines:   # "평가단 담당자 누구": the people before the organisation's own address and phones
            lines = [*(contact_line(store, c) for c in contacts), "", *lines]
            contacts = []
        lines.extend(contact_line(store, c) for c in contacts)
        sources.extend(row_source(store, "contacts", c) for c in contacts)
    if not lines:   # what was asked is not in the data: say so, and show no other entity's card
        return nothing(ask, "contact", f"'{subject.name}'의 담당자·연락처를")
    return finish(ask, "contact", [f"[{subject.name}] 연락처", *lines], sources, private=True)


def _asked_first(contacts: list[Row], ask: Ask) -> list[Row]:
    """Contacts whose title, role or department the question names (담당자, 과장, 정책관 …) first; otherwise
    the working-level contacts a press release gives for questions (담당자, 문의처) before those in charge."""
    said = ask.query.compact

    desk = "대표" in said   # 대표번호, 대표 전화: the desk line (a contact row with no person)
    titles = asked_titles(ask)

    def named(c: Row) -> tuple[bool, bool, int, int, bool]:
        values = [str(c.get(k) or "") for k in ("title", "role")] + str(c.get("department") or "").split(" | ")
        # a role said in other words (주관부처 asked as "주관과", "주관부서"): its first noun said
        heads = [nouns[0] for k in ("title", "role") if len(nouns := nouns_of(str(c.get(k) or ""))) > 1]
        titled = any(holds_title(c, t) for t in titles)
        said_values = sum(1 for v in values if len(v) >= 2 and compact(v) in said)
        return (desk and bool(c.get("person")), not titled, -said_values,
                -sum(1 for h in heads if len(h) >= 2 and h in said), str(c.get("role") or "") not in WORKING_LEVEL)

    return sorted(contacts, key=named)


def asked_titles(ask: Ask) -> list[str]:
    """The titles a question says as words of their own (단장님, 과장이): the ranks it asks for."""
    # 1차관, 제1차관: a numbered title is that title
    words = {re.sub(r"^제?[0-9]+", "", strip_particle(w).removesuffix("님")) for w in tokens(ask.query.text)}
    return [t for t in TITLES if t in words]


def holds_title(contact: Row, title: str) -> bool:
    """Whether a contact holds a title: the same, or numbered (제1차관 is a 차관), not a deputy's (부단장)."""
    held = compact(str(contact.get("title") or ""))
    return held == title or (held.endswith(title) and not held.startswith("부"))


def asks_for_person(ask: Ask) -> bool:
    """Whether a question asks who someone is (누구, 성함, a title such as 과장 or 사무관)."""
    return ask.query.has(*WHO, "과장", "사무관", "책임자", "담당자", "국장", "주무관")


def _asks_for_person(ask: Ask, contacts: list[Row]) -> bool:
    """Whether the question asks who (a person, by title or role) rather than the organisation's desk."""
    return ask.query.has(*WHO) or any(
        compact(str(c.get(k) or "")) in ask.query.compact for c in contacts for k in ("title", "role")
        if c.get(k) and len(str(c.get(k))) >= 2)


def _contacts_for(store: Store, row: Row, titles: list[str]) -> list[Row]:
    """Contacts of a program's lead organisation or ministry, from the same document first; those holding a
    title the question asks (부단장), phone or not, before all others."""
    found: list[Row] = []
    for org_id in (row.get("lead"), row.get("ministry")):
        if org_id:
            found.extend(c for c in store.contacts_of_organisation(str(org_id)) if c not in found)
    if not found:
        found = [c for c in store.contacts_of_source(str(row["source"])) if c["role"] != "발언자"]
    same_doc = [c for c in found if c["source"] == row["source"]]
    titled = [c for c in (same_doc or found) if any(holds_title(c, t) for t in titles)]
    if titled:   # "TF 첫 회의 때 국토부 부단장 이름": the one who holds it, though no phone is given
        return titled
    with_phone = [c for c in (same_doc or found) if store.phones("contact", c["id"])]
    return with_phone or same_doc or found


def _asks_for_something_else(store: Store, org: Row, ask: Ask) -> bool:
    """A question naming an organisation plus a noun its own data never mentions (e.g. an unknown program).

    Only the question's unexplained nouns count (see `understand`): courtesy, context clauses and the words
    that ask for a phone or an address never veto; a place in the address (춘천, 오송) agrees with it.
    """
    words = [w for w in ask.query.unexplained if w != WORKING_LEVEL_WORD]
    if not words:
        return False
    own = compact(" ".join([str(org.get("address") or ""), str(org.get("note") or ""),
                            *store.contact_words(str(org["id"])),
                            *(str(c.get("note") or "") for c in store.contacts_of_organisation(str(org["id"])))]))
    # a role said in other words (주관부처 asked as "주관부서"): its first noun said, as _asked_first reads it
    return not all(w in own or (len(nouns := nouns_of(w)) > 1 and len(nouns[0]) >= 2 and nouns[0] in own)
                   for w in words)
