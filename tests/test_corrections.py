"""Corrections from chat: each field, 확인/취소, history, the answer citing the correction, a renamed name found
at once, members refused, questions never written, bad values refused with nothing changed."""

from datetime import timedelta
from typing import Any

import pytest

from bot.conversation import EXPIRED, NOT_YOURS, Conversation, Outgoing, Press
from intents.engine import Engine
from intents.message import Message, Pick, Reply
from intents.reading.intent import corrects
from intents.reading.understand import understand
from intents.registry import REGISTRY
from intents.writes.access import Policy
from store import Store
from store.corrections import phone_number
from store.schema import MIGRATIONS
from tests.conftest import NOW, ask, choose

COORD, MEMBER = 2, 3
JEONG = "d002-ct-jeongbyeongchan"
BAE = "d004-ct-bae-eunju"
DOCUMENT_002 = "14개 시·도 국가혁신클러스터 지역성장 거점으로 자리잡는다"
CITED = f"수정: 김코디, {NOW.date().isoformat()}"
OK, NO = "correction:ok", "correction:no"


@pytest.fixture
def team(store: Store) -> Engine:
    """An engine with one coordinator (김코디) and one member."""
    store.set_role(None, COORD, "coordinator", NOW.isoformat(), "김코디")
    store.set_role(None, MEMBER, "member", NOW.isoformat(), "이멤버")
    return Engine(store, Policy())


def reference(store: Store) -> dict[str, Any]:
    """Everything a correction could change, to compare before and after."""
    return {t: store.rows(f"SELECT * FROM {t} ORDER BY rowid")
            for t in ("contacts", "organisations", "phones", "aliases", "corrections", "row_origins")} | {
        "audit": [r for r in store.audit_log() if r["action"] == "correction"]}


def offered(team: Engine, text: str) -> Reply:
    """A coordinator's correction, shown as old → new with 확인/취소 and nothing written yet."""
    before = reference(team.store)
    reply = ask(team, text, COORD)
    assert reply.intent == "correction_confirm", reply.text
    assert [b.action for b in reply.buttons] == [OK, NO]
    assert reply.offer is not None and reply.offer.kind == "correction"
    assert reference(team.store) == before, "nothing is written before 확인"
    return reply


def confirmed(team: Engine, text: str) -> Reply:
    """A coordinator's correction, offered and confirmed."""
    saved = choose(team, offered(team, text), OK, COORD)
    assert saved.intent == "correction_saved", saved.text
    return saved


