"""Coordinators correct one fact from chat — a contact's phone, department, title, organisation or name; an
organisation's name, phone or address; a department's name or phone. Old → new is shown with 확인/취소 and
written only on 확인; the old value stays in history with its date and source."""

from dataclasses import asdict
from typing import Any

from intents.answers.render import name_of, person_name, row_source, source_name
from intents.message import Button, Entity, Message, Offer, Pick, Reply, Written
from intents.reading.matcher import NameIndex
from intents.reading.normalize import particle
from intents.reading.understand import entity_row
from intents.reading.vocab import is_filler
from intents.writes.access import actor_of
from intents.writes.correction_read import (
    FIELD_NAME,
    Request,
    checked_value,
    nothing_changed,
    quoted,
    read_request,
)
from store import InvalidValue, NotFound, StaleValue
from store.corrections import PHONES, Change, NewDesk, phone_number
from store.dataset import split_multi
from store.store import Row, Store

# what can be corrected, by the kind of thing whose fact it is
KIND_FIELDS = {"contact": ("phone", "department", "title", "organisation", "name"),
               "organisation": ("name", "phone", "address"), "department": ("name", "phone")}
KIND_NAME = {"contact": "담당자", "organisation": "기관", "department": "부서", "program": "사업", "task": "과제",
             "meeting": "회의", "city": "혁신도시"}
_COLUMN = {("contact", "phone"): ("contacts", PHONES), ("contact", "department"): ("contacts", "department"),
           ("contact", "title"): ("contacts", "title"), ("contact", "organisation"): ("contacts", "organisation"),
           ("contact", "name"): ("contacts", "person"), ("organisation", "name"): ("organisations", "name"),
           ("organisation", "phone"): ("organisations", PHONES),
           ("organisation", "address"): ("organisations", "address")}
_PRIORITY = ("contact", "department", "organisation")   # a person before their department before its ministry
CONFIRM, CANCEL, PICK = "correction:ok", "correction:no", "correction:pick:"
MAX_OPTIONS = 8
WHAT_CAN = ("채팅으로 고칠 수 있는 것: 담당자의 전화·부서·직급·기관·이름, 기관의 이름·전화·주소, 부서의 이름·전화. "
            "과제 진행은 /log, 회의 일정은 /move 로 바꿉니다.")


def correct(store: Store, index: NameIndex, message: Message) -> Reply:
    """/correct <이름> <항목> <새 값>, or the same told in words: find whose fact it is (asking when the name
    fits several), then show old → new with 확인/취소. Nothing is written here."""
    request = read_request(message.text)
    if isinstance(request, Reply):
        return request
    field = _field(index, request)
    if isinstance(field, Reply):
        return field
    request = Request(request.subject, field, request.value, request.moved, request.promoted)
    checked = checked_value(field, request.value)
    if isinstance(checked, Reply):
        return checked
    candidates, exact = _subjects(index, request.subject)
    if not candidates:
        return _not_correctable(index, request.subject)
    if exact and len(candidates) == 1:
        return offer(store, index, candidates[0], request)
    return _which(store, candidates, request)


