"""Phone typos on numpy rows answer exactly what rapidfuzz's Damerau-Levenshtein answers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein

from toolkit.routines.dedupe.digits import WIDTH, DigitMatrix, one_edit_apart


def _expected(left: str, right: str) -> bool:
    x, y = left.lstrip("+#"), right.lstrip("+#")
    return min(len(x), len(y)) >= 8 and DamerauLevenshtein.distance(x, y) <= 1


def _answers(pairs: list[tuple[str, str]]) -> list[bool]:
    keys = sorted({k for pair in pairs for k in pair})
    code = {k: i for i, k in enumerate(keys)}
    ca = np.array([code[x] for x, _ in pairs], dtype=np.int64)
    cb = np.array([code[y] for _, y in pairs], dtype=np.int64)
    answer: list[bool] = one_edit_apart(DigitMatrix.of(keys), ca, cb).tolist()
    return answer


@pytest.mark.parametrize(
    ("left", "right", "typo"),
    [
        ("+12125550101", "+12125550102", True),  # one digit wrong
        ("+12125550101", "+12125550110", True),  # neighbours swapped
        ("+12125550101", "+12121550501", False),  # a swap over a distance is two edits
        ("+12125550101", "#2125550101", True),  # one digit missing (the country code)
        ("#2125550101", "+12125550101", True),  # ... either way round
        ("+12125550101", "+121255501010", True),  # one extra at the end
        ("+8613800138000", "+8613800183000", True),
        ("+8613800138000", "+8613900139000", False),
        ("#1234567", "#1234568", False),  # fewer than 8 digits
        ("#12345678", "#1234567", False),  # the shorter has 7
        ("#12345678", "#123456789", True),
        ("#12345678", "#1234567890", False),  # two extra
        ("#٠١٢٣٤٥٦٧٨", "#٠١٢٣٤٥٦٧٩", True),  # Arabic-Indic digits pass str.isdigit
        ("#" + "1" * 30, "#" + "1" * 29 + "2", True),  # wider than the matrix: rapidfuzz
        ("#" + "1" * WIDTH, "#" + "1" * (WIDTH + 1), True),
    ],
)
def test_typo_levels(left: str, right: str, typo: bool) -> None:
    assert _answers([(left, right)]) == [typo] == [_expected(left, right)]


def _edited(text: str, data: st.DataObject) -> str:
    """`text` with up to two random edits (substitute, insert, delete, swap)."""
    for _ in range(data.draw(st.integers(0, 2))):
        at = data.draw(st.integers(0, max(len(text) - 1, 0)))
        digit = data.draw(st.sampled_from("0123456789"))
        edit = data.draw(st.sampled_from(("sub", "ins", "del", "swap")))
        if edit == "sub":
            text = text[:at] + digit + text[at + 1 :]
        elif edit == "ins":
            text = text[:at] + digit + text[at:]
        elif edit == "del":
            text = text[:at] + text[at + 1 :]
        elif at + 1 < len(text):
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    return text


@settings(max_examples=300, deadline=None)
@given(
    base=st.text(alphabet="0123456789", min_size=6, max_size=WIDTH + 3),
    data=st.data(),
)
def test_matches_rapidfuzz_on_edited_numbers(base: str, data: st.DataObject) -> None:
    others = [_edited(base, data) for _ in range(4)]
    pairs = [("#" + base, "+" + other) for other in others if other and other != base]
    pairs += [("+" + x, "#" + y) for x, y in itertools.pairwise(others) if x != y]
    pairs = [(x, y) for x, y in pairs if x.lstrip("+#") and y.lstrip("+#")]
    assert _answers(pairs) == [_expected(x, y) for x, y in pairs]
