"""Columns of a table as numpy arrays, each distinct cell value parsed once.

Scoring and tagging work on whole columns: a million customers hold a few thousand distinct
purchase dates, so each distinct value goes through toolkit.normalize once and the column is
then a lookup. Dates become day numbers (`date.toordinal()`), amounts and counts floats; a
blank or unreadable cell is NaN, which every comparison treats as false.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from itertools import compress, repeat
from operator import is_

import numpy as np
import numpy.typing as npt

from toolkit.normalize import clean_text, parse_amount, parse_count, parse_date
from toolkit.table import CellValue, Table

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def parsed_column(values: Sequence[CellValue], parse: Callable[[CellValue], float]) -> FloatArray:
    """`parse` applied to each distinct value once, as a float column.

    >>> parsed_column(["a", "bb", "a"], lambda v: float(len(str(v)))).tolist()
    [1.0, 2.0, 1.0]
    """
    if bool in set(map(type, values)):
        # True == 1 in a dict, yet a boolean cell is no amount nor date: parse them apart.
        return np.array([parse(v) for v in values], dtype=np.float64)
    meaning = {value: parse(value) for value in dict.fromkeys(values)}
    return np.fromiter(map(meaning.__getitem__, values), dtype=np.float64, count=len(values))


def date_days(values: Sequence[CellValue], *, day_first: bool = False) -> FloatArray:
    """Each cell's date as a day number (date.toordinal()), NaN when blank or unreadable.

    >>> date_days(["2025-06-30", None, "soon"]).tolist()[0] == date(2025, 6, 30).toordinal()
    True
    """

    def day_number(value: CellValue) -> float:
        parsed = parse_date(value, day_first=day_first).value
        return float(parsed.toordinal()) if parsed is not None else np.nan

    is_datetime, stamps, others = split_datetimes(values)
    days = np.empty(len(values), dtype=np.float64)
    days[is_datetime] = stamps
    if others:
        days[~is_datetime] = parsed_column(others, day_number)
    return days


def split_datetimes(cells: Sequence[CellValue]) -> tuple[BoolArray, IntArray, list[CellValue]]:
    """Which cells are datetimes, their day numbers (date.toordinal()), and the other cells.

    Readers give date cells as datetimes, each its own date: a C call apiece, where the other
    cells (text, numbers, blanks) need the date parser.

    >>> is_datetime, days, others = split_datetimes([datetime(2025, 6, 30), "soon"])
    >>> is_datetime.tolist(), days.tolist(), others
    ([True, False], [739432], ['soon'])
    """
    is_datetime = np.fromiter(map(is_, map(type, cells), repeat(datetime)), np.bool_, len(cells))
    stamps = compress(cells, is_datetime.tolist())
    days = np.fromiter(map(datetime.toordinal, stamps), np.int64)  # type: ignore[arg-type]
    return is_datetime, days, list(compress(cells, (~is_datetime).tolist()))


def amounts(values: Sequence[CellValue]) -> FloatArray:
    """Each cell's amount of money, NaN when blank or unreadable.

    >>> amounts(["¥1,234.50", 20, "n/a"]).tolist()[:2]
    [1234.5, 20.0]
    """

    def amount(value: CellValue) -> float:
        parsed = parse_amount(value).value
        return parsed if parsed is not None else np.nan

    return parsed_column(values, amount)


def counts(values: Sequence[CellValue]) -> FloatArray:
    """Each cell's count (purchases, orders), NaN when blank or unreadable.

    >>> counts(["3次", 4, None]).tolist()[:2]
    [3.0, 4.0]
    """

    def count(value: CellValue) -> float:
        parsed = parse_count(value).value
        return float(parsed) if parsed is not None else np.nan

    return parsed_column(values, count)


def folded_texts(values: Sequence[CellValue]) -> list[str]:
    """Each cell as text for comparing: spaces and width cleaned, case folded; "" when blank.

    >>> folded_texts([" ＶＩＰ  Gold ", None, 1001.0])
    ['vip gold', '', '1001']
    """
    meaning: dict[tuple[type, CellValue], str] = {}
    result = []
    for value in values:
        key = (type(value), value)
        text = meaning.get(key)
        if text is None:
            text = meaning[key] = (clean_text(value).value or "").casefold()
        result.append(text)
    return result


def day_number(day: date) -> float:
    """A date as the day numbers of `date_days` count."""
    return float(day.toordinal())


def occupied_rows(table: Table) -> BoolArray:
    """True for each data row with anything in it (blank rows get no scores and no tags).

    >>> from toolkit.table import Column
    >>> t = Table("C", "customers", 1, (Column(1, "Name", "name"),), (("Li",), (None,)))
    >>> occupied_rows(t).tolist()
    [True, False]
    """
    return np.fromiter(map(_has_value, table.rows), dtype=np.bool_, count=len(table.rows))


def _has_value(row: Sequence[CellValue]) -> bool:
    # A plain loop, five times faster here than any() over a generator: most rows stop at
    # their first cell, and a million generators cost more than the tests they run.
    for value in row:  # noqa: SIM110
        if value is not None and (value.__class__ is not str or value.strip()):
            return True
    return False
