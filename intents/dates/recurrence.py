"""Korean recurrence phrases read into an iCalendar RRULE and its first occurrence, and rules told back in Korean.

    매주 화요일 오후 2시 · 격주 수요일 15시 · 2주마다 목요일 10시 · 화요일마다 14시 · 매주 월·수요일 9시
    매월 첫째 월요일 오전 10시 · 매월 마지막 금요일 16시 · 매월 15일 14시 · 매월 말일 17시
    매일 오전 9시 · 평일 오전 9시 · 매년 3월 2일 10시
    … 12월 1일부터 · … 2027년 3월 31일까지 · … 10회

The time of day is read by korean-datetime (as for one-off meetings); the rule's words by the patterns here.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import korean_datetime

from intents.answers.render import WEEKDAYS, when
from intents.dates.rules import CODES
from intents.dates.when import DateError
from store.recurrence import first_on_or_after, rule_text

MAX_COUNT = 500
_ORDINALS = {"첫째": 1, "첫번째": 1, "첫": 1, "둘째": 2, "두번째": 2, "셋째": 3, "세번째": 3, "넷째": 4, "네번째": 4,
             "다섯째": 5, "다섯번째": 5, "마지막": -1}
_DAY = "[월화수목금토일]"
_DAY_TOKEN = rf"{_DAY}(?:요일|(?=[\s,·/와과및]|{_DAY}|\d|$))"
_SEPARATOR = r"\s*(?:,|·|/|와|과|및|하고)?\s*"
_DAYS = re.compile(rf"\s*(?P<days>{_DAY_TOKEN}(?:{_SEPARATOR}{_DAY_TOKEN})*)(?:\s*마다)?")
_FREQUENCY = re.compile(
    r"(?P<daily>매일)|(?P<weekdays>평일|주중)"
    r"|(?P<weekly>매주|(?P<biweekly>격주)|(?P<weeks>\d{1,2})\s*주\s*(?:마다|에\s*한\s*번|간격으로?))"
    rf"|(?P<dayeach>{_DAY}(?:요일)?\s*마다)"
    r"|(?P<monthly>매월|매달|(?P<months>\d{1,2})\s*(?:개월|달)\s*(?:마다|에\s*한\s*번|간격으로?))"
    r"|(?P<yearly>매년|매해)")
_NTH_WEEKDAY = re.compile(r"\s*(?P<nth>첫\s*번째|두\s*번째|세\s*번째|네\s*번째|다섯\s*번째"
                          r"|첫째|둘째|셋째|넷째|다섯째|마지막|첫"
                          rf"|(?P<digit>[1-5])\s*번째)\s*(?:주\s*)?(?P<day>{_DAY})(?:요일)?(?:\s*마다)?")
_MONTH_DAY = re.compile(r"\s*(?:(?P<day>\d{1,2})\s*일(?!\s*(?:까지|부터))|(?P<last>말일|마지막\s*날))(?:\s*마다)?")
_YEAR_DAY = re.compile(r"\s*(?P<month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일(?!\s*(?:까지|부터))")
_BOUND = re.compile(r"(?P<date>(?:(?:\d{4}|\d{2})\s*년\s*|내년\s*|올해\s*)?\d{1,2}\s*월(?:\s*\d{1,2}\s*일|\s*말)?"
                    r"|\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}|\d{1,2}\s*[./]\s*\d{1,2}|연말|올해\s*말)"
                    r"\s*(?P<mark>부터|까지)")
_MONTH_ONLY = re.compile(r"(?:(?:\d{4}|\d{2})\s*년\s*|내년\s*|올해\s*)?\d{1,2}\s*월(?:\s*말)?")
_SHORT_DATE = re.compile(r"(\d{1,2})\s*[./]\s*(\d{1,2})")
_COUNT = re.compile(r"(?<![제第\d])(?:총\s*)?(?P<n>\d{1,4})\s*회(?:\s*(?:만|동안|진행|반복))?(?=[\s,.)]|$)")
_DATE_WORDS = re.compile(r"\d+\s*[월일년]|\d+\s*[./-]\s*\d+|오늘|내일|모레|글피|다음\s*주|이번\s*주|다음\s*달"
                         rf"|이번\s*달|{_DAY}요일")
_WEEKDAYS_FOLLOWED = re.compile(r"\s*(?:매일|오전|오후|아침|저녁|낮|밤|[0-9])")
EXAMPLE = "예: 매주 화요일 오후 2시, 격주 수요일 15시, 매월 첫째 월요일 오전 10시, 평일 오전 9시"


class RecurrenceError(DateError):
    """A recurrence phrase was found but could not be read into a rule."""


@dataclass
class Recurrence:
    """A rule read from a phrase: RRULE text, its first occurrence, where the phrase stands, warnings."""

    rule: str
    start: datetime
    spans: list[tuple[int, int]]
    warnings: list[str] = field(default_factory=list)

    def without_phrase(self, text: str) -> str:
        """The text with the recurrence phrase (rule, time, start, end, count) taken out."""
        kept = list(text)
        for begin, end in self.spans:
            kept[begin:end] = [" "] * (end - begin)
        return re.sub(r"\s+", " ", "".join(kept)).strip()


def _frequencies(text: str) -> list[re.Match[str]]:
    """The words of recurrence in a text; 평일/주중 only when a time or 매일 follows (not "평일 점검회의")."""
    return [f for f in _FREQUENCY.finditer(text)
            if not f.group("weekdays") or _WEEKDAYS_FOLLOWED.match(text, f.end())]


def mentions_recurrence(text: str) -> bool:
    """Whether a text names a recurrence (매주, 격주, 매월, 매일, 평일, 화요일마다 …)."""
    return bool(_frequencies(text))


def _weekday_codes(days: str) -> list[str]:
    """`월·수요일` → ['MO', 'WE'] (each weekday once, Monday first)."""
    found = {CODES[WEEKDAYS.index(token[0])] for token in re.findall(_DAY_TOKEN, days)}
    return sorted(found, key=CODES.index)


def _rule(text: str, found: re.Match[str]) -> tuple[dict[str, Any], int, list[str]]:
    """The rule's parts from the frequency word and what follows it; the end of what was read; warnings."""
    rest, end = text[found.end():], found.end()
    warnings: list[str] = []
    parts: dict[str, Any]
    if found.group("daily"):
        parts = {"FREQ": "DAILY"}
        weekdays = re.match(r"\s*(평일|주중)", rest)
        if weekdays:
            return {"FREQ": "WEEKLY", "BYDAY": list(CODES[:5])}, end + weekdays.end(), warnings
    elif found.group("weekdays"):
        parts = {"FREQ": "WEEKLY", "BYDAY": list(CODES[:5])}
        daily = re.match(r"\s*매일", rest)
        end += daily.end() if daily else 0
    elif found.group("weekly") or found.group("dayeach"):
        interval = 2 if found.group("biweekly") else int(found.group("weeks") or 1)
        if interval < 1:
            raise RecurrenceError("몇 주마다인지 1 이상의 수로 적어 주세요. " + EXAMPLE)
        if found.group("dayeach"):
            days = _weekday_codes(found.group("dayeach"))
        else:
            listed = _DAYS.match(rest)
            if listed is None:
                raise RecurrenceError(f"무슨 요일인지 적어 주세요. 예: {found.group(0)} 화요일 오후 2시")
            days, end = _weekday_codes(listed.group("days")), end + listed.end()
        parts = {"FREQ": "WEEKLY", "BYDAY": days}
        if interval > 1:
            parts["INTERVAL"] = interval
    elif found.group("monthly"):
        interval = int(found.group("months") or 1)
        nth, day = _NTH_WEEKDAY.match(rest), _MONTH_DAY.match(rest)
        if nth is not None:
            word = re.sub(r"\s", "", nth.group("nth"))
            order = int(nth.group("digit")) if nth.group("digit") else _ORDINALS[word]
            parts = {"FREQ": "MONTHLY", "BYDAY": [f"{order}{CODES[WEEKDAYS.index(nth.group('day'))]}"]}
            end += nth.end()
            if order == 5:
                warnings.append(f"⚠️ 다섯째 {nth.group('day')}요일이 없는 달은 건너뜁니다.")
        elif day is not None:
            number = -1 if day.group("last") else int(day.group("day"))
            if not (number == -1 or 1 <= number <= 31):
                raise RecurrenceError(f"{number}일은 없는 날입니다. 매월 1일~31일이나 말일로 적어 주세요.")
            parts, end = {"FREQ": "MONTHLY", "BYMONTHDAY": [number]}, end + day.end()
            if number > 28:
                warnings.append(f"⚠️ {number}일이 없는 달은 건너뜁니다. 달마다 마지막 날이면 '매월 말일'로 적어 주세요.")
        else:
            raise RecurrenceError("매월 며칠인지, 또는 몇째 주 무슨 요일인지 적어 주세요. "
                                  "예: 매월 15일 오후 2시, 매월 첫째 월요일 오전 10시")
        if interval < 1:
            raise RecurrenceError("몇 개월마다인지 1 이상의 수로 적어 주세요.")
        if interval > 1:
            parts["INTERVAL"] = interval
    else:
        day_of_year = _YEAR_DAY.match(rest)
        if day_of_year is None:
            raise RecurrenceError("매년 몇 월 며칠인지 적어 주세요. 예: 매년 3월 2일 오전 10시")
        month, number = int(day_of_year.group("month")), int(day_of_year.group("day"))
        try:
            date(2024, month, number)
        except ValueError:
            raise RecurrenceError(f"{month}월 {number}일은 없는 날입니다.") from None
        parts, end = {"FREQ": "YEARLY", "BYMONTH": [month], "BYMONTHDAY": [number]}, end + day_of_year.end()
    return parts, end, warnings


