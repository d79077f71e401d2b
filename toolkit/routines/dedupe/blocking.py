"""Candidate pairs: rows that share at least one blocking key are compared, no other pair is.

Several keys (phone, e-mail, name + city, pinyin + city, company + surname, name + birthday,
surname initials + either half of the phone, address...)
so that a duplicate differing in any one field still meets its twin under another key. A block
larger than `max_block_size` (王伟 in 北京 in a big list) would make its pairs grow with the
square of its size; it is instead sorted on other fields and each row is paired with its
next `window - 1` neighbours only (sorted neighbourhood), once per sort order. The count of
such blocks is reported, so pair counts stay near-linear in rows and nothing is silently lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.routines.dedupe.features import Codes, Features, distinct_values

Pairs = tuple[Codes, Codes]  # (a, b) row positions, a < b


@dataclass(frozen=True)
class Candidates:
    """The union of every key's pairs, and which keys found each pair.

    A bit per key (`keys[i]` has bit k set when `key_names[k]` found pair i) instead of each
    key's own arrays: at a million rows the keys find tens of millions of pairs, mostly the
    same ones, and EM trains on each key's pairs (see weights.py).

    `a` and `b` are int32 row positions (a[i] < b[i]), half the memory of int64 at forty
    million pairs: index with them freely, but widen them (`astype(np.int64)`) before any
    arithmetic (a * size + b overflows int32 silently).
    """

    a: Codes
    b: Codes
    keys: npt.NDArray[np.uint16]
    key_names: tuple[str, ...]
    counts: dict[str, int]  # "dedupe.pairs.phone": ..., "dedupe.big_blocks.name_city": ...

    def of_key(self, name: str) -> npt.NDArray[np.int64]:
        """Positions (in a, b) of the pairs the blocking key `name` found."""
        bit = np.uint16(1 << self.key_names.index(name))
        found: npt.NDArray[np.int64] = np.flatnonzero(self.keys & bit)
        return found


def combine_codes(first: Codes, second: Codes) -> Codes:
    """One code per row for a pair of codes; -1 when either is -1.

    >>> combine_codes(np.array([0, 1, -1]), np.array([2, 2, 0])).tolist()
    [0, 1, -1]
    """
    valid = (first >= 0) & (second >= 0)
    joined = first[valid] * (int(second.max(initial=0)) + 1) + second[valid]
    result: Codes = np.full(first.size, -1, dtype=np.int64)
    result[valid] = np.unique(joined, return_inverse=True)[1]
    return result


def _phone_part(features: Features, head: bool) -> Codes:
    """Per row, a code for the first phone's digits but the last four (head) or its last four.

    Blocking on name + each part finds a copy with a one-digit typo in the phone: the typo
    sits in one part, the other still agrees.
    """
    keys = features.phones.keys
    lookup: dict[str, int] = {}
    first = lookup.setdefault  # codes in order of first appearance, one pass over the keys
    if head:
        parts = [first(key.lstrip("+#")[:-4], len(lookup)) for key in keys]
    else:
        parts = [first(key.lstrip("+#")[-4:], len(lookup)) for key in keys]
    mapped = np.array(parts or [0], dtype=np.int64)
    codes = features.phone
    return np.where(codes >= 0, mapped[np.maximum(codes, 0)], -1)


def key_entries(features: Features, key: str) -> tuple[Codes, Codes]:
    """(rows, block codes) of one blocking key; a row may appear twice (two phones)."""
    rows = np.arange(features.size, dtype=np.int64)
    if key == "phone":
        return np.concatenate([rows, rows]), features.phones.codes
    first, second = _KEY_PARTS[key]
    codes = first(features) if second is None else combine_codes(first(features), second(features))
    return rows, codes


Part = Callable[[Features], Codes]
# Each key's codes, or the two codes it combines; only the key asked for is computed.
_KEY_PARTS: dict[str, tuple[Part, Part | None]] = {
    "email": (lambda f: f.email.codes, None),
    "name_city": (lambda f: f.name.codes, lambda f: f.city.codes),
    "pinyin_city": (lambda f: f.pinyin.codes, lambda f: f.city.codes),
    "company": (lambda f: f.company.codes, lambda f: f.initials.codes),
    "name_birthday": (lambda f: f.name.codes, lambda f: f.birthday.codes),
    "pinyin_birthday": (lambda f: f.pinyin.codes, lambda f: f.birthday.codes),
    "name_company": (lambda f: f.name.codes, lambda f: f.company.codes),
    "initials_birthday": (lambda f: f.initials.codes, lambda f: f.birthday.codes),
    "address": (lambda f: f.address.codes, None),
    "initials_phone_head": (lambda f: f.initials.codes, lambda f: _phone_part(f, head=True)),
    "initials_phone_tail": (lambda f: f.initials.codes, lambda f: _phone_part(f, head=False)),
}


def block_pairs(
    rows: Codes, codes: Codes, sort_keys: list[Codes], *, max_block_size: int, window: int
) -> tuple[Pairs, int]:
    """Pairs of rows sharing a code, and how many blocks were too big for all pairs.

    >>> rows, codes = np.arange(4), np.array([5, 5, -1, 5])
    >>> (a, b), big = block_pairs(rows, codes, [], max_block_size=10, window=2)
    >>> sorted(zip(a.tolist(), b.tolist())), big
    ([(0, 1), (0, 3), (1, 3)], 0)
    """
    shift = row_bits(int(rows.max(initial=0)) + 1)
    joined, big = _block_joined(
        rows, codes, sort_keys, shift=shift, max_block_size=max_block_size, window=window
    )
    return _split(joined, shift), big


def row_bits(size: int) -> int:
    """Bits of a row position in a pair code (see `_block_joined`): a row's bits, low row
    above high row, and the finding key's position below both must fit an int64.

    >>> row_bits(1_048_575), row_bits(1)
    (20, 1)
    """
    bits = max(1, (size - 1).bit_length())
    if 2 * bits + _KEY_BITS > 63:  # and rows fit int32 (see Candidates)
        raise ValueError(f"{size:,} rows are too many to pair (at most {1 << 29:,})")
    return bits


_KEY_BITS = 4  # a key's position in the settings' blocking keys (at most 16, see Candidates)


def _split(joined: Codes, shift: int) -> Pairs:
    """(low rows, high rows) of pair codes, as int32 (see Candidates)."""
    low: Codes = (joined >> shift).astype(np.int32)
    high: Codes = (joined & ((1 << shift) - 1)).astype(np.int32)
    return low, high


def _block_joined(
    rows: Codes,
    codes: Codes,
    sort_keys: list[Codes],
    *,
    shift: int,
    max_block_size: int,
    window: int,
) -> tuple[Codes, int]:
    """`block_pairs` as sorted distinct pair codes: low row << shift | high row.

    One sort by block, whose order every sorted-neighbourhood pass reuses: a pass sorts only
    the rows of big blocks, and only by its own field within each block.
    """
    keep = codes >= 0
    order = np.argsort(codes[keep], kind="stable")
    rows, codes = rows[keep][order], codes[keep][order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if codes.size else codes
    sizes = np.diff(np.r_[starts, codes.size])
    found = _within_blocks(rows, starts, sizes, max_block_size, window, shift=shift)
    big = int((sizes > max_block_size).sum())
    if big:
        in_big = np.repeat(sizes > max_block_size, sizes)
        block = np.repeat(np.arange(starts.size), sizes)[in_big]
        rows = rows[in_big]
    for sort_key in sort_keys if big else []:
        # Rows of big blocks that have this key (rows without it would sort together and
        # pair at random); small blocks already gave all their pairs. A stable sort of rows
        # already in block order: ties keep the order of the rows as the table has them.
        keep = sort_key[rows] >= 0
        kept_rows, kept_block = rows[keep], block[keep]
        order = np.lexsort((sort_key[kept_rows], kept_block))
        kept_rows, kept_block = kept_rows[order], kept_block[order]
        kept_starts = np.flatnonzero(np.r_[True, kept_block[1:] != kept_block[:-1]])
        kept_sizes = np.diff(np.r_[kept_starts, kept_block.size])
        found += _within_blocks(kept_rows, kept_starts, kept_sizes, 0, window, shift=shift)
    joined = np.concatenate(found) if found else np.empty(0, dtype=np.int64)
    del found
    return _distinct_sorted(joined), big


def _within_blocks(
    rows: Codes, starts: Codes, sizes: Codes, max_block_size: int, window: int, *, shift: int
) -> list[Codes]:
    """Pair codes of (i, i+d) of positions in one block: d < block size, or d < window for a
    block bigger than `max_block_size` (every block when `max_block_size` is 0); rows in
    blocks, `starts` and `sizes` the blocks'. Self-pairs (a row with two equal phones) are
    left out. One array per distance d: the caller joins every pass's arrays at once."""
    n = rows.size
    if n < 2:
        return []
    reach = np.where(sizes > max_block_size, np.minimum(sizes, window), sizes)
    block = np.repeat(np.arange(starts.size), sizes)
    # How far each position's partners go: to its block's end, or its window's.
    span = np.minimum(reach[block], (starts + sizes)[block] - np.arange(n))
    active = np.flatnonzero(span > 1)
    # Rows ascending in every block (a stable sort by block of rows in table order, the
    # first pass of any key but the phones) need no min/max and hold no self-pair.
    ascending = bool(np.all((rows[1:] > rows[:-1]) | (block[1:] != block[:-1])))
    shifted = rows << shift
    found = []
    step = 1
    while active.size:
        partner = rows[active + step]
        if ascending:
            found.append(shifted[active] | partner)
        else:
            mine = rows[active]
            pair = (np.minimum(mine, partner) << shift) | np.maximum(mine, partner)
            found.append(pair[mine != partner])
        step += 1
        active = active[span[active] > step]
    return found


