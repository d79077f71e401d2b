"""A run's request count does not grow with the rows: 2 to read, 3 to apply, at any size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from tests.sheets_standin import SheetsStandIn
from toolkit.backends.base import RunInfo
from toolkit.backends.gsheets import GoogleSheetsBackend
from toolkit.backends.gsheets.batches import MAX_REQUEST_BYTES
from toolkit.plan import Highlight, Plan, SetColumn, WriteSheet

Factory = Callable[..., GoogleSheetsBackend]
HEADER = [
    "Name",
    "Phone",
    "Email",
    "Signup",
    "City",
    "Amount",
    "Owner",
    "Company",
    "Title",
    "Notes",
]


def customers(rows: int) -> list[list[object]]:
    start = date(2020, 1, 1)
    return [HEADER] + [
        [
            f"客户{i}",
            f"0138{i:07d}",
            f"c{i}@example.com",
            start + timedelta(days=i % 900),
            "北京",
            100.5 + i,
            "Li",
            "ACME",
            "CEO",
            "",
        ]
        for i in range(rows)
    ]


def validation_plan(rows: int) -> Plan:
    flagged = range(0, rows, 7)
    return Plan(
        (
            SetColumn(
                "Customers",
                "issues",
                "Issues",
                1,
                2,
                tuple("phone" if i % 7 == 0 else None for i in range(rows)),
            ),
            SetColumn(
                "Customers",
                "next_followup",
                "Next Follow-up",
                1,
                2,
                (date(2025, 7, 1),) * rows,
                "yyyy-mm-dd",
            ),
            Highlight("Customers", "error", tuple((i + 2, 2) for i in flagged)),
            WriteSheet(
                "validation",
                "Validation",
                ("Row", "Problem"),
                tuple((i + 2, "phone") for i in flagged),
            ),
        )
    )


@pytest.mark.parametrize("rows", [200, 20_000])
def test_a_run_costs_the_same_five_requests_at_200_and_at_20000_rows(
    sheets_backend_factory: Factory, standin: SheetsStandIn, rows: int
) -> None:
    backend = sheets_backend_factory(
        [("Customers", customers(rows)), ("Orders", [["Order"], ["A-1"]])]
    )

    backend.read()
    result = backend.apply(validation_plan(rows), run=RunInfo(("validate",), "2025-06-30T09:00:00"))

    api = [r for r in standin.requests if r.endpoint != "token"]
    assert [r.endpoint for r in api] == [
        "spreadsheets.get",
        "values.batchGet",
        "values.batchGet",
        "spreadsheets.batchUpdate",
        "values.batchUpdate",
    ]
    assert all(r.body_size <= MAX_REQUEST_BYTES for r in api)
    assert result.cells_written == 2 * (rows + 1) + 2 * (len(range(0, rows, 7)) + 1)


def test_values_over_two_megabytes_go_in_several_requests_each_under_the_limit(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    rows = 3_000
    backend = sheets_backend_factory([("Customers", customers(rows))])
    long_text = "备注" * 400  # ~4.8 kB a row once JSON-escaped: ~14 MB in all
    plan = Plan((SetColumn("Customers", "issues", "Issues", 1, 2, (long_text,) * rows),))

    backend.read()
    backend.apply(plan, run=RunInfo(("validate",), "2025-06-30T09:00:00"))

    writes = [r for r in standin.requests if r.endpoint == "values.batchUpdate"]
    assert len(writes) > 1
    assert all(r.body_size <= MAX_REQUEST_BYTES for r in writes)
    assert backend.read().sheets[0].rows[-1][-1] == long_text
