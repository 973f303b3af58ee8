"""What an export holds: the importable sheets, and for reading only the tasks with their latest progress, the
meetings' attendance and (for coordinators and admins) the audit log; members get no user ids."""

from datetime import tzinfo

from store.people import LOCAL_OPERATOR
from store.sheets.columns import ATTENDANCE_SHEET, AUDIT_SHEET, DATE, INTEGER, PROGRESS_SHEET, TEXT
from store.sheets.current import snapshot
from store.sheets.writing import Listing, export_workbook
from store.store import Store
from store.tx import query


def _who(user_id: int | None, name: str | None) -> str:
    """A writer as an export shows them without their id."""
    if name:
        return name
    return "로컬 운영자" if user_id == LOCAL_OPERATOR else ""


def progress_listing(store: Store, with_ids: bool) -> Listing:
    """Every task with its latest progress entry that was not taken back (empty when it has none)."""
    current = snapshot(store.db)
    headers = ["과제 ID", "과제명", "종류", "주관기관", "진행률(%)", "상태", "메모", "기록한 사람", "기록 일시"]
    types = [TEXT, TEXT, TEXT, TEXT, INTEGER, TEXT, TEXT, TEXT, DATE]
    listing = Listing(PROGRESS_SHEET, [*headers, "사용자 ID"] if with_ids else headers,
                      [*types, INTEGER] if with_ids else types)
    for task in query(store.db, "SELECT id, name, kind, lead FROM tasks ORDER BY rowid"):
        p = store.latest_progress(str(task["id"])) or {}
        row = [task["id"], task["name"], task["kind"], current.display(task["lead"]) if task["lead"] else None,
               p.get("percent"), p.get("status"), p.get("note") or None,
               _who(p.get("user_id"), p.get("user_name")) if p else None, p.get("at")]
        listing.rows.append([*row, p.get("user_id")] if with_ids else row)
    return listing


def attendance_listing(store: Store, with_ids: bool) -> Listing:
    """Every 참석/불참 answer to a meeting, by meeting."""
    headers = ["회의 ID", "회의명", "시작", "응답자", "응답", "응답 일시"]
    types = [TEXT, TEXT, DATE, TEXT, TEXT, DATE]
    listing = Listing(ATTENDANCE_SHEET, [*headers, "사용자 ID"] if with_ids else headers,
                      [*types, INTEGER] if with_ids else types)
    for r in query(store.db, "SELECT m.id, m.title, m.start, r.user_id, r.user_name, r.response, r.at "
                             "FROM meeting_responses r JOIN meetings m ON m.id = r.meeting "
                             "ORDER BY m.start, m.id, r.response, r.at"):
        row = [r["id"], r["title"], r["start"], _who(r["user_id"], r["user_name"]), r["response"], r["at"]]
        listing.rows.append([*row, r["user_id"]] if with_ids else row)
    return listing


def audit_listing(store: Store) -> Listing:
    """The audit log, oldest first."""
    listing = Listing(AUDIT_SHEET, ["번호", "일시", "사용자 ID", "작업", "대상", "이전", "이후"],
                      [INTEGER, DATE, INTEGER, TEXT, TEXT, TEXT, TEXT])
    listing.rows = [[r["id"], r["at"], r["user_id"], r["action"], r["target"], r["old"], r["new"]]
                    for r in store.audit_log()]
    return listing


def export_bytes(store: Store, full: bool, tz: tzinfo) -> bytes:
    """The export as an xlsx file: `full` (a coordinator or admin) adds user ids and the audit log."""
    listings = [progress_listing(store, full), attendance_listing(store, full)]
    if full:
        listings.append(audit_listing(store))
    return export_workbook(snapshot(store.db), listings, tz)
