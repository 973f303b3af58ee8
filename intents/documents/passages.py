"""A document's text cut into passages: what a question is matched against and what an answer quotes."""

import re

from intents.reading.normalize import compact

MIN_CHARS = 120   # a passage shorter than this takes the next line too
MAX_CHARS = 480   # and one this long stops before the next line
_NEW_ITEM = re.compile(r"^\s*(?:[□■○ㅇ◆◇▶①-⑳]|[0-9]{1,2}\.\s|참고\s*[0-9]|붙임)")


def split_passages(text: str) -> list[tuple[str, str]]:
    """(passage, its spacing-free form) in document order: lines gathered until a passage is long enough, cut
    at a blank line or a new bulleted item once it is, and before it would grow too long."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for raw in text.split("\n"):
        line = raw.strip()
        boundary = not line or bool(_NEW_ITEM.match(line))
        if current and ((boundary and size >= MIN_CHARS) or size + len(line) > MAX_CHARS):
            out.append("\n".join(current))
            current, size = [], 0
        if line:
            for piece in _pieces(line):
                if current and size + len(piece) > MAX_CHARS:
                    out.append("\n".join(current))
                    current, size = [], 0
                current.append(piece)
                size += len(piece)
    if current:
        out.append("\n".join(current))
    return [(p, compact(p)) for p in out if compact(p)]


def _pieces(line: str) -> list[str]:
    """A line no longer than MAX_CHARS, else cut at sentence ends (or anywhere, for a line with none)."""
    if len(line) <= MAX_CHARS:
        return [line]
    pieces: list[str] = []
    for sentence in re.split(r"(?<=[.다])\s+", line):
        while len(sentence) > MAX_CHARS:
            pieces.append(sentence[:MAX_CHARS])
            sentence = sentence[MAX_CHARS:]
        if pieces and len(pieces[-1]) + len(sentence) + 1 <= MAX_CHARS:
            pieces[-1] += " " + sentence
        elif sentence:
            pieces.append(sentence)
    return pieces
