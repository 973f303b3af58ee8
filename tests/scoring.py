"""The judging rules of ../shared/tools/check_questions.py, shared by the question tests."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Question:
    """One row of a questions file."""

    id: str
    text: str
    expect: str
    area: str


def norm(s: str) -> str:
    """Remove whitespace and commas and casefold, as the scorer does."""
    return "".join(s.split()).replace(",", "").casefold()


def load(path: Path) -> list[Question]:
    """Read a questions TSV (id, question, expect, area), skipping comments."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        rows.append(Question(parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else ""))
    return rows


def lead(text: str, lines: int) -> str:
    """The answer's first `lines` content lines; a header ("[이름]" and at most 20 more characters) does not
    count (the answer-first rule of check_questions.py --lead)."""
    out = []
    for line in text.splitlines():
        s = line.strip()
        if not s or (s.startswith("[") and "]" in s and len(s.split("]", 1)[1].strip()) <= 20):
            continue
        out.append(line)
        if len(out) >= lines:
            break
    return "\n".join(out)


def judge(q: Question, text: str, entities: list[object], lines: int = 0) -> str:
    """'' when the answer is right, else why not; with `lines`, the facts must be in the first content lines."""
    if q.expect == "!none":
        return "" if entities == [] and text.strip() else f"expected nothing found; entities={entities!r}"
    t = norm(lead(text, lines) if lines else text)
    for group in q.expect.split(" && "):
        if not any(norm(a) in t for a in group.split("|")):
            return f"missing {group!r}"
    return ""
