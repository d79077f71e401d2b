"""What the follow-up rules need to know about the customers, gathered from the whole workbook.

Contact dates come from the customer sheet and from reminders marked done; deal dates from the
customer sheet and the transactions sheet; tiers and churn risk from scoring
(`customer_scores`); complaints from `complaint_stats`; the 公海 exemption from the status
column or the tags our tagging step wrote.

A million customers are read as columns (`CustomerColumns`, one entry per data row of the
customer sheet, dates as day numbers), each distinct cell parsed once; `facts` and `card` give
one customer's facts and card the way the per-customer rules take them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import compress, count, repeat
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from toolkit.routines.cell_values import date_of, text_of, texts_of
from toolkit.routines.churn import CHURN_LEVELS
from toolkit.routines.columns import BoolArray, IntArray, split_datetimes
from toolkit.routines.complaint_stats import ComplaintRecord, complaint_records
from toolkit.routines.followup_marks import DoneMark, customer_key
from toolkit.routines.linking import CustomerIndex
from toolkit.routines.purchases import occupied_customers
from toolkit.routines.reminder_rules import CustomerFacts
from toolkit.routines.scores import customer_scores
from toolkit.routines.tiers import TIER_KEYS
from toolkit.steps import StepContext
from toolkit.table import CellValue, RawWorkbook, Table, is_blank

T = TypeVar("T")
_TAG_SEPARATORS = re.compile(r"[,，;；、/|\n]+")
_CARD_FIELDS = ("customer_id", "name", "last_name", "first_name", "owner", "phone", "phone2")
UNKNOWN = 0  # the day number of a missing date (real ones start at 1, 0001-01-01)
MEDIUM = TIER_KEYS.index("medium")  # the tier of an unscored customer
_HIGH_CHURN = CHURN_LEVELS.index("high")


@dataclass(frozen=True)
class CustomerCard:
    """Who a reminder is about, as the Follow-ups sheet shows them."""

    row: int
    key: str  # see followup_marks.customer_key
    customer_id: str
    name: str
    owner: str
    phone: CellValue
    email: CellValue


@dataclass(frozen=True)
class CustomerColumns:
    """Every customer's facts by position (sheet row - first_row); dates as day numbers
    (`date.toordinal()`, UNKNOWN when blank or unreadable)."""

    first_row: int
    present: BoolArray  # a non-blank row: blank rows get no reminders
    tier: IntArray  # index into TIER_KEYS (unscored: medium)
    churn_high: BoolArray
    churn_reason: Callable[[int], str]  # by position
    last_contact: IntArray  # the sheet's, or a later done mark's (a contact)
    signup: IntArray
    birthday: IntArray
    last_deal: IntArray  # the sheet's last purchase or the latest order, whichever is later
    exempt: BoolArray
    complaints: Mapping[int, tuple[ComplaintRecord, ...]]  # by position
    marked: Mapping[int, str]  # position -> customer key, of the customers with done marks
    cells: Mapping[str, Sequence[CellValue]]  # raw card cells by field (email included)
    with_id: bool

    def card(self, at: int) -> CustomerCard:
        """The card of the customer at a position."""
        cell = {name: values[at] for name, values in self.cells.items()}
        customer_id = text_of(cell["customer_id"]) if self.with_id else ""
        name = self.name(at)
        phone = cell["phone"]
        if is_blank(phone):
            phone = cell["phone2"]
        owner = text_of(cell["owner"])
        row = self.first_row + at
        key = customer_key(customer_id, name)
        return CustomerCard(row, key, customer_id, name, owner, phone, cell["email"])

    def name(self, at: int) -> str:
        """A customer's name as reminders show it (a nameless row by its sheet row)."""
        name = text_of(self.cells["name"][at])
        if name:
            return name
        split = (text_of(self.cells[f][at]) for f in ("last_name", "first_name"))
        # A row without a name is shown by its sheet row, so a done mark can still find it.
        return " ".join(part for part in split if part) or f"#{self.first_row + at}"

    def texts(self, field: str, positions: Sequence[int]) -> list[str]:
        """The cells of a card field at some positions as text (`text_of`).

        Each distinct cell is read once: a million customers have a few dozen owners.
        """
        return texts_of(list(map(self.cells[field].__getitem__, positions)))

    def names(self, positions: Sequence[int]) -> list[str]:
        """`name` of the customers at some positions."""
        names = self.texts("name", positions)
        return [name or self.name(at) for name, at in zip(names, positions, strict=True)]

    def contacts(self, positions: Sequence[int]) -> tuple[list[CellValue], list[CellValue]]:
        """The phone (else the second phone) and the e-mail of the customers at some positions."""
        phone, phone2, email = (self.cells[f] for f in ("phone", "phone2", "email"))
        phones = list(map(phone.__getitem__, positions))
        # Blank is decided once per distinct cell: a million customers, a few blank forms.
        distinct = list(set(phones))
        texts = compress(distinct, map(isinstance, distinct, repeat(str)))
        blank = {None, "", *filter(str.isspace, texts)}  # type: ignore[arg-type]  # is_blank
        for at in compress(count(), map(blank.__contains__, phones)):
            phones[at] = phone2[positions[at]]
        return phones, list(map(email.__getitem__, positions))

    def facts(self, at: int) -> CustomerFacts:
        """One customer's facts as the per-customer rules take them."""

        def day(days: IntArray) -> date | None:
            number = int(days[at])
            return date.fromordinal(number) if number != UNKNOWN else None

        return CustomerFacts(
            row=self.first_row + at,
            tier=TIER_KEYS[int(self.tier[at])],
            churn_high=bool(self.churn_high[at]),
            churn_reason=self.churn_reason(at),
            last_contact=day(self.last_contact),
            signup=day(self.signup),
            birthday=day(self.birthday),
            last_deal=day(self.last_deal),
            exempt=bool(self.exempt[at]),
            complaints=self.complaints.get(at, ()),
        )


