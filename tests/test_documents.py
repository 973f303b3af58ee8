"""New documents: text read from HWP, HWPX, PDF and text files (fixtures written from the seeds by
tests/fixtures/make_fixtures.py), header and contact block read as the document states them, questions answered
from a passage with the document cited, protected files refused, members refused, nothing written before 확인."""

from pathlib import Path

import pytest

from bot.conversation import Conversation, Press
from intents.documents.contacts import FoundContact, contact_block, normal_phone
from intents.documents.extract import Unreadable, extract
from intents.documents.header import read_header
from intents.engine import Engine
from intents.message import IncomingFile, Message, Reply
from intents.writes.access import Policy
from intents.writes.document import receive_document
from store import Store
from tests.conftest import NOW, Cli, ask, choose

FIXTURES = Path(__file__).parent / "fixtures"
ADMIN, COORD, MEMBER = 1, 2, 3
WRITTEN = ("sources", "documents", "passages", "contacts", "phones", "row_origins", "audit")


@pytest.fixture
def team(store: Store) -> Engine:
    """An engine whose store knows an admin, a coordinator and a member."""
    for uid, role in ((ADMIN, "admin"), (COORD, "coordinator"), (MEMBER, "member")):
        store.set_role(None, uid, role, NOW.isoformat())
    return Engine(store, Policy())


def _counts(store: Store) -> dict[str, int]:
    return {t: store.count(t) for t in WRITTEN}


def _message(user_id: int | None, text: str = "") -> Message:
    return Message(text=text, now=NOW, user_id=user_id, chat_id=user_id, local_operator=user_id is None)


def _send(engine: Engine, name: str, user_id: int | None = COORD) -> Reply:
    return engine.receive_document(name, (FIXTURES / name).read_bytes(), _message(user_id))


def _orgs(store: Store) -> list[str]:
    return [n for n, _, _ in store.organisation_names()]


# --- the text, the header and the contact block, as each document states them ---------------------------------

@pytest.mark.parametrize(("name", "kind", "said"), [
    ("seed002.hwp", "hwp", "총 1,812억원(국비 1,306억, 지방비 506억)을 R&D, 비R&D에 투입할 예정이다"),
    ("seed004.hwpx", "hwpx", "비수도권 14개 시·도 경제담당 부단체장 등을 위원으로 하는"),
    ("seed000.pdf", "pdf", "9월 25일 첫 회의(Kick-off)를 영상회의로 개최하였다고"),
    ("seed002-cp949.txt", "txt", "2021년 3월 3일(수) 석간부터 보도하여 주시기 바랍니다."),
])
def test_text_is_found(name: str, kind: str, said: str) -> None:
    doc = extract(name, (FIXTURES / name).read_bytes())
    assert doc.kind == kind
    assert said in doc.text


@pytest.mark.parametrize(("name", "title", "issuer", "date"), [
    ("seed002.hwp", "14개 시·도 국가혁신클러스터, 지역성장 거점으로 자리잡는다", "산업통상자원부", "2021-03-02"),
    ("seed004.hwpx", "2023년 제1차 지역경제위원회 공동개최", "중소벤처기업부 · 산업통상자원부", "2023-02-27"),
    ("seed000.pdf", "혁신도시 활성화에 공공기관·지자체·정부 힘 모은다", "국토교통부 · 기획재정부", None),
])
def test_header(ro_store: Store, name: str, title: str, issuer: str, date: str | None) -> None:
    header = read_header(extract(name, (FIXTURES / name).read_bytes()).text, _orgs(ro_store))
    assert (header.title, header.issuer, header.date) == (title, issuer, date)


def test_header_dates_say_release_and_embargo(ro_store: Store) -> None:
    header = read_header(extract("seed002.hwp", (FIXTURES / "seed002.hwp").read_bytes()).text, _orgs(ro_store))
    assert header.date_note == "배포 2021-03-02 (보도 2021-03-03)"   # "3. 2.(화)" takes its year from the 보도 line


