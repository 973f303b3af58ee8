"""Documents coordinators send: a new source with its text, its passages searchable (FTS5, trigram), and the
contacts of its contact block once confirmed. Every row written here records its origin as 'document'."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from store.dataset import parse_phone
from store.tx import immediate, query

Row = dict[str, Any]
MAX_CANDIDATES = 400   # passages read back for one question: more than a question's words ever narrow to


@dataclass(frozen=True)
class NewContact:
    """A contact read from a document's contact block, as it will be stored."""

    person: str
    title: str | None
    role: str | None
    organisation: str | None   # an organisation's id, when the name is one the store knows
    department: str | None
    phones: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class NewDocument:
    """A document as it will be stored: its source row, its text and its passages (text, spacing-free text)."""

    file: str
    kind: str
    sha256: str
    title: str
    issuer: str
    date: str | None
    date_note: str | None
    text: str
    passages: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def source_id_of(sha256: str) -> str:
    """The source id a document gets: from its content, so the same file is the same source."""
    return f"doc-{sha256[:12]}"


class DocumentRecords:
    """Documents, their passages and the contacts they bring (mixed into Store)."""

    db: Database
    _remembered: dict[Any, Any]
    audit: Callable[[str, int | None, str, str, object, object], None]   # from PeopleQueries
    record_origin: Callable[[str, str, str, str | None, int | None, str], None]   # from OriginRecords

    def document_with_hash(self, sha256: str) -> Row | None:
        """The stored document with this content hash (and its source's title and date), or None."""
        found = query(self.db, "SELECT d.source, d.added_at, d.added_by, s.title, s.issuer, s.date, s.file "
                               "FROM documents d JOIN sources s ON s.id = d.source WHERE d.sha256 = ?", [sha256])
        return found[0] if found else None

    def has_documents(self) -> bool:
        """Whether any document has been added (passage search is skipped until one is)."""
        return self.db.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is not None

    def organisation_names(self) -> list[tuple[str, str, str]]:
        """Every organisation's name and alias with its id and kind, longest first (for reading documents)."""
        rows = query(self.db, "SELECT name, id, kind FROM organisations UNION SELECT a.alias, o.id, o.kind "
                              "FROM aliases a JOIN organisations o ON a.entity_kind = 'organisation' "
                              "AND a.entity_id = o.id")
        return sorted(((str(r["name"]), str(r["id"]), str(r["kind"])) for r in rows), key=lambda t: -len(t[0]))

    def contact_phones(self, person: str) -> list[tuple[Row, list[str]]]:
        """Every contact row of a person with its phones (fresh: a document may just have added one)."""
        rows = query(self.db, "SELECT * FROM contacts WHERE person = ? ORDER BY rowid", [person])
        return [(row, [str(p["display"]) for p in query(
            self.db, "SELECT display FROM phones WHERE owner_kind = 'contact' AND owner_id = ? ORDER BY id",
            [row["id"]])]) for row in rows]

    def add_document(self, doc: NewDocument, contacts: Sequence[NewContact], user_id: int | None, at: str) -> str:
        """Store a document as a new source with its text and passages, and the given contacts; one
        transaction, one audit row, every row's origin recorded. Returns the source id."""
        source = source_id_of(doc.sha256)
        with immediate(self.db):
            self.db.execute("INSERT INTO sources (id, file, title, issuer, date, date_note) VALUES (?, ?, ?, ?, ?, ?)",
                            [source, doc.file, doc.title, doc.issuer, doc.date, doc.date_note])
            self.record_origin("sources", source, "document", doc.file, user_id, at)
            self.db.execute("INSERT INTO documents (source, kind, sha256, chars, text, added_by, added_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [source, doc.kind, doc.sha256, len(doc.text), doc.text, user_id, at])
            self.record_origin("documents", source, "document", doc.file, user_id, at)
            for seq, (text, bare) in enumerate(doc.passages, start=1):
                cursor = self.db.execute("INSERT INTO passages (bare, text, source, seq) VALUES (?, ?, ?, ?)",
                                         [bare, text, source, seq])
                self.record_origin("passages", str(cursor.lastrowid), "document", source, user_id, at)
            added = []
            for n, contact in enumerate(contacts, start=1):
                contact_id = f"{source}-ct{n}"
                self.db.execute(
                    "INSERT INTO contacts (id, person, title, role, organisation, department, note, as_of, source) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [contact_id, contact.person, contact.title, contact.role, contact.organisation,
                     contact.department, contact.note, doc.date, source])
                self.record_origin("contacts", contact_id, "document", source, user_id, at)
                for phone in contact.phones:
                    number, last = parse_phone(phone)
                    cursor = self.db.execute("INSERT INTO phones (owner_kind, owner_id, number, last, display) "
                                             "VALUES ('contact', ?, ?, ?, ?)", [contact_id, number, last, phone])
                    self.record_origin("phones", str(cursor.lastrowid), "document", source, user_id, at)
                added.append(contact.person)
            self.audit(at, user_id, "document", source, None,
                       {"file": doc.file, "title": doc.title, "passages": len(doc.passages), "contacts": added})
        self._remembered.clear()   # the reference rows this Store remembers now miss the new source and contacts
        return source

    def passages_with(self, words: Sequence[str], every: bool = False) -> list[Row]:
        """Passages whose spacing-free text holds any of the words (`every`: all of them) — three characters or
        more through the trigram index, shorter ones by a scan with instr() — with their document's date, newest
        document first."""
        if not words:
            return []
        long_words = [w for w in words if len(w) >= 3]
        select = ("SELECT p.rowid AS id, p.source, p.seq, p.text, p.bare, s.date FROM passages p "
                  "JOIN sources s ON s.id = p.source WHERE ")
        if long_words:
            match = (" AND " if every else " OR ").join('"' + w.replace('"', '""') + '"' for w in long_words)
            short = [w for w in words if len(w) < 3] if every else []
            also = "".join(" AND instr(p.bare, ?) > 0" for _ in short)
            return query(self.db, select + f"p.bare MATCH ?{also} ORDER BY s.date DESC, p.rowid LIMIT ?",
                         [match, *short, MAX_CANDIDATES])
        clause = (" AND " if every else " OR ").join("instr(p.bare, ?) > 0" for _ in words)
        return query(self.db, select + f"({clause}) ORDER BY s.date DESC, p.rowid LIMIT ?", [*words, MAX_CANDIDATES])
