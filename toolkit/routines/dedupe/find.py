"""Finding duplicates: keys, candidate pairs, comparison, weights, scores, groups.

`find_duplicates` is the whole matching pipeline on one customer table; it knows nothing of
plans, sheets or languages (see mark.py, merge.py and explain.py for those).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.routines.dedupe.blocking import candidate_pairs
from toolkit.routines.dedupe.bounds import forget_derived
from toolkit.routines.dedupe.cluster import Scores, cluster
from toolkit.routines.dedupe.compare import Comparison, compare_pairs
from toolkit.routines.dedupe.features import Codes, Features, extract
from toolkit.routines.dedupe.namesakes import namesake_pattern, shared_identifier
from toolkit.routines.dedupe.weights import (
    MatchModel,
    field_table,
    fit,
    probability,
    total_weights,
)
from toolkit.table import Table

Floats = npt.NDArray[np.float64]
Band = tuple[npt.NDArray[np.int64], Floats]  # positions of candidate pairs, probabilities


@dataclass(frozen=True)
class PairEvidence:
    """Why two rows (table positions) look alike: each field's level, and the probability."""

    a: int
    b: int
    probability: float
    levels: tuple[tuple[str, str], ...]  # (field, level) in settings order, "missing" included


@dataclass(frozen=True)
class DuplicateGroup:
    """Rows of one customer, core first, each with its evidence against its closest member."""

    group_id: str  # "D0001"
    rows: tuple[int, ...]  # table positions
    scores: tuple[float, ...]  # match probability with the member it is most like
    evidence: tuple[PairEvidence, ...]  # per row: against the member it is most like


@dataclass(frozen=True)
class Duplicates:
    """Everything found in one table."""

    groups: tuple[DuplicateGroup, ...]
    review: tuple[PairEvidence, ...]  # pairs in the review band, not in one group
    counts: dict[str, int]
    model: MatchModel
    features: Features


def find_duplicates(
    customers: Table,
    settings: DedupeSettings,
    *,
    default_region: str = "CN",
    day_first: bool = False,
    forced: Sequence[tuple[int, int]] = (),
) -> Duplicates:
    """Groups of rows that are one customer, and pairs for a person to review.

    `forced` pairs (table positions) are merged whatever their score: staff decided.

    >>> from toolkit.table import Column
    >>> cols = (Column(1, "姓名", "name"), Column(2, "手机", "phone"))
    >>> rows = (("张伟", "13800138000"), ("章伟", "+86 138 0013 8000"), ("李娜", "13900139000"))
    >>> found = find_duplicates(Table("客户", "customers", 1, cols, rows), DedupeSettings())
    >>> [g.rows for g in found.groups], found.counts["dedupe.groups"]
    ([(0, 1)], 1)
    """
    features = extract(customers, default_region=default_region, day_first=day_first)
    try:
        return _matched(features, settings, forced)
    finally:
        forget_derived()


def _matched(
    features: Features, settings: DedupeSettings, forced: Sequence[tuple[int, int]]
) -> Duplicates:
    """`find_duplicates` once the features are extracted."""
    candidates = candidate_pairs(features, settings)
    comparison = compare_pairs(features, candidates.a, candidates.b, settings)
    model = fit(features, candidates, comparison, settings)
    cap = _namesake_cap(settings)
    weights = total_weights(features, comparison, model)
    _cap_namesakes(weights, features, comparison, cap)  # in place: the weights are ours
    del comparison  # levels of every candidate pair: the biggest thing held, not needed now
    band = _review_band(weights, settings)

    def score(a: Codes, b: Codes) -> Scores:
        pairs = compare_pairs(features, a, b, settings)
        fields = field_table(features, pairs, model)
        total = model.prior_weight + np.where(np.isnan(fields), 0.0, fields).sum(axis=1)
        return Scores(_guarded(total, features, pairs, cap), fields, shared_identifier(pairs))

    clusters = cluster(
        features.size,
        candidates.a,
        candidates.b,
        weights,
        match_weight=math.log2(settings.match_threshold / (1 - settings.match_threshold)),
        prior_weight=model.prior_weight,
        min_evidence=_link_evidence(settings, model.prior_weight),
        max_disagreement=settings.max_link_disagreement,
        score=score,
        forced=forced,
    )
    width = max(4, len(str(len(clusters))))
    rows = [r for found in clusters for r in found.rows]
    partners = [r for found in clusters for r in found.partners]
    evidence = iter(_evidence(features, rows, partners, settings, model))
    groups = []
    for number, found in enumerate(clusters, start=1):
        mine = tuple(next(evidence) for _ in found.rows)
        groups.append(DuplicateGroup(f"D{number:0{width}d}", found.rows, found.scores, mine))
    review = _review(features, candidates.a, candidates.b, band, groups, settings, model)
    counts = dict(candidates.counts)
    counts["dedupe.groups"] = len(groups)
    counts["dedupe.duplicate_rows"] = sum(len(g.rows) - 1 for g in groups)
    counts["dedupe.review_pairs"] = len(review)
    return Duplicates(tuple(groups), review, counts, model, features)