def _bound_date(phrase: str, now: datetime) -> date:
    """The day a `…부터` or `…까지` phrase names (a month alone: its last day when it ends a series)."""
    compact = re.sub(r"\s", "", phrase)
    if compact in ("연말", "올해말"):
        return date(now.year, 12, 31)
    short = _SHORT_DATE.fullmatch(phrase.strip())
    if short:
        phrase = f"{short.group(1)}월 {short.group(2)}일"
    found = korean_datetime.parse(phrase, now=now.replace(tzinfo=None))
    if found is None or found.start is None:
        raise RecurrenceError(f"'{phrase}'의 날짜를 알아보지 못했습니다. 예: 2027년 3월 31일까지")
    day: date = found.start.date()
    return day


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def read_recurrence(text: str, now: datetime) -> Recurrence:
    """Read a recurrence phrase relative to the aware `now` into a rule and its first occurrence after `now`;
    raise RecurrenceError saying what is missing or wrong."""
    found = _frequencies(text)
    if not found:
        raise RecurrenceError("반복 주기를 알아보지 못했습니다. " + EXAMPLE)
    kinds = {k for f in found for k, v in f.groupdict().items()
             if v and k in ("daily", "weekdays", "weekly", "dayeach", "monthly", "yearly")}
    if kinds == {"daily", "weekdays"}:
        found = [min(found, key=lambda f: f.start())]
    elif len(found) > 1:
        said = ", ".join(f.group(0) for f in found)
        raise RecurrenceError(f"반복 주기가 여러 개입니다({said}). 하나만 적어 주세요. {EXAMPLE}")
    frequency = found[0]
    parts, rule_end, warnings = _rule(text, frequency)
    spans: list[tuple[int, int]] = []
    blank = list(text)

    def take(begin: int, end: int) -> None:
        spans.append((begin, end))
        blank[begin:end] = [" "] * (end - begin)

    take(frequency.start(), rule_end)
    start_day: date | None = None
    until: date | None = None
    for bound in _BOUND.finditer(text):
        if any(b <= bound.start() < e for b, e in spans):
            continue
        day = _bound_date(bound.group("date"), now)
        if bound.group("mark") == "까지":
            until = _month_end(day) if _MONTH_ONLY.fullmatch(bound.group("date").strip()) else day
        else:
            start_day = day
        take(bound.start(), bound.end())
    count: int | None = None
    counted = _COUNT.search("".join(blank))
    if counted is not None:
        count = int(counted.group("n"))
        if not 1 <= count <= MAX_COUNT:
            raise RecurrenceError(f"반복 횟수는 1회에서 {MAX_COUNT}회 사이로 적어 주세요.")
        take(counted.start(), counted.end())
    if count is not None and until is not None:
        raise RecurrenceError("끝나는 날과 횟수 중 하나만 적어 주세요. 예: 2027년 3월 31일까지, 또는 10회")
    clock = _time_of_day("".join(blank), now, warnings, take)
    if until is not None:
        parts["UNTIL"] = [datetime.combine(until, time(23, 59, 59), now.tzinfo).astimezone(UTC)]
    if count is not None:
        parts["COUNT"] = count
    rule = rule_text(parts)
    first = _first(rule, start_day, clock, now, warnings)
    if first is None:
        end_said = when(until.isoformat()) if until else ""
        raise RecurrenceError(f"끝나는 날({end_said})까지 열리는 회의가 없습니다. 끝나는 날을 확인해 주세요.")
    return Recurrence(rule, first, sorted(spans), warnings)


