"""xlsx_fast.converted: calamine's grid becomes openpyxl's cells whichever way a column is
converted (mapped once per distinct value, or one list comprehension)."""

from __future__ import annotations

import gc
import math
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from toolkit.backends.xlsx_fast import collector_paused, converted

MANY = 20_000  # more cells than the sample a text column is judged by


def one_by_one(value: Any) -> Any:
    """The rule, cell by cell: "" -> None, whole float -> int, date -> midnight datetime."""
    if type(value) is float:
        return int(value) if value.is_integer() else value
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    return None if value == "" else value


COLUMNS: dict[str, list[Any]] = {
    "texts, no empty cell, few distinct": ["男", "女"] * (MANY // 2),
    "texts, no empty cell, all distinct": [f"KH{i:07d}" for i in range(MANY)],
    "texts with empty cells, few distinct": ["北京", "", "上海", "北京"] * (MANY // 4),
    "texts with empty cells, all distinct": [f"a{i}" if i % 3 else "" for i in range(MANY)],
    "whole and fractional floats, few distinct": [0.0, 2.0, 2.5, -0.0, ""] * (MANY // 5),
    "floats, all distinct": [i / 7 for i in range(MANY)],
    "dates and datetimes, few distinct": [date(2024, 3, 5), datetime(2024, 3, 5, 10), ""] * 9,
    "dates, all distinct": [date(1900, 1, 1) + timedelta(days=i) for i in range(MANY)],
    "booleans beside 1.0 and 0.0": [True, 1.0, False, 0.0, ""] * (MANY // 5),
    "booleans and texts": [True, "1", ""] * 10,
    "times and durations": [time(10, 30), timedelta(hours=30), 1.0, ""] * 10,
    "not a number": [math.nan, 1.0, ""] * 10,
    "phone numbers read as numbers": [13800138000.0 + i for i in range(100)] + [""],
}


@pytest.mark.parametrize("name", list(COLUMNS))
def test_each_column_kind_converts_as_cell_by_cell(name: str) -> None:
    column = COLUMNS[name]
    rows = converted([[value, "x"] for value in column])
    expected = [one_by_one(value) for value in column]
    got = [row[0] for row in rows]
    assert [type(v) for v in got] == [type(v) for v in expected]
    assert [repr(v) for v in got] == [repr(v) for v in expected]  # nan and -0.0 too
    assert all(row[1] == "x" for row in rows)


def test_rows_are_tuples_padded_to_the_widest() -> None:
    assert converted([["a"], ["b", 1.0, ""], []]) == [
        ("a", None, None),
        ("b", 1, None),
        (None, None, None),
    ]
    assert converted([]) == []


def test_a_column_of_few_texts_holds_one_object_per_text() -> None:
    grid = [[("男" + str(i))[:1]] for i in range(MANY)]  # a new string object in every cell
    assert len({id(row[0]) for row in grid}) > 1
    rows = converted(grid)
    assert len({id(row[0]) for row in rows}) == 1
    assert grid == []  # emptied on the way: one copy of the cells at a time


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_and_restored(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), collector_paused():
            raise KeyError("x")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
