"""Complaints read once per run: records, findings and per-customer counts."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from toolkit.detect import understand
from toolkit.models.settings import Settings
from toolkit.routines.complaint_stats import (
    CustomerComplaints,
    complaint_records,
    customer_complaints,
)
from toolkit.steps import StepContext
from toolkit.table import RawSheet, RawWorkbook

AS_OF = date(2025, 6, 30)

CUSTOMERS = RawSheet(
    "Customers",
    [
        ["Customer ID", "Name", "Phone"],
        ["C1", "Ann Lee", "13800138001"],
        ["C2", "Bo Chen", "13800138002"],
        ["C3", "Cy Wu", "13800138003"],
    ],
)
COMPLAINTS = RawSheet(
    "Complaints",
    [
        ["Ticket ID", "Customer ID", "Date", "Category", "Description", "Status", "Resolved"],
        ["T1", "C1", "2025-05-02", "Delivery", "late again", "已解决", "2025-05-04"],
        ["T2", "C1", "2025/6/10", None, "屏幕坏了，质量太差", "调查中", None],
        ["T3", "C2", date(2025, 6, 1), "价格", "too expensive", "pending", None],
        ["T4", "C9", "2025-06-03", None, "no idea", "挂起", None],
        ["T5", "C1", None, None, "rude staff", "Resolved", None],
        [None, None, None, None, None, None, None],
    ],
)


def context(*sheets: RawSheet) -> StepContext:
    workbook = understand(RawWorkbook("t.xlsx", sheets), Settings())
    return StepContext(workbook, Settings(), AS_OF, workbook.lang)


def test_records_read_dates_categories_and_statuses() -> None:
    reading = complaint_records(context(CUSTOMERS, COMPLAINTS))
    got = [
        (r.complaint_id, r.customer_row, r.opened, r.category, r.inferred, r.status, r.is_open)
        for r in reading.records
    ]
    assert got == [
        ("T1", 2, date(2025, 5, 2), "delivery", False, "resolved", False),
        ("T2", 2, date(2025, 6, 10), "product_quality", True, "investigating", True),
        ("T3", 3, date(2025, 6, 1), "price", False, "investigating", True),
        ("T4", None, date(2025, 6, 3), "other", True, None, True),
        ("T5", 2, None, "service_quality", True, "resolved", False),
    ]
    assert reading.records[0].resolution_days() == 2


def test_findings_name_sheet_row_and_column() -> None:
    reading = complaint_records(context(CUSTOMERS, COMPLAINTS))
    got = sorted((f.problem, f.where, f.severity) for f in reading.findings)
    assert got == [
        ("complaint_customer_unknown", "Complaints!B5", "warning"),
        ("complaint_resolved_date_missing", "Complaints!G6", "warning"),
        ("complaint_status_unknown", "Complaints!F5", "warning"),
    ]


def test_customer_complaints_match_a_count_over_raw_rows() -> None:
    ctx = context(CUSTOMERS, COMPLAINTS)
    by_customer = customer_complaints(ctx)
    # Independently: count raw rows by customer id, mapping ids to customer sheet rows.
    row_of = {r[0]: n for n, r in enumerate(CUSTOMERS.rows[1:], start=2)}
    raw_counts = Counter(row_of[r[1]] for r in COMPLAINTS.rows[1:] if r[1] in row_of)
    assert {row: c.count for row, c in by_customer.items()} == dict(raw_counts)
    assert by_customer[2] == CustomerComplaints(
        count=3,
        open_count=1,
        last_date=date(2025, 6, 10),
        dates=(date(2025, 5, 2), date(2025, 6, 10)),
    )
    assert by_customer[3] == CustomerComplaints(1, 1, date(2025, 6, 1), (date(2025, 6, 1),))
    assert customer_complaints(ctx) is by_customer  # memoized for the run


@pytest.mark.parametrize(
    "status, resolved, expected_open",
    [
        (None, None, True),  # blank: received
        (None, "2025-06-01", False),  # blank with a resolved date: resolved
        ("已回访", "2025-06-01", False),
        ("Received", None, True),
        ("weird", "2025-06-01", False),  # unknown status: open until resolved
    ],
)
def test_open_follows_status_then_resolved_date(
    status: str | None, resolved: str | None, expected_open: bool
) -> None:
    sheet = RawSheet(
        "Complaints",
        [
            ["Ticket ID", "Customer ID", "Date", "Description", "Status", "Resolved"],
            ["T1", "C1", "2025-05-02", "x", status, resolved],
        ],
    )
    (record,) = complaint_records(context(CUSTOMERS, sheet)).records
    assert record.is_open is expected_open


def test_no_complaints_sheet_means_no_complaints() -> None:
    ctx = context(CUSTOMERS)
    assert complaint_records(ctx).records == ()
    assert customer_complaints(ctx) == {}