@pytest.mark.parametrize("text, table, row_id, column, new", [
    ("/correct 정병찬 전화 044-203-4419", "contacts", JEONG, "phones", "044-203-4419"),
    ("/correct 정병찬 전화 (044) 203 4419", "contacts", JEONG, "phones", "044-203-4419"),
    ("/correct 정병찬 부서 지역산업과", "contacts", JEONG, "department", "지역산업과"),
    ("/correct 정병찬 직급 과장", "contacts", JEONG, "title", "과장"),
    ("/correct 정병찬 기관 중기부", "contacts", JEONG, "organisation", "org-mss"),
    ("/correct 정병찬 이름 정병철", "contacts", JEONG, "person", "정병철"),
    ("/correct 부산지역사업평가단 전화 051-315-9200, 051-315-9201", "organisations", "d004-org-eval-busan",
     "phones", "051-315-9200 | 051-315-9201"),
    ("/correct 산업부 주소 세종특별자치시 한누리대로 402", "organisations", "org-motie", "address",
     "세종특별자치시 한누리대로 402"),
    ("/correct 국토연구원 이름 국토정책연구원", "organisations", "org-krihs", "name", "국토정책연구원"),
    ("/correct 지역혁신정책과 전화 044-204-7500", "contacts", "d004-ct-mss-desk", "phones", "044-204-7500"),
    ("정병찬 사무관 전화번호 044-203-4419로 바뀌었어요", "contacts", JEONG, "phones", "044-203-4419"),
    ("정병찬 전화번호 044-203-4419로 수정해 주세요", "contacts", JEONG, "phones", "044-203-4419"),
    ("배은주 사무관 지역산업과로 옮겼어", "contacts", BAE, "department", "지역산업과"),
    ("배은주 사무관 중기부로 옮겼어", "contacts", BAE, "organisation", "org-mss"),
    ("정병찬 사무관 과장으로 승진했습니다", "contacts", JEONG, "title", "과장"),
    ("산업부 주소 세종특별자치시 한누리대로 402로 이전했어요", "organisations", "org-motie", "address",
     "세종특별자치시 한누리대로 402"),
])
def test_each_field_is_written_on_confirm_with_its_history(team: Engine, text: str, table: str, row_id: str,
                                                           column: str, new: str) -> None:
    store = team.store
    old = store.current(table, row_id, column)
    document = str(((store.contact if table == "contacts" else store.organisation)(row_id) or {})["source"])
    saved = confirmed(team, text)
    assert "고쳤습니다" in saved.text and saved.written and saved.written[0].what == "correction"
    assert store.current(table, row_id, column) == new
    [kept] = store.corrections_of(table, row_id)
    assert (kept["field"], kept["old"], kept["new"], kept["user_id"], kept["user_name"]) == \
        (column, old, new, COORD, "김코디")
    assert kept["at"].startswith(NOW.date().isoformat())
    assert kept["old_origin"] == "dataset" and kept["old_ref"] == document
    assert kept["old_at"] == (store.source(kept["old_ref"]) or {})["date"]   # the old value's document and date
    origin = store.origin_of(table, row_id)
    assert (origin.origin, origin.ref, origin.user_id) == ("correction", str(kept["id"]), COORD)
    [audited] = [r for r in store.audit_log() if r["action"] == "correction"]
    assert audited["target"] == f"{table}:{row_id}" and audited["user_id"] == COORD


def test_the_answer_cites_the_correction_instead_of_the_press_release(team: Engine) -> None:
    before = ask(team, "정병찬 연락처", MEMBER)
    assert "044-203-4418" in before.text and DOCUMENT_002 in before.text
    offer = offered(team, "/correct 정병찬 전화 044-203-4419")
    assert "044-203-4418" in offer.text and "044-203-4419" in offer.text and DOCUMENT_002 in offer.text
    choose(team, offer, OK, COORD)
    after = ask(team, "정병찬 전화번호", MEMBER)
    assert "044-203-4419" in after.text and "044-203-4418" not in after.text
    assert f"출처: {CITED}" in after.text and DOCUMENT_002 not in after.text
    assert after.sources == [CITED]
    others = ask(team, "서가람 과장 연락처", MEMBER)   # a row nobody corrected still cites its document
    assert DOCUMENT_002 in others.text and "수정:" not in others.text


def test_a_second_correction_keeps_the_first_in_history(team: Engine) -> None:
    store = team.store
    confirmed(team, "/correct 정병찬 전화 044-203-4419")
    confirmed(team, "/correct 정병찬 부서 지역산업과")   # another field: its old value is still the document's
    confirmed(team, "/correct 정병찬 전화 044-203-4420")
    first, department, second = store.corrections_of("contacts", JEONG)
    assert (first["old"], first["new"]) == ("044-203-4418", "044-203-4419")
    assert (department["old_origin"], department["old_ref"]) == ("dataset", "002")
    assert (second["old"], second["new"]) == ("044-203-4419", "044-203-4420")
    assert (second["old_origin"], second["old_ref"], second["old_at"]) == ("correction", str(first["id"]), first["at"])
    assert "044-203-4420" in ask(team, "정병찬 전화번호", MEMBER).text


