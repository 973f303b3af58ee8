"""The console REPL: lines in, the conversation core, text out; reminders print as they fall due.

Every option shown gets a number of its own ([1], [2], … and, for a reminder printed meanwhile, [3], [4]), so a
number never means two things; typing a number or an option's label (참석, 불참, a task's name) answers it. The
options shown stay open until answered or until the next question.
"""

import contextlib
import re
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from apscheduler.schedulers.background import BackgroundScheduler

from bot.config import Config
from bot.conversation import Conversation, Option, Outgoing, Press
from bot.files import saved
from bot.scheduler import sync_reminders
from intents.dates.reminders import Due, Reminders, extend_window, parse_offset, window_stale
from intents.engine import Engine
from intents.message import Message, Reply

HISTORY = Path.home() / ".tfbot_history"
CONSOLE_CHAT = 0
SYNC_SECONDS = 30
PROMPT = "> "
HINT = "번호나 이름으로 고르세요."
_KIND_SUFFIX = re.compile(r"\s*\([^()]*\)$")   # "부산지역사업평가단 (기관)" → "부산지역사업평가단"


def _readline() -> Callable[[], str]:
    """Load readline with the history file; the function that returns the line being typed."""
    try:
        import readline
    except ImportError:   # not on every platform
        return lambda: ""
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY)
    import atexit

    atexit.register(lambda: _save(readline))
    return readline.get_line_buffer


def _save(readline: object) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(HISTORY)  # type: ignore[attr-defined]


def _said(text: str) -> str:
    return " ".join(text.split()).casefold()


class Console:
    """One console session: the core, the options shown (by number), and the terminal it writes to.

    `lock` serialises the core and the output between the typist and the reminders' thread.
    """

    def __init__(self, core: Conversation, cfg: Config, user_id: int | None, out: TextIO | None = None,
                 prompt: bool = False, line_buffer: Callable[[], str] = lambda: "") -> None:
        self.core, self.cfg, self.user_id = core, cfg, user_id
        self.out = out or sys.stdout
        self.prompt = prompt
        self.line_buffer = line_buffer
        self.lock = threading.RLock()
        self.options: dict[int, Option] = {}   # number shown → option, in the order shown
        self.reading = False   # the typist is at the prompt: a reminder printed now redraws it

    def message(self, text: str) -> Message:
        """What the typist said, as the core reads it: the local operator unless chatting as a user id."""
        return Message(text=text, now=datetime.now(self.cfg.tz), user_id=self.user_id, chat_id=self.user_id,
                       chat_kind="private", local_operator=self.user_id is None)

    def read(self) -> str:
        """One line from the terminal (EOFError at the end), the prompt shown while it is typed."""
        self.reading = True
        try:
            return input(PROMPT if self.prompt else "")
        finally:
            self.reading = False

    def line(self, text: str) -> Outgoing:
        """Answer one typed line: a number or label of an option shown answers it; anything else is asked."""
        with self.lock:
            option = self.chosen(text.strip())
            if option is None:
                self.options.clear()   # a new question: the options shown before it are closed here
                out = self.core.handle(self.message(text))
            else:
                out = self.core.handle(Press(option.key, self.message("")))
                if not out.refused:
                    self._close(option)
            self.show(out)
        return out

    def chosen(self, text: str) -> Option | None:
        """The option shown that a typed number or label names: its exact label, or the label without its
        kind in parentheses when only one option says it; the most recently shown first."""
        if text.isdigit():
            return self.options.get(int(text))
        said = _said(text)
        if not said:
            return None
        newest_first = list(reversed(self.options.values()))
        exact = [o for o in newest_first if _said(o.label) == said]
        if exact:
            return exact[0]
        short = [o for o in newest_first if _said(_KIND_SUFFIX.sub("", o.label)) == said]
        return short[0] if len({o.key.split(".")[0] for o in short}) == 1 else None

    def _close(self, option: Option) -> None:
        """Forget the options of a choice that has been answered (or has expired)."""
        choice = option.key.split(".")[0]
        for number in [n for n, o in self.options.items() if o.key.split(".")[0] == choice]:
            del self.options[number]

    def notify(self, chat: int, reply: Reply) -> bool:
        """Print a message nobody asked for (a reminder) between the typist's lines; its options are numbered
        after those already shown, and the prompt with what was being typed is drawn again."""
        with self.lock:
            out = self.core.offer(chat, reply, datetime.now(self.cfg.tz))
            if self.reading and self.prompt:
                self.out.write("\r\x1b[K")   # the prompt line, cleared: the message takes its place
            else:
                self.out.write("\n")
            self.show(out)
            if self.reading and self.prompt:
                self.out.write(PROMPT + self.line_buffer())
                self.out.flush()
        return True

    def show(self, out: Outgoing) -> None:
        """Print a reply once: its text, its options numbered, its attachments."""
        lines = [out.body()]
        start = max(self.options, default=0) + 1
        for number, option in enumerate(out.options, start=start):
            self.options[number] = option
            lines.append(f"  [{number}] {option.label}")
        lines.extend(f"  (첨부: {saved(a)}, {len(a.data):,} bytes)" for a in out.reply.attachments)
        if out.options:
            lines.append(HINT)
        self.out.write("\n".join(lines) + "\n\n")
        self.out.flush()


