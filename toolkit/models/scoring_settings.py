"""Settings of the score step: where purchases come from, segments, value tiers, churn risk.

    [scoring]
    source = "auto"          # transactions sheet when there is one, else the customer columns
    scheme = "cn8"           # rf10 (10 R×F segments), cn8 (重要价值客户...), custom
    split = "median"         # cn8: high/low against the mean, the median or split_quantile
    [scoring.tiers]
    method = "thresholds"    # revenue_share (ABC), pareto (top customers), thresholds
    high_amount = 50000
    medium_amount = 10000
    labels = "letters"       # A/B/C instead of high/medium/low
    [scoring.churn]
    high = 60                # risk from which the level is "high"

Each value can also be set from the settings sheet: `scoring.tiers.method` | `pareto`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from toolkit.models.section import Section
from toolkit.models.segment_maps import BUILTIN_MAPS, SegmentMap


class TierSettings(Section):
    """How customers are put in value tiers by the amount they spent.

    - revenue_share (ABC analysis): the biggest customers who together make the first
      `revenue_shares[0]` of revenue are high, those up to `revenue_shares[1]` medium.
    - pareto: the top `customer_shares[0]` of customers by amount are high, up to
      `customer_shares[1]` medium (the 80/20 rule: 0.2).
    - thresholds: amount >= high_amount is high, >= medium_amount medium.
    Customers with equal amounts always share a tier; nothing spent is always low.

    >>> TierSettings().revenue_shares
    (0.8, 0.95)
    """

    method: Literal["revenue_share", "pareto", "thresholds"] = "revenue_share"
    revenue_shares: tuple[float, float] = (0.8, 0.95)
    customer_shares: tuple[float, float] = (0.2, 0.5)
    high_amount: float | None = Field(None, gt=0)
    medium_amount: float | None = Field(None, gt=0)
    labels: Literal["words", "letters"] = "words"

    @model_validator(mode="after")
    def _consistent(self) -> TierSettings:
        problems = []
        for name in ("revenue_shares", "customer_shares"):
            first, second = getattr(self, name)
            if not 0 < first <= second <= 1:
                problems.append(f"{name} must rise within (0, 1], e.g. [0.8, 0.95]")
        if self.method == "thresholds":
            if self.high_amount is None or self.medium_amount is None:
                problems.append("method 'thresholds' needs high_amount and medium_amount")
            elif self.medium_amount > self.high_amount:
                problems.append("medium_amount must not be above high_amount")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class ChurnSettings(Section):
    """Points of the churn-risk score (0-100, capped) and the levels it is read by.

    Recency earns points once the days since the last purchase pass the customer's usual
    interval, in full at `overdue_full` times that interval. Falling orders and spending
    (transactions sheet only) compare the last `trend_window_days` with the window before.
    Complaints count within `complaint_window_days`, `complaint_points` each... up to
    `complaint_points_max`. No contact earns points past `contact_gap_days`, in full at twice.

    >>> ChurnSettings().high
    60
    """

    medium: int = Field(30, ge=1, le=100)
    high: int = Field(60, ge=1, le=100)
    recency_points: int = Field(70, ge=0, le=100)
    frequency_points: int = Field(15, ge=0, le=100)
    amount_points: int = Field(10, ge=0, le=100)
    complaint_points: int = Field(10, ge=0, le=100)
    complaint_points_max: int = Field(20, ge=0, le=100)
    contact_points: int = Field(10, ge=0, le=100)
    overdue_full: float = Field(4.0, gt=1)
    default_rhythm_days: int = Field(90, ge=1)  # when no customer's interval is known
    trend_window_days: int = Field(180, ge=7)
    complaint_window_days: int = Field(90, ge=1)
    contact_gap_days: int = Field(90, ge=1)

    @model_validator(mode="after")
    def _levels_rise(self) -> ChurnSettings:
        if self.medium >= self.high:
            raise ValueError(f"medium ({self.medium}) must be below high ({self.high})")
        return self


class ScoringSettings(Section):
    """Settings of RFM scores, segments, value tiers and churn risk.

    >>> ScoringSettings(scheme="cn8").segment_map().segments[0].zh
    '重要价值客户'
    """

    source: Literal["auto", "columns", "transactions"] = "auto"
    scheme: Literal["rf10", "cn8", "custom"] = "rf10"
    custom_map: SegmentMap | None = None
    split: Literal["mean", "median", "quantile"] = "mean"
    split_quantile: float = Field(0.5, gt=0, lt=1)
    tiers: TierSettings = Field(default_factory=TierSettings)
    churn: ChurnSettings = Field(default_factory=ChurnSettings)

    @model_validator(mode="after")
    def _custom_map_given(self) -> ScoringSettings:
        if self.scheme == "custom" and self.custom_map is None:
            raise ValueError("scheme 'custom' needs [scoring.custom_map] with its segments")
        if self.scheme != "custom" and self.custom_map is not None:
            raise ValueError("custom_map is set but unused; set scheme = 'custom'")
        return self

    def segment_map(self) -> SegmentMap:
        """The map in use: a built-in one or the custom one."""
        if self.scheme == "custom" and self.custom_map is not None:
            return self.custom_map
        return BUILTIN_MAPS[self.scheme]