def test_cancel_writes_nothing(team: Engine) -> None:
    before = reference(team.store)
    offer = offered(team, "/correct 정병찬 전화 044-203-4419")
    cancelled = choose(team, offer, NO, COORD)
    assert cancelled.text == "취소했습니다. 아무것도 바꾸지 않았습니다."
    assert reference(team.store) == before
    assert "044-203-4418" in ask(team, "정병찬 전화번호", MEMBER).text


def test_a_renamed_department_is_found_at_once_and_each_person_keeps_history(team: Engine) -> None:
    offer = offered(team, "지역경제총괄과가 지역경제정책과로 이름이 바뀌었어")
    assert "지역경제총괄과" in offer.text and "지역경제정책과" in offer.text and "4명" in offer.text
    choose(team, offer, OK, COORD)
    answer = ask(team, "지역경제정책과 담당자", MEMBER)
    assert answer.intent == "contact" and "정병찬" in answer.text and "배은주" in answer.text, answer.text
    assert CITED in answer.text and "지역경제총괄과" not in answer.text
    for person in (JEONG, BAE):
        [kept] = team.store.corrections_of("contacts", person)
        assert (kept["field"], kept["old"], kept["new"]) == ("department", "지역경제총괄과", "지역경제정책과")
    assert team.match("지역경제정책과")[0].id == "지역경제정책과"


def test_a_renamed_organisation_is_found_by_both_names(team: Engine) -> None:
    assert not [e for e in team.match("국토정책연구원") if e.score >= 100]
    confirmed(team, "/correct 국토연구원 이름 국토정책연구원")
    assert team.match("국토정책연구원")[0].id == "org-krihs"
    assert team.match("국토연구원")[0].id == "org-krihs", "the old name is kept as an alias"
    assert team.store.aliases("organisation", "org-krihs") == ["KRIHS", "국토연구원"]


def test_a_department_without_a_phone_line_gets_one(team: Engine) -> None:
    offer = offered(team, "/correct 지역경제총괄과 전화 044-203-4400")
    assert "새로 적습니다" in offer.text and "지금: 없음" in offer.text
    choose(team, offer, OK, COORD)
    answer = ask(team, "지역경제총괄과 전화번호", MEMBER)
    assert "044-203-4400" in answer.text and CITED in answer.text


def test_an_ambiguous_name_asks_which_one(team: Engine) -> None:
    which = ask(team, "/correct 지역사업평가단 전화 051-315-9200", COORD)
    assert which.intent == "correction_which" and "어느 것을 고칠까요" in which.text
    assert which.offer is not None and which.offer.kind == "correction"
    assert len(which.buttons) == 9 and which.buttons[-1].action == NO
    assert team.store.corrections_of("organisations", "d004-org-eval-busan") == []
    offer = choose(team, which, "correction:pick:organisation:d004-org-eval-busan", COORD)
    assert offer.intent == "correction_confirm" and "부산지역사업평가단" in offer.text and "051-315-9263" in offer.text
    choose(team, offer, OK, COORD)
    assert team.store.current("organisations", "d004-org-eval-busan", "phones") == "051-315-9200"
    assert team.store.current("organisations", "d004-org-eval-daegu", "phones") != "051-315-9200"


def test_two_people_of_one_name_ask_which_one(team: Engine) -> None:
    team.store.db.execute("INSERT INTO contacts (id, person, title, organisation, department, source) "
                          "VALUES ('x-jeong', '정병찬', '주무관', 'org-mss', '지역혁신정책과', '004')")
    team.refresh()
    which = ask(team, "정병찬 사무관 부서 지역산업과로 옮겼어", COORD)
    assert which.intent == "correction_which"
    assert {b.action for b in which.buttons} == {f"correction:pick:contact:{JEONG}", "correction:pick:contact:x-jeong",
                                                 NO}
    choose(team, choose(team, which, "correction:pick:contact:x-jeong", COORD), OK, COORD)
    assert team.store.current("contacts", "x-jeong", "department") == "지역산업과"
    assert team.store.current("contacts", JEONG, "department") == "지역경제총괄과"


