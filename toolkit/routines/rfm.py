"""RFM scores 1-5 by quintiles, high/low splits, and segments from a segment map.

A score says what share of the *other* customers a customer beats: p = (customers with a
smaller value) / (customers with a different value), score = 1 + floor(5p), capped at 5. So

- equal values always get equal scores, whatever the row order (ties are deterministic);
- a bigger value never gets a lower score (p only grows with the value);
- evenly spread values fill each score with a fifth of the customers;
- the smallest value always scores 1 and the biggest 5, however many customers share them:
  a column where most customers bought once still gives those one-time buyers F = 1 (so "New
  Customers" is not empty), and the few who bought more spread over 2-5;
- fewer distinct values than scores spread out (two values: 1 and 5; three: 1, 3, 5), and a
  column where everyone is equal tells nothing: everyone gets the middle score, 3.

Nothing bought (a count or amount of 0 or less) and unreadable values get the lowest score,
1, and are left out of the ranking. Recency ranks the days since the last purchase, fewer days
scoring higher; a customer without a readable last purchase date gets R = 1.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from toolkit.models.segment_maps import HIGH, LOW, SegmentMap
from toolkit.routines.columns import BoolArray, FloatArray, IntArray

SCORES = 5
Split = Literal["mean", "median", "quantile"]


def quintile_scores(values: FloatArray, known: BoolArray) -> IntArray:
    """Scores 1-5 by the share of other `known` customers each one beats; others get 1.

    >>> quintile_scores(np.array([10.0, 20, 20, 30, 99]), np.ones(5, bool)).tolist()
    [1, 2, 2, 4, 5]
    >>> quintile_scores(np.array([7.0, 7, 7]), np.ones(3, bool)).tolist()
    [3, 3, 3]
    """
    scores = np.ones(len(values), dtype=np.int64)
    ranked = values[known]
    if ranked.size == 0:
        return scores
    _, where, equal = np.unique(ranked, return_inverse=True, return_counts=True)
    below = np.cumsum(equal) - equal
    others = ranked.size - equal
    if not others.any():
        scores[known] = 3  # everyone equal: no information, the middle score
        return scores
    # Integers only: floor(5 * below / others) without any rounding error.
    per_value = 1 + (SCORES * below) // others
    scores[known] = np.minimum(per_value, SCORES)[where]
    return scores


def days_since(last: FloatArray, today: float) -> FloatArray:
    """Days from each last purchase to `today` (a future date counts as today); NaN unknown.

    >>> days_since(np.array([100.0, np.nan, 130]), 120.0).tolist()[::2]
    [20.0, 0.0]
    """
    return np.maximum(today - last, 0.0)


def recency_scores(days: FloatArray) -> IntArray:
    """R: fewer days since the last purchase score higher; unknown scores 1.

    >>> recency_scores(np.array([5.0, 400, np.nan, 60, 30, 10])).tolist()
    [5, 1, 1, 2, 3, 4]
    """
    return quintile_scores(-days, ~np.isnan(days))


def amount_scores(values: FloatArray) -> IntArray:
    """F or M: more scores higher; unknown, zero and negative score 1.

    >>> amount_scores(np.array([0.0, 1, 2, 2, np.nan, 3])).tolist()
    [1, 1, 3, 3, 1, 5]
    """
    with np.errstate(invalid="ignore"):
        bought = values > 0
    return quintile_scores(values, bought)


def split_threshold(values: FloatArray, split: Split, quantile: float) -> float:
    """The mean, median or quantile of the readable values (NaN when there are none).

    >>> split_threshold(np.array([1.0, 2, 9, np.nan]), "median", 0.5)
    2.0
    """
    readable = values[~np.isnan(values)]
    if readable.size == 0:
        return float("nan")
    if split == "mean":
        return float(readable.mean())
    return float(np.quantile(readable, 0.5 if split == "median" else quantile))


def high_low(values: FloatArray, threshold: float, *, lower_is_better: bool = False) -> IntArray:
    """HIGH where a value beats the threshold (strictly), else LOW; unreadable is LOW.

    >>> high_low(np.array([1.0, 5, np.nan]), 3.0).tolist()
    [1, 2, 1]
    >>> high_low(np.array([10.0, 90]), 30.0, lower_is_better=True).tolist()
    [2, 1]
    """
    with np.errstate(invalid="ignore"):
        beats = values < threshold if lower_is_better else values > threshold
    return np.where(beats, HIGH, LOW).astype(np.int64)


def segment_lookup(segment_map: SegmentMap) -> npt.NDArray[np.int64]:
    """A table [r, f, m] -> index of the segment in `segment_map.segments`.

    >>> from toolkit.models.segment_maps import RF10
    >>> RF10.segments[segment_lookup(RF10)[5, 1, 3]].key
    'new_customers'
    """
    size = max(segment_map.levels) + 1
    lookup = np.full((size, size, size), -1, dtype=np.int64)
    position = {segment.key: i for i, segment in enumerate(segment_map.segments)}
    for r, f, m in segment_map.cells():
        target = (r, f, m) if segment_map.uses_m else (r, f, slice(None))
        lookup[target] = position[segment_map.segment_at(r, f, m).key]
    return lookup


def assign_segments(
    segment_map: SegmentMap, r: IntArray, f: IntArray, m: IntArray
) -> npt.NDArray[np.int64]:
    """Each customer's segment index, from levels of the map's basis (scores or high/low).

    >>> from toolkit.models.segment_maps import RF10
    >>> one = np.array([5])
    >>> RF10.segments[assign_segments(RF10, one, one, np.array([1]))[0]].en
    'Champions'
    """
    return segment_lookup(segment_map)[r, f, m]


def rfm_codes(r: IntArray, f: IntArray, m: IntArray) -> list[str]:
    """The RFM column's text, "545", for each customer.

    >>> rfm_codes(np.array([5, 1]), np.array([4, 1]), np.array([5, 2]))
    ['545', '112']
    """
    code = r * 100 + f * 10 + m
    texts = {value: str(value) for value in np.unique(code).tolist()}
    return list(map(texts.__getitem__, code.tolist()))