def confirm_correction(store: Store, index: NameIndex, message: Message, pick: Pick) -> Reply:
    """The press of an option a correction offered: whose fact it is (then old → new is shown), 확인 (the
    write, in one transaction) or 취소."""
    if pick.action == CANCEL:
        return nothing_changed("취소했습니다.")
    if pick.action.startswith(PICK):
        kind, _, row_id = pick.action.removeprefix(PICK).partition(":")
        row = entity_row(store, kind, row_id)
        if row is None:
            return nothing_changed("선택한 항목을 찾지 못했습니다.")
        entity = Entity(kind, row_id, str(row.get("name") or row.get("person") or row_id), 100.0)
        return offer(store, index, entity, Request.from_json(pick.payload["request"]))
    if pick.action != CONFIRM:
        return nothing_changed("알 수 없는 선택입니다.")
    payload = pick.payload
    changes = [Change.from_json(c) for c in payload["changes"]]
    desk = NewDesk(**payload["desk"]) if payload.get("desk") else None
    registered = store.user(message.user_id) if message.user_id is not None else None
    user_name = message.user_name or (str(registered["name"]) if registered and registered["name"] else None)
    actor = actor_of(message)
    try:
        ids = store.correct(changes, actor, user_name, message.now.isoformat(), desk)
    except StaleValue as exc:
        return nothing_changed(f"{exc} 다시 요청해 주세요.")
    except (NotFound, InvalidValue) as exc:
        return nothing_changed(str(exc))
    kind, row_id, name = payload["subject"]
    shown = payload["new"] if payload["field"] == "name" else name
    text = (f"고쳤습니다: [{name}] {FIELD_NAME[payload['field']]} {payload['old']} → {payload['new']}\n"
            f"이전 값은 출처·날짜와 함께 이력에 남겼습니다. (수정: {person_name(actor, user_name)}, "
            f"{message.now.date().isoformat()})")
    return Reply(text=text, intent="correction_saved", entities=[Entity(kind, row_id, shown, 100.0)],
                 written=[Written("correction", str(i)) for i in ids])


def offer(store: Store, index: NameIndex, entity: Entity, request: Request) -> Reply:
    """Old → new for one entity's field, with 확인/취소 (an open choice of kind 'correction')."""
    assert request.field is not None
    field = _own_field(entity.kind, request.field)
    if field not in KIND_FIELDS.get(entity.kind, ()):
        allowed = "·".join(FIELD_NAME[f] for f in KIND_FIELDS.get(entity.kind, ()))
        whose = f"{KIND_NAME.get(entity.kind, entity.kind)} '{entity.name}'의"
        return nothing_changed(f"{whose} {particle(FIELD_NAME[field], '은', '는')} 고칠 수 없습니다.",
                               f"고칠 수 있는 항목: {allowed}")
    value = checked_value(field, request.value)
    if isinstance(value, Reply):
        return value
    if entity.kind == "department":
        planned = _department(store, entity.id, field, value)
    else:
        planned = _row(store, index, entity, field, value)
    if isinstance(planned, Reply):
        return planned
    changes, desk, old, new, notes = planned
    label = _label(store, entity)
    if old == new:
        return nothing_changed(f"[{label}] {particle(FIELD_NAME[field], '은', '는')} 이미 {new}입니다.")
    table = "organisations" if entity.kind == "organisation" else "contacts"
    row = (store.organisation if table == "organisations" else store.contact)(changes[0].row_id) if changes else None
    cited = source_name(store, row_source(store, table, row)) if row else None
    lines = [f"[{label}] {particle(FIELD_NAME[field], '을', '를')} 고칠까요?",
             f"• 지금: {old or '없음'}" + (f" (출처: {cited})" if cited and old else ""),
             f"• 새 값: {new}", *notes,
             "확인을 누르면 고치고, 지금 값은 출처·날짜와 함께 이력에 남깁니다."]
    payload: dict[str, Any] = {"changes": [c.as_json() for c in changes], "desk": asdict(desk) if desk else None,
                               "subject": [entity.kind, entity.id, entity.name], "field": field,
                               "old": old or "없음", "new": new}
    return Reply(text="\n".join(lines), intent="correction_confirm", entities=[entity],
                 offer=Offer("correction", payload), buttons=[Button("확인", CONFIRM), Button("취소", CANCEL)])


Planned = tuple[list[Change], NewDesk | None, str | None, str, list[str]]


