"""Someone else edits while custkit works: refuse, write nothing, say what changed where."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.sheets_standin import SheetsStandIn
from tests.sheets_standin.world import edit, writes
from toolkit.backends.base import RunInfo
from toolkit.backends.gsheets import GoogleSheetsBackend
from toolkit.errors import UnsafeWriteError, WorkbookChangedError
from toolkit.plan import Highlight, Plan, SetColumn, WriteSheet

Factory = Callable[..., GoogleSheetsBackend]
RUN = RunInfo(("validate",), "2025-06-30T09:00:00")
CUSTOMERS = [["Name", "Phone"], ["Li Lei", "013800138000"], ["Han Meimei", "139"], ["Zhao", "137"]]
PLAN = Plan(
    (
        SetColumn("Customers", "issues", "Issues", 1, 2, ("ok", "short", "short")),
        Highlight("Customers", "error", ((3, 2),)),
    )
)


def sort_rows(standin: SheetsStandIn, key: str) -> None:
    customers = standin.store.books[key].sheet_by_title("Customers")
    assert customers is not None
    (a, b) = customers.cells[(1, 0)], customers.cells[(3, 0)]
    customers.cells[(1, 0)], customers.cells[(3, 0)] = b, a
    (a, b) = customers.cells[(1, 1)], customers.cells[(3, 1)]
    customers.cells[(1, 1)], customers.cells[(3, 1)] = b, a


def rename(standin: SheetsStandIn, key: str) -> None:
    customers = standin.store.books[key].sheet_by_title("Customers")
    assert customers is not None
    customers.props["title"] = "Clients"


@pytest.mark.parametrize(
    ("meddle", "said"),
    [
        (
            lambda s, k: edit(s, k, "Customers", 3, 2, "13900139000"),
            r"Customers!B3: '139' -> '13900139000'",
        ),
        (lambda s, k: edit(s, k, "Customers", 6, 1, "New customer"), r"went from 4 to 6 rows"),
        (sort_rows, r"sorted or moved \(first at row 2\)"),
        (rename, r"renamed or deleted"),
    ],
)
def test_a_change_between_read_and_write_is_refused_and_nothing_is_written(
    sheets_backend_factory: Factory,
    standin: SheetsStandIn,
    meddle: Callable[[SheetsStandIn, str], None],
    said: str,
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])
    backend.read()
    # The other person's edit lands just before custkit's pre-write check reads again.
    standin.inject("values.batchGet", before=lambda: meddle(standin, backend.key))
    standin.requests.clear()

    with pytest.raises(WorkbookChangedError, match=said):
        backend.apply(PLAN, run=RUN)

    assert [r.endpoint for r in standin.requests] == ["values.batchGet"]
    assert len(writes(standin, backend.key)) <= 1  # the other person's edit, nothing of ours


def test_an_edit_elsewhere_before_the_read_is_simply_read(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])
    edit(standin, backend.key, "Customers", 3, 2, "13900139000")

    backend.read()
    backend.apply(PLAN, run=RUN)

    assert standin.requests[-1].endpoint == "values.batchUpdate"


def test_a_plan_over_ten_million_cells_is_refused_before_anything_is_written(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])
    customers = standin.store.books[backend.key].sheet_by_title("Customers")
    assert customers is not None
    customers.grid["rowCount"] = 384_600  # 26 columns: 9,999,600 cells, nearly all empty
    backend.read()
    standin.requests.clear()
    big = WriteSheet(
        "validation", "Validation", ("Row", "Problem"), tuple((r, "x") for r in range(300))
    )

    with pytest.raises(UnsafeWriteError, match="10,000,000"):
        backend.apply(Plan((big,)), run=RUN)

    assert standin.requests == []
