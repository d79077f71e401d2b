"""Birthdays one slip apart: one character wrong, or day and month swapped.

A sheet holds a few tens of thousands of distinct birthdays and millions of pairs, so each
ISO date key ("1990-03-05") becomes integers once, and pairs compare integers: its characters
renumbered to a byte each (equality is all that is asked of them), the first eight in one
uint64 and the last two in another. The characters two dates differ in are then the non-zero
bytes of an exclusive or, and a day/month swap is shifts and masks. Keys of more than 256
sorts of character (never ISO dates, which use eleven) are compared character by character.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.routines.dedupe.bounds import derived
from toolkit.routines.dedupe.features import Coded, Codes

Mask = npt.NDArray[np.bool_]
Words = npt.NDArray[np.uint64]
DATE_LENGTH = 10  # "YYYY-MM-DD"
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_HIGH = np.uint64(0x8080808080808080)
_TWO_BYTES = np.uint64(0xFFFF)
_FOUR_BYTES = np.uint64(0xFFFFFFFF)
_MONTH = np.uint64(40)  # bits of characters 5-6 in the head word


@dataclass(frozen=True)
class DateWords:
    """Each date key (of DATE_LENGTH characters) as renumbered characters: two integers of a
    byte per character, or else a row of code points.

    >>> from toolkit.routines.dedupe.features import encode
    >>> words = DateWords.of(encode(["1990-03-05", "1990"]))  # "-" 0, "0" 1, "1" 2, "3" 3, "5" 4
    >>> words.dated.tolist(), hex(int(words.tail[0]))  # "05": byte 0 holds "0", byte 1 "5"
    ([True, False], '0x401')
    """

    dated: Mask
    head: Words  # characters 0-7, character i in byte i (zeros for keys not dated)
    tail: Words  # characters 8-9
    points: npt.NDArray[np.uint32] | None  # (keys, DATE_LENGTH) when characters exceed a byte

    @classmethod
    def of(cls, coded: Coded) -> DateWords:
        keys = coded.keys
        dated = np.fromiter((len(k) == DATE_LENGTH for k in keys), dtype=bool, count=len(keys))
        dates = "".join(k for k, ok in zip(keys, dated.tolist(), strict=True) if ok)
        points = np.frombuffer(dates.encode("utf-32-le", "surrogatepass"), np.uint32)
        characters, renumbered = np.unique(points, return_inverse=True)
        if characters.size > 256:
            rows = np.zeros((len(keys), DATE_LENGTH), dtype=np.uint32)
            rows[dated] = points.reshape(-1, DATE_LENGTH)
            none = np.zeros(len(keys), dtype=np.uint64)
            return cls(dated, none, none, rows)
        table = np.zeros((len(keys), 16), dtype=np.uint8)
        table[dated, :DATE_LENGTH] = renumbered.reshape(-1, DATE_LENGTH)
        words = table.view("<u8").astype(np.uint64)
        return cls(dated, words[:, 0].copy(), words[:, 1].copy(), None)


def dates_close(coded: Coded, ca: Codes, cb: Codes, mask: Mask) -> Mask:
    """`birthday_close` of the keys of each pair (ca[i], cb[i]) where `mask`."""
    words = derived(coded, DateWords.of)
    where = np.flatnonzero(mask)
    x, y = ca[where], cb[where]
    if words.points is not None:
        slipped = _slipped_characters(words.points[x], words.points[y])
    else:
        slipped = _slipped_words(words.head[x], words.tail[x], words.head[y], words.tail[y])
    result = np.zeros(ca.size, dtype=bool)
    result[where] = words.dated[x] & words.dated[y] & slipped
    return result


def _slipped_words(head_x: Words, tail_x: Words, head_y: Words, tail_y: Words) -> Mask:
    differing = _nonzero_bytes(head_x ^ head_y) + _nonzero_bytes(tail_x ^ tail_y)
    swapped = ((head_x ^ head_y) & _FOUR_BYTES) == 0  # the same year, and month <-> day
    swapped &= ((head_x >> _MONTH) & _TWO_BYTES) == tail_y
    swapped &= tail_x == ((head_y >> _MONTH) & _TWO_BYTES)
    result: Mask = swapped | (differing <= 1)
    return result


def _nonzero_bytes(words: Words) -> npt.NDArray[np.uint8]:
    """How many bytes of each word are not zero: ((b & 0x7F) + 0x7F) | b has its top bit set
    exactly when b != 0, and the sum never carries into the next byte."""
    flags = (((words & _LOW7) + _LOW7) | words) & _HIGH
    counted: npt.NDArray[np.uint8] = np.bitwise_count(flags)
    return counted


def _slipped_characters(x: npt.NDArray[np.uint32], y: npt.NDArray[np.uint32]) -> Mask:
    swapped = (
        (x[:, :4] == y[:, :4]).all(axis=1)
        & (x[:, 5:7] == y[:, 8:10]).all(axis=1)
        & (x[:, 8:10] == y[:, 5:7]).all(axis=1)
    )
    result: Mask = swapped | ((x != y).sum(axis=1) <= 1)
    return result


def birthday_close(left: Sequence[str], right: Sequence[str]) -> Mask:
    """One character wrong, or day and month swapped (05/03 read as 3 May and as 5 March).

    >>> birthday_close(["1990-03-05", "1990-03-05", "1990-03-05", "1990-03-05"],
    ...                ["1990-05-03", "1990-03-06", "1991-04-05", "1990-3-5"]).tolist()
    [True, True, False, False]
    """
    coded = Coded(np.zeros(0, np.int64), (*left, *right), np.zeros(0, np.int64))
    where = np.arange(len(left))
    return dates_close(coded, where, where + len(left), np.ones(len(left), dtype=bool))
