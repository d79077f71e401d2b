"""Follow-up settings: defaults, partial overrides, calendar entries from a settings sheet."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from toolkit.errors import ConfigError
from toolkit.models.followup_settings import REASONS, FollowupSettings
from toolkit.settings_io import load_settings
from toolkit.table import RawSheet, RawWorkbook


def test_defaults() -> None:
    s = FollowupSettings()
    assert s.reasons == REASONS and s.interval_days == {"high": 30, "medium": 60, "low": 90}
    assert s.mask_contacts is True and s.per_owner == "filter"
    assert s.builtin_holidays == (
        "new_year",
        "spring_festival",
        "dragon_boat",
        "mid_autumn",
        "national_day",
    )


@pytest.mark.parametrize(
    "values, message",
    [
        ({"interval_days": {"high": 0}}, "interval_days.high"),
        ({"interval_days": {"vip": 10}}, "interval_days.vip"),
        ({"reasons": ["regular", "party"]}, "reasons.1"),
        ({"builtin_holidays": ["christmas"]}, "unknown built-in holiday"),
        ({"holidays": {"店庆": ["someday"]}}, "holidays.店庆.0"),
        ({"per_owner": "tabs"}, "per_owner"),
        ({"horizon_days": -1}, "horizon_days"),
    ],
)
def test_bad_values_are_refused(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        FollowupSettings.model_validate(values)


def test_settings_sheet_rows() -> None:
    sheet = RawSheet(
        "设置",
        [
            ["设置项", "值"],
            ["followups.interval_days.high", 14],
            ["followups.holidays.店庆", "2025-09-09, 2026-09-09"],
            ["followups.holidays.双十一", datetime(2025, 11, 11)],
            ["followups.exempt_tags", "VIP, 重点客户"],
            ["followups.per_owner", "sheets"],
        ],
    )
    s = load_settings(raw=RawWorkbook("x.xlsx", (sheet,))).followups
    assert s.interval_days == {"high": 14, "medium": 60, "low": 90}
    assert s.holidays == {"店庆": (date(2025, 9, 9), date(2026, 9, 9)),
                          "双十一": (date(2025, 11, 11),)}  # fmt: skip
    assert s.exempt_tags == ("VIP", "重点客户") and s.per_owner == "sheets"


def test_a_bad_row_is_reported_with_its_row() -> None:
    sheet = RawSheet("Settings", [["followups.interval_days.low", "often"]])
    with pytest.raises(ConfigError, match="row 1"):
        load_settings(raw=RawWorkbook("x.xlsx", (sheet,)))
