"""Spreadsheets from chat: /export, /template, and a file sent to the bot read as an import whose preview waits
for 확인 before anything is written."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from intents.message import Attachment, Button, Message, Offer, Pick, Reply, Written
from intents.writes.access import NOTHING_WRITTEN, actor_of, allowed
from store.backup import backup_before
from store.errors import ReadOnly, StoreError
from store.sheets.applying import ImportOutdated, apply_plan
from store.sheets.current import snapshot
from store.sheets.exporting import export_bytes
from store.sheets.plan import Change, Plan, plan_import
from store.sheets.reading import UnreadableFile, read_file
from store.sheets.writing import preview_workbook, template_workbook
from store.store import Store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONFIRM, CANCEL = "import:ok", "import:no"
IMPORT_LIFETIME = timedelta(minutes=30)   # time to read a preview before 확인
SHOWN_IN_CHAT = 10   # changes and rejections listed in a chat preview; the rest go in the attached file
TEMPLATE_NAME = "tfbot-template.xlsx"


def export_name(now: datetime) -> str:
    """The export's default file name: tfbot-export-YYYYMMDD.xlsx."""
    return f"tfbot-export-{now:%Y%m%d}.xlsx"


def export(store: Store, message: Message, role: str | None) -> Reply:
    """/export: the data as an xlsx file; a coordinator or admin also gets user ids and the audit log."""
    full = allowed(role, "coordinator")
    data = export_bytes(store, full, _tz(message))
    what = "진행상황·회의 참석·감사 기록 포함" if full else "진행상황·회의 참석 포함"
    return Reply(text=f"데이터를 엑셀 파일로 보냅니다 ({what}). 담당자·연락처, 기관, 사업·과제, 예산, 회의 시트는 "
                      "고쳐서 다시 보내면 가져올 수 있습니다 (코디네이터·관리자).", intent="export", private=True,
                 attachments=[Attachment(export_name(message.now), data, XLSX)])


def template(message: Message) -> Reply:
    """/template: the empty import template (headers, each column's rule, allowed values)."""
    return Reply(text="가져오기 양식입니다. 주황색 머리글이 필수 열이고, 머리글의 메모와 '안내' 시트에 열마다 형식이 "
                      "있습니다. 채운 파일(.xlsx 또는 .csv)을 이 대화로 보내 주세요.", intent="template",
                 attachments=[Attachment(TEMPLATE_NAME, template_workbook(_tz(message)), XLSX)])


def receive_sheet(store: Store, message: Message) -> Reply:
    """A spreadsheet sent to the bot: its preview with 확인/취소 (nothing is written before 확인)."""
    assert message.file is not None and message.file.data is not None
    try:
        raws = read_file(message.file.name, message.file.data)
    except UnreadableFile as exc:
        return Reply(text=f"{exc} {NOTHING_WRITTEN}", intent="import")
    plan = plan_import(Path(message.file.name).name, raws, snapshot(store.db), _tz(message))
    return preview_reply(plan, message.now)


def preview_reply(plan: Plan, now: datetime) -> Reply:
    """The preview of a plan: the whole of it when short, else a summary with the whole attached as xlsx; with
    확인/취소 when it can be applied."""
    large = len(plan.rejections) + len(plan.changes) > SHOWN_IN_CHAT
    text = "\n".join(preview_lines(plan, SHOWN_IN_CHAT if large else None))
    files = [Attachment(f"{Path(plan.file).stem}-미리보기.xlsx", preview_workbook(plan, now.tzinfo or UTC), XLSX)] \
        if large else []
    if not plan.ok or not plan.changes:
        return Reply(text=text, intent="import", attachments=files)
    return Reply(text=text, intent="import_confirm", attachments=files,
                 offer=Offer("import", {"plan": plan.to_json()}, expires=now + IMPORT_LIFETIME),
                 buttons=[Button("확인", CONFIRM), Button("취소", CANCEL)])