def test_a_member_is_refused_in_words_by_command_and_at_the_button(team: Engine) -> None:
    before = reference(team.store)
    for text in ("/correct 정병찬 전화 044-203-4419", "정병찬 사무관 전화번호 044-203-4419로 바뀌었어요"):
        refused = ask(team, text, MEMBER)
        assert refused.intent == "denied" and "코디네이터 권한" in refused.text, refused.text
    offer = offered(team, "/correct 정병찬 전화 044-203-4419")
    assert offer.offer is not None
    pressed = team.answer(Message("", NOW, user_id=MEMBER, chat_id=MEMBER), Pick("correction", OK, offer.offer.payload))
    assert pressed.intent == "denied"
    assert reference(team.store) == before


@pytest.mark.parametrize("question", [
    "정병찬 전화 044-203-4418 맞아?",
    "정병찬 전화 044-203-4418 맞아",
    "정병찬 전화번호 044-203-4419로 바뀌었어?",
    "정병찬 전화번호 044-203-4419로 바뀌었나요",
    "정병찬 전화번호 바뀌었어요",
    "국가혁신클러스터 사업기간 변경",
    "지역혁신협력지구가 국가혁신클러스터로 바뀐 거야",
    "배은주 사무관 어디로 옮겼어",
])
def test_a_question_is_never_a_write(team: Engine, question: str) -> None:
    assert understand(question, team.index).worded is None
    before = reference(team.store)
    reply = ask(team, question, COORD)
    assert reply.intent not in ("correction", "correction_confirm", "correction_which") and reply.offer is None
    assert reference(team.store) == before


@pytest.mark.parametrize("statement", [
    "정병찬 사무관 전화번호 044-203-4419로 바뀌었어요",
    "배은주 사무관 지역산업과로 옮겼어",
    "지역경제총괄과 이름 지역경제정책과로 변경",
    "정병찬 전화번호 044-203-4419로 고쳐줘",
])
def test_a_statement_of_a_change_is_read_as_a_correction(team: Engine, statement: str) -> None:
    assert corrects(statement) and understand(statement, team.index).worded == "correct"


@pytest.mark.parametrize("text, says", [
    ("/correct 정병찬 전화 abc", "'abc'은(는) 전화번호가 아닙니다"),
    ("/correct 정병찬 전화 12345", "전화번호가 아닙니다"),
    ("/correct 정병찬 전화 044-203-44199", "전화번호가 아닙니다"),
    ("/correct 정병찬 전화 044-203-4419, 02-123", "'02-123'은(는) 전화번호가 아닙니다"),
    ("/correct 정병찬 전화", "새 값을 적어 주세요"),
    ("/correct 정병찬", "고칠 항목"),
    ("/correct", "사용법: /correct"),
    ("/correct 정병찬 부서 <b>지역산업과</b>", "HTML"),
    ("/correct 정병찬 부서 <script>alert(1)</script>", "HTML"),
    ("/correct 정병찬 부서 지역|산업과", "| 기호"),
    ("/correct 정병찬 부서 1234", "글자로 적어 주세요"),
    ("/correct 정병찬 부서 " + "가" * 100, "너무 깁니다(100자)"),
    ("/correct 정병찬 전화 " + "0" * 10_000, "너무 깁니다(10,"),
    ("/correct 홍길동 전화 010-1234-5678", "'홍길동'을 자료의 담당자·기관·부서에서 찾지 못했습니다"),
    ("/correct 정병찬 기관 없는기관", "'없는기관' 기관을 자료에서 찾지 못했습니다"),
    ("/correct 정병찬 주소 세종시", "주소는 고칠 수 없습니다"),
    ("/correct 국가혁신클러스터 이름 새사업", "채팅으로 고칠 수 없습니다"),
    ("/correct 정병찬 직급 사무관", "이미 사무관입니다"),
    ("/correct 국토연구원 이름 산업통상자원부", "이미 있습니다"),
    ("정병찬 사무관 지역산업과로 바뀌었어요", "무엇을 고칠지"),
])
def test_bad_values_get_a_clear_reply_and_change_nothing(team: Engine, text: str, says: str) -> None:
    before = reference(team.store)
    reply = ask(team, text, COORD)
    assert says in reply.text, reply.text
    assert not reply.buttons and reply.offer is None
    assert reference(team.store) == before