def _distinct_sorted(joined: Codes) -> Codes:
    """Sorted distinct values of `joined`, sorted in place."""
    joined.sort()
    if joined.size < 2:
        return joined
    result: Codes = joined[np.r_[True, joined[1:] != joined[:-1]]]
    return result


def candidate_pairs(features: Features, settings: DedupeSettings) -> Candidates:
    """Every candidate pair of the table under the settings' blocking keys.

    >>> from toolkit.routines.dedupe.features import Features, encode
    >>> e = encode([None] * 3)
    >>> f = Features(3, e, e, e, e, encode(["1", None, "1", None, None, None]), e, e, e, e, e, ())
    >>> c = candidate_pairs(f, DedupeSettings(blocking=("phone",)))
    >>> c.a.tolist(), c.b.tolist(), c.counts["dedupe.pairs.phone"]
    ([0], [2], 1)
    """
    sort_keys = [features.birthday.codes, features.company.codes, features.email.codes]
    shift = row_bits(features.size)
    tagged: list[Codes] = []  # each key's pair codes, tagged with its bit (see _union)
    twins: list[tuple[int, int]] = []  # (bit of a key, bit of a key with the same blocks)
    counts: dict[str, int] = {}
    seen: dict[str, tuple[Codes, Codes]] = {}  # block codes already paired, by key
    for bit, key in enumerate(settings.blocking):
        rows, codes = key_entries(features, key)
        codes, skipped = skip_common_blocks(codes, settings.skip_blocks_over.get(key))
        if skipped:
            counts[f"dedupe.skipped_blocks.{key}"] = skipped
        twin = next((k for k, (r, c) in seen.items() if _same_blocks(r, c, rows, codes)), None)
        if twin is not None:  # pinyin + city on Latin names: the name + city blocks again
            twins.append((settings.blocking.index(twin), bit))
            found, big = counts[f"dedupe.pairs.{twin}"], counts.get(f"dedupe.big_blocks.{twin}", 0)
        else:
            joined, big = _block_joined(
                rows,
                codes,
                sort_keys,
                shift=shift,
                max_block_size=settings.max_block_size,
                window=settings.window,
            )
            found = int(joined.size)
            joined <<= _KEY_BITS
            joined |= bit
            tagged.append(joined)
            del joined
            seen[key] = (rows, codes)
        counts[f"dedupe.pairs.{key}"] = found
        if big:
            counts[f"dedupe.big_blocks.{key}"] = big
    del seen
    a, b, keys = _union(tagged, shift)
    for source, bit in twins:
        keys |= ((keys >> np.uint16(source)) & np.uint16(1)) << np.uint16(bit)
    counts["dedupe.pairs"] = int(a.size)
    return Candidates(a, b, keys, tuple(settings.blocking), counts)


