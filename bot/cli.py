"""The `tfbot` command line: ask, match, chat, run — a thin layer over store and engine."""

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bot.config import Config, ConfigError, load_config
from bot.conversation import Conversation, Outgoing, Press
from bot.files import saved
from bot.logs import configure_logging
from intents.engine import Engine
from intents.message import Message
from intents.writes.access import Policy
from intents.writes.admin import audit_lines
from store import InvalidValue, Store, StoreError
from store.people import LOCAL_OPERATOR, check_person

log = logging.getLogger("bot.cli")   # the same name when run as `python -m bot.cli`

OK, FAILED, FAULT, INTERRUPTED, PIPE_CLOSED = 0, 1, 2, 130, 141
EXIT_CODES = f"""exit status:
  {OK}    done
  {FAILED}    the answer or operation failed: a write the database refused (read-only), a user not found,
       a file that could not be written, `ask "질문"` that could not be answered, `ask --choose KEY`
       whose choice has expired, is unknown or was someone else's; `import` that did not apply everything
       (a file that cannot be read, a rejected row, 취소; `--dry-run`: a rejected row), a backup or restore
       that was refused
       (`ask` reading standard input answers every line, a failed one with an apology, and exits {OK})
  {FAULT}    usage, configuration or database fault: a bad option, a config error, a database that cannot
       be opened, is not a tfbot database or was made by a newer tfbot; `web` that cannot start (a port in
       use, an address not of this machine, no login off 127.0.0.1, a database it would have to create)
  {INTERRUPTED}  interrupted (Ctrl-C)
  {PIPE_CLOSED}  the reader of the output went away (`tfbot ask … | head -1`); nothing more is printed"""
UNANSWERED = ("error", "readonly")   # reply intents of an answer that failed (exit status 1)
NOT_CHOSEN = ("expired", "denied")   # and of a choice that was not answered
ROLES = ["member", "coordinator", "admin"]


class DatabaseFault(Exception):
    """The database named by --db, TFBOT_DB or config cannot be used (exit status 2)."""


def _version() -> str:
    try:
        return version("tfbot")
    except PackageNotFoundError:
        return "unknown"