def _contacts(store: Store, name: str) -> list[FoundContact]:
    text = extract(name, (FIXTURES / name).read_bytes()).text
    return contact_block(text, _orgs(store), read_header(text, _orgs(store)).issuers)


def test_contact_block_of_the_hwpx_as_in_the_document(ro_store: Store) -> None:
    # 담당 부서 <총괄> | 중소벤처기업부 지역혁신정책과 기업구조개선과 | 책임자 | 과 장 | 임상규 (044-204-7480) …
    both = "지역혁신정책과 | 기업구조개선과"
    assert _contacts(ro_store, "seed004.hwpx") == [
        FoundContact("임상규", "과장", "책임자", "중소벤처기업부", both, ("044-204-7480",)),
        FoundContact("최정민", "사무관", "담당자", "중소벤처기업부", both, ("044-204-7584",)),
        FoundContact("장용희", "사무관", "담당자", "중소벤처기업부", both, ("044-204-7581",)),
        FoundContact("송주호", "과장", "책임자", "산업통상자원부", "지역경제총괄과", ("044-203-4410",)),
        FoundContact("배은주", "사무관", "담당자", "산업통상자원부", "지역경제총괄과", ("044-203-4413",)),
    ]


def test_contact_block_of_the_hwp_as_in_the_document(ro_store: Store) -> None:
    # 담당부서 지역경제총괄과 / 담당과장 서가람 과장(044-203-4410) / 담당자 정병찬 사무관(044-203-4418); the closing
    # sentence names 정병찬 again (☎ 044-203-4418): once
    assert _contacts(ro_store, "seed002.hwp") == [
        FoundContact("서가람", "과장", "책임자", "산업통상자원부", "지역경제총괄과", ("044-203-4410",)),
        FoundContact("정병찬", "사무관", "담당자", "산업통상자원부", "지역경제총괄과", ("044-203-4418",)),
    ]


def test_contact_of_the_closing_sentence_broken_over_lines(ro_store: Store) -> None:
    # "… 국토교통부 혁신 / 도시정책총괄과 정승훈 사무관(044-201-4451)에게 연락주시기 바랍니다."
    assert _contacts(ro_store, "seed000.pdf") == [
        FoundContact("정승훈", "사무관", "문의처", "국토교통부", "혁신도시정책총괄과", ("044-201-4451",)),
    ]


@pytest.mark.parametrize(("written", "normal"), [
    ("(051)315-9263~6", "051-315-9263~9266"), ("044-300-0821~6", "044-300-0821~0826"),
    ("02-2100-1234", "02-2100-1234"), ("044 203 4410", "044-203-4410"), ("12.27", None),
])
def test_phones_as_the_dataset_writes_them(written: str, normal: str | None) -> None:
    assert normal_phone(written) == normal


# --- protected, corrupt and other files: a clear reply, nothing written -----------------------------------------

@pytest.mark.parametrize(("name", "says"), [
    ("seed002-distribution.hwp", "배포용 한글 문서라 본문이 암호화되어 있어 읽을 수 없습니다"),
    ("seed002-password.hwp", "암호가 걸린 한글 문서라 읽을 수 없습니다"),
    ("seed004-password.hwpx", "암호가 걸린 한글 문서라 읽을 수 없습니다"),
    ("seed000-password.pdf", "암호가 걸린 PDF라 읽을 수 없습니다"),
])
def test_protected_file_gets_its_clear_reply_and_nothing_is_written(team: Engine, name: str, says: str) -> None:
    before = _counts(team.store)
    reply = _send(team, name)
    assert says in reply.text and "아무것도 저장하지 않았습니다" in reply.text
    assert reply.intent == "document_refused" and not reply.buttons
    assert _counts(team.store) == before