def _row(store: Store, index: NameIndex, entity: Entity, field: str, value: str) -> Planned | Reply:
    """The change of one row's field: (changes, no desk, old and new as shown, no notes)."""
    table, column = _COLUMN[(entity.kind, field)]
    try:
        old = store.current(table, entity.id, column)
    except NotFound:
        return nothing_changed(f"{quoted(entity.name, '을', '를')} 찾지 못했습니다.")
    new = value
    shown_old, shown_new = _shown(column, old), _shown(column, value)
    notes: list[str] = []
    if column == "organisation":
        found = _organisation(index, value)
        if isinstance(found, Reply):
            return found
        new, shown_old, shown_new = found, name_of(store, old), name_of(store, found)
    if table == "organisations" and column == "name":
        if store.organisation_named(value, entity.id) is not None:
            return nothing_changed(f"'{value}'(이)라는 기관이 이미 있습니다. 다른 이름을 적어 주세요.")
        notes.append(f"• 예전 이름 {quoted(str(old), '으로', '로')}도 계속 찾을 수 있습니다.")
    return [Change(table, entity.id, column, old, new)], None, shown_old, shown_new, notes


def _department(store: Store, department: str, field: str, value: str) -> Planned | Reply:
    """A department's name (every contact row naming it) or its own phone line (the row with no person; one is
    added when the data has none and its people all belong to one organisation)."""
    rows = store.contacts_of_department(department)
    if field == "name":
        if value == department:
            return [], None, department, value, []
        changes = [Change("contacts", str(r["id"]), "department", str(r["department"]),
                          " | ".join(value if p == department else p for p in split_multi(r["department"])))
                   for r in rows]
        people = [str(r["person"] or "대표 전화") for r in rows]
        return changes, None, department, value, [f"• 이 부서의 담당자 {len(rows)}명({', '.join(people[:5])}"
                                                  f"{' 등' if len(people) > 5 else ''})의 부서 이름이 함께 바뀝니다."]
    desks = [r for r in rows if not r["person"]]
    if len(desks) > 1:
        return nothing_changed(f"'{department}'의 대표 전화가 여러 기관에 있습니다. 기관 이름으로 고쳐 주세요.")
    if desks:
        old = store.current("contacts", str(desks[0]["id"]), PHONES)
        return ([Change("contacts", str(desks[0]["id"]), PHONES, old, value)], None, _shown(PHONES, old),
                _shown(PHONES, value), [])
    orgs = {str(r["organisation"]) for r in rows if r["organisation"]}
    if len(orgs) != 1:
        return nothing_changed(f"{quoted(department, '이', '가')} 어느 기관의 부서인지 자료로 정할 수 없습니다.")
    org = orgs.pop()
    return [], NewDesk(org, department, value), None, _shown(PHONES, value), [
        f"• 자료에 이 부서의 대표 전화가 없어 {name_of(store, org)} {department} 대표 전화로 새로 적습니다."]


def _shown(column: str, value: str | None) -> str:
    """A kept value as a reply shows it (phones joined by commas)."""
    if value is None:
        return "없음"
    return value.replace(" | ", ", ") if column in (PHONES, "department") else value


def _label(store: Store, entity: Entity) -> str:
    """Whose fact, as the confirmation names it: `정병찬 사무관 · 산업통상자원부 지역경제총괄과`, an
    organisation's or a department's name."""
    if entity.kind != "contact":
        return entity.name
    row = store.contact(entity.id) or {}
    who = " ".join(str(row[k]) for k in ("person", "title") if row.get(k)) or "대표 전화"
    where = " ".join(v for v in (name_of(store, row.get("organisation")),
                                 str(row.get("department") or "").replace(" | ", "·")) if v)
    return f"{who} · {where}" if where else who


def _option(store: Store, entity: Entity) -> str:
    """A candidate as a button says it, with the date of the document it came from."""
    row: Row = (store.contact(entity.id) if entity.kind == "contact" else store.organisation(entity.id)
                if entity.kind == "organisation" else None) or {}
    source = store.source(str(row.get("source"))) if row.get("source") else None
    dated = f", {source['date']}" if source and source["date"] else ""
    return f"{_label(store, entity)} ({KIND_NAME[entity.kind]}{dated})"


