"""Dedupe settings: the blocking defaults and the per-key block limits, checked up front."""

from __future__ import annotations

import pytest

from toolkit.models.dedupe_settings import BLOCKING_KEYS, DedupeSettings


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
