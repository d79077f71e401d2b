"""The complaints step: the Complaint Summary sheet (投诉汇总), its charts and its findings.

The sheet opens with a few sentences in the sheet's language ("本月投诉 23 起，较上月增加
15%，主要为产品质量问题（48%）..."), then one section per breakdown, each row
(section, item, value, share %, detail): totals and times, category (inferred categories
listed apart, marked 推断/inferred), status, month, owner, tier, SLA breaches, open complaints
by age, repeat complainers, recurring phrases, the open complaints themselves, and rows whose
status could not be read. Charts show complaints by category and by month.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Literal, TypeVar

from toolkit.i18n import label, say
from toolkit.models.complaint_settings import ComplaintStatus
from toolkit.plan import ChartSeries, ChartSpec, Highlight, Plan, WriteSheet
from toolkit.routines.cell_values import text_of, texts_of
from toolkit.routines.complaint_labels import (
    HEADER,
    ITEMS,
    NO_OWNER,
    SECTIONS,
    UNKNOWN,
    UNKNOWN_CUSTOMER,
    age_label,
    summary_text,
)
from toolkit.routines.complaint_stats import ComplaintRecord, complaint_records
from toolkit.routines.complaint_summary import ComplaintFigures, complaint_figures
from toolkit.routines.complaint_text import category_label, status_label
from toolkit.routines.scores import customer_scores
from toolkit.steps import StepContext
from toolkit.table import CellValue, Lang, Table, has_value

K = TypeVar("K")
Row = tuple[CellValue, ...]
WIDTHS = (18.0, 30.0, 12.0, 12.0, 60.0)


def complaint_step(ctx: StepContext) -> Plan:
    """Complaint Summary sheet, highlights on unreadable statuses, findings and counts.

    Example: 12 complaints, 5 open, one status "挂起" give counts {"complaints.total": 12,
    "complaints.open": 5, ...}, a finding at Complaints!F9 and that cell highlighted "review".
    """
    table = ctx.workbook.table("complaints")
    if table is None:
        return Plan(counts={"complaints.total": 0})
    reading = complaint_records(ctx)
    figures = summarize(ctx, reading.records)
    sheet = summary_sheet(figures, reading.records, ctx, [f.where for f in reading.findings])
    unreadable = tuple((f.row, f.column) for f in reading.findings)
    highlight = Highlight(table.sheet, "review", unreadable)
    counts = {
        "complaints.total": figures.total,
        "complaints.open": figures.open_total,
        "complaints.sla_breaches": figures.sla_breaches,
        "complaints.inferred": sum(n for (_, inferred), n in figures.by_category if inferred),
        "complaints.findings": len(reading.findings),
    }
    return Plan((sheet, highlight), reading.findings, counts)


def summarize(ctx: StepContext, records: Sequence[ComplaintRecord]) -> ComplaintFigures:
    """The figures of the run's complaints (tiers from scoring, owners from customers).

    Example: `summarize(ctx, complaint_records(ctx).records).open_total` -> 5.
    """
    customers = ctx.workbook.customers
    scores = customer_scores(ctx)
    owners = _row_texts(customers, "owner", records)

    def tier_of(row: int) -> str:
        score = scores.get(row)
        return score.tier_label if score is not None else ""

    return complaint_figures(
        records,
        settings=ctx.settings.complaints,
        as_of=ctx.as_of,
        customers=customers.count_records(),
        orders=_orders(ctx.workbook.table("transactions")),
        tier_of=tier_of,
        owner_of=lambda row: owners.get(row, ""),
    )


def summary_sheet(
    figures: ComplaintFigures,
    records: Sequence[ComplaintRecord],
    ctx: StepContext,
    problems: Sequence[str],
) -> WriteSheet:
    """The Complaint Summary sheet: written summary first, then one section per breakdown.

    Example rows: ("Summary", "6 complaints this month (2025-06), up 100% ..."), then
    ("By category", "Delivery (inferred)", 2, 16.7), ("By month", "2025-06", 6), ...
    """
    lang = ctx.lang
    names = _row_texts(ctx.workbook.customers, "name", records)
    rows: list[Row] = [(say(SECTIONS["summary"], lang), summary_text(figures, lang, ctx.as_of))]
    charts: list[ChartSpec] = []
    for key, items in _sections(figures, records, ctx, names, problems):
        if not items:
            continue
        rows.append(())
        first = len(rows) + 2  # sheet row of the section's first item (header on row 1)
        rows.extend((say(SECTIONS[key], lang), *item) for item in items)
        if key in ("category", "month"):
            charts.append(_chart(key, first, len(rows) + 1, lang, len(charts)))
    header = tuple(say(text, lang) for text in HEADER)
    padded = tuple(row + (None,) * (len(header) - len(row)) for row in rows)
    return WriteSheet(
        "complaint_summary",
        label("complaint_summary", lang),
        header,
        padded,
        column_widths=WIDTHS,
        charts=tuple(charts),
    )


def _sections(
    f: ComplaintFigures,
    records: Sequence[ComplaintRecord],
    ctx: StepContext,
    names: dict[int, str],
    problems: Sequence[str],
) -> list[tuple[str, list[Row]]]:
    """Each section's key and rows (item, value, share %, detail), in sheet order."""
    lang, total = ctx.lang, f.total
    problem = say(ITEMS["status_problem"], lang)
    return [
        ("totals", _totals(f, lang)),
        ("category", _shares(f.by_category, total, lambda k: _category(k, lang))),
        ("status", _shares(f.by_status, total, lambda s: _status(s, lang))),
        ("month", [(month, n) for month, n in f.by_month]),
        ("owner", _shares(f.by_owner, total, lambda o: o or say(NO_OWNER, lang))),
        ("tier", _shares(f.by_tier, total, lambda t: t or say(UNKNOWN_CUSTOMER, lang))),
        ("sla", [(category_label(c, lang), n) for c, n in f.sla_by_category]),
        ("age", [(age_label(low, high, lang), n) for low, high, n in f.open_by_age]),
        ("repeat", _repeaters(f, names)),
        ("phrases", [(phrase, n) for phrase, n in f.phrases]),
        ("open", _open_listing(records, ctx, names)),
        ("problems", [(where, None, None, problem) for where in problems]),
    ]


