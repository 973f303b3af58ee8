"""Load the built-in dataset (CSV files extracted from the source documents) into a database."""

import csv
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from store.errors import DatasetError

DATA_DIR = Path(__file__).parent / "data"
SEP = "|"

# file name -> (table, columns copied as they are)
_ENTITY_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organisations.csv": ("organisations", ("name", "kind", "region", "address", "parent", "note")),
    "programs.csv": ("programs", ("name", "kind", "parent", "lead", "ministry", "region", "period",
                                  "area", "summary")),
    "tasks.csv": ("tasks", ("name", "kind", "parent", "lead", "ministry", "region", "innovation_city",
                            "period", "area", "summary")),
    "contacts.csv": ("contacts", ("person", "title", "role", "organisation", "department", "note",
                                  "as_of")),
    "fields.csv": ("fields", ("program", "phase", "area", "field", "description")),
    "budgets.csv": ("budgets", ("program", "year", "phase", "period", "category", "funding", "scope",
                                "amount", "unit", "is_total", "label", "note")),
    "results.csv": ("results", ("program", "period", "metric", "value", "unit", "note")),
    "facts.csv": ("facts", ("subject", "attribute", "value")),
    "meetings.csv": ("meetings", ("title", "kind", "start", "end", "place", "mode", "chairs", "attendees",
                                  "program", "note")),
    "agenda.csv": ("agenda_items", ("meeting", "start", "end", "item", "by", "note")),
}
_INTEGER_COLUMNS = {"year", "phase", "amount", "is_total"}
_ALIAS_KIND = {"organisations": "organisation", "programs": "program", "tasks": "task"}


def split_multi(cell: str | None) -> list[str]:
    """Split a ` | `-separated cell into its non-empty, stripped parts."""
    return [part.strip() for part in (cell or "").split(SEP) if part.strip()]


def parse_phone(text: str) -> tuple[str, str | None]:
    """Split `061-339-9722~9725` into its first number and the last digits of its range."""
    first, _, last = text.partition("~")
    return first.strip(), (last.strip() or None)


