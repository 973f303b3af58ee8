"""Pure helpers of the Telegram adapter: HTML escaping, splitting and redaction."""

import html
import re

MAX_MESSAGE_UNITS = 4096   # Telegram counts message length in UTF-16 code units, after entity parsing
MAX_CALLBACK_BYTES = 64   # an inline button's callback_data
REDACTED = "(비공개)"

# Korean phone numbers as the dataset writes them: 051-315-9263~9266, (051)315-9263~6, 010-1234-5678,
# +82-51-315-9263, and local numbers without an area code such as 315-9263.
_PHONE = re.compile(
    r"(?:\+82[-. ]?\(?0?\d{1,2}\)?[-. )]?|\(?0\d{1,2}\)?[-. )]?)?\d{3,4}[-.]\d{4}(?:\s?~\s?\d{1,4})?"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def escape(text: str) -> str:
    """Escape plain text for Telegram's HTML parse mode (`<`, `>` and `&`)."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length of a text as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_MESSAGE_UNITS) -> list[str]:
    """Split a plain text into messages of at most `limit` units, on line boundaries where possible."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        for piece in _hard_split(line, limit):
            extra = utf16_len(piece) + (1 if current else 0)
            if current and size + extra > limit:
                chunks.append("\n".join(current))
                current, size = [], 0
                extra = utf16_len(piece)
            current.append(piece)
            size += extra
    if current:
        chunks.append("\n".join(current))
    return [chunk for chunk in chunks if chunk.strip()]


def _hard_split(line: str, limit: int) -> list[str]:
    """Cut one over-long line into pieces of at most `limit` units (never inside a surrogate pair)."""
    if utf16_len(line) <= limit:
        return [line]
    pieces: list[str] = []
    start, size = 0, 0
    for i, ch in enumerate(line):
        width = 2 if ord(ch) > 0xFFFF else 1
        if size + width > limit:
            pieces.append(line[start:i])
            start, size = i, 0
        size += width
    pieces.append(line[start:])
    return pieces


def redact_contacts(text: str) -> str:
    """Replace phone numbers and e-mail addresses with '(비공개)'."""
    return _EMAIL.sub(REDACTED, _PHONE.sub(REDACTED, text))
