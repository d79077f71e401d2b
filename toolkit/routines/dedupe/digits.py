"""Phone typos on whole columns: is one number one edit away from another?

The phone "typo" level asks, for every candidate pair whose numbers differ, whether the two
digit strings are one Damerau-Levenshtein edit apart (a digit wrong, missing, extra, or two
neighbours swapped). A million pairs through rapidfuzz one string pair at a time cost more
in building the Python lists than in comparing; here each distinct phone key becomes a row
of a small character matrix once, and pairs are compared as numpy rows.

Most pairs are far apart, and counting tells: a substitution keeps all characters but one, a
swap all of them, an extra digit all of the shorter number's. Pairs sharing fewer than
max(length) - 1 digits (counted with repeats, `bytecounts.shared_counts`) are answered
without the matrix rows.

For distance at most one the answer needs no edit table:
- equal lengths: at most one position differs, or exactly two neighbouring positions differ
  and hold each other's characters (a swap);
- lengths one apart: the shorter string is the longer one with one character taken out, i.e.
  the common prefix and the common suffix (aligned at the ends) cover the shorter string.
Keys longer than `WIDTH` characters (rare: several numbers typed into one cell) go to
rapidfuzz as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from toolkit.routines.dedupe.bytecounts import Words, packed, shared_counts

Codes = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Characters = npt.NDArray[np.unsignedinteger[Any]]  # uint8, or uint32 for exotic digits
WIDTH = 16  # characters per matrix row: E.164 numbers have at most 15 digits
BUCKETS = 16  # digit counts per key: "0".."9" (code points 48..57) fall in 10 of them


@dataclass(frozen=True)
class DigitMatrix:
    """The digits of each phone key ("+" or "#" stripped) as a row of small character codes.

    >>> m = DigitMatrix.of(["+12125550101", "#2125550110"])
    >>> m.lengths.tolist(), m.digits[0]
    ([11, 10], '12125550101')
    """

    rows: Characters  # (keys, WIDTH) character codes, code 0 (NUL padding) after the end
    lengths: Codes
    digits: tuple[str, ...]
    counts: tuple[Words, ...]  # characters per bucket of code point % BUCKETS (0: wide keys)

    @classmethod
    def of(cls, keys: Sequence[str]) -> DigitMatrix:
        digits = tuple(key.lstrip("+#") for key in keys)
        lengths = np.fromiter(map(len, digits), dtype=np.int64, count=len(digits))
        # Digits can be any Unicode digit ("٣" passes str.isdigit): code points, renumbered.
        fitting = "".join(d.ljust(WIDTH, "\0") if len(d) <= WIDTH else "\0" * WIDTH for d in digits)
        points = np.frombuffer(fitting.encode("utf-32-le"), dtype=np.uint32)
        # Ten digits and the padding fit a byte (a quarter of the memory per compared pair):
        # the characters present, renumbered in code point order (NUL stays 0); equality is
        # all that is asked of the codes. bincount over code points: no sort of every cell.
        present = np.flatnonzero(np.bincount(points)) if points.size else points
        renumber: Characters = np.zeros(
            int(present.max(initial=0)) + 1, dtype=np.uint8 if present.size <= 256 else np.uint32
        )
        renumber[present] = np.arange(present.size)
        rows: Characters = renumber[points].reshape(len(digits), WIDTH)
        owner = np.repeat(np.arange(len(digits), dtype=np.int64) * BUCKETS, WIDTH)
        real = points != 0
        counts = np.bincount(
            owner[real] + points[real] % BUCKETS, minlength=len(digits) * BUCKETS
        ).reshape(len(digits), BUCKETS)
        return cls(rows, lengths, digits, packed(counts))


def one_edit_apart(matrix: DigitMatrix, ca: Codes, cb: Codes) -> Mask:
    """For each pair of key codes (ca[i], cb[i]): at most one edit apart, with 8+ digits each.

    >>> m = DigitMatrix.of(["+12125550101", "+12125550110", "#2125550101", "#1234567", "#1234568"])
    >>> one_edit_apart(m, np.array([0, 0, 3]), np.array([1, 2, 4])).tolist()
    [True, True, False]
    """
    la, lb = matrix.lengths[ca], matrix.lengths[cb]
    result: Mask = (np.minimum(la, lb) >= 8) & (np.abs(la - lb) <= 1)
    wide = result & (np.maximum(la, lb) > WIDTH)
    result &= ~wide
    near = np.flatnonzero(result)
    shared = shared_counts(matrix.counts, ca[near], cb[near])
    result[near] = shared >= np.maximum(la[near], lb[near]) - 1
    del near, shared
    same = np.flatnonzero(result & (la == lb))
    result[same] = _swap_or_substitution(matrix.rows[ca[same]], matrix.rows[cb[same]])
    del same
    apart = np.flatnonzero(result & (la != lb))
    short = np.where(la[apart] < lb[apart], ca[apart], cb[apart])
    long = np.where(la[apart] < lb[apart], cb[apart], ca[apart])
    result[apart] = _one_taken_out(matrix.rows[short], matrix.rows[long], matrix.lengths[short])
    if wide.any():
        result[wide] = _by_rapidfuzz(matrix, ca[wide], cb[wide])
    return result


def _swap_or_substitution(x: Characters, y: Characters) -> Mask:
    """Rows of equal length: at most one position differs, or one neighbouring swap."""
    differ = x != y  # padding agrees with padding
    count = np.count_nonzero(differ, axis=1)
    answer: Mask = count <= 1
    two = np.flatnonzero(count == 2)
    first = differ[two].argmax(axis=1)
    second = np.minimum(first + 1, WIDTH - 1)
    swapped = (
        differ[two, second] & (x[two, first] == y[two, second]) & (x[two, second] == y[two, first])
    )
    answer[two] = swapped
    return answer


def _one_taken_out(short: Characters, long: Characters, lengths: Codes) -> Mask:
    """Rows one character apart in length: is `short` `long` without one character?"""
    positions = np.arange(WIDTH)
    inside = positions < lengths[:, None]
    # First position where the prefixes part (the short length when they never do).
    prefix = np.where(
        ((short != long) & inside).any(axis=1), ((short != long) & inside).argmax(axis=1), lengths
    )
    shifted = np.concatenate([long[:, 1:], np.zeros((long.shape[0], 1), long.dtype)], axis=1)
    bad = (short != shifted) & inside
    # Last position where short[j] != long[j + 1]: everything from the prefix on must agree.
    last_bad = np.where(bad.any(axis=1), WIDTH - 1 - bad[:, ::-1].argmax(axis=1), -1)
    answer: Mask = last_bad < prefix
    return answer


def _by_rapidfuzz(matrix: DigitMatrix, ca: Codes, cb: Codes) -> Mask:
    left = [matrix.digits[i] for i in ca.tolist()]
    right = [matrix.digits[i] for i in cb.tolist()]
    distance = process.cpdist(
        left, right, scorer=DamerauLevenshtein.distance, score_cutoff=1, workers=1
    )
    answer: Mask = np.asarray(distance) <= 1
    return answer
