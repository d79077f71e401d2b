"""Value tiers: revenue share (ABC), Pareto and thresholds; equal amounts share a tier."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.models.scoring_settings import TierSettings
from toolkit.routines.tiers import HIGH_TIER, LOW_TIER, MEDIUM_TIER, tier_labels, value_tiers

NAN = float("nan")
H, M, L = HIGH_TIER, MEDIUM_TIER, LOW_TIER
METHODS = [
    TierSettings(),
    TierSettings(method="pareto"),
    TierSettings(method="thresholds", high_amount=1000, medium_amount=100),
]


@pytest.mark.parametrize(
    ("tiers", "amounts", "expected"),
    [
        # ABC: 8000 alone makes 80% of 10,000; 1000 and 500 take it past 95%.
        (TierSettings(), [8000, 1000, 500, 300, 200], [H, M, M, L, L]),
        # Customers with the same amount go in together.
        (TierSettings(), [100, 100, 100, 100, 10], [H, H, H, H, L]),
        # Pareto: top 20% of customers high, up to 50% medium.
        (TierSettings(method="pareto"), list(range(10, 0, -1)), [H, H, M, M, M, L, L, L, L, L]),
        (TierSettings(method="pareto"), [5, 5, 5, 1], [H, H, H, L]),
        (
            TierSettings(method="thresholds", high_amount=1000, medium_amount=100),
            [1000, 999.99, 100, 99, 0],
            [H, M, M, L, L],
        ),
        # Nothing spent or unreadable: low, whatever the method.
        (TierSettings(), [0, NAN, -50, 10], [L, L, L, H]),
        (TierSettings(method="pareto"), [0, 0, 0], [L, L, L]),
    ],
)
def test_tiers_by_method(tiers: TierSettings, amounts: list[float], expected: list[int]) -> None:
    assert value_tiers(np.array(amounts, dtype=float), tiers).tolist() == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(0, 1e6, allow_nan=False), st.just(NAN), st.just(50.0)),
        min_size=1,
        max_size=50,
    ),
    st.sampled_from(METHODS),
)
def test_a_bigger_spender_is_never_in_a_lower_tier(
    amounts: list[float], tiers: TierSettings
) -> None:
    result = value_tiers(np.array(amounts), tiers)
    spent = np.nan_to_num(np.array(amounts))
    for i in range(len(amounts)):
        for j in range(len(amounts)):
            if spent[i] > spent[j]:
                assert result[i] <= result[j]  # 0 is the top tier
            if spent[i] == spent[j]:
                assert result[i] == result[j]


def test_tier_labels_in_words_or_letters() -> None:
    assert tier_labels(TierSettings(), "en") == ("High", "Medium", "Low")
    assert tier_labels(TierSettings(), "zh") == ("高价值", "中价值", "低价值")
    assert tier_labels(TierSettings(labels="letters"), "zh") == ("A", "B", "C")
