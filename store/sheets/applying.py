"""Write a previewed import: one transaction, each row's origin recorded, one audit entry per row written. The
rows are checked first against what the preview saw; if the database changed since, nothing is written."""

from collections import defaultdict
from dataclasses import dataclass

from store.dataset import parse_phone, split_multi
from store.errors import StoreError
from store.followup import DUE_TABLE
from store.sheets.cells import Value
from store.sheets.columns import OUTSIDE
from store.sheets.current import snapshot
from store.sheets.plan import Change, Plan
from store.store import Store
from store.tx import immediate

_OWNER_KIND = {"organisations": "organisation", "contacts": "contact", "programs": "program", "tasks": "task"}


class ImportOutdated(StoreError):
    """The database changed between the preview and 확인: the import is not applied."""


class ImportRejected(StoreError):
    """A plan with rejected rows cannot be applied (all or nothing)."""


@dataclass(frozen=True)
class Applied:
    """What an applied import wrote: rows added and changed."""

    added: int
    changed: int


def apply_plan(store: Store, plan: Plan, user_id: int | None, at: str) -> Applied:
    """Write every row of a plan in one transaction (joining the caller's, if any); ImportOutdated when a row is
    no longer as the preview showed it, ImportRejected when the plan has rejections."""
    if not plan.ok:
        raise ImportRejected(f"거부된 행이 {len(plan.rejections)}개 있어 가져오지 않았습니다.")
    with immediate(store.db):
        _check_unchanged(store, plan)
        _write(store, plan.changes)
        store.record_origins([(c.table, c.id) for c in plan.changes], "import", plan.file, user_id, at)
        _write_dues(store, [c for c in plan.changes if c.table == "tasks" and "due" in c.new], plan.file, user_id, at)
        store.audit_all(at, user_id, "import", [
            (f"{c.table}/{c.id}", c.old or None,
             {k: v for k, v in c.new.items() if v is not None} if c.op == "add" else c.new) for c in plan.changes])
    store.forget_reference_rows()
    return Applied(sum(c.op == "add" for c in plan.changes), sum(c.op == "change" for c in plan.changes))


def _check_unchanged(store: Store, plan: Plan) -> None:
    """Raise ImportOutdated unless every row to change still holds the old values and every new id is free."""
    now = snapshot(store.db)
    moved: list[str] = []
    for change in plan.changes:
        if change.op == "add":
            if change.id in now.table_of:
                moved.append(f"{change.sheet} {change.row}행")
            continue
        row = now.rows[change.sheet].get(change.id)
        if row is None or any(row.get(k) != v for k, v in change.old.items()):
            moved.append(f"{change.sheet} {change.row}행")
    if moved:
        more = " 외" if len(moved) > 5 else ""
        raise ImportOutdated(f"미리보기 이후 데이터가 바뀌었습니다({', '.join(moved[:5])}{more}). "
                             "아무것도 바꾸지 않았습니다: 파일을 다시 보내 주세요.")


def _write(store: Store, changes: list[Change]) -> None:
    """Insert the new rows (many at once, in sheet order: an organisation before the contacts naming it), then
    update the changed ones, and replace the phones and aliases of every row whose file gives them."""
    inserts: dict[tuple[str, tuple[str, ...]], list[list[Value]]] = defaultdict(list)
    cleared: dict[str, list[tuple[str, str]]] = {"phones": [], "aliases": []}
    phones: list[tuple[str, str, str, str | None, str]] = []
    aliases: list[tuple[str, str, str]] = []
    conn = store.db.conn
    for change in changes:
        own = {k: v for k, v in change.new.items() if k not in OUTSIDE}
        if change.op == "add":
            inserts[(change.table, tuple(own))].append([change.id, *own.values()])
        kind = _OWNER_KIND.get(change.table)
        if kind is None:
            continue
        for key in ("phones", "aliases"):
            if key in change.new and change.op == "change":
                cleared[key].append((kind, change.id))
        for display in split_multi(_text(change.new.get("phones"))):
            number, last = parse_phone(display)
            phones.append((kind, change.id, number, last, display))
        aliases.extend((kind, change.id, alias) for alias in split_multi(_text(change.new.get("aliases"))))
    for (table, columns), rows in inserts.items():
        names = ["id", *columns]
        conn.executemany(f"INSERT INTO {table} ({', '.join(_q(c) for c in names)}) "
                         f"VALUES ({', '.join('?' for _ in names)})", rows)
    for change in changes:
        own = {k: v for k, v in change.new.items() if k not in OUTSIDE}
        if change.op == "change" and own:
            conn.execute(f"UPDATE {change.table} SET {', '.join(f'{_q(c)} = ?' for c in own)} WHERE id = ?",
                         [*own.values(), change.id])
    conn.executemany("DELETE FROM phones WHERE owner_kind = ? AND owner_id = ?", cleared["phones"])
    conn.executemany("DELETE FROM aliases WHERE entity_kind = ? AND entity_id = ?", cleared["aliases"])
    conn.executemany("INSERT INTO phones (owner_kind, owner_id, number, last, display) VALUES (?, ?, ?, ?, ?)",
                     phones)
    conn.executemany("INSERT OR IGNORE INTO aliases (entity_kind, entity_id, alias) VALUES (?, ?, ?)", aliases)


def _write_dues(store: Store, changes: list[Change], file: str, user_id: int | None, at: str) -> None:
    """The due dates an import gives tasks (an empty cell of a changed row clears one), with who set them, when,
    and the file as their origin (inside the import's transaction; the rows' audit entries carry them)."""
    conn = store.db.conn
    dated = [(c.id, str(c.new["due"])) for c in changes if c.new["due"] is not None]
    conn.executemany("INSERT INTO task_deadlines (task, due, set_by, set_at) VALUES (?, ?, ?, ?) ON CONFLICT(task) "
                     "DO UPDATE SET due = excluded.due, set_by = excluded.set_by, set_at = excluded.set_at",
                     [(task, due, user_id, at) for task, due in dated])
    cleared = [(DUE_TABLE, c.id) for c in changes if c.new["due"] is None]
    conn.executemany("DELETE FROM task_deadlines WHERE task = ?", [(task,) for _, task in cleared])
    conn.executemany("DELETE FROM row_origins WHERE tbl = ? AND row_id = ?", cleared)
    store.record_origins([(DUE_TABLE, task) for task, _ in dated], "import", file, user_id, at)


def _q(column: str) -> str:
    return f'"{column}"'


def _text(value: Value) -> str:
    return "" if value is None else str(value)