def customer_columns(ctx: StepContext, marks: Sequence[DoneMark]) -> CustomerColumns:
    """The facts of every customer row of the customer sheet, as columns.

    Example: a customer whose sheet says last contact 2025-04-01 and whose regular reminder
    was marked done on 2025-06-29 has `last_contact` 2025-06-29's day number.
    """
    customers = ctx.workbook.customers
    settings = ctx.settings.followups
    day_first = ctx.settings.validation.day_first
    tier, churn_high, churn_reason = _scored(ctx, customers)
    statuses = {s.casefold() for s in settings.exempt_statuses}
    tags = {t.casefold() for t in settings.exempt_tags}
    deals = _last_orders(ctx, day_first)
    day = {f: day_column(field_cells(customers, f), day_first=day_first) for f in _DATE_FIELDS}
    columns = CustomerColumns(
        first_row=customers.first_row,
        present=occupied_customers(ctx),  # as scores and tags found them (read once per run)
        tier=tier,
        churn_high=churn_high,
        churn_reason=churn_reason,
        last_contact=day["last_contact_date"],
        signup=day["signup_date"],
        birthday=day["birthday"],
        last_deal=np.maximum(day["last_purchase_date"], deals),
        exempt=_exempt(customers, _tags(ctx.workbook.raw, customers), statuses, tags),
        complaints=_complaints_by_customer(complaint_records(ctx).records, customers.first_row),
        marked={},
        cells={f: field_cells(customers, f) for f in (*_CARD_FIELDS, "email")},
        with_id=customers.has("customer_id"),
    )
    return _with_marks(columns, marks, ctx.as_of)


def _with_marks(
    columns: CustomerColumns, marks: Sequence[DoneMark], as_of: date
) -> CustomerColumns:
    """The columns with the customers who have done marks, and those marks' contacts."""
    names = {mark.customer for mark in marks}
    if not names:
        return columns
    present = np.flatnonzero(columns.present).tolist()
    ids = columns.texts("customer_id", present) if columns.with_id else [""] * len(present)
    who = list(zip(ids, columns.names(present), strict=True))
    keys = distinct_map(who, lambda pair: customer_key(*pair), kinds={str})
    marked = {at: key for at, key in zip(present, keys, strict=True) if key in names}
    latest = _latest_done(marks, as_of)
    contact = columns.last_contact.copy()
    for at, key in marked.items():
        if key in latest:
            contact[at] = max(int(contact[at]), latest[key].toordinal())
    return replace(columns, last_contact=contact, marked=marked)


