"""Customer scores: RFM, segment, value tier and churn risk per customer, and the score step.

`customer_scores(ctx)` is what other steps (tagging, follow-ups) read: a mapping from customer
sheet row to a `CustomerScore`, computed once per run. It holds its results column by column
and builds a `CustomerScore` only when one is asked for, so scoring a million customers never
creates a million objects. `score_step` writes the RFM, Segment, Tier, Churn Risk, Churn Level
and Churn Reason columns and the Tiers summary sheet.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from toolkit.i18n import Text, label, say
from toolkit.models.scoring_settings import ScoringSettings
from toolkit.models.segment_maps import Segment
from toolkit.plan import Finding, Plan, SetColumn
from toolkit.routines.churn import (
    CHURN_LEVELS,
    ChurnInputs,
    ChurnLevel,
    ChurnRisk,
    churn_risk,
    level_labels,
)
from toolkit.routines.columns import (
    BoolArray,
    FloatArray,
    IntArray,
    date_days,
    day_number,
    occupied_rows,
)
from toolkit.routines.purchases import Purchases, occupied_customers, purchases
from toolkit.routines.rfm import (
    amount_scores,
    assign_segments,
    days_since,
    high_low,
    recency_scores,
    rfm_codes,
    split_threshold,
)
from toolkit.routines.tier_summary import tiers_sheet
from toolkit.routines.tiers import TIER_KEYS, TierKey, tier_labels, value_tiers
from toolkit.steps import StepContext
from toolkit.table import CellValue, Lang, Table

NO_PURCHASE_DATA = Text(
    "No purchase data: scores need a last purchase date, purchase count or total amount "
    "column (最近购买日期, 购买次数, 累计消费) or an orders sheet",
    "没有购买数据：评分需要“最近购买日期”“购买次数”“累计消费”列之一，或一张订单表",
)


@dataclass(frozen=True)
class CustomerScore:
    """One customer's scores; `segment` and `tier_label` are in the run's language.

    >>> CustomerScore(5, 4, 5, "545", "Champions", "high", "High", 3, "low", "").rfm
    '545'
    """

    r: int
    f: int
    m: int
    rfm: str
    segment: str
    tier: TierKey
    tier_label: str
    churn_risk: int
    churn_level: ChurnLevel
    churn_reason: str


@dataclass(frozen=True, eq=False)  # compared as a mapping, not array by array
class ScoreBook(Mapping[int, CustomerScore]):
    """Every customer's scores by customer sheet row, kept as columns (position = row offset)."""

    first_row: int
    occupied: BoolArray
    r: IntArray
    f: IntArray
    m: IntArray
    rfm: list[str]
    segment: IntArray  # index into `segments`
    segments: tuple[Segment, ...]
    tier: IntArray  # index into TIER_KEYS
    tier_names: tuple[str, str, str]
    churn: ChurnRisk
    spent: FloatArray  # the amount each customer spent (0 when unknown)
    lang: Lang

    def __getitem__(self, row: int) -> CustomerScore:
        at = row - self.first_row
        if not 0 <= at < len(self.occupied) or not self.occupied[at]:
            raise KeyError(row)
        tier = int(self.tier[at])
        return CustomerScore(
            int(self.r[at]),
            int(self.f[at]),
            int(self.m[at]),
            self.rfm[at],
            self.segments[int(self.segment[at])].label(self.lang),
            TIER_KEYS[tier],
            self.tier_names[tier],
            int(self.churn.risk[at]),
            CHURN_LEVELS[int(self.churn.level[at])],
            self.churn.reasons[at],
        )

    def __iter__(self) -> Iterator[int]:
        return iter((np.flatnonzero(self.occupied) + self.first_row).tolist())

    def __len__(self) -> int:
        return int(self.occupied.sum())


def customer_scores(ctx: StepContext) -> ScoreBook:
    """Scores of every customer by sheet row, computed once per run ("scores").

    >>> from toolkit.models.settings import Settings
    >>> from toolkit.table import Column, RawWorkbook, Workbook
    >>> t = Table("C", "customers", 1, (Column(1, "Total", "total_amount"),), ((5.0,), (9.0,)))
    >>> book = Workbook(RawWorkbook("x", ()), {"customers": t}, "en")
    >>> scores = customer_scores(StepContext(book, Settings(), date(2025, 6, 30), "en"))
    >>> scores[3].m, scores[3].tier, scores[2].m
    (5, 'high', 1)
    """

    def compute() -> ScoreBook:
        customers = ctx.workbook.customers
        complaints = _complaints_in_window(ctx)
        return score_customers(
            customers,
            purchases(ctx),
            ctx.settings.scoring,
            ctx.as_of,
            ctx.lang,
            complaints=complaints,
            day_first=ctx.settings.validation.day_first,
            occupied=occupied_customers(ctx),
        )

    return ctx.remember("scores", compute)