def skip_common_blocks(codes: Codes, limit: int | None) -> tuple[Codes, int]:
    """Block codes with every block of more than `limit` rows blanked (-1), and how many.

    A value shared by hundreds of rows (one company, a common name in a big city) pairs
    rows that are mostly not one customer, and the duplicates among them also share a
    phone, e-mail, birthday or address: their pairs cost more than they find.

    >>> codes, skipped = skip_common_blocks(np.array([0, 0, 0, 1, 1, -1]), 2)
    >>> codes.tolist(), skipped
    ([-1, -1, -1, 1, 1, -1], 1)
    """
    if limit is None or not codes.size:
        return codes, 0
    sizes = np.bincount(codes[codes >= 0])
    common = sizes > limit
    if not common.any():
        return codes, 0
    blanked: Codes = np.where((codes >= 0) & common[np.maximum(codes, 0)], -1, codes)
    return blanked, int(common.sum())


def _same_blocks(rows: Codes, codes: Codes, other_rows: Codes, other_codes: Codes) -> bool:
    """Whether two keys put the same rows in the same blocks (then their pairs are equal)."""
    if rows.size != other_rows.size or not np.array_equal(rows, other_rows):
        return False
    if not np.array_equal(codes < 0, other_codes < 0):
        return False
    valid = codes >= 0
    x, y = codes[valid], other_codes[valid]
    distinct = distinct_values(x * (int(y.max(initial=0)) + 1) + y).size
    return distinct == distinct_values(x).size == distinct_values(y).size


