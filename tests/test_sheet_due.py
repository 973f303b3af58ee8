"""The 기한 column of the 사업·과제 sheet: declared once, so the template explains it, the importer validates and
writes it (its origin the file), and the export writes it as a date that imports back unchanged."""

from datetime import date, datetime

import pytest

from intents.engine import Engine
from store import Store
from store.sheets.columns import PROGRAMS
from tests.conftest import NOW, ask
from tests.sheetfiles import COORDINATOR, fingerprint, headers, press, read_xlsx, send, with_coordinator, xlsx

SHEET = PROGRAMS.name   # 사업·과제
BUSAN = "d000-task-busan"


@pytest.fixture
def engine(store: Store) -> Engine:
    """An engine over a fresh database with a coordinator and a member."""
    return Engine(with_coordinator(store))


def task_row(**cells: object) -> list[object]:
    """A row of the 사업·과제 sheet from cells given by header."""
    return [cells.get(h) for h in headers(SHEET)]


def test_the_template_and_the_export_carry_the_due_date(engine: Engine, store: Store) -> None:
    template = read_xlsx(ask(engine, "/template", user_id=COORDINATOR).attachments[0].data)
    assert "기한" in template[SHEET][0]
    store.set_due(COORDINATOR, BUSAN, "2026-12-20", NOW.isoformat())
    exported = read_xlsx(ask(engine, "/export", user_id=COORDINATOR).attachments[0].data)[SHEET]
    column = exported[0].index("기한")
    row = next(r for r in exported if r[0] == BUSAN)
    assert row[column] == date(2026, 12, 20)
    assert all(not r[column] for r in exported[1:] if r[0] != BUSAN)


@pytest.mark.parametrize("cell", ["2026-12-20", date(2026, 12, 20), datetime(2026, 12, 20), "2026.12.20"])
def test_an_imported_due_date_is_written_with_the_file_as_its_origin(engine: Engine, store: Store,
                                                                      cell: object) -> None:
    row = task_row(ID=BUSAN, 구분="과제", 이름="부산형 청년창업허브 조성", 종류="협업과제", 기한=cell)
    data = xlsx({SHEET: [headers(SHEET), row]})
    preview = send(engine, "과제.xlsx", data)
    assert "기한:  → 2026-12-20" in preview.text or "기한: (빈칸) → 2026-12-20" in preview.text, preview.text
    assert store.due_of(BUSAN) is None   # nothing before 확인
    press(engine, preview)
    found = store.due_of(BUSAN)
    assert (found["due"], found["set_by"], found["origin"], found["ref"]) == ("2026-12-20", COORDINATOR, "import",
                                                                             "과제.xlsx")
    assert "2026년 12월 20일(일)" in ask(engine, "부산형 청년창업허브 조성 기한 언제야").text


def test_an_exported_due_date_imports_back_unchanged_and_an_emptied_one_is_cleared(engine: Engine,
                                                                                   store: Store) -> None:
    store.set_due(COORDINATOR, BUSAN, "2026-12-20", NOW.isoformat())
    exported = read_xlsx(ask(engine, "/export", user_id=COORDINATOR).attachments[0].data)
    before = fingerprint(store)
    again = send(engine, "export.xlsx", xlsx({SHEET: exported[SHEET]}))
    assert "변경 0" in again.text
    assert fingerprint(store) == before
    column = exported[SHEET][0].index("기한")
    rows = [r if r[0] != BUSAN else [*r[:column], None, *r[column + 1:]] for r in exported[SHEET]]
    press(engine, send(engine, "export.xlsx", xlsx({SHEET: rows})))
    assert store.due_of(BUSAN) is None


@pytest.mark.parametrize(("cell", "says"), [
    ("2026-12", "하루를 가리키는 날짜가 아닙니다"),
    ("내일", "날짜가 아닙니다"),
    (datetime(2026, 12, 20, 15, 0), "하루를 가리키는 날짜가 아닙니다"),
])
def test_a_due_cell_that_is_not_a_day_is_rejected(engine: Engine, store: Store, cell: object, says: str) -> None:
    before = fingerprint(store)
    preview = send(engine, "과제.xlsx", xlsx({SHEET: [headers(SHEET), task_row(ID=BUSAN, 구분="과제",
                                                                               이름="부산형 청년창업허브 조성",
                                                                               종류="협업과제", 기한=cell)]}))
    assert "기한" in preview.text and says in preview.text and not preview.buttons, preview.text
    assert fingerprint(store) == before and store.due_of(BUSAN) is None


def test_a_program_row_cannot_have_a_due_date(engine: Engine) -> None:
    row = task_row(ID="prog-nic", 구분="사업", 이름="국가혁신클러스터육성사업", 종류="사업", 기한="2026-12-20")
    preview = send(engine, "사업.xlsx", xlsx({SHEET: [headers(SHEET), row]}))
    assert "'기한'은(는) 과제에만 적습니다" in preview.text and not preview.buttons