def test_a_value_changed_meanwhile_is_not_overwritten(team: Engine) -> None:
    first = offered(team, "/correct 정병찬 전화 044-203-4419")
    confirmed(team, "/correct 정병찬 전화 044-203-4420")
    late = choose(team, first, OK, COORD)
    assert "그사이 값이 바뀌었습니다(지금: 044-203-4420)" in late.text and "아무것도 바꾸지 않았습니다" in late.text
    assert team.store.current("contacts", JEONG, "phones") == "044-203-4420"
    assert len(team.store.corrections_of("contacts", JEONG)) == 1


def outgoing(core: Conversation, text: str, user: int) -> Outgoing:
    """A message through the conversation core, as every channel sends it."""
    return core.handle(Message(text, NOW, user_id=user, chat_id=user, user_name=None))


def pressed(core: Conversation, key: str, user: int, later: timedelta = timedelta()) -> Outgoing:
    """An option pressed through the conversation core."""
    return core.handle(Press(key, Message("", NOW + later, user_id=user, chat_id=user)))


def test_the_choice_is_kept_by_id_answered_once_and_only_by_the_asker(team: Engine) -> None:
    core = Conversation(team)
    out = outgoing(core, "/correct 정병찬 전화 044-203-4419", COORD)
    assert [o.label for o in out.options] == ["확인", "취소"]
    choice = team.store.choice(out.options[0].key.split(".")[0])
    assert choice is not None and choice.kind == "correction" and choice.user_id == COORD
    assert pressed(core, out.options[0].key, MEMBER).reply.text == NOT_YOURS
    assert "고쳤습니다" in pressed(core, out.options[0].key, COORD).reply.text
    assert pressed(core, out.options[0].key, COORD).reply.text == EXPIRED
    assert len(team.store.corrections_of("contacts", JEONG)) == 1


def test_an_unanswered_confirmation_expires(team: Engine) -> None:
    core = Conversation(team)
    out = outgoing(core, "/correct 정병찬 전화 044-203-4419", COORD)
    late = pressed(core, out.options[0].key, COORD, timedelta(minutes=team.policy.confirm_minutes + 1))
    assert late.reply.text == EXPIRED and team.store.corrections_of("contacts", JEONG) == []


def test_the_command_is_registered_for_coordinators_in_help_and_menu(team: Engine) -> None:
    assert REGISTRY.role_for("correct") == "coordinator"
    assert "correct" in dict(REGISTRY.menu())
    assert "/correct — 사실 바로잡기 (코디네이터)" in ask(team, "/help", MEMBER).text
    assert "011_corrections" in [name for name, _ in MIGRATIONS]


@pytest.mark.parametrize("typed, kept", [
    ("044-203-4419", "044-203-4419"), ("044 203 4419", "044-203-4419"), ("(044)203-4419", "044-203-4419"),
    ("0442034419", "044-203-4419"), ("02-123-4567", "02-123-4567"), ("0212345678", "02-1234-5678"),
    ("010-1234-5678", "010-1234-5678"), ("1588-1234", "1588-1234"), ("051.315.9263", "051-315-9263"),
])
def test_phone_numbers_people_type(typed: str, kept: str) -> None:
    assert phone_number(typed) == kept


@pytest.mark.parametrize("typed", ["abc", "12345", "044-203-44199", "44-203-4419", "044-20-4419", "", "010-1234",
                                   "044-203-4419-1", "☎044-203-4419"])
def test_not_phone_numbers(typed: str) -> None:
    assert phone_number(typed) is None
