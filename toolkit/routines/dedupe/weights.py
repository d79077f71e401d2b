"""Fellegi-Sunter weights learnt from the table itself, without labels, as splink does.

- u (how often two *different* customers agree at a level) comes from random pairs: almost
  every random pair is two different customers.
- m (how often two records of the *same* customer agree at a level) comes from EM on the
  candidate pairs of each blocking key, u held fixed; a key's own fields are left out of its
  EM (every pair of the phone block agrees on phone, matches or not), and each field's m is
  the average over the keys that could learn it.
- The prior (the chance that two random rows are one customer) comes from the same EM over
  all candidates, rescaled from candidate pairs to all pairs.
- Term frequencies: a shared value weighs log2(m / frequency of that value), so a shared 王伟
  counts far less than a shared rare name.
Small tables (fewer candidate pairs than `min_pairs_for_em`) keep the default m, and u is
smoothed towards the defaults, so ten rows do not teach anything absurd.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.models.dedupe_settings import LEVELS, DedupeSettings
from toolkit.routines.dedupe.blocking import Candidates, random_pairs
from toolkit.routines.dedupe.compare import (
    Comparison,
    agreeing_sources,
    compare_pairs,
    shared_codes,
)
from toolkit.routines.dedupe.em import estimate_m
from toolkit.routines.dedupe.features import Features

Floats = npt.NDArray[np.float64]
Codes32 = npt.NDArray[np.int32] | npt.NDArray[np.int64]

# Starting values, splink-style: the chance of each level among true duplicates (m) and
# among different customers (u). The last level of each field takes the rest.
DEFAULT_M: dict[str, tuple[float, ...]] = {
    "name": (0.75, 0.1, 0.06, 0.03, 0.06),
    "phone": (0.75, 0.05, 0.2),
    "email": (0.8, 0.2),
    "company": (0.75, 0.12, 0.13),
    "city": (0.9, 0.1),
    "birthday": (0.85, 0.08, 0.07),
    "address": (0.6, 0.25, 0.15),
}
DEFAULT_U: dict[str, tuple[float, ...]] = {
    "name": (1e-4, 1e-4, 1e-3, 5e-3, 0.9938),
    "phone": (1e-6, 1e-5, 0.999989),
    "email": (1e-6, 0.999999),
    "company": (1e-3, 2e-3, 0.997),
    "city": (0.05, 0.95),
    "birthday": (1e-4, 1e-3, 0.9989),
    "address": (1e-5, 1e-4, 0.99989),
}
U_PSEUDO_PAIRS = 1_000.0  # weight of DEFAULT_U when estimating u from random pairs
U_POPULATION_ROWS = 1_000  # below this many rows, u leans on DEFAULT_U
MIN_PSEUDO_ROWS = 1_000
PRIOR_BOUNDS = (1e-12, 0.5)
PRIOR_START = 1e-4  # EM on the prior starts here; 30 rounds settle it to a few digits
PRIOR_ITERATIONS = 30


@dataclass(frozen=True)
class MatchModel:
    """m and u per level of each field, and the prior chance that a random pair matches."""

    m: dict[str, tuple[float, ...]]
    u: dict[str, tuple[float, ...]]
    prior: float
    tf_prior_rows: int = 10_000

    def weight(self, field: str, level: int) -> float:
        """log2(m/u) of a level; 0 for missing (-1)."""
        if level < 0:
            return 0.0
        return math.log2(self.m[field][level] / self.u[field][level])

    def pseudo_rows(self, rows: int) -> int:
        """Typical rows added to a table of `rows` when counting value frequencies.

        The table counts as a sample of a population of at least `tf_prior_rows` rows, and
        never fewer than MIN_PSEUDO_ROWS are added, so a value seen twice in ten rows is not
        taken for a common one.
        """
        return max(self.tf_prior_rows - rows, MIN_PSEUDO_ROWS)

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))


def fit(
    features: Features, candidates: Candidates, comparison: Comparison, settings: DedupeSettings
) -> MatchModel:
    """Estimate (or take from settings) the model for this table.

    Example: on 10,000 generated Chinese rows EM learns m(phone exact) ~0.71 against
    u ~5e-5 (+14 bits), m(name different) ~0.005 (-8 bits); see tests/routines/dedupe.
    """
    fields = settings.fields
    u = {f: settings_or(settings.u_probabilities, f, DEFAULT_U[f]) for f in fields}
    m = {f: settings_or(settings.m_probabilities, f, DEFAULT_M[f]) for f in fields}
    if settings.estimate:
        learnt_u = estimate_u(features, settings)
        u = {f: u[f] if f in settings.u_probabilities else learnt_u[f] for f in fields}
        if comparison.a.size >= settings.min_pairs_for_em:
            learnt_m = estimate_m(candidates, comparison, u, m, settings)
            m = {f: m[f] if f in settings.m_probabilities else learnt_m[f] for f in fields}
    model = MatchModel(m, u, 1e-3, settings.tf_prior_rows)
    return MatchModel(m, u, estimate_prior(features, comparison, model), settings.tf_prior_rows)


def settings_or(
    given: dict[str, dict[str, float]], field: str, default: tuple[float, ...]
) -> tuple[float, ...]:
    """Probabilities from settings for a field (levels not given keep their default share)."""
    if field not in given:
        return default
    levels = LEVELS[field]
    values = [given[field].get(level, default[i]) for i, level in enumerate(levels)]
    total = sum(values)
    return tuple(v / total for v in values)


def estimate_u(features: Features, settings: DedupeSettings) -> dict[str, tuple[float, ...]]:
    """u per level from random pairs, smoothed towards DEFAULT_U.

    Example: in a sheet where 19% of customers live in 北京, u(city exact) comes out ~0.19.
    """
    a, b = random_pairs(features.size, settings.random_pairs)
    comparison = compare_pairs(features, a, b, settings)
    # A small sheet's pairs include its duplicates in force (two of ten pairs in five rows):
    # it counts as a sample of a population of U_POPULATION_ROWS rows, the rest at DEFAULT_U.
    population = U_POPULATION_ROWS * (U_POPULATION_ROWS - 1) / 2
    sheet_pairs = features.size * (features.size - 1) / 2
    pseudo = max(U_PSEUDO_PAIRS, population - sheet_pairs)
    result = {}
    for field in settings.fields:
        counts = _level_counts(comparison.levels[field], len(LEVELS[field]))
        prior = np.array(DEFAULT_U[field])
        smoothed = (counts + pseudo * prior) / (counts.sum() + pseudo)
        result[field] = tuple(float(x) for x in smoothed / smoothed.sum())
    return result


def _level_counts(levels: npt.NDArray[np.int8], size: int) -> Floats:
    return np.bincount(levels[levels >= 0].astype(np.int64), minlength=size).astype(np.float64)


def field_weights(
    features: Features, comparison: Comparison, model: MatchModel, field: str
) -> Floats:
    """Each pair's weight on one field, term-frequency adjusted at agreeing levels.

    Example: a shared 王伟 (3 people in 100,000) weighs about log2(0.85 / 3e-5) = 15 bits
    less log2(3) than a shared name held by one person.
    """
    weigh = _FieldWeigher(features, comparison, model, field)
    weights = np.empty(comparison.a.size)
    for start in range(0, comparison.a.size, SLICE):
        weights[start : start + SLICE] = weigh(slice(start, start + SLICE))
    return weights


SLICE = 1 << 20  # pairs weighed at once: temporaries stay small and in cache


class _FieldWeigher:
    """Weights of one field for a slice of the pairs at a time."""

    def __init__(
        self, features: Features, comparison: Comparison, model: MatchModel, field: str
    ) -> None:
        self.features, self.comparison, self.field = features, comparison, field
        self.table = np.array([model.weight(field, i) for i in range(len(LEVELS[field]))] + [0.0])
        self.sources = agreeing_sources(features, field)
        pseudo = model.pseudo_rows(features.size)
        self.arguments = [
            (coded.present, model.m[field][level], model.u[field][level], pseudo)
            for level, coded in enumerate(self.sources)
        ]
        # More pairs than values (forty million pairs, a few hundred cities): each value is
        # weighed once, with the same operations, and pairs pick their value's weight; a few
        # pairs being explained weigh their own values.
        self.value_weights: list[Floats | None] = [
            shared_value_weights(coded.counts, *arguments)
            if comparison.a.size > len(coded.keys)
            else None
            for coded, arguments in zip(self.sources, self.arguments, strict=True)
        ]

    def __call__(self, part: slice) -> Floats:
        levels = self.comparison.levels[self.field][part]  # int8 indexes as well as int64
        weights: Floats = self.table[levels]  # -1 picks the trailing 0.0
        a, b = self.comparison.a[part], self.comparison.b[part]
        for level, coded in enumerate(self.sources):
            where = np.flatnonzero(levels == level)
            codes = shared_codes(self.features, self.field, level, a[where], b[where])
            per_value = self.value_weights[level]
            if per_value is not None:
                weights[where] = per_value[codes]
            else:
                weights[where] = shared_value_weights(coded.counts[codes], *self.arguments[level])
        return weights


def shared_value_weights(
    counts: npt.NDArray[np.int64], present: int, m: float, u: float, prior_rows: int
) -> Floats:
    """log2(m / frequency) of values held by `counts` rows each, where the frequency is
    smoothed: (count + k*u) / (rows with a value + k), k = `prior_rows`.

    >>> shared_value_weights(np.array([1, 100]), 1_000, 0.9, 0.001, 1_000).round(2).tolist()
    [9.81, 4.16]
    """
    frequency = counts.astype(np.float64)
    frequency += prior_rows * u
    frequency /= present + prior_rows
    np.maximum(frequency, 1e-12, out=frequency)
    np.divide(m, frequency, out=frequency)
    result: Floats = np.log2(frequency, out=frequency)
    return result


def total_weights(features: Features, comparison: Comparison, model: MatchModel) -> Floats:
    """Match weight of each pair: prior plus every field's weight.

    Example: prior -17 + phone exact 14 + name pinyin 8 = +5 bits, probability 0.97.
    """
    total = np.full(comparison.a.size, model.prior_weight)
    weighers = [_FieldWeigher(features, comparison, model, field) for field in model.m]
    # A slice at a time, the fields added in model order: each pair's sum is the same as
    # adding whole columns, without a column of floats per field.
    for start in range(0, comparison.a.size, SLICE):
        part = slice(start, start + SLICE)
        for weigh in weighers:
            total[part] += weigh(part)
    return total


def disagreement(features: Features, comparison: Comparison, model: MatchModel) -> Floats:
    """Sum of each pair's negative field weights: how strongly its fields disagree."""
    table = field_table(features, comparison, model)
    result: Floats = np.where(np.isnan(table), 0.0, np.minimum(table, 0.0)).sum(axis=1)
    return result


