"""What the follow-up rules need to know about each customer, gathered from the whole workbook.

Contact dates come from the customer sheet and from reminders marked done; deal dates from the
customer sheet and the transactions sheet; tiers and churn risk from scoring
(`customer_scores`); complaints from `complaint_stats`; the 公海 exemption from the status
column or the tags our tagging step wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from toolkit.models.followup_settings import Tier
from toolkit.routines.cell_values import date_of, text_of
from toolkit.routines.churn import CHURN_LEVELS
from toolkit.routines.complaint_stats import ComplaintRecord, complaint_records
from toolkit.routines.followup_marks import DoneMark, customer_key
from toolkit.routines.linking import CustomerIndex
from toolkit.routines.reminder_rules import CustomerFacts
from toolkit.routines.scores import ScoreBook, customer_scores
from toolkit.routines.tiers import TIER_KEYS
from toolkit.steps import StepContext
from toolkit.table import CellValue, RawWorkbook, Table, is_blank

_TAG_SEPARATORS = re.compile(r"[,，;；、/|\n]+")
_DATE_FIELDS = ("last_contact_date", "signup_date", "birthday", "last_purchase_date")


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


def gather_facts(
    ctx: StepContext, marks: Sequence[DoneMark]
) -> Iterator[tuple[CustomerCard, CustomerFacts]]:
    """A card and the facts of every customer row of the customer sheet, in sheet order.

    Example: a customer whose sheet says last contact 2025-04-01 and whose regular reminder
    was marked done on 2025-06-29 has `facts.last_contact == date(2025, 6, 29)`.
    """
    customers = ctx.workbook.customers
    settings = ctx.settings.followups
    day_first = ctx.settings.validation.day_first
    scored = _score_reader(customer_scores(ctx))
    complaints = _complaints_by_customer(complaint_records(ctx).records)
    deals = _last_orders(ctx, day_first)
    done_by_customer = _latest_done(marks, ctx.as_of)
    tags = _tags(ctx.workbook.raw, customers)
    with_id = customers.has("customer_id")
    exempt_statuses = {s.casefold() for s in settings.exempt_statuses}
    exempt_tags = {t.casefold() for t in settings.exempt_tags}
    columns = {field: _date_column(customers, field, day_first) for field in _DATE_FIELDS}
    for row, record in customers.records():
        card = _card(row, record, with_id)
        tier, churn_high, churn_reason = scored(row)
        offset = row - customers.first_row

        def day(field: str, offset: int = offset) -> date | None:
            return columns[field][offset]

        contact = _latest(day("last_contact_date"), done_by_customer.get(card.key))
        facts = CustomerFacts(
            row=row,
            tier=tier,
            churn_high=churn_high,
            churn_reason=churn_reason,
            last_contact=contact,
            signup=day("signup_date"),
            birthday=day("birthday"),
            last_deal=_latest(day("last_purchase_date"), deals.get(row)),
            exempt=_exempt(record.get("status"), tags.get(row, ()), exempt_statuses, exempt_tags),
            complaints=complaints.get(row, ()),
        )
        yield card, facts


def _score_reader(book: ScoreBook) -> Callable[[int], tuple[Tier, bool, str]]:
    """A customer row's tier, high churn risk and churn reason, as `book.get(row)` gives them
    (unscored rows: medium, no, ""), read from the book's columns as plain lists."""
    tiers = [TIER_KEYS[t] for t in book.tier.tolist()]
    high = [CHURN_LEVELS[level] == "high" for level in book.churn.level.tolist()]
    occupied = book.occupied.tolist()

    def scored(row: int) -> tuple[Tier, bool, str]:
        at = row - book.first_row
        if not 0 <= at < len(occupied) or not occupied[at]:
            return "medium", False, ""
        return tiers[at], high[at], book.churn.reasons[at]

    return scored


def _card(row: int, record: Mapping[str, CellValue], with_id: bool) -> CustomerCard:
    customer_id = text_of(record.get("customer_id")) if with_id else ""
    split_name = " ".join(
        part for part in (text_of(record.get(f)) for f in ("last_name", "first_name")) if part
    )
    # A row without a name is shown by its sheet row, so a done mark can still find it.
    name = text_of(record.get("name")) or split_name or f"#{row}"
    phone = record.get("phone")
    if is_blank(phone):
        phone = record.get("phone2")
    return CustomerCard(
        row=row,
        key=customer_key(customer_id, name),
        customer_id=customer_id,
        name=name,
        owner=text_of(record.get("owner")),
        phone=phone,
        email=record.get("email"),
    )


def _date_column(customers: Table, field: str, day_first: bool) -> list[date | None]:
    """Each data row's date in a field (None: blank, unreadable or no such column), each
    distinct cell read once (keyed by type too: 1 and True are one dict key, not one cell)."""
    # The last column of the field, as `records()` gives it.
    mapped = [c.index - 1 for c in customers.columns if c.field == field]
    values = [row[mapped[-1]] for row in customers.rows] if mapped else customers.values(field)
    keys = list(zip(map(type, values), values, strict=True))
    days = {key: date_of(key[1], day_first=day_first) for key in dict.fromkeys(keys)}
    return list(map(days.__getitem__, keys))


def _exempt(
    status: CellValue, tags: Sequence[str], exempt_statuses: set[str], exempt_tags: set[str]
) -> bool:
    """Locked, won or VIP customers (by status value or tag) never go back to the pool.

    The two sets are the settings' exempt statuses and tags, case folded.
    """
    if text_of(status).casefold() in exempt_statuses:
        return True
    return any(tag.casefold() in exempt_tags for tag in tags)


def _tags(raw: RawWorkbook, customers: Table) -> dict[int, tuple[str, ...]]:
    """Tags per customer row from our own Tags column (written by the tagging step)."""
    column = customers.own_columns.get("tags")
    sheet = raw.sheet(customers.sheet)
    if column is None or sheet is None:
        return {}
    tags: dict[int, tuple[str, ...]] = {}
    for row in range(customers.first_row, customers.last_row + 1):
        text = text_of(sheet.cell(row, column.index))
        if text:
            tags[row] = tuple(t.strip() for t in _TAG_SEPARATORS.split(text) if t.strip())
    return tags


def _last_orders(ctx: StepContext, day_first: bool) -> dict[int, date]:
    """The latest order date of each customer on the transactions sheet."""
    orders = ctx.workbook.table("transactions")
    if orders is None:
        return {}
    index = CustomerIndex.of(ctx.workbook.customers)
    latest: dict[int, date] = {}
    for _, record in orders.records():
        row = index.find(record)
        day = date_of(record.get("order_date"), day_first=day_first)
        if row is not None and day is not None and day <= ctx.as_of:
            latest[row] = max(latest.get(row, day), day)
    return latest


def _latest_done(marks: Sequence[DoneMark], as_of: date) -> dict[str, date]:
    """A reminder marked done is a contact with the customer on its done date."""
    latest: dict[str, date] = {}
    for mark in marks:
        if mark.done <= as_of:
            latest[mark.customer] = max(latest.get(mark.customer, mark.done), mark.done)
    return latest


def _complaints_by_customer(
    records: Sequence[ComplaintRecord],
) -> dict[int, tuple[ComplaintRecord, ...]]:
    grouped: dict[int, list[ComplaintRecord]] = {}
    for record in records:
        if record.customer_row is not None:
            grouped.setdefault(record.customer_row, []).append(record)
    return {row: tuple(items) for row, items in grouped.items()}


def _latest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return max(known) if known else None