def score_customers(
    customers: Table,
    bought: Purchases,
    settings: ScoringSettings,
    as_of: date,
    lang: Lang,
    *,
    complaints: FloatArray | None = None,
    day_first: bool = False,
    occupied: BoolArray | None = None,
) -> ScoreBook:
    """Score a customer table from its purchases (pure: everything it needs is passed in).

    `complaints` holds each data row's complaints within the churn complaint window;
    `occupied` the rows with anything in them (worked out here when not given).
    """
    occupied = occupied_rows(customers) if occupied is None else occupied
    today = day_number(as_of)
    days = np.where(occupied, days_since(bought.last, today), np.nan)
    count = np.where(occupied, bought.count, np.nan)
    spent = np.where(occupied, bought.amount, np.nan)
    r, f, m = recency_scores(days), amount_scores(count), amount_scores(spent)
    segment_map = settings.segment_map()
    if segment_map.basis == "scores":
        segment = assign_segments(segment_map, r, f, m)
    else:
        segment = assign_segments(segment_map, *_high_low_levels(days, count, spent, settings))
    contact = date_days(customers.values("last_contact_date"), day_first=day_first)
    no_complaints = np.zeros(len(occupied))
    inputs = ChurnInputs(
        days,
        bought.rhythm,
        no_complaints if complaints is None else complaints,
        days_since(contact, today),
        bought.trend,
    )
    return ScoreBook(
        customers.first_row, occupied, r, f, m, rfm_codes(r, f, m),
        segment, segment_map.segments,
        value_tiers(spent, settings.tiers), tier_labels(settings.tiers, lang),
        churn_risk(inputs, settings.churn, lang), np.nan_to_num(spent), lang,
    )  # fmt: skip


def _high_low_levels(
    days: FloatArray, count: FloatArray, spent: FloatArray, settings: ScoringSettings
) -> tuple[IntArray, IntArray, IntArray]:
    split, q = settings.split, settings.split_quantile
    return (
        high_low(days, split_threshold(days, split, q), lower_is_better=True),
        high_low(count, split_threshold(count, split, q)),
        high_low(spent, split_threshold(spent, split, q)),
    )


def _complaints_in_window(ctx: StepContext) -> FloatArray | None:
    """Each customer row's complaints within the churn window (None without complaints)."""
    if ctx.workbook.table("complaints") is None:
        return None
    from toolkit.routines.complaint_stats import customer_complaints

    customers = ctx.workbook.customers
    window = ctx.settings.scoring.churn.complaint_window_days
    result = np.zeros(len(customers.rows))
    for row, stats in customer_complaints(ctx).items():
        # The window includes its first day, as "within 90 days" does in tag rules.
        recent = sum(1 for day in stats.dates if 0 <= (ctx.as_of - day).days <= window)
        if 0 <= row - customers.first_row < len(result):
            result[row - customers.first_row] = recent
    return result


def score_step(ctx: StepContext) -> Plan:
    """Write RFM, segment, tier and churn risk columns and the Tiers summary sheet.

    Example: `custkit run 客户.xlsx --steps score` runs this for the workbook's customers.
    """
    book = customer_scores(ctx)
    table, lang = ctx.workbook.customers, ctx.lang
    blank = ~book.occupied
    tier_names = np.array(book.tier_names, dtype=object)
    segment_names = np.array([s.label(lang) for s in book.segments], dtype=object)
    level_names = np.array(level_labels(lang), dtype=object)
    columns: list[tuple[str, Sequence[CellValue], str | None]] = [
        ("rfm", book.rfm, None),
        ("segment", segment_names[book.segment].tolist(), None),
        ("tier", tier_names[book.tier].tolist(), None),
        ("churn_risk", book.churn.risk.tolist(), "0"),
        ("churn_level", level_names[book.churn.level].tolist(), None),
        ("churn_reason", [reason or None for reason in book.churn.reasons], None),
    ]
    changes = [_column(table, key, values, blank, lang, fmt) for key, values, fmt in columns]
    bought = purchases(ctx)
    return Plan(
        (*changes, tiers_sheet(book, lang)),
        _findings(table, bought, lang),
        _counts(book, bought),
    )


def _column(
    table: Table,
    key: str,
    values: Sequence[CellValue],
    blank: BoolArray,
    lang: Lang,
    number_format: str | None,
) -> SetColumn:
    cells = list(values)
    for at in np.flatnonzero(blank).tolist():
        cells[at] = None
    return SetColumn(
        table.sheet,
        key,
        label(key, lang),
        table.header_row,
        table.first_row,
        tuple(cells),
        number_format,
    )


def _findings(table: Table, bought: Purchases, lang: Lang) -> tuple[Finding, ...]:
    fields = ("last_purchase_date", "purchase_count", "total_amount")
    if bought.source == "transactions" or any(table.has(f) for f in fields):
        return ()
    message = say(NO_PURCHASE_DATA, lang)
    return (
        Finding(
            table.sheet,
            table.header_row,
            1,
            "total_amount",
            None,
            "score_no_purchase_data",
            message,
            None,
            "warning",
        ),
    )


def _counts(book: ScoreBook, bought: Purchases) -> dict[str, int]:
    scored = book.occupied
    counts = {"score.customers": len(book)}
    for index, key in enumerate(TIER_KEYS):
        counts[f"score.tier_{key}"] = int(((book.tier == index) & scored).sum())
    for index, level in enumerate(CHURN_LEVELS):
        counts[f"score.churn_{level}"] = int(((book.churn.level == index) & scored).sum())
    if bought.source == "transactions":
        counts["score.orders_linked"] = bought.orders_linked
        counts["score.orders_unlinked"] = bought.orders_unlinked
    return counts


__all__ = ["CustomerScore", "ScoreBook", "customer_scores", "score_customers", "score_step"]
