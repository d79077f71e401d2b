"""m probabilities by EM on each blocking key's candidate pairs, u held fixed (see weights.py).

EM needs only how many pairs show each level vector (a level per field), never the pairs
themselves: each pair's vector becomes one int (base 8, level + 1 per field), the vectors of
a key's pairs are counted with bincount over the 8**7 possible ints, and EM iterates over the
few hundred distinct vectors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from toolkit.models.dedupe_settings import BLOCKING_KEYS, LEVELS, DedupeSettings
from toolkit.routines.dedupe.blocking import Candidates
from toolkit.routines.dedupe.compare import Comparison

Floats = npt.NDArray[np.float64]
Codes32 = npt.NDArray[np.int32] | npt.NDArray[np.int64]
M_PSEUDO_PAIRS = 5.0  # weight of the starting m in each EM step


def estimate_m(
    candidates: Candidates,
    comparison: Comparison,
    u: dict[str, tuple[float, ...]],
    start: dict[str, tuple[float, ...]],
    settings: DedupeSettings,
) -> dict[str, tuple[float, ...]]:
    """m per level by EM on each blocking key's pairs, averaged over keys weighted by matches.

    Example: the phone block teaches m(email exact) and m(name pinyin); the name + city block
    teaches m(phone typo) and m(phone different).
    """
    sums = {f: np.zeros(len(LEVELS[f])) for f in settings.fields}
    patterns = _pattern_codes(comparison.levels, settings.fields)
    for key in candidates.key_names:
        # A mask (a byte a pair), not candidates.of_key's int64 positions (eight): same pairs,
        # same order, and the biggest key holds most of the tens of millions of candidates.
        members = (candidates.keys & np.uint16(1 << candidates.key_names.index(key))) != 0
        if int(np.count_nonzero(members)) < settings.min_pairs_for_em:
            continue
        learnable = [f for f in settings.fields if f not in BLOCKING_KEYS[key]]
        seen, counts = _key_patterns(patterns[members], settings.fields, learnable)
        del members
        for field, expected in _em(
            learnable, seen, counts, u, start, settings.em_iterations
        ).items():
            sums[field] += expected
    result = {}
    for field in settings.fields:
        total = sums[field] + M_PSEUDO_PAIRS * np.array(start[field])
        result[field] = tuple(float(x) for x in total / total.sum())
    return result


def _em(
    fields: list[str],
    patterns: npt.NDArray[np.int64],
    counts: Floats,
    u: dict[str, tuple[float, ...]],
    start: dict[str, tuple[float, ...]],
    iterations: int,
) -> dict[str, Floats]:
    """Expected match counts per level of each field after EM (u fixed), from the distinct
    level vectors (a column per field, missing -1) and how many pairs show each."""
    m = {f: np.array(start[f]) for f in fields}
    log_u = {f: np.log(np.r_[np.array(u[f]), 1.0]) for f in fields}  # index -1: missing
    share = 0.3
    expected: dict[str, Floats] = {}
    for _ in range(iterations):
        log_m = {f: np.log(np.r_[m[f], 1.0]) for f in fields}
        ratio = sum(
            log_m[f][patterns[:, i]] - log_u[f][patterns[:, i]] for i, f in enumerate(fields)
        )
        logit = math.log(share / (1 - share)) + np.asarray(ratio)
        posterior = counts / (1.0 + np.exp(-np.clip(logit, -700, 700)))
        share = float(np.clip(posterior.sum() / counts.sum(), 1e-6, 1 - 1e-6))
        for i, f in enumerate(fields):
            level_of = np.where(patterns[:, i] >= 0, patterns[:, i], len(m[f]))
            counted = np.bincount(level_of, weights=posterior, minlength=len(m[f]) + 1)
            expected[f] = counted[: len(m[f])].astype(np.float64)
            total = expected[f] + M_PSEUDO_PAIRS * np.array(start[f])
            m[f] = total / total.sum()
    return expected


PATTERN_BASE = 8  # level + 1 per field (missing, 0): every field has fewer than 7 levels
BINCOUNT_CODES = 1 << 22  # pattern codes counted by bincount up to here (seven fields: 2**21)


def _pattern_codes(levels: dict[str, npt.NDArray[np.int8]], fields: Sequence[str]) -> Codes32:
    """Each pair's level vector as one int (base 8, level + 1 per field, first field first).

    Built in place, int32 while 8**fields fits (seven fields: 2**21), half of int64's bytes.
    """
    size = comparison_size(levels)
    code: Codes32 = np.zeros(size, np.int32) if len(fields) <= 10 else np.zeros(size, np.int64)
    for field in fields:
        np.multiply(code, PATTERN_BASE, out=code)
        np.add(code, levels[field], out=code)
        np.add(code, 1, out=code)
    return code


def comparison_size(levels: dict[str, npt.NDArray[np.int8]]) -> int:
    """How many pairs the level arrays hold."""
    return next(iter(levels.values())).size if levels else 0


def _key_patterns(
    codes: Codes32, fields: Sequence[str], learnable: Sequence[str]
) -> tuple[npt.NDArray[np.int64], Floats]:
    """Distinct level vectors over the `learnable` fields (sorted as their codes), and how many
    of the pairs (`codes`: `_pattern_codes` over `fields`) show each.

    Counting by bincount over the 8**7 possible codes, not sorting tens of millions of pairs;
    vectors differing only in fields left out merge into one, their counts summed (whole
    numbers: exact in float64).
    """
    if PATTERN_BASE ** len(fields) <= BINCOUNT_CODES:
        per_code = np.bincount(codes, minlength=PATTERN_BASE ** len(fields))
        present = np.flatnonzero(per_code).astype(np.int64)
        counts = per_code[present].astype(np.float64)
    else:
        present, found = np.unique(codes.astype(np.int64), return_counts=True)
        counts = found.astype(np.float64)
    digit = {
        f: present // PATTERN_BASE ** (len(fields) - 1 - i) % PATTERN_BASE
        for i, f in enumerate(fields)
    }
    kept = np.zeros(present.size, dtype=np.int64)
    for field in learnable:
        kept = kept * PATTERN_BASE + digit[field]
    distinct, inverse = np.unique(kept, return_inverse=True)
    summed = np.bincount(inverse.reshape(-1), weights=counts, minlength=distinct.size)
    columns = []
    for _ in learnable:
        columns.append(distinct % PATTERN_BASE - 1)
        distinct = distinct // PATTERN_BASE
    patterns = np.stack(columns[::-1], axis=1) if columns else np.zeros((1, 0), np.int64)
    return patterns, summed.astype(np.float64)