def _totals(f: ComplaintFigures, lang: Lang) -> list[Row]:
    inferred = sum(n for (_, was_inferred), n in f.by_category if was_inferred)
    unknown = sum(n for status, n in f.by_status if status is None)
    values: list[tuple[str, CellValue]] = [
        ("total", f.total),
        ("open", f.open_total),
        ("breaches", f.sla_breaches),
        ("inferred", inferred),
        ("unknown_status", unknown),
        ("undated", f.undated),
        ("per_100_customers", f.per_100_customers),
        ("per_1000_orders", f.per_1000_orders),
        ("resolution_median", f.resolution_median),
        ("resolution_p90", f.resolution_p90),
        ("first_response_median", f.first_response_median),
    ]
    return [(say(ITEMS[key], lang), value) for key, value in values if value is not None]


def _shares(items: Sequence[tuple[K, int]], total: int, name: Callable[[K], str]) -> list[Row]:
    """(name, count, share %) rows of a breakdown."""
    return [(name(key), n, round(n / total * 100, 1) if total else None) for key, n in items]


def _category(key: tuple[str, bool], lang: Lang) -> str:
    return category_label(key[0], lang, inferred=key[1])


def _status(status: ComplaintStatus | None, lang: Lang) -> str:
    return status_label(status, lang) if status is not None else say(UNKNOWN, lang)


def _repeaters(f: ComplaintFigures, names: dict[int, str]) -> list[Row]:
    return [
        (names.get(r.customer_row) or f"#{r.customer_row}", r.count, None,
         r.last_date.isoformat() if r.last_date else None)
        for r in f.repeat_complainers
    ]  # fmt: skip


def _open_listing(
    records: Sequence[ComplaintRecord], ctx: StepContext, names: dict[int, str]
) -> list[Row]:
    """Open complaints, oldest first: id, age in days, and what they are about."""
    lang, settings = ctx.lang, ctx.settings.complaints
    listed = sorted(
        (r for r in records if r.is_open),
        key=lambda r: (r.opened or date.max, r.row),
    )
    rows: list[Row] = []
    for r in listed:
        age = (ctx.as_of - r.opened).days if r.opened else None
        customer = names.get(r.customer_row, "") if r.customer_row else r.customer
        status = _status(r.status, lang)
        sla = settings.sla_for(r.category)
        late = say(ITEMS["past_sla"], lang) if age is not None and age > sla else ""
        detail = " · ".join(
            part
            for part in (customer, category_label(r.category, lang, inferred=r.inferred), status,
                         say(ITEMS["sla_days"], lang, days=sla) + late)
            if part
        )  # fmt: skip
        rows.append((r.complaint_id or f"#{r.row}", age, None, detail))
    return rows


def _chart(key: str, first: int, last: int, lang: Lang, index: int) -> ChartSpec:
    title = say(SECTIONS[key], lang)
    series = (ChartSeries(say(HEADER[2], lang), 3, first, last),)
    kind: Literal["bar", "column"] = "bar" if key == "category" else "column"
    return ChartSpec(kind, title, f"G{2 + index * 18}", 2, series)


def _row_texts(customers: Table, field: str, records: Sequence[ComplaintRecord]) -> dict[int, str]:
    """A field's text on the (non-blank) customer rows the complaints point at.

    Only those rows: a million customers are not read twice for a few thousand complaints.
    """
    column = customers.column(field)
    texts: dict[int, str] = {}
    for record in records:
        row = record.customer_row
        offset = -1 if row is None else row - customers.first_row
        if row is None or row in texts or not 0 <= offset < len(customers.rows):
            continue
        cells = customers.rows[offset]
        if has_value(cells):
            texts[row] = text_of(cells[column.index - 1] if column is not None else None)
    return texts


def _orders(table: Table | None) -> int | None:
    """Orders on the transactions sheet: distinct order ids, else order rows."""
    if table is None:
        return None
    column = table.column("order_id")
    if column is not None:
        # A blank row's id is blank too, and blank ids are left out: no row test needed.
        ids = set(texts_of(list(map(itemgetter(column.index - 1), table.rows))))
        return len(ids - {""})
    return table.count_records()
