"""Importing a spreadsheet: the preview lists what would change, nothing is written before 확인, then all of it in
one transaction with origins, audit entries and a backup taken first."""

from pathlib import Path

import pytest

from intents.engine import Engine
from store import Store
from store.sheets.columns import SHEETS
from tests.conftest import NOW, ask
from tests.sheetfiles import COORDINATOR, fingerprint, headers, press, send, with_coordinator, xlsx

CONTACTS = "담당자·연락처"


@pytest.fixture
def engine(store: Store) -> Engine:
    """An engine over a fresh database with a coordinator and a member."""
    return Engine(with_coordinator(store))


def contact_row(**cells: object) -> list[object]:
    """A row of the contacts sheet from cells given by header."""
    return [cells.get(h) for h in headers(CONTACTS)]


def test_a_changed_phone_is_previewed_then_written_on_confirm(engine: Engine, store: Store) -> None:
    before = fingerprint(store)
    data = xlsx({CONTACTS: [headers(CONTACTS), contact_row(ID="d002-ct-jeongbyeongchan", 이름="정병찬",
                                                            전화="044-203-9999")]})
    preview = send(engine, "명단.xlsx", data)
    assert "담당자·연락처 2행 정병찬 [d002-ct-jeongbyeongchan]" in preview.text
    assert "전화: 044-203-4418 → 044-203-9999" in preview.text
    assert "• 담당자·연락처: 추가 0 · 변경 1 · 그대로 0" in preview.text
    assert [b.label for b in preview.buttons] == ["확인", "취소"]
    assert fingerprint(store) == before   # nothing before 확인

    done = press(engine, preview)
    assert "추가 0행, 변경 1행" in done.text and "백업: " in done.text
    assert store.phones("contact", "d002-ct-jeongbyeongchan") == ["044-203-9999"]
    origin = store.origin_of("contacts", "d002-ct-jeongbyeongchan")
    assert (origin.origin, origin.ref, origin.user_id, origin.at) == ("import", "명단.xlsx", COORDINATOR,
                                                                      NOW.isoformat())
    audit = [r for r in store.audit_log() if r["action"] == "import"]
    assert [r["target"] for r in audit] == ["contacts/d002-ct-jeongbyeongchan"]
    assert '"044-203-9999"' in audit[0]["new"] and '"044-203-4418"' in audit[0]["old"]
    backup = Path(done.text.split("백업: ")[1].strip())
    assert backup.is_file() and backup.parent.name == "backups"
    saved = Store.open(backup)   # the backup holds the data as it was before the import
    assert saved.phones("contact", "d002-ct-jeongbyeongchan") == ["044-203-4418"]
    saved.close()
    assert "044-203-9999" in ask(engine, "정병찬 사무관 전화번호").text   # answers read what was imported


def test_cancel_writes_nothing(engine: Engine, store: Store) -> None:
    before = fingerprint(store)
    preview = send(engine, "명단.xlsx", xlsx({CONTACTS: [headers(CONTACTS),
                                                        contact_row(ID="d002-ct-jeongbyeongchan", 비고="바뀜")]}))
    assert "취소했습니다" in press(engine, preview, "import:no").text
    assert fingerprint(store) == before


def test_rows_match_by_exact_normalised_name_and_fuzzy_only_suggests(engine: Engine, store: Store) -> None:
    sheet = "기관"
    rows = [["ID", "기관명", "종류", "지역", "비고"],   # columns left out keep their values
            # no ID; the name written with other spacing and width: the same row
            [None, "부산 지역사업평가단", "평가단", "부산", "주소 확인 필요"],
            # a near name is not taken for the existing row: a new row, with a suggestion
            [None, "대구지역사업평가당", "평가단", "대구", None]]
    preview = send(engine, "기관.xlsx", xlsx({sheet: rows}))
    # the same row, found by its name; the spacing written is shown as a change of the name
    assert "• 기관 2행 부산 지역사업평가단 [d004-org-eval-busan] 기관명: 부산지역사업평가단 → 부산 지역사업평가단; " \
           "비고: 관리기관 · " in preview.text
    assert preview.text.count(" → ") == 2
    assert "기관 3행 대구지역사업평가당 (새 ID imp-org-" in preview.text
    assert "혹시 '대구지역사업평가단'(ID d004-org-eval-daegu)? (새 행으로 추가됩니다)" in preview.text
    press(engine, preview)
    assert store.organisation("d004-org-eval-daegu")["name"] == "대구지역사업평가단"
    assert store.organisation("d004-org-eval-busan")["note"] == "주소 확인 필요"
    assert len([r for r in store.organisations_in_region("대구") if r["name"] == "대구지역사업평가당"]) == 1