def _time_of_day(blanked: str, now: datetime, warnings: list[str], take: Any) -> time:
    """The meeting's time of day, from what is left once the rule, its start, end and count are taken out."""
    for phrase in korean_datetime.parse_all(blanked, now=now.replace(tzinfo=None)):
        if phrase.time is None:
            continue
        said = str(phrase.text)
        if _DATE_WORDS.search(said):
            raise RecurrenceError(f"'{said}': 반복 회의의 날짜는 요일이나 며칠로 적고, 시작하는 날은 "
                                  "'12월 1일부터'처럼 적어 주세요. " + EXAMPLE)
        clock: time = phrase.time
        if "meridiem" in {a.value for a in phrase.ambiguities}:   # not the next such hour from now: office hours
            hour = clock.hour % 12
            clock = clock.replace(hour=hour if 7 <= hour <= 11 else hour + 12 if hour else 12)
            warnings.append(f"오전/오후가 없어 {clock:%H:%M}로 이해했습니다. 다르면 '오전'/'오후'를 붙여 주세요.")
        take(*phrase.span)
        return clock
    raise RecurrenceError("시간이 빠졌습니다. 몇 시인지 함께 적어 주세요. 예: 매주 화요일 오후 2시")


def _first(rule: str, start_day: date | None, clock: time, now: datetime, warnings: list[str]) -> datetime | None:
    """The first occurrence: on or after the start day (today when none was said), after `now`."""
    day = start_day or now.date()
    if start_day is not None and start_day < now.date():
        warnings.append(f"시작일({when(start_day.isoformat())})이 지나 오늘 이후 첫 회차부터 등록합니다.")
        day = now.date()
    candidate = datetime.combine(day, clock, now.tzinfo)
    if candidate <= now:
        candidate += timedelta(days=1)
    return first_on_or_after(rule, candidate)
