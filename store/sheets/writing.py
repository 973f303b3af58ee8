"""xlsx files written with xlsxwriter: the export (the importable sheets in the import layout, then the sheets
written only for reading), the empty template, and an import's full preview. Every text cell is written as
text, so a cell beginning with = + - @ is never a formula; dates are dates; widths fit the contents."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from store.sheets.cells import Value
from store.sheets.columns import (
    AMOUNT,
    BUDGETS,
    CONTACTS,
    DATE,
    DAY,
    FLAG,
    GUIDE_SHEET,
    INTEGER,
    MEETINGS,
    ORGANISATIONS,
    PROGRAMS,
    REF,
    TEXT,
    Column,
    Sheet,
)
from store.sheets.current import Current
from store.sheets.plan import Plan

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

EXPORT_ORDER: tuple[Sheet, ...] = (CONTACTS, ORGANISATIONS, PROGRAMS, BUDGETS, MEETINGS)
MAX_WIDTH = 50
SAMPLE_ROWS = 500   # rows measured for a column's width
_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


@dataclass
class Listing:
    """A sheet written for reading only: its name, headers, the type of each column (text, integer, date) and
    its rows."""

    name: str
    headers: list[str]
    types: list[str]
    rows: list[list[Any]] = field(default_factory=list)


class _Book:
    """A workbook and its formats."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        import xlsxwriter  # loaded only when a file is written: 0.1 s off every start of `tfbot ask`
        self.book: Workbook = xlsxwriter.Workbook(self.buffer, _OPTIONS)
        self.header = self.book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.required = self.book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
        self.day = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.moment = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.amount = self.book.add_format({"num_format": "#,##0"})
        self.whole = self.book.add_format({"num_format": "0"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})

    def close(self) -> bytes:
        """Finish the file and return its bytes."""
        self.book.close()
        return self.buffer.getvalue()