def test_a_new_contact_may_name_its_new_organisation_by_name(engine: Engine, store: Store) -> None:
    data = xlsx({"기관": [headers("기관"), [None, "세종테스트센터", "지원기관", "테스트센터", "세종시", None,
                                         "(044)123-4567", None, None]],
                 CONTACTS: [headers(CONTACTS), contact_row(이름="홍길동", 직급="주무관", 기관="세종테스트센터",
                                                         전화="0441234568", 기준일="2026-12-01")]})
    preview = send(engine, "새.xlsx", data)
    assert "추가 2행:" in preview.text, preview.text
    press(engine, preview)
    [org] = [r for r in store.organisations_in_region("세종") if r["name"] == "세종테스트센터"]
    assert store.phones("organisation", org["id"]) == ["044-123-4567"]
    assert store.aliases("organisation", org["id"]) == ["테스트센터"]
    [person] = store.contacts_named("홍길동")
    assert person["organisation"] == org["id"] and person["as_of"] == "2026-12-01"
    assert store.phones("contact", person["id"]) == ["044-123-4568"]
    assert store.origin_of("organisations", org["id"]).origin == "import"


def test_csv_in_utf8_with_bom_and_in_cp949(engine: Engine, store: Store) -> None:
    text = "ID,사업,금액\nd002-bud-rnd-2018,국가혁신클러스터육성사업,\"1,500\"\n"
    for data in (text.encode("utf-8-sig"), text.encode("utf-8"), text.encode("cp949")):
        preview = send(engine, "예산.csv", data)
        assert "금액: 150 → 1500" in preview.text, preview.text
    press(engine, preview)
    assert next(r for r in store.budgets("prog-nic") if r["id"] == "d002-bud-rnd-2018")["amount"] == 1500


def test_a_preview_outdated_by_another_write_writes_nothing(engine: Engine, store: Store) -> None:
    preview = send(engine, "명단.xlsx", xlsx({CONTACTS: [headers(CONTACTS),
                                                        contact_row(ID="d002-ct-jeongbyeongchan", 비고="A")]}))
    other = send(engine, "명단2.xlsx", xlsx({CONTACTS: [headers(CONTACTS),
                                                       contact_row(ID="d002-ct-jeongbyeongchan", 비고="B")]}))
    press(engine, other)
    before = fingerprint(store)
    done = press(engine, preview)
    assert "미리보기 이후 데이터가 바뀌었습니다(담당자·연락처 2행)" in done.text
    assert fingerprint(store) == before


def test_a_large_preview_is_a_summary_with_the_whole_attached(engine: Engine, store: Store) -> None:
    rows = [headers("예산")] + [[None, "prog-nic", 2030 + i % 5, None, None, None, "국비", None, i, None, None,
                                 f"시험 {i}", None] for i in range(40)]
    preview = send(engine, "예산.xlsx", xlsx({"예산": rows}))
    assert "• 예산: 추가 40 · 변경 0 · 그대로 0" in preview.text
    assert "… 외 30건은 첨부한 미리보기 파일에 있습니다." in preview.text
    assert preview.text.count("\n• 예산 ") == 10
    [attached] = preview.attachments
    assert attached.filename == "예산-미리보기.xlsx"
    from tests.sheetfiles import read_xlsx

    shown = read_xlsx(attached.data)["미리보기"]
    assert shown[0][:2] == ["결과", "위치"] and sum(r[0] == "추가" for r in shown) == 40
    assert shown[40] == ["추가", "예산 41행", "국가혁신클러스터육성사업 2034 국비 시험 39 (새 ID " + shown[40][2][-20:]]
    press(engine, preview)
    assert len([r for r in store.budgets("prog-nic") if str(r["label"]).startswith("시험")]) == 40


def test_the_template_is_read_by_the_importer(engine: Engine) -> None:
    reply = ask(engine, "/template", user_id=COORDINATOR)
    [template] = reply.attachments
    from tests.sheetfiles import read_xlsx

    sheets = read_xlsx(template.data)
    for sheet in SHEETS:
        assert sheets[sheet.name][0] == [c.header for c in sheet.columns]
    assert "바뀐 내용이 없습니다" in send(engine, template.filename, template.data).text
