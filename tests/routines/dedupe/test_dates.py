"""Birthdays one slip apart, on integers, answer what comparing characters answers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.routines.dedupe.dates import birthday_close, dates_close
from toolkit.routines.dedupe.features import encode


def _by_characters(x: str, y: str) -> bool:
    if len(x) != 10 or len(y) != 10:
        return False
    swapped = x[:4] == y[:4] and x[5:7] == y[8:10] and x[8:10] == y[5:7]
    return swapped or sum(a != b for a, b in zip(x, y, strict=True)) <= 1


@pytest.mark.parametrize(
    ("left", "right", "close"),
    [
        ("1990-03-05", "1990-05-03", True),  # day and month swapped
        ("1990-03-05", "1990-03-06", True),  # one digit wrong
        ("1990-03-05", "1991-03-05", True),
        ("1990-03-05", "1990-03-05", True),
        ("1990-03-05", "1991-05-03", False),  # swapped in another year
        ("1990-03-05", "1990-04-06", False),  # two digits wrong
        ("1990-03-05", "1975-11-20", False),
        ("1990-03-05", "1990-3-5", False),  # not an ISO date
    ],
)
def test_birthdays_close(left: str, right: str, close: bool) -> None:
    assert birthday_close([left], [right]).tolist() == [close]


DATES = st.dates().map(lambda d: d.isoformat())
TEXTS = st.text(alphabet="0123-", min_size=9, max_size=11)


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(st.tuples(DATES | TEXTS, DATES | TEXTS), min_size=1, max_size=20),
    exotic=st.booleans(),
)
def test_as_characters_compared_one_by_one(pairs: list[tuple[str, str]], exotic: bool) -> None:
    # `exotic`: 300 more sorts of character than a byte holds, compared as code points.
    extra = [chr(0x4E00 + i) * 10 for i in range(300)] if exotic else []
    keys = encode([k for pair in pairs for k in pair] + extra)
    ca, cb = keys.codes[0 : 2 * len(pairs) : 2], keys.codes[1 : 2 * len(pairs) : 2]
    mask = np.ones(len(pairs), dtype=bool)
    expected = [_by_characters(x, y) for x, y in pairs]
    assert dates_close(keys, ca, cb, mask).tolist() == expected
