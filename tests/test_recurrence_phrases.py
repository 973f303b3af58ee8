"""Korean recurrence phrases, as a table at a fixed time (Monday 2026-11-23 10:00 KST): phrase → RRULE and first
occurrences (expanded by recurring-ical-events); unreadable phrases answered with what is wrong, nothing saved."""

from datetime import datetime, timedelta

import pytest

from intents.dates.recurrence import RecurrenceError, mentions_recurrence, read_recurrence
from intents.dates.rules import describe_rule
from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from store.recurrence import expand
from tests.conftest import NOW, SEOUL, ask

COORD = 2


def _at(*parts: int) -> str:
    return datetime(*parts, tzinfo=SEOUL).isoformat()


def _first(rule: str, start: datetime, count: int = 3) -> list[str]:
    """The first occurrences of a rule from its start, as recurring-ical-events expands it."""
    row = {"id": "t", "title": "t", "start": start.isoformat(), "rrule": rule, "tzid": "Asia/Seoul"}
    return [o.start for o in expand(row, [], start, start + timedelta(days=3 * 366))][:count]


@pytest.mark.parametrize("phrase, rule, first", [
    ("매주 화요일 오후 2시", "FREQ=WEEKLY;BYDAY=TU",
     [_at(2026, 11, 24, 14), _at(2026, 12, 1, 14), _at(2026, 12, 8, 14)]),
    ("매주 화 14:00", "FREQ=WEEKLY;BYDAY=TU",
     [_at(2026, 11, 24, 14), _at(2026, 12, 1, 14), _at(2026, 12, 8, 14)]),
    ("화요일마다 14시", "FREQ=WEEKLY;BYDAY=TU",
     [_at(2026, 11, 24, 14), _at(2026, 12, 1, 14), _at(2026, 12, 8, 14)]),
    ("격주 수요일 15시 30분", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
     [_at(2026, 11, 25, 15, 30), _at(2026, 12, 9, 15, 30), _at(2026, 12, 23, 15, 30)]),
    ("2주마다 목요일 오전 10시", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
     [_at(2026, 11, 26, 10), _at(2026, 12, 10, 10), _at(2026, 12, 24, 10)]),
    ("매주 월·수요일 오전 9시", "FREQ=WEEKLY;BYDAY=MO,WE",   # Monday 09:00 has passed at 10:00
     [_at(2026, 11, 25, 9), _at(2026, 11, 30, 9), _at(2026, 12, 2, 9)]),
    ("매주 월요일과 목요일 오후 4시", "FREQ=WEEKLY;BYDAY=MO,TH",
     [_at(2026, 11, 23, 16), _at(2026, 11, 26, 16), _at(2026, 11, 30, 16)]),
    ("매월 첫째 월요일 오전 10시", "FREQ=MONTHLY;BYDAY=1MO",
     [_at(2026, 12, 7, 10), _at(2027, 1, 4, 10), _at(2027, 2, 1, 10)]),
    ("매달 둘째 주 화요일 14시", "FREQ=MONTHLY;BYDAY=2TU",
     [_at(2026, 12, 8, 14), _at(2027, 1, 12, 14), _at(2027, 2, 9, 14)]),
    ("매월 마지막 금요일 오후 4시", "FREQ=MONTHLY;BYDAY=-1FR",
     [_at(2026, 11, 27, 16), _at(2026, 12, 25, 16), _at(2027, 1, 29, 16)]),
    ("매월 15일 오후 2시", "FREQ=MONTHLY;BYMONTHDAY=15",
     [_at(2026, 12, 15, 14), _at(2027, 1, 15, 14), _at(2027, 2, 15, 14)]),
    ("매월 말일 오후 5시", "FREQ=MONTHLY;BYMONTHDAY=-1",
     [_at(2026, 11, 30, 17), _at(2026, 12, 31, 17), _at(2027, 1, 31, 17)]),
    ("매일 오전 9시", "FREQ=DAILY",
     [_at(2026, 11, 24, 9), _at(2026, 11, 25, 9), _at(2026, 11, 26, 9)]),
    ("평일 오전 9시 반", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
     [_at(2026, 11, 24, 9, 30), _at(2026, 11, 25, 9, 30), _at(2026, 11, 26, 9, 30)]),
    ("매년 3월 2일 오전 10시", "FREQ=YEARLY;BYMONTHDAY=2;BYMONTH=3",
     [_at(2027, 3, 2, 10), _at(2028, 3, 2, 10), _at(2029, 3, 2, 10)]),
    ("12월 1일부터 매주 화요일 오후 2시", "FREQ=WEEKLY;BYDAY=TU",
     [_at(2026, 12, 1, 14), _at(2026, 12, 8, 14), _at(2026, 12, 15, 14)]),
    ("매주 화요일 오후 2시 3회", "FREQ=WEEKLY;COUNT=3;BYDAY=TU",
     [_at(2026, 11, 24, 14), _at(2026, 12, 1, 14), _at(2026, 12, 8, 14)]),
    ("매주 금요일 오후 2시 12월 11일까지", "FREQ=WEEKLY;UNTIL=20261211T145959Z;BYDAY=FR",
     [_at(2026, 11, 27, 14), _at(2026, 12, 4, 14), _at(2026, 12, 11, 14)]),
    ("매주 화요일 2시", "FREQ=WEEKLY;BYDAY=TU",   # no 오전/오후: office hours, and said so
     [_at(2026, 11, 24, 14), _at(2026, 12, 1, 14), _at(2026, 12, 8, 14)]),
])
def test_recurrence_phrases(phrase: str, rule: str, first: list[str]) -> None:
    read = read_recurrence(phrase + " 권역별 TF회의", NOW)
    assert read.rule == rule
    assert _first(read.rule, read.start) == first
    if "COUNT" in rule or "UNTIL" in rule:   # and nothing after the third
        assert len(_first(read.rule, read.start, count=10)) == 3
    assert read.without_phrase(phrase + " 권역별 TF회의") == "권역별 TF회의"


