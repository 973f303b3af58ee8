"""The export: the importable sheets in the import layout, then tasks with progress, attendance and (for
coordinators and admins) the audit log; text written as text (no formulas), dates as dates, widths set."""

import io
import re
import zipfile
from datetime import date, datetime

from intents.engine import Engine
from store import Store
from store.sheets.columns import SHEETS
from tests.conftest import NOW, ask
from tests.sheetfiles import COORDINATOR, MEMBER, press, read_xlsx, send, with_coordinator, xlsx

CONTACTS = "담당자·연락처"
DANGEROUS = ["=HYPERLINK(\"http://example.com\",\"열기\")", "+82-44-203-4418", "-1+2", "@SUM(A1:A3)"]


def sheet_xml(data: bytes) -> list[str]:
    """The XML of every worksheet of an xlsx file."""
    with zipfile.ZipFile(io.BytesIO(data)) as packed:
        return [packed.read(n).decode() for n in packed.namelist() if n.startswith("xl/worksheets/sheet")]


def test_cells_that_look_like_formulas_are_written_as_text(store: Store) -> None:
    engine = Engine(with_coordinator(store))
    header = ["ID", "이름", "비고"]
    rows = [["d002-ct-jeongbyeongchan", "정병찬", DANGEROUS[0]], ["d002-ct-seogaram", "서가람", DANGEROUS[1]]]
    rows += [[None, f"시험{i}", text] for i, text in enumerate(DANGEROUS[2:])]
    preview = send(engine, "명단.xlsx", xlsx({CONTACTS: [header, *rows]}))
    press(engine, preview)
    data = ask(engine, "/export", user_id=COORDINATOR).attachments[0].data
    assert all("<f>" not in xml and "<f " not in xml for xml in sheet_xml(data))
    notes = [r[7] for r in read_xlsx(data)[CONTACTS]]
    assert all(text in notes for text in DANGEROUS)


def test_dates_are_dates_and_widths_are_set(store: Store) -> None:
    data = ask(Engine(store), "/export").attachments[0].data
    sheets = read_xlsx(data)
    as_of = [r[8] for r in sheets[CONTACTS][1:]]
    assert date(2021, 3, 2) in as_of and all(isinstance(d, date) for d in as_of if d)
    starts = {r[0]: r[3] for r in sheets["회의"][1:]}
    assert starts["d004-mtg-rec-2023-1"] == datetime(2023, 2, 27, 14, 0)
    assert starts["d002-mt-release"] == date(2021, 3, 2) and starts["d004-mtg-emergency-0216"] == date(2023, 2, 16)
    assert any(v == "2023-04" for v in starts.values())   # a month stays as written
    for xml in sheet_xml(data):
        widths = [float(w) for w in re.findall(r'<col [^>]*width="([0-9.]+)"', xml)]
        assert widths and all(4 <= w <= 52 for w in widths)


def test_the_importable_sheets_have_the_import_layout(store: Store) -> None:
    sheets = read_xlsx(ask(Engine(store), "/export").attachments[0].data)
    for sheet in SHEETS:
        assert sheets[sheet.name][0] == [c.header for c in sheet.columns]
        assert len(sheets[sheet.name]) - 1 == sum(store.count(t) for t in sheet.tables)


def test_members_get_no_user_ids_and_no_audit(store: Store) -> None:
    engine = Engine(with_coordinator(store))
    store.add_progress("d000-task-busan", COORDINATOR, "코디", NOW.isoformat(), 40, "진행", "기본설계")
    meeting = store.add_meeting(COORDINATOR, NOW.isoformat(), "권역별 TF회의", "2026-12-03T14:00:00+09:00", None,
                                None, "영상")
    store.respond(meeting, MEMBER, "멤버", "참석", NOW.isoformat())

    member = ask(engine, "/export", user_id=MEMBER)
    assert member.private and "감사 기록" not in member.text
    sheets = read_xlsx(member.attachments[0].data)
    assert "감사 기록" not in sheets
    assert "사용자 ID" not in sheets["진행상황"][0] and "사용자 ID" not in sheets["회의 참석"][0]
    cells = [c for rows in sheets.values() for row in rows for c in row]
    assert not {COORDINATOR, MEMBER, float(COORDINATOR), float(MEMBER), str(COORDINATOR), str(MEMBER)} & set(cells)
    [busan] = [r for r in sheets["진행상황"] if r[0] == "d000-task-busan"]
    assert busan[4:8] == [40.0, "진행", "기본설계", "코디"]
    assert [r[3:5] for r in sheets["회의 참석"][1:]] == [["멤버", "참석"]]

    full = read_xlsx(ask(engine, "/export", user_id=COORDINATOR).attachments[0].data)
    assert full["진행상황"][0][-1] == "사용자 ID" and full["감사 기록"][0][:3] == ["번호", "일시", "사용자 ID"]
    assert [r[2] for r in full["감사 기록"][1:] if r[3] == "progress"] == [float(COORDINATOR)]
