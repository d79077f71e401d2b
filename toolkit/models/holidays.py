"""The built-in holiday calendar for holiday care reminders, 2024-2030.

Lunar holidays fall on different Gregorian days each year, so they are listed, not computed:
Spring Festival (lunar 1/1), Dragon Boat (5/5) and Mid-Autumn (8/15), checked against a lunar
calendar. Years past 2030, or other occasions (company anniversaries, 双十一), are added in
settings: `[followups.holidays] "店庆" = [2025-09-09, 2026-09-09]`.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from toolkit.i18n import Text

FIRST_YEAR, LAST_YEAR = 2024, 2030


class Holiday(NamedTuple):
    """A holiday: its names and the days it falls on."""

    name: Text
    dates: tuple[date, ...]


def _yearly(month: int, day: int) -> tuple[date, ...]:
    return tuple(date(year, month, day) for year in range(FIRST_YEAR, LAST_YEAR + 1))


def _days(iso_days: str) -> tuple[date, ...]:
    return tuple(date.fromisoformat(day) for day in iso_days.split())


BUILTIN_HOLIDAYS: dict[str, Holiday] = {
    "new_year": Holiday(Text("New Year's Day", "元旦"), _yearly(1, 1)),
    "spring_festival": Holiday(
        Text("Spring Festival", "春节"),
        _days("2024-02-10 2025-01-29 2026-02-17 2027-02-06 2028-01-26 2029-02-13 2030-02-03"),
    ),
    "dragon_boat": Holiday(
        Text("Dragon Boat Festival", "端午节"),
        _days("2024-06-10 2025-05-31 2026-06-19 2027-06-09 2028-05-28 2029-06-16 2030-06-05"),
    ),
    "mid_autumn": Holiday(
        Text("Mid-Autumn Festival", "中秋节"),
        _days("2024-09-17 2025-10-06 2026-09-25 2027-09-15 2028-10-03 2029-09-22 2030-09-12"),
    ),
    "national_day": Holiday(Text("National Day", "国庆节"), _yearly(10, 1)),
}