def _union(
    tagged: list[Codes], shift: int, *, slice_size: int = 1 << 22
) -> tuple[Codes, Codes, npt.NDArray[np.uint16]]:
    """Distinct pairs of every key, sorted, as (a, b) int32 rows, and the bits of the keys
    that found each.

    `tagged` holds each key's distinct pair codes shifted up by `_KEY_BITS`, the key's bit
    number below them; the list is emptied as its arrays are copied into one. One sort of
    them all (merging each key into the union by binary search and np.insert cost seven
    seconds at a million rows), then the copies of a pair, now neighbours, give one pair
    with the OR of their bits, `slice_size` entries at a time: the result is allocated
    once, and temporaries stay at tens of MB (an int64 position of every pair was 330 MB).

    >>> tagged = [np.array([1 << 4 | 0, 7 << 4 | 0]), np.array([1 << 4 | 1, 3 << 4 | 1])]
    >>> a, b, keys = _union(tagged, shift=2)
    >>> a.tolist(), b.tolist(), keys.tolist()
    ([0, 0, 1], [1, 3, 3], [3, 2, 1])
    """
    every = np.empty(sum(part.size for part in tagged), dtype=np.int64)
    start = 0
    while tagged:  # copied one key at a time, each freed once copied
        part = tagged.pop(0)
        every[start : start + part.size] = part
        start += part.size
        del part
    # A key finds a pair once and keys have distinct bits: no two entries are equal, so the
    # (unstable, fastest) sort is deterministic.
    every.sort()
    bounds = _pair_bounds(every, slice_size)
    size = sum(int(np.count_nonzero(_pair_starts(every[lo:hi]))) for lo, hi in bounds)
    a, b = np.empty(size, dtype=np.int32), np.empty(size, dtype=np.int32)
    keys = np.empty(size, dtype=np.uint16)
    done = 0
    for lo, hi in bounds:
        entries = every[lo:hi]
        starts = np.flatnonzero(_pair_starts(entries))
        end = done + starts.size
        bits = np.left_shift(np.uint16(1), (entries & _KEY_MASK).astype(np.uint16))
        keys[done:end] = np.bitwise_or.reduceat(bits, starts)
        joined = entries[starts] >> _KEY_BITS
        a[done:end] = joined >> shift
        b[done:end] = joined & ((1 << shift) - 1)
        done = end
    return a, b, keys


_KEY_MASK = (1 << _KEY_BITS) - 1


def _pair_starts(entries: Codes) -> npt.NDArray[np.bool_]:
    """Which sorted tagged entries start a pair (slices begin with one, see _pair_bounds)."""
    starts = np.empty(entries.size, dtype=bool)
    starts[:1] = True
    np.greater(entries[1:] ^ entries[:-1], _KEY_MASK, out=starts[1:])
    return starts


def _pair_bounds(every: Codes, slice_size: int) -> list[tuple[int, int]]:
    """Slices of about `slice_size` sorted entries, each beginning where a pair does."""
    bounds = []
    low = 0
    while low < every.size:
        high = min(low + slice_size, every.size)
        while high < every.size and int(every[high] ^ every[high - 1]) <= _KEY_MASK:
            high += 1  # a pair has at most one entry per key: a few steps at most
        bounds.append((low, high))
        low = high
    return bounds


def random_pairs(size: int, count: int, seed: int = 20250630) -> Pairs:
    """`count` random distinct pairs of rows (all pairs when there are fewer), reproducibly."""
    total = size * (size - 1) // 2
    if total <= count:
        a, b = np.triu_indices(size, k=1)
        return a.astype(np.int64), b.astype(np.int64)
    rng = np.random.default_rng(seed)
    a = rng.integers(0, size, count, dtype=np.int64)
    b = rng.integers(0, size - 1, count, dtype=np.int64)
    b = np.where(b >= a, b + 1, b)  # never a row with itself
    return np.minimum(a, b), np.maximum(a, b)
