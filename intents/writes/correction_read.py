"""Reading a correction: whose fact, which field, the new value (from `/correct …` or from words), and the
checks a new value must pass before anything is offered."""

import re
from dataclasses import asdict, dataclass
from typing import Any

from intents.message import Reply
from intents.reading.intent import MOVED, PROMOTED, change_verb
from intents.reading.normalize import particle, strip_particle
from store.corrections import phone_number

# the words that name a field, as typed (a particle after them is dropped first)
FIELD_WORDS = {
    "전화": "phone", "전화번호": "phone", "번호": "phone", "연락처": "phone", "직통번호": "phone", "대표번호": "phone",
    "대표전화": "phone", "내선": "phone", "phone": "phone", "tel": "phone",
    "부서": "department", "소속부서": "department", "과": "department",
    "직급": "title", "직위": "title", "직책": "title", "직함": "title",
    "기관": "organisation", "소속기관": "organisation", "소속": "organisation",
    "이름": "name", "명칭": "name", "성명": "name", "성함": "name", "기관명": "name", "부서명": "name", "과명": "name",
    "주소": "address", "소재지": "address",
}
FIELD_NAME = {"phone": "전화", "department": "부서", "title": "직급", "organisation": "소속 기관", "name": "이름",
              "address": "주소"}
MAX_PHONES = 3
MAX_CHARS = {"address": 200}
MAX_TEXT = 60
USAGE = ("사용법: /correct <이름> <항목> <새 값>\n"
         "항목: 전화, 부서, 직급, 기관, 이름, 주소\n"
         "예: /correct 정병찬 전화 044-203-4419 · /correct 정병찬 부서 지역산업과 · "
         "/correct 지역경제총괄과 이름 지역경제정책과")
_COMMAND = re.compile(r"^/correct(?=\s|$)", re.IGNORECASE)
_LETTER = re.compile(r"[가-힣A-Za-z]")
_TO = ("으로", "로")   # the particle after a new value: 지역산업과로, 과장으로


@dataclass(frozen=True)
class Request:
    """What a correction asks: the words naming whose fact (`subject`), the field (None: the value or the verb
    tells), the new value as typed, and what the verb said (moved to a department or organisation, promoted)."""

    subject: str
    field: str | None
    value: str
    moved: bool = False
    promoted: bool = False

    def as_json(self) -> dict[str, Any]:
        """The request as kept in an open choice's payload (while asking whose fact it is)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Request":
        """A request read back from an open choice's payload."""
        return cls(str(data["subject"]), data["field"], str(data["value"]), bool(data["moved"]),
                   bool(data["promoted"]))


def quoted(word: str, after_consonant: str, after_vowel: str) -> str:
    """`'정병찬'을`: a word in quotes with its particle."""
    return particle(f"'{word}'", after_consonant, after_vowel)


def nothing_changed(text: str, more: str = "") -> Reply:
    """A correction that cannot be made: the reason, that nothing was changed, and `more` (the usage) below."""
    return Reply(text=f"{text} 아무것도 바꾸지 않았습니다." + (f"\n{more}" if more else ""), intent="correction")


def _field_at(words: list[str]) -> int | None:
    """The index of the first word (not the first of all: that names whose fact) that names a field."""
    return next((i for i, w in enumerate(words) if i > 0 and field_of(w)), None)


def field_of(word: str) -> str | None:
    """The field a word names (전화번호가 → phone), or None."""
    return FIELD_WORDS.get(word.lower()) or FIELD_WORDS.get(strip_particle(word.lower()))


def _without_to(word: str) -> str:
    """지역산업과로 → 지역산업과, 과장으로 → 과장; a word without the particle as it is."""
    for ending in _TO:
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)]
    return word


def read_request(text: str) -> Request | Reply:
    """`/correct 정병찬 전화 044-203-4419`, or the same told in words ("정병찬 사무관 전화번호 044-203-4419로
    바뀌었어요", "배은주 사무관 지역산업과로 옮겼어"), as a Request; a reply with the usage when it says too little."""
    body = text.strip()
    if _COMMAND.match(body):
        words = _COMMAND.sub("", body).split()
        at = _field_at(words)
        if at is None or at + 1 >= len(words):
            missing = "새 값을" if at is not None else "고칠 항목(전화, 부서, 직급, 기관, 이름, 주소)을"
            return Reply(text=(f"{missing} 적어 주세요.\n{USAGE}" if words else USAGE), intent="correction")
        return Request(" ".join(words[:at]), field_of(words[at]), " ".join(words[at + 1:]))
    words = body.split()
    verb = change_verb(words)
    said = " ".join(words[verb:]) if verb is not None else ""
    before = words[:verb] if verb is not None else words
    at = _field_at(before)
    target = next((i for i in range(len(before) - 1, 0, -1) if before[i].endswith(_TO)), len(before) - 1)
    if at is not None and at < target:   # "정병찬 전화번호 044-203-4419로": subject, field, value
        subject, value = before[:at], before[at + 1: target + 1]
    else:   # "지역경제총괄과가 지역경제정책과로 이름이": the value is the word the change goes to
        subject, value = before[:target], before[target: target + 1]
    if not subject or not value:
        return Reply(text=f"무엇을 어떻게 고칠지 알아듣지 못했습니다.\n{USAGE}", intent="correction")
    value[-1] = _without_to(value[-1])
    return Request(" ".join(subject), field_of(before[at]) if at is not None else None, " ".join(value),
                   moved=bool(MOVED.search(said)), promoted=bool(PROMOTED.search(said)))


def checked_value(field: str, value: str) -> str | Reply:
    """The new value ready to keep (phones as `0AA-BBB-CCCC`, joined by ` | `), or a reply saying what is
    wrong with it: empty, too long, markup, a phone that is not a phone, a name without letters."""
    said = " ".join(value.split())
    name = FIELD_NAME[field]
    if not said:
        return nothing_changed(f"새 {name} 값이 비어 있습니다.", USAGE)
    if "<" in said or ">" in said:
        return nothing_changed("값에 HTML 태그나 < > 기호는 쓸 수 없습니다.")
    if "|" in said:
        return nothing_changed("값에 | 기호는 쓸 수 없습니다.")
    limit = MAX_CHARS.get(field, MAX_TEXT)
    if len(said) > limit:
        return nothing_changed(f"새 {name} 값이 너무 깁니다({len(said):,}자). {limit}자 이내로 적어 주세요.")
    if field == "phone":
        numbers = [p.strip() for p in said.split(",") if p.strip()]
        if len(numbers) > MAX_PHONES:
            return nothing_changed(f"전화번호는 {MAX_PHONES}개까지 적을 수 있습니다.")
        normal = [phone_number(n) for n in numbers]
        wrong = [n for n, p in zip(numbers, normal, strict=True) if p is None]
        if wrong or not numbers:
            shown = quoted((wrong or [said])[0][:30], "은", "는")
            return nothing_changed(f"{shown} 전화번호가 아닙니다(예: 044-203-4419).")
        return " | ".join(p for p in normal if p)
    if not _LETTER.search(said):
        return nothing_changed(f"{quoted(said[:30], '은', '는')} {particle(name, '으로', '로')} 쓸 수 없습니다. "
                               "글자로 적어 주세요.")
    return said
