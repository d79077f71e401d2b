"""The similarity bounds never drop a pair that rapidfuzz would call similar."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel, JaroWinkler

from toolkit.routines.dedupe.bounds import (
    MAX_SKETCHED,
    CharSketch,
    derived,
    indel_may_reach,
    jaro_winkler_may_reach,
    shared_at_most,
)
from toolkit.routines.dedupe.features import Coded, encode

# Few letters, so that generated keys share many characters and land near the thresholds.
KEYS = st.text(alphabet="abcd 张章伟玮𠀋\0", min_size=1, max_size=12)


def _codes(pairs: list[tuple[str, str]]) -> tuple[Coded, np.ndarray, np.ndarray]:
    coded = encode([k for pair in pairs for k in pair])
    return coded, coded.codes[0::2], coded.codes[1::2]


@pytest.mark.parametrize(
    ("left", "right", "shared"),
    [
        ("zhang wei", "wang wei", 7),
        ("张伟", "章伟", 1),
        ("aaab", "ab", 2),  # repeats count once per copy on the shorter side
        ("ab", "cd", 0),
        ("王" * 5, "王" * 3, 3),
    ],
)
def test_shared_characters_are_counted_with_repeats(left: str, right: str, shared: int) -> None:
    coded, ca, cb = _codes([(left, right)])
    sketch = CharSketch.of(coded)
    assert shared_at_most(sketch, ca, cb).tolist() == [shared]


@pytest.mark.parametrize(
    ("left", "right", "kept"),
    [
        ("张伟", "章伟", False),  # one of two characters: Jaro-Winkler 0.67 at most
        ("zhang wei", "zhang wie", True),
        ("jonathan smith", "jonathon smith", True),
        ("abcd", "wxyz", False),
        ("x" * (MAX_SKETCHED + 1), "y", True),  # too long for the sketch: always scored
    ],
)
def test_jaro_winkler_bound(left: str, right: str, kept: bool) -> None:
    coded, ca, cb = _codes([(left, right)])
    assert jaro_winkler_may_reach(0.88)(coded, ca, cb).tolist() == [kept]


@settings(max_examples=400, deadline=None)
@given(
    pairs=st.lists(st.tuples(KEYS, KEYS), min_size=1, max_size=20),
    threshold=st.sampled_from([0.5, 0.7, 0.8, 0.85, 0.88, 0.9, 0.95, 1.0]),
)
def test_a_dropped_pair_is_never_similar(pairs: list[tuple[str, str]], threshold: float) -> None:
    coded, ca, cb = _codes(pairs)
    jw_kept = jaro_winkler_may_reach(threshold)(coded, ca, cb)
    indel_kept = indel_may_reach(threshold)(coded, ca, cb)
    for (x, y), jw, indel in zip(pairs, jw_kept.tolist(), indel_kept.tolist(), strict=True):
        assert jw or JaroWinkler.similarity(x, y) < threshold
        assert indel or Indel.normalized_similarity(x, y) < threshold


def test_derived_values_are_kept_per_coded_object_while_it_lives() -> None:
    calls: list[int] = []

    def build(coded: Coded) -> int:
        calls.append(1)
        return len(coded.keys)

    coded = encode(["a", "b"])
    assert derived(coded, build) == derived(coded, build) == 2
    assert len(calls) == 1
    del coded
    gc.collect()
    assert derived(encode(["c"]), build) == 1
    assert len(calls) == 2
