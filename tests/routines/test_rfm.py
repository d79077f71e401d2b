"""RFM scores: quintiles that never rank a bigger value lower, and segments for everyone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.models.segment_maps import CN8, HIGH, LOW, RF10
from toolkit.routines.rfm import (
    amount_scores,
    assign_segments,
    days_since,
    high_low,
    quintile_scores,
    recency_scores,
    rfm_codes,
    split_threshold,
)

NAN = float("nan")
amount = st.one_of(
    st.floats(-100, 1e7, allow_nan=False), st.just(NAN), st.sampled_from([0.0, 50.0])
)
recency = st.one_of(st.floats(0, 5000, allow_nan=False), st.just(NAN), st.sampled_from([0.0, 30.0]))


@settings(max_examples=300, deadline=None)
@given(st.lists(amount, min_size=1, max_size=60))
def test_more_money_or_purchases_never_scores_lower(values: list[float]) -> None:
    array = np.array(values)
    scores = amount_scores(array)
    assert set(scores.tolist()) <= {1, 2, 3, 4, 5}
    known = np.nan_to_num(array, nan=-np.inf)  # unreadable counts as nothing bought
    for i in range(len(values)):
        for j in range(len(values)):
            if known[i] > known[j]:
                assert scores[i] >= scores[j], (values[i], values[j])
            if known[i] == known[j]:
                assert scores[i] == scores[j]


@settings(max_examples=300, deadline=None)
@given(st.lists(recency, min_size=1, max_size=60))
def test_a_more_recent_purchase_never_scores_lower(days: list[float]) -> None:
    array = np.array(days)
    scores = recency_scores(array)
    never = np.nan_to_num(array, nan=np.inf)  # no purchase date: as long ago as can be
    for i in range(len(days)):
        for j in range(len(days)):
            if never[i] < never[j]:
                assert scores[i] >= scores[j]
            if never[i] == never[j]:
                assert scores[i] == scores[j]


@settings(max_examples=100, deadline=None)
@given(st.lists(amount, min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_scores_do_not_depend_on_row_order(values: list[float], rng: object) -> None:
    order = list(range(len(values)))
    rng.shuffle(order)  # type: ignore[attr-defined]
    scores = amount_scores(np.array(values))
    shuffled = amount_scores(np.array([values[i] for i in order]))
    assert shuffled.tolist() == [scores[i] for i in order]


@pytest.mark.parametrize(
    ("values", "scores"),
    [
        (list(range(1, 11)), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),  # evenly spread: a fifth each
        ([7, 7, 7, 7], [3, 3, 3, 3]),  # all equal: no information, the middle
        ([1, 2], [1, 5]),  # fewer distinct values than scores still spread out
        ([1, 2, 3], [1, 3, 5]),
        ([5], [3]),
        ([0, 0, 0, 0, 0, 0, 0, 0, 1000, 5000], [1, 1, 1, 1, 1, 1, 1, 1, 1, 5]),  # skewed
        ([1] * 6 + [2, 2, 3, 10], [1] * 6 + [4, 4, 5, 5]),  # most bought once: they get 1
        ([1] + [2] * 9, [1] + [5] * 9),  # a heavy tie at the top still scores 5
        ([NAN, -5, 0, 10], [1, 1, 1, 3]),  # unreadable, refunds and nothing: lowest
        ([], []),
    ],
)
def test_small_and_skewed_columns_are_scored_sensibly(
    values: list[float], scores: list[int]
) -> None:
    assert amount_scores(np.array(values, dtype=float)).tolist() == scores


def test_quintiles_fill_each_score_evenly_on_distinct_values() -> None:
    scores = quintile_scores(np.arange(1000, dtype=float), np.ones(1000, bool))
    assert np.bincount(scores).tolist() == [0, 200, 200, 200, 200, 200]


def test_days_since_clips_future_purchases_and_keeps_unknown() -> None:
    assert days_since(np.array([90.0, 110.0, NAN]), 100.0)[:2].tolist() == [10.0, 0.0]
    assert np.isnan(days_since(np.array([NAN]), 100.0)[0])


def test_every_score_combination_lands_in_a_segment() -> None:
    levels = np.arange(1, 6)
    r, f, m = (grid.ravel() for grid in np.meshgrid(levels, levels, levels, indexing="ij"))
    segments = assign_segments(RF10, r, f, m)
    assert (segments >= 0).all() and len(segments) == 125
    names = {RF10.segments[i].en for i in segments.tolist()}
    assert len(names) == 10


@pytest.mark.parametrize(
    ("r", "f", "segment"),
    [
        (5, 5, "Champions"),
        (5, 1, "New Customers"),
        (4, 1, "Promising"),
        (3, 3, "Need Attention"),
        (3, 1, "About to Sleep"),
        (1, 5, "Can't Lose"),
        (2, 3, "At Risk"),
        (1, 1, "Hibernating"),
        (4, 4, "Loyal Customers"),
        (5, 2, "Potential Loyalists"),
    ],
)
def test_rf10_cells(r: int, f: int, segment: str) -> None:
    index = assign_segments(RF10, np.array([r]), np.array([f]), np.array([1]))[0]
    assert RF10.segments[index].en == segment


def test_cn8_levels_split_against_the_mean_median_or_quantile() -> None:
    spent = np.array([100.0, 200, 300, 10_000, NAN])
    assert split_threshold(spent, "mean", 0.5) == 2650.0
    assert split_threshold(spent, "median", 0.5) == 250.0
    assert split_threshold(spent, "quantile", 0.75) == 2725.0
    assert high_low(spent, 250.0).tolist() == [LOW, LOW, HIGH, HIGH, LOW]
    days = np.array([10.0, 400, NAN])
    assert high_low(days, 100.0, lower_is_better=True).tolist() == [HIGH, LOW, LOW]
    index = assign_segments(CN8, np.array([HIGH]), np.array([LOW]), np.array([HIGH]))[0]
    assert CN8.segments[index].zh == "重要发展客户"


def test_all_equal_column_is_low_for_everyone_in_cn8() -> None:
    same = np.array([5.0, 5.0, 5.0])
    assert high_low(same, split_threshold(same, "mean", 0.5)).tolist() == [LOW, LOW, LOW]


def test_rfm_codes() -> None:
    assert rfm_codes(np.array([5, 1]), np.array([4, 1]), np.array([5, 1])) == ["545", "111"]
