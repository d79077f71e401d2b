"""A hand-made CRM workbook with known answers, and a tiny in-memory applier of plans.

Run day: 2025-06-30. Tiers come from amounts (thresholds 50,000 / 10,000), so each customer's
tier is known: Ann and Eve high, Bo and Fay medium, Cy and Dee low. Cy last bought in 2023:
high churn risk. The expected reminders are worked out by hand in test_followups.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from toolkit.backends.base import place_columns
from toolkit.detect import understand
from toolkit.i18n import own_sheet_key
from toolkit.models.settings import Settings
from toolkit.plan import Plan, SetColumn, WriteSheet
from toolkit.settings_io import load_settings
from toolkit.steps import StepContext
from toolkit.table import CellValue, RawSheet, RawWorkbook

AS_OF = date(2025, 6, 30)
Rows = list[list[CellValue]]

CUSTOMER_HEADER = [
    "Customer ID", "Name", "Mobile", "Email", "Birthday", "Owner", "Signup Date",
    "Last Purchase Date", "Total Amount", "Last Contact Date", "Status", "Tags",
]  # fmt: skip


def customer_rows() -> Rows:
    """Rows 3-8 of the customer sheet (a title on row 1, the header on row 2)."""
    return [
        ["Customer list 2025"],
        CUSTOMER_HEADER,
        ["C001", "Ann Lee", "13812345678", "ann@example.com", "1990-07-03", "Wang",
         "2020-01-01", "2025-06-01", 80000, "2025-06-20", "Active", None],
        ["C002", "Bo Chen", "+86 139-0000-1111", "bo.chen@example.com", None, "Li",
         "2019-05-01", "2025-05-15", 20000, "2025-04-01", None, None],
        ["C003", "Cy Wu", "13700001234", None, None, "Wang",
         "2018-01-01", "2023-01-10", 5000, "2024-12-01", None, None],
        ["C004", "Dee Zhou", "13600002222", "dee@example.com", None, "Li",
         "2025-06-20", None, 0, None, None, None],
        ["C005", "Eve Sun", "13500003333", "eve@example.com", None, None,
         "2021-01-01", "2025-05-01", 60000, "2025-02-01", "VIP", None],
        ["C006", "Fay Ma", "13400004444", "fay@example.com", None, "Li",
         "2020-01-01", "2024-12-31", 15000, "2024-12-20", None, "VIP, 老客户"],
    ]  # fmt: skip


COMPLAINT_HEADER = [
    "Ticket ID", "Customer ID", "Date", "Category", "Description", "Status", "Resolved Date",
]  # fmt: skip


def complaint_rows() -> Rows:
    return [
        COMPLAINT_HEADER,
        ["T1", "C002", "2025-06-20", "Delivery", "parcel late", "Resolved", "2025-06-25"],
        ["T2", "C003", "2025-06-01", None, "The courier lost my parcel", "Investigating", None],
        ["T3", "C001", "2025-06-10", "Price", "too expensive", "followed up", "2025-06-12"],
    ]


SCORING = {"scoring": {"tiers": {"method": "thresholds", "high_amount": 50000,
                                 "medium_amount": 10000}}}  # fmt: skip


def settings(**sections: dict[str, object]) -> Settings:
    """Test settings: tiers by amount thresholds, plus any sections given."""
    return load_settings(overrides={**SCORING, **sections})


def raw_book(*sheets: RawSheet) -> RawWorkbook:
    return RawWorkbook("crm.xlsx", tuple(sheets))


def default_sheets() -> list[RawSheet]:
    return [RawSheet("Customers", customer_rows()), RawSheet("Complaints", complaint_rows())]


def context(raw: RawWorkbook, config: Settings | None = None, as_of: date = AS_OF) -> StepContext:
    """A run's context over a raw workbook, as the runner builds it."""
    chosen = config or settings()
    workbook = understand(raw, chosen)
    return StepContext(workbook, chosen, as_of, workbook.lang)


def apply(raw: RawWorkbook, plan: Plan) -> RawWorkbook:
    """The workbook after a plan, values only: our columns placed as backends place them,
    our sheets replaced whole (found by key, or by title for per-owner sheets)."""
    positions = place_columns(raw, plan)
    sheets = {s.name: [list(r) for r in s.rows] for s in raw.sheets}
    for change in plan.changes:
        if isinstance(change, SetColumn):
            _set_column(sheets[change.sheet], change, positions[(change.sheet, change.key)])
        elif isinstance(change, WriteSheet):
            name = next(
                (n for n in sheets if n == change.title or own_sheet_key(n) == change.key),
                change.title,
            )
            sheets.pop(name, None)
            sheets[change.title] = [list(change.header), *(list(r) for r in change.rows)]
    return RawWorkbook(raw.source, tuple(RawSheet(n, rows) for n, rows in sheets.items()))


def _set_column(rows: Rows, change: SetColumn, column: int) -> None:
    last = max(len(rows), change.first_row + len(change.values) - 1)
    while len(rows) < last:
        rows.append([])
    for number in range(change.header_row, last + 1):
        row = rows[number - 1]
        row.extend([None] * (column - len(row)))
        offset = number - change.first_row
        if number == change.header_row:
            row[column - 1] = change.header
        else:
            row[column - 1] = change.values[offset] if offset < len(change.values) else None


def sheet_rows(raw: RawWorkbook, name: str) -> Sequence[Sequence[CellValue]]:
    sheet = raw.sheet(name)
    assert sheet is not None, f"no sheet {name!r} in {[s.name for s in raw.sheets]}"
    return sheet.rows
