"""python-calamine's grid made openpyxl's cells, a column at a time, with few Python calls.

calamine gives "" for an empty cell, every number as a float and dates as `date`; openpyxl gives
None, int for numbers written without "." or "E" (the fast reader finds the others in the XML)
and midnight datetimes. A per-cell Python call costs about 25 s per million rows of a customer
sheet, so each column is converted in C where it can be:

- a column of texts with few distinct values (gender, city, owner) and a column of dates with
  few distinct days are converted once per distinct value and mapped in C, which leaves one
  object per distinct value (a million "男" cells hold one string, not a million);
- a column of texts with many values is kept as it is (or gets one list comprehension for its
  empty cells), and so do columns of numbers (phone numbers, amounts, counts): whole floats
  become int in one list comprehension, cheaper than a mapping.

>>> converted([["姓名", "生日"], ["张三", date(1990, 5, 1)], ["", 5.0]])
[('姓名', '生日'), ('张三', datetime.datetime(1990, 5, 1, 0, 0)), (None, 5)]
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from toolkit.table import CellValue

_FEW = 4  # a column is mapped when it has at most 1/_FEW as many distinct values as cells
_SAMPLE = 4096  # cells of a text column looked at first


def converted(grid: list[list[Any]]) -> list[tuple[CellValue, ...]]:
    """calamine's values as openpyxl's: "" -> None, whole floats -> int, date -> datetime.

    `grid` is emptied on the way (one copy of the cells at a time).
    """
    width = max(map(len, grid), default=0)
    for row in grid:
        if len(row) < width:  # calamine pads every row; this is only in case
            row.extend([""] * (width - len(row)))
    columns: list[Sequence[Any]] = list(zip(*grid, strict=True))
    grid.clear()
    for index, column in enumerate(columns):
        columns[index] = _column(column)
    return list(zip(*columns, strict=True))


def _column(column: Sequence[Any]) -> Sequence[Any]:
    kinds = set(map(type, column))
    if kinds == {str}:
        distinct = _few(column, sample=_SAMPLE)
        if distinct is not None:
            return _mapped(column, distinct)
        return [None if v == "" else v for v in column] if "" in column else column
    if date in kinds and bool not in kinds:  # True == 1.0 would share a key with 1.0
        distinct = _few(column, sample=len(column))
        if distinct is not None:
            return _mapped(column, distinct)
    if float in kinds or date in kinds:
        return [
            (int(v) if v.is_integer() else v) if (kind := v.__class__) is float
            else None if v == "" else datetime(v.year, v.month, v.day) if kind is date
            else v
            for v in column
        ]  # fmt: skip
    return [None if v == "" else v for v in column] if "" in column else column


def _few(column: Sequence[Any], *, sample: int) -> set[Any] | None:
    """The column's distinct values when they are few; its first `sample` cells may rule a
    column out (a column of texts only gains memory from the mapping, so a sample will do)."""
    if sample < len(column) and len(set(column[:sample])) * _FEW > sample:
        return None
    distinct = set(column)
    return distinct if len(distinct) * _FEW <= len(column) else None


def _mapped(column: Sequence[Any], distinct: set[Any]) -> list[CellValue]:
    """Each value converted once, then looked up in C: one object per distinct value."""
    table = {value: _cell(value) for value in distinct}
    return list(map(table.__getitem__, column))


def _cell(value: Any) -> CellValue:
    kind = value.__class__
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return None if value == "" else value


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a big grid is built and converted.

    Millions of row lists and tuples (which never form cycles) would each count towards the
    collector's thresholds, and every collection walks all of them again: at a million rows
    that is most of the conversion's time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
