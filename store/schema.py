"""Named, append-only schema migrations, applied in order when a database is opened."""

import re
from collections.abc import Callable

from sqlite_utils import Database

Migration = tuple[str, Callable[[Database], None]]


def _run(db: Database, script: str) -> None:
    """Execute each statement of a script inside the caller's transaction (no implicit COMMIT)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _m001_core(db: Database) -> None:
    """Reference data extracted from the source documents."""
    _run(db,
        """
        CREATE TABLE sources (id TEXT PRIMARY KEY, file TEXT NOT NULL, title TEXT NOT NULL,
            issuer TEXT NOT NULL, date TEXT, date_note TEXT);
        CREATE TABLE regions (name TEXT PRIMARY KEY, full_name TEXT NOT NULL, kind TEXT NOT NULL);
        CREATE TABLE organisations (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
            region TEXT, address TEXT, parent TEXT, note TEXT, source TEXT REFERENCES sources(id));
        CREATE TABLE contacts (id TEXT PRIMARY KEY, person TEXT, title TEXT, role TEXT,
            organisation TEXT REFERENCES organisations(id), department TEXT, note TEXT, as_of TEXT,
            source TEXT REFERENCES sources(id));
        CREATE TABLE phones (id INTEGER PRIMARY KEY, owner_kind TEXT NOT NULL, owner_id TEXT NOT NULL,
            number TEXT NOT NULL, last TEXT, display TEXT NOT NULL);
        CREATE INDEX phones_owner ON phones(owner_kind, owner_id);
        CREATE TABLE programs (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
            parent TEXT, lead TEXT, ministry TEXT, region TEXT, period TEXT, area TEXT, summary TEXT,
            source TEXT REFERENCES sources(id));
        CREATE INDEX programs_parent ON programs(parent);
        CREATE TABLE tasks (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
            parent TEXT, lead TEXT, ministry TEXT, region TEXT, innovation_city TEXT, period TEXT,
            area TEXT, summary TEXT, source TEXT REFERENCES sources(id));
        CREATE INDEX tasks_parent ON tasks(parent);
        CREATE TABLE aliases (entity_kind TEXT NOT NULL, entity_id TEXT NOT NULL, alias TEXT NOT NULL,
            PRIMARY KEY (entity_kind, entity_id, alias));
        CREATE TABLE fields (id TEXT PRIMARY KEY, program TEXT NOT NULL, phase INTEGER NOT NULL,
            area TEXT, field TEXT, description TEXT, source TEXT REFERENCES sources(id));
        CREATE TABLE budgets (id TEXT PRIMARY KEY, program TEXT NOT NULL, year INTEGER, phase INTEGER,
            period TEXT, category TEXT, funding TEXT, scope TEXT, amount INTEGER, unit TEXT NOT NULL,
            is_total INTEGER NOT NULL DEFAULT 0, label TEXT, note TEXT, source TEXT REFERENCES sources(id));
        CREATE INDEX budgets_program ON budgets(program);
        CREATE TABLE results (id TEXT PRIMARY KEY, program TEXT NOT NULL, period TEXT, metric TEXT NOT NULL,
            value TEXT, unit TEXT, note TEXT, source TEXT REFERENCES sources(id));
        CREATE TABLE facts (id TEXT PRIMARY KEY, subject TEXT NOT NULL, attribute TEXT NOT NULL,
            value TEXT NOT NULL, source TEXT REFERENCES sources(id));
        CREATE INDEX facts_subject ON facts(subject);
        CREATE TABLE meetings (id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, start TEXT,
            "end" TEXT, place TEXT, mode TEXT, chairs TEXT, attendees TEXT, program TEXT, note TEXT,
            source TEXT REFERENCES sources(id));
        CREATE TABLE agenda_items (id TEXT PRIMARY KEY, meeting TEXT NOT NULL REFERENCES meetings(id),
            start TEXT, "end" TEXT, item TEXT NOT NULL, "by" TEXT, note TEXT,
            source TEXT REFERENCES sources(id));
        """
    )


def _m002_people_and_progress(db: Database) -> None:
    """Users with roles, task progress history and the audit log."""
    _run(db,
        """
        CREATE TABLE users (user_id INTEGER PRIMARY KEY, name TEXT, role TEXT NOT NULL
            CHECK (role IN ('member', 'coordinator', 'admin')), added_at TEXT NOT NULL, added_by INTEGER);
        CREATE TABLE progress (id INTEGER PRIMARY KEY AUTOINCREMENT, task TEXT NOT NULL REFERENCES tasks(id),
            user_id INTEGER NOT NULL, user_name TEXT, at TEXT NOT NULL,
            percent INTEGER CHECK (percent IS NULL OR percent BETWEEN 0 AND 100),
            status TEXT NOT NULL CHECK (status IN ('계획', '진행', '지연', '보류', '완료')),
            note TEXT NOT NULL DEFAULT '', reverses INTEGER REFERENCES progress(id));
        CREATE INDEX progress_task ON progress(task, id);
        CREATE INDEX progress_user ON progress(user_id, id);
        CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user_id INTEGER,
            action TEXT NOT NULL, target TEXT, old TEXT, new TEXT);
        CREATE TABLE pending (user_id INTEGER NOT NULL, chat_id INTEGER NOT NULL, created_at TEXT NOT NULL,
            payload TEXT NOT NULL, PRIMARY KEY (user_id, chat_id));
        """
    )


def _m003_meetings_and_reminders(db: Database) -> None:
    """Meetings written from chat, attendance answers, sent reminders, bound chats and settings."""
    _run(db, """
        ALTER TABLE meetings ADD COLUMN status TEXT NOT NULL DEFAULT '예정';
        ALTER TABLE meetings ADD COLUMN created_by INTEGER;
        CREATE TABLE meeting_responses (meeting TEXT NOT NULL REFERENCES meetings(id), user_id INTEGER NOT NULL,
            user_name TEXT, response TEXT NOT NULL CHECK (response IN ('참석', '불참')), at TEXT NOT NULL,
            PRIMARY KEY (meeting, user_id));
        CREATE TABLE reminders_sent (meeting TEXT NOT NULL, offset_seconds INTEGER NOT NULL, chat_id INTEGER NOT NULL,
            at TEXT NOT NULL, PRIMARY KEY (meeting, offset_seconds, chat_id));
        CREATE TABLE private_chats (user_id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, seen_at TEXT NOT NULL);
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)
    """)


def _m004_lookup_indexes(db: Database) -> None:
    """Indexes for lookups that scan at 100x the built-in size (bench/engine_bench.py)."""
    _run(db, """
        CREATE INDEX progress_reverses ON progress(reverses);
        CREATE INDEX contacts_organisation ON contacts(organisation);
        CREATE INDEX contacts_person ON contacts(person);
        CREATE INDEX results_program ON results(program);
        CREATE INDEX fields_program ON fields(program);
        CREATE INDEX meetings_program ON meetings(program);
        CREATE INDEX meetings_start ON meetings(status, start)
    """)


def _m005_unanswered(db: Database) -> None:
    """Questions the bot could not answer, or answered with a choice nobody picked (no user id kept)."""
    _run(db, """
        CREATE TABLE unanswered (id INTEGER PRIMARY KEY, at TEXT NOT NULL, text TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('notfound', 'clarify')), understood TEXT NOT NULL,
            options TEXT, picked INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX unanswered_at ON unanswered(at)
    """)


def _m006_reminder_claims(db: Database) -> None:
    """A reminder is claimed before it is sent and counts as sent once the channel accepted it; keyed by the
    meeting's start too, so that a moved meeting's reminders are new ones. Rows already recorded count as sent."""
    _run(db, """
        CREATE TABLE reminder_claims (meeting TEXT NOT NULL, start TEXT NOT NULL, offset_seconds INTEGER NOT NULL,
            chat_id INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'skipped')),
            claimed_at TEXT NOT NULL, done_at TEXT, attempts INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (meeting, start, offset_seconds, chat_id));
        INSERT INTO reminder_claims (meeting, start, offset_seconds, chat_id, state, claimed_at, done_at)
            SELECT r.meeting, coalesce(m.start, ''), r.offset_seconds, r.chat_id, 'sent', r.at, r.at
            FROM reminders_sent r LEFT JOIN meetings m ON m.id = r.meeting;
        DROP TABLE reminders_sent;
        ALTER TABLE reminder_claims RENAME TO reminders_sent;
        CREATE INDEX reminders_unconfirmed ON reminders_sent(state) WHERE state = 'claimed'
    """)


def _m007_choices(db: Database) -> None:
    """Open choices keyed by their own id (a button, a numbered console choice, `tfbot ask --choose`): several
    at once per user and chat, each with its kind, who may answer, when it expires and what it needs to finish.
    They replace the one pending write per user and chat."""
    _run(db, """
        CREATE TABLE choices (id TEXT PRIMARY KEY, kind TEXT NOT NULL
            CHECK (kind IN ('log', 'meeting', 'clarify', 'rsvp')), user_id INTEGER, chat_id INTEGER,
            created_at TEXT NOT NULL, expires_at TEXT NOT NULL, payload TEXT NOT NULL);
        CREATE INDEX choices_expiry ON choices(expires_at);
        DROP TABLE pending
    """)


def _m008_data_origins(db: Database) -> None:
    """Where each reference row came from when not from the built-in dataset (an import, a correction, a
    document), the dataset version a database holds, and the choices the TF's own data writes wait for."""
    _run(db, """
        CREATE TABLE row_origins (tbl TEXT NOT NULL, row_id TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('dataset', 'import', 'correction', 'document')),
            ref TEXT, user_id INTEGER, at TEXT NOT NULL, PRIMARY KEY (tbl, row_id));
        CREATE TABLE choices_new (id TEXT PRIMARY KEY, kind TEXT NOT NULL
            CHECK (kind IN ('log', 'meeting', 'clarify', 'rsvp', 'import', 'correction', 'document')),
            user_id INTEGER, chat_id INTEGER, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
            payload TEXT NOT NULL);
        INSERT INTO choices_new SELECT id, kind, user_id, chat_id, created_at, expires_at, payload FROM choices;
        DROP TABLE choices;
        ALTER TABLE choices_new RENAME TO choices;
        CREATE INDEX choices_expiry ON choices(expires_at)
    """)