def width_of(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Hangul or other wide character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet(book: _Book, name: str, headers: Sequence[str], widths: Sequence[int],
           required: Sequence[bool] | None = None) -> Worksheet:
    sheet = book.book.add_worksheet(name)
    for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
        fmt = book.required if required and required[col] else book.header
        sheet.write_string(0, col, header, fmt)
        sheet.set_column(col, col, min(max(width, width_of(header)) + 2, MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    return sheet


def _write(book: _Book, sheet: Worksheet, row: int, col: int, kind: str, value: Any, tz: tzinfo) -> None:
    """One cell by its column type; text always as text."""
    if value is None or value == "":
        return
    if kind in (INTEGER, AMOUNT) and isinstance(value, int):
        sheet.write_number(row, col, value, book.amount if kind == AMOUNT else book.whole)
    elif kind in (DATE, DAY) and isinstance(value, str):
        moment = _as_date(value, tz)
        if isinstance(moment, datetime):
            sheet.write_datetime(row, col, moment, book.moment)
        elif isinstance(moment, date):
            sheet.write_datetime(row, col, moment, book.day)
        else:
            sheet.write_string(row, col, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), book.moment)
    else:
        sheet.write_string(row, col, str(value))


def _as_date(text: str, tz: tzinfo) -> date | datetime | None:
    """A stored date as the spreadsheet date it reads back as: a day, or a local time of the configured zone
    (one in another zone, a month or a year stays text)."""
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    if len(text) <= 7:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() != moment.astimezone(tz).utcoffset() or moment.microsecond:
        return None
    return moment.replace(tzinfo=None)


def _cell(current: Current, column: Column, value: Value) -> Value:
    """A stored value as its sheet cell: a reference by name (or ID), a flag as 예."""
    if column.type == REF and column.targets != ("regions",) and value is not None:
        return current.display(str(value))
    if column.type == FLAG:
        return "예" if value else None
    return value


def _importable(book: _Book, sheet: Sheet, current: Current | None, tz: tzinfo) -> None:
    rows = list(current.rows[sheet.name].items()) if current is not None else []
    cells = [[_cell(current, c, row_id if c.key == "id" else values.get(c.key)) for c in sheet.columns]
             for row_id, values in rows] if current is not None else []
    widths = [column.width or max([width_of(str(r[i])) for r in cells[:SAMPLE_ROWS] if r[i] is not None] or [0])
              for i, column in enumerate(sheet.columns)]
    written = _sheet(book, sheet.name, [c.header for c in sheet.columns], widths, [c.required for c in sheet.columns])
    for col, column in enumerate(sheet.columns):
        written.write_comment(0, col, column.describe(), {"x_scale": 2})
        if column.choices:
            written.data_validation(1, col, 1_048_575, col, {"validate": "list", "source": list(column.choices),
                                                              "ignore_blank": True})
    for r, row in enumerate(cells, start=1):
        for col, column in enumerate(sheet.columns):
            _write(book, written, r, col, column.type, row[col], tz)


def _listing(book: _Book, listing: Listing, tz: tzinfo) -> None:
    widths = [max([width_of(str(r[i])) for r in listing.rows[:SAMPLE_ROWS] if r[i] is not None] or [0])
              for i in range(len(listing.headers))]
    written = _sheet(book, listing.name, listing.headers, [min(w, 16) if t == DATE else w
                                                           for w, t in zip(widths, listing.types, strict=True)])
    text = written.write_string
    for r, row in enumerate(listing.rows, start=1):
        for col, kind in enumerate(listing.types):
            value = row[col]
            if kind == TEXT and isinstance(value, str):
                if value:
                    text(r, col, value)
            else:
                _write(book, written, r, col, kind, value, tz)


def _guide(book: _Book) -> None:
    rows = [[sheet.name, c.header, c.describe()] for sheet in EXPORT_ORDER for c in sheet.columns]
    notes = [["", "", ""],
             ["가져오기", "", "ID가 있으면 그 행을, 없으면 이름이 정확히 같은 행을 바꿉니다. "
                           "둘 다 없으면 새 행입니다."],
             ["", "", "파일에 없는 행은 지우지 않습니다. 비운 칸은 값을 지웁니다. 열을 빼면 그 값은 그대로 둡니다."],
             ["", "", "주황색 머리글은 필수 열입니다. 진행상황·회의 참석·감사 기록·안내 시트는 읽지 않습니다."]]
    written = _sheet(book, GUIDE_SHEET, ["시트", "열", "형식"], [14, 16, 70])
    for r, row in enumerate(rows + notes, start=1):
        for col, value in enumerate(row):
            if value:
                written.write_string(r, col, value, book.wrap if col == 2 else None)


def export_workbook(current: Current, listings: Sequence[Listing], tz: tzinfo) -> bytes:
    """The export: every importable sheet with the database's rows, then the sheets for reading only."""
    book = _Book()
    for sheet in EXPORT_ORDER:
        _importable(book, sheet, current, tz)
    for listing in listings:
        _listing(book, listing, tz)
    return book.close()


def template_workbook(tz: tzinfo) -> bytes:
    """The empty template: each importable sheet's headers (required ones marked, each explained in its
    comment, allowed values as a list) and a guide sheet."""
    book = _Book()
    for sheet in EXPORT_ORDER:
        _importable(book, sheet, None, tz)
    _guide(book)
    return book.close()


def preview_workbook(plan: Plan, tz: tzinfo) -> bytes:
    """An import's whole preview, a row for each row of the file: what it adds (its cells) or changes (each
    cell's old → new), and every rejection with its sheet, row, column and reason."""
    rows: list[list[Any]] = []
    for change in plan.changes:
        if change.op == "add":
            hint = f" — {change.hint} (새 행으로 추가됩니다)" if change.hint else ""
            rows.append(["추가", f"{change.sheet} {change.row}행", f"{change.label} (새 ID {change.id}){hint}"])
        else:
            cells = "; ".join(f"{header}: {old} → {new}" for header, old, new in change.cells)
            rows.append(["변경", f"{change.sheet} {change.row}행", f"{change.label} [{change.id}] {cells}"])
    for rejection in plan.rejections:
        where = f"{rejection.sheet} {rejection.row}행" if rejection.row > 1 else rejection.sheet or "파일"
        column = f"'{rejection.column}' 열: " if rejection.column else ""
        rows.append(["거부", where, f"{column}{rejection.reason}"])
    listing = Listing("미리보기", ["결과", "위치", "내용 (새 행, [ID] 이전 → 새 값, 거부 사유)"], [TEXT] * 3, rows)
    book = _Book()
    _listing(book, listing, tz)
    return book.close()

