"""Churn risk 0-100 with a level and a reason in words, computed column by column.

Points (defaults in ChurnSettings), summed and capped at 100:

- recency: days since the last purchase against the customer's own usual interval (or the
  typical customer's, when the customer bought fewer than twice): nothing until the interval
  has passed, all 70 points at 4 times the interval;
- falling orders and falling spending (transactions sheet only): the last 180 days against the
  180 before, up to 15 and 10 points in proportion to the fall (spending only while the
  customer still orders: stopping altogether is the fall in orders);
- complaints in the last 90 days: 10 points each, at most 20;
- no contact for over 90 days: up to 10 points, all of them at 180 days.

The reason names each factor that earned points, in that order:
"no purchase for 210 days, usually every 30; 2 complaints in 90 days".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from toolkit.i18n import Text, say
from toolkit.models.scoring_settings import ChurnSettings
from toolkit.routines.columns import FloatArray, IntArray
from toolkit.routines.purchases import Trend
from toolkit.table import Lang

TextArray = npt.NDArray[np.object_]

ChurnLevel = Literal["low", "medium", "high"]
CHURN_LEVELS: tuple[ChurnLevel, ...] = ("low", "medium", "high")
LEVEL_WORDS = (Text("Low", "低"), Text("Medium", "中"), Text("High", "高"))

OVERDUE_OWN = Text(
    "no purchase for {days} days, usually every {every}",
    "已 {days} 天未购买，平时每 {every} 天一次",
)
OVERDUE_TYPICAL = Text(
    "no purchase for {days} days (customers usually buy every {every})",
    "已 {days} 天未购买（客户一般每 {every} 天购买一次）",
)
FEWER_ORDERS = Text(
    "{recent} orders in the last {window} days, {earlier} in the {window} before",
    "近 {window} 天下单 {recent} 次，此前 {window} 天 {earlier} 次",
)
LESS_SPENDING = Text(
    "spending down {percent}% in the last {window} days", "近 {window} 天消费下降 {percent}%"
)
COMPLAINTS = Text("{count} complaints in {window} days", "{window} 天内投诉 {count} 次")
ONE_COMPLAINT = Text("1 complaint in {window} days", "{window} 天内投诉 1 次")
NO_CONTACT = Text("no contact for {days} days", "已 {days} 天未联系")
SEPARATOR = Text("; ", "；")


@dataclass(frozen=True)
class ChurnInputs:
    """What churn risk looks at, one value per customer (NaN where unknown)."""

    days_since_purchase: FloatArray
    rhythm: FloatArray  # the customer's usual days between purchases
    complaints: FloatArray  # complaints within the complaint window
    days_since_contact: FloatArray
    trend: Trend | None = None  # orders and spending per window (transactions sheet only)


@dataclass(frozen=True)
class ChurnRisk:
    """Risk 0-100, level index into CHURN_LEVELS, and the reason ("" when no risk)."""

    risk: IntArray
    level: IntArray
    reasons: list[str]


def churn_risk(inputs: ChurnInputs, settings: ChurnSettings, lang: Lang) -> ChurnRisk:
    """Score churn risk for every customer.

    >>> inputs = ChurnInputs(*(np.array([x]) for x in (210.0, 30, 2, 10)))
    >>> result = churn_risk(inputs, ChurnSettings(), "en")
    >>> int(result.risk[0]), CHURN_LEVELS[result.level[0]], result.reasons[0]
    (90, 'high', 'no purchase for 210 days, usually every 30; 2 complaints in 90 days')
    """
    parts = [
        _recency(inputs, settings, lang),
        *_trend_parts(inputs.trend, settings, lang),
        _complaints(inputs.complaints, settings, lang),
        _contact(inputs.days_since_contact, settings, lang),
    ]
    total = np.sum([points for points, _ in parts], axis=0)
    risk = np.minimum(np.floor(total + 0.5), 100).astype(np.int64)
    level = np.where(risk >= settings.high, 2, np.where(risk >= settings.medium, 1, 0))
    reasons = _joined([text for _, text in parts], say(SEPARATOR, lang))
    return ChurnRisk(risk, level.astype(np.int64), reasons)


Part = tuple[FloatArray, TextArray]


def _joined(parts: list[TextArray], separator: str) -> list[str]:
    """Each row's non-empty parts joined by the separator, in order (column by column)."""
    joined = parts[0].copy()
    for part in parts[1:]:
        has_part = part != ""
        has_both = has_part & (joined != "")
        joined[has_both] = joined[has_both] + separator + part[has_both]
        only_part = has_part & ~has_both
        joined[only_part] = part[only_part]
    reasons: list[str] = joined.tolist()
    return reasons