def test_an_hour_without_meridiem_is_read_as_office_hours_and_said() -> None:
    assert read_recurrence("매주 월수금 9시 점검", NOW).start.hour == 9
    assert any("오전/오후" in w for w in read_recurrence("매주 화요일 2시 점검", NOW).warnings)


def test_a_series_ending_in_a_month_ends_on_its_last_day() -> None:
    read = read_recurrence("내년 3월까지 매주 화요일 오후 2시 회의", NOW)
    assert read.rule == "FREQ=WEEKLY;UNTIL=20270331T145959Z;BYDAY=TU"


@pytest.mark.parametrize("rule, said", [
    ("FREQ=WEEKLY;BYDAY=TU", "매주 화요일 14:00"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "격주 수요일 14:00"),
    ("FREQ=MONTHLY;BYDAY=1MO", "매월 첫째 월요일 14:00"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "매월 마지막 금요일 14:00"),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", "매월 말일 14:00"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "평일 14:00"),
    ("FREQ=WEEKLY;COUNT=10;BYDAY=TU", "매주 화요일 14:00 · 10회"),
    ("FREQ=WEEKLY;UNTIL=20270331T145959Z;BYDAY=TU", "매주 화요일 14:00 · 2027년 3월 31일(수)까지"),
])
def test_rules_are_told_back_in_korean(rule: str, said: str) -> None:
    assert describe_rule(rule, datetime(2026, 11, 24, 14, tzinfo=SEOUL)) == said


@pytest.mark.parametrize("phrase, says", [
    ("매주 오후 2시 회의", "무슨 요일인지"),
    ("격주 15시 회의", "무슨 요일인지"),
    ("매주 화요일 회의", "시간이 빠졌습니다"),
    ("매월 오후 2시 회의", "며칠인지"),
    ("매월 32일 오전 10시 회의", "32일은 없는 날"),
    ("매년 2월 30일 오전 10시 회의", "없는 날"),
    ("매주 화요일 12월 1일 오후 2시 회의", "'12월 1일부터'"),
    ("매주 화요일 오후 2시 회의 0회", "1회에서 500회"),
    ("매주 매월 화요일 오후 2시", "하나만"),
    ("매주 화요일 오후 2시 회의 10회 2027년 1월 5일까지", "하나만"),
    ("12월 1일부터 매주 화요일 오후 2시 회의 2026년 11월 25일까지", "열리는 회의가 없습니다"),
])
def test_unreadable_recurrences_say_what_is_wrong(phrase: str, says: str) -> None:
    with pytest.raises(RecurrenceError) as caught:
        read_recurrence(phrase, NOW)
    assert says in str(caught.value)


@pytest.mark.parametrize("phrase, says", [
    ("/meeting 매주 오후 2시 권역별 TF회의", "무슨 요일인지"),
    ("/meeting 매주 화요일 권역별 TF회의", "시간이 빠졌습니다"),
    ("/meeting 매월 오후 2시 권역별 TF회의", "며칠인지"),
    ("/meeting 매주 화요일 오후 2시", "제목"),
])
def test_an_unreadable_meeting_command_saves_nothing(store: Store, phrase: str, says: str) -> None:
    store.set_role(None, COORD, "coordinator", NOW.isoformat(), "김코디")
    reply = ask(Engine(store, Policy()), phrase, COORD)
    assert says in reply.text and reply.buttons == []
    assert store.count("choices") == 0 and store.series_list() == []


@pytest.mark.parametrize("text, recurs", [
    ("매주 화요일 오후 2시 권역별 TF회의", True),
    ("평일 오전 9시 점검", True),
    ("12월 3일 오후 2시 평일 점검회의", False),   # 평일 in a title, not a rule
    ("12월 3일 오후 2시 권역별 TF회의", False),
])
def test_a_recurrence_is_read_only_where_one_is_said(text: str, recurs: bool) -> None:
    assert mentions_recurrence(text) is recurs