@pytest.mark.parametrize(("name", "data", "says"), [
    ("보도자료.hwp", b"not an ole file", "손상되었거나 한글(HWP) 파일이 아닙니다"),
    ("보도자료.hwpx", b"PK\x03\x04broken", "손상되었거나 한글(HWPX) 파일이 아닙니다"),
    ("보도자료.pdf", b"%PDF-1.4 garbage", "손상되었거나 PDF 파일이 아닙니다"),
    ("보도자료.docx", b"whatever", "읽을 수 없는 형식입니다"),
    ("보도자료.txt", b"\xff\xfe\xfa\xfb\xfc", "인코딩을 알 수 없습니다"),
    ("보도자료.txt", b"   \n\n", "글자를 찾지 못했습니다"),
    ("보도자료.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "너무 큽니다"),
])
def test_bad_file_gets_a_clear_reply(team: Engine, name: str, data: bytes, says: str) -> None:
    before = _counts(team.store)
    reply = team.receive_document(name, data, _message(COORD))
    assert says in reply.text, reply.text
    assert _counts(team.store) == before


def test_zip_bomb_hwpx_is_refused(team: Engine, tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "bomb.hwpx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Contents/section0.xml", b"<a>" + b" " * (70 * 1024 * 1024) + b"</a>")
    with pytest.raises(Unreadable, match="압축을 풀면"):
        extract("bomb.hwpx", bomb.read_bytes())


# --- who may add, and nothing before 확인 ----------------------------------------------------------------------

def test_member_is_refused_and_nothing_is_written(team: Engine) -> None:
    before = _counts(team.store)
    reply = _send(team, "seed004.hwpx", MEMBER)
    assert reply.intent == "denied" and "코디네이터 권한이 필요합니다" in reply.text
    pasted = ask(team, "/document " + (FIXTURES / "seed002-cp949.txt").read_bytes().decode("cp949"), MEMBER)
    assert pasted.intent == "denied"
    assert _counts(team.store) == before


def test_member_cannot_press_a_coordinators_confirm(team: Engine) -> None:
    preview = _send(team, "seed004.hwpx", COORD)
    before = _counts(team.store)
    assert choose(team, preview, "document:all", MEMBER).intent == "denied"
    assert _counts(team.store) == before


def test_nothing_is_written_before_confirm_then_the_document_and_new_contacts(team: Engine) -> None:
    store = team.store
    store.db.execute("DELETE FROM phones WHERE owner_kind = 'contact' AND owner_id LIKE 'd004-ct-%'")
    store.db.execute("DELETE FROM contacts WHERE source = '004'")   # the dataset's copy of the contact block
    before = _counts(store)
    preview = _send(team, "seed004.hwpx")
    assert _counts(store) == before, "the preview wrote something"
    assert ("새 담당자: 최정민 사무관 (중소벤처기업부 지역혁신정책과·기업구조개선과, 담당자) ☎ 044-204-7584"
            in preview.text)
    assert "누르기 전에는 아무것도 저장하지 않았습니다" in preview.text
    assert [b.action for b in preview.buttons] == ["document:all", "document:text", "document:cancel"]
    assert choose(team, preview, "document:cancel", COORD).text.startswith("취소했습니다")
    assert _counts(store) == before

    saved = choose(team, preview, "document:all", COORD)
    assert saved.intent == "document" and "새 담당자 5명을 추가했습니다" in saved.text, saved.text
    source = saved.written[0].id
    assert store.origin_of("sources", source).origin == "document"
    added = store.rows("SELECT * FROM contacts WHERE source = ?", [source])
    assert [(c["person"], c["organisation"], c["role"]) for c in added][:2] == [
        ("임상규", "org-mss", "책임자"), ("최정민", "org-mss", "담당자")]
    assert all(store.origin_of("contacts", c["id"]).origin == "document" for c in added)
    assert store.rows("SELECT action, target FROM audit WHERE action = 'document'") == [
        {"action": "document", "target": source}]

    answer = ask(team, "최정민 사무관 전화번호", COORD)   # the new contact answers, citing the document
    assert "044-204-7584" in answer.text
    assert "2023년 제1차 지역경제위원회 공동개최 (중소벤처기업부 · 산업통상자원부, 2023-02-27)" in answer.text
    assert answer.sources == ["seed004.hwpx"]


def test_known_contacts_are_shown_as_known_and_not_added_again(team: Engine) -> None:
    preview = _send(team, "seed002.hwp")
    assert "이미 있음: 정병찬 사무관 (산업통상자원부 지역경제총괄과, 담당자) ☎ 044-203-4418" in preview.text
    assert [b.action for b in preview.buttons] == ["document:all", "document:cancel"]
    contacts = team.store.count("contacts")
    saved = choose(team, preview, "document:all", COORD)
    assert "새 담당자" not in saved.text and team.store.count("contacts") == contacts


def test_the_same_document_twice_is_said_and_not_stored_again(team: Engine) -> None:
    choose(team, _send(team, "seed002.hwp"), "document:all", COORD)
    before = _counts(team.store)
    again = _send(team, "seed002.hwp")
    assert again.text.startswith("이미 등록된 문서입니다: 14개 시·도 국가혁신클러스터")
    assert _counts(team.store) == before


# --- answered from a passage, with the document cited ------------------------------------------------------------

@pytest.mark.parametrize(("name", "question", "quoted"), [
    ("seed002.hwp", "이노트랙 전문가그룹은 뭐하는 거야?", "이노트랙 전문가그룹, 투자자문 네트워크 등 네트워크 운영"),
    ("seed004.hwpx", "14개 시·도 애로사항 청취", "14개 시·도 애로사항 청취 및 해결방안 모색"),
    ("seed004.hwpx", "카드 뉴스", "지역주력산업 개편 카드 뉴스"),   # two-syllable words: not the trigram index
    ("seed000.pdf", "지역발전계획 반영 독려", "지역발전계획에도 반영하도록 적극 독려하였다"),
])
def test_question_answered_from_a_passage_with_the_document_cited(team: Engine, name: str, question: str,
                                                                   quoted: str) -> None:
    before = ask(team, question)
    assert before.intent == "unknown" or before.missed, before.text   # nothing structured answers it
    choose(team, _send(team, name), "document:all", COORD)
    reply = ask(team, question, MEMBER)
    assert reply.intent == "document", reply.text
    assert quoted in reply.text
    header = read_header(extract(name, (FIXTURES / name).read_bytes()).text, _orgs(team.store))
    assert f"출처: {header.title} ({header.issuer}, {header.date or '발행일 미상'})" in reply.text
    assert reply.sources == [name]


@pytest.mark.parametrize("question", [
    "부산 예산",                       # one common word: the structured answer, not a passage
    "울릉도 관광 예산",                # the document does not say it
    "이노트랙 전화번호",               # the passage has the word but no phone
    "화성 탐사 계획 알려줘",
])
def test_no_passage_answers_what_the_document_does_not_say(team: Engine, question: str) -> None:
    choose(team, _send(team, "seed002.hwp"), "document:all", COORD)
    assert ask(team, question).intent != "document"


def test_passages_of_two_syllable_words_are_found_without_the_trigram_index(team: Engine) -> None:
    choose(team, _send(team, "seed004.hwpx"), "document:all", COORD)
    found = team.store.passages_with(["애로", "청취"])
    assert any("애로사항 청취" in str(p["text"]) for p in found)
    assert team.store.passages_with(["평가단"])   # three characters: the trigram index


# --- entry points: /document with pasted text, the conversation's file entry, tfbot document -----------------------

def test_pasted_text_after_document_command(team: Engine) -> None:
    text = (FIXTURES / "seed002-cp949.txt").read_bytes().decode("cp949")
    before = _counts(team.store)
    preview = ask(team, "/document\n" + text, COORD)
    assert preview.intent == "document_confirm", preview.text
    assert "• 제목: 14개 시·도 국가혁신클러스터, 지역성장 거점으로 자리잡는다" in preview.text
    assert "• 날짜: 2021-03-02" in preview.text
    assert _counts(team.store) == before
    assert ask(team, "/document", COORD).text.startswith("사용법: /document")


def test_long_pasted_document_is_not_refused_as_a_long_question(team: Engine) -> None:
    text = extract("seed004.hwpx", (FIXTURES / "seed004.hwpx").read_bytes()).text
    assert len(text) > 1000
    preview = ask(team, "/document " + text, COORD)
    assert preview.intent == "document_confirm"
    saved = choose(team, preview, "document:all", COORD, text="/document " + text)
    assert saved.intent == "document" and "새 담당자" not in saved.text


def test_conversation_keeps_the_choice_and_a_press_saves_once(team: Engine) -> None:
    core = Conversation(team)
    out = core.receive_document("seed002.hwp", (FIXTURES / "seed002.hwp").read_bytes(), _message(COORD))
    assert [o.label for o in out.options] == ["확인", "취소"]
    assert team.store.count("documents") == 0
    saved = core.handle(Press(out.options[0].key, _message(COORD)))
    assert saved.reply.intent == "document" and team.store.count("documents") == 1
    again = core.handle(Press(out.options[0].key, _message(COORD)))
    assert again.reply.intent == "expired" and team.store.count("documents") == 1


def test_receive_document_function_checks_the_role_itself(store: Store) -> None:
    store.set_role(None, MEMBER, "member", NOW.isoformat())
    data = (FIXTURES / "seed004.hwpx").read_bytes()
    assert receive_document(store, "seed004.hwpx", data, _message(MEMBER)).intent == "denied"
    assert receive_document(store, "seed004.hwpx", data, _message(42), Policy(admins=frozenset({42}))).buttons


def test_cli_document(cli: Cli, tmp_path: Path) -> None:
    run = cli
    db = str(tmp_path / "tf.db")
    status, out, _ = run("document", str(FIXTURES / "seed002.hwp"), "--db", db)
    assert status == 0 and "• 제목: 14개 시·도 국가혁신클러스터, 지역성장 거점으로 자리잡는다" in out
    assert "tfbot ask --choose" in out
    status, out, _ = run("document", str(FIXTURES / "seed004.hwpx"), "--yes", "--db", db)
    assert status == 0 and "저장했습니다: 2023년 제1차 지역경제위원회 공동개최" in out
    status, out, _ = run("document", str(FIXTURES / "seed000-password.pdf"), "--db", db)
    assert status == 1 and "암호가 걸린 PDF" in out
    status, _, err = run("document", str(tmp_path / "없는파일.pdf"), "--db", db)
    assert status == 2 and "파일이 없습니다" in err and err.count("\n") == 1
    status, out, _ = run("document", str(FIXTURES / "seed004.hwpx"), "--user", "7", "--db", db)
    assert status == 1 and "등록된 TF 구성원만" in out


def test_a_document_file_sent_in_chat_reaches_the_document_intent(team: Engine) -> None:
    # the same file table as spreadsheets: a 보도자료 sent in a private chat gets its preview, nothing written
    data = (FIXTURES / "seed004.hwpx").read_bytes()
    before = _counts(team.store)
    sent = Message(text="", now=NOW, user_id=COORD, chat_id=COORD, chat_kind="private",
                   file=IncomingFile("seed004.hwpx", len(data), data))
    reply = team.answer(sent)
    assert "2023년 제1차 지역경제위원회 공동개최" in reply.text and reply.buttons
    assert _counts(team.store) == before
    member = Message(text="", now=NOW, user_id=MEMBER, chat_id=MEMBER, chat_kind="private",
                     file=IncomingFile("seed004.hwpx", len(data), data))
    assert not team.answer(member).buttons and _counts(team.store) == before
