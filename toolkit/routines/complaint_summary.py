"""Complaint figures: counts by category, status, month, owner and tier; times; SLA; rates.

Everything is computed from `ComplaintRecord`s and the run's `as_of`, so the figures can be
checked against an independent count over the sheet. Resolution times are whole days from
receipt to resolution; the 90th percentile is Excel's PERCENTILE.INC (linear between ranks),
so staff get the same number with a formula. A complaint breaches its SLA when it was resolved,
or is still open on `as_of`, more than its category's SLA days after it came in.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from toolkit.models.complaint_settings import STATUS_FLOW, ComplaintSettings, ComplaintStatus
from toolkit.routines.complaint_stats import ComplaintRecord, by_customer
from toolkit.routines.complaint_text import top_phrases

CategoryKey = tuple[str, bool]  # (category, inferred)


@dataclass(frozen=True)
class RepeatComplainer:
    customer_row: int
    count: int
    last_date: date | None


@dataclass(frozen=True)
class ComplaintFigures:
    """Every figure of the Complaint Summary sheet."""

    total: int
    by_category: tuple[tuple[CategoryKey, int], ...]  # most first; inferred apart from recorded
    by_status: tuple[tuple[ComplaintStatus | None, int], ...]  # flow order, unknown (None) last
    by_month: tuple[tuple[str, int], ...]  # "2025-06", every month from first to last
    undated: int
    by_owner: tuple[tuple[str, int], ...]  # most first; "" for no owner
    by_tier: tuple[tuple[str, int], ...]  # tier label, "" for complaints naming no customer
    resolution_median: float | None  # days
    resolution_p90: float | None
    first_response_median: float | None
    sla_breaches: int
    sla_by_category: tuple[tuple[str, int], ...]
    open_total: int
    open_by_age: tuple[tuple[int, int | None, int], ...]  # (from day, to day or None, count)
    open_breaches: int
    per_100_customers: float
    per_1000_orders: float | None  # None without a transactions sheet
    repeat_complainers: tuple[RepeatComplainer, ...]
    phrases: tuple[tuple[str, int], ...]
    this_month: int
    last_month: int
    month_top: tuple[str, int] | None  # (category, count) of this month, recorded + inferred


def percentile_inc(values: Sequence[float], q: float) -> float | None:
    """Excel's PERCENTILE.INC: linear interpolation between the closest ranks.

    >>> percentile_inc([1, 2, 3, 4, 10], 0.9), percentile_inc([5], 0.9), percentile_inc([], 0.5)
    (7.6, 5.0, None)
    """
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return round(float(value), 6)


def is_breach(record: ComplaintRecord, sla_days: int, as_of: date) -> bool:
    """Resolved, or still open on `as_of`, more than `sla_days` after it came in.

    Example: received 2025-04-15, resolved 2025-04-25, SLA 5 days: a breach (10 days).
    """
    if record.opened is None:
        return False
    if record.is_open:
        return (as_of - record.opened).days > sla_days
    return record.resolved is not None and (record.resolved - record.opened).days > sla_days


def complaint_figures(
    records: Sequence[ComplaintRecord],
    *,
    settings: ComplaintSettings,
    as_of: date,
    customers: int,
    orders: int | None,
    tier_of: Callable[[int], str],
    owner_of: Callable[[int], str],
) -> ComplaintFigures:
    """The figures of a set of complaints on `as_of`.

    `tier_of` and `owner_of` give a customer row's tier label and owner (complaints without
    an owner of their own count under their customer's owner). Example: resolution times of
    [2, 3, 3, 4, 10, 10] days give a median of 3.5 and a 90th percentile of 10.
    """
    resolution = [d for r in records if (d := r.resolution_days()) is not None]
    first_response = [
        (r.first_response - r.opened).days
        for r in records
        if r.first_response and r.opened and r.first_response >= r.opened
    ]
    breaches = [r for r in records if is_breach(r, settings.sla_for(r.category), as_of)]
    open_records = [r for r in records if r.is_open]
    this_month, last_month = _month_records(records, as_of)
    return ComplaintFigures(
        total=len(records),
        by_category=_ranked(Counter((r.category, r.inferred) for r in records), settings),
        by_status=_statuses(records),
        by_month=_months(records),
        undated=sum(1 for r in records if r.opened is None),
        by_owner=_most_first(Counter(r.owner or _customer_owner(r, owner_of) for r in records)),
        by_tier=_most_first(Counter(_tier(r, tier_of) for r in records)),
        resolution_median=_median(resolution),
        resolution_p90=percentile_inc(resolution, 0.9),
        first_response_median=_median(first_response),
        sla_breaches=len(breaches),
        sla_by_category=_most_first(Counter(r.category for r in breaches)),
        open_total=len(open_records),
        open_by_age=_age_buckets(open_records, settings.age_buckets, as_of),
        open_breaches=sum(1 for r in breaches if r.is_open),
        per_100_customers=_rate(len(records), customers, 100),
        per_1000_orders=_rate(len(records), orders, 1000) if orders is not None else None,
        repeat_complainers=_repeaters(records, settings.repeat_threshold),
        phrases=tuple(_phrases(records, settings)),
        this_month=len(this_month),
        last_month=len(last_month),
        month_top=_top_category(this_month, settings),
    )


def _ranked(
    counts: Counter[CategoryKey], settings: ComplaintSettings
) -> tuple[tuple[CategoryKey, int], ...]:
    order = {key: i for i, key in enumerate(settings.categories)}
    ranked = sorted(
        counts.items(),
        key=lambda item: (-item[1], order.get(item[0][0], len(order)), item[0][0], item[0][1]),
    )
    return tuple(ranked)


def _statuses(records: Iterable[ComplaintRecord]) -> tuple[tuple[ComplaintStatus | None, int], ...]:
    counts = Counter(r.status for r in records)
    flow: list[ComplaintStatus | None] = [*STATUS_FLOW, None]
    return tuple((status, counts[status]) for status in flow if counts[status])


def _months(records: Iterable[ComplaintRecord]) -> tuple[tuple[str, int], ...]:
    counts = Counter((r.opened.year, r.opened.month) for r in records if r.opened)
    if not counts:
        return ()
    (year, month), last = min(counts), max(counts)
    months = []
    while (year, month) <= last:
        months.append((f"{year:04d}-{month:02d}", counts[(year, month)]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def _month_records(
    records: Sequence[ComplaintRecord], as_of: date
) -> tuple[list[ComplaintRecord], list[ComplaintRecord]]:
    """Complaints of as_of's month (up to as_of) and of the whole month before."""
    previous = (as_of.year - 1, 12) if as_of.month == 1 else (as_of.year, as_of.month - 1)
    this = [
        r
        for r in records
        if r.opened and (r.opened.year, r.opened.month) == (as_of.year, as_of.month)
        and r.opened <= as_of
    ]  # fmt: skip
    last = [r for r in records if r.opened and (r.opened.year, r.opened.month) == previous]
    return this, last


