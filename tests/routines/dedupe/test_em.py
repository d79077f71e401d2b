"""EM's level vectors: counted per blocking key, fields left out merged."""

from __future__ import annotations

import collections

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.routines.dedupe.em import _key_patterns, _pattern_codes


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(st.integers(-1, 4), min_size=4, max_size=4), min_size=1, max_size=60),
    left_out=st.sets(st.integers(0, 3), max_size=3),
)
def test_key_patterns_count_each_level_vector(rows: list[list[int]], left_out: set[int]) -> None:
    fields = ["name", "phone", "email", "city"]
    matrix = np.array(rows, dtype=np.int8)
    levels = {f: matrix[:, i].copy() for i, f in enumerate(fields)}
    learnable = [f for i, f in enumerate(fields) if i not in left_out]
    kept = [i for i in range(4) if i not in left_out]
    expected = collections.Counter(tuple(row[i] for i in kept) for row in rows)
    patterns, counts = _key_patterns(_pattern_codes(levels, fields), fields, learnable)
    found = {tuple(p): c for p, c in zip(patterns.tolist(), counts.tolist(), strict=True)}
    assert found == expected
    assert [tuple(p) for p in patterns.tolist()] == sorted(found)  # in order of their codes
