"""What an import would do, decided before anything is written: every row of every sheet validated, matched to
the row it changes (by ID, else by its exact normalised name) or found new, and compared cell by cell. A row that
cannot be is rejected with its sheet, row number, column and reason; fuzzy matching only suggests."""

import re
import secrets
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import tzinfo
from typing import Any

from rapidfuzz import fuzz, process

from store.sheets.cells import CellError, Raw, Value, as_text, blank, parse, shown
from store.sheets.columns import (
    BUDGETS,
    DEFAULTS,
    ID_PREFIX,
    REF,
    SEP,
    SHEETS,
    TABLE_WORDS,
    TARGET_NAMES,
    Column,
    Sheet,
    is_export_only,
    normal,
    sheet_named,
)
from store.sheets.current import Current
from store.sheets.reading import RawSheet

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
HINT_SCORE = 80   # rapidfuzz ratio from which a near name is suggested ("혹시 …?")
_TABLE_OF_WORD = {word: table for table, word in TABLE_WORDS.items()}


@dataclass(frozen=True)
class Rejection:
    """A row (or a header, or a whole sheet) the import refuses: where, which column, and why."""

    sheet: str
    row: int   # the sheet's row number (1: the header row; 0: the file itself)
    column: str
    reason: str


@dataclass
class Change:
    """A row to add or change: where it is in the file, the row it writes, the stored values before and after
    (a change: only the cells that differ), a change's cells as shown (header, old, new), the row's name as
    shown and, for a new row without ID, a near existing row it may have meant."""

    sheet: str
    row: int
    table: str
    id: str
    op: str   # "add" or "change"
    old: dict[str, Value]
    new: dict[str, Value]
    cells: list[tuple[str, str, str]]
    label: str
    hint: str = ""


