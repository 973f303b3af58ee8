"""`tfbot chat` in a real terminal (a pseudo-terminal): a reminder falls due while something is being typed, is
printed once, the prompt and the typed text are drawn again, and typing 1 answers it."""

import os
import select
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from store import Store

pty = pytest.importorskip("pty")
ROOT = Path(__file__).resolve().parent.parent
TITLE = "콘솔 점검회의"


class Terminal:
    """A child process on a pseudo-terminal: what it printed so far, and keys typed into it."""

    def __init__(self, *argv: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:   # the child: tfbot on the terminal
            os.chdir(ROOT)
            env = {k: v for k, v in os.environ.items() if not k.startswith("TFBOT_")}
            os.execve(sys.executable, [sys.executable, "-m", "bot.cli", *argv], env)
        self.raw = b""

    def type(self, keys: str) -> None:
        """Type keys (a newline ends a line)."""
        os.write(self.fd, keys.encode())

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Read until `text` has been printed; everything printed so far."""
        deadline = time.monotonic() + timeout
        while text not in self.seen() and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.raw += os.read(self.fd, 4096)
                except OSError:   # the child closed the terminal
                    break
        assert text in self.seen(), self.seen()
        return self.seen()

    def seen(self) -> str:
        """Everything printed so far."""
        return self.raw.decode(errors="replace")

    def close(self) -> None:
        """End the session (Ctrl-D) and reap the child."""
        self.type("\x04")
        deadline = time.monotonic() + 5
        while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
                break
            time.sleep(0.05)
        os.close(self.fd)


def test_a_reminder_while_typing_is_printed_once_redraws_the_prompt_and_is_answered(tmp_path: Path) -> None:
    db, config = tmp_path / "tf.db", tmp_path / "config.toml"
    store = Store.open(db)
    now = datetime.now(ZoneInfo("Asia/Seoul"))
    start = (now + timedelta(seconds=4)).replace(microsecond=0)
    meeting = store.add_meeting(None, now.isoformat(), TITLE, start.isoformat(), None, None, None)
    store.close()
    config.write_text('[reminders]\noffsets = ["2s"]\n[logging]\nlevel = "WARNING"\n')
    terminal = Terminal("chat", "--db", str(db), "--config", str(config))
    try:
        terminal.wait_for("> ")
        terminal.type("부산")   # typing, not yet sent, when the reminder falls due
        terminal.wait_for("번호나 이름으로 고르세요.")
        shown = terminal.wait_for("번호나 이름으로 고르세요.\r\n\r\n> 부산")   # the prompt, drawn again
        assert shown.count("⏰ 회의 알림") == 1 and "[1] 참석" in shown
        terminal.type("\x15" + "1\n")   # clear the line, answer the reminder by number
        terminal.wait_for("참석으로 기록했습니다")
        terminal.type(f"{TITLE} 참석자\n")
        answer = terminal.wait_for("참석 1명: 로컬 운영자")
        time.sleep(0.5)
        assert answer.count("⏰ 회의 알림") == 1 and "찾지 못했습니다" not in answer
    finally:
        terminal.close()
    store = Store.open(db)
    assert [(r["user_id"], r["response"]) for r in store.responses(meeting)] == [(0, "참석")]
    store.close()
