"""Finding everything held on one customer, and the erase plan built from it (hand-made tables)."""

from __future__ import annotations

from datetime import date

import pytest

from toolkit.detect import understand
from toolkit.models.settings import Settings
from toolkit.plan import SetCells, WriteSheet
from toolkit.routines.erase import erase_plan, masked_reference
from toolkit.routines.run_log import RunLogEntry
from toolkit.routines.subject import (
    SubjectError,
    find_holdings,
    resolve_customer,
    sharing_contacts,
    subject_keys,
    unlinked_holdings,
)
from toolkit.table import CellValue, RawSheet, RawWorkbook, Workbook

CUSTOMERS = [
    ["Customer List"],
    [],
    ["Customer ID", "Name", "Phone", "Email", "City", "Tags"],
    ["C001", "Li Wei", "138 0013 8000", "li.wei@example.com", "Beijing", "vip"],
    ["C002", "Wang Fang", "13900139000", "wang@example.com", "Beijing", None],
    ["C003", "Zhang San", "+86 137-0000-1111", "zs@example.com", "Shanghai", None],
    ["C004", "Zhang San", "13700001111", "zs2@example.com", "Shanghai", None],
]
ORDERS = [
    ["Order ID", "Customer ID", "Order Date", "Product", "Amount"],
    ["SO-1", "C001", date(2025, 1, 2), "Desk", 100.0],
    ["SO-2", "C002", date(2025, 1, 3), "Chair", 50.0],
    ["SO-3", "C005", date(2025, 1, 4), "Lamp", 20.0],  # C005 was merged into C001
    ["SO-4", "C001", date(2025, 2, 1), "Pen", 5.0],
]
COMPLAINTS = [
    ["Complaint ID", "Customer ID", "Complaint Date", "Category", "Description", "Status"],
    ["CMP-1", "C002", date(2025, 3, 1), "Service", "no reply", "Open"],
    ["CMP-2", "C001", date(2025, 3, 2), "Quality", "broken desk", "Resolved"],
]
MERGED = [
    ["Group", "Merged Into", "Merged On", "Original Row", "Role", "Customer ID", "Name", "Phone"],
    ["D0001", "C001", date(2025, 1, 5), 4, "kept", "C001", "Li Wei", "138 0013 8000"],
    ["D0001", "C001", date(2025, 1, 5), 6, "merged", "C005", "Li Wei", "13800138001"],
    ["D0002", "C002", date(2025, 1, 5), 5, "kept", "C002", "Wang Fang", "13900139000"],
]
FOLLOWUPS = [
    ["Customer ID", "Customer", "Owner", "Reason", "Due"],
    ["C002", "Wang Fang", "Tom", "regular", date(2025, 7, 1)],
    ["C001", "Li Wei", "Tom", "regular", date(2025, 7, 2)],
]
VALIDATION = [
    ["Sheet", "Row", "Column", "Field", "Value", "Problem"],
    ["Customers", 4, "C", "Phone", "138 0013 8000", "spaces"],
    ["Customers", 5, "D", "Email", "wang@example.com", "ok"],
]
NOTES = [  # a staff sheet of their own
    ["When", "What"],
    ["Monday", "called 13800138000 about the desk"],
    ["Tuesday", "Wang Fang asked for a discount"],
]


def book(*extra: RawSheet) -> Workbook:
    sheets = (
        RawSheet("Customers", CUSTOMERS),
        RawSheet("Orders", ORDERS),
        RawSheet("Complaints", COMPLAINTS),
        RawSheet("Merged", MERGED),
        RawSheet("Follow-ups", FOLLOWUPS),
        RawSheet("Validation", VALIDATION),
        RawSheet("Notes", NOTES),
        *extra,
    )
    return understand(RawWorkbook("test", sheets), Settings())


@pytest.mark.parametrize(
    ("query", "row"),
    [
        ("C001", 4),
        (" c００1 ", 4),  # width and case folded, as linking folds ids
        ("+86 138-0013-8000", 4),
        ("LI.WEI@example.com", 4),
        ("wang@example.com", 5),
        ("C005", 4),  # merged into C001: the Merged sheet says so
    ],
)
def test_resolve_customer(query: str, row: int) -> None:
    assert resolve_customer(book(), query) == row


@pytest.mark.parametrize(
    ("query", "expected", "hidden"),
    [
        ("13700001111", "2 customers", "13700001111"),  # C003 and C004 share a phone
        ("19999999999", "No customer", "19999999999"),
        ("nobody@example.com", "No customer", "nobody@"),
    ],
)
def test_resolve_customer_refuses_with_masked_candidates(
    query: str, expected: str, hidden: str
) -> None:
    with pytest.raises(SubjectError) as raised:
        resolve_customer(book(), query)
    message = str(raised.value)
    assert expected in message
    assert hidden not in message  # the phone or e-mail is shown masked only
    if "2 customers" in message:
        assert "C003" in message and "C004" in message and "137****1111" in message


