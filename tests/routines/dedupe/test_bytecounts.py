"""Packed byte counts: the sum of smaller counts, eight buckets per integer operation."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.routines.dedupe.bytecounts import MAX_COUNT, packed, shared_counts

BUCKETS = 16


@st.composite
def count_rows(draw: st.DrawFn) -> list[list[int]]:
    """Rows of bucket counts, each row summing to at most MAX_COUNT."""
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        total = draw(st.integers(0, MAX_COUNT))
        cuts = sorted(
            draw(st.lists(st.integers(0, total), min_size=BUCKETS - 1, max_size=BUCKETS - 1))
        )
        rows.append([b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)])
    return rows


@settings(max_examples=300, deadline=None)
@given(rows=count_rows(), data=st.data())
def test_sum_of_smaller_counts(rows: list[list[int]], data: st.DataObject) -> None:
    index = st.integers(0, len(rows) - 1)
    ca = np.array(data.draw(st.lists(index, min_size=1, max_size=10)), dtype=np.int64)
    cb = np.array(data.draw(st.lists(index, min_size=ca.size, max_size=ca.size)), np.int64)
    expected = [sum(map(min, rows[x], rows[y])) for x, y in zip(ca, cb, strict=True)]
    assert shared_counts(packed(np.array(rows)), ca, cb).tolist() == expected


def test_no_keys() -> None:
    words = packed(np.zeros((0, BUCKETS), dtype=np.int64))
    assert len(words) == BUCKETS // 8
    assert shared_counts(words, np.zeros(0, np.int64), np.zeros(0, np.int64)).size == 0
