"""Logging for every tfbot command: to standard error, text or JSON lines, and never the bot token."""

import logging
import re
import sys
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
REDACTED = "[REDACTED]"
# httpx logs every request's URL at INFO (the token is part of every Bot API URL: getUpdates each few
# seconds); httpcore's connection chatter and APScheduler's "Running job"/"executed successfully" lines
# would drown the bot's own lines. They speak only at WARNING and above unless the level is DEBUG.
NOISY = ("httpx", "httpcore", "apscheduler")
_TOKEN_IN_URL = re.compile(r"bot\d+:[A-Za-z0-9_-]+")


class RedactToken(logging.Filter):
    """Replaces the bot token, and any `bot<id>:<secret>` of a Bot API URL, in every record it sees."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token or None

    def redact(self, text: str) -> str:
        """The text with every token in it replaced by [REDACTED]."""
        text = _TOKEN_IN_URL.sub(f"bot{REDACTED}", text)
        return text.replace(self.token, REDACTED) if self.token else text

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the message, its arguments, the traceback and any extra text fields; keep the record."""
        try:
            message = record.getMessage()
        except Exception:   # a malformed call: leave it to the handler, which reports it without raising
            return True
        record.msg, record.args = self.redact(message), None
        if record.exc_info:   # formatted now, so that the handler prints the redacted text, not a fresh one
            record.exc_text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        for name, value in vars(record).items():
            if isinstance(value, str) and name != "msg":
                setattr(record, name, self.redact(value))
        return True


class StderrHandler(logging.StreamHandler):   # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record is written (as logging.lastResort does)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> TextIO:
        """The current standard error."""
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        """Ignored: the stream is always the current standard error."""


def formatter(fmt: str) -> logging.Formatter:
    """The formatter for `text` (one readable line) or `json` (one JSON object a line)."""
    if fmt == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                             json_ensure_ascii=False)
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(level: str, fmt: str, token: str | None) -> logging.Handler:
    """Send every log record at `level` and above to stderr as `fmt`, token redacted; replaces a previous setup."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(old)
    handler = StderrHandler()
    handler.setFormatter(formatter(fmt))
    handler.addFilter(RedactToken(token))
    root.addHandler(handler)
    root.setLevel(level)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.NOTSET if level == "DEBUG" else logging.WARNING)
    return handler
