"""Cheap upper bounds on key similarity: only pairs that could reach a threshold are scored.

At a million rows the fuzzy levels ask about tens of millions of pairs of different names and
addresses, and about one in a hundred comes close. Both similarities used are capped by the
characters two keys share (counted with repeats):
- Jaro counts m matching characters, each an equal character of the other key used once, so
  Jaro <= (m/|x| + m/|y| + 1) / 3; Jaro-Winkler adds prefix/10 * (1 - Jaro) for a common
  prefix of at most four characters, which are shared characters too;
- Indel similarity is 2 * LCS / (|x| + |y|), and the LCS is made of shared characters.
Shared characters are counted on a sketch of each key: its characters counted in 32 buckets, a
byte each, eight to a uint64 word. The sum over buckets of the smaller count is at least the
true number (characters merged into one bucket can only add to it). A pair is dropped only when
its bound falls short of the threshold by more than rounding, so the answers are those of
scoring every pair; keys of more than MAX_SKETCHED characters (or none) are never dropped.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from toolkit.routines.dedupe.bytecounts import MAX_COUNT, Words, packed, shared_counts
from toolkit.routines.dedupe.features import Coded, Codes

Mask = npt.NDArray[np.bool_]
BUCKETS = 32
MAX_SKETCHED = MAX_COUNT
ROUNDING = 1e-9  # far above float64 error on these few operations, far below any threshold
SKETCH_BLOCK = 1 << 16  # keys sketched at once
PREFIX = 4  # Jaro-Winkler's longest counted prefix
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads CJK code points

T = TypeVar("T")
_DERIVED: dict[tuple[int, Callable[[Coded], Any]], tuple[weakref.ref[Coded], Any]] = {}


def derived(coded: Coded, build: Callable[[Coded], T]) -> T:
    """`build(coded)`, computed once per Coded object for as long as it lives.

    Comparison runs a slice of pairs at a time and again for the clustering's extra pairs;
    what depends on the keys alone (sketches, folded sounds) is worked out once.

    >>> coded = Coded(np.array([0]), ("ab",), np.array([1]))
    >>> derived(coded, CharSketch.of) is derived(coded, CharSketch.of)
    True
    """
    key = (id(coded), build)
    hit = _DERIVED.get(key)
    if hit is not None and hit[0]() is coded:
        value: T = hit[1]
        return value
    value = build(coded)
    _DERIVED[key] = (weakref.ref(coded, lambda _: _DERIVED.pop(key, None)), value)
    return value


def forget_derived() -> None:
    """Drop every value `derived` keeps (a few hundred MB at a million rows), once matching is
    done: the features live on in the result, their sketches need not."""
    _DERIVED.clear()


@dataclass(frozen=True)
class CharSketch:
    """Per key: its length, its first characters, and its characters counted per bucket.

    >>> sketch = CharSketch.of(Coded(np.array([0, 1]), ("zhang wei", "wang wei"), np.ones(2)))
    >>> sketch.lengths.tolist(), shared_at_most(sketch, np.array([0]), np.array([1])).tolist()
    ([9, 8], [7])
    """

    lengths: Codes
    words: tuple[Words, ...]  # BUCKETS // 8 arrays: a byte of count per bucket
    heads: npt.NDArray[np.uint32]  # (keys, PREFIX) first code points, 0 after the end
    unbounded: Mask  # keys too long (or empty) for a bound: their pairs are always scored

    @classmethod
    def of(cls, coded: Coded) -> CharSketch:
        keys = coded.keys
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        unbounded = (lengths > MAX_SKETCHED) | (lengths == 0)
        table = np.zeros((len(keys), BUCKETS), dtype=np.uint8)
        heads = np.zeros((len(keys), PREFIX), dtype=np.uint32)
        # A block of keys at a time: the per-character temporaries of a million addresses
        # would cost hundreds of MB at once.
        for start in range(0, len(keys), SKETCH_BLOCK):
            block = slice(start, start + SKETCH_BLOCK)
            _count_characters(keys[block], lengths[block], table[block], heads[block])
        table[unbounded] = 0
        return cls(lengths, packed(table), heads, unbounded)


def _count_characters(
    keys: tuple[str, ...],
    lengths: Codes,
    table: npt.NDArray[np.uint8],
    heads: npt.NDArray[np.uint32],
) -> None:
    """Fill a block's rows of bucket counts and first characters."""
    points = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), np.uint32)
    hashed = (points.astype(np.uint64) * _GOLDEN) >> np.uint64(64 - 5)
    # ASCII by code point modulo 32: the 26 letters of an English name never share a bucket.
    bucket = np.where(points < 128, points % BUCKETS, hashed).astype(np.int64)
    bucket += np.repeat(np.arange(len(keys), dtype=np.int64) * BUCKETS, lengths)
    counts = np.bincount(bucket, minlength=len(keys) * BUCKETS).reshape(len(keys), BUCKETS)
    table[:] = np.minimum(counts, 255)  # keys past MAX_SKETCHED are blanked by the caller
    starts = np.cumsum(lengths) - lengths
    for k in range(PREFIX):
        long_enough = np.flatnonzero(lengths > k)
        heads[long_enough, k] = points[starts[long_enough] + k]


