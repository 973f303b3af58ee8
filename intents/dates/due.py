"""Due dates in Korean ("12월 20일", "다음 주 금요일까지", "이달 말", "2026-12-20"): the same date reading as
meetings (korean-datetime), a day instead of a moment, and the warnings to show before saving."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from intents.answers.render import when
from intents.dates.when import DateError, day_warnings, find_phrase

EXAMPLES = "예: 12월 20일, 다음 주 금요일, 이달 말, 2026-12-20"
# what may follow the phrase and belongs to it: "12.4(금)", "12월 20일까지", "이달 말로", "금요일 안에"
_TAIL = re.compile(r"^(?:\s*\([월화수목금토일]\))?(?:\s*(?:까지로|까지는|까지|으로|로|이내|안에|전까지)(?=$|[\s,.]))?")
# a month and day, or a full date, that no calendar has (2월 30일, 12월 32일, 2026-13-01)
_MONTH_DAY = re.compile(r"(?<![0-9])(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_FULL_DATE = re.compile(r"(?<![0-9])(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?![0-9])")
_LEAP_YEAR = 2024   # a month and day without a year is checked against a leap year (2월 29일 exists)


@dataclass
class DueDay:
    """A due date read from a text, where its phrase stands, and warnings to show before saving it."""

    day: date
    start_of_phrase: int
    end_of_phrase: int
    warnings: list[str] = field(default_factory=list)

    def without_phrase(self, text: str) -> str:
        """The text with the date phrase (and a following 까지/로) taken out."""
        return " ".join((text[: self.start_of_phrase] + " " + text[self.end_of_phrase:]).split())


def _impossible(text: str) -> str | None:
    """`2월 30일` when the text names a day no calendar has."""
    for found in _FULL_DATE.finditer(text):
        try:
            date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        except ValueError:
            return found.group(0)
    for found in _MONTH_DAY.finditer(text):
        try:
            date(_LEAP_YEAR, int(found.group(1)), int(found.group(2)))
        except ValueError:
            return f"{int(found.group(1))}월 {int(found.group(2))}일"
    return None


def read_due(text: str, now: datetime) -> DueDay:
    """The first date phrase in `text` as a due day, relative to the aware `now`; DateError says why none
    could be read. A phrase that names a span (이달 말, 12월) gives its last day; a time of day is not kept."""
    found = find_due(text, now)
    if found is None:
        raise DateError(f"기한 날짜를 알아보지 못했습니다. {EXAMPLES}")
    return found


def find_due(text: str, now: datetime) -> DueDay | None:
    """`read_due` for a text that may have no date (None); a day no calendar has still raises DateError."""
    impossible = _impossible(text)
    if impossible is not None:
        raise DateError(f"'{impossible}'은(는) 없는 날짜입니다. {EXAMPLES}")
    found, start, end = find_phrase(text, now)
    if found is None:
        return None
    first = found.start.date()
    last = (found.end - timedelta(days=1)).date() if found.end is not None else first
    day = max(first, last)
    tail = _TAIL.match(text[end:])
    due = DueDay(day, start, end + (tail.end() if tail else 0))
    said = text[start:end]
    if day != first:
        due.warnings.append(f"'{said}'을(를) 기간으로 읽어 그 마지막 날({when(day.isoformat())})을 기한으로 했습니다.")
    if found.time is not None:
        due.warnings.append("기한은 날짜로만 기록합니다(적으신 시각은 쓰지 않습니다).")
    ambiguities = {a.value for a in found.ambiguities}
    if "two_digit_year" in ambiguities:
        due.warnings.append(f"두 자리 연도를 {day.year}년으로 이해했습니다.")
    if "cycle_shifted" in ambiguities:
        due.warnings.append(f"올해의 그 날짜는 지나서 {day.year}년으로 이해했습니다.")
    if day < now.date():
        due.warnings.append("⚠️ 이미 지난 날짜입니다.")
    due.warnings.extend(day_warnings(day, text[: end + 4]))
    return due
