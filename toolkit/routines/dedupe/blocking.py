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
    digits = [key.lstrip("+#") for key in features.phones.keys]
    parts = [d[:-4] if head else d[-4:] for d in digits]
    lookup = {p: i for i, p in enumerate(dict.fromkeys(parts))}
    mapped = np.array([lookup[p] for p in parts] or [0], dtype=np.int64)
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
    joined, big = _block_joined(
        rows, codes, sort_keys, max_block_size=max_block_size, window=window
    )
    return ((joined >> 32).astype(np.int64), (joined & 0xFFFFFFFF).astype(np.int64)), big


def _block_joined(
    rows: Codes, codes: Codes, sort_keys: list[Codes], *, max_block_size: int, window: int
) -> tuple[Codes, int]:
    """`block_pairs` as sorted distinct joined pairs (see `_joined`), each pass's pairs
    joined as soon as found (two int64 arrays a pair fewer held at once)."""
    keep = codes >= 0
    rows, codes = rows[keep], codes[keep]
    found: list[Codes] = []
    order = np.argsort(codes, kind="stable")
    found.append(
        _joined(*_within_blocks(rows[order], codes[order], max_block_size, window, full=True))
    )
    sizes = np.bincount(codes) if codes.size else np.zeros(0, dtype=np.int64)
    big = int((sizes > max_block_size).sum())
    in_big = sizes[codes] > max_block_size if codes.size else np.zeros(0, dtype=bool)
    for sort_key in sort_keys if big else []:
        # Rows of big blocks that have this key (rows without it would sort together and
        # pair at random); small blocks already gave all their pairs.
        keep = in_big & (sort_key[rows] >= 0)
        kept_rows, kept_codes = rows[keep], codes[keep]
        order = np.lexsort((sort_key[kept_rows], kept_codes))
        pairs = _within_blocks(kept_rows[order], kept_codes[order], 0, window, full=False)
        found.append(_joined(*pairs))
    return distinct_values(np.concatenate(found)), big


def _within_blocks(
    rows: Codes, codes: Codes, max_block_size: int, window: int, *, full: bool
) -> Pairs:
    """Pairs (i, i+d) of sorted positions in one block: d < block size, or d < window for a
    block bigger than `max_block_size` (every block when not `full`)."""
    n = codes.size
    if n < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    sizes = np.diff(np.r_[starts, n])
    big = sizes > max_block_size
    reach = np.where(big, window, sizes) if full else np.where(big, window, 0)
    block = np.repeat(np.arange(starts.size), sizes)
    end = (starts + sizes)[block]
    limit = np.minimum(np.arange(n) + reach[block], end)  # exclusive bound of partners
    active = np.flatnonzero(limit > np.arange(n) + 1)
    a_parts, b_parts = [], []
    step = 1
    while active.size:
        a_parts.append(rows[active])
        b_parts.append(rows[active + step])
        step += 1
        active = active[limit[active] > active + step]
    if not a_parts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(a_parts), np.concatenate(b_parts)


def _joined(a: Codes, b: Codes) -> Codes:
    """One int64 per pair of distinct rows, low row in the high half; self-pairs dropped."""
    low, high = np.minimum(a, b), np.maximum(a, b)
    keep = low != high
    result: Codes = low[keep] * (1 << 32) + high[keep]
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
    union = _Union()
    counts: dict[str, int] = {}
    seen: dict[str, tuple[Codes, Codes]] = {}  # block codes already paired, by key
    for bit, key in enumerate(settings.blocking):
        rows, codes = key_entries(features, key)
        codes, skipped = skip_common_blocks(codes, settings.skip_blocks_over.get(key))
        if skipped:
            counts[f"dedupe.skipped_blocks.{key}"] = skipped
        twin = next((k for k, (r, c) in seen.items() if _same_blocks(r, c, rows, codes)), None)
        if twin is not None:  # pinyin + city on Latin names: the name + city blocks again
            union.copy_bit(settings.blocking.index(twin), bit)
            found, big = counts[f"dedupe.pairs.{twin}"], counts.get(f"dedupe.big_blocks.{twin}", 0)
        else:
            joined, big = _block_joined(
                rows,
                codes,
                sort_keys,
                max_block_size=settings.max_block_size,
                window=settings.window,
            )
            union.add(joined, bit)
            found = int(joined.size)
            del joined
            seen[key] = (rows, codes)
        counts[f"dedupe.pairs.{key}"] = found
        if big:
            counts[f"dedupe.big_blocks.{key}"] = big
    a, b = union.rows()
    counts["dedupe.pairs"] = int(a.size)
    return Candidates(a, b, union.keys, tuple(settings.blocking), counts)


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


class _Union:
    """Distinct pairs of every key so far (sorted joined codes), each with the bits of the
    keys that found it; one key's pairs merged in at a time.

    Merging each key's (sorted, distinct) pairs into the union by binary search holds the
    union and one key's pairs; sorting every key's pairs together held all of them, a sort
    order and sorted copies: ~50 bytes per pair found, 3 GB at a million rows.

    >>> union = _Union()
    >>> union.add(np.array([1 << 32 | 5, 2 << 32 | 3]), 0)
    >>> union.add(np.array([1 << 32 | 2, 2 << 32 | 3]), 1)
    >>> [x.tolist() for x in union.rows()], union.keys.tolist()
    ([[1, 1, 2], [2, 5, 3]], [2, 1, 3])
    """

    def __init__(self) -> None:
        self.pairs: Codes = np.empty(0, dtype=np.int64)
        self.keys: npt.NDArray[np.uint16] = np.empty(0, dtype=np.uint16)

    def add(self, joined: Codes, bit: int) -> None:
        """Merge one key's sorted distinct joined pairs in, with its bit."""
        at = np.searchsorted(self.pairs, joined)
        known = at < self.pairs.size
        known[known] = self.pairs[at[known]] == joined[known]
        self.keys[at[known]] |= np.uint16(1 << bit)  # distinct pairs: no index twice
        new = np.flatnonzero(~known)
        self.pairs = np.insert(self.pairs, at[new], joined[new])
        self.keys = np.insert(self.keys, at[new], np.uint16(1 << bit))

    def copy_bit(self, source: int, bit: int) -> None:
        """Key `bit` found exactly the pairs key `source` found."""
        self.keys |= ((self.keys >> np.uint16(source)) & np.uint16(1)) << np.uint16(bit)

    def rows(self) -> Pairs:
        """(a, b) of every pair, a < b, in order of the joined codes."""
        return (self.pairs >> 32).astype(np.int64), (self.pairs & 0xFFFFFFFF).astype(np.int64)


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