def _top_category(
    records: Sequence[ComplaintRecord], settings: ComplaintSettings
) -> tuple[str, int] | None:
    counts = Counter(r.category for r in records)
    if not counts:
        return None
    order = {key: i for i, key in enumerate(settings.categories)}
    return min(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0]))


def _age_buckets(
    open_records: Sequence[ComplaintRecord], bounds: Sequence[int], as_of: date
) -> tuple[tuple[int, int | None, int], ...]:
    edges: list[tuple[int, int | None]] = []
    start = 0
    for bound in bounds:
        edges.append((start, bound))
        start = bound + 1
    edges.append((start, None))
    ages = [(as_of - r.opened).days for r in open_records if r.opened]
    return tuple(
        (low, high, sum(1 for age in ages if age >= low and (high is None or age <= high)))
        for low, high in edges
    )


def _repeaters(records: Sequence[ComplaintRecord], threshold: int) -> tuple[RepeatComplainer, ...]:
    repeaters = [
        RepeatComplainer(row, c.count, c.last_date)
        for row, c in by_customer(tuple(records)).items()
        if c.count >= threshold
    ]
    repeaters.sort(key=lambda r: (-r.count, -(r.last_date or date.min).toordinal(), r.customer_row))
    return tuple(repeaters)


def _phrases(
    records: Sequence[ComplaintRecord], settings: ComplaintSettings
) -> list[tuple[str, int]]:
    keywords = [word for words in settings.keywords.values() for word in words]
    texts = [r.description for r in records if r.description]
    return top_phrases(
        texts, keywords=keywords, stop_words=settings.stop_words, limit=settings.top_phrases
    )


def _customer_owner(record: ComplaintRecord, owner_of: Callable[[int], str]) -> str:
    return owner_of(record.customer_row) if record.customer_row is not None else ""


def _tier(record: ComplaintRecord, tier_of: Callable[[int], str]) -> str:
    return tier_of(record.customer_row) if record.customer_row is not None else ""


def _most_first(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _rate(count: int, base: int | None, per: int) -> float:
    return round(count / base * per, 2) if base else 0.0
