"""Complaint settings: defaults, partial overrides, every problem reported."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from toolkit.errors import ConfigError
from toolkit.models.complaint_settings import DEFAULT_SLA_DAYS, ComplaintSettings
from toolkit.settings_io import load_settings
from toolkit.table import RawSheet, RawWorkbook


def test_defaults_cover_every_category_with_an_sla() -> None:
    settings = ComplaintSettings()
    assert settings.categories == (
        "product_quality",
        "service_quality",
        "price",
        "communication",
        "delivery",
        "other",
    )
    assert all(settings.sla_for(c) == DEFAULT_SLA_DAYS[c] for c in settings.categories)


def test_a_partial_override_keeps_the_other_defaults() -> None:
    settings = ComplaintSettings(sla_days={"delivery": 2}, keywords={"packaging": ["包装"]})
    assert settings.sla_days["delivery"] == 2 and settings.sla_days["price"] == 5
    assert settings.categories[-2:] == ("packaging", "other")
    assert settings.sla_for("packaging") == settings.default_sla_days


@pytest.mark.parametrize(
    "values, message",
    [
        (
            {"sla_days": {"price": 0}},
            "sla_days.price\n  Input should be greater than or equal to 1",
        ),
        ({"age_buckets": [30, 7]}, "age_buckets must be rising"),
        ({"statuses": {"received": ["closed"]}}, "is in both"),
        ({"repeat_threshold": 1}, "greater than or equal to 2"),
        ({"colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_bad_values_are_refused(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ComplaintSettings.model_validate(values)


def test_settings_sheet_rows_reach_the_section() -> None:
    sheet = RawSheet(
        "设置",
        [
            ["complaints.sla_days.delivery", 2],
            ["complaints.keywords.price", "太贵, 贵了，乱收费"],
            ["complaints.age_buckets", "3, 10"],
        ],
    )
    settings = load_settings(raw=RawWorkbook("x.xlsx", (sheet,))).complaints
    assert settings.sla_days["delivery"] == 2
    assert settings.keywords["price"] == ("太贵", "贵了", "乱收费")
    assert settings.keywords["delivery"]  # untouched categories keep their keywords
    assert settings.age_buckets == (3, 10)


def test_a_bad_sheet_row_is_reported_with_its_row() -> None:
    sheet = RawSheet("Settings", [["complaints.sla_days.price", -1]])
    with pytest.raises(ConfigError, match="row 1"):
        load_settings(raw=RawWorkbook("x.xlsx", (sheet,)))