@dataclass
class Counts:
    """Rows of one sheet by what the import does with them."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class Plan:
    """Everything an import of one file would write, or every reason it cannot."""

    file: str
    changes: list[Change] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)   # export-only sheets passed over

    @property
    def ok(self) -> bool:
        """Whether the file can be applied whole (nothing rejected)."""
        return not self.rejections

    def to_json(self) -> dict[str, Any]:
        """What applying the plan needs, as JSON data (kept with the open choice until 확인): the rows to write
        with their old and new values; not how the preview showed them."""
        # new rows grouped by sheet, table and the columns they fill: each column's name is written once
        groups: dict[tuple[str, str, tuple[str, ...]], list[list[Any]]] = {}
        for c in self.changes:
            if c.op == "add":
                groups.setdefault((c.sheet, c.table, tuple(c.new)), []).append([c.row, c.id, *c.new.values()])
        return {"file": self.file, "skipped": self.skipped, "rejections": [asdict(r) for r in self.rejections],
                "counts": {k: asdict(v) for k, v in self.counts.items()},
                "adds": [[sheet, table, list(keys), rows] for (sheet, table, keys), rows in groups.items()],
                "changes": [[c.sheet, c.row, c.table, c.id, c.old, c.new] for c in self.changes if c.op == "change"]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Plan":
        """A plan from `to_json` (its changes without their shown cells, label and hint), in sheet order."""
        changes = [Change(sheet, row[0], table, row[1], "add", {}, dict(zip(keys, row[2:], strict=True)), [], "")
                   for sheet, table, keys, rows in data["adds"] for row in rows]
        changes += [Change(sheet, row, table, row_id, "change", old, new, [], "")
                    for sheet, row, table, row_id, old, new in data["changes"]]
        changes.sort(key=lambda c: (_sheet_order(c.sheet), c.row))
        return cls(file=data["file"], changes=changes, rejections=[Rejection(**r) for r in data["rejections"]],
                   counts={k: Counts(**v) for k, v in data["counts"].items()}, skipped=list(data["skipped"]))


@dataclass
class _Row:
    sheet: Sheet
    number: int
    values: dict[str, Value]
    table: str = ""
    id: str = ""
    op: str = ""
    given_id: bool = False
    hint: str = ""


class _Planner:
    def __init__(self, file: str, current: Current, tz: tzinfo) -> None:
        self.plan = Plan(file)
        self.now = current
        self.tz = tz
        self.claimed: dict[str, tuple[str, int]] = {}
        self.staged_names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.staged_ids: dict[str, str] = {}
        self.staged_label: dict[str, str] = {}
        self._keys: dict[str, dict[tuple[str, ...], list[str]]] = {}
        self._names_of: dict[str, dict[str, str]] = {}

    def reject(self, sheet: str, row: int, column: str, reason: str) -> None:
        """Note a rejection (the plan can then not be applied)."""
        self.plan.rejections.append(Rejection(sheet, row, column, reason))

    # --- sheets and headers ----------------------------------------------------------------------
    def sheets(self, raws: list[RawSheet]) -> list[tuple[Sheet, RawSheet]]:
        """The importable sheet each sheet of the file is (by name, else by headers); the rest rejected or,
        when written only by the export, passed over."""
        found: list[tuple[Sheet, RawSheet]] = []
        for raw in raws:
            if not any(not blank(c) for row in raw.rows for c in row):
                continue
            definition = sheet_named(raw.name)
            if definition is None and is_export_only(raw.name):
                self.plan.skipped.append(raw.name)
                continue
            if definition is None:
                definition = _by_headers(raw.rows[0] if raw.rows else [])
            if definition is None:
                names = ", ".join(s.name for s in SHEETS)
                self.reject(raw.name, 0, "", f"어떤 시트인지 알 수 없습니다: 시트 이름이나 머리글로 정합니다"
                                             f"{_hint(raw.name, [s.name for s in SHEETS])} (가져오는 시트: {names})")
                continue
            if any(d is definition for d, _ in found):
                self.reject(raw.name, 0, "", f"'{definition.name}' 시트가 두 번 있습니다: 하나로 합쳐 주세요")
                continue
            found.append((definition, raw))
        if not found and not self.plan.rejections:
            self.reject("", 0, "", "가져올 행이 없습니다 (시트가 비어 있습니다)")
        return found

    def headers(self, sheet: Sheet, raw: RawSheet) -> list[Column | None] | None:
        """The column of each cell of the header row; None when a header is unknown, doubled or missing."""
        header = raw.rows[0]
        known = {normal(c.header): c for c in sheet.columns}
        at: list[Column | None] = []
        ok = True
        for i, cell in enumerate(header):
            if blank(cell):
                if any(len(r) > i and not blank(r[i]) for r in raw.rows[1:]):
                    self.reject(sheet.name, 1, f"{i + 1}번째 열", "머리글이 없는 열에 값이 있습니다")
                    ok = False
                at.append(None)
                continue
            column = known.get(normal(as_text(cell)))
            if column is None:
                text = as_text(cell)
                headers = [c.header for c in sheet.columns]
                self.reject(sheet.name, 1, text, f"알 수 없는 열입니다{_hint(text, headers)} "
                                                 f"('{sheet.name}' 시트의 열: {', '.join(headers)})")
                ok = False
            elif column in at:
                self.reject(sheet.name, 1, column.header, "같은 머리글이 두 번 있습니다")
                ok = False
            at.append(column)
        for column in sheet.required:
            if column not in at:
                self.reject(sheet.name, 1, column.header, f"필수 열 '{column.header}'이(가) 없습니다")
                ok = False
        return at if ok else None

    # --- rows --------------------------------------------------------------------------------------
    def rows(self, sheet: Sheet, raw: RawSheet, at: list[Column | None]) -> list[_Row]:
        """Every row with a value, each cell read as its column's type; a row with a bad cell is rejected."""
        out = []
        present = [(i, c) for i, c in enumerate(at) if c is not None]
        width, tz = len(at), self.tz
        for index, cells in enumerate(raw.rows[1:], start=2):
            if all(c is None or c == "" or (type(c) is str and not c.strip()) for c in cells):
                continue
            if len(cells) < width:
                cells = [*cells, *[None] * (width - len(cells))]
            values: dict[str, Value] = {}
            bad = False
            for i, column in present:
                cell = cells[i]
                if cell is None or cell == "":
                    values[column.key] = None
                    continue
                try:
                    values[column.key] = parse(column, cell, tz)
                except CellError as exc:
                    self.reject(sheet.name, index, column.header, str(exc))
                    values[column.key] = None
                    bad = True
            for column in sheet.required:
                if values.get(column.key) is None and not bad:
                    self.reject(sheet.name, index, column.header, f"'{column.header}'이(가) 비어 있습니다 (필수)")
                    bad = True
            row_id = values.pop("id", None)
            if row_id is not None and not _ID.match(str(row_id)):
                self.reject(sheet.name, index, "ID", f"'{row_id}'은(는) ID로 쓸 수 없습니다 (영문·숫자·-_.: 64자 이내)")
                bad = True
            if bad:
                continue
            row = _Row(sheet, index, values, id=str(row_id or ""), given_id=row_id is not None)
            row.table = _TABLE_OF_WORD[str(values["table"])] if "table" in values else sheet.tables[0]
            out.append(row)
        return out

    def target(self, row: _Row) -> bool:
        """Decide which row a file row writes (an ID, an exact name, or a new row); False when rejected."""
        sheet = row.sheet
        if row.given_id:
            table = self.now.table_of.get(row.id) or self.staged_ids.get(row.id)
            if table is not None and table not in sheet.tables:
                return self._no(row, "ID", f"ID '{row.id}'은(는) 다른 시트의 행입니다")
            if table is not None and table != row.table:
                return self._no(row, "구분", f"'{row.id}'은(는) {TABLE_WORDS[table]}입니다: 구분은 바꿀 수 없습니다")
            row.op = "change" if row.id in self.now.table_of else "add"
        else:
            key = self._key(row.sheet, row.values)
            found = self._matching(sheet).get(key, []) if key else []
            if len(found) > 1:
                return self._no(row, sheet.columns[1].header, f"이름이 같은 행이 {len(found)}개 있습니다 "
                                f"(ID: {', '.join(found[:5])}): ID 열에 어느 것인지 적어 주세요")
            if found:
                row.id, row.op = found[0], "change"
                if self.now.table_of[row.id] != row.table:
                    return self._no(row, "구분", f"같은 이름의 {TABLE_WORDS[self.now.table_of[row.id]]}가 있습니다 "
                                                f"(ID {row.id}): 구분을 고치거나 ID를 적어 주세요")
            else:
                row.id, row.op = self._new_id(row.table), "add"
                row.hint = self._near(row)
        earlier = self.claimed.get(row.id)
        if earlier is not None:
            where = f"{earlier[1]}행" if earlier[0] == sheet.name else f"'{earlier[0]}' 시트 {earlier[1]}행"
            return self._no(row, "ID" if row.given_id else sheet.columns[1].header,
                            f"{where}과(와) 같은 행입니다 (ID {row.id}): 한 행만 남겨 주세요")
        self.claimed[row.id] = (sheet.name, row.number)
        if row.op == "add":
            self.staged_ids[row.id] = row.table
        name = row.values.get("title" if sheet.name == "회의" else "name")
        if name and row.table in ("organisations", "programs", "tasks", "meetings"):
            self.staged_names[row.table][normal(str(name))].add(row.id)
            self.staged_label[row.id] = str(name)
        return True

    def references(self, row: _Row) -> bool:
        """Resolve every reference cell to the id it names; False when one names nothing (or several)."""
        for column in row.sheet.columns:
            text = row.values.get(column.key)
            if column.type != REF or text is None:
                continue
            if column.targets == ("regions",):
                parts = []
                for part in str(text).split("|"):
                    region = self.now.regions.get(normal(part))
                    if region is None:
                        return self._no(row, column.header, f"'{part.strip()}'은(는) 알 수 없는 지역입니다"
                                        f"{_hint(part.strip(), self.now.region_names)} "
                                        f"(지역: {', '.join(self.now.region_names)})")
                    parts.append(region)
                row.values[column.key] = SEP.join(dict.fromkeys(parts))
                continue
            found = self._resolve(str(text), column.targets)
            if isinstance(found, str) and found.startswith("!"):
                return self._no(row, column.header, found[1:])
            if found == row.id and column.key == "parent":
                return self._no(row, column.header, "자기 자신을 상위로 둘 수 없습니다")
            row.values[column.key] = found
        return True

    def _resolve(self, text: str, targets: tuple[str, ...]) -> str:
        """The id a reference names: an ID, else one row's exact name, else one row's exact alias; '!reason'."""
        table = self.now.table_of.get(text) or self.staged_ids.get(text)
        if table in targets:
            return text
        key = normal(text)
        ids = {i for t in targets for i in self.now.names[t].get(key, [])}
        ids |= {i for t in targets for i in self.staged_names[t].get(key, set())}
        if not ids:
            ids = {i for t in targets for i in self.now.aliases[t].get(key, [])}
        what = "·".join(TARGET_NAMES[t] for t in targets)
        if len(ids) > 1:
            listed = ", ".join(sorted(ids)[:5])
            return f"!'{text}'(이)라는 {what}이(가) {len(ids)}개 있습니다 (ID: {listed}): ID로 적어 주세요"
        if ids:
            return ids.pop()
        names = [self.now.label[i] for t in targets for ids_ in self.now.names[t].values() for i in ids_]
        return f"!'{text}'은(는) {what} 시트에도 데이터에도 없습니다{_hint(text, names)}"

    def diff(self, row: _Row) -> None:
        """Add the row to the plan as new, as changed (only the cells that differ) or count it unchanged."""
        counts = self.plan.counts[row.sheet.name]
        values = {k: v for k, v in row.values.items() if k != "table"}
        for column in row.sheet.only:
            if column.only != row.table and values.pop(column.key, None) is not None:
                self._no(row, column.header, f"'{column.header}'은(는) {TABLE_WORDS[str(column.only)]}에만 적습니다")
                return
        for key, value in values.items():
            if value is None and (row.table, key) in DEFAULTS:
                values[key] = DEFAULTS[(row.table, key)]
        if row.op == "add":   # shown by its name and new ID: its cells are the file's own
            self.plan.changes.append(Change(row.sheet.name, row.number, row.table, row.id, "add", {}, values, [],
                                            self._label(row.sheet, row.id, values), row.hint))
            counts.added += 1
            return
        before = self.now.rows[row.sheet.name][row.id]
        changed = [k for k, v in values.items() if before.get(k) != v]
        if not changed:
            counts.unchanged += 1
            return
        headers = row.sheet.headers
        cells = [(headers[k], self._shown(row.sheet, k, before.get(k)), self._shown(row.sheet, k, values[k]))
                 for k in changed]
        self.plan.changes.append(Change(row.sheet.name, row.number, row.table, row.id, "change",
                                        {k: before.get(k) for k in changed}, {k: values[k] for k in changed}, cells,
                                        self._label(row.sheet, row.id, {**before, **values})))
        counts.changed += 1

    # --- helpers -----------------------------------------------------------------------------------
    def _no(self, row: _Row, column: str, reason: str) -> bool:
        self.reject(row.sheet.name, row.number, column, reason)
        return False

    def _key(self, sheet: Sheet, values: dict[str, Value]) -> tuple[str, ...] | None:
        """The normalised values that name a row without an ID (None: the row gives none of them)."""
        if not all(k in values for k in sheet.match):
            return None
        key = tuple(normal(str(values[k])) if values[k] is not None else "" for k in sheet.match)
        return key if any(key) else None

    def _matching(self, sheet: Sheet) -> dict[tuple[str, ...], list[str]]:
        if sheet.name not in self._keys:
            index: dict[tuple[str, ...], list[str]] = defaultdict(list)
            for row_id, values in self.now.rows[sheet.name].items():
                key = self._key(sheet, values)
                if key:
                    index[key].append(row_id)
            self._keys[sheet.name] = index
        return self._keys[sheet.name]

    def _new_id(self, table: str) -> str:
        while True:
            row_id = f"imp-{ID_PREFIX[table]}-{secrets.token_hex(4)}"
            if row_id not in self.now.table_of and row_id not in self.staged_ids:
                return row_id

    def _near(self, row: _Row) -> str:
        """'혹시 …?' for a new row whose name is close to an existing row's (it is still added as new)."""
        if row.sheet is BUDGETS:
            return ""
        key = row.sheet.match[0]
        name = row.values.get(key)
        if not name:
            return ""
        if row.sheet.name not in self._names_of:
            self._names_of[row.sheet.name] = {i: normal(str(v[key])) for i, v in self.now.rows[row.sheet.name].items()
                                              if v.get(key)}
        found = process.extractOne(normal(str(name)), self._names_of[row.sheet.name], scorer=fuzz.ratio,
                                   score_cutoff=HINT_SCORE)
        if found is None:
            return ""
        return f"혹시 '{self.now.label.get(found[2], found[2])}'(ID {found[2]})?"

    def _shown(self, sheet: Sheet, key: str, value: Value) -> str:
        if value is None:
            return ""
        if key in sheet.references:
            return self._display(str(value))
        return shown(value)

    def _display(self, row_id: str) -> str:
        if row_id in self.now.table_of:
            return self.now.display(row_id)
        return self.staged_label.get(row_id, row_id)

    def _label(self, sheet: Sheet, row_id: str, values: dict[str, Value]) -> str:
        if sheet is BUDGETS:
            keys = ("year", "period", "funding", "category", "scope", "label")
            what = [str(values[k]) for k in keys if values.get(k)]
            return f"{self._display(str(values.get('program') or ''))} {' '.join(what)}".strip()
        name = values.get(sheet.match[0])
        if sheet.name == "담당자·연락처" and not name:
            return f"{values.get('department') or ''} (대표번호)".strip()
        return str(name or row_id)