def _positive_id(text: str) -> int:
    """An argparse type: a Telegram user id (a positive integer)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"사용자 ID는 숫자여야 합니다: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"사용자 ID는 양의 정수여야 합니다: {value}")
    return value


def _person_id(text: str) -> int:
    """An argparse type: a Telegram user id that can be given a role (not a shared id of Telegram's)."""
    value = _positive_id(text)
    try:
        check_person(value)
    except InvalidValue as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _port(text: str) -> int:
    """An argparse type: a TCP port (0: any free one)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"포트는 숫자여야 합니다: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"포트는 0~65535여야 합니다: {value}")
    return value


def _common() -> argparse.ArgumentParser:
    """--db and --config, accepted before or after the subcommand (the later one wins)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="SQLite database file (created and loaded on first use; default: TFBOT_DB, "
                             "[store] path in config, ./tfbot.db)")
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help="config.toml path (default: TFBOT_CONFIG, ./config.toml)")
    return common


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every tfbot command."""
    common = _common()
    parser = argparse.ArgumentParser(prog="tfbot", description="TF 업무 도우미 (contacts, budgets, tasks, meetings)",
                                     parents=[common], epilog=EXIT_CODES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=summary, description=summary, parents=[common], epilog=EXIT_CODES,
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    ask = command("ask", "answer one question, or one per line from standard input")
    ask.add_argument("question", nargs="?", help="the question; omit to read questions from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument("--user", type=_positive_id, metavar="ID",
                     help="ask as this Telegram user id (default: the local operator, an admin)")
    ask.add_argument("--choose", metavar="KEY",
                     help="answer a choice an earlier answer left open with the option KEY it printed "
                          "(no question); --user must be whoever was asked, except for 참석/불참")
    match = command("match", "candidate entities for a piece of text")
    match.add_argument("text", help="a name or a sentence to find names in")
    match.add_argument("--json", action="store_true", help="print the candidates as one JSON list")
    match.add_argument("--limit", type=int, default=5, metavar="N", help="at most N candidates (default 5)")
    run = command("run", "the Telegram bot (long polling, or a webhook with --webhook)")
    run.add_argument("--webhook", metavar="URL", help="public HTTPS URL of the webhook")
    run.add_argument("--listen", metavar="HOST:PORT", default="127.0.0.1:8443", help="where the webhook listens")
    command("start", "the Telegram bot when TFBOT_TOKEN is set, else the console REPL")
    users = command("users", "manage users and roles")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = users_sub.add_parser("add", help="add a user or change their role", parents=[common])
    add.add_argument("user_id", type=_person_id, metavar="ID", help="the person's Telegram user id")
    add.add_argument("--role", required=True, choices=ROLES, help="member asks; coordinator also logs progress "
                     "and schedules meetings; admin also grants roles")
    add.add_argument("--name", help="a name to show in answers and the audit log")
    users_sub.add_parser("list", help="list users", parents=[common])
    remove = users_sub.add_parser("remove", help="remove a user: their role, link, open choices and the invites "
                                  "they made end at once", parents=[common])
    remove.add_argument("user_id", type=_positive_id, metavar="ID", help="the Telegram user id to remove")
    audit = command("audit", "print the audit log")
    audit.add_argument("--since", help="ISO date (YYYY-MM-DD) to start from")
    missed = command("unanswered", "questions the data could not answer, and choices nobody picked")
    missed.add_argument("--since", help="ISO date (YYYY-MM-DD) to start from")
    ics = command("export-ics", "write every upcoming meeting (recurring ones with their rule) to an .ics file")
    ics.add_argument("path", nargs="?", default="tf-meetings.ics", help="the file to write (default tf-meetings.ics)")
    document = command("document", "read a 보도자료 (HWP, HWPX, PDF, TXT): show what it would add, and save it on "
                       "확인 (--yes, or the choice key it prints)")
    document.add_argument("file", metavar="FILE", help="the document file")
    document.add_argument("--yes", action="store_true",
                          help="save it at once: the document and the new contacts of its contact block")
    document.add_argument("--user", type=_positive_id, metavar="ID",
                          help="as this Telegram user id, who must be a coordinator (default: the local operator)")
    export = command("export", "write the data to an xlsx file (or, with --template, the empty import template)")
    export.add_argument("path", nargs="?", help="the file to write (default tfbot-export-YYYYMMDD.xlsx, "
                                                "or tfbot-template.xlsx with --template)")
    export.add_argument("--template", action="store_true", help="the empty template the importer reads")
    imports = command("import", "import an xlsx/xls/ods/csv file: preview, then apply all of it or nothing")
    imports.add_argument("file", help="the spreadsheet (sheets: 담당자·연락처, 기관, 사업·과제, 예산, 회의)")
    how = imports.add_mutually_exclusive_group()
    how.add_argument("--dry-run", action="store_true", help="only show the preview (exit 0: it would apply)")
    how.add_argument("--yes", action="store_true", help="apply after the same validation, without asking")
    backup = command("backup", "copy the database with SQLite's online backup (safe while the bot runs)")
    backup.add_argument("path", help="the backup file to write (a folder: a dated file in it)")
    restore = command("restore", "replace the database with a backup (the current one is backed up first)")
    restore.add_argument("path", help="a tfbot database file made by this or an older version")
    web = command("web", "the read-only web view (Datasette) of the public tables, refreshed as the bot writes")
    web.add_argument("--host", help="address to listen on (default: [web] host in config, 127.0.0.1); any other "
                                    "than the loopback needs TFBOT_WEB_PASSWORD")
    web.add_argument("--port", type=_port, help="port (default: [web] port in config, 8001; 0: any free port)")
    chat = command("chat", "console REPL on the same engine")
    chat.add_argument("--as", dest="as_user", type=_positive_id, metavar="ID",
                      help="chat as this Telegram user id (default: the local operator, an admin)")
    return parser


def policy(cfg: Config) -> Policy:
    """The engine's write-side settings from the configuration."""
    return Policy(admins=frozenset(cfg.admins), stale_days=cfg.stale_days, undo_minutes=cfg.undo_minutes,
                  confirm_minutes=cfg.confirm_minutes, follow_up_minutes=cfg.follow_up_minutes,
                  invite_days=cfg.invite_days, due_soon_days=cfg.due_soon_days)


