"""Customer facts read as columns, and the per-customer path agreeing with the column path."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest

from tests.routines.crm_book import (
    apply,
    context,
    customer_rows,
    default_sheets,
    raw_book,
    settings,
)
from toolkit.models.followup_settings import REASONS
from toolkit.plan import Plan, SetColumn, WriteSheet
from toolkit.routines.followup_facts import (
    UNKNOWN,
    by_distinct,
    customer_columns,
    day_column,
    distinct_map,
    field_cells,
)
from toolkit.routines.followups import followup_result, followups_step
from toolkit.table import CellValue, Column, RawSheet, RawWorkbook, Table

D = date.fromisoformat


@pytest.mark.parametrize("cells, kinds, expected", [
    (["a", "bb", "a"], {str}, [3, 4, 3]),
    ([1, True, 1], {int, bool}, [1, 4, 1]),  # True == 1 as a dict key, yet another cell
    ([1, 1.0, None], {int, float, type(None)}, [1, 3, 4]),  # 1.0 == 1 too
    ([(1, "a"), (True, "a"), (1, "a")], {int, bool, str}, [8, 11, 8]),  # tuples of cells
    ([], set(), []),
])  # fmt: skip
def test_each_distinct_value_once(
    cells: list[object], kinds: set[type], expected: list[int]
) -> None:
    seen: list[object] = []

    def meaning(value: object) -> int:
        seen.append(value)
        return len(repr(value))

    assert distinct_map(cells, meaning, kinds=kinds) == expected
    assert len(seen) == len({(repr(v), v) for v in cells})  # one call per distinct cell
    assert by_distinct(cells, lambda v: len(repr(v)), np.int64, kinds=kinds).tolist() == expected


@pytest.mark.parametrize("cells, expected", [
    (["2025-06-30", "2025/6/30", date(2025, 6, 30)], ["2025-06-30"] * 3),
    ([None, "  ", "soon", True], [None] * 4),
    ([45838, 45838.0, "45838"], ["2025-06-30", "2025-06-30", None]),  # Excel serials
    ([datetime(2025, 6, 30, 23, 59), None, datetime(2025, 6, 30)], ["2025-06-30", None,
                                                                   "2025-06-30"]),
    ([datetime(1, 1, 1), date(2025, 6, 30), "x"], ["0001-01-01", "2025-06-30", None]),
    ([datetime(2024, 2, 29, 8)] * 3, ["2024-02-29"] * 3),
    ([], []),
])  # fmt: skip
def test_day_column(cells: list[CellValue], expected: list[str | None]) -> None:
    numbers = [D(day).toordinal() if day else UNKNOWN for day in expected]
    assert day_column(cells).tolist() == numbers


def test_field_cells_reads_the_last_column_of_a_field_and_none_without_one() -> None:
    columns = (Column(1, "Tel", "phone"), Column(2, "Name", "name"), Column(3, "Mobile", "phone"))
    table = Table("C", "customers", 1, columns, (("1", "Li", "2"), ("3", "Wu", None)))
    assert field_cells(table, "phone") == ["2", None]
    assert field_cells(table, "email") == [None, None]


ORDERS = [
    ["Order ID", "Customer ID", "Customer Name", "Order Date", "Amount"],
    ["O1", "C003", None, "2025-03-01", 100],  # Cy bought again
    ["O2", "C003", None, "2025-08-01", 100],  # after the run day: not a deal yet
    ["O3", None, "Fay Ma", "2025-06-01", 100],  # by name
    ["O4", "C999", None, "2025-06-02", 100],  # nobody's
    ["O5", "C004", None, "someday", 100],  # no date
]


def test_columns_of_the_crm_book() -> None:
    raw = raw_book(*default_sheets(), RawSheet("Orders", ORDERS))
    columns = customer_columns(context(raw), ())

    def days(values: np.ndarray) -> list[str | None]:
        return [date.fromordinal(d).isoformat() if d else None for d in values.tolist()]

    assert days(columns.last_deal) == [
        "2025-06-01", "2025-05-15", "2025-03-01", None, "2025-05-01", "2025-06-01",
    ]  # fmt: skip
    assert days(columns.last_contact)[:4] == ["2025-06-20", "2025-04-01", "2024-12-01", None]
    assert columns.exempt.tolist() == [False, False, False, False, True, True]  # VIP status, tag
    assert sorted(columns.complaints) == [0, 1, 2]
    assert columns.names([0, 5]) == ["Ann Lee", "Fay Ma"]
    assert columns.texts("owner", [0, 4]) == ["Wang", ""]
    card = columns.card(2)
    assert (card.row, card.key, card.name, card.phone) == (5, "c003", "Cy Wu", "13700001234")


def test_a_nameless_row_is_named_by_its_sheet_row() -> None:
    rows = customer_rows()
    rows[3][1] = None  # Bo Chen's name
    columns = customer_columns(context(raw_book(RawSheet("Customers", rows))), ())
    assert columns.names([0, 1]) == ["Ann Lee", "#4"]


def shown(plan: Plan) -> list[object]:
    """The Next Follow-up column and the reminder sheets of a plan (not the log)."""
    return [
        (c.key, c.rows, c.row_styles) if isinstance(c, WriteSheet) else c.values
        for c in plan.changes
        if isinstance(c, SetColumn) or (isinstance(c, WriteSheet) and c.key != "followup_log")
    ]


def future_marks(raw: RawWorkbook) -> RawWorkbook:
    """Every customer marked done, on a day after the run, for a reminder that never was:
    such marks are no contact and clear nothing, but send everyone through the
    per-customer rules."""
    header = ["Customer ID", "Customer", "Reason", "Due Date", "Done"]
    rows = [header] + [
        [row[0], row[1], "Birthday", "2020-01-01", "2025-12-31"] for row in customer_rows()[2:]
    ]
    return RawWorkbook(raw.source, (*raw.sheets, RawSheet("Follow-ups", rows)))


@pytest.mark.parametrize("section", [{}, {"followups": {"per_owner": "sheets"}}])
def test_the_per_customer_path_and_the_column_path_agree(section: dict[str, object]) -> None:
    raw = raw_book(*default_sheets())
    by_columns = followups_step(context(raw, settings(**section)))
    one_by_one = followups_step(context(future_marks(raw), settings(**section)))
    assert one_by_one.counts["followups.done_marks"] == 6

    assert shown(one_by_one) == shown(by_columns)
    assert len(shown(by_columns)[1][1]) == 10  # type: ignore[index, arg-type]
    again = apply(raw, by_columns)
    assert followups_step(context(again, settings(**section))) == by_columns


def marks_on(raw: RawWorkbook, done: str) -> RawWorkbook:
    """Every customer marked done on `done` for a reminder that never was (birthday greetings
    due 2020-01-01): the mark clears nothing, but its day counts as a contact."""
    header = ["Customer ID", "Customer", "Reason", "Due Date", "Done"]
    rows = [header] + [[r[0], r[1], "Birthday", "2020-01-01", done] for r in customer_rows()[2:]]
    return RawWorkbook(raw.source, (*raw.sheets, RawSheet("Follow-ups", rows)))


def contacted_on(day: str) -> RawWorkbook:
    """The default workbook with every Last Contact Date moved to `day`."""
    rows = customer_rows()
    for row in rows[2:]:
        row[rows[1].index("Last Contact Date")] = day
    return raw_book(RawSheet("Customers", rows), *default_sheets()[1:])


@pytest.mark.parametrize("done", ["2025-06-29", "2025-06-21"])
def test_a_done_mark_is_a_contact_wherever_the_customer_is_worked_out(done: str) -> None:
    # Every sheet date is earlier than the marks: the marks' day is everyone's last contact.
    # (Win-back is left out: churn risk, scored from the sheet, reads the contact column.)
    config = settings(followups={"reasons": [r for r in REASONS if r != "win_back"]})
    marked = followups_step(context(marks_on(raw_book(*default_sheets()), done), config))
    written = followups_step(context(contacted_on(done), config))
    assert shown(marked) == shown(written)
    assert shown(marked) != shown(followups_step(context(raw_book(*default_sheets()), config)))


@pytest.mark.parametrize("done, next_due", [
    ("2025-06-25", "2025-09-23"),  # a contact too: low tier, 90 days on
    ("2025-07-01", "2025-06-23"),  # after the run day: no contact, the welcome call is open
])  # fmt: skip
def test_a_reminder_marked_done_before_it_is_cleared_moves_to_the_next_candidate(
    done: str, next_due: str
) -> None:
    rows = customer_rows()
    rows[5][rows[1].index("Birthday")] = "1990-07-03"  # Dee Zhou: no complaints
    raw = raw_book(RawSheet("Customers", rows), *default_sheets()[1:])
    dee = [r for r in followups_step(context(raw)).changes[1].rows if r[1] == "Dee Zhou"]
    assert [r[3] for r in dee] == ["Welcome call", "Birthday"]
    header = ["Customer ID", "Customer", "Reason", "Due Date", "Done"]
    sheet = RawSheet("Follow-ups", [header, ["C004", "Dee Zhou", "Birthday", "2025-07-03", done]])
    plan = followups_step(context(RawWorkbook(raw.source, (*raw.sheets, sheet))))
    dee = [r for r in plan.changes[1].rows if r[1] == "Dee Zhou"]  # type: ignore[attr-defined]
    assert "Birthday" not in [r[3] for r in dee]  # 2026's is next, not listed yet
    assert plan.changes[0].values[3] == D(next_due)  # type: ignore[attr-defined]


def test_the_result_as_objects_agrees_with_the_plan() -> None:
    ctx = context(raw_book(*default_sheets()))
    plan = followups_step(ctx)
    result = followup_result(ctx)
    column, sheet = plan.changes[0], plan.changes[1]
    assert isinstance(column, SetColumn) and isinstance(sheet, WriteSheet)
    assert [result.next_due.get(row) for row in range(3, 9)] == list(column.values)
    assert [
        (r.customer_id, r.customer, r.owner, r.reason_label, r.due, r.days_overdue, r.phone,
         r.email, r.action, None)
        for r in result.reminders
    ] == [tuple(row) for row in sheet.rows]  # fmt: skip
    assert {r.customer_key for r in result.reminders} == {"c001", "c002", "c003", "c004",
                                                          "c005", "c006"}  # fmt: skip
