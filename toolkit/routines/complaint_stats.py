"""Complaints read once per run: each row's dates, category, status and customer.

`complaint_records(ctx)` parses the complaints table (categories inferred where empty, statuses
mapped onto received -> investigating -> resolved -> followed up); `customer_complaints(ctx)`
gives each customer's count, open count and dates, which churn risk (scoring) and follow-up
rules use. Both are memoized per run, so every step sees the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from toolkit.i18n import Text, say
from toolkit.models.complaint_settings import ComplaintSettings, ComplaintStatus
from toolkit.models.settings import Settings
from toolkit.plan import Finding
from toolkit.routines.cell_values import date_of, text_of
from toolkit.routines.complaint_text import infer_category, match_status, recorded_category
from toolkit.routines.linking import CustomerIndex
from toolkit.steps import StepContext
from toolkit.table import CellValue, Lang, Table, is_blank

OPEN_STATUSES: frozenset[ComplaintStatus] = frozenset({"received", "investigating"})

UNKNOWN_STATUS = Text(
    "Unknown complaint status '{value}': use one of 已接收/调查中/已解决/已回访 "
    "(received, investigating, resolved, followed up)",
    "未知的投诉状态“{value}”：请填 已接收/调查中/已解决/已回访",
)
UNKNOWN_CUSTOMER = Text(
    "Complaint names no customer of sheet '{sheet}': check the customer id or name",
    "投诉对应的客户不在“{sheet}”表中：请核对客户编号或姓名",
)
NO_RESOLVED_DATE = Text(
    "Complaint is marked resolved but has no resolved date: fill it in",
    "投诉已标记解决，但缺少解决日期：请补填",
)


@dataclass(frozen=True)
class ComplaintRecord:
    """One complaint row as understood."""

    row: int  # sheet row in the complaints sheet
    complaint_id: str
    customer_row: int | None  # the customer's sheet row, None when it names no known customer
    customer: str  # the customer as written in the complaint (id or name)
    opened: date | None  # the day the complaint came in
    category: str  # a category key of the settings, or a custom category as written
    inferred: bool  # the category cell was empty: category inferred from the description
    status: ComplaintStatus | None  # None when the status cell says something unknown
    first_response: date | None
    resolved: date | None
    owner: str
    description: str

    @property
    def is_open(self) -> bool:
        """Still being worked on: received or investigating (or unknown and not resolved)."""
        if self.status is not None:
            return self.status in OPEN_STATUSES
        return self.resolved is None

    def resolution_days(self) -> int | None:
        """Days from receipt to resolution, None when either date is missing or out of order."""
        if self.opened is None or self.resolved is None or self.resolved < self.opened:
            return None
        return (self.resolved - self.opened).days


@dataclass(frozen=True)
class CustomerComplaints:
    """A customer's complaints, for churn risk and follow-up rules.

    >>> CustomerComplaints(2, 1, date(2025, 6, 1), (date(2025, 3, 1), date(2025, 6, 1))).count
    2
    """

    count: int
    open_count: int
    last_date: date | None
    dates: tuple[date, ...]  # ascending; complaints without a readable date are left out


@dataclass(frozen=True)
class ComplaintReading:
    """Every complaint of the table, and what staff should fix in it."""

    records: tuple[ComplaintRecord, ...]
    findings: tuple[Finding, ...]


def complaint_records(ctx: StepContext) -> ComplaintReading:
    """The run's complaints, parsed once (empty when the workbook has no complaints sheet).

    Example: `[r.category for r in complaint_records(ctx).records if r.inferred]` lists the
    categories read from descriptions, e.g. ["delivery", "product_quality"].
    """

    def compute() -> ComplaintReading:
        table = ctx.workbook.table("complaints")
        if table is None:
            return ComplaintReading((), ())
        return read_complaints(table, ctx.workbook.customers, ctx.settings, lang=ctx.lang)

    return ctx.remember("complaint_stats.records", compute)


def customer_complaints(ctx: StepContext) -> Mapping[int, CustomerComplaints]:
    """Complaint count, open count and dates per customer sheet row (customers with any).

    >>> from toolkit.table import RawWorkbook, Workbook, Column
    >>> customers = Table("C", "customers", 1, (Column(1, "Name", "name"),), (("Li",),))
    >>> book = Workbook(RawWorkbook("x", ()), {"customers": customers}, "en")
    >>> customer_complaints(StepContext(book, Settings(), date(2025, 6, 30), "en"))
    {}
    """
    return ctx.remember(
        "complaint_stats.by_customer", lambda: by_customer(complaint_records(ctx).records)
    )


def by_customer(records: tuple[ComplaintRecord, ...]) -> dict[int, CustomerComplaints]:
    """Group complaint records by the customer they belong to (unlinked ones are left out)."""
    grouped: dict[int, list[ComplaintRecord]] = {}
    for record in records:
        if record.customer_row is not None:
            grouped.setdefault(record.customer_row, []).append(record)
    result: dict[int, CustomerComplaints] = {}
    for row, items in sorted(grouped.items()):
        dates = tuple(sorted(r.opened for r in items if r.opened is not None))
        open_count = sum(1 for r in items if r.is_open)
        result[row] = CustomerComplaints(
            len(items), open_count, dates[-1] if dates else None, dates
        )
    return result


def read_complaints(
    table: Table, customers: Table, settings: Settings, *, lang: Lang = "en"
) -> ComplaintReading:
    """Parse a complaints table: dates, category (inferred where empty), status, customer.

    Unknown statuses, complaints naming no customer and resolved complaints without a resolved
    date become findings (warnings): the summary still counts them. Example: a row with status
    "挂起" on sheet row 9 gives a finding "complaint_status_unknown" at Complaints!F9.
    """
    index = CustomerIndex.of(customers)
    day_first = settings.validation.day_first
    records: list[ComplaintRecord] = []
    findings: list[Finding] = []
    categories: dict[tuple[str, str], tuple[str, bool]] = {}
    for row, values in table.records():
        record = _record(row, values, index, settings.complaints, day_first, categories)
        records.append(record)
        findings.extend(_problems(table, customers.sheet, record, values, lang))
    return ComplaintReading(tuple(records), tuple(findings))


def _record(
    row: int,
    values: Mapping[str, CellValue],
    index: CustomerIndex,
    settings: ComplaintSettings,
    day_first: bool,
    categories: dict[tuple[str, str], tuple[str, bool]],
) -> ComplaintRecord:
    category, inferred = _category(values, settings, categories)
    resolved = date_of(values.get("resolved_date"), day_first=day_first)
    status_text = text_of(values.get("status"))
    status: ComplaintStatus | None
    if status_text:
        status = match_status(status_text, settings.statuses)
    else:
        status = "resolved" if resolved is not None else "received"
    return ComplaintRecord(
        row=row,
        complaint_id=text_of(values.get("complaint_id")),
        customer_row=index.find(values),
        customer=text_of(values.get("customer_id")) or text_of(values.get("customer_name")),
        opened=date_of(values.get("date"), day_first=day_first),
        category=category,
        inferred=inferred,
        status=status,
        first_response=date_of(values.get("first_response_date"), day_first=day_first),
        resolved=resolved,
        owner=text_of(values.get("owner")),
        description=text_of(values.get("description")),
    )


def _category(
    values: Mapping[str, CellValue],
    settings: ComplaintSettings,
    known: dict[tuple[str, str], tuple[str, bool]],
) -> tuple[str, bool]:
    """The category of a complaint and whether it was inferred; `known` keeps the answer
    for each (category, description) already seen: both repeat across complaints, and
    matching keywords costs far more than a lookup."""
    written = text_of(values.get("category"))
    key = (written, "" if written else text_of(values.get("description")))
    found = known.get(key)
    if found is None:
        if written:
            found = recorded_category(written, settings.keywords), False
        else:
            found = infer_category(key[1], settings.keywords) or "other", True
        known[key] = found
    return found


def _problems(
    table: Table,
    customer_sheet: str,
    record: ComplaintRecord,
    values: Mapping[str, CellValue],
    lang: Lang,
) -> list[Finding]:
    problems: list[tuple[str, str, str]] = []  # (field, problem, message)
    if record.status is None:
        status_value = text_of(values.get("status"))
        problems.append(
            ("status", "complaint_status_unknown", say(UNKNOWN_STATUS, lang, value=status_value))
        )
    elif record.status in {"resolved", "followed_up"} and record.resolved is None:
        problems.append(
            ("resolved_date", "complaint_resolved_date_missing", say(NO_RESOLVED_DATE, lang))
        )
    if record.customer_row is None:
        message = say(UNKNOWN_CUSTOMER, lang, sheet=customer_sheet)
        field = next(
            (f for f in ("customer_id", "customer_name") if not is_blank(values.get(f))),
            "customer_name",
        )
        problems.append((field, "complaint_customer_unknown", message))
    findings = []
    for field, problem, message in problems:
        column = table.column(field)
        if column is None and field == "resolved_date":
            column = table.column("status")
        index = column.index if column else 1
        value = values.get(field)
        findings.append(
            Finding(table.sheet, record.row, index, field, value, problem, message, None, "warning")
        )
    return findings
