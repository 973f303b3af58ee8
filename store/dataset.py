"""Load the built-in dataset (CSV files extracted from the source documents) into a database."""

import csv
from collections.abc import Iterator
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


def load_dataset(db: Database, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Insert every row of the dataset into an empty, migrated database; return rows per table."""
    counts: dict[str, int] = {}
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table, _ in _ENTITY_FILES.values()}
    aliases: list[dict[str, str]] = []
    phones: list[dict[str, str | None]] = []
    sources = list(_read(data_dir / "sources.csv"))
    source_ids = {s["id"] for s in sources}
    regions = list(_read(data_dir / "regions.csv"))
    for region in regions:
        for alias in {region["full_name"], *split_multi(region["aliases"])} - {region["name"]}:
            aliases.append({"entity_kind": "region", "entity_id": region["name"], "alias": alias})

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
                kind = _ALIAS_KIND.get(table)
                if kind:
                    for alias in set(split_multi(row.get("aliases"))) - {row["name"]}:
                        aliases.append({"entity_kind": kind, "entity_id": row["key"], "alias": alias})
                if table in ("organisations", "contacts"):
                    owner = "organisation" if table == "organisations" else "contact"
                    for phone in split_multi(row.get("phones")):
                        number, last = parse_phone(phone)
                        phones.append({"owner_kind": owner, "owner_id": row["key"], "number": number,
                                       "last": last, "display": phone})
    _check_unique_keys(rows)
    _check_references(rows)
    with db.atomic():
        db.table("sources").insert_all(sources)
        db.table("regions").insert_all({k: r[k] for k in ("name", "full_name", "kind")} for r in regions)
        for table, table_rows in rows.items():
            if table_rows:
                db.table(table).insert_all(table_rows)
            counts[table] = len(table_rows)
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
_REFERENCES: dict[str, dict[str, tuple[str, ...]]] = {
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
            for column, targets in _REFERENCES.get(table, {}).items():
                value = row.get(column)
                if value and not any(value in keys[t] for t in targets):
                    raise DatasetError(f"{table} {row['id']}: {column}={value!r} names no {'/'.join(targets)}")
