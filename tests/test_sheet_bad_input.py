"""Bad input to an import: each gets a reply naming what is wrong (sheet, row, column) and nothing changes."""

import io
import zipfile

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from intents.engine import Engine
from store import Store
from store.sheets.reading import MAX_FILE_BYTES
from tests.sheetfiles import MEMBER, fingerprint, headers, send, with_coordinator, xlsx

CONTACTS = "담당자·연락처"
NOTHING = "아무것도 바꾸지 않았습니다"


@pytest.fixture
def engine(store: Store) -> Engine:
    """An engine over a fresh database with a coordinator and a member."""
    return Engine(with_coordinator(store))


def refused(engine: Engine, store: Store, name: str, data: bytes | None, **kwargs: object) -> str:
    """Send a file, check that it was refused without a button and that nothing changed; return the reply."""
    before = fingerprint(store)
    reply = send(engine, name, data, **kwargs)  # type: ignore[arg-type]
    assert not reply.buttons, reply.text
    assert fingerprint(store) == before
    return reply.text


def valid_contacts() -> bytes:
    """A small, valid contacts sheet (its ID is an existing row)."""
    return xlsx({CONTACTS: [headers(CONTACTS), ["d002-ct-jeongbyeongchan", "정병찬"] + [None] * 7]})


def test_a_file_over_10_mb_is_refused_from_its_size(engine: Engine, store: Store) -> None:
    text = refused(engine, store, "큰파일.xlsx", None, size=MAX_FILE_BYTES + 1)
    assert "'큰파일.xlsx' 파일이 너무 큽니다(10.0MB). 10.0MB 이하만 받습니다" in text and NOTHING in text
    text = refused(engine, store, "큰파일.csv", b"ID\n" + b"x" * MAX_FILE_BYTES)   # and from its bytes
    assert "파일이 너무 큽니다" in text


def test_a_password_protected_xlsx(engine: Engine, store: Store) -> None:
    locked = io.BytesIO()
    OOXMLFile(io.BytesIO(valid_contacts())).encrypt("secret", locked)
    text = refused(engine, store, "암호.xlsx", locked.getvalue())
    assert "'암호.xlsx'은(는) 암호로 보호된 파일이라 읽을 수 없습니다" in text and NOTHING in text


