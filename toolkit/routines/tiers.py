"""Value tiers (high/medium/low or A/B/C) from the amount each customer spent.

Every method turns into two amount thresholds, so customers with equal amounts always share a
tier and a bigger spender is never in a lower tier. Customers who spent nothing (or whose
amount is unreadable) are low.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from toolkit.i18n import Text, say
from toolkit.models.scoring_settings import TierSettings
from toolkit.routines.columns import FloatArray, IntArray
from toolkit.table import Lang

TierKey = Literal["high", "medium", "low"]
TIER_KEYS: tuple[TierKey, ...] = ("high", "medium", "low")
HIGH_TIER, MEDIUM_TIER, LOW_TIER = 0, 1, 2
TIER_WORDS = (Text("High", "高价值"), Text("Medium", "中价值"), Text("Low", "低价值"))
TIER_LETTERS = ("A", "B", "C")


def tier_labels(settings: TierSettings, lang: Lang) -> tuple[str, str, str]:
    """The labels of the high, medium and low tiers in `lang`.

    >>> tier_labels(TierSettings(), "zh"), tier_labels(TierSettings(labels="letters"), "en")
    (('高价值', '中价值', '低价值'), ('A', 'B', 'C'))
    """
    if settings.labels == "letters":
        return TIER_LETTERS
    high, medium, low = (say(text, lang) for text in TIER_WORDS)
    return high, medium, low


def value_tiers(amount: FloatArray, settings: TierSettings) -> IntArray:
    """Each customer's tier: HIGH_TIER (0), MEDIUM_TIER (1) or LOW_TIER (2).

    >>> amounts = np.array([8000.0, 1000, 500, 300, 200, 0, np.nan])
    >>> value_tiers(amounts, TierSettings()).tolist()
    [0, 1, 1, 2, 2, 2, 2]
    """
    spent = np.where(np.isnan(amount), 0.0, amount)
    high_from, medium_from = tier_thresholds(spent, settings)
    tiers = np.full(len(spent), LOW_TIER, dtype=np.int64)
    bought = spent > 0
    tiers[bought & (spent >= medium_from)] = MEDIUM_TIER
    tiers[bought & (spent >= high_from)] = HIGH_TIER
    return tiers


def tier_thresholds(spent: FloatArray, settings: TierSettings) -> tuple[float, float]:
    """The smallest amounts of the high and the medium tier under the settings' method.

    >>> tier_thresholds(np.array([50.0, 30, 10, 10]), TierSettings(method="pareto"))
    (50.0, 30.0)
    """
    if settings.method == "thresholds":
        return float(settings.high_amount or 0), float(settings.medium_amount or 0)
    positive = np.sort(spent[spent > 0])[::-1]
    if positive.size == 0:
        return float("inf"), float("inf")
    if settings.method == "pareto":
        high, medium = (_top_share(positive, share) for share in settings.customer_shares)
    else:
        high, medium = (_revenue_share(positive, share) for share in settings.revenue_shares)
    return high, medium


def _top_share(descending: FloatArray, share: float) -> float:
    """The amount of the last customer inside the top `share` of customers (at least one)."""
    inside = max(1, int(np.floor(share * descending.size + 1e-9)))
    return float(descending[inside - 1])


def _revenue_share(descending: FloatArray, share: float) -> float:
    """The smallest amount among the biggest customers needed to reach `share` of revenue.

    Customers with the same amount go in together: a group is in when the revenue of every
    bigger customer is still short of the share.
    """
    distinct, equal = np.unique(descending, return_counts=True)
    distinct, equal = distinct[::-1], equal[::-1]
    group_revenue = distinct * equal
    before = np.cumsum(group_revenue) - group_revenue
    # A relative margin, so a share met exactly (0.8 of 10,000 = 8,000) is not missed by a bit.
    inside = before < share * float(group_revenue.sum()) * (1 - 1e-9)
    inside[0] = True  # the biggest customers are always in
    return float(distinct[inside][-1])
