"""Dates from date cells, Excel serials and the ways people type them."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.normalize import Parsed, excel_serial, parse_date
from toolkit.table import CellValue

MARCH_5 = date(2024, 3, 5)
TEXT_FORMS = [
    "2024-03-05",
    "2024-3-5",
    "2024/3/5",
    "2024/03/05",
    "2024.3.5",
    "2024 - 03 - 05",
    "2024年3月5日",
    "2024年03月05日",
    "2024年3月5号",
    "2024年3月5",
    "2024 年 3 月 5 日",
    "20240305",
    "5 Mar 2024",
    "05-Mar-2024",
    "5 March 2024",
    "5th March 2024",
    "March 5, 2024",
    "Mar 5 2024",
    "Mar. 5, 2024",
    "MAR 5TH 2024",
    "2024-Mar-05",
    "３/５/２０２４",  # full-width M/D/Y: ambiguous, read month-first by default
    "２０２４－０３－０５",
    "２０２４年３月５日",
    "二〇二四年三月五日",
    "二零二四年三月五日",
    "3/5/2024",
    " 2024-03-05 ",
]


@pytest.mark.parametrize("written", TEXT_FORMS)
def test_text_dates_are_read_and_flagged(written: str) -> None:
    parsed = parse_date(written)
    if written.endswith("/2024") or written.endswith("/２０２４"):
        assert parsed == Parsed(MARCH_5, "date_ambiguous", None)
    else:
        assert parsed == Parsed(MARCH_5, "date_format", MARCH_5)


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        ("2024-03-05 10:30", datetime(2024, 3, 5, 10, 30)),
        ("2024-03-05T10:30:00", datetime(2024, 3, 5, 10, 30)),
        ("2024-03-05T10:30:00Z", datetime(2024, 3, 5, 10, 30)),
        ("2024-03-05T10:30:00.250+08:00", datetime(2024, 3, 5, 10, 30, 0, 250000)),
        ("2024/3/5 22:05:09", datetime(2024, 3, 5, 22, 5, 9)),
        ("2024-03-05 10:30 PM", datetime(2024, 3, 5, 22, 30)),
        ("2024-03-05 12:00 am", MARCH_5),  # midnight: a plain date
        ("2024-03-05 00:00:00", MARCH_5),
        ("2024年3月5日 10:30", datetime(2024, 3, 5, 10, 30)),
        ("March 5, 2024 9:15", datetime(2024, 3, 5, 9, 15)),
    ],
)
def test_a_time_of_day_is_kept_in_the_fix(written: str, fix: date) -> None:
    assert parse_date(written) == Parsed(MARCH_5, "date_format", fix)


@pytest.mark.parametrize(
    ("written", "day_first", "expected"),
    [
        ("13/3/2024", False, Parsed(date(2024, 3, 13), "date_format", date(2024, 3, 13))),
        ("3/13/2024", True, Parsed(date(2024, 3, 13), "date_format", date(2024, 3, 13))),
        ("05/03/2024", False, Parsed(date(2024, 5, 3), "date_ambiguous", None)),
        ("05/03/2024", True, Parsed(date(2024, 3, 5), "date_ambiguous", None)),
        ("05.03.2024", True, Parsed(date(2024, 3, 5), "date_ambiguous", None)),
        ("05-03-2024", True, Parsed(date(2024, 3, 5), "date_ambiguous", None)),
        ("5/5/2024", False, Parsed(date(2024, 5, 5), "date_format", date(2024, 5, 5))),
        ("13/13/2024", False, Parsed(None, "date_impossible", None)),
        ("31/2/2024", False, Parsed(None, "date_impossible", None)),
        # Two-digit years: last, written with two digits, always a guess to confirm.
        ("5/3/24", True, Parsed(date(2024, 3, 5), "date_ambiguous", None)),
        ("13/3/24", True, Parsed(date(2024, 3, 13), "date_ambiguous", None)),
        ("5/3/45", True, Parsed(date(1945, 3, 5), "date_ambiguous", None)),
        ("5/3/29", True, Parsed(date(2029, 3, 5), "date_ambiguous", None)),
        ("5/3/30", True, Parsed(date(1930, 3, 5), "date_ambiguous", None)),
        ("24/3/5", False, Parsed(None, "date_invalid", None)),  # year first with 2 digits
    ],
)
def test_day_and_month_order(written: str, day_first: bool, expected: Parsed[date]) -> None:
    assert parse_date(written, day_first=day_first) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 3, 5, 10, 30), Parsed(MARCH_5, None, None)),
        (MARCH_5, Parsed(MARCH_5, None, None)),
        (45356, Parsed(MARCH_5, "date_format", MARCH_5)),
        (45356.0, Parsed(MARCH_5, "date_format", MARCH_5)),
        (45356.4375, Parsed(MARCH_5, "date_format", datetime(2024, 3, 5, 10, 30))),
        (1, Parsed(date(1900, 1, 1), "date_format", date(1900, 1, 1))),
        (59, Parsed(date(1900, 2, 28), "date_format", date(1900, 2, 28))),
        (60, Parsed(None, "date_impossible", None)),  # Excel's 1900-02-29 never was
        (61, Parsed(date(1900, 3, 1), "date_format", date(1900, 3, 1))),
        (73415, Parsed(date(2100, 12, 31), "date_format", date(2100, 12, 31))),
        (73416, Parsed(None, "date_invalid", None)),
        (0, Parsed(None, "date_invalid", None)),
        (0.5, Parsed(None, "date_invalid", None)),
        (-1, Parsed(None, "date_invalid", None)),
        (20240305, Parsed(MARCH_5, "date_format", MARCH_5)),
        (20240305.0, Parsed(MARCH_5, "date_format", MARCH_5)),
        (20240230, Parsed(None, "date_impossible", None)),
        (1234567, Parsed(None, "date_invalid", None)),
        (float("nan"), Parsed(None, "date_invalid", None)),
        (float("inf"), Parsed(None, "date_invalid", None)),
        (True, Parsed(None, "date_invalid", None)),
        (time(10, 30), Parsed(None, "date_invalid", None)),
    ],
)
def test_cells_and_serials(value: CellValue, expected: Parsed[date]) -> None:
    assert parse_date(value) == expected


def test_1904_serials() -> None:
    assert parse_date(0, date1904=True).value == date(1904, 1, 1)
    assert parse_date(43894, date1904=True).value == MARCH_5
    assert parse_date(60, date1904=True).value == date(1904, 3, 1)  # no phantom day in 1904
    assert parse_date(-1, date1904=True).problem == "date_invalid"


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("2024-02-30", "date_impossible"),
        ("2023-02-29", "date_impossible"),
        ("2023-13-01", "date_impossible"),
        ("2024-00-10", "date_impossible"),
        ("2024年2月30日", "date_impossible"),
        ("30 Feb 2024", "date_impossible"),
        ("2024-03-05 25:00", "date_impossible"),
        ("2024-03-05 13:00 pm", "date_impossible"),
        ("abc", "date_invalid"),
        ("abc 5", "date_invalid"),  # what a fuzzy parser would turn into a date
        ("5", "date_invalid"),
        ("45356", "date_invalid"),  # a serial as text is not guessed at
        ("2024年3月", "date_invalid"),  # no day
        ("2024-03", "date_invalid"),
        ("Smarch 5, 2024", "date_invalid"),
        ("2024-03/05", "date_invalid"),  # mixed separators
        ("5th of March 2024", "date_invalid"),
        ("下周一", "date_invalid"),
        ("2024-03-05 and more", "date_invalid"),
    ],
)
def test_impossible_and_invalid(written: str, problem: str) -> None:
    assert parse_date(written) == Parsed(None, problem, None)


DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=500)
@given(day=DATES)
def test_dates_round_trip_through_every_written_form(day: date) -> None:
    written_forms = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y%m%d}",
        f"{day:%d %b %Y}",
        f"{day:%B} {day.day}, {day.year}",
    ]
    for written in written_forms:
        assert parse_date(written) == Parsed(day, "date_format", day), written
    assert parse_date(excel_serial(day)) == Parsed(day, "date_format", day)


@given(day=st.dates(min_value=date(1904, 1, 1), max_value=date(2100, 12, 31)))
def test_1904_serials_round_trip(day: date) -> None:
    assert parse_date(excel_serial(day, date1904=True), date1904=True).value == day


@given(day=DATES, seconds=st.integers(min_value=1, max_value=86_399))
def test_serial_fractions_are_times_of_day(day: date, seconds: int) -> None:
    serial = excel_serial(day) + seconds / 86_400
    parsed = parse_date(serial)
    assert parsed.value == day
    assert isinstance(parsed.fix, datetime)
    written = parsed.fix.hour * 3600 + parsed.fix.minute * 60 + parsed.fix.second
    assert written == seconds