def test_a_corrupt_xlsx(engine: Engine, store: Store) -> None:
    data = valid_contacts()
    text = refused(engine, store, "깨진.xlsx", data[: len(data) // 2])
    assert "'깨진.xlsx' 파일이 손상되어 읽을 수 없습니다" in text and NOTHING in text
    assert "손상되었거나 .xlsx 형식이 아닙니다" in refused(engine, store, "글.xlsx", b"just some text")


def test_a_zip_bomb_is_refused_before_it_is_read(engine: Engine, store: Store) -> None:
    """An xlsx whose sheet XML inflates to 150 MB (150 KB packed) is refused from the zip's declared sizes."""
    inflated = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(valid_contacts())) as source, \
            zipfile.ZipFile(inflated, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (150 * 1024 * 1024), 1)
            bomb.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    assert len(inflated.getvalue()) < MAX_FILE_BYTES
    text = refused(engine, store, "폭탄.xlsx", inflated.getvalue())
    assert "'폭탄.xlsx'은(는) 압축을 풀면 150.0MB로 부풀어 열지 않습니다 (압축 폭탄으로 보입니다" in text


def test_unknown_and_missing_headers(engine: Engine, store: Store) -> None:
    text = refused(engine, store, "기관.xlsx", xlsx({"기관": [["ID", "기관명", "전화번호", "메모"],
                                                            ["x1", "어느 기관", "044-000-0000", "메모"]]}))
    assert "• 기관 머리글 '전화번호' 열: 알 수 없는 열입니다 (혹시 '전화'?)" in text
    assert "• 기관 머리글 '메모' 열: 알 수 없는 열입니다" in text
    assert "• 기관 머리글 '종류' 열: 필수 열 '종류'이(가) 없습니다" in text
    assert "거부된 행이 있어 아무것도 가져오지 않았습니다" in text
    text = refused(engine, store, "목록.xlsx", xlsx({"목록": [["아무", "열"], ["1", "2"]]}))
    assert "• 목록: 어떤 시트인지 알 수 없습니다" in text


def test_text_in_a_number_column(engine: Engine, store: Store) -> None:
    rows = [headers("예산"), ["d002-bud-rnd-2018", "prog-nic", 2018, 1, None, "R&D", None, None, "약 150억",
                              "억원", None, "1단계 '18 R&D", None],
            [None, "prog-nic", "이천이십", None, None, None, "국비", None, 3, None, None, "시험", None]]
    text = refused(engine, store, "예산.xlsx", xlsx({"예산": rows}))
    assert "• 예산 2행 '금액' 열: 금액 '약 150억'은(는) 숫자가 아닙니다" in text
    assert "• 예산 3행 '연도' 열: '이천이십'은(는) 숫자가 아닙니다" in text
    assert "• 예산: 추가 0 · 변경 0 · 그대로 0 · 거부 2" in text


def test_a_duplicate_id(engine: Engine, store: Store) -> None:
    row = ["d002-ct-jeongbyeongchan", "정병찬", *[None] * 7]
    again = [*row[:7], "다른 비고", None]
    text = refused(engine, store, "명단.xlsx", xlsx({CONTACTS: [headers(CONTACTS), row, again]}))
    assert ("• 담당자·연락처 3행 'ID' 열: 2행과(와) 같은 행입니다 (ID d002-ct-jeongbyeongchan): "
            "한 행만 남겨 주세요") in text


def test_a_phone_that_is_not_a_phone(engine: Engine, store: Store) -> None:
    rows = [headers(CONTACTS), ["d002-ct-jeongbyeongchan", "정병찬"] + [None] * 4 + ["내선 4418", None, None],
            ["d002-ct-seogaram", "서가람"] + [None] * 4 + [4420, None, None]]
    text = refused(engine, store, "명단.xlsx", xlsx({CONTACTS: rows}))
    assert "• 담당자·연락처 2행 '전화' 열: '내선 4418'은(는) 전화번호가 아닙니다 (예: 044-203-4418" in text
    assert "• 담당자·연락처 3행 '전화' 열: '4420'은(는) 숫자 서식이라 전화번호의 앞자리 0이 빠졌을 수 있습니다" in text


def test_an_unknown_program_in_a_budget_row(engine: Engine, store: Store) -> None:
    rows = [headers("예산"), [None, "국가혁신클러스터육성사엄", 2027, None, None, None, "국비", None, 100, None, None,
                              "시험", None]]
    text = refused(engine, store, "예산.xlsx", xlsx({"예산": rows}))
    assert ("• 예산 2행 '사업' 열: '국가혁신클러스터육성사엄'은(는) 사업·과제 시트에도 데이터에도 없습니다 "
            "(혹시 '국가혁신클러스터육성사업'?)") in text


def test_a_member_cannot_import(engine: Engine, store: Store) -> None:
    text = refused(engine, store, "명단.xlsx", valid_contacts(), user_id=MEMBER)
    assert text == "이 작업은 코디네이터 권한이 필요합니다. (현재 역할: 구성원)"


def test_a_file_of_another_kind_and_one_sent_in_a_group(engine: Engine, store: Store) -> None:
    said = refused(engine, store, "보고서.docx", b"PK")
    assert ("'보고서.docx'은(는) 받을 수 있는 파일이 아닙니다 "
            "(받는 형식: .csv, .hwp, .hwpx, .ods, .pdf, .txt, .xls, .xlsm, .xlsx)") in said
    assert "파일은 봇과의 개인 대화로 보내 주세요" in refused(engine, store, "명단.xlsx", valid_contacts(),
                                                        chat_kind="group")
