"""Each customer's purchases: from the customer sheet's own columns or from a transactions sheet.

RFM, tiers, churn risk and the purchase conditions of tag rules all read purchases from here,
so they agree on who bought what. With `scoring.source = "auto"` a transactions sheet wins
when it has orders that belong to customers of the sheet; otherwise the customer sheet's
`last_purchase_date`, `purchase_count` and `total_amount` columns are used.

From columns, the customer's usual interval between purchases is the span from the signup
date to the last purchase over (purchases - 1); from transactions it is the span from the
first to the last order over (orders - 1). Order lines sharing an order id are one order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import compress, count, repeat
from operator import is_
from typing import Literal

import numpy as np

from toolkit.errors import ConfigError, ConfigProblem
from toolkit.routines.columns import (
    BoolArray,
    FloatArray,
    IntArray,
    amounts,
    counts,
    date_days,
    day_number,
    occupied_rows,
)
from toolkit.routines.linking import CustomerIndex
from toolkit.steps import StepContext
from toolkit.table import CellValue, Table, has_value

Source = Literal["columns", "transactions"]


@dataclass(frozen=True)
class Trend:
    """Orders and spending in the last window and in the window before it (transactions)."""

    window_days: int
    recent_orders: FloatArray
    earlier_orders: FloatArray
    recent_amount: FloatArray
    earlier_amount: FloatArray


@dataclass(frozen=True)
class Purchases:
    """Per data row of the customer table (blank rows included, as NaN or 0).

    `last`/`first` are day numbers (date.toordinal()); NaN where unknown.
    """

    source: Source
    last: FloatArray
    first: FloatArray
    count: FloatArray
    amount: FloatArray
    trend: Trend | None = None
    orders_linked: int = 0
    orders_unlinked: int = 0

    @property
    def rhythm(self) -> FloatArray:
        """Usual days between purchases; NaN with fewer than two purchases or no span.

        >>> p = Purchases("columns", *(np.array([x]) for x in (100.0, 40.0, 3.0, 9.0)))
        >>> p.rhythm.tolist()
        [30.0]
        """
        with np.errstate(invalid="ignore", divide="ignore"):
            span = self.last - self.first
            rhythm = span / (self.count - 1)
        usable = (self.count >= 2) & (span > 0)
        return np.where(usable, rhythm, np.nan)


def purchases(ctx: StepContext) -> Purchases:
    """The run's purchases per customer, read once (memoized as "scores.purchases")."""

    def compute() -> Purchases:
        customers = ctx.workbook.customers
        day_first = ctx.settings.validation.day_first
        orders = ctx.workbook.table("transactions")
        source = ctx.settings.scoring.source
        window = ctx.settings.scoring.churn.trend_window_days
        if source == "transactions" and orders is None:
            problem = "no transactions sheet was found; name it in [sheets] transactions"
            raise ConfigError([ConfigProblem("settings", "scoring.source", problem)])
        if orders is not None and source != "columns":
            found = from_transactions(customers, orders, ctx.as_of, window, day_first=day_first)
            if source == "transactions" or found.orders_linked:
                return found
        return from_columns(customers, day_first=day_first)

    return ctx.remember("scores.purchases", compute)


def from_columns(customers: Table, *, day_first: bool = False) -> Purchases:
    """Purchases as the customer sheet states them.

    >>> from toolkit.table import Column
    >>> cols = (Column(1, "Orders", "purchase_count"), Column(2, "Total", "total_amount"))
    >>> t = Table("C", "customers", 1, cols, (("3次", "¥1,200"),))
    >>> p = from_columns(t)
    >>> p.count.tolist(), p.amount.tolist()
    ([3.0], [1200.0])
    """
    return Purchases(
        "columns",
        last=date_days(customers.values("last_purchase_date"), day_first=day_first),
        first=date_days(customers.values("signup_date"), day_first=day_first),
        count=counts(customers.values("purchase_count")),
        amount=amounts(customers.values("total_amount")),
    )


def from_transactions(
    customers: Table, orders: Table, as_of: date, window_days: int, *, day_first: bool = False
) -> Purchases:
    """Purchases computed from the orders that belong to each customer."""
    position, order_key = _link(customers, orders)
    linked = position >= 0
    days = date_days(orders.values("order_date"), day_first=day_first)[linked]
    spent = np.nan_to_num(amounts(orders.values("amount"))[linked])
    who = position[linked]
    keys = list(compress(order_key, linked.tolist()))
    who, days, spent = _one_row_per_order(who, days, spent, keys)
    size = len(customers.rows)
    count = np.bincount(who, minlength=size).astype(np.float64)
    # Rounded to cents: a float sum depends on the order of the lines (9.9 + 9.9 + 120.0 + 9.9
    # is not 9.9 + 9.9 + 9.9 + 120.0), and equal spenders must rank equal.
    total = np.bincount(who, weights=spent, minlength=size).astype(np.float64).round(2)
    dated = ~np.isnan(days)
    last = np.full(size, -np.inf)
    first = np.full(size, np.inf)
    np.maximum.at(last, who[dated], days[dated])
    np.minimum.at(first, who[dated], days[dated])
    return Purchases(
        "transactions",
        last=np.where(np.isfinite(last), last, np.nan),
        first=np.where(np.isfinite(first), first, np.nan),
        count=count,
        amount=total,
        trend=_trend(who, days, spent, size, day_number(as_of), window_days),
        orders_linked=int(linked.sum()),
        orders_unlinked=_unlinked_lines(orders, linked),
    )