def _read(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        for line_no, row in enumerate(csv.DictReader(f), start=2):
            if None in row:
                raise DatasetError(f"{path}: line {line_no} has more cells than the header")
            yield {k: (v or "").strip() for k, v in row.items()}


def _cell(column: str, value: str, where: str) -> Any:
    if value == "":
        return None
    if column in _INTEGER_COLUMNS:
        try:
            return int(value.replace(",", ""))
        except ValueError as exc:
            raise DatasetError(f"{where}: {column}={value!r} is not an integer") from exc
    return value


# The tables the dataset fills, in the order they are written (a row's references are written before it), the
# column that keys each, and the columns the dataset gives.
DATASET_TABLES = ("sources", "regions", *(table for table, _ in _ENTITY_FILES.values()))
KEY_COLUMN = {"regions": "name"}
_SOURCE_COLUMNS = ("id", "file", "title", "issuer", "date", "date_note")
_REGION_COLUMNS = ("name", "full_name", "kind")
PHONE_OWNER = {"organisations": "organisation", "contacts": "contact"}
ALIAS_OWNER = {**_ALIAS_KIND, "regions": "region"}


def columns_of(table: str) -> tuple[str, ...]:
    """The columns of a dataset table the dataset gives (its key first)."""
    if table == "sources":
        return _SOURCE_COLUMNS
    if table == "regions":
        return _REGION_COLUMNS
    return ("id", "source", *next(cols for t, cols in _ENTITY_FILES.values() if t == table))


@dataclass(frozen=True)
class Entry:
    """One dataset row as it is written: its cells, and the aliases and phones that belong to it."""

    row: dict[str, Any]
    aliases: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    def digest(self) -> str:
        """A fingerprint of everything this entry writes (cells in column order, aliases, phones)."""
        return fingerprint(list(self.row.values()), self.aliases, self.phones)


def fingerprint(cells: list[Any], aliases: Sequence[str], phones: Sequence[str]) -> str:
    """The fingerprint of a row's cells with its aliases and phones; a row read back from the database has the
    fingerprint of the entry that wrote it."""
    text = json.dumps([[None if c is None else str(c) for c in cells], sorted(aliases), list(phones)],
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Dataset:
    """The built-in dataset read and checked: its version and, per table, its entries by key in file order."""

    version: str
    tables: dict[str, dict[str, Entry]]


def dataset_version(data_dir: Path = DATA_DIR) -> str:
    """The version of a dataset: a hash of its CSV files (names and bytes), so that no change goes unnoticed."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.rglob("*.csv")):
        digest.update(path.relative_to(data_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def read_dataset(data_dir: Path = DATA_DIR) -> Dataset:
    """Read and check every file of the dataset (DatasetError names what is wrong)."""
    version = dataset_version(data_dir)
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table, _ in _ENTITY_FILES.values()}
    aliases: dict[tuple[str, str], tuple[str, ...]] = {}
    phones: dict[tuple[str, str], tuple[str, ...]] = {}
    sources = [{c: s.get(c, "") for c in _SOURCE_COLUMNS} for s in _read(data_dir / "sources.csv")]
    source_ids = {s["id"] for s in sources}
    regions = list(_read(data_dir / "regions.csv"))
    for region in regions:
        names = {region["full_name"], *split_multi(region["aliases"])} - {region["name"]}
        aliases[("regions", region["name"])] = tuple(sorted(names))

    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        for file_name, (table, columns) in _ENTITY_FILES.items():
            path = folder / file_name
            if not path.exists():
                continue
            for row in _read(path):
                where = f"{path.name}:{row.get('key')}"
                source = row.get("source") or folder.name
                if source not in source_ids:
                    raise DatasetError(f"{folder.name}/{where}: unknown source {source!r}")
                record = {"id": row["key"], "source": source}
                record.update({c: _cell(c, row.get(c, ""), where) for c in columns})
                if table == "budgets" and not record["unit"]:
                    record["unit"] = "억원"
                rows[table].append(record)
                if table in _ALIAS_KIND:
                    aliases[(table, row["key"])] = tuple(sorted(set(split_multi(row.get("aliases"))) - {row["name"]}))
                if table in PHONE_OWNER:
                    phones[(table, row["key"])] = tuple(split_multi(row.get("phones")))
    _check_unique_keys(rows)
    _check_references(rows)
    tables: dict[str, dict[str, Entry]] = {
        "sources": {s["id"]: Entry(s) for s in sources},
        "regions": {r["name"]: Entry({c: r[c] for c in _REGION_COLUMNS}, aliases[("regions", r["name"])])
                    for r in regions},
    }
    for table, table_rows in rows.items():
        tables[table] = {r["id"]: Entry(r, aliases.get((table, r["id"]), ()), phones.get((table, r["id"]), ()))
                         for r in table_rows}
    return Dataset(version, tables)


def owned_rows(table: str, key: str, entry: Entry) -> tuple[list[dict[str, str]], list[dict[str, str | None]]]:
    """The alias rows and phone rows an entry writes along with its own row."""
    kind = ALIAS_OWNER.get(table)
    aliases = [{"entity_kind": kind, "entity_id": key, "alias": a} for a in entry.aliases] if kind else []
    owner = PHONE_OWNER.get(table)
    phones: list[dict[str, str | None]] = []
    for phone in entry.phones if owner else ():
        number, last = parse_phone(phone)
        phones.append({"owner_kind": owner, "owner_id": key, "number": number, "last": last, "display": phone})
    return aliases, phones


def load_dataset(db: Database, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Insert every row of the dataset into an empty, migrated database; return rows per table."""
    return insert_dataset(db, read_dataset(data_dir))


def insert_dataset(db: Database, dataset: Dataset) -> dict[str, int]:
    """Insert every row of a dataset already read into an empty, migrated database; return rows per table."""
    counts: dict[str, int] = {}
    aliases: list[dict[str, str]] = []
    phones: list[dict[str, str | None]] = []
    with db.atomic():
        for table in DATASET_TABLES:
            entries = dataset.tables[table]
            if entries:
                db.table(table).insert_all(e.row for e in entries.values())
            counts[table] = len(entries)
            for key, entry in entries.items():
                owned_aliases, owned_phones = owned_rows(table, key, entry)
                aliases.extend(owned_aliases)
                phones.extend(owned_phones)
        db.table("aliases").insert_all(aliases, ignore=True)
        db.table("phones").insert_all(phones)
    counts["aliases"] = len(aliases)
    counts["phones"] = len(phones)
    return counts


def _check_unique_keys(rows: dict[str, list[dict[str, Any]]]) -> None:
    seen: dict[str, str] = {}
    for table, table_rows in rows.items():
        for row in table_rows:
            key = row["id"]
            if not key:
                raise DatasetError(f"{table}: a row has no key")
            if key in seen:
                raise DatasetError(f"key {key!r} is used in both {seen[key]} and {table}")
            seen[key] = table


# column -> tables its value must be a key of
REFERENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "organisations": {"parent": ("organisations",)},
    "programs": {"parent": ("programs", "tasks"), "lead": ("organisations",), "ministry": ("organisations",)},
    "tasks": {"parent": ("tasks", "programs"), "lead": ("organisations",), "ministry": ("organisations",)},
    "contacts": {"organisation": ("organisations",)},
    "fields": {"program": ("programs",)},
    "budgets": {"program": ("programs", "tasks")},
    "results": {"program": ("programs", "tasks")},
    "facts": {"subject": ("programs", "tasks", "meetings", "organisations")},
    "meetings": {"program": ("programs", "tasks")},
    "agenda_items": {"meeting": ("meetings",)},
}
_REQUIRED = {"budgets": ("program", "unit"), "fields": ("program", "phase"), "results": ("program", "metric"),
             "facts": ("subject", "attribute", "value"), "agenda_items": ("meeting", "item"),
             "organisations": ("name", "kind"), "programs": ("name", "kind"), "tasks": ("name", "kind"),
             "meetings": ("title", "kind")}


def _check_references(rows: dict[str, list[dict[str, Any]]]) -> None:
    keys = {table: {r["id"] for r in table_rows} for table, table_rows in rows.items()}
    for table, table_rows in rows.items():
        for row in table_rows:
            for column in _REQUIRED.get(table, ()):
                if row.get(column) in (None, ""):
                    raise DatasetError(f"{table} {row['id']}: {column} is required")
            for column, targets in REFERENCES.get(table, {}).items():
                value = row.get(column)
                if value and not any(value in keys[t] for t in targets):
                    raise DatasetError(f"{table} {row['id']}: {column}={value!r} names no {'/'.join(targets)}")