def _by_headers(header: list[Raw]) -> Sheet | None:
    """The one sheet whose columns include every header given and every required one (a CSV, 'Sheet1')."""
    given = {normal(as_text(h)) for h in header if not blank(h)}
    fits = [s for s in SHEETS if given <= {normal(c.header) for c in s.columns}
            and {normal(c.header) for c in s.required} <= given]
    return fits[0] if len(fits) == 1 else None


def _hint(text: str, choices: list[str]) -> str:
    """' (혹시 '…'?)' for the closest of `choices`, when one is close."""
    found = process.extractOne(normal(text), {c: normal(c) for c in choices}, scorer=fuzz.ratio,
                               score_cutoff=HINT_SCORE - 20)
    return f" (혹시 '{found[2]}'?)" if found else ""


def plan_import(file: str, raws: list[RawSheet], current: Current, tz: tzinfo) -> Plan:
    """Validate every sheet of a file against the column definitions and the database, and decide what it
    would write. Nothing is written."""
    planner = _Planner(file, current, tz)
    parsed: list[_Row] = []
    for sheet, raw in planner.sheets(raws):
        planner.plan.counts[sheet.name] = Counts()
        at = planner.headers(sheet, raw)
        if at is not None:
            parsed.extend(planner.rows(sheet, raw, at))
    # rows named by their own cells first, so that a budget's program may be a row added in the same file
    first = [r for r in parsed if r.sheet is not BUDGETS and planner.target(r)]
    resolved = [r for r in first if planner.references(r)]
    budgets = [r for r in parsed if r.sheet is BUDGETS and planner.references(r) and planner.target(r)]
    for row in sorted(resolved + budgets, key=lambda r: (SHEETS.index(r.sheet), r.number)):
        planner.diff(row)
    plan = planner.plan
    plan.rejections.sort(key=lambda r: (_sheet_order(r.sheet), r.row))
    for sheet_name, _ in {(r.sheet, r.row) for r in plan.rejections if r.row > 1}:
        if sheet_name in plan.counts:
            plan.counts[sheet_name].rejected += 1
    return plan


def _sheet_order(name: str) -> int:
    return next((i for i, s in enumerate(SHEETS) if s.name == name), -1)
