"""The store: the only place SQL lives. Opens, migrates, loads and queries the TF database."""

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from store.choices import ChoiceRecords
from store.corrections import CorrectionRecords
from store.dataset import DATA_DIR, dataset_version, insert_dataset, read_dataset
from store.deadline_reminders import DeadlineReminderRecords
from store.documents import DocumentRecords
from store.followup import FollowUpRecords
from store.freshness import Freshness
from store.invites import InviteRecords
from store.links import LinkRecords
from store.meetings import MeetingWrites
from store.misses import MissQueries
from store.opening import cannot_open, check_path, inspect, is_read_only_file, refuse_to_migrate
from store.origins import OriginRecords
from store.people import PeopleQueries
from store.progress import ProgressWrites
from store.reminders import ReminderRecords
from store.schema import migrate
from store.series import SeriesRecords
from store.tx import query
from store.upgrade import Upgrade, held_version, log_upgrade, record_dataset, upgrade_dataset

log = logging.getLogger(__name__)

Row = dict[str, Any]
BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Name:
    """One name (official name or alias) under which an entity can be found."""

    kind: str
    id: str
    name: str
    text: str


def connect(path: str | Path, read_only: bool = False, wal: bool = True) -> Database:
    """Open a SQLite file with WAL, a busy timeout and foreign keys, ready for several writers; `read_only`
    opens it so that SQLite refuses every write."""
    if read_only:
        conn = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                               isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db = Database(conn)
    if wal and not read_only and str(path) != ":memory:":
        db.enable_wal()
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return db