def _namesake_cap(settings: DedupeSettings) -> float:
    """Weight of a namesake-pattern pair at most: the middle of the review band."""
    middle = (settings.match_threshold + settings.review_threshold) / 2
    return math.log2(middle / (1 - middle))


def _guarded(weights: Floats, features: Features, comparison: Comparison, cap: float) -> Floats:
    """Weights with namesake-pattern pairs held below the match threshold (for review)."""
    result: Floats = weights.copy()
    _cap_namesakes(result, features, comparison, cap)
    return result


def _cap_namesakes(weights: Floats, features: Features, comparison: Comparison, cap: float) -> None:
    """Hold namesake-pattern pairs' weights below the match threshold, in place."""
    namesakes = namesake_pattern(features, comparison)
    np.minimum(weights, cap, out=weights, where=namesakes)


def _link_evidence(settings: DedupeSettings, prior_weight: float) -> float:
    """Evidence (bits, prior excluded) a pair needs so that its rows may share a group."""
    floor = settings.min_link_probability
    if floor <= 0.0:
        return settings.min_link_evidence
    return max(settings.min_link_evidence, math.log2(floor / (1 - floor)) - prior_weight)


def _evidence(
    features: Features,
    rows: Sequence[int],
    partners: Sequence[int],
    settings: DedupeSettings,
    model: MatchModel,
) -> tuple[PairEvidence, ...]:
    """Evidence of every (row, partner) pair, compared in one go."""
    a = np.array(rows, dtype=np.int64)
    b = np.array(partners, dtype=np.int64)
    comparison = compare_pairs(features, a, b, settings)
    probabilities = probability(total_weights(features, comparison, model))
    return tuple(
        PairEvidence(
            int(a[i]),
            int(b[i]),
            float(probabilities[i]),
            tuple((f, comparison.level_name(f, i)) for f in settings.fields),
        )
        for i in range(a.size)
    )


def _review(
    features: Features,
    a: Codes,
    b: Codes,
    band: Band,
    groups: list[DuplicateGroup],
    settings: DedupeSettings,
    model: MatchModel,
) -> tuple[PairEvidence, ...]:
    """Pairs in the review band whose rows did not end up in one group."""
    group_of = np.full(features.size, -1, dtype=np.int64)
    for number, group in enumerate(groups):
        group_of[list(group.rows)] = number
    positions, probabilities = band
    same = (group_of[a[positions]] == group_of[b[positions]]) & (group_of[a[positions]] >= 0)
    where, probabilities = positions[~same], probabilities[~same]
    order = np.argsort(-probabilities, kind="stable")
    pairs_a, pairs_b = a[where[order]], b[where[order]]
    comparison = compare_pairs(features, pairs_a, pairs_b, settings)
    return tuple(
        PairEvidence(
            int(pairs_a[i]),
            int(pairs_b[i]),
            float(probabilities[order[i]]),
            tuple((f, comparison.level_name(f, i)) for f in settings.fields),
        )
        for i in range(order.size)
    )


def _review_band(weights: Floats, settings: DedupeSettings) -> Band:
    """Positions of the pairs at or above the review threshold, and their probabilities.

    Only these are kept through clustering: a probability for every candidate pair is a
    float each, hundreds of MB at a million rows.
    """
    probabilities = probability(weights)
    positions = np.flatnonzero(probabilities >= settings.review_threshold)
    return positions, probabilities[positions]