def open_store(cfg: Config, announce: bool = False) -> Store:
    """Open the configured database; DatabaseFault when it cannot be used. `announce` logs which file is used
    (a new or a read-only one at WARNING): a bot started from another folder does not use another file
    unnoticed."""
    path = Path(cfg.db_path).absolute()
    fresh = not path.exists() or (path.is_file() and path.stat().st_size == 0)
    if announce and fresh and path.parent.is_dir():
        log.warning("새 데이터베이스를 만듭니다: %s", path)
    try:
        store = Store.open(path)
    except StoreError as exc:
        raise DatabaseFault(str(exc)) from exc
    if announce and store.read_only:
        log.warning("데이터베이스: %s (읽기 전용: 질문에는 답하고 기록은 거절합니다)", path)
    elif announce and not fresh:
        log.info("데이터베이스: %s", path)
    return store


def open_engine(cfg: Config, announce: bool = False) -> Engine:
    """Open the store named by the configuration and wrap it in an engine."""
    return Engine(open_store(cfg, announce), policy(cfg))


def cmd_users(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot users add|list|remove`: manage roles from the shell (audited as the local operator)."""
    store = open_store(cfg)
    at = now(cfg).isoformat()
    if args.users_command == "add":
        old = store.set_role(LOCAL_OPERATOR, args.user_id, args.role, at, args.name)
        before = f" (이전: {old['role']})" if old else ""
        print(f"사용자 ID {args.user_id}: {args.role}{before}")
    elif args.users_command == "remove":
        old = store.remove_user(LOCAL_OPERATOR, args.user_id, at)   # role, link, open choices, invites made
        also = [what for what, done in (("연결 해제", old["link"]), (f"선택지 {old['choices']}개 닫음", old["choices"]),
                                        (f"초대 {old['invites']}개 무효", old["invites"])) if done]
        print(f"사용자 ID {args.user_id}: 삭제했습니다 (이전: {old['role']}{'; ' + ', '.join(also) if also else ''})")
    else:
        rows = store.users()
        if not rows:
            print("등록된 사용자가 없습니다. 추가: tfbot users add ID --role member|coordinator|admin")
        for row in rows:
            print(f"{row['user_id']}\t{row['role']}\t{row['name'] or ''}")
        if cfg.admins:
            print(f"설정(config·TFBOT_ADMINS)의 관리자: {', '.join(str(a) for a in sorted(cfg.admins))}")
    return OK


def _since_is_a_date(since: str | None) -> bool:
    """Whether a --since value is absent or an ISO date; says why on stderr when it is not."""
    if since:
        try:
            datetime.fromisoformat(since)
        except ValueError:
            print(f"tfbot: --since 는 YYYY-MM-DD 형식이어야 합니다: {since!r}", file=sys.stderr)
            return False
    return True


def cmd_audit(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot audit [--since DATE]`: print the audit log."""
    if not _since_is_a_date(args.since):
        return FAULT
    lines = audit_lines(open_store(cfg), args.since)
    if not lines:
        print(f"{args.since} 이후의 감사 기록이 없습니다." if args.since else "감사 기록이 없습니다.")
    for line in lines:
        print(line)
    return OK


def cmd_unanswered(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot unanswered [--since DATE]`: what the TF asked that the bot could not answer (no user ids)."""
    if not _since_is_a_date(args.since):
        return FAULT
    rows = open_store(cfg).misses(args.since)
    if not rows:
        print("답하지 못한 질문이 없습니다.")
    for row in rows:
        what = "찾지 못함" if row["kind"] == "notfound" else "선택 안 됨"
        print(f"{str(row['at'])[:16].replace('T', ' ')}  {what}  {row['text']}  — 이해한 것: {row['understood']}")
    return 0


def now(cfg: Config) -> datetime:
    """The current time in the configured timezone (the only clock reading of the CLI)."""
    return datetime.now(cfg.tz)


def cmd_ask(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot ask`: one question from the argument, one per line from stdin (a failing one does not stop the
    others), or `--choose KEY`: an option of a choice an earlier answer left open, from any process."""
    if args.choose is not None and args.question is not None:
        print("tfbot: --choose 에는 질문을 함께 적지 않습니다: 선택지의 키만 주세요.", file=sys.stderr)
        return FAULT
    core = Conversation(open_engine(cfg))
    if args.choose is not None:
        out = core.handle(Press(args.choose, ask_message(cfg, args, "")))
        print_answer(out, args, batch=False)
        return FAILED if out.reply.intent in (*UNANSWERED, *NOT_CHOSEN) else OK
    batch = args.question is None
    questions: Iterable[str] = (line.rstrip("\n") for line in sys.stdin) if batch else [args.question]
    failed = False
    for question in questions:
        out = core.handle(ask_message(cfg, args, question))
        failed = failed or out.reply.intent in UNANSWERED
        print_answer(out, args, batch)
    return FAILED if failed and not batch else OK


def ask_message(cfg: Config, args: argparse.Namespace, text: str) -> Message:
    """A question (or a choice) of `tfbot ask`: as `--user`, or as the local operator."""
    return Message(text=text, now=now(cfg), user_id=args.user, chat_id=args.user, local_operator=args.user is None)


def print_answer(out: Outgoing, args: argparse.Namespace, batch: bool) -> None:
    """Print one answer: its text with the keys of an open choice and how to answer it, or one JSON object
    (`"choices": [{"key", "label"}]` when it asks one)."""
    files = [(saved(a), a) for a in out.reply.attachments]   # an export, a preview, an .ics: written here
    if args.json:
        shown = out.reply.as_json()
        if files:
            shown["files"] = [{"path": path, "type": a.mime, "caption": a.caption or a.filename} for path, a in files]
        if out.options:
            shown["choices"] = [{"key": o.key, "label": o.label} for o in out.options]
        print(json.dumps(shown, ensure_ascii=False), flush=True)
        return
    lines = [out.body()]
    lines.extend(f"  [{o.key}] {o.label}" for o in out.options)
    lines.extend(f"  (첨부: {path}, {len(a.data):,} bytes)" for path, a in files)
    if out.options:
        who = f" --user {args.user}" if args.user is not None else ""
        lines.append(f"고르려면: tfbot ask --choose {out.options[0].key}{who} (키는 위 목록에서)")
    print("\n".join(lines), flush=True)
    if batch:
        print(flush=True)


def cmd_document(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot document FILE [--yes]`: the preview of a document (with the key of its choice), or with --yes the
    document saved with its new contacts. Exit 0 only when it was read (and, with --yes, saved)."""
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"tfbot: 문서 파일을 읽을 수 없습니다: {path.absolute()} ({_why(exc, reading=True)})", file=sys.stderr)
        return FAULT
    core = Conversation(open_engine(cfg))
    message = ask_message(cfg, args, "")
    out = core.receive_document(path.name, data, message)
    if args.yes and out.options:
        print(out.body(), flush=True)
        out = core.handle(Press(out.options[0].key, message))   # 확인: the document and its new contacts
        print(out.body(), flush=True)
        return OK if out.written else FAILED
    args.json = False
    print_answer(out, args, batch=False)
    return OK if out.options else FAILED


def cmd_match(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot match`: the candidate entities for a text, with scores."""
    engine = open_engine(cfg)
    found = engine.match(args.text, args.limit)
    if args.json:
        print(json.dumps([{"kind": c.kind, "id": c.id, "name": c.name, "score": round(c.score, 1)}
                          for c in found], ensure_ascii=False))
    elif not found:
        print("일치하는 항목이 없습니다.")
    else:
        for c in found:
            print(f"{c.score:5.1f}  {c.kind:<12} {c.id:<28} {c.name}")
    return 0


def cmd_chat(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot chat`: the console REPL."""
    return run_console_for(cfg, args.as_user)


def cmd_export_ics(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot export-ics [PATH]`: every upcoming meeting as one calendar file; a recurring meeting as its RRULE,
    with EXDATEs for cancelled occurrences and an override (RECURRENCE-ID) for each moved one."""
    from intents.dates.calendar import meetings_ics

    store = open_store(cfg)
    moment = now(cfg)
    meetings = store.calendar_meetings(moment.isoformat())
    target = Path(args.path)
    try:
        with open(target, "wb") as f:
            f.write(meetings_ics(meetings, moment))
    except OSError as exc:
        print(f"tfbot: 일정 파일을 쓸 수 없습니다: {target.absolute()} ({_why(exc)})", file=sys.stderr)
        return FAILED
    recurring = sum(1 for m in meetings if m.get("rrule"))
    said = f" (반복 회의 {recurring}건)" if recurring else ""
    print(f"{len(meetings)}건의 회의를 {args.path}에 저장했습니다.{said}")
    return OK


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot export [PATH] [--template]`: the data (everything: the local operator is an admin) or the template."""
    from intents.writes.sheets import TEMPLATE_NAME, export_name
    from store.sheets.exporting import export_bytes
    from store.sheets.writing import template_workbook

    moment = now(cfg)
    if args.template:
        data, target = template_workbook(cfg.tz), Path(args.path or TEMPLATE_NAME)
    else:
        data, target = export_bytes(open_store(cfg), True, cfg.tz), Path(args.path or export_name(moment))
    try:
        target.write_bytes(data)
    except OSError as exc:
        print(f"tfbot: 파일을 쓸 수 없습니다: {target.absolute()} ({_why(exc)})", file=sys.stderr)
        return FAILED
    print(f"{'가져오기 양식을' if args.template else '데이터를'} {target}에 저장했습니다.")
    return OK


def cmd_import(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot import FILE [--dry-run | --yes]`: validate the whole file, show the preview, and apply all of it
    (after a backup) or nothing; without either option, ask on a terminal."""
    from intents.writes.sheets import apply_import, preview_lines
    from store.sheets.current import snapshot
    from store.sheets.plan import plan_import
    from store.sheets.reading import UnreadableFile, read_path

    store = open_store(cfg)
    path = Path(args.file)
    try:
        raws = read_path(path)
    except UnreadableFile as exc:
        print(f"tfbot: {exc} 아무것도 바꾸지 않았습니다.", file=sys.stderr)
        return FAILED
    plan = plan_import(path.name, raws, snapshot(store.db), cfg.tz)
    print("\n".join(preview_lines(plan, apply="적용하면")), flush=True)
    if not plan.ok:
        return FAILED
    if not plan.changes or args.dry_run:
        return OK
    if not args.yes:
        if not sys.stdin.isatty():
            print("터미널이 아니라 물어볼 수 없어 적용하지 않았습니다: 적용하려면 --yes 를 주세요.", file=sys.stderr)
            return FAILED
        try:
            answer = input("적용할까요? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes", "예", "네", "ㅇ"):
            print("취소했습니다. 아무것도 바꾸지 않았습니다.")
            return FAILED
    done = apply_import(store, plan, LOCAL_OPERATOR, now(cfg))
    print(done.text)
    return OK


def cmd_backup(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot backup PATH`: a consistent copy of the database, taken while it may be in use."""
    from store.backup import backup_file

    target = Path(args.path)
    if args.path.endswith(("/", os.sep)) and target.parent.is_dir():   # "backups/": a folder, made if need be
        target.mkdir(exist_ok=True)
    written = backup_file(Path(cfg.db_path), target, now(cfg))   # reads only: never waits for a writer
    print(f"백업했습니다: {written}")
    return OK


def cmd_restore(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot restore PATH`: check the file, back the current database up, copy the file in, migrate it."""
    from store.backup import restore_from

    store = open_store(cfg)
    saved = restore_from(store, Path(args.path), now(cfg))
    store.close()
    open_store(cfg).close()   # an older file is migrated forward now, not by the next command
    print(f"복원했습니다: {args.path} → {Path(cfg.db_path).absolute()}"
          + (f" (복원 전 데이터베이스 백업: {saved})" if saved else ""))
    return OK


def _why(exc: OSError, reading: bool = False) -> str:
    """Why a file could not be written (or, `reading`, read), in Korean."""
    if isinstance(exc, FileNotFoundError):
        return "파일이 없습니다" if reading else "폴더가 없습니다"
    if isinstance(exc, IsADirectoryError):
        return "파일이 아니라 폴더입니다"
    if isinstance(exc, NotADirectoryError) and not reading:
        return "경로 중간에 폴더가 아닌 파일이 있습니다"
    if isinstance(exc, PermissionError):
        return "읽기 권한이 없습니다" if reading else "쓰기 권한이 없습니다"
    return exc.strerror or type(exc).__name__


def cmd_run(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot run`: serve the engine on Telegram; needs TFBOT_TOKEN."""
    if not cfg.token:
        print("tfbot: TFBOT_TOKEN 환경 변수에 봇 토큰을 설정해야 텔레그램 봇을 시작할 수 있습니다.", file=sys.stderr)
        return FAULT
    from telegram.error import InvalidToken, NetworkError

    from bot import telegram
    from bot.reminder_service import ReminderService

    engine = open_engine(cfg, announce=True)
    reminders = [ReminderService(engine.store, engine.policy, cfg)]
    webhook = getattr(args, "webhook", None)
    try:
        _check_bot_api(cfg)
        if webhook:
            telegram.run_webhook(cfg, engine, webhook, args.listen, reminders)
        else:
            telegram.run_polling(cfg, engine, reminders)
    except InvalidToken:   # the exception's text holds the token: not printed
        print("tfbot: 텔레그램이 봇 토큰을 거절했습니다. TFBOT_TOKEN을 확인해 주세요.", file=sys.stderr)
        return FAULT
    except NetworkError:   # only start-up gets here: once running, the bot retries by itself
        where = cfg.api_base_url or "https://api.telegram.org"
        print(f"tfbot: 텔레그램 Bot API에 연결할 수 없습니다: {where}. 네트워크와 TFBOT_API_BASE_URL을 확인해 주세요.",
              file=sys.stderr)
        return FAILED
    return OK


def _check_bot_api(cfg: Config) -> None:
    """Ask the Bot API who the bot is, once, before starting: a refused token or an unreachable server raises
    here (InvalidToken, NetworkError) instead of in python-telegram-bot's start-up, which logs a traceback and
    leaves the transport's connections open."""
    import asyncio

    from telegram import Bot

    from bot.telegram import api_urls
    from bot.telegram_http import AiohttpRequest

    token = cfg.token or ""

    async def who_am_i() -> None:   # over the bot's one transport, as every later call
        api, files = api_urls(cfg.api_base_url or "https://api.telegram.org")
        bot = Bot(token, base_url=api, base_file_url=files, request=AiohttpRequest(1),
                  get_updates_request=AiohttpRequest(1))
        async with bot:   # initialize() calls getMe; shut down again either way
            pass

    asyncio.run(who_am_i())


def cmd_web(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot web [--host H] [--port P]`: serve the read-only web view until interrupted."""
    from bot.web import WebFault, serve

    try:
        serve(cfg, args.host or cfg.web_host, cfg.web_port if args.port is None else args.port)
    except (WebFault, StoreError) as exc:   # the database, the address, the login: said before serving
        print(f"tfbot: {exc}", file=sys.stderr)
        return FAULT
    return OK


def cmd_start(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot start`: Telegram long polling with a token, the console REPL without one."""
    if cfg.token:
        return cmd_run(args, cfg)
    print("TFBOT_TOKEN이 설정되지 않아 콘솔 모드로 시작합니다.")
    return run_console_for(cfg, None)


def run_console_for(cfg: Config, user_id: int | None) -> int:
    """Open the engine and run the console REPL as `user_id`."""
    from bot.console import run_console

    return run_console(open_engine(cfg, announce=True), cfg, user_id)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tfbot` console script; the exit statuses are listed in EXIT_CODES."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        cfg = load_config(getattr(args, "config", None), getattr(args, "db", None))
        configure_logging(cfg.log_level, cfg.log_format, cfg.token)
        handler = {"ask": cmd_ask, "match": cmd_match, "chat": cmd_chat, "run": cmd_run,
                   "start": cmd_start, "users": cmd_users, "audit": cmd_audit, "unanswered": cmd_unanswered,
                   "export-ics": cmd_export_ics, "document": cmd_document, "export": cmd_export, "import": cmd_import,
                   "backup": cmd_backup, "restore": cmd_restore, "web": cmd_web}[args.command]
        status = handler(args, cfg)
        sys.stdout.flush()   # a closed pipe is met here, not at exit
        return status
    except (ConfigError, DatabaseFault) as exc:
        print(f"tfbot: {exc}", file=sys.stderr)
        return FAULT
    except StoreError as exc:   # an operation the store refused: a read-only database, an unknown user
        print(f"tfbot: {exc}", file=sys.stderr)
        return FAILED
    except BrokenPipeError:
        _drop_stdout()
        return PIPE_CLOSED
    except KeyboardInterrupt:
        return INTERRUPTED


def _drop_stdout() -> None:
    """Point stdout at /dev/null so that nothing more is written to a pipe whose reader went away."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