_DATE_FIELDS = ("last_contact_date", "signup_date", "birthday", "last_purchase_date")


def field_cells(table: Table, field: str) -> list[CellValue]:
    """Each data row's cell of a field: its last column, as `Table.records()` reads it.

    >>> from toolkit.table import Column
    >>> cols = (Column(1, "Tel", "phone"), Column(2, "Mobile", "phone"))
    >>> field_cells(Table("C", "customers", 1, cols, (("1", "2"),)), "phone")
    ['2']
    """
    mapped = [c.index - 1 for c in table.columns if c.field == field]
    if not mapped:
        return [None] * len(table.rows)
    at = mapped[-1]
    return [row[at] for row in table.rows]


def day_column(cells: Sequence[CellValue], *, day_first: bool = False) -> IntArray:
    """Each cell's date as a day number (UNKNOWN: blank or unreadable), each distinct cell
    read once.

    >>> day_column(["2025-06-30", None, "soon", "2025-06-30"]).tolist()
    [739432, 0, 0, 739432]
    """

    def day(cell: CellValue) -> int:
        return _day_number(date_of(cell, day_first=day_first))

    is_datetime, stamps, others = split_datetimes(cells)
    days = np.empty(len(cells), dtype=np.int64)
    days[is_datetime] = stamps
    if others:
        days[~is_datetime] = by_distinct(others, day, np.int64, kinds=set(map(type, others)))
    return days


def by_distinct(
    values: Sequence[Any],
    meaning: Callable[[Any], object],
    dtype: type[np.generic],
    *,
    kinds: set[type],
) -> npt.NDArray[Any]:
    """`distinct_map` as an array.

    >>> cells = [1, True, "1", 1]
    >>> by_distinct(cells, lambda c: len(repr(c)), np.int64, kinds={int, bool, str}).tolist()
    [1, 4, 3, 1]
    """
    keys, known = _distinct(values, meaning, kinds)
    return np.fromiter(map(known.__getitem__, keys), dtype, len(keys))


def distinct_map(
    values: Sequence[Any], meaning: Callable[[Any], T], *, kinds: set[type]
) -> list[T]:
    """`meaning` of each value (a cell, or a tuple of cells), worked out once per distinct
    value. `kinds` are the types of the cells: 1, 1.0 and True are one dict key, not one cell,
    so values mixing those kinds are keyed by their types too.

    >>> distinct_map([1, 1.0, "1", 1], repr, kinds={int, float, str})
    ['1', '1.0', "'1'", '1']
    """
    keys, known = _distinct(values, meaning, kinds)
    return list(map(known.__getitem__, keys))


def _distinct(
    values: Sequence[Any], meaning: Callable[[Any], T], kinds: set[type]
) -> tuple[Sequence[Any], dict[Any, T]]:
    """The lookup keys of the values and each key's meaning."""
    if bool in kinds or {int, float} <= kinds:
        keys = list(zip(map(_types, values), values, strict=True))
        return keys, {key: meaning(key[1]) for key in dict.fromkeys(keys)}
    return values, {value: meaning(value) for value in dict.fromkeys(values)}


def _types(value: object) -> object:
    return tuple(map(type, value)) if isinstance(value, tuple) else type(value)


def _day_number(day: date | None) -> int:
    return UNKNOWN if day is None else day.toordinal()


def _scored(ctx: StepContext, customers: Table) -> tuple[IntArray, BoolArray, Callable[[int], str]]:
    """Tier, high churn risk and churn reason by position, as `book.get(row)` gives them
    (unscored rows: medium, no, "")."""
    book = customer_scores(ctx)
    at = np.arange(len(customers.rows)) + (customers.first_row - book.first_row)
    inside = (at >= 0) & (at < len(book.occupied))
    scored = np.zeros(len(at), dtype=np.bool_)
    scored[inside] = book.occupied[at[inside]]
    picked = np.where(scored, at, 0)
    tier = np.where(scored, book.tier[picked] if len(book.occupied) else MEDIUM, MEDIUM)
    level = book.churn.level[picked] if len(book.occupied) else np.zeros(len(at), np.int64)
    churn_high = scored & (level == _HIGH_CHURN)
    shift = customers.first_row - book.first_row

    def churn_reason(position: int) -> str:
        return book.churn.reasons[position + shift] if scored[position] else ""

    return tier.astype(np.int64), churn_high, churn_reason


