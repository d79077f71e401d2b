"""Dedupe settings: the blocking defaults and the per-key block limits, checked up front."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import ConfigError
from toolkit.models.dedupe_settings import BLOCKING_KEYS, COMMON_BLOCK_LIMITS, DedupeSettings
from toolkit.settings_io import load_settings


def test_every_default_limit_belongs_to_a_default_blocking_key() -> None:
    settings = DedupeSettings()
    assert set(settings.skip_blocks_over) <= set(settings.blocking) <= set(BLOCKING_KEYS)


@pytest.mark.parametrize(
    ("skips", "message"),
    [
        ({"zodiac": 10}, "unknown blocking key 'zodiac'"),
        ({"company": 1}, "company: 1 is below 2"),
    ],
)
def test_bad_limits_are_refused(skips: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DedupeSettings(skip_blocks_over=skips)


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[dedupe.skip_blocks_over]\ncompany = 30\n", {"company": 30}),  # replaces the table
        ("[dedupe]\nskip_blocks_over = {}\n", {}),  # no block is skipped
        ("[dedupe]\nmatch_threshold = 0.9\n", COMMON_BLOCK_LIMITS),
    ],
)
def test_limits_come_from_custkit_toml(tmp_path: Path, toml: str, expected: dict[str, int]) -> None:
    config = tmp_path / "custkit.toml"
    config.write_text(toml, encoding="utf-8")
    assert load_settings(config_file=config).dedupe.skip_blocks_over == expected


def test_a_bad_limit_in_custkit_toml_names_its_source(tmp_path: Path) -> None:
    config = tmp_path / "custkit.toml"
    config.write_text("[dedupe.skip_blocks_over]\nzodiac = 10\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="zodiac"):
        load_settings(config_file=config)
