"""Scoring settings: defaults, tiers, churn levels and the segment scheme, from TOML and sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from toolkit.errors import ConfigError
from toolkit.models.scoring_settings import ChurnSettings, ScoringSettings, TierSettings
from toolkit.settings_io import load_settings
from toolkit.table import RawSheet, RawWorkbook


def test_defaults_work_without_any_settings() -> None:
    settings = load_settings().scoring
    assert settings.scheme == "rf10" and settings.segment_map().segments[0].key == "champions"
    assert settings.tiers.method == "revenue_share" and settings.churn.high == 60


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"method": "thresholds"}, "needs high_amount and medium_amount"),
        ({"method": "thresholds", "high_amount": 100, "medium_amount": 500}, "must not be above"),
        ({"revenue_shares": (0.9, 0.8)}, "revenue_shares must rise"),
        ({"customer_shares": (0.0, 0.5)}, "customer_shares must rise"),
        ({"labels": "stars"}, "Input should be 'words' or 'letters'"),
    ],
)
def test_tier_settings_are_checked(values: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        TierSettings.model_validate(values)


def test_churn_levels_must_rise() -> None:
    with pytest.raises(ValidationError, match="medium \\(70\\) must be below high \\(60\\)"):
        ChurnSettings(medium=70)


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"scheme": "custom"}, "needs \\[scoring.custom_map\\]"),
        ({"custom_map": {"segments": [{"key": "a", "en": "A", "zh": "A"}]}}, "set scheme"),
        ({"split_quantile": 1.5}, "less than 1"),
    ],
)
def test_scheme_settings_are_checked(values: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        ScoringSettings.model_validate(values)


def test_settings_sheet_rows_set_scoring(tmp_path: Path) -> None:
    sheet = RawSheet(
        "设置",
        [
            ["设置项", "值"],
            ["scoring.scheme", "cn8"],
            ["scoring.split", "median"],
            ["scoring.tiers.method", "thresholds"],
            ["scoring.tiers.high_amount", 50000],
            ["scoring.tiers.medium_amount", "10000"],
            ["scoring.tiers.labels", "letters"],
        ],
    )
    settings = load_settings(raw=RawWorkbook("x.xlsx", (sheet,))).scoring
    assert settings.segment_map().basis == "high_low" and settings.split == "median"
    assert (settings.tiers.high_amount, settings.tiers.medium_amount) == (50000, 10000)


def test_every_scoring_problem_is_reported_with_its_source(tmp_path: Path) -> None:
    config = tmp_path / "custkit.toml"
    config.write_text(
        '[scoring]\nscheme = "rfm99"\n[scoring.churn]\nhigh = 150\n', encoding="utf-8"
    )
    sheet = RawSheet("Settings", [["scoring.tiers.method", "thresholds"]])
    with pytest.raises(ConfigError) as error:
        load_settings(config_file=config, raw=RawWorkbook("x.xlsx", (sheet,)))
    where = {(p.source, p.location) for p in error.value.problems}
    assert ("custkit.toml", "scoring.scheme") in where
    assert ("custkit.toml", "scoring.churn.high") in where
    # A whole-section check is traced to the sheet (the row is known for single values).
    assert any(s.startswith("sheet 'Settings'") and loc == "scoring.tiers" for s, loc in where)