def test_keys_take_in_merged_rows_and_leave_out_shared_names() -> None:
    workbook = book()
    keys = subject_keys(workbook, 4)
    assert keys.ids == {"c001", "c005"}
    assert keys.phones == {"13800138000", "13800138001"}
    assert keys.emails == {"li.wei@example.com"}
    assert keys.names == {"liwei"}
    assert subject_keys(workbook, 6).names == frozenset()  # Zhang San is two customers


def held_rows(workbook: Workbook, row: int) -> dict[str, list[int]]:
    holdings = find_holdings(workbook, subject_keys(workbook, row), rows=(row,))
    return {s.sheet: [r.row for r in s.rows] for s in holdings.sheets}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            4,
            {
                "Customers": [4],
                "Orders": [2, 4, 5],  # SO-3 names C005, merged into C001
                "Complaints": [3],
                "Merged": [2, 3],
                "Follow-ups": [3],
                "Validation": [2],  # by the phone it quotes and by the cell it points at
                "Notes": [2],  # the phone number inside a staff note
            },
        ),
        (
            5,
            {
                "Customers": [5],
                "Orders": [3],
                "Complaints": [2],
                "Merged": [4],
                "Follow-ups": [2],
                "Validation": [3],
                "Notes": [3],  # the name, unique among customers, inside a note
            },
        ),
        (6, {"Customers": [6]}),  # shares name and phone with C004: only its own row
    ],
)
def test_find_holdings(row: int, expected: dict[str, list[int]]) -> None:
    assert held_rows(book(), row) == expected


def test_notes_match_names_only_inside_text_when_unique() -> None:
    # "Wang Fang asked" names Wang Fang; a sheet saying "Zhang San" names two people.
    extra = RawSheet("Calls", [["Who"], ["Zhang San"], ["Wang Fang"]])
    assert held_rows(book(extra), 6).get("Calls") is None
    assert held_rows(book(extra), 5)["Calls"] == [3]


def test_erase_plan_blanks_cells_keeps_order_amounts_and_logs_counts_only() -> None:
    workbook = book()
    holdings = find_holdings(workbook, subject_keys(workbook, 4), rows=(4,))
    entry = RunLogEntry("2025-06-30T09:00:00", "wang", "pc", "erase", ("erase",), (), 4, "x", "1")
    who = masked_reference("C001")
    plan = erase_plan(holdings, workbook.raw, who=who, entry=entry, lang="en")
    cells = {
        (c.sheet, w.row, w.column): w.value
        for c in plan.changes
        if isinstance(c, SetCells)
        for w in c.cells
    }
    assert set(cells.values()) == {None}
    assert {(r, c) for s, r, c in cells if s == "Customers"} == {(4, c) for c in range(1, 7)}
    # order id and customer id go; date, product and amount stay for the sales totals
    assert {(r, c) for s, r, c in cells if s == "Orders"} == {
        (r, c) for r in (2, 4, 5) for c in (1, 2)
    }
    log = next(c for c in plan.changes if isinstance(c, WriteSheet))
    assert log.key == "run_log" and len(log.rows) == 1
    erased = {_text(workbook.raw.sheet(s).cell(r, c)) for s, r, c in cells}  # type: ignore[union-attr]
    logged = " ".join(_text(v) for v in log.rows[0])
    assert "C***01" not in logged or who == "C***01"
    assert [v for v in erased if len(v) >= 3 and v in logged] == []
    assert plan.counts["erase.rows"] == holdings.rows == 10


def test_unlinked_holdings_search_every_sheet() -> None:
    workbook = book()
    keys = subject_keys(workbook, 4)
    found = unlinked_holdings(workbook.raw, keys)
    assert {s.sheet: [r.row for r in s.rows] for s in found.sheets}["Orders"] == [2, 4, 5]


def _text(value: CellValue) -> str:
    return "" if value is None else str(value)


NO_IDS = [
    ["Name", "Phone", "Email"],
    ["Li Wei", "13800138000", "li@example.com"],
    ["Li Mei", "13800138000", None],  # family: same phone, another person
    ["Li Wei", "13800138000", None],  # the same person, never merged
    ["Li Wei", "13999999999", "other@example.com"],  # a namesake
]


def test_without_ids_a_customer_is_their_name_with_their_phone_or_email() -> None:
    workbook = understand(RawWorkbook("t", (RawSheet("C", NO_IDS),)), Settings())
    keys = subject_keys(workbook, 2)
    holdings = find_holdings(workbook, keys, rows=(2,))
    assert [r.row for r in holdings.sheets[0].rows] == [2, 4]
    assert sharing_contacts(workbook, holdings) == (3,)