def _m009_dataset_version(db: Database) -> None:
    """What the built-in dataset last wrote, so that a newer dataset can update a database without touching what
    a person wrote: a fingerprint per dataset row (`dataset_rows`; the dataset's version is the setting
    `dataset_version`). And a change counter (`data_generation`) that every write to the tables questions are
    answered from bumps, from any connection or process, so that what a Store or an Engine kept is read again
    after a change (PRAGMA data_version does not change for the connection's own commits). A later migration
    that rebuilds one of these tables must create its three triggers again (tests/test_freshness.py checks)."""
    _run(db, """
        CREATE TABLE dataset_rows (tbl TEXT NOT NULL, row_id TEXT NOT NULL, digest TEXT NOT NULL,
            PRIMARY KEY (tbl, row_id)) WITHOUT ROWID;
        CREATE TABLE data_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
        INSERT INTO data_generation (id, n) VALUES (1, 0)
    """)
    for table in ("sources", "regions", "organisations", "contacts", "phones", "programs", "tasks", "aliases",
                  "fields", "budgets", "results", "facts", "meetings", "agenda_items"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER {table}_{event.lower()}_generation AFTER {event} ON {table} "
                       "BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END")


def _m010_documents(db: Database) -> None:
    """Documents coordinators send (보도자료 as HWP, HWPX, PDF or text): each is a source with its full text, and
    its passages in an FTS5 index with the trigram tokenizer over their spacing-free text (`bare`), so that any
    substring of three characters or more is found; shorter words are looked for with instr() over the same
    column (trigram matches nothing under three characters, and this SQLite's LIKE on such a table finds nothing
    for a two-character pattern either)."""
    _run(db, """
        CREATE TABLE documents (source TEXT PRIMARY KEY REFERENCES sources(id), kind TEXT NOT NULL
            CHECK (kind IN ('hwp', 'hwpx', 'pdf', 'txt', 'paste')), sha256 TEXT NOT NULL UNIQUE,
            chars INTEGER NOT NULL, text TEXT NOT NULL, added_by INTEGER, added_at TEXT NOT NULL);
        CREATE VIRTUAL TABLE passages USING fts5(bare, text UNINDEXED, source UNINDEXED, seq UNINDEXED,
            tokenize = 'trigram')
    """)