def field_table(features: Features, comparison: Comparison, model: MatchModel) -> Floats:
    """Each pair's weight on every field of the model, a column per field, NaN where blank.

    Example: a pair with the same phone and no e-mail on one side gives [.., 14.2, nan, ..].
    """
    columns = []
    for field in model.m:
        weights = field_weights(features, comparison, model, field)
        columns.append(np.where(comparison.levels[field] < 0, np.nan, weights))
    result: Floats = np.stack(columns, axis=1) if columns else np.zeros((comparison.a.size, 0))
    return result


def probability(weights: Floats) -> Floats:
    """Match probability from a match weight (log2 odds).

    >>> probability(np.array([0.0, 10.0])).round(4).tolist()
    [0.5, 0.999]
    """
    # Step by step in one buffer: the same operations as 1 / (1 + 2**-clip(w)) without the
    # three temporaries (a float per pair each: hundreds of MB at forty million pairs).
    result: Floats = np.clip(weights, -1000, 1000)
    np.negative(result, out=result)
    np.exp2(result, out=result)
    np.add(1.0, result, out=result)
    np.divide(1.0, result, out=result)
    return result


def estimate_prior(features: Features, comparison: Comparison, model: MatchModel) -> float:
    """The chance that two random rows match: EM over every pair, with candidates standing in.

    The weights compare a pair with *random* pairs (u comes from random pairs), so the prior
    they are added to must be the share of matches among all pairs, not among candidates:
    fitting the candidates' share instead counted every namesake in a name block as half a
    match, and the error grew with the blocks (the prior came out 2.3 times too high at 10,000
    rows, 6.5 at 100,000 and ~20 at a million, so a fixed threshold let more namesakes through
    the bigger the sheet; see BENCHMARKS.md, Deduplication). Pairs that are not candidates
    share no key and count as non-matches. The table counts as a sample of a larger
    population, as in the term frequencies (`MatchModel.pseudo_rows`): two namesakes in a
    five-row sheet are not one customer just because the sheet is small.
    """
    if comparison.a.size == 0 or features.size < 2:
        return PRIOR_BOUNDS[0]
    evidence = total_weights(features, comparison, model)
    evidence -= model.prior_weight  # in place: one float per pair fewer at the peak
    population = features.size + model.pseudo_rows(features.size)
    all_pairs = features.size * (population - 1) / 2
    prior = PRIOR_START
    work = np.empty_like(evidence)  # `probability` step by step in one buffer, not four arrays
    for _ in range(PRIOR_ITERATIONS):
        np.add(evidence, math.log2(prior / (1 - prior)), out=work)
        np.clip(work, -1000, 1000, out=work)
        np.negative(work, out=work)
        np.exp2(work, out=work)
        np.add(1.0, work, out=work)
        np.divide(1.0, work, out=work)
        matches = float(work.sum())
        prior = min(max(matches / all_pairs, PRIOR_BOUNDS[0]), PRIOR_BOUNDS[1])
    return prior
