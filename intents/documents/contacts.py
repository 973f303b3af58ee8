"""The contacts a 보도자료 names with their phones: its 담당 부서 / 책임자 / 담당자 table (at the head, often again at
the end) and the closing sentence ("… 지역경제총괄과 정병찬 사무관(☎ 044-203-4418)에게 연락주시기 바랍니다").

The text is read as words, line by line: a 담당부서 label or an organisation's name opens the department, a
role label (책임자, 담당과장, 담당자) sets the role of the people after it, and a person is a name and a title
(과장, 사무관 …) right before a phone number. A phone without a person beside it (a desk, an office) is not a
contact here. The organisation and role stay until a blank line or a new bulleted paragraph.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

TITLES = frozenset({
    "과장", "팀장", "사무관", "주무관", "서기관", "연구관", "연구사", "행정관", "전문관", "국장", "실장", "단장",
    "부단장",
    "센터장", "본부장", "부장", "차장", "팀원", "연구원", "선임연구원", "책임연구원", "수석연구원", "전문위원",
    "담당관", "정책관", "대리", "주임", "과장대리", "계장", "주사", "주사보", "사서", "차관", "장관", "위원장",
    "부이사관", "이사관", "기획관", "총괄과장", "소장", "원장", "부원장", "교수", "박사", "선임", "책임", "매니저",
})
_TITLE_END = re.compile(r"(사무관|서기관|주무관|연구관|연구원|연구사)$")
ROLE_WORDS = {"책임자": "책임자", "담당과장": "책임자", "담당자": "담당자", "문의처": "문의처", "문의": "문의처"}
_DEPARTMENT_LABEL = re.compile(r"^담당\s*부서|^담당부서")
_DEPARTMENT = re.compile(r"[가-힣A-Za-z0-9]{2,}(?:과|팀|실|국|단|센터|본부|담당관|사업단|추진단)$")
_PHONE = re.compile(r"\(?0[0-9]{1,2}\)?[\s.-]?[0-9]{3,4}[\s.-][0-9]{4}(?:\s*~\s*[0-9]{1,4})?")
_NAME = re.compile(r"^[가-힣]{2,4}$")
_PARAGRAPH = re.compile(r"^\s*(?:[□■○ㅇ◆◇※*▶①-⑳]|[0-9]{1,2}\.\s|-\s)")
# the closing sentence ("…를 원하시면 국토교통부 혁신\n도시정책총괄과 정승훈 사무관(…)에게 연락주시기 바랍니다"):
# its lines are read as one, so a department broken over a line is one word again
_CLOSING = re.compile(r"(?:연락\s*주시기|연락\s*바랍니다|문의\s*하여\s*주시기|문의\s*바랍니다|문의하시기)")
_CLOSING_REACH = 240   # characters before it that the sentence may start
_NOT_NAMES = frozenset({"담당", "부서", "문의", "연락", "전화", "총괄", "보도", "자료", "배포", "일시", "에게", "관련"})


@dataclass(frozen=True)
class FoundContact:
    """A person the document gives a phone for, as the document says it."""

    person: str
    title: str
    role: str
    organisation: str | None   # the organisation's name as written
    department: str | None     # ' | '-separated when a cell names several
    phones: tuple[str, ...]


def normal_phone(text: str) -> str | None:
    """A phone as `0AA-BBB-CCCC` (a range kept as one: `(051)315-9263~6` → `051-315-9263~9266`), or None."""
    first, _, last = text.partition("~")
    digits = re.findall(r"[0-9]+", first)
    if len(digits) == 2 and len(digits[0]) >= 5:   # 0442034410-like run: not a phone as written here
        return None
    if len(digits) != 3:
        return None
    area, middle, end = digits
    number = f"{area}-{middle}-{end}"
    last = re.sub(r"[^0-9]", "", last)
    if last:
        number += "~" + end[: len(end) - len(last)] + last if len(last) < len(end) else "~" + last
    return number


def _tokens(line: str) -> list[str]:
    """The words of a line, phones kept whole, brackets and ☎ dropped, "과 장" written 과장."""
    line = re.sub(r"(?<![가-힣])과\s+장(?![가-힣])", "과장", line)
    out: list[str] = []
    position = 0
    for match in _PHONE.finditer(line):
        out.extend(_words(line[position: match.start()]))
        out.append("☎" + match.group(0))
        position = match.end()
    out.extend(_words(line[position:]))
    return out


def _words(text: str) -> list[str]:
    text = re.sub(r"<[^>]*>|[()☎:：,;\[\]]|(?i:tel)\.?", " ", text)
    return [w for w in text.split() if w]


def _is_title(word: str) -> bool:
    return word in TITLES or bool(_TITLE_END.search(word))


def _is_name(word: str) -> bool:
    return bool(_NAME.match(word)) and not _is_title(word) and word not in ROLE_WORDS and word not in _NOT_NAMES \
        and not _DEPARTMENT.match(word)


def contact_block(text: str, organisations: Sequence[str], issuers: Sequence[str] = ()) -> list[FoundContact]:
    """Every person of the document's contact blocks with their phones, in the order written, once each.

    `organisations`: names the store knows (a word that is one opens a department); `issuers`: the document's
    issuing organisations, the organisation of a department that names none when there is one issuer.
    """
    found: list[FoundContact] = []
    seen: dict[tuple[str, str], int] = {}
    default_org = issuers[0] if len(issuers) == 1 else None
    org, role = default_org, None
    departments: list[str] = []
    known = frozenset(organisations)
    for line in _closing_joined(text).split("\n"):
        if not line.strip() or (_PARAGRAPH.match(line) and "\t" not in line):
            org, departments, role = default_org, [], None
        words = _tokens(line)
        pending: list[str] = []
        in_department, prefix = False, ""
        for i, word in enumerate(words):
            if _DEPARTMENT_LABEL.match(word) or (word == "담당" and i + 1 < len(words) and words[i + 1] == "부서"):
                in_department, departments, prefix, pending = True, [], "", []
                continue
            if word == "부서" and in_department:
                continue
            if word in ROLE_WORDS:
                role, pending, in_department = ROLE_WORDS[word], (["과장"] if word == "담당과장" else []), False
                continue
            if word in known or word in issuers:
                org, departments, prefix, pending, in_department = word, [], "", [], True
                continue
            if in_department and not word.startswith("☎") and not _is_title(word):
                if _DEPARTMENT.match(prefix + word):
                    departments.append(prefix + word)
                    prefix = ""
                    continue
                if not prefix and i + 1 < len(words) and _DEPARTMENT.match(word + words[i + 1]):
                    prefix = word   # "혁신 / 도시정책총괄과": one department broken over a line
                    continue
            in_department = in_department and not (_is_title(word) or word.startswith("☎"))
            if not word.startswith("☎"):
                pending.append(word)
                continue
            person = _person(pending[-2:])
            pending = []
            phone = normal_phone(word[1:])
            if person is None or phone is None:
                continue
            name, title = person
            key = (name, phone)
            if key in seen:
                continue
            seen[key] = len(found)
            found.append(FoundContact(name, title, role or "문의처", org, " | ".join(departments) or None, (phone,)))
    return found


def _closing_joined(text: str) -> str:
    """The text with each closing sentence on one line."""
    out, position = [], 0
    for match in _CLOSING.finditer(text):
        start = max(position, match.start() - _CLOSING_REACH)
        ends = [m.end() for m in re.finditer(r"다\.\s|[.!?]\s*\n\s*\n", text[start: match.start()])]
        start += ends[-1] if ends else 0
        out.append(text[position:start])
        out.append(re.sub(r"\s*\n\s*", " ", text[start: match.end()]))
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def _person(words: list[str]) -> tuple[str, str] | None:
    """(name, title) of the words right before a phone: `정병찬 사무관` or `사무관 최정민`."""
    if len(words) < 2:
        return None
    first, second = words
    if _is_name(first) and _is_title(second):
        return first, second
    if _is_title(first) and _is_name(second):
        return second, first
    return None
