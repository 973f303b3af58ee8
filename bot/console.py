"""The console REPL: the same engine as Telegram, for local use; reminders print as they fall due."""

import contextlib
import sys
import threading
from datetime import datetime
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from bot.config import Config
from bot.scheduler import sync_reminders
from intents.dates.reminders import Due, Reminders, parse_offset
from intents.engine import Engine
from intents.message import Message, Reply
from intents.writes.schedule import MEETING_WRITES

HISTORY = Path.home() / ".tfbot_history"
CONSOLE_CHAT = 0
SYNC_SECONDS = 30


def _readline() -> None:
    try:
        import readline
    except ImportError:   # not on every platform
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY)
    import atexit

    atexit.register(lambda: _save(readline))


def _save(readline: object) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(HISTORY)  # type: ignore[attr-defined]


def show(reply: Reply) -> None:
    """Print a reply, its numbered choices and its attachments."""
    print(reply.text)
    for i, button in enumerate(reply.buttons, start=1):
        print(f"  [{i}] {button.label}")
    for attachment in reply.attachments:
        print(f"  (첨부: {attachment.filename}, {len(attachment.data):,} bytes)")
    if reply.buttons:
        print("번호를 입력해 선택하세요.")
    print()


class ConsoleReminders:
    """Reminders for the console: an APScheduler background scheduler that prints them."""

    def __init__(self, engine: Engine, cfg: Config) -> None:
        self.cfg = cfg
        self.lock = threading.Lock()
        self.reminders = Reminders(engine.store, [parse_offset(o) for o in cfg.reminder_offsets], CONSOLE_CHAT)
        self.scheduler = BackgroundScheduler(timezone=cfg.tz)

    def start(self) -> None:
        """Start the scheduler, plan every reminder and re-plan periodically."""
        self.scheduler.start()
        self.sync()
        self.scheduler.add_job(self.sync, "interval", seconds=SYNC_SECONDS, id="sync", replace_existing=True)

    def sync(self) -> None:
        """Re-plan reminders from the database."""
        with self.lock:
            sync_reminders(self.scheduler, self.reminders, datetime.now(self.cfg.tz), self.fire)

    def fire(self, due: Due) -> None:
        """Print a reminder that fell due (once)."""
        with self.lock:
            self.reminders.deliver(due, datetime.now(self.cfg.tz), self._print)

    @staticmethod
    def _print(chat: int, reply: Reply) -> bool:
        print()
        show(reply)
        return True

    def stop(self) -> None:
        """Stop the scheduler."""
        self.scheduler.shutdown(wait=False)


def run_console(engine: Engine, cfg: Config, user_id: int | None) -> int:
    """Read questions from the terminal and print answers until EOF or '종료'."""
    interactive = sys.stdin.isatty()
    reminders = ConsoleReminders(engine, cfg)
    remind = interactive and not engine.store.read_only   # a sent reminder is recorded: not in a read-only file
    if interactive:
        _readline()
        print("tfbot 콘솔입니다. 질문을 입력하세요 (도움말: /help, 끝내기: 종료 또는 Ctrl-D).")
    if remind:
        reminders.start()
    pending: list[tuple[str, str]] = []
    try:
        while True:
            try:
                line = input("> " if interactive else "")
            except EOFError:
                break
            text = line.strip()
            if text in ("종료", "exit", "quit"):
                break
            if not text:
                continue
            message = Message(text=text, now=datetime.now(cfg.tz), user_id=user_id, chat_id=user_id,
                              chat_kind="private", local_operator=user_id is None)
            choice = None
            if text.isdigit() and pending and 1 <= int(text) <= len(pending):
                original, choice = pending[int(text) - 1]
                message = Message(text=original, now=message.now, user_id=user_id, chat_id=user_id,
                                  local_operator=user_id is None)
            with reminders.lock:
                reply = engine.answer(message, choice=choice)
            show(reply)
            pending = [(message.text, b.action) for b in reply.buttons]
            if remind and reply.intent in MEETING_WRITES:
                reminders.sync()
    finally:
        if remind:
            reminders.stop()
    return 0
