"""Reading a spreadsheet: values as stored, dates as dates, two requests whatever the size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest

from tests.sheets_standin import SheetsStandIn
from toolkit.backends.gsheets import GoogleSheetsBackend
from toolkit.backends.gsheets.state import STATE_SHEET
from toolkit.table import RawSheet

Factory = Callable[..., GoogleSheetsBackend]


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ("013800138000", "013800138000"),  # a phone typed as text keeps its leading zero
        ("00123", "00123"),  # an id with leading zeros
        ("=1+1", "=1+1"),  # text that looks like a formula stays text
        ("+86 138 0013 8000", "+86 138 0013 8000"),
        (42, 42),
        (1234.5, 1234.5),
        (True, True),
        (date(2024, 3, 5), date(2024, 3, 5)),
        (datetime(2024, 3, 5, 14, 30), datetime(2024, 3, 5, 14, 30)),
        (time(9, 15), time(9, 15)),
        ("张伟", "张伟"),
        ("2024-03-05", "2024-03-05"),  # a date typed as text stays text (the validator's job)
    ],
)
def test_values_come_back_as_stored(
    sheets_backend_factory: Factory, stored: Any, read: Any
) -> None:
    backend = sheets_backend_factory([("客户", [["姓名", "值"], ["李雷", stored]])])

    raw = backend.read()

    assert raw.sheets[0].rows[1][1] == read
    assert type(raw.sheets[0].rows[1][1]) is type(read)


def test_rows_are_padded_and_blanks_are_none(sheets_backend_factory: Factory) -> None:
    rows = [
        ["Customer list", None, None],
        [None, None, None],
        ["Name", "Phone", "City"],
        ["Li", None, "Beijing"],
        ["Wang"],
    ]
    backend = sheets_backend_factory([("Customers", rows)])

    sheet = backend.read().sheets[0]

    assert sheet.rows == [
        ("Customer list", None, None),
        (None, None, None),
        ("Name", "Phone", "City"),
        ("Li", None, "Beijing"),
        ("Wang", None, None),
    ]


def test_every_sheet_in_order_with_hidden_flag_and_without_our_state(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory(
        [("Customers", [["Name"], ["Li"]]), ("Orders", [["Order"]]), (STATE_SHEET, [["{}"]])]
    )
    book = next(iter(standin.store.books.values()))
    book.sheet_by_title("Orders").props["hidden"] = True  # type: ignore[union-attr]

    raw = backend.read()

    assert [(s.name, s.hidden) for s in raw.sheets] == [("Customers", False), ("Orders", True)]
    assert raw.sheet("Customers") == RawSheet("Customers", [("Name",), ("Li",)])


@pytest.mark.parametrize("rows", [10, 2_000])
def test_a_read_is_two_requests_whatever_the_size(
    sheets_backend_factory: Factory, standin: SheetsStandIn, rows: int
) -> None:
    data = [["Name", "Phone", "Signup"]] + [
        [f"N{i}", f"0{i:010d}", date(2024, 1, 1)] for i in range(rows)
    ]
    backend = sheets_backend_factory([("Customers", data), ("Orders", [["Order"], ["A1"]])])

    raw = backend.read()

    assert len(raw.sheets[0].rows) == rows + 1
    assert raw.sheets[0].rows[-1][2] == date(2024, 1, 1)
    assert [r.endpoint for r in standin.requests if r.endpoint != "token"] == [
        "spreadsheets.get",
        "values.batchGet",
    ]
