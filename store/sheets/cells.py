"""One spreadsheet cell read as the value its column's type stores, or the reason it cannot be."""

import re
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from store.sheets.columns import AMOUNT, DATE, DAY, FLAG, INTEGER, PHONE, REF, SEP, TEXT, Column

Value = str | int | None
Raw = str | int | float | bool | date | datetime | time | timedelta | None

_PHONE = re.compile(r"^(0\d{1,2}-\d{3,4}-\d{4}|1\d{3}-\d{4})(~\d{1,4})?$")
_BRACKETED = re.compile(r"^\((0\d{1,2})\)\s*-?\s*")
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})[-./](\d{1,2})\.?$")
_DAY = re.compile(r"^(\d{4})[-./]\s*(\d{1,2})[-./]\s*(\d{1,2})\.?$")
_MOMENT = re.compile(r"^(\d{4})[-./]\s*(\d{1,2})[-./]\s*(\d{1,2})\.?\s*[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_UNITS = ("억원", "백만원", "조원", "원", "억")
_YES = {"예", "y", "yes", "1", "true", "o", "○", "네", "합계", "소계"}
_NO = {"아니오", "아니요", "n", "no", "0", "false", "x", ""}


class CellError(ValueError):
    """A cell that does not hold a value of its column's type; the message names what is wrong."""


def blank(raw: Raw) -> bool:
    """Whether a cell is empty (nothing, or only spaces)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def as_text(raw: Raw) -> str:
    """A cell as text: a whole number without `.0`, a date in ISO form."""
    if isinstance(raw, bool):
        return "예" if raw else "아니오"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ", timespec="minutes") if raw.second == 0 else raw.isoformat(sep=" ")
    if isinstance(raw, date | time):
        return raw.isoformat()
    return str(raw).strip() if raw is not None else ""


def parse(column: Column, raw: Raw, tz: tzinfo) -> Value:
    """The stored value of a cell of `column` (None when empty); CellError says why a cell cannot be one.
    A reference is returned as the text written: the plan resolves it."""
    kind = column.type
    if type(raw) is str and kind in (REF, TEXT) and not column.multi:
        text = raw.strip()   # most cells: plain text, or a name another sheet's row goes by
        if text and column.choices and kind == TEXT and text not in column.choices:
            raise CellError(f"'{text}'은(는) 허용된 값이 아닙니다 (허용: {', '.join(column.choices)})")
        return text or None
    if type(raw) is float and kind in (INTEGER, AMOUNT) and raw.is_integer():
        return int(raw)   # a number as calamine reads it
    if blank(raw):
        return None
    if kind == INTEGER:
        return _integer(raw)
    if kind == AMOUNT:
        return _amount(raw)
    if kind == FLAG:
        return _flag(raw)
    if kind == DATE:
        return _date(raw, tz)
    if kind == DAY:
        return _day(raw, tz)
    if kind == PHONE:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raise CellError(f"'{as_text(raw)}'은(는) 숫자 서식이라 전화번호의 앞자리 0이 빠졌을 수 있습니다 "
                            "(셀을 텍스트로 적어 주세요: 044-203-4418)")
        return SEP.join(_phone(part) for part in _parts(raw))
    text = as_text(raw)
    if column.multi:
        parts = _parts(text)
        if column.key == "aliases":   # a set: kept sorted, as the store lists them
            parts = sorted(set(parts))
        text = SEP.join(parts)
    if column.choices and kind != REF and text not in column.choices:
        raise CellError(f"'{text}'은(는) 허용된 값이 아닙니다 (허용: {', '.join(column.choices)})")
    return text


def _parts(raw: Raw) -> list[str]:
    return [p.strip() for p in as_text(raw).split("|") if p.strip()]


def _integer(raw: Raw) -> int:
    if isinstance(raw, bool):
        raise CellError(f"'{as_text(raw)}'은(는) 숫자가 아닙니다")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CellError(f"'{raw}'은(는) 정수가 아닙니다")
    text = as_text(raw).replace(",", "").replace(" ", "")
    if not _NUMBER.match(text):
        raise CellError(f"'{as_text(raw)}'은(는) 숫자가 아닙니다")
    if "." in text:
        if float(text).is_integer():
            return int(float(text))
        raise CellError(f"'{as_text(raw)}'은(는) 정수가 아닙니다")
    return int(text)


def _amount(raw: Raw) -> int:
    text = as_text(raw).replace(" ", "") if isinstance(raw, str) else raw
    if isinstance(text, str):
        for unit in _UNITS:   # "1,234억원": the unit column says the unit
            if text.endswith(unit) and text[: -len(unit)]:
                text = text[: -len(unit)]
                break
    try:
        return _integer(text)
    except CellError as exc:
        if "정수가 아닙니다" in str(exc):
            raise CellError(f"금액 '{as_text(raw)}'은(는) 정수로 적어 주세요 (소수가 있으면 단위를 백만원으로: "
                            "259.1억원 → 25910, 단위 백만원)") from None
        raise CellError(f"금액 '{as_text(raw)}'은(는) 숫자가 아닙니다") from None


def _flag(raw: Raw) -> int:
    if isinstance(raw, bool):
        return int(raw)
    text = as_text(raw).casefold()
    if text in _YES:
        return 1
    if text in _NO:
        return 0
    raise CellError(f"'{as_text(raw)}'은(는) '예' 또는 빈칸이어야 합니다")


def _date(raw: Raw, tz: tzinfo) -> str:
    if isinstance(raw, datetime):
        moment = raw if raw.tzinfo else raw.replace(tzinfo=tz)
        return moment.isoformat(timespec="seconds")
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer() \
            and 1900 <= raw <= 2200:
        return str(int(raw))   # a year typed as a number
    text = as_text(raw)
    try:
        if _YEAR.match(text):
            return text
        if m := _MONTH.match(text):
            return date(int(m[1]), int(m[2]), 1).isoformat()[:7]
        if m := _DAY.match(text):
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        if m := _MOMENT.match(text):
            moment = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0), tzinfo=tz)
            return moment.isoformat(timespec="seconds")
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(f"'{text}'은(는) 날짜가 아닙니다 (예: 2026-12-03, 2026-12-03 14:00)") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).isoformat(timespec="seconds")


def _day(raw: Raw, tz: tzinfo) -> str:
    """A whole day (a due date): a date cell, or text like 2026-12-20; a time of day other than midnight, a month
    or a year alone is refused."""
    value = _date(raw, tz)
    if len(value) == 10:
        return value
    if len(value) > 10 and value[10:].startswith("T00:00:00"):
        return value[:10]
    raise CellError(f"'{as_text(raw)}'은(는) 하루를 가리키는 날짜가 아닙니다 (예: 2026-12-20, 시각 없이)")


def _phone(text: str) -> str:
    number = _BRACKETED.sub(lambda m: m[1] + "-", text.replace(" ", ""))
    if number.isdigit() and number.startswith("0") and 9 <= len(number) <= 11:
        number = _hyphenated(number)
    if not _PHONE.match(number):
        raise CellError(f"'{text}'은(는) 전화번호가 아닙니다 (예: 044-203-4418, 범위는 061-339-9722~9725)")
    return number


def _hyphenated(digits: str) -> str:
    """0442034418 → 044-203-4418; 0212345678 → 02-1234-5678."""
    area = 2 if digits.startswith("02") else 3
    rest = digits[area:]
    return f"{digits[:area]}-{rest[:-4]}-{rest[-4:]}"


def shown(value: Any) -> str:
    """A stored value as the preview shows it (empty: `(빈칸)`)."""
    if value is None or value == "":
        return "(빈칸)"
    return str(value)