def _m011_corrections(db: Database) -> None:
    """Facts corrected from chat: per changed field of a row, the old and the new value, where the old value
    came from (its origin, the document or file, and that one's date), who corrected it and when."""
    _run(db, """
        CREATE TABLE corrections (id INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, row_id TEXT NOT NULL,
            field TEXT NOT NULL, old TEXT, new TEXT NOT NULL,
            old_origin TEXT CHECK (old_origin IS NULL OR old_origin IN ('dataset', 'import', 'correction', 'document')),
            old_ref TEXT, old_at TEXT, user_id INTEGER, user_name TEXT, at TEXT NOT NULL);
        CREATE INDEX corrections_row ON corrections(tbl, row_id, id)
    """)


def _m012_people_links(db: Database) -> None:
    """Who is who: a Telegram user linked to a contact or an organisation (asked with /iam, confirmed by an
    admin), a task's owners when they are not just its lead organisation, and a person's away-until date."""
    _run(db, """
        CREATE TABLE user_links (user_id INTEGER PRIMARY KEY REFERENCES users(user_id) ON DELETE CASCADE,
            contact TEXT REFERENCES contacts(id), organisation TEXT REFERENCES organisations(id),
            state TEXT NOT NULL CHECK (state IN ('requested', 'confirmed')), requested_at TEXT NOT NULL,
            confirmed_by INTEGER, confirmed_at TEXT, CHECK ((contact IS NULL) != (organisation IS NULL)));
        CREATE INDEX user_links_contact ON user_links(contact);
        CREATE INDEX user_links_organisation ON user_links(organisation);
        CREATE TABLE task_owners (task TEXT NOT NULL REFERENCES tasks(id),
            owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'contact', 'organisation')),
            owner_id TEXT NOT NULL, added_by INTEGER, added_at TEXT NOT NULL,
            PRIMARY KEY (task, owner_kind, owner_id));
        ALTER TABLE users ADD COLUMN away_until TEXT
    """)