def _recency(inputs: ChurnInputs, settings: ChurnSettings, lang: Lang) -> Part:
    own = ~np.isnan(inputs.rhythm)
    known = inputs.rhythm[own]
    typical = float(np.median(known)) if known.size else float(settings.default_rhythm_days)
    expected = np.where(own, inputs.rhythm, typical)
    days = inputs.days_since_purchase
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # clipped to 0..1
        overdue = np.clip((days / expected - 1) / (settings.overdue_full - 1), 0, 1)
    points = np.nan_to_num(overdue) * settings.recency_points
    # Tenths of a day, so a short interval reads "every 1.5" rather than a rounded "every 2".
    days_int, tenths = _whole(days), np.rint(expected * 10).astype(np.int64)

    def words(day: int, every: int, is_own: int) -> str:
        interval = round(every / 10) if every >= 100 or every % 10 == 0 else every / 10
        return say(OVERDUE_OWN if is_own else OVERDUE_TYPICAL, lang, days=day, every=interval)

    return points, _texts(points > 0, (days_int, tenths, own.astype(np.int64)), words)


def _trend_parts(trend: Trend | None, settings: ChurnSettings, lang: Lang) -> list[Part]:
    if trend is None:
        return []
    window = trend.window_days
    with np.errstate(invalid="ignore", divide="ignore"):
        order_fall = np.clip(1 - trend.recent_orders / trend.earlier_orders, 0, 1)
        spend_fall = np.clip(1 - trend.recent_amount / trend.earlier_amount, 0, 1)
    # Spending counts for customers still buying: stopping altogether is the orders' fall.
    spend_fall = np.where(trend.recent_orders > 0, spend_fall, 0.0)
    order_points = np.nan_to_num(order_fall) * settings.frequency_points
    spend_points = np.nan_to_num(spend_fall) * settings.amount_points

    def orders(recent: int, earlier: int) -> str:
        return say(FEWER_ORDERS, lang, recent=recent, earlier=earlier, window=window)

    def spending(percent: int) -> str:
        return say(LESS_SPENDING, lang, percent=percent, window=window)

    recent, earlier = _whole(trend.recent_orders), _whole(trend.earlier_orders)
    percent = np.rint(np.nan_to_num(spend_fall) * 100).astype(np.int64)
    return [
        (order_points, _texts(order_points > 0, (recent, earlier), orders)),
        (spend_points, _texts(spend_points > 0, (percent,), spending)),
    ]


def _complaints(complaints: FloatArray, settings: ChurnSettings, lang: Lang) -> Part:
    count = np.nan_to_num(complaints)
    points = np.minimum(count * settings.complaint_points, settings.complaint_points_max)
    window = settings.complaint_window_days

    def words(number: int) -> str:
        text = ONE_COMPLAINT if number == 1 else COMPLAINTS
        return say(text, lang, count=number, window=window)

    return points, _texts(count > 0, (_whole(count),), words)


def _contact(days: FloatArray, settings: ChurnSettings, lang: Lang) -> Part:
    gap = settings.contact_gap_days
    with np.errstate(invalid="ignore"):
        silent = np.clip((days - gap) / gap, 0, 1)
    points = np.nan_to_num(silent) * settings.contact_points

    def words(day: int) -> str:
        return say(NO_CONTACT, lang, days=day)

    return points, _texts(points > 0, (_whole(days),), words)


def _whole(values: FloatArray) -> IntArray:
    return np.maximum(np.floor(np.nan_to_num(values)), 0).astype(np.int64)


def _texts(where: np.ndarray, keys: tuple[IntArray, ...], words: Callable[..., str]) -> TextArray:
    """`words(*key)` where `where` holds, "" elsewhere; each distinct key is worded once."""
    texts = np.full(len(where), "", dtype=object)
    chosen = np.flatnonzero(where)
    if chosen.size:
        columns = [key[chosen] for key in keys]
        _, first, inverse = np.unique(_combined(columns), return_index=True, return_inverse=True)
        worded = [words(*(int(column[at]) for column in columns)) for at in first.tolist()]
        texts[chosen] = np.array(worded, dtype=object)[inverse.reshape(-1)]
    return texts


def _combined(columns: list[IntArray]) -> IntArray:
    """One int64 per row that differs exactly when some column differs (values are >= 0)."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        # Days and counts stay far below 2**20, so three columns fit in 63 bits.
        combined = combined * (1 << 20) + np.minimum(column, (1 << 20) - 1)
    return combined


def level_labels(lang: Lang) -> tuple[str, str, str]:
    """The churn levels low, medium, high in `lang`."""
    low, medium, high = (say(text, lang) for text in LEVEL_WORDS)
    return low, medium, high
