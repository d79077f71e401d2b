"""`custkit undo URL`: values and formats we changed come back exactly, sheets we added go."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from tests.sheets_standin import SheetsStandIn
from tests.sheets_standin.model import Cell
from tests.sheets_standin.world import edit, sheet, titles
from toolkit.backends.base import RunInfo
from toolkit.backends.gsheets import GoogleSheetsBackend
from toolkit.errors import UndoError
from toolkit.plan import CellWrite, Highlight, Plan, SetCells, SetColumn, WriteSheet

Factory = Callable[..., GoogleSheetsBackend]
CUSTOMERS = [
    ["Name", "Phone", "Signup"],
    ["Li Lei", "013800138000", date(2024, 1, 2)],
    ["Han", "139", None],
]
RED = {
    "backgroundColorStyle": {"rgbColor": {"red": 1}},
    "backgroundColor": {"red": 1},
    "textFormat": {"bold": True},
}


def everything(standin: SheetsStandIn, key: str) -> dict[str, Any]:
    """Every sheet's title, visibility, grid size and cells: what 'exactly' means here."""
    book = standin.store.books[key]
    return {
        s.title: (
            bool(s.props.get("hidden")),
            s.rows,
            s.columns,
            copy.deepcopy(s.cells),
            copy.deepcopy(s.charts),
        )
        for s in book.sheets
    }


def plan_touching_everything() -> Plan:
    return Plan(
        (
            SetColumn("Customers", "issues", "Issues", 1, 2, ("phone", "missing date")),
            SetColumn(
                "Customers",
                "next_followup",
                "Next Follow-up",
                1,
                2,
                (date(2025, 7, 1), None),
                "yyyy-mm-dd",
            ),
            SetCells("Customers", (CellWrite(3, 2, "13900139000"),), "fix"),
            Highlight("Customers", "error", ((2, 2), (3, 3))),
            WriteSheet("validation", "Validation", ("Row", "Problem"), ((2, "phone"),)),
        )
    )


def seeded(sheets_backend_factory: Factory, standin: SheetsStandIn) -> GoogleSheetsBackend:
    backend = sheets_backend_factory([("Customers", CUSTOMERS), ("Orders", [["Order"], ["A-1"]])])
    customers = sheet(standin, backend.key, "Customers")
    customers.cells[(2, 1)] = Cell({"stringValue": "139"}, RED, note="call back")
    customers.grid["columnCount"] = 3  # our new columns must grow the grid, and undo shrinks it
    return backend


def test_undo_restores_values_formats_and_sheets_exactly(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = seeded(sheets_backend_factory, standin)
    before = everything(standin, backend.key)
    backend.read()
    backend.apply(plan_touching_everything(), run=RunInfo(("validate",), "2025-06-30T09:00:00"))
    assert everything(standin, backend.key) != before

    result = backend.undo()

    assert everything(standin, backend.key) == before
    assert result.run_started == "2025-06-30T09:00:00"


def test_undo_of_a_second_run_returns_to_the_first_runs_result(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = seeded(sheets_backend_factory, standin)
    backend.read()
    backend.apply(plan_touching_everything(), run=RunInfo(("validate",), "2025-06-30T09:00:00"))
    after_first = {
        t: v for t, v in everything(standin, backend.key).items() if not t.startswith("_custkit")
    }
    second = Plan(
        (
            SetColumn("Customers", "issues", "Issues", 1, 2, (None, None)),
            Highlight("Customers", "error", ()),
            WriteSheet("validation", "数据校验", ("行",), ((9,),)),
        )
    )
    backend.read()
    backend.apply(second, run=RunInfo(("validate",), "2025-06-30T10:00:00"))

    backend.undo()

    now = {
        t: v for t, v in everything(standin, backend.key).items() if not t.startswith("_custkit")
    }
    assert now == after_first


def test_undo_refuses_when_cells_we_wrote_were_edited_since(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = seeded(sheets_backend_factory, standin)
    backend.read()
    backend.apply(plan_touching_everything(), run=RunInfo(("validate",), "2025-06-30T09:00:00"))
    edit(standin, backend.key, "Customers", 2, 4, "checked by hand")
    before = everything(standin, backend.key)

    with pytest.raises(UndoError, match=r"Customers'!D1:D3"):
        backend.undo()
    assert everything(standin, backend.key) == before


@pytest.mark.parametrize("runs", [0, 2])
def test_nothing_to_undo(
    sheets_backend_factory: Factory, standin: SheetsStandIn, runs: int
) -> None:
    backend = seeded(sheets_backend_factory, standin)
    if runs:
        backend.read()
        backend.apply(plan_touching_everything(), run=RunInfo(("validate",), "2025-06-30T09:00:00"))
        backend.undo()

    with pytest.raises(UndoError, match=r"[Nn]othing to undo"):
        backend.undo()


def test_undo_is_four_requests(sheets_backend_factory: Factory, standin: SheetsStandIn) -> None:
    backend = seeded(sheets_backend_factory, standin)
    backend.read()
    backend.apply(plan_touching_everything(), run=RunInfo(("validate",), "2025-06-30T09:00:00"))
    standin.requests.clear()

    backend.undo()

    assert [r.endpoint for r in standin.requests] == [
        "spreadsheets.get",
        "values.batchGet",
        "values.batchGet",
        "spreadsheets.batchUpdate",
    ]
    assert [t for t, _ in titles(standin, backend.key)] == ["Customers", "Orders"]