def _link(customers: Table, orders: Table) -> tuple[IntArray, list[CellValue]]:
    """Each order row's customer position (-1: none) and its order id (None without one)."""
    index = CustomerIndex.of(customers)
    if orders.has("customer_name") or orders.has("phone"):
        positions = _positions_by_reference(index, customers.first_row, orders)
    else:
        column = orders.column("customer_id")
        at = None if column is None else column.index - 1
        rows = np.array(index.rows_of_column(orders, at), np.int64)
        positions = np.where(rows >= 0, rows - customers.first_row, -1)
    return positions, _order_keys(orders.values("order_id"))


def _order_keys(order_ids: list[CellValue]) -> list[CellValue]:
    """Order ids with stray spaces ignored, None where there is none: lines of one order
    repeat its id as written. Text columns are stripped column-wise."""
    if not set(map(type, order_ids)) <= {str}:
        return [v.strip() or None if isinstance(v, str) else v for v in order_ids]
    keys: list[CellValue] = list(map(str.strip, order_ids))  # type: ignore[arg-type]
    return [key or None for key in keys] if "" in keys else keys


def _positions_by_reference(index: CustomerIndex, first_row: int, orders: Table) -> IntArray:
    """Positions of orders naming their customer by id, name or phone: one lookup per
    distinct (id, name, phone) of the sheet."""
    fields = ("customer_id", "customer_name", "phone")
    references = list(zip(*(orders.values(f) for f in fields), strict=True))
    found: dict[tuple[CellValue, ...], int] = {}
    for reference in dict.fromkeys(references):
        row = index.find(dict(zip(fields, reference, strict=True)))
        found[reference] = -1 if row is None else row - first_row
    return np.fromiter(map(found.__getitem__, references), np.int64, len(references))


def _positions_by_id(index: CustomerIndex, first_row: int, ids: list[CellValue]) -> IntArray:
    """Positions of orders naming their customer by id alone (no name or phone column):
    what `index.find` answers, with the id folded once per distinct id."""
    rows = np.array(index.id_rows(ids), dtype=np.int64)
    return np.where(rows >= 0, rows - first_row, -1)


def _one_row_per_order(
    who: IntArray, days: FloatArray, spent: FloatArray, keys: list[CellValue]
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Lines of one order (same customer and order id) merged: earliest date, summed amount."""
    if keys.count(None) == len(keys):
        return who, days, spent
    ids, groups = _order_groups(who, keys)
    merged_days = np.full(groups, np.inf)
    np.minimum.at(merged_days, ids, np.where(np.isnan(days), np.inf, days))
    merged_who = np.zeros(groups, dtype=np.int64)
    merged_who[ids] = who
    merged_spent = np.bincount(ids, weights=spent, minlength=groups).astype(np.float64)
    merged: FloatArray = np.where(np.isfinite(merged_days), merged_days, np.nan)
    return merged_who, merged, merged_spent


def _order_groups(who: IntArray, keys: list[CellValue]) -> tuple[IntArray, int]:
    """Each line's order, numbered by first appearance, and how many orders: lines of one
    customer with equal order ids (as dict keys are equal) are one order; a line without an
    id is an order of its own."""
    if len(set(keys)) == len(keys):
        # Every line has an id of its own (or is the only one without): an order each.
        return np.arange(len(keys), dtype=np.int64), len(keys)
    code_of = dict(zip(dict.fromkeys(keys), count()))
    codes = np.fromiter(map(code_of.__getitem__, keys), np.int64, len(keys))
    no_id = np.fromiter(map(is_, keys, repeat(None)), bool, len(keys))
    lines = np.arange(len(keys), dtype=np.int64)
    order = np.where(no_id, -1 - lines, who * len(code_of) + codes)
    distinct, first_line, which = np.unique(order, return_index=True, return_inverse=True)
    number = np.empty(len(distinct), dtype=np.int64)
    number[np.argsort(first_line, kind="stable")] = np.arange(len(distinct))
    return number[which.reshape(-1)], len(distinct)


def _trend(
    who: IntArray, days: FloatArray, spent: FloatArray, size: int, today: float, window: int
) -> Trend:
    with np.errstate(invalid="ignore"):
        recent = (days > today - window) & (days <= today)
        earlier = (days > today - 2 * window) & (days <= today - window)

    def per_customer(mask: np.ndarray, weights: FloatArray | None = None) -> FloatArray:
        chosen = None if weights is None else weights[mask]
        return np.bincount(who[mask], weights=chosen, minlength=size).astype(np.float64).round(2)

    return Trend(
        window,
        recent_orders=per_customer(recent),
        earlier_orders=per_customer(earlier),
        recent_amount=per_customer(recent, spent),
        earlier_amount=per_customer(earlier, spent),
    )


def _unlinked_lines(orders: Table, linked: BoolArray) -> int:
    """Order rows that name no customer of the sheet, blank rows left out (a blank row never
    links, so only the unlinked rows are looked at)."""
    unlinked = np.flatnonzero(~linked).tolist()
    return sum(1 for offset in unlinked if has_value(orders.rows[offset]))


def occupied_customers(ctx: StepContext) -> BoolArray:
    """The customer rows with anything in them, worked out once per run (scores and tags).

    >>> from toolkit.models.settings import Settings
    >>> from toolkit.table import Column, RawWorkbook, Workbook
    >>> t = Table("C", "customers", 1, (Column(1, "Name", "name"),), (("Li",), (None,)))
    >>> book = Workbook(RawWorkbook("x", ()), {"customers": t}, "en")
    >>> occupied_customers(StepContext(book, Settings(), date(2025, 6, 30), "en")).tolist()
    [True, False]
    """
    customers = ctx.workbook.customers
    return ctx.remember("scores.occupied", lambda: occupied_rows(customers))
