"""Purchases from the customer sheet's columns or from orders: both give the same scores."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.detect import understand
from toolkit.errors import ConfigError
from toolkit.models.settings import Settings
from toolkit.routines.linking import CustomerIndex
from toolkit.routines.purchases import (
    _order_groups,
    _order_keys,
    _positions_by_id,
    from_columns,
    from_transactions,
    purchases,
)
from toolkit.routines.scores import customer_scores
from toolkit.steps import StepContext
from toolkit.table import CellValue, Column, RawSheet, RawWorkbook, Table, Workbook

AS_OF = date(2025, 6, 30)
CUSTOMER_HEADER = [
    "Customer ID",
    "Name",
    "Signup Date",
    "Last Purchase",
    "Purchase Count",
    "Total Amount",
]
ORDER_HEADER = ["Order ID", "Customer ID", "Order Date", "Amount"]

Orders = dict[str, list[tuple[int, float]]]  # customer id -> (days before as_of, amount)


def workbooks(orders: Orders, ids: list[str]) -> tuple[Workbook, Workbook]:
    """The same purchases told twice: as customer columns, and as an orders sheet."""
    with_columns: list[list[CellValue]] = [CUSTOMER_HEADER]
    bare: list[list[CellValue]] = [CUSTOMER_HEADER[:3]]
    order_rows: list[list[CellValue]] = [ORDER_HEADER]
    for cid in ids:
        mine = orders.get(cid, [])
        days = [AS_OF - timedelta(days=d) for d, _ in mine]
        signup = min(days) if days else None
        total = round(sum(amount for _, amount in mine), 2)
        with_columns.append([cid, f"N{cid}", signup, max(days) if days else None, len(mine), total])
        bare.append([cid, f"N{cid}", signup])
        order_rows += [
            [f"{cid}-{n}", cid, day, amount]
            for n, (day, (_, amount)) in enumerate(zip(days, mine, strict=True))
        ]
    columns = RawWorkbook("a.xlsx", (RawSheet("Customers", with_columns),))
    transactions = RawWorkbook(
        "b.xlsx", (RawSheet("Customers", bare), RawSheet("Orders", order_rows))
    )
    return understand(columns, Settings()), understand(transactions, Settings())


def scores_of(workbook: Workbook, **scoring: object) -> dict[int, tuple[object, ...]]:
    settings = Settings.model_validate({"scoring": scoring})
    book = customer_scores(StepContext(workbook, settings, AS_OF, "en"))
    return {
        row: (s.rfm, s.segment, s.tier, s.churn_risk, s.churn_reason) for row, s in book.items()
    }


# Falling orders and spending are what only an orders sheet can tell: leave them out to compare.
NO_TREND = {"frequency_points": 0, "amount_points": 0}
HAND_MADE: Orders = {
    "C1": [(3, 500.0), (33, 400.0), (63, 450.0), (95, 300.0)],
    "C2": [(400, 20.0)],
    "C3": [(10, 5000.0), (700, 100.0)],
    "C4": [(200, 80.0), (230, 80.0)],
}


@pytest.mark.parametrize("scheme", ["rf10", "cn8"])
def test_columns_and_transactions_agree_on_the_same_purchases(scheme: str) -> None:
    ids = ["C1", "C2", "C3", "C4", "C5"]  # C5 never bought
    columns, transactions = workbooks(HAND_MADE, ids)
    assert purchases(StepContext(transactions, Settings(), AS_OF, "en")).source == "transactions"
    left = scores_of(columns, scheme=scheme, churn=NO_TREND)
    assert left == scores_of(transactions, scheme=scheme, churn=NO_TREND)
    assert left[5] == (
        "232",
        "At Risk" if scheme == "rf10" else "General Retain",
        "low",
        70,
        "no purchase for 200 days, usually every 30",
    )
    with_trend = scores_of(transactions, scheme=scheme)[5]
    assert with_trend[3:] == (
        85,
        "no purchase for 200 days, usually every 30; "
        "0 orders in the last 180 days, 2 in the 180 before",
    )


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([f"C{n}" for n in range(12)]),
        st.lists(
            st.tuples(st.integers(0, 1500), st.sampled_from([0.0, 9.9, 120.0, 3000.0])),
            min_size=1,
            max_size=8,
            unique_by=lambda order: order[0],
        ),
        max_size=12,
    )
)
@example(  # found by hypothesis: the same four amounts summed in another order
    {
        "C0": [(0, 0.0)],
        "C3": [(0, 9.9), (1, 9.9), (2, 9.9), (3, 120.0)],
        "C4": [(0, 9.9), (2, 9.9), (3, 120.0), (1, 9.9)],
    }
)
def test_any_purchases_score_the_same_either_way(orders: Orders) -> None:
    columns, transactions = workbooks(orders, [f"C{n}" for n in range(12)])
    for scheme in ("rf10", "cn8"):
        left = scores_of(columns, scheme=scheme, churn=NO_TREND)
        assert left == scores_of(transactions, scheme=scheme, churn=NO_TREND)


def test_lines_of_one_order_count_once_and_unlinked_orders_are_counted() -> None:
    customers = RawSheet("Customers", [["Customer ID", "Name"], ["C1", "Ann"], ["C2", "Bo"]])
    orders = RawSheet(
        "Orders",
        [
            ["Order ID", "Customer ID", "Order Date", "Product", "Amount"],
            ["O1", "C1", "2025-06-01", "Tea", 10],
            ["O1", "C1", "2025-06-01", "Cup", "¥5.50"],
            ["O2", "c１", "2025/6/20", "Tea", 10],  # the id folded: still C1
            ["O3", "C9", "2025-06-02", "Tea", 99],  # nobody we know
            [None, None, None, None, None],
            ["O4", "C2", "not a date", "Tea", "n/a"],
        ],
    )
    workbook = understand(RawWorkbook("t.xlsx", (customers, orders)), Settings())
    table = workbook.table("transactions")
    assert table is not None
    found = from_transactions(workbook.customers, table, AS_OF, 180)
    assert found.count.tolist() == [2.0, 1.0] and found.amount.tolist() == [25.5, 0.0]
    assert found.last[0] == date(2025, 6, 20).toordinal() and np.isnan(found.last[1])
    assert (found.orders_linked, found.orders_unlinked) == (4, 1)
    assert found.rhythm[0] == 19.0


def test_auto_falls_back_to_columns_when_no_order_links() -> None:
    customers = RawSheet("Customers", [["Customer ID", "Name", "Purchase Count"], ["C1", "A", 3]])
    orders = RawSheet("Orders", [ORDER_HEADER, ["O1", "X1", "2025-06-01", 10]])
    workbook = understand(RawWorkbook("t.xlsx", (customers, orders)), Settings())
    found = purchases(StepContext(workbook, Settings(), AS_OF, "en"))
    assert found.source == "columns" and found.count.tolist() == [3.0]
    forced = Settings.model_validate({"scoring": {"source": "transactions"}})
    assert purchases(StepContext(workbook, forced, AS_OF, "en")).count.tolist() == [0.0]


def test_transactions_source_without_an_orders_sheet_is_a_config_error() -> None:
    customers = RawSheet("Customers", [["Customer ID", "Name"], ["C1", "A"]])
    workbook = understand(RawWorkbook("t.xlsx", (customers,)), Settings())
    forced = Settings.model_validate({"scoring": {"source": "transactions"}})
    with pytest.raises(ConfigError, match=r"scoring\.source"):
        purchases(StepContext(workbook, forced, AS_OF, "en"))


def test_columns_rhythm_runs_from_signup_to_last_purchase() -> None:
    customers = RawSheet(
        "Customers",
        [
            CUSTOMER_HEADER,
            ["C1", "A", "2025-01-01", "2025-04-01", 4, 100],  # 90 days over 3 intervals
            ["C2", "B", "2025-01-01", "2025-04-01", 1, 100],  # one purchase: no rhythm
            ["C3", "C", None, "2025-04-01", 4, 100],  # no signup: no rhythm
        ],
    )
    workbook = understand(RawWorkbook("t.xlsx", (customers,)), Settings())
    rhythm = from_columns(workbook.customers).rhythm
    assert rhythm[0] == 30.0 and np.isnan(rhythm[1:]).all()


def reference_order_groups(who: list[int], keys: list[CellValue]) -> list[int]:
    """Order numbers as they were given line by line: (customer, id) by first appearance."""
    group: dict[tuple[int, CellValue], int] = {}
    return [
        group.setdefault((c, k) if k is not None else (-1 - line, None), len(group))
        for line, (c, k) in enumerate(zip(who, keys, strict=True))
    ]


order_ids = st.one_of(
    st.none(), st.sampled_from(["A1", "A2", "a1", 1, 1.0, True, 2, 0, False, 2.5, ""])
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.tuples(st.integers(0, 4), order_ids), max_size=30))
def test_order_numbers_equal_line_by_line_grouping(lines: list[tuple[int, CellValue]]) -> None:
    who, keys = [c for c, _ in lines], [k for _, k in lines]
    if not lines:
        return
    numbers, groups = _order_groups(np.array(who, dtype=np.int64), keys)
    expected = reference_order_groups(who, keys)
    assert numbers.tolist() == expected
    assert groups == len(set(expected))


customer_ids = st.one_of(
    st.none(),
    st.sampled_from(["C001", "c001 ", "C０01", " ", "", 1001, 1001.0, True, "张 三", "\u00a0"]),
    st.text(max_size=6),
)


text_ids = st.one_of(
    st.sampled_from(["C001", "c001", "C001 ", "C０01", "Ⅻ", "", "KH0000001", "ｋｈ0000001"]),
    st.from_regex(r"[A-Za-z0-9]{1,6}", fullmatch=True),
    st.text(max_size=6),
)


@settings(max_examples=200, deadline=None)
@given(
    customers=st.one_of(st.lists(customer_ids, max_size=8), st.lists(text_ids, max_size=8)),
    orders=st.one_of(st.lists(customer_ids, max_size=12), st.lists(text_ids, max_size=12)),
)
def test_orders_by_id_link_as_the_index_finds_them(
    customers: list[CellValue], orders: list[CellValue]
) -> None:
    table = Table(
        "C", "customers", 1, (Column(1, "ID", "customer_id"),), tuple((c,) for c in customers)
    )
    index = CustomerIndex.build(table)
    positions = _positions_by_id(index, table.first_row, orders).tolist()
    expected = []
    for cid in orders:
        row = index.find({"customer_id": cid, "customer_name": None, "phone": None})
        expected.append(-1 if row is None else row - table.first_row)
    assert positions == expected


@settings(max_examples=200, deadline=None)
@given(ids=st.one_of(st.lists(st.text(alphabet=" a1\t", max_size=4)), st.lists(order_ids)))
def test_order_keys_ignore_stray_spaces_only(ids: list[CellValue]) -> None:
    expected = [v.strip() or None if isinstance(v, str) else v for v in ids]
    keys = _order_keys(ids)
    assert [(type(k), k) for k in keys] == [(type(k), k) for k in expected]
