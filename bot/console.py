"""The console REPL: the same engine as Telegram, for local use and trying things out."""

import contextlib
import sys
from datetime import datetime
from pathlib import Path

from bot.config import Config
from intents.engine import Engine
from intents.message import Message

HISTORY = Path.home() / ".tfbot_history"


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


def run_console(engine: Engine, cfg: Config, user_id: int | None) -> int:
    """Read questions from the terminal and print answers until EOF or '종료'."""
    interactive = sys.stdin.isatty()
    if interactive:
        _readline()
        print("tfbot 콘솔입니다. 질문을 입력하세요 (도움말: /help, 끝내기: 종료 또는 Ctrl-D).")
    pending: list[tuple[str, str]] = []
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
        message = Message(text=text, now=datetime.now(cfg.tz), user_id=user_id, chat_id=user_id)
        choice = None
        if text.isdigit() and pending and 1 <= int(text) <= len(pending):
            original, choice = pending[int(text) - 1]
            message = Message(text=original, now=message.now, user_id=user_id, chat_id=user_id)
        reply = engine.answer(message, choice=choice)
        print(reply.text)
        pending = [(message.text, b.action) for b in reply.buttons]
        for i, button in enumerate(reply.buttons, start=1):
            print(f"  [{i}] {button.label}")
        if pending:
            print("번호를 입력해 선택하세요.")
        print()
    return 0
