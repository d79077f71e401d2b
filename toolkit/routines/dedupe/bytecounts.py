"""Per-key character counts packed a byte per bucket, and how many characters two keys share.

Deciding that two keys are far apart often needs nothing but their characters counted: two
strings sharing k characters (counted with repeats) are at least max(|x|, |y|) - k edits
apart, and a Jaro or Indel similarity built on few shared characters is low. Counts go in
byte-wide buckets, eight to a uint64, so one integer operation handles eight buckets of a
pair. Characters merged into one bucket can only raise the sum of the smaller counts, so the
result is an upper bound on the characters shared, exact when no two characters meet.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Codes = npt.NDArray[np.int64]
Words = npt.NDArray[np.uint64]
MAX_COUNT = 127  # per bucket and per key: the byte arithmetic below needs counts below 128
_HIGH = np.uint64(0x8080808080808080)
_ONES = np.uint64(0x0101010101010101)


def packed(counts: npt.NDArray[np.integer]) -> tuple[Words, ...]:
    """Counts (keys, buckets; buckets a multiple of 8, each key's counts summing to at most
    MAX_COUNT) as one uint64 array per eight buckets.

    >>> [w.tolist() for w in packed(np.array([[1, 2, 0, 0, 0, 0, 0, 3]]))]
    [[216172782113784321]]
    """
    table = np.ascontiguousarray(counts, dtype=np.uint8)
    if not table.size:
        return tuple(np.zeros(len(table), np.uint64) for _ in range(table.shape[1] // 8))
    words = table.view("<u8")  # little-endian: bucket 8w + j is byte j of word w
    return tuple(words[:, w].astype(np.uint64) for w in range(table.shape[1] // 8))


def shared_counts(words: tuple[Words, ...], ca: Codes, cb: Codes) -> Codes:
    """For pairs of keys (ca[i], cb[i]): the sum over buckets of the smaller of their counts.

    Per byte, (x | 128) - y keeps its top bit exactly when x >= y (both below 128), and no
    byte borrows from the next; the byte sum lands in the top byte of the product by 0x0101...

    >>> words = packed(np.array([[1, 2, 0, 0, 0, 0, 0, 3], [2, 1, 0, 0, 0, 0, 0, 3]]))
    >>> shared_counts(words, np.array([0, 0]), np.array([1, 0])).tolist()
    [5, 6]
    """
    total = np.zeros(ca.size, dtype=np.uint64)
    for word in words:
        x, y = word[ca], word[cb]
        x_ge_y = (((x | _HIGH) - y) & _HIGH) >> np.uint64(7)
        x_ge_y *= np.uint64(0xFF)
        smaller = (y & x_ge_y) | (x & ~x_ge_y)
        total += (smaller * _ONES) >> np.uint64(56)
    result: Codes = total.astype(np.int64)
    return result