def _exempt(
    customers: Table, tags: Mapping[int, Sequence[str]], statuses: set[str], exempt_tags: set[str]
) -> BoolArray:
    """Locked, won or VIP customers (by status value or tag) never go back to the pool.

    `statuses` and `exempt_tags` are the settings' exempt statuses and tags, case folded.
    """
    cells = field_cells(customers, "status")
    kinds = set(map(type, cells))
    exempt = by_distinct(cells, lambda c: text_of(c).casefold() in statuses, np.bool_, kinds=kinds)
    for at, written in tags.items():
        if any(tag.casefold() in exempt_tags for tag in written):
            exempt[at] = True
    return exempt


def _tags(raw: RawWorkbook, customers: Table) -> dict[int, tuple[str, ...]]:
    """Tags by position from our own Tags column (written by the tagging step)."""
    column = customers.own_columns.get("tags")
    sheet = raw.sheet(customers.sheet)
    if column is None or sheet is None:
        return {}
    tags: dict[int, tuple[str, ...]] = {}
    for row in range(customers.first_row, customers.last_row + 1):
        text = text_of(sheet.cell(row, column.index))
        if text:
            found = tuple(t.strip() for t in _TAG_SEPARATORS.split(text) if t.strip())
            tags[row - customers.first_row] = found
    return tags


def _last_orders(ctx: StepContext, day_first: bool) -> IntArray:
    """The latest order date (up to `as_of`) of each customer on the transactions sheet, as
    day numbers by position; each distinct customer reference and date is read once."""
    customers = ctx.workbook.customers
    latest = np.zeros(len(customers.rows), dtype=np.int64)
    orders = ctx.workbook.table("transactions")
    if orders is None:
        return latest
    index = CustomerIndex.of(customers)
    fields = ("customer_id", "customer_name", "phone")
    if not any(c.field in fields[1:] for c in orders.columns):
        # Orders naming their customer by id alone: ids looked up column-wise.
        mapped = [c.index - 1 for c in orders.columns if c.field == "customer_id"]
        at = mapped[-1] if mapped else None  # the column field_cells reads
        who = np.array(index.rows_of_column(orders, at), dtype=np.int64)
    else:
        who = _order_customers(index, [field_cells(orders, f) for f in fields], fields)
    days = day_column(field_cells(orders, "order_date"), day_first=day_first)
    usable = (who >= 0) & (days != UNKNOWN) & (days <= ctx.as_of.toordinal())
    np.maximum.at(latest, who[usable] - customers.first_row, days[usable])
    return latest


def _order_customers(
    index: CustomerIndex, cells: list[list[CellValue]], fields: tuple[str, ...]
) -> IntArray:
    """The customer row of each order (-1: none), one lookup per distinct reference."""
    references = list(zip(*cells, strict=True))

    def position(reference: tuple[CellValue, ...]) -> int:
        row = index.find(dict(zip(fields, reference, strict=True)))
        return -1 if row is None else row

    kinds = set().union(*(map(type, column) for column in cells))
    return by_distinct(references, position, np.int64, kinds=kinds)


def _latest_done(marks: Sequence[DoneMark], as_of: date) -> dict[str, date]:
    """A reminder marked done is a contact with the customer on its done date."""
    latest: dict[str, date] = {}
    for mark in marks:
        if mark.done <= as_of:
            latest[mark.customer] = max(latest.get(mark.customer, mark.done), mark.done)
    return latest


def _complaints_by_customer(
    records: Sequence[ComplaintRecord], first_row: int
) -> dict[int, tuple[ComplaintRecord, ...]]:
    grouped: dict[int, list[ComplaintRecord]] = {}
    for record in records:
        if record.customer_row is not None:
            grouped.setdefault(record.customer_row - first_row, []).append(record)
    return {at: tuple(items) for at, items in grouped.items()}