class ConsoleReminders:
    """Reminders for the console: an APScheduler background scheduler that prints them through `console` (by
    default a new one, writing to standard output)."""

    def __init__(self, engine: Engine, cfg: Config, console: Console | None = None) -> None:
        self.cfg = cfg
        self.console = console or Console(Conversation(engine), cfg, None)
        self.reminders = Reminders(engine.store, [parse_offset(o) for o in cfg.reminder_offsets], CONSOLE_CHAT)
        self.scheduler = BackgroundScheduler(timezone=cfg.tz)

    def start(self) -> None:
        """Start the scheduler, plan every reminder and re-plan periodically; recurring meetings' window is
        extended now if it fell behind, and daily."""
        self.scheduler.start()
        self.extend(only_if_stale=True)
        self.scheduler.add_job(self.sync, "interval", seconds=SYNC_SECONDS, id="sync", replace_existing=True)
        self.scheduler.add_job(self.extend, "interval", days=1, id="occurrence-window", replace_existing=True)

    def extend(self, only_if_stale: bool = False) -> None:
        """Extend the rolling window of recurring meetings' occurrences, then re-plan."""
        now, store = datetime.now(self.cfg.tz), self.reminders.store
        with self.console.lock:
            if not only_if_stale or window_stale(store, now, self.cfg.window_days):
                extend_window(store, now, self.cfg.window_days)
        self.sync()

    def sync(self) -> None:
        """Re-plan reminders from the database."""
        with self.console.lock:
            sync_reminders(self.scheduler, self.reminders, datetime.now(self.cfg.tz), self.fire)

    def fire(self, due: Due) -> None:
        """Print a reminder that fell due (once)."""
        with self.console.lock:
            self.reminders.deliver(due, datetime.now(self.cfg.tz), self.console.notify)

    def stop(self) -> None:
        """Stop the scheduler."""
        self.scheduler.shutdown(wait=False)


def run_console(engine: Engine, cfg: Config, user_id: int | None) -> int:
    """Read questions from the terminal and print answers until EOF or '종료'."""
    interactive = sys.stdin.isatty()
    line_buffer = _readline() if interactive else (lambda: "")
    console = Console(Conversation(engine), cfg, user_id, prompt=interactive, line_buffer=line_buffer)
    reminders = ConsoleReminders(engine, cfg, console)
    remind = interactive and not engine.store.read_only   # a sent reminder is recorded: not in a read-only file
    if interactive:
        print("tfbot 콘솔입니다. 질문을 입력하세요 (도움말: /help, 끝내기: 종료 또는 Ctrl-D).")
    if remind:
        reminders.start()
    try:
        while True:
            try:
                text = console.read().strip()
            except EOFError:
                break
            if text in ("종료", "exit", "quit"):
                break
            if not text:
                continue
            out = console.line(text)
            if remind and any(w.what == "meeting" for w in out.written):
                reminders.sync()
    finally:
        if remind:
            reminders.stop()
    return 0
