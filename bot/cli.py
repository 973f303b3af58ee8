"""The `tfbot` command line: ask, match, chat, run — a thin layer over store and engine."""

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime

from bot.config import Config, ConfigError, load_config
from intents.engine import Engine
from intents.message import Message
from intents.writes.access import Policy
from intents.writes.admin import audit_lines
from store import Store, StoreError

LOCAL_OPERATOR = 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="SQLite database path (created and loaded on first use)")
    parser.add_argument("--config", help="config.toml path")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every tfbot command."""
    parser = argparse.ArgumentParser(prog="tfbot", description="TF 업무 도우미 (contacts, budgets, tasks, meetings)")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question, or one per line from standard input")
    ask.add_argument("question", nargs="?", help="the question; omit to read questions from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument("--user", type=int, help="ask as this Telegram user id")
    _common(ask)
    match = sub.add_parser("match", help="candidate entities for a piece of text")
    match.add_argument("text")
    match.add_argument("--json", action="store_true")
    match.add_argument("--limit", type=int, default=5)
    _common(match)
    run = sub.add_parser("run", help="the Telegram bot (long polling, or a webhook with --webhook)")
    run.add_argument("--webhook", metavar="URL", help="public HTTPS URL of the webhook")
    run.add_argument("--listen", metavar="HOST:PORT", default="127.0.0.1:8443", help="where the webhook listens")
    _common(run)
    start = sub.add_parser("start", help="the Telegram bot when TFBOT_TOKEN is set, else the console REPL")
    _common(start)
    users = sub.add_parser("users", help="manage users and roles")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="add a user or change their role")
    add.add_argument("user_id", type=int)
    add.add_argument("--role", required=True, choices=["member", "coordinator", "admin"])
    add.add_argument("--name")
    _common(add)
    listing = users_sub.add_parser("list", help="list users")
    _common(listing)
    remove = users_sub.add_parser("remove", help="remove a user")
    remove.add_argument("user_id", type=int)
    _common(remove)
    audit = sub.add_parser("audit", help="print the audit log")
    audit.add_argument("--since", help="ISO date (YYYY-MM-DD) to start from")
    _common(audit)
    missed = sub.add_parser("unanswered", help="questions the data could not answer, and choices nobody picked")
    missed.add_argument("--since", help="ISO date (YYYY-MM-DD) to start from")
    _common(missed)
    ics = sub.add_parser("export-ics", help="write every upcoming meeting to an .ics file")
    ics.add_argument("path", nargs="?", default="tf-meetings.ics")
    _common(ics)
    chat = sub.add_parser("chat", help="console REPL on the same engine")
    chat.add_argument("--as", dest="as_user", type=int, help="chat as this Telegram user id")
    _common(chat)
    return parser


def policy(cfg: Config) -> Policy:
    """The engine's write-side settings from the configuration."""
    return Policy(admins=frozenset(cfg.admins), stale_days=cfg.stale_days, undo_minutes=cfg.undo_minutes,
                  confirm_minutes=cfg.confirm_minutes, follow_up_minutes=cfg.follow_up_minutes)


def open_engine(cfg: Config) -> Engine:
    """Open the store named by the configuration and wrap it in an engine."""
    return Engine(Store.open(cfg.db_path), policy(cfg))


def cmd_users(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot users add|list|remove`: manage roles from the shell (audited as the local operator)."""
    store = Store.open(cfg.db_path)
    at = now(cfg).isoformat()
    if args.users_command == "add":
        store.set_role(LOCAL_OPERATOR, args.user_id, args.role, at, args.name)
        print(f"사용자 {args.user_id}: {args.role}")
    elif args.users_command == "remove":
        store.remove_user(LOCAL_OPERATOR, args.user_id, at)
        print(f"사용자 {args.user_id}를 삭제했습니다.")
    else:
        for row in store.users():
            print(f"{row['user_id']}\t{row['role']}\t{row['name'] or ''}")
    return 0


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
        return 2
    for line in audit_lines(Store.open(cfg.db_path), args.since):
        print(line)
    return 0


def cmd_unanswered(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot unanswered [--since DATE]`: what the TF asked that the bot could not answer (no user ids)."""
    if not _since_is_a_date(args.since):
        return 2
    rows = Store.open(cfg.db_path).misses(args.since)
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
    """`tfbot ask`: one question from the argument, or one per line from stdin."""
    engine = open_engine(cfg)
    questions = [args.question] if args.question is not None else (line.rstrip("\n") for line in sys.stdin)
    for question in questions:
        message = Message(text=question, now=now(cfg), user_id=args.user, chat_id=args.user)
        reply = engine.answer(message)
        if args.json:
            print(json.dumps(reply.as_json(), ensure_ascii=False), flush=True)
        else:
            print(reply.text, flush=True)
            if args.question is None:
                print(flush=True)
    return 0


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
    """`tfbot export-ics [PATH]`: every upcoming meeting as one calendar file."""
    from intents.dates.calendar import meetings_ics

    store = Store.open(cfg.db_path)
    moment = now(cfg)
    meetings = store.scheduled_meetings(moment.isoformat())
    with open(args.path, "wb") as f:
        f.write(meetings_ics(meetings, moment))
    print(f"{len(meetings)}건의 회의를 {args.path}에 저장했습니다.")
    return 0


def cmd_run(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot run`: serve the engine on Telegram; needs TFBOT_TOKEN."""
    if not cfg.token:
        print("tfbot: TFBOT_TOKEN 환경 변수에 봇 토큰을 설정해야 텔레그램 봇을 시작할 수 있습니다.", file=sys.stderr)
        return 2
    from bot import telegram
    from bot.reminder_service import ReminderService

    engine = open_engine(cfg)
    reminders = [ReminderService(engine.store, engine.policy, cfg)]
    webhook = getattr(args, "webhook", None)
    if webhook:
        telegram.run_webhook(cfg, engine, webhook, args.listen, reminders)
    else:
        telegram.run_polling(cfg, engine, reminders)
    return 0


def cmd_start(args: argparse.Namespace, cfg: Config) -> int:
    """`tfbot start`: Telegram long polling with a token, the console REPL without one."""
    if cfg.token:
        return cmd_run(args, cfg)
    print("TFBOT_TOKEN이 설정되지 않아 콘솔 모드로 시작합니다.")
    return run_console_for(cfg, None)


def run_console_for(cfg: Config, user_id: int | None) -> int:
    """Open the engine and run the console REPL as `user_id`."""
    from bot.console import run_console

    return run_console(open_engine(cfg), cfg, user_id)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tfbot` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        cfg = load_config(args.config, args.db)
        handler = {"ask": cmd_ask, "match": cmd_match, "chat": cmd_chat, "run": cmd_run,
                   "start": cmd_start, "users": cmd_users, "audit": cmd_audit, "unanswered": cmd_unanswered,
                   "export-ics": cmd_export_ics}[args.command]
        return handler(args, cfg)
    except (ConfigError, StoreError) as exc:
        print(f"tfbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
