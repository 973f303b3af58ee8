"""Korean date and time phrases (korean-datetime) and the warnings a scheduler owes the user."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import holidays
import korean_datetime

from intents.answers.render import WEEKDAYS

_MONTH_DAY = re.compile(r"(?<![0-9.'])([01]?[0-9])\.([0-3]?[0-9])(?![0-9.])")
_MONTH_WORD = re.compile(r"[0-9]\s*월")
_WRITTEN_WEEKDAY = re.compile(r"\(([월화수목금토일])\)")


@dataclass
class When:
    """A parsed start time, where its phrase stands in the text, and warnings to show before saving."""

    start: datetime
    start_of_phrase: int
    end_of_phrase: int
    warnings: list[str] = field(default_factory=list)

    def without_phrase(self, text: str) -> str:
        """The text with the date phrase taken out."""
        return (text[: self.start_of_phrase] + " " + text[self.end_of_phrase:]).strip()


@lru_cache(maxsize=1024)
def temporal_phrases(text: str) -> tuple[str, ...]:
    """The date and time phrases korean-datetime finds in a text ("다음 주", "12월 3일 오후 2시")."""
    return tuple(str(found.text) for found in korean_datetime.parse_all(text))


class DateError(ValueError):
    """The text holds no date and time that could be read."""


@lru_cache(maxsize=8)
def _holidays(year: int) -> holidays.HolidayBase:
    calendar: holidays.HolidayBase = holidays.country_holidays("KR", years=[year], language="ko")
    return calendar


def holiday_name(day: date) -> str | None:
    """The Korean public holiday on a day, or None (maintained by the holidays library)."""
    name = _holidays(day.year).get(day)
    return str(name) if name else None


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and holiday_name(day) is None


def find_phrase(text: str, now: datetime) -> tuple[Any, int, int]:
    """The first date (and time) phrase korean-datetime reads in `text` relative to `now` ("12.3" read as
    12월 3일), and where it stands in the original text; (None, 0, 0) when there is none."""
    prepared = text if _MONTH_WORD.search(text) else _MONTH_DAY.sub(lambda m: f"{m.group(1)}월 {m.group(2)}일", text)
    found = korean_datetime.parse(prepared, now=now.replace(tzinfo=None))
    if found is None or found.start is None:
        return None, 0, 0
    return found, _map_back(text, prepared, found.span[0]), _map_back(text, prepared, found.span[1])


def read_when(text: str, now: datetime) -> When:
    """Find the first date-and-time phrase in `text`, relative to the aware `now`; raise DateError."""
    found, span_start, span_end = find_phrase(text, now)
    if found is None or found.start is None:
        raise DateError("날짜와 시간을 알아보지 못했습니다. 예: 12월 3일 오후 2시, 내일 오전 10시, 2026-12-03 14:00")
    if found.time is None:
        raise DateError("시간이 빠졌습니다. 몇 시인지 함께 적어 주세요. 예: 12월 3일 오후 2시")
    start = found.start.replace(tzinfo=now.tzinfo)
    when = When(start, span_start, span_end)
    ambiguities = {a.value for a in found.ambiguities}
    if "meridiem" in ambiguities:
        when.warnings.append(f"오전/오후가 없어 {start:%H:%M}로 이해했습니다. 다르면 '오전'/'오후'를 붙여 주세요.")
    if "two_digit_year" in ambiguities:
        when.warnings.append(f"두 자리 연도를 {start.year}년으로 이해했습니다.")
    when.warnings.extend(warnings_for(start, now, text[: span_end + 4]))
    return when


def find_day(text: str, now: datetime) -> tuple[datetime, bool, int, int] | None:
    """The first date phrase in `text`, its time optional ("12월 15일", "12.15", "다음 주 화요일 14시"): its
    start, whether a time was said, and where it stands; None when there is none (read_day, below, reads the
    last day a phrase names and raises DateError)."""
    prepared = text if _MONTH_WORD.search(text) else _MONTH_DAY.sub(lambda m: f"{m.group(1)}월 {m.group(2)}일", text)
    found = korean_datetime.parse(prepared, now=now.replace(tzinfo=None))
    if found is None or found.start is None:
        return None
    start = found.start.replace(tzinfo=now.tzinfo)
    return (start, found.time is not None, _map_back(text, prepared, found.span[0]),
            _map_back(text, prepared, found.span[1]))


@dataclass(frozen=True)
class Day:
    """A day read from a phrase: the last day it names ("12월 24일" that day, "다음 주" its Sunday, "연말" 12월
    31일), the first (of a range: "12월 20일부터 24일까지"), and notes on how it was read (a month-day taken as
    next year's)."""

    day: date
    first: date
    notes: tuple[str, ...] = ()


def read_day(text: str, now: datetime) -> Day:
    """The last day a date phrase in `text` names, relative to the aware `now` (a time in it is ignored), by
    the same reader as meeting dates; raise DateError."""
    prepared = text if _MONTH_WORD.search(text) else _MONTH_DAY.sub(lambda m: f"{m.group(1)}월 {m.group(2)}일", text)
    found = korean_datetime.parse(prepared, now=now.replace(tzinfo=None))
    if found is None or found.start is None:
        raise DateError("날짜를 알아보지 못했습니다. 예: 12월 24일, 다음 주 금요일, 2026-12-24, 12/24")
    end = found.end if found.end is not None and found.end > found.start else found.start + timedelta(days=1)
    last = (end - timedelta(microseconds=1)).date()
    notes = []
    ambiguities = {a.value for a in found.ambiguities}
    if "cycle_shifted" in ambiguities or "two_digit_year" in ambiguities:
        notes.append(f"{last.year}년 {last.month}월 {last.day}일로 이해했습니다.")
    return Day(last, found.start.date(), tuple(notes))


def warnings_for(start: datetime, now: datetime, phrase: str = "") -> list[str]:
    """Past date, weekend, public holiday, or a written weekday that disagrees with the date."""
    return (["⚠️ 이미 지난 시각입니다."] if start <= now else []) + day_warnings(start.date(), phrase)


def day_warnings(day: date, phrase: str = "") -> list[str]:
    """Weekend, public holiday, or a written weekday (`(목)`) that disagrees with the day."""
    out = []
    if day.weekday() >= 5:
        out.append(f"⚠️ 주말({WEEKDAYS[day.weekday()]}요일)입니다.")
    name = holiday_name(day)
    if name:
        out.append(f"⚠️ 공휴일({name})입니다.")
    written = _WRITTEN_WEEKDAY.search(phrase)
    if written and written.group(1) != WEEKDAYS[day.weekday()]:
        out.append(f"⚠️ 적으신 요일({written.group(1)})과 날짜의 요일({WEEKDAYS[day.weekday()]})이 다릅니다.")
    return out


def _map_back(original: str, prepared: str, position: int) -> int:
    """The offset in the original text of a position in the rewritten one (month-day rewrite)."""
    if original == prepared:
        return position
    for i in range(len(original) + 1):
        rewritten = _MONTH_DAY.sub(lambda m: f"{m.group(1)}월 {m.group(2)}일", original[:i])
        if len(rewritten) >= position:
            return i
    return len(original)