def preview_lines(plan: Plan, limit: int | None = None, apply: str = "확인을 누르면") -> list[str]:
    """The preview as lines: counts per sheet, then the rows to add and change (old → new per cell) and every
    rejected row with its sheet, row, column and reason (only the first `limit` of each when given); `apply`
    says how it is applied (a button, or the terminal's answer)."""
    lines = [f"'{plan.file}' 가져오기 미리보기"]
    for sheet, n in plan.counts.items():
        parts = [f"추가 {n.added}", f"변경 {n.changed}", f"그대로 {n.unchanged}"]
        parts += [f"거부 {n.rejected}"] if n.rejected else []
        lines.append(f"• {sheet}: {' · '.join(parts)}")
    if plan.skipped:
        lines.append(f"(읽지 않은 시트: {', '.join(plan.skipped)} — 내보내기 전용)")
    adds = [c for c in plan.changes if c.op == "add"]
    changes = [c for c in plan.changes if c.op == "change"]
    for title, rows in (("추가", adds), ("변경", changes)):
        if rows:
            lines += ["", f"{title} {len(rows)}행:"]
            lines += [_change_line(c) for c in rows[:limit]]
            lines += [_more(len(rows), limit)] if limit is not None and len(rows) > limit else []
    if plan.rejections:
        lines += ["", f"거부 {len(plan.rejections)}건:"]
        lines += [_rejection_line(r.sheet, r.row, r.column, r.reason) for r in plan.rejections[:limit]]
        lines += [_more(len(plan.rejections), limit)] if limit is not None and len(plan.rejections) > limit else []
        lines += ["", f"거부된 행이 있어 아무것도 가져오지 않았습니다(전부 아니면 전무). 고쳐서 다시 보내 주세요. "
                      f"{NOTHING_WRITTEN}"]
    elif not plan.changes:
        lines += ["", f"바뀐 내용이 없습니다. {NOTHING_WRITTEN}"]
    else:
        lines += ["", f"{apply} 이대로 저장합니다(저장 전에 데이터베이스를 백업합니다). 파일에 없는 행은 지우지 "
                      "않습니다."]
    return lines


def _more(total: int, limit: int | None) -> str:
    return f"… 외 {total - (limit or 0)}건은 첨부한 미리보기 파일에 있습니다."


def _change_line(change: Change) -> str:
    where = f"{change.sheet} {change.row}행"
    if change.op == "add":
        hint = f" — {change.hint} (새 행으로 추가됩니다)" if change.hint else ""
        return f"• {where} {change.label} (새 ID {change.id}){hint}"
    cells = "; ".join(f"{header}: {old} → {new}" for header, old, new in change.cells)
    return f"• {where} {change.label} [{change.id}] {cells}"


def _rejection_line(sheet: str, row: int, column: str, reason: str) -> str:
    where = sheet if row == 0 else (f"{sheet} {row}행" if sheet else "파일")
    if row == 1:
        where = f"{sheet} 머리글"
    return f"• {where}" + (f" '{column}' 열" if column else "") + f": {reason}"


@dataclass(frozen=True)
class Imported:
    """What an applied import says: its text and where the backup taken before it is."""

    text: str
    backup: Path | None


def apply_import(store: Store, plan: Plan, actor: int | None, now: datetime) -> Imported:
    """Back the database up, then write the plan in one transaction; the text says what was written and where
    the backup is. ImportOutdated (a StoreError) when the data changed since the preview."""
    backup = backup_before(store, "before-import", now)
    applied = apply_plan(store, plan, actor, now.isoformat())
    where = f"백업: {backup}" if backup else "백업: 메모리 데이터베이스라 파일로 남기지 않았습니다"
    return Imported(f"'{plan.file}'을(를) 가져왔습니다: 추가 {applied.added}행, 변경 {applied.changed}행. {where}",
                    backup)


def confirm_import(store: Store, message: Message, pick: Pick) -> Reply:
    """The 확인/취소 of an import preview."""
    if pick.action != CONFIRM:
        return Reply(text=f"가져오기를 취소했습니다. {NOTHING_WRITTEN}", intent="import")
    plan = Plan.from_json(pick.payload["plan"])
    try:
        done = apply_import(store, plan, actor_of(message), message.now)
    except ImportOutdated as exc:
        return Reply(text=str(exc), intent="import")
    except ReadOnly:
        raise
    except StoreError as exc:
        return Reply(text=f"{exc} {NOTHING_WRITTEN}", intent="import")
    return Reply(text=done.text, intent="import_saved", written=[Written("import", plan.file)])


def _tz(message: Message) -> tzinfo:
    """The timezone of the message's clock (dates in files are local times of it)."""
    return message.now.tzinfo or UTC
