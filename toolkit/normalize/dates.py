"""Dates as spreadsheets hold them: real date cells, Excel serial numbers, and text.

Text is matched against a closed list of forms (ISO, Y/M/D, 2024年3月5日, 20240305,
D/M/Y or M/D/Y, English month names, Chinese numerals), never guessed at: a fuzzy parser turns
"abc 5" into a date. A date written as text or as a number is "date_format" and the fix is a
real date (a datetime when the text carried a time of day other than midnight).

Slash forms with the year last are read day-first when the first part is over 12, month-first
when the second is, and by `day_first` otherwise ("date_ambiguous", no fix). A two-digit year
is accepted only last and written with two digits ("5/3/24"), read with Excel's pivot
(00-29 -> 20xx, 30-99 -> 19xx), and is always "date_ambiguous"; "24/3/5" is "date_invalid".
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from toolkit.normalize.text import (
    BLANK,
    CACHE_SIZE,
    LONGEST_VALUE,
    Parsed,
    arabic_numerals,
    fold_width,
)
from toolkit.table import CellValue

_INVALID: Parsed[date] = Parsed(None, "date_invalid", None)
_IMPOSSIBLE: Parsed[date] = Parsed(None, "date_impossible", None)

# Excel's 1900 system counts 1900-02-29, a day that never was (serial 60), as Lotus did.
_EPOCH_1900 = date(1899, 12, 30)  # serial 61 and later: 1900-03-01 is serial 61
_EPOCH_1904 = date(1904, 1, 1)
_FIRST, _LAST = date(1900, 1, 1), date(2100, 12, 31)
_LOTUS_LEAP_DAY = 60

_TIME = (
    r"(?:(?:t|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<frac>\d+))?)?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?\s*(?:z|[+-]\d{2}:?\d{2})?)?"
)
_MONTH_WORD = r"(?P<mon>[a-z]{3,9})\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_FORMS = tuple(
    re.compile(pattern + _TIME)
    for pattern in (
        r"(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})",
        r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?",
        r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})",
        r"(?P<a>\d{1,2})\s*(?P<sep>[-/.])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<yl>\d{4}|\d{2})",
        rf"(?P<d>\d{{1,2}}){_ORDINAL}[\s\-/.,]*{_MONTH_WORD}[\s\-/.,]*(?P<y>\d{{4}})",
        rf"{_MONTH_WORD}[\s\-/.]*(?P<d>\d{{1,2}}){_ORDINAL}[\s,]+(?P<y>\d{{4}})",
        rf"(?P<y>\d{{4}})[\s\-/.,]*{_MONTH_WORD}[\s\-/.,]*(?P<d>\d{{1,2}}){_ORDINAL}",
    )
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def parse_date(
    value: CellValue, *, day_first: bool = False, date1904: bool = False
) -> Parsed[date]:
    """A date from a date cell, an Excel serial, a yyyymmdd number or text in a common form.

    Future and too-old dates are the caller's business (it knows the run's `as_of`).

    >>> parse_date("2024年3月5日")
    Parsed(value=datetime.date(2024, 3, 5), problem='date_format', fix=datetime.date(2024, 3, 5))
    >>> parse_date(45356).value, parse_date("2024-02-30").problem
    (datetime.date(2024, 3, 5), 'date_impossible')
    >>> parse_date("05/03/2024", day_first=True).problem
    'date_ambiguous'
    """
    return _parse_date(value, day_first, date1904)


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def _parse_date(value: CellValue, day_first: bool, date1904: bool) -> Parsed[date]:
    if value is None:
        return BLANK
    if isinstance(value, datetime):
        return Parsed(value.date(), None, None)
    if isinstance(value, date):
        return Parsed(value, None, None)
    if isinstance(value, str):
        return _parse_text(value, day_first) if value.strip() else BLANK
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _INVALID  # a time of day alone is not a date
    return _parse_number(value, date1904)


def excel_serial(day: date, *, date1904: bool = False) -> int:
    """The Excel serial number of a date (the inverse of reading one).

    >>> excel_serial(date(2024, 3, 5)), excel_serial(date(1900, 2, 28))
    (45356, 59)
    """
    if date1904:
        return (day - _EPOCH_1904).days
    serial = (day - _EPOCH_1900).days
    return serial if serial >= _LOTUS_LEAP_DAY + 1 else serial - 1


def _parse_number(number: int | float, date1904: bool) -> Parsed[date]:
    if not math.isfinite(number):
        return _INVALID
    whole = math.floor(number)
    if number == whole and 19000101 <= whole <= 21001231:
        return _as_format(_ymd(whole // 10000, whole // 100 % 100, whole % 100), None)
    if not date1904 and whole == _LOTUS_LEAP_DAY:
        return _IMPOSSIBLE
    if date1904:
        day = _EPOCH_1904 + timedelta(days=whole) if 0 <= whole <= 80_000 else None
    else:
        epoch = _EPOCH_1900 if whole > _LOTUS_LEAP_DAY else _EPOCH_1900 + timedelta(days=1)
        day = epoch + timedelta(days=whole) if 1 <= whole <= 80_000 else None
    if day is None or not _FIRST <= day <= _LAST:
        return _INVALID
    seconds = round((number - whole) * 86_400)
    at = time(*_hms(seconds)) if 0 < seconds < 86_400 else None
    return _as_format(day, at)


def _hms(seconds: int) -> tuple[int, int, int]:
    minutes, second = divmod(seconds, 60)
    return minutes // 60, minutes % 60, second


def _ymd(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _as_format(day: date | None, at: time | None) -> Parsed[date]:
    """A date that was written as text or a number: the fix is a real date cell."""
    if day is None:
        return _IMPOSSIBLE
    if at is None or at == time(0):
        return Parsed(day, "date_format", day)
    return Parsed(day, "date_format", datetime.combine(day, at))


def _parse_text(written: str, day_first: bool) -> Parsed[date]:
    if len(written) > LONGEST_VALUE:
        return _INVALID
    text = arabic_numerals(fold_width(written)).strip().lower()
    for form in _FORMS:
        match = form.fullmatch(text)
        if match is not None:
            return _from_match(match, day_first)
    return _INVALID


def _from_match(match: re.Match[str], day_first: bool) -> Parsed[date]:
    parts = match.groupdict()
    at = _time_of(parts)
    if parts["hour"] is not None and at is None:
        return _IMPOSSIBLE
    if parts.get("yl") is not None:
        return _year_last(parts, day_first, at)
    if parts.get("mon") is not None:
        month = _MONTHS.get(parts["mon"])
        if month is None:
            return _INVALID
    else:
        month = int(parts["m"])
    return _as_format(_ymd(int(parts["y"]), month, int(parts["d"])), at)


def _time_of(parts: dict[str, str | None]) -> time | None:
    if parts["hour"] is None:
        return None
    hour, minute, second = int(parts["hour"]), int(parts["minute"] or 0), int(parts["second"] or 0)
    ampm = parts["ampm"]
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    micro = int((parts["frac"] or "0")[:6].ljust(6, "0"))
    return time(hour, minute, second, micro)


def _year_last(parts: dict[str, str | None], day_first: bool, at: time | None) -> Parsed[date]:
    """D/M/Y or M/D/Y: decided by a part over 12, else by `day_first` and flagged."""
    first, second, year_text = int(parts["a"] or 0), int(parts["b"] or 0), parts["yl"] or ""
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 30 else 1900
    if first > 12 and second > 12:
        return _IMPOSSIBLE
    if first > 12 or second > 12:
        day_first = first > 12
    day, month = (first, second) if day_first else (second, first)
    parsed = _as_format(_ymd(year, month, day), at)
    ambiguous = len(year_text) == 2 or (first != second and first <= 12 and second <= 12)
    if parsed.value is None or not ambiguous:
        return parsed
    return Parsed(parsed.value, "date_ambiguous", None)
