"""Spreadsheet files for tests: xlsx written with xlsxwriter and read back with calamine, a file sent to the
engine as a user would send it, and a fingerprint of everything an import could change."""

import io
from datetime import date, datetime
from typing import Any

import xlsxwriter
from python_calamine import CalamineWorkbook

from intents.engine import Engine
from intents.message import IncomingFile, Message, Pick, Reply
from store import Store
from store.sheets.columns import SHEETS
from store.sheets.current import snapshot
from tests.conftest import NOW

COORDINATOR, MEMBER = 2001, 1001
Rows = list[list[Any]]


def xlsx(sheets: dict[str, Rows]) -> bytes:
    """An xlsx file with these sheets (text as text, numbers as numbers, dates as dates)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, moment)
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, value, day)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def read_xlsx(data: bytes) -> dict[str, Rows]:
    """Every sheet of an xlsx file as rows of cells (calamine)."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
            for name in book.sheet_names}


def headers(sheet_name: str) -> list[str]:
    """The headers of an importable sheet, from the column definitions."""
    return [c.header for c in next(s for s in SHEETS if s.name == sheet_name).columns]


def send(engine: Engine, name: str, data: bytes | None, user_id: int | None = COORDINATOR,
         size: int | None = None, chat_kind: str = "private") -> Reply:
    """A file sent to the bot (None: the local operator), as the adapter hands it to the engine."""
    message = Message(text="", now=NOW, user_id=user_id, chat_id=user_id, local_operator=user_id is None,
                      chat_kind=chat_kind, file=IncomingFile(name, len(data or b"") if size is None else size, data))
    return engine.answer(message)


def press(engine: Engine, preview: Reply, action: str = "import:ok", user_id: int | None = COORDINATOR) -> Reply:
    """Press 확인 (or 취소) under a preview, as the conversation core does after checking the press."""
    assert preview.offer is not None and action in [b.action for b in preview.buttons], preview.text
    message = Message(text="", now=NOW, user_id=user_id, chat_id=user_id, local_operator=user_id is None)
    return engine.answer(message, Pick("import", action, preview.offer.payload))


def fingerprint(store: Store) -> tuple[Any, ...]:
    """Everything an import may write: the rows in the sheets' layout, phones, aliases, origins and audit."""
    now = snapshot(store.db)
    return (now.rows, store.count("phones"), store.count("aliases"), store.count("row_origins"),
            store.count("audit"))


def with_coordinator(store: Store) -> Store:
    """The store with a coordinator and a member registered."""
    store.set_role(None, COORDINATOR, "coordinator", "2026-11-01T09:00:00+09:00", "코디")
    store.set_role(None, MEMBER, "member", "2026-11-01T09:00:00+09:00", "멤버")
    return store
