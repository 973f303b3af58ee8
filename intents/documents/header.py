"""The header of a Korean 보도자료: its title, the issuing organisations and its date (배포 first, else 보도).

The header is what comes before the title: "보도자료", the embargo line ("2021년 3월 3일(수) 석간부터 보도하여
주시기 바랍니다"), a table of 배포일시 / 보도 일시 and 담당부서 cells, sometimes a line naming the ministries. A
date written without its year ("3. 2.(화)", "2.27.(월)") takes it from a full date of the header, else from the
same day written in full in the text; a document that states no date is stored without one.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

MAX_TITLE = 200
UNKNOWN_ISSUER = "발행기관 미상"
_HEADER_WORDS = re.compile(r"보\s*도\s*자\s*료|보도하여|보도\s*가능|보도\s*일시|보도\s*시점|보도일|배포|엠바고|전매체|"
                           r"석간|조간|담당\s*부서|담당부서|담당과장|책임자|담당자|문의")
_SUBTITLE = re.compile(r"^[-–—◆◇○ㅇ□■▶<(\[*※·•]")
_BODY_START = re.compile(r"^[□■○ㅇ]")
# a date with its year: 2023. 2. 27. / 2023-02-27 / 2023년 2월 27일 / '23.2.27
_FULL = re.compile(r"(?:(20[0-9]{2})|'([0-9]{2}))\s*[.년/-]\s*([0-9]{1,2})\s*[.월/-]\s*([0-9]{1,2})(?![0-9])")
_SHORT = re.compile(r"(?<![0-9.])([0-9]{1,2})\s*[.월/]\s*([0-9]{1,2})\s*[.일]?")
_RELEASED = re.compile(r"배\s*포\s*(?:일시|일자|일)?\s*[:：]?\s*(?:<[^>]*>)?\s*(.{0,40})")
_EMBARGO = re.compile(r"보\s*도\s*(?:일시|시점|일자|일)\s*[:：]?\s*(?:<[^>]*>)?\s*(.{0,40})")
_EMBARGO_SENTENCE = re.compile(r"(.{0,40})(?:조간|석간|보도하여|부터\s*보도)")
_ORG_SUFFIX = re.compile(r"[가-힣]{1,14}?(?:부|처|청|위원회|연구원|공사|공단|진흥원)")
_CONNECTOR = re.compile(r"^(?:와|과|및|,|·|ㆍ|‧|\s)+")


@dataclass(frozen=True)
class Header:
    """What a document's header says about it."""

    title: str
    issuer: str
    issuers: tuple[str, ...]
    date: str | None
    date_note: str | None


def read_header(text: str, organisations: Sequence[str]) -> Header:
    """Title, issuers and date of a 보도자료 from its text; `organisations` are the names the store knows."""
    lines = [line.strip() for line in text.split("\n")]
    title_at = _title_index(lines, organisations)
    title = lines[title_at][:MAX_TITLE] if title_at is not None else ""
    head = lines[:title_at] if title_at is not None else lines[:15]
    issuers = _issuers(lines, head, title_at, organisations)
    when, note = _date(head, text)
    return Header(title or "(제목 없음)", " · ".join(issuers) or UNKNOWN_ISSUER, tuple(issuers), when, note)


def _only_names(line: str, organisations: Sequence[str]) -> list[str]:
    """The organisations a line consists of ("중소벤처기업부 · 산업통상자원부"), or [] when it says more."""
    names = _names_at_start(line, organisations)
    rest = line
    for name in names:
        rest = rest.replace(name, "", 1)
    return names if names and not re.sub(r"[\s·ㆍ‧,및와과/]", "", rest) else []


def _title_index(lines: list[str], organisations: Sequence[str]) -> int | None:
    for i, line in enumerate(lines[:60]):
        if not line or "\t" in line or len(re.findall(r"[가-힣]", line)) < 4:
            continue
        if _HEADER_WORDS.search(line) or _SUBTITLE.match(line) or re.fullmatch(r"[-=_\s]+", line):
            continue
        if _only_names(line, organisations):
            continue
        return i
    return None


def _names_at_start(segment: str, organisations: Sequence[str]) -> list[str]:
    """Organisation names said one after another from the start of a segment ("국토교통부와 기획재정부는"):
    names the store knows first, else words ending like a ministry or agency."""
    found: list[str] = []
    rest = segment.strip()
    while rest:
        known = next((name for name in organisations if rest.startswith(name)), None)
        match = known or (m.group(0) if (m := _ORG_SUFFIX.match(rest)) else None)
        if not match:
            break
        if match not in found:
            found.append(match)
        rest = _CONNECTOR.sub("", rest[len(match):])
    return found


def _issuers(lines: list[str], head: list[str], title_at: int | None, organisations: Sequence[str]) -> list[str]:
    """A header line that only names organisations; else the subject of the first body sentence."""
    for line in head + (lines[title_at + 1: title_at + 4] if title_at is not None else []):
        names = _only_names(line, organisations)
        if names:
            return names
    start = (title_at or 0) + 1
    for line in lines[start: start + 12]:
        if not line or (_SUBTITLE.match(line) and not _BODY_START.match(line)):
            continue
        body = re.sub(r"\([^)]*\)", "", _BODY_START.sub("", line)).strip()
        subject = re.split(r"(?<=[가-힣])(?:은|는|이|가)\s", body, maxsplit=1)[0]
        names = _names_at_start(subject, organisations)
        if names:
            return names
        break
    return []


def _parse(fragment: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of the first date in a fragment."""
    full = _FULL.search(fragment)
    if full:
        year = int(full.group(1)) if full.group(1) else 2000 + int(full.group(2))
        return year, int(full.group(3)), int(full.group(4))
    short = _SHORT.search(fragment)
    if short:
        return None, int(short.group(1)), int(short.group(2))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _date(head: list[str], text: str) -> tuple[str | None, str | None]:
    """The 배포 date, else the 보도 date, as ISO; and a note saying what the header said."""
    released = embargo = None
    for line in head:
        line = line.replace("\t", " ")
        if released is None and (m := _RELEASED.search(line)):
            released = _parse(m.group(1))
        if embargo is None and (m := _EMBARGO.search(line) or _EMBARGO_SENTENCE.search(line)):
            embargo = _parse(m.group(1))
    anchor = next((d for d in (embargo, released) if d and d[0]), None)   # the header's one full date

    def complete(found: tuple[int | None, int, int] | None) -> str | None:
        if found is None:
            return None
        year, month, day = found
        if year is None and anchor is not None and anchor[0] is not None:   # "3. 2." beside "2021년 3월 3일":
            year = anchor[0] - ((month, day) > (anchor[1], anchor[2]) and month - anchor[1] > 6)   # that year
        if year is None:   # the same day written in full somewhere in the text
            for m in _FULL.finditer(text):
                if (int(m.group(3)), int(m.group(4))) == (month, day):
                    year = int(m.group(1)) if m.group(1) else 2000 + int(m.group(2))
                    break
        return _iso(year, month, day) if year else None

    when_released, when_embargo = complete(released), complete(embargo)
    parts = []
    if when_released:
        parts.append(f"배포 {when_released}")
    if when_embargo and when_embargo != when_released:
        parts.append(f"보도 {when_embargo}")
    out = when_released or when_embargo
    if out is None:
        return None, "머리글에 배포·보도 날짜가 없습니다"
    note = parts[0] + (f" ({parts[1]})" if len(parts) > 1 else "")
    return out, note