class Store(Freshness, PeopleQueries, ProgressWrites, MeetingWrites, ReminderRecords, MissQueries, ChoiceRecords,
            OriginRecords, CorrectionRecords, DocumentRecords, LinkRecords, InviteRecords, FollowUpRecords,
            DeadlineReminderRecords, SeriesRecords):
    """Domain-level queries over one TF database."""

    def __init__(self, db: Database, read_only: bool = False, data_dir: Path = DATA_DIR) -> None:
        self.db = db
        self.read_only = read_only   # answers work; every write raises ReadOnly
        self.data_dir = data_dir     # the built-in dataset this database is kept up to date with
        Freshness.__init__(self)

    @classmethod
    def open(cls, path: str | Path, data_dir: Path = DATA_DIR) -> "Store":
        """Open (creating, migrating and loading on first use) the database at `path`.

        A file that cannot be a tfbot database is refused before anything is written to it: CannotOpen,
        NotADatabase, NotTfbotDatabase, NewerDatabase; a read-only one opens for reading, or raises ReadOnly
        when it would need migrating. A database holding an older built-in dataset gets the new dataset's
        changes in the same transaction as the migrations (store/upgrade.py), never over a person's rows.
        """
        memory = str(path) == ":memory:"
        file = Path(path)
        if not memory:
            check_path(file)
        read_only = not memory and is_read_only_file(file)
        try:
            db = connect(path, read_only, wal=False)
        except sqlite3.Error as exc:
            raise cannot_open(file, exc) from exc
        try:
            fresh = inspect(db, file)   # reads only: another application's file is left as it was
            if read_only:
                refuse_to_migrate(db, file, fresh)
            if not read_only and not memory:
                db.enable_wal()
            db.execute("BEGIN IMMEDIATE")
            upgraded: Upgrade | None = None
            try:
                fresh = inspect(db, file)   # again under the write lock: another process may have just made it
                applied = migrate(db)
                if fresh:
                    dataset = read_dataset(data_dir)
                    insert_dataset(db, dataset)
                    record_dataset(db, dataset)
                elif not read_only:
                    upgraded = upgrade_dataset(db, data_dir)
            except BaseException:
                db.rollback()
                raise
            db.commit()
            for name in [] if fresh else applied:   # a new file's migrations are its creation, not news
                log.info("database %s: migration %s applied", file, name)
            if upgraded is not None:
                log_upgrade(file, upgraded)
            if read_only and held_version(db) != dataset_version(data_dir):
                log.warning("database %s is read-only: the built-in dataset's update is not applied", file)
        except sqlite3.Error as exc:
            db.close()
            raise cannot_open(file, exc) from exc
        except BaseException:
            db.close()
            raise
        return cls(db, read_only, data_dir)

    def close(self) -> None:
        """Close the underlying connection."""
        self.db.close()

    def reopen(self) -> "Store":
        """Another connection to the same database file, for work on another thread."""
        path = self.db.execute("PRAGMA database_list").fetchone()[2]
        if not path:
            raise ValueError("an in-memory database has no second connection")
        return Store.open(path, self.data_dir)

    def forget(self) -> None:
        """Drop the reference rows remembered, after this Store wrote to a reference table (a correction)."""
        self._remembered.clear()

    def forget_reference_rows(self) -> None:
        """Drop the reference rows this Store remembers, after it wrote reference tables itself (an import)."""
        self._remembered.clear()

    def path(self) -> Path | None:
        """The database file, or None for an in-memory database."""
        found = self.db.execute("PRAGMA database_list").fetchone()[2]
        return Path(found) if found else None

    def data_version(self) -> int:
        """A number that changes whenever another connection (this process or another) commits a write."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    # --- generic helpers -------------------------------------------------------------------
    def rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[Row]:
        """Run a read query and return its rows as dicts."""
        return query(self.db, sql, params)

    def one(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Row | None:
        """Run a read query and return its first row, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def _first(self, sql: str, params: list[Any]) -> Row | None:
        found = self.reference(sql, params)
        return found[0] if found else None

    def count(self, table: str) -> int:
        """Number of rows in a table."""
        return int(self.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])

    # --- names for matching ------------------------------------------------------------------
    def names(self) -> list[Name]:
        """Every name and alias of every entity the bot can be asked about."""
        sql = """
            SELECT 'organisation' AS kind, id, name, name AS text FROM organisations
            UNION ALL SELECT 'program', id, name, name FROM programs
            UNION ALL SELECT 'task', id, name, name FROM tasks
            UNION ALL SELECT 'contact', id, person, person FROM contacts WHERE person IS NOT NULL
            UNION ALL SELECT 'meeting', id, title, title FROM meetings
            UNION ALL SELECT 'region', name, name, name FROM regions
            UNION ALL SELECT a.entity_kind, a.entity_id,
                coalesce(o.name, p.name, t.name, r.name, a.entity_id), a.alias
            FROM aliases a
            LEFT JOIN organisations o ON a.entity_kind = 'organisation' AND o.id = a.entity_id
            LEFT JOIN programs p ON a.entity_kind = 'program' AND p.id = a.entity_id
            LEFT JOIN tasks t ON a.entity_kind = 'task' AND t.id = a.entity_id
            LEFT JOIN regions r ON a.entity_kind = 'region' AND r.name = a.entity_id
        """
        names = [Name(r[0], str(r[1]), r[2], r[3]) for r in self.db.execute(sql).fetchall()]
        names.extend(Name("department", d, d, d) for d in self.departments())
        regions = {r["name"] for r in self.rows("SELECT name FROM regions")}
        for (city,) in self.db.execute("SELECT DISTINCT innovation_city FROM tasks WHERE innovation_city IS NOT NULL"):
            if city in regions:
                continue   # a city named like its 시·도 (부산, 대구, 울산) is found as the region
            names.append(Name("city", city, city, city))
            for part in city.replace("·", " ").replace("‧", " ").split():
                if part not in regions:
                    names.append(Name("city", city, city, part))
        return names

    def departments(self) -> list[str]:
        """Every department named in a contact row (split where one row names several)."""
        found: set[str] = set()
        for (cell,) in self.db.execute("SELECT DISTINCT department FROM contacts WHERE department IS NOT NULL"):
            found.update(p.strip() for p in cell.split("|") if p.strip())
        return sorted(found)

    def sources_naming(self, subject: str, name: str) -> set[str]:
        """The documents whose rows about a subject call it by `name` (spaces ignored): a program asked by
        its 2023 name is asked about what the 2023 document says."""
        like = "%" + "".join(name.split()) + "%"
        sql = """
            SELECT source FROM budgets WHERE program = ? AND replace(coalesce(label, '') || coalesce(note, ''),
                ' ', '') LIKE ?
            UNION SELECT source FROM facts WHERE subject = ? AND replace(attribute || value, ' ', '') LIKE ?
            UNION SELECT source FROM results WHERE program = ? AND replace(metric || coalesce(note, ''), ' ', '') LIKE ?
        """
        return {str(r["source"]) for r in self.reference(sql, [subject, like] * 3) if r["source"]}

    def contact_words(self, org_id: str) -> set[str]:
        """Every department, title and role the contact rows of an organisation name."""
        found: set[str] = set()
        for row in self.reference("SELECT department, title, role FROM contacts WHERE organisation = ?", [org_id]):
            for cell in row.values():
                found.update(p.strip() for p in str(cell or "").split("|") if p.strip())
        return found

    # --- entities ----------------------------------------------------------------------------
    def source(self, source_id: str) -> Row | None:
        """A source document by id."""
        return self._first("SELECT * FROM sources WHERE id = ?", [source_id])

    def organisation(self, org_id: str) -> Row | None:
        """An organisation by id."""
        return self._first("SELECT * FROM organisations WHERE id = ?", [org_id])

    def program(self, program_id: str) -> Row | None:
        """A program by id."""
        return self._first("SELECT * FROM programs WHERE id = ?", [program_id])

    def task(self, task_id: str) -> Row | None:
        """A task (협업과제, 대표프로젝트, 우수과제) by id."""
        return self._first("SELECT * FROM tasks WHERE id = ?", [task_id])

    def contact(self, contact_id: str) -> Row | None:
        """A contact by id."""
        return self._first("SELECT * FROM contacts WHERE id = ?", [contact_id])

    def meeting(self, meeting_id: str) -> Row | None:
        """A meeting or dated event by id."""
        return self.one("SELECT m.*, s.rrule, s.tzid FROM meetings m LEFT JOIN meeting_series s ON s.meeting = m.id "
                        "WHERE m.id = ?", [meeting_id])

    def region(self, name: str) -> Row | None:
        """A 시·도 by short name."""
        return self._first("SELECT * FROM regions WHERE name = ?", [name])

    def tasks_in_city(self, city: str) -> list[Row]:
        """Tasks of one innovation city (e.g. `충북 진천·음성`)."""
        return self.reference("SELECT * FROM tasks WHERE innovation_city = ? ORDER BY rowid", [city])

    def aliases(self, kind: str, entity_id: str) -> list[str]:
        """The aliases of an entity."""
        return [r["alias"] for r in self.reference(
            "SELECT alias FROM aliases WHERE entity_kind = ? AND entity_id = ? ORDER BY alias",
            [kind, entity_id])]

    def phones(self, owner_kind: str, owner_id: str) -> list[str]:
        """Phone numbers (ranges kept as ranges) of an organisation or contact, in order."""
        return [r["display"] for r in self.reference(
            "SELECT display FROM phones WHERE owner_kind = ? AND owner_id = ? ORDER BY id",
            [owner_kind, owner_id])]

    # --- relations ---------------------------------------------------------------------------
    def contacts_of_organisation(self, org_id: str) -> list[Row]:
        """Contacts that belong to an organisation (or to one of its child organisations)."""
        return self.reference(
            "SELECT * FROM contacts WHERE organisation = ? OR organisation IN "
            "(SELECT id FROM organisations WHERE parent = ?) ORDER BY source, rowid", [org_id, org_id])

    def people(self) -> list[str]:
        """Every person's name the contacts hold, once each."""
        return [str(r["person"]) for r in self.reference(
            "SELECT DISTINCT person FROM contacts WHERE person IS NOT NULL ORDER BY person", [])]

    def contacts_named(self, person: str) -> list[Row]:
        """Every contact row of a person (one person can appear in several documents)."""
        return self.reference("SELECT * FROM contacts WHERE person = ? ORDER BY source, rowid", [person])

    def of_kind(self, table: str, kind: str) -> list[Row]:
        """Rows of `programs`, `tasks` or `organisations` of one kind, in document order."""
        assert table in ("programs", "tasks", "organisations")
        return self.reference(f"SELECT * FROM {table} WHERE kind = ? ORDER BY rowid", [kind])

    def rows_named_like(self, table: str, word: str) -> list[Row]:
        """Rows of `programs` or `tasks` whose name, an alias or area contains a word (spacing ignored)."""
        assert table in ("programs", "tasks")
        kind = {"programs": "program", "tasks": "task"}[table]
        like = f"%{word}%"
        return self.reference(
            f"SELECT * FROM {table} WHERE replace(name, ' ', '') LIKE ? OR replace(area, ' ', '') LIKE ? OR id IN "
            "(SELECT entity_id FROM aliases WHERE entity_kind = ? AND replace(alias, ' ', '') LIKE ?) ORDER BY rowid",
            [like, like, kind, like])

    def all_of(self, table: str) -> list[Row]:
        """Every row of `facts`, `results` or `agenda_items` (for word search)."""
        assert table in ("facts", "results", "agenda_items")
        return self.rows(f"SELECT * FROM {table} ORDER BY rowid")

    def filed_under(self, plan_id: str, plan_name: str) -> list[str]:
        """Programs whose budget cells a document files under a plan by its name in their note, without linking
        them as its parts ("2023년도 지역사업추진계획": 클러스터's 2023 국비), in document order."""
        rows = self.reference("SELECT program FROM budgets WHERE trim(coalesce(note, '')) = ? AND program != ? "
                              "ORDER BY rowid", [plan_name, plan_id])
        return list(dict.fromkeys(str(r["program"]) for r in rows))

    def dated_budgets(self) -> list[Row]:
        """Budget cells that belong to a year, a phase or a period."""
        return self.reference("SELECT * FROM budgets WHERE phase IS NOT NULL OR year IS NOT NULL "
                         "OR period IS NOT NULL ORDER BY rowid")

    def has_contacts(self, org_id: str) -> bool:
        """Whether any contact belongs to an organisation (without loading them)."""
        return self._first("SELECT 1 AS found FROM contacts WHERE organisation = ? LIMIT 1", [org_id]) is not None

    def contacts_of_department(self, department: str) -> list[Row]:
        """Contacts whose department cell names this department."""
        clause, params = _names_one_of("department", department)
        return self.reference(f"SELECT * FROM contacts WHERE {clause} ORDER BY source, rowid", params)

    def contacts_of_source(self, source: str) -> list[Row]:
        """Contacts stated in one source document."""
        return self.reference("SELECT * FROM contacts WHERE source = ? ORDER BY rowid", [source])

    def organisations_in_region(self, region: str) -> list[Row]:
        """Organisations located in a region."""
        return self.reference("SELECT * FROM organisations WHERE region = ? ORDER BY rowid", [region])

    def children(self, table: str, parent_id: str) -> list[Row]:
        """Rows of `programs` or `tasks` whose parent is `parent_id`."""
        assert table in ("programs", "tasks")
        return self.reference(f"SELECT * FROM {table} WHERE parent = ? ORDER BY rowid", [parent_id])

    def in_region(self, table: str, region: str) -> list[Row]:
        """Rows of `programs` or `tasks` that name `region` among their regions."""
        assert table in ("programs", "tasks")
        clause, params = _names_one_of("region", region)
        return self.reference(f"SELECT * FROM {table} WHERE {clause} ORDER BY rowid", params)

    def led_by(self, table: str, org_id: str) -> list[Row]:
        """Rows of `programs` or `tasks` led by, or under the ministry of, an organisation."""
        assert table in ("programs", "tasks")
        return self.reference(f"SELECT * FROM {table} WHERE lead = ? OR ministry = ? ORDER BY rowid",
                         [org_id, org_id])

    def budgets(self, program_id: str) -> list[Row]:
        """Every budget cell of a program, in document order."""
        return self.reference("SELECT * FROM budgets WHERE program = ? ORDER BY rowid", [program_id])

    def budgets_of_amount(self, eok: int) -> list[Row]:
        """Budget cells in 억원 that state this amount, in document order."""
        return self.reference("SELECT * FROM budgets WHERE amount = ? AND coalesce(unit, '억원') = '억원' "
                              "ORDER BY is_total DESC, rowid", [int(eok)])

    def fields(self, program_id: str) -> list[Row]:
        """Growth fields of a cluster program by phase."""
        return self.reference("SELECT * FROM fields WHERE program = ? ORDER BY phase", [program_id])

    def results(self, program_id: str) -> list[Row]:
        """Results and targets recorded for a program."""
        return self.reference("SELECT * FROM results WHERE program = ? ORDER BY rowid", [program_id])

    def facts(self, subject: str) -> list[Row]:
        """Key/value facts about a program, task or meeting."""
        return self.reference("SELECT * FROM facts WHERE subject = ? ORDER BY rowid", [subject])

    def agenda(self, meeting_id: str) -> list[Row]:
        """Agenda items of a meeting, in order."""
        return self.rows("SELECT * FROM agenda_items WHERE meeting = ? ORDER BY rowid", [meeting_id])

    def meetings(self) -> list[Row]:
        """Every meeting and dated event, ordered by start (undated last); a recurring one with its `rrule`."""
        return self.rows("SELECT m.*, s.rrule, s.tzid FROM meetings m LEFT JOIN meeting_series s ON s.meeting = m.id "
                         "WHERE m.status != '취소' ORDER BY m.start IS NULL, m.start, m.rowid")

    def meetings_of_program(self, program_id: str) -> list[Row]:
        """Meetings and dated events linked to a program."""
        return self.rows("SELECT * FROM meetings WHERE program = ? ORDER BY start", [program_id])


def _names_one_of(column: str, value: str) -> tuple[str, list[Any]]:
    """SQL for `column` being `value` or naming it among ` | `-separated values."""
    clause = f"({column} = ? OR {column} LIKE ? OR {column} LIKE ? OR {column} LIKE ?)"
    return clause, [value, f"{value} |%", f"%| {value}", f"%| {value} |%"]
