"""Applying a plan: the same semantics as the .xlsx backend, checked at the stand-in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from tests.sheets_standin import SheetsStandIn
from tests.sheets_standin.model import Cell
from tests.sheets_standin.world import sheet, sheet_rows, titles, writes
from toolkit.backends.base import RunInfo
from toolkit.backends.gsheets import GoogleSheetsBackend
from toolkit.backends.gsheets.convert import HIGHLIGHT_FILLS, hex_of
from toolkit.plan import (
    CellWrite,
    ChartSeries,
    ChartSpec,
    Highlight,
    HighlightStyle,
    Plan,
    SetCells,
    SetColumn,
    WriteSheet,
)

Factory = Callable[..., GoogleSheetsBackend]
RUN = RunInfo(("validate",), "2025-06-30T09:00:00", "tester")
CUSTOMERS = [
    ["Name", "Phone", "City"],
    ["Li Lei", "013800138000", "Beijing"],
    ["Han Meimei", "139", "Shanghai"],
]
YELLOW = {
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1}},
    "backgroundColor": {"red": 1, "green": 1},
}


def run(backend: GoogleSheetsBackend, *changes: object) -> None:
    backend.read()
    backend.apply(Plan(tuple(changes)), run=RUN)  # type: ignore[arg-type]


def background(standin: SheetsStandIn, key: str, title: str, row: int, column: int) -> str | None:
    cell = sheet(standin, key, title).cell(row - 1, column - 1)
    return hex_of((cell.fmt or {}).get("backgroundColorStyle")) if cell else None


def test_set_column_goes_after_the_last_used_column_and_clears_its_stale_cells(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    rows = [[*r, None] for r in CUSTOMERS] + [[None, None, None, None]]
    rows[0][3] = "数据问题"  # our column from an earlier run in Chinese, with a stale result
    rows[2][3] = "old problem"
    rows.append([None, None, None, "stale"])
    backend = sheets_backend_factory([("Customers", rows)])

    run(backend, SetColumn("Customers", "issues", "Issues", 1, 2, ("phone too short", None)))

    assert sheet_rows(standin, backend.key, "Customers") == [
        ["Name", "Phone", "City", "Issues"],
        ["Li Lei", "013800138000", "Beijing", "phone too short"],
        ["Han Meimei", "139", "Shanghai", None],
    ]


def test_a_new_column_of_ours_goes_right_of_the_table_under_a_header_below_row_one(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("客户", [["客户名单"], [], *CUSTOMERS])])

    run(backend, SetColumn("客户", "tags", "标签", 3, 4, ("VIP", "")))

    assert [r[3:] for r in sheet_rows(standin, backend.key, "客户")] == [
        [None],
        [None],
        ["标签"],
        ["VIP"],
        [None],
    ]


def test_set_cells_changes_values_only_and_keeps_the_cells_formats(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])
    target = sheet(standin, backend.key, "Customers")
    look = {**YELLOW, "textFormat": {"bold": True}}
    target.cells[(2, 1)] = Cell({"stringValue": "139"}, look)

    run(backend, SetCells("Customers", (CellWrite(3, 2, "13900139000"),), "fix"))

    assert target.cell(2, 1) == Cell({"stringValue": "13900139000"}, look)


@pytest.mark.parametrize(
    "text", ["=SUM(A1:A9)", "+86 138 0013 8000", "-5", "@home", '=HYPERLINK("x")']
)
def test_customer_text_is_written_raw_and_never_becomes_a_formula(
    sheets_backend_factory: Factory, standin: SheetsStandIn, text: str
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])

    run(backend, SetCells("Customers", (CellWrite(2, 3, text),), "fix"))

    assert sheet(standin, backend.key, "Customers").cell(1, 2) == Cell({"stringValue": text})
    assert backend.read().sheets[0].rows[1][2] == text


def test_dates_are_written_as_serial_numbers_with_a_date_format(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])

    run(
        backend,
        SetColumn("Customers", "next_followup", "Next Follow-up", 1, 2, (date(2025, 7, 1), None)),
    )

    cell = sheet(standin, backend.key, "Customers").cell(1, 3)
    assert cell is not None and cell.entered == {"numberValue": 45839}
    assert (cell.fmt or {})["numberFormat"]["type"] == "DATE"
    assert backend.read().sheets[0].rows[1][3] == date(2025, 7, 1)


@pytest.mark.parametrize("style", list(HIGHLIGHT_FILLS))
def test_each_highlight_style_has_its_colour(
    sheets_backend_factory: Factory, standin: SheetsStandIn, style: HighlightStyle
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])

    run(backend, Highlight("Customers", style, ((2, 1),)))

    assert background(standin, backend.key, "Customers", 2, 1) == HIGHLIGHT_FILLS[style]


def test_cells_no_longer_highlighted_get_their_own_background_back(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])
    sheet(standin, backend.key, "Customers").cells[(2, 1)] = Cell({"stringValue": "139"}, YELLOW)

    run(
        backend,
        Highlight("Customers", "error", ((2, 2), (3, 2))),
        Highlight("Customers", "duplicate", ((2, 1),)),
    )
    run(
        backend, Highlight("Customers", "error", ((2, 2),)), Highlight("Customers", "duplicate", ())
    )

    assert background(standin, backend.key, "Customers", 2, 2) == "FFC7CE"
    assert background(standin, backend.key, "Customers", 3, 2) == "FFFF00"  # the user's yellow
    assert background(standin, backend.key, "Customers", 2, 1) is None


def test_our_sheet_is_found_in_either_language_and_replaced_whole(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("客户", CUSTOMERS)])

    run(backend, WriteSheet("validation", "Validation", ("Row", "Problem"), ((2, "a"), (3, "b"))))
    run(backend, WriteSheet("validation", "数据校验", ("行", "问题"), ((3, "c"),)))

    visible = [t for t, hidden in titles(standin, backend.key) if not hidden]
    assert visible == ["客户", "数据校验"]
    assert sheet_rows(standin, backend.key, "数据校验") == [["行", "问题"], [3, "c"]]


def test_a_users_sheet_with_our_sheets_name_is_never_overwritten(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS), ("Validation", [["my own notes"]])])

    run(backend, WriteSheet("validation", "Validation", ("Row", "Problem"), ((2, "a"),)))
    run(backend, WriteSheet("validation", "Validation", ("Row", "Problem"), ((3, "b"),)))

    assert sheet_rows(standin, backend.key, "Validation") == [["my own notes"]]
    assert sheet_rows(standin, backend.key, "Validation (2)") == [["Row", "Problem"], [3, "b"]]


def test_a_chart_spec_becomes_a_native_chart_on_our_sheet(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])
    chart = ChartSpec("bar", "Customers by tier", "E2", 1, (ChartSeries("Customers", 2, 2, 4),))

    run(
        backend,
        WriteSheet(
            "tiers", "Tiers", ("Tier", "Customers"), (("A", 3), ("B", 5), ("C", 9)), charts=(chart,)
        ),
    )

    (added,) = sheet(standin, backend.key, "Tiers").charts
    assert added["spec"]["title"] == "Customers by tier"
    assert added["spec"]["basicChart"]["chartType"] == "BAR"
    assert added["position"]["overlayPosition"]["anchorCell"]["rowIndex"] == 1


def test_no_cell_outside_the_plan_is_written(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    rows = [*CUSTOMERS, ["Zhao", "137", "Xi'an"]]
    backend = sheets_backend_factory(
        [("Customers", rows), ("Orders", [["Order", "Amount"], ["A1", 10]])]
    )
    plan_cells = {(r, 4) for r in range(1, 5)} | {(3, 2)} | {(2, 1), (4, 1)}

    run(
        backend,
        SetColumn("Customers", "issues", "Issues", 1, 2, ("x", None)),
        SetCells("Customers", (CellWrite(3, 2, "13900139000"),), "fix"),
        Highlight("Customers", "error", ((2, 1), (4, 1))),
    )

    book = standin.store.books[backend.key]
    user_sheets = {book.sheet_by_title(t).sheet_id: t for t in ("Customers", "Orders")}  # type: ignore[union-attr]
    written = {
        (user_sheets[w.sheet_id], w.row + 1, w.column + 1)
        for w in writes(standin, backend.key)
        if w.sheet_id in user_sheets
    }
    assert written == {("Customers", r, c) for r, c in plan_cells}


def test_an_apply_is_three_requests(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])
    backend.read()
    standin.requests.clear()

    backend.apply(
        Plan(
            (
                SetColumn("Customers", "issues", "Issues", 1, 2, ("x", None)),
                WriteSheet("validation", "Validation", ("A",), ()),
            )
        ),
        run=RUN,
    )

    assert [r.endpoint for r in standin.requests] == [
        "values.batchGet",
        "spreadsheets.batchUpdate",
        "values.batchUpdate",
    ]


def test_our_header_looks_like_its_left_neighbour(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])
    customers = sheet(standin, backend.key, "Customers")
    look = {**YELLOW, "textFormat": {"bold": True}}
    customers.cells[(0, 2)] = Cell({"stringValue": "City"}, look)

    run(backend, SetColumn("Customers", "issues", "Issues", 1, 2, ("x", None)))

    assert customers.cell(0, 3) == Cell({"stringValue": "Issues"}, look)
    assert customers.cell(1, 3) == Cell({"stringValue": "x"})


def test_our_sheet_has_a_bold_grey_frozen_filtered_header_and_typed_cells(
    sheets_backend_factory: Factory, standin: SheetsStandIn
) -> None:
    backend = sheets_backend_factory([("Customers", CUSTOMERS)])
    change = WriteSheet(
        "followups",
        "Follow-ups",
        ("Row", "Due"),
        ((2, date(2025, 7, 1)), (3, None)),
        row_styles=((0, "overdue"),),
    )

    run(backend, change)

    ours = sheet(standin, backend.key, "Follow-ups")
    header = ours.cell(0, 0)
    assert header is not None and header.fmt is not None
    assert (
        header.fmt["textFormat"] == {"bold": True}
        and hex_of(header.fmt["backgroundColorStyle"]) == "D9D9D9"
    )
    assert ours.grid["frozenRowCount"] == 1
    assert ours.extras["basicFilter"]["range"]["endRowIndex"] == 3
    assert background(standin, backend.key, "Follow-ups", 2, 1) == "F8CBAD"
    assert background(standin, backend.key, "Follow-ups", 3, 1) is None
    assert sheet_rows(standin, backend.key, "Follow-ups") == [
        ["Row", "Due"],
        [2, date(2025, 7, 1)],
        [3, None],
    ]