def _m013_invites(db: Database) -> None:
    """One-time invites an admin makes (`/invite member|coordinator`): only the token's SHA-256 is kept, with
    the role it grants, who made it, until when it may be used (UTC), and who used it and when. And open
    choices lose the CHECK on their kind: the kinds are checked where a choice is opened (store/choices.py
    KINDS), so a new kind (/iam's, an admin's link decision) needs no rebuild of the table."""
    _run(db, """
        CREATE TABLE invites (token_hash TEXT PRIMARY KEY, role TEXT NOT NULL
            CHECK (role IN ('member', 'coordinator')), created_by INTEGER, created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL, used_by INTEGER, used_at TEXT);
        CREATE TABLE choices_new (id TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id INTEGER, chat_id INTEGER,
            created_at TEXT NOT NULL, expires_at TEXT NOT NULL, payload TEXT NOT NULL);
        INSERT INTO choices_new SELECT id, kind, user_id, chat_id, created_at, expires_at, payload FROM choices;
        DROP TABLE choices;
        ALTER TABLE choices_new RENAME TO choices;
        CREATE INDEX choices_expiry ON choices(expires_at);
        CREATE INDEX choices_user ON choices(user_id)
    """)


def _allow(db: Database, table: str, column: str, values: tuple[str, ...]) -> None:
    """Widen a `column IN (...)` CHECK of a table to also allow `values`, keeping every value it allows already
    (another migration may have widened it before): the table is rebuilt as SQLite's ALTER TABLE guide says
    (create the new one, copy, drop, rename) and its indexes are made again. For tables no other table refers
    to and without triggers."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
    check = re.search(rf"\b{column}\s+IN\s*\(([^)]*)\)", sql)
    if check is None:
        raise ValueError(f"{table}.{column} has no IN (...) check")
    allowed = re.findall(r"'([^']*)'", check.group(1))
    widened = [*allowed, *(v for v in values if v not in allowed)]
    if widened == allowed:
        return
    new_sql = sql[:check.start(1)] + ", ".join(f"'{v}'" for v in widened) + sql[check.end(1):]
    new_sql = re.sub(r'^CREATE TABLE\s+"?\w+"?', f"CREATE TABLE {table}_widened", new_sql, count=1)
    indexes = [r[0] for r in db.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                        "AND sql IS NOT NULL", [table]).fetchall()]
    db.execute(new_sql)
    db.execute(f"INSERT INTO {table}_widened SELECT * FROM {table}")
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE {table}_widened RENAME TO {table}")
    for index in indexes:
        db.execute(index)


def _m014_deadlines(db: Database) -> None:
    """Follow-up: a task's due date (who set it and when; where it came from is in row_origins), the action
    items a meeting hands out (the meeting, an owner — a user, a contact or an organisation —, what, by when,
    and who marked it done when), the bot's messages about a meeting in each chat (a reply to one is about that
    meeting), and deadline reminders claimed → sent or skipped, keyed by the item, its due date, the offset
    (negative: the overdue nudge after the due date) and the person, so a changed due date makes new ones.
    The origin of a due date set from chat is added to the CHECK of `row_origins`; the kinds of the choices
    these writes wait for need no migration (013 left kinds to store/choices.py KINDS)."""
    _run(db, """
        CREATE TABLE task_deadlines (task TEXT PRIMARY KEY REFERENCES tasks(id), due TEXT NOT NULL,
            set_by INTEGER, set_at TEXT NOT NULL);
        CREATE INDEX task_deadlines_due ON task_deadlines(due);
        CREATE TABLE action_items (id INTEGER PRIMARY KEY AUTOINCREMENT, meeting TEXT NOT NULL REFERENCES meetings(id),
            owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'contact', 'organisation')),
            owner_id TEXT NOT NULL, what TEXT NOT NULL, due TEXT, created_by INTEGER, created_at TEXT NOT NULL,
            done_by INTEGER, done_by_name TEXT, done_at TEXT);
        CREATE INDEX action_items_meeting ON action_items(meeting);
        CREATE INDEX action_items_owner ON action_items(owner_kind, owner_id);
        CREATE INDEX action_items_open ON action_items(due) WHERE done_at IS NULL;
        CREATE TABLE meeting_messages (chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL, meeting TEXT NOT NULL,
            sent_at TEXT NOT NULL, PRIMARY KEY (chat_id, message_id)) WITHOUT ROWID;
        CREATE TABLE deadline_reminders (item TEXT NOT NULL, due TEXT NOT NULL, offset_seconds INTEGER NOT NULL,
            user_id INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'skipped')),
            reason TEXT, claimed_at TEXT NOT NULL, done_at TEXT, attempts INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (item, due, offset_seconds, user_id));
        CREATE INDEX deadline_reminders_unconfirmed ON deadline_reminders(state) WHERE state = 'claimed'
    """)
    _allow(db, "row_origins", "origin", ("chat",))
def _m015_recurrence(db: Database) -> None:
    """Recurring meetings. A meeting with a row in `meeting_series` is a series: its iCalendar RRULE (`rrule`,
    without the `RRULE:` prefix) recurring in the time zone `tzid`, and its `start` in `meetings` is its first
    occurrence (DTSTART); `meetings` keeps its columns. `meeting_exceptions` holds
    what was changed one occurrence at a time, keyed by the occurrence's original start (RECURRENCE-ID): moved
    (`start` is the new one) or cancelled (`start` NULL; `scope` 'this' is an EXDATE, 'following' records that
    the series was ended from that occurrence on). `meeting_occurrences` holds the occurrences expanded for the
    rolling window (derived from the series and its exceptions, rebuilt whenever either changes and extended
    daily), which reminders and listings read; `occurrence_window` is how far that window reaches."""
    _run(db, """
        CREATE TABLE meeting_series (meeting TEXT PRIMARY KEY REFERENCES meetings(id), rrule TEXT NOT NULL,
            tzid TEXT);
        CREATE TABLE meeting_exceptions (meeting TEXT NOT NULL REFERENCES meetings(id), occurrence TEXT NOT NULL,
            start TEXT, scope TEXT NOT NULL DEFAULT 'this' CHECK (scope IN ('this', 'following')),
            created_by INTEGER, at TEXT NOT NULL, PRIMARY KEY (meeting, occurrence),
            CHECK (start IS NULL OR scope = 'this'));
        CREATE TABLE meeting_occurrences (meeting TEXT NOT NULL REFERENCES meetings(id), occurrence TEXT NOT NULL,
            start TEXT NOT NULL, PRIMARY KEY (meeting, occurrence)) WITHOUT ROWID;
        CREATE INDEX meeting_occurrences_start ON meeting_occurrences(start);
        CREATE TABLE occurrence_window (id INTEGER PRIMARY KEY CHECK (id = 1), since TEXT NOT NULL,
            until TEXT NOT NULL, at TEXT NOT NULL)
    """)


MIGRATIONS: list[Migration] = [
    ("001_core", _m001_core),
    ("002_people_and_progress", _m002_people_and_progress),
    ("003_meetings_and_reminders", _m003_meetings_and_reminders),
    ("004_lookup_indexes", _m004_lookup_indexes),
    ("005_unanswered", _m005_unanswered),
    ("006_reminder_claims", _m006_reminder_claims),
    ("007_choices", _m007_choices),
    ("008_data_origins", _m008_data_origins),
    ("009_dataset_version", _m009_dataset_version),
    ("010_documents", _m010_documents),
    ("011_corrections", _m011_corrections),
    ("012_people_links", _m012_people_links),
    ("013_invites", _m013_invites),
    ("014_deadlines", _m014_deadlines),
    ("015_recurrence", _m015_recurrence),
]


def migrate(db: Database) -> list[str]:
    """Apply every migration not yet recorded in `_migrations`; return the names applied.

    The caller holds the write transaction, so two processes never migrate at once.
    """
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        step(db)
        db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", [name])
        applied.append(name)
    return applied
