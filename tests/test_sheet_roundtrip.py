"""Round trip: export the built-in database, change a cell in every importable sheet of a copy, import the copy
(the preview lists exactly those changes), export again: the importable sheets equal the edited copy."""

from datetime import date, datetime

from intents.engine import Engine
from store import Store
from store.sheets.columns import SHEETS
from store.sheets.plan import Plan
from tests.conftest import ask
from tests.sheetfiles import COORDINATOR, press, read_xlsx, send, with_coordinator, xlsx

# sheet, row id, header, new value
EDITS = [
    ("담당자·연락처", "d002-ct-jeongbyeongchan", "전화", "044-203-9999"),
    ("기관", "d004-org-eval-busan", "주소", "부산광역시 사상구 새주소로 1"),
    ("사업·과제", "prog-udz", "기간", "2020~2027"),
    ("예산", "d002-bud-rnd-2018", "금액", 151.0),
    ("회의", "d004-mtg-rec-2023-1", "시작", datetime(2023, 2, 27, 15, 30)),
]
IMPORTABLE = [s.name for s in SHEETS]


def test_export_edit_import_export(store: Store) -> None:
    engine = Engine(with_coordinator(store))
    exported = ask(engine, "/export", user_id=COORDINATOR)
    [file] = exported.attachments
    assert file.filename == "tfbot-export-20261123.xlsx"
    sheets = read_xlsx(file.data)
    assert list(sheets) == ["담당자·연락처", "기관", "사업·과제", "예산", "회의", "진행상황", "회의 참석", "감사 기록"]
    edited = {name: [list(r) for r in rows] for name, rows in sheets.items()}
    expected = set()
    for sheet, row_id, header, new in EDITS:
        rows = edited[sheet]
        col = rows[0].index(header)
        [row] = [r for r in rows if r[0] == row_id]
        old = row[col]
        assert old != new
        row[col] = new
        expected.add((sheet, row_id, header))

    preview = send(engine, "수정본.xlsx", xlsx(edited))
    assert preview.offer is not None, preview.text
    plan = Plan.from_json(preview.offer.payload["plan"])
    header = {s.name: s.headers for s in SHEETS}
    assert {(c.sheet, c.id, header[c.sheet][key]) for c in plan.changes for key in c.new} == expected
    assert all(c.op == "change" and len(c.new) == 1 for c in plan.changes)
    assert "금액: 150 → 151" in preview.text
    assert "시작: 2023-02-27T14:00:00+09:00 → 2023-02-27T15:30:00+09:00" in preview.text
    assert "(읽지 않은 시트: 진행상황, 회의 참석, 감사 기록 — 내보내기 전용)" in preview.text
    assert all(f"• {name}: " in preview.text for name in IMPORTABLE)

    assert "변경 5행" in press(engine, preview).text
    again = read_xlsx(ask(engine, "/export", user_id=COORDINATOR).attachments[0].data)
    for name in IMPORTABLE:
        assert again[name] == edited[name], name
    assert isinstance(again["회의"][1][3] or again["회의"][2][3], date | datetime)   # dates stay dates
