"""Column parsing for scoring and tagging: each distinct value parsed once, NaN when unusable."""

from __future__ import annotations

import doctest
import importlib
from datetime import date, datetime

import numpy as np
import pytest

from toolkit.normalize import parse_date
from toolkit.routines.columns import (
    amounts,
    counts,
    date_days,
    folded_texts,
    occupied_rows,
    parsed_column,
)
from toolkit.routines.tag_fields import categories
from toolkit.table import Column, Table

MY_MODULES = [
    "toolkit.models.segment_maps",
    "toolkit.models.scoring_settings",
    "toolkit.models.tag_conditions",
    "toolkit.models.tagging_settings",
    "toolkit.routines.columns",
    "toolkit.routines.purchases",
    "toolkit.routines.rfm",
    "toolkit.routines.tiers",
    "toolkit.routines.churn",
    "toolkit.routines.scores",
    "toolkit.routines.tier_summary",
    "toolkit.routines.tag_fields",
    "toolkit.routines.tagging",
]


@pytest.mark.parametrize("name", MY_MODULES)
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_dates_in_any_common_form_become_day_numbers() -> None:
    days = date_days(
        [
            date(2025, 6, 30),
            datetime(2025, 6, 30, 15, 0),
            "2025/6/30",
            "2025年6月30日",
            45838,
            None,
            "",
            "someday",
            True,
        ]
    )
    expected = float(date(2025, 6, 30).toordinal())
    assert days[:5].tolist() == [expected] * 5 and np.isnan(days[5:]).all()


def test_day_first_is_passed_to_the_date_parser() -> None:
    assert date_days(["05/03/2024"], day_first=True)[0] == date(2024, 3, 5).toordinal()
    assert date_days(["05/03/2024"])[0] == date(2024, 5, 3).toordinal()


def test_amounts_and_counts() -> None:
    assert amounts(["¥1,234.50", 1.2e4, "1.2万", -5, "n/a"])[:4].tolist() == [
        1234.5,
        12000.0,
        12000.0,
        -5.0,
    ]
    assert counts(["3次", 4.0, 2.5, "x"]).tolist()[:2] == [3.0, 4.0]
    assert np.isnan(counts([2.5])[0])


def test_booleans_are_not_mistaken_for_numbers_they_equal() -> None:
    # True == 1 as a dict key; a boolean cell must not borrow the meaning of 1.
    assert np.isnan(amounts([1, True])[1]) and amounts([True, 1])[1] == 1.0


def test_each_distinct_value_is_parsed_once() -> None:
    seen: list[object] = []

    def parse(value: object) -> float:
        seen.append(value)
        return 1.0

    parsed_column(["a", "b", "a", "a", None, None], parse)  # type: ignore[arg-type]
    assert seen == ["a", "b", None]


def test_texts_and_categories_fold_spacing_width_and_case() -> None:
    assert folded_texts([" ＶＩＰ  Gold ", "vip gold", None, 1001.0]) == [
        "vip gold",
        "vip gold",
        "",
        "1001",
    ]
    codes, names = categories(["北京", " 北京", None, "上海"])
    assert codes.tolist() == [0, 0, 1, 2] and names == [("北京",), ("",), ("上海",)]


def test_blank_rows_are_not_occupied() -> None:
    table = Table(
        "C",
        "customers",
        1,
        (Column(1, "Name", "name"), Column(2, "Phone", "phone")),
        (("Li", None), (None, None), ("  ", None), (None, 0)),
    )
    assert occupied_rows(table).tolist() == [True, False, False, True]


@pytest.mark.parametrize(
    "cells",
    [
        [datetime(2025, 6, 30, 23, 59), datetime(2024, 2, 29), datetime(1, 1, 1)],
        [datetime(2025, 6, 30, 8), None, "2025-06-30", date(2025, 6, 30), True, 45838],
        [None, "soon"],
        [],
    ],
)
def test_date_cells_read_column_wise_as_each_cell_alone(cells: list[object]) -> None:
    parsed = [parse_date(cell).value for cell in cells]  # type: ignore[arg-type]
    one_by_one = [np.nan if day is None else float(day.toordinal()) for day in parsed]
    assert np.array_equal(date_days(cells), np.array(one_by_one), equal_nan=True)