def shared_at_most(sketch: CharSketch, ca: Codes, cb: Codes) -> Codes:
    """For pairs of key codes: at least the number of characters the two keys share."""
    shared = np.minimum(shared_counts(sketch.words, ca, cb), sketch.lengths[ca])
    result: Codes = np.minimum(shared, sketch.lengths[cb])
    return result


def _always_scored(sketch: CharSketch, ca: Codes, cb: Codes) -> Mask:
    if not sketch.unbounded.any():
        return np.zeros(ca.size, dtype=bool)
    result: Mask = sketch.unbounded[ca] | sketch.unbounded[cb]
    return result


def _common_prefix(sketch: CharSketch, ca: Codes, cb: Codes) -> Codes:
    """Length of the common prefix, up to PREFIX characters."""
    shortest = np.minimum(sketch.lengths[ca], sketch.lengths[cb])
    same = np.ones(ca.size, dtype=bool)
    prefix = np.zeros(ca.size, dtype=np.int64)
    for k in range(PREFIX):
        same &= (sketch.heads[ca, k] == sketch.heads[cb, k]) & (shortest > k)
        prefix += same
    return prefix


def jaro_winkler_may_reach(threshold: float) -> Callable[[Coded, Codes, Codes], Mask]:
    """Pairs whose Jaro-Winkler similarity (prefix weight 0.1) may reach `threshold`.

    >>> coded = Coded(np.arange(3), ("张伟", "章伟", "李娜"), np.ones(3))
    >>> jaro_winkler_may_reach(0.88)(coded, np.array([0, 0]), np.array([1, 2])).tolist()
    [False, False]
    """

    def may_reach(coded: Coded, ca: Codes, cb: Codes) -> Mask:
        sketch = derived(coded, CharSketch.of)
        shared = shared_at_most(sketch, ca, cb)
        x, y = sketch.lengths[ca], sketch.lengths[cb]
        jaro = (shared / np.maximum(x, 1) + shared / np.maximum(y, 1) + 1.0) / 3.0
        # First with the longest prefix the shared characters allow, then, for the few pairs
        # left, with the true common prefix.
        bound = jaro + 0.1 * np.minimum(shared, PREFIX) * (1.0 - jaro)
        result: Mask = (bound >= threshold - ROUNDING) | _always_scored(sketch, ca, cb)
        left = np.flatnonzero(result)
        prefix = _common_prefix(sketch, ca[left], cb[left])
        bound = jaro[left] + 0.1 * prefix * (1.0 - jaro[left])
        result[left] = (bound >= threshold - ROUNDING) | _always_scored(sketch, ca[left], cb[left])
        return result

    return may_reach


def indel_may_reach(threshold: float) -> Callable[[Coded, Codes, Codes], Mask]:
    """Pairs whose normalized Indel similarity, 2 * LCS / (|x| + |y|), may reach `threshold`.

    >>> keys = ("北京朝阳建国路1号", "北京朝阳建国路1号院", "上海")
    >>> coded = Coded(np.arange(3), keys, np.ones(3))
    >>> indel_may_reach(0.85)(coded, np.array([0, 0]), np.array([1, 2])).tolist()
    [True, False]
    """

    def may_reach(coded: Coded, ca: Codes, cb: Codes) -> Mask:
        sketch = derived(coded, CharSketch.of)
        shared = shared_at_most(sketch, ca, cb)
        total = np.maximum(sketch.lengths[ca] + sketch.lengths[cb], 1)
        result: Mask = (2.0 * shared / total >= threshold - ROUNDING) | _always_scored(
            sketch, ca, cb
        )
        return result

    return may_reach
