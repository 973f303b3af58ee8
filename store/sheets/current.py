"""What the database holds, in the sheets' layout: the rows the importer compares with and the exporter writes,
and the names by which a cell may refer to a row of another sheet."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlite_utils import Database

from store.sheets.cells import Value
from store.sheets.columns import OUTSIDE, SEP, SHEETS, TABLE_WORDS, Sheet, normal
from store.tx import query

REFERABLE = ("organisations", "programs", "tasks", "meetings")
_NAME_COLUMN = {"organisations": "name", "programs": "name", "tasks": "name", "meetings": "title",
                "contacts": "person", "budgets": "label"}
_ALIAS_KIND = {"organisation": "organisations", "program": "programs", "task": "tasks"}


@dataclass
class Current:
    """The database in the sheets' layout.

    `rows[sheet][id]` maps each column key of the sheet to the stored value (a reference as the id it names,
    phones and aliases as ` | `-joined text); `table_of` says which table holds an id; `names` and `aliases`
    map a normalised name to the ids of each referable table that carry it; `regions` maps every way of
    writing a 시·도 to its short name.
    """

    rows: dict[str, dict[str, dict[str, Value]]] = field(default_factory=dict)
    table_of: dict[str, str] = field(default_factory=dict)
    names: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    aliases: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    regions: dict[str, str] = field(default_factory=dict)
    region_names: list[str] = field(default_factory=list)
    label: dict[str, str] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)   # display() of each id asked for

    def display(self, row_id: str | None) -> str:
        """How a reference is written in a sheet: the row's name when that name finds only it, else its ID."""
        if not row_id:
            return ""
        found = self.shown.get(row_id)
        if found is None:
            found = self.shown[row_id] = self._display(row_id)
        return found

    def _display(self, row_id: str) -> str:
        name = self.label.get(row_id)
        table = self.table_of.get(row_id)
        if not name or table is None:
            return row_id
        same = [i for t in _targets_of(table) for i in self.names[t].get(normal(name), [])]
        return name if same == [row_id] and (name not in self.table_of or name == row_id) else row_id


def _targets_of(table: str) -> tuple[str, ...]:
    """The tables a reference to a row of `table` is looked up in (a program's parent may be a task)."""
    return ("programs", "tasks") if table in ("programs", "tasks") else (table,)


def snapshot(db: Database) -> Current:
    """The database as the sheets see it (one read of each table)."""
    now = Current()
    phones: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in query(db, "SELECT owner_kind, owner_id, display FROM phones ORDER BY id"):
        phones[(str(r["owner_kind"]), str(r["owner_id"]))].append(str(r["display"]))
    aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in query(db, "SELECT entity_kind, entity_id, alias FROM aliases ORDER BY alias"):
        aliases[(str(r["entity_kind"]), str(r["entity_id"]))].append(str(r["alias"]))
        table = _ALIAS_KIND.get(str(r["entity_kind"]))
        if table:
            now.aliases[table][normal(str(r["alias"]))].append(str(r["entity_id"]))
    for r in query(db, "SELECT name, full_name FROM regions ORDER BY rowid"):
        now.region_names.append(str(r["name"]))
        now.regions[normal(str(r["name"]))] = now.regions[normal(str(r["full_name"]))] = str(r["name"])
    for r in query(db, "SELECT entity_id, alias FROM aliases WHERE entity_kind = 'region'"):
        now.regions.setdefault(normal(str(r["alias"])), str(r["entity_id"]))
    dues = {str(r["task"]): str(r["due"]) for r in query(db, "SELECT task, due FROM task_deadlines")}
    for sheet in SHEETS:
        now.rows[sheet.name] = {}
        for table in sheet.tables:
            owner = sheet.owner.get(table)
            for row in query(db, f"SELECT * FROM {table} ORDER BY rowid"):
                row_id = str(row["id"])
                shaped = _shaped(sheet, table, row)
                if owner is not None:
                    if any(c.key == "phones" for c in sheet.columns):
                        shaped["phones"] = SEP.join(phones.get((owner, row_id), [])) or None
                    if any(c.key == "aliases" for c in sheet.columns):
                        shaped["aliases"] = SEP.join(aliases.get((owner, row_id), [])) or None
                if table == "tasks" and any(c.key == "due" for c in sheet.columns):
                    shaped["due"] = dues.get(row_id)
                now.rows[sheet.name][row_id] = shaped
                now.table_of[row_id] = table
                name = row.get(_NAME_COLUMN[table])
                if name:
                    now.label[row_id] = str(name)
                    if table in REFERABLE:
                        now.names[table][normal(str(name))].append(row_id)
    return now


def _shaped(sheet: Sheet, table: str, row: dict[str, object]) -> dict[str, Value]:
    """A table row as the sheet's column keys (a column of another table of the sheet empty)."""
    shaped: dict[str, Value] = {}
    for column in sheet.columns:
        if column.key == "table":
            shaped["table"] = TABLE_WORDS[table]
        elif column.key not in OUTSIDE:
            value = row.get(column.key) if column.only in (None, table) else None
            shaped[column.key] = value if value is None or isinstance(value, int) else str(value)
    return shaped
