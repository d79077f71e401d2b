"""Settings of the follow-ups step: which reminders, how often, how far ahead, who is exempt.

    [followups]
    reasons = ["regular", "birthday", "holiday", "complaint_followup", "complaint_overdue",
               "win_back", "welcome", "reclaim"]
    interval_days = {high = 30, medium = 60, low = 90}   # regular follow-up by tier
    horizon_days = 7            # list reminders falling due within a week
    reclaim_days = 120          # 公海: nobody followed up for this long...
    reclaim_no_deal_days = 180  # ...and no deal for this long: back to the pool
    [followups.holidays]        # more occasions, or years past 2030
    "店庆" = [2025-09-09, 2026-09-09]

Each can be set from the settings sheet too: `followups.interval_days.high` | `20`,
`followups.holidays.店庆` | `2025-09-09, 2026-09-09`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, field_validator

from toolkit.models.holidays import BUILTIN_HOLIDAYS
from toolkit.models.section import Section

Reason = Literal[
    "regular",
    "birthday",
    "holiday",
    "complaint_followup",
    "complaint_overdue",
    "win_back",
    "welcome",
    "reclaim",
]
REASONS: tuple[Reason, ...] = get_args(Reason)
Tier = Literal["high", "medium", "low"]
Days = Annotated[int, Field(ge=0, le=3650)]

DEFAULT_INTERVALS: dict[Tier, int] = {"high": 30, "medium": 60, "low": 90}


class FollowupSettings(Section):
    """When each kind of follow-up reminder falls due, and who sees it.

    >>> s = FollowupSettings(interval_days={"high": 14})
    >>> s.interval_days["high"], s.interval_days["low"], "mid_autumn" in s.builtin_holidays
    (14, 90, True)
    """

    reasons: tuple[Reason, ...] = REASONS  # the reminders to give
    interval_days: dict[Tier, Annotated[int, Field(ge=1, le=3650)]] = Field(
        default_factory=lambda: dict(DEFAULT_INTERVALS)
    )
    horizon_days: Days = 7  # list a reminder this many days before it falls due
    birthday_days_ahead: Days = 7
    holiday_days_ahead: Days = 7
    occasion_grace_days: Days = 7  # a missed birthday or holiday is dropped this long after
    holiday_tiers: tuple[Tier, ...] = ("high",)  # who gets holiday care
    builtin_holidays: tuple[str, ...] = tuple(BUILTIN_HOLIDAYS)
    holidays: dict[str, tuple[date, ...]] = Field(default_factory=dict)  # name -> days
    complaint_followup_days: Days = 3  # 回访 this long after a complaint is resolved
    win_back_days: Days = 7  # call a high-churn-risk customer within this of the last contact
    welcome_days: Days = 3  # welcome call this long after signup
    welcome_window_days: Days = 30  # customers who signed up within this are new
    reclaim_days: Days = 120  # 公海: no follow-up for this long...
    reclaim_no_deal_days: Days = 180  # ...and no deal for this long
    reclaim_warning_days: Days = 7  # warn the owner this long before
    exempt_statuses: tuple[str, ...] = ("锁定", "已成交", "成交", "VIP", "locked", "won")
    exempt_tags: tuple[str, ...] = ("VIP", "锁定", "locked")
    mask_contacts: bool = True  # phones and e-mails masked on reminders: 138****5678
    per_owner: Literal["filter", "sheets"] = "filter"  # sheets: one Follow-ups sheet per owner

    @field_validator("interval_days", mode="before")
    @classmethod
    def _merge_intervals(cls, value: Any) -> Any:
        return {**DEFAULT_INTERVALS, **value} if isinstance(value, dict) else value

    @field_validator("builtin_holidays")
    @classmethod
    def _known_holidays(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in BUILTIN_HOLIDAYS]
        if unknown:
            known = ", ".join(BUILTIN_HOLIDAYS)
            raise ValueError(f"unknown built-in holiday(s) {unknown}; known: {known}")
        return value

    @field_validator("holidays", mode="before")
    @classmethod
    def _holiday_lists(cls, value: Any) -> Any:
        """One day, or days written "2025-09-09, 2026-09-09" in a settings-sheet cell."""
        if not isinstance(value, dict):
            return value
        return {name: _day_list(days) for name, days in value.items()}


def _day_list(days: Any) -> Any:
    if isinstance(days, str):
        return [part.strip() for part in days.replace("，", ",").split(",") if part.strip()]
    if isinstance(days, date):
        return [days]
    return days