def _which(store: Store, candidates: list[Entity], request: Request) -> Reply:
    """Several entities fit the name (or only a guess does): ask which one, keeping the request."""
    shown = candidates[:MAX_OPTIONS]
    labels = [_option(store, c) for c in shown]
    lines = [f"'{request.subject}'에 해당하는 것이 여럿이거나 이름이 정확하지 않습니다. 어느 것을 고칠까요?",
             *(f"• {label}" for label in labels)]
    if len(candidates) > len(shown):
        lines.append(f"(그 밖에 {len(candidates) - len(shown)}개 더: 목록에 없으면 이름을 더 정확히 적어 주세요)")
    buttons = [Button(label, f"{PICK}{c.kind}:{c.id}") for c, label in zip(shown, labels, strict=True)]
    return Reply(text="\n".join(lines), intent="correction_which", entities=list(shown),
                 offer=Offer("correction", {"request": request.as_json()}), buttons=[*buttons, Button("취소", CANCEL)])


def _subjects(index: NameIndex, text: str) -> tuple[list[Entity], bool]:
    """The entities whose fact the words name, and whether a name was read exactly: of the exact names, the
    most specific (a person before a department before an organisation); else every guess."""
    mentions = index.find(text, ignore=is_filler)

    def fitting(candidates: list[Entity]) -> list[Entity]:
        return [c for c in candidates if c.kind in KIND_FIELDS]

    exact = [m for m in mentions if m.exact and fitting(m.candidates)]
    if exact:
        best = min(exact, key=lambda m: min(_PRIORITY.index(c.kind) for c in fitting(m.candidates)))
        return fitting(best.candidates), True
    guessed: list[Entity] = []
    for m in mentions:
        guessed.extend(c for c in fitting(m.candidates) if all(c.id != g.id for g in guessed))
    return guessed, False


def _not_correctable(index: NameIndex, subject: str) -> Reply:
    """No contact, organisation or department by that name: something else is named, or nothing is."""
    other = next((c for m in index.find(subject, ignore=is_filler) if m.exact for c in m.candidates
                  if c.kind != "region"), None)
    if other is not None:
        named = quoted(other.name, "은", "는")
        return nothing_changed(f"{KIND_NAME.get(other.kind, other.kind)} {named} 채팅으로 고칠 수 없습니다.", WHAT_CAN)
    return nothing_changed(f"{quoted(subject[:40], '을', '를')} 자료의 담당자·기관·부서에서 찾지 못했습니다. "
                           "이름을 확인해 주세요.")


def _field(index: NameIndex, request: Request) -> str | Reply:
    """The field a request names, or what its value and verb say: a phone number, a promotion (직급), a move
    (to an organisation the data knows, else to a department)."""
    if request.field is not None:
        return request.field
    if phone_number(request.value) is not None:
        return "phone"
    if request.promoted:
        return "title"
    if request.moved:
        return "organisation" if isinstance(_organisation(index, request.value), str) else "department"
    who = request.subject.split()[0] if request.subject else "정병찬"
    return nothing_changed(f"무엇을 고칠지(전화, 부서, 직급, 기관, 이름, 주소) 함께 적어 주세요. "
                           f"예: /correct {who} 부서 지역산업과")


def _own_field(kind: str, field: str) -> str:
    """A field as a kind has it: a department's 부서 and an organisation's 기관 are their names."""
    if (kind, field) in (("department", "department"), ("organisation", "organisation")):
        return "name"
    return field


def _organisation(index: NameIndex, value: str) -> str | Reply:
    """The id of the organisation a value names exactly (a name or an alias); a guess is only suggested."""
    found = [c for c in index.lookup(value, limit=5) if c.kind == "organisation"]
    exact = [c for c in found if c.score >= 100.0]
    if len({c.id for c in exact}) == 1:
        return exact[0].id
    if exact:
        return nothing_changed(f"'{value}'에 해당하는 기관이 여럿입니다: {', '.join(c.name for c in exact[:5])}. "
                               "정식 이름으로 적어 주세요.")
    hint = f" 혹시 {', '.join(dict.fromkeys(c.name for c in found[:3]))}?" if found else ""
    return nothing_changed(f"'{value[:40]}' 기관을 자료에서 찾지 못했습니다. 기관 이름을 정확히 적어 주세요.{hint}")
