"""Field-by-field comparison of candidate pairs into levels (exact, close, different, missing).

Levels per field are listed in `toolkit.models.dedupe_settings.LEVELS`, best first; -1 is
"missing" (either side blank), which weighs nothing. Exact levels compare integer codes over
whole columns. Fuzzy levels run rapidfuzz on each distinct pair of keys once (a company shared
by a hundred pairs is compared once), on str objects, so distances count characters and not
UTF-8 bytes: "张伟" and "张玮" are one edit apart, not three; and only on the pairs that a bound
on their shared characters cannot rule out (bounds.py): at a million rows, tens of millions
of pairs of different names and addresses, of which about one in a hundred comes close.
Whatever depends on the keys alone (folded sounds, sketches, date integers) is worked out
once per key, not once per pair.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler

from toolkit.models.dedupe_settings import LEVELS, DedupeSettings
from toolkit.normalize import pinyin_key
from toolkit.routines.dedupe.bounds import derived, indel_may_reach, jaro_winkler_may_reach
from toolkit.routines.dedupe.dates import dates_close
from toolkit.routines.dedupe.digits import one_edit_apart
from toolkit.routines.dedupe.features import Coded, Codes, Features

LevelArray = npt.NDArray[np.int8]
Mask = npt.NDArray[np.bool_]
CHUNK = 1 << 21  # pairs compared at once
MISSING = -1


@dataclass(frozen=True)
class Comparison:
    """Levels of every compared field for pairs (a[i], b[i]).

    The value a pair shares at an agreeing level (the name at "exact", the pinyin at "pinyin",
    the shared phone...) is not kept: `shared_codes` works it out from the rows when the
    term-frequency adjustment asks (a shared 王伟 weighs less than a shared rare name). Kept,
    it cost an int32 per pair and field, over a gigabyte at forty million pairs.
    """

    a: Codes
    b: Codes
    levels: dict[str, LevelArray]

    def level_name(self, field: str, index: int) -> str:
        """The level of pair `index` on `field` as a word ("exact", "missing"...)."""
        level = int(self.levels[field][index])
        return LEVELS[field][level] if level >= 0 else "missing"


def agreeing_sources(features: Features, field: str) -> tuple[Coded, ...]:
    """The keys shared at each agreeing level of `field`: level i shares a key of source i.

    Name agrees on the name itself at "exact" and on its pinyin at "pinyin"; every other
    field agrees on its own key at level 0 (phones: the code space of phone and phone2).
    """
    if field == "name":
        return (features.name, features.pinyin)
    return (features.coded(field),)


def shared_codes(features: Features, field: str, level: int, a: Codes, b: Codes) -> Codes:
    """The code (in `agreeing_sources(features, field)[level]`) of the value each pair
    (a[i], b[i]) shares; every pair must be at that agreeing level.

    >>> from toolkit.routines.dedupe.features import encode
    >>> e, n = encode([None, None]), encode(["张伟", "章伟"])
    >>> f = Features(2, n, encode(["zhangwei"] * 2), e, e, encode(["1", "2", "2", None]),
    ...              e, e, e, e, e, ("张伟", "章伟"))
    >>> shared_codes(f, "name", 1, np.array([0]), np.array([1])).tolist()  # pinyin zhangwei
    [0]
    >>> shared_codes(f, "phone", 0, np.array([0]), np.array([1])).tolist()  # phone2 of row 0
    [1]
    """
    if field == "phone":
        p1, p2 = features.phone, features.phone2
        options = [(p1[a], p1[b]), (p1[a], p2[b]), (p2[a], p1[b]), (p2[a], p2[b])]
        shared = np.full(a.size, -1, dtype=np.int64)
        for left, right in reversed(options):  # the first phones' agreement wins
            shared = np.where((left == right) & (left >= 0), left, shared)
        return shared
    codes: Codes = agreeing_sources(features, field)[level].codes[a]
    return codes


def compare_pairs(features: Features, a: Codes, b: Codes, settings: DedupeSettings) -> Comparison:
    """Compare pairs of rows on every field of the settings.

    >>> from toolkit.routines.dedupe.features import encode
    >>> e, n = encode([None, None]), encode(["张伟", "章伟"])
    >>> f = Features(2, n, encode(["zhangwei"] * 2), e, e, encode(["1", "1", None, None]),
    ...              e, e, e, e, e, ("张伟", "章伟"))
    >>> c = compare_pairs(f, np.array([0]), np.array([1]), DedupeSettings())
    >>> c.level_name("name", 0), c.level_name("phone", 0), c.level_name("email", 0)
    ('pinyin', 'exact', 'missing')
    """
    if a.size > CHUNK:
        # Temporaries per field run to a few hundred bytes a pair: tens of millions of pairs
        # are compared a slice at a time, into results allocated once (concatenating the
        # slices' results held them twice).
        levels = {f: np.empty(a.size, dtype=np.int8) for f in settings.fields}
        for start in range(0, a.size, CHUNK):
            end = start + CHUNK
            part = compare_pairs(features, a[start:end], b[start:end], settings)
            for field in settings.fields:
                levels[field][start:end] = part.levels[field]
        return Comparison(a, b, levels)
    levels = {}
    for field in settings.fields:
        if field == "name":
            levels[field] = _names(features, a, b, settings.name_close)
        elif field == "phone":
            levels[field] = _phones(features, a, b)
        elif field in ("email", "city"):
            levels[field] = _exact_only(features.coded(field), a, b)
        else:
            coded = features.coded(field)
            levels[field] = _exact_or_close(coded, a, b, _CLOSE[field](settings))
    return Comparison(a, b, levels)


def _exact_only(coded: Coded, a: Codes, b: Codes) -> LevelArray:
    ca, cb = coded.codes[a], coded.codes[b]
    missing = (ca < 0) | (cb < 0)
    equal = (ca == cb) & ~missing
    levels: LevelArray = np.where(missing, MISSING, np.where(equal, 0, 1)).astype(np.int8)
    return levels


# Answers for pairs of keys (left[i], right[i]) at once: rapidfuzz's cpdist compares whole
# arrays in C, where a Python call per pair cost seconds per million pairs.
Keys = Sequence[str] | npt.NDArray[np.object_]
Similar = Callable[[Keys, Keys], Mask]
# Pairs of key codes (ca[i], cb[i]) whose keys may be `Similar`: never drops one that is.
MayReach = Callable[[Coded, Codes, Codes], Mask]
# Answers for pairs of key codes (ca[i], cb[i]) where a mask holds (False elsewhere).
Close = Callable[[Coded, Codes, Codes, Mask], Mask]


def _exact_or_close(coded: Coded, a: Codes, b: Codes, close_of: Close) -> LevelArray:
    """Levels exact (0), close (1), different (2)."""
    ca, cb = coded.codes[a], coded.codes[b]
    missing = (ca < 0) | (cb < 0)
    equal = (ca == cb) & ~missing
    close = close_of(coded, ca, cb, ~missing & ~equal)
    levels = np.where(missing, MISSING, np.where(equal, 0, np.where(close, 1, 2)))
    result: LevelArray = levels.astype(np.int8)
    return result


def distinct_pairs_where(
    coded: Coded,
    ca: Codes,
    cb: Codes,
    mask: Mask,
    similar: Similar,
    may_reach: MayReach | None = None,
) -> Mask:
    """`similar` of the keys of each pair where `mask`, computed once per distinct pair, and
    only for pairs that `may_reach` lets through (a bound that never drops a similar pair).

    >>> from toolkit.routines.dedupe.features import encode
    >>> coded = encode(["zhang wei", "zhang wie", "li na"])
    >>> jw = similar_at_least(JaroWinkler.similarity, 0.88)
    >>> codes, other = np.array([0, 0, 1]), np.array([1, 2, 0])
    >>> distinct_pairs_where(coded, codes, other, np.ones(3, bool), jw).tolist()
    [True, False, True]
    """
    result = np.zeros(ca.size, dtype=bool)
    where = np.flatnonzero(mask)
    if may_reach is not None and where.size:
        where = where[may_reach(coded, ca[where], cb[where])]
    if where.size == 0:
        return result
    width = max(len(coded.keys), 1)
    x, y = ca[where], cb[where]
    joined = np.minimum(x, y) * width + np.maximum(x, y)
    del x, y
    distinct, inverse = np.unique(joined, return_inverse=True)
    # Keys picked out of an object array (a pointer copy each): building lists of str one
    # Python call per pair cost more than comparing them.
    keys = derived(coded, _key_array)
    result[where] = similar(keys[distinct // width], keys[distinct % width])[inverse]
    return result


def _key_array(coded: Coded) -> npt.NDArray[np.object_]:
    array = np.empty(len(coded.keys), dtype=object)
    array[:] = coded.keys
    return array


def close_by(similar: Similar, may_reach: MayReach | None = None) -> Close:
    """A Close answering by `similar` on each distinct pair of keys `may_reach` lets through."""

    def close(coded: Coded, ca: Codes, cb: Codes, mask: Mask) -> Mask:
        return distinct_pairs_where(coded, ca, cb, mask, similar, may_reach)

    return close


def similar_at_least(scorer: Callable[..., float], threshold: float) -> Similar:
    """Pairs whose rapidfuzz `scorer` similarity reaches `threshold`.

    >>> similar_at_least(JaroWinkler.similarity, 0.88)(["zhang wei"], ["zhang wie"]).tolist()
    [True]
    """

    def similar(left: Keys, right: Keys) -> Mask:
        scores = process.cpdist(left, right, scorer=scorer, dtype=np.float64, workers=1)
        answer: Mask = np.asarray(scores) >= threshold
        return answer

    return similar


def _names(features: Features, a: Codes, b: Codes, threshold: float) -> LevelArray:
    """exact 0, pinyin 1, close 2, surname 3, different 4.

    A name that is only a surname with a title (陈先生) agrees at most at "surname" level, even
    with another 陈先生: two such rows say only that both customers are called 陈.
    """
    name, pinyin, surname = features.name, features.pinyin.codes, features.surname.codes
    na, nb = name.codes[a], name.codes[b]
    pa, pb = pinyin[a], pinyin[b]
    missing = (na < 0) | (nb < 0)
    titled = (surname[a] >= 0) | (surname[b] >= 0)
    exact = (na == nb) & ~missing & ~titled
    sounds = (pa == pb) & (pa >= 0) & ~exact & ~missing
    rest = ~missing & ~exact & ~sounds & ~titled
    # Close: the same sound once IME-confused sounds are folded, or else near by Jaro-Winkler.
    folded = derived(features.pinyin, folded_sounds)
    close = rest & (pa >= 0) & (pb >= 0)
    both = np.flatnonzero(close)
    close[both] = folded[pa[both]] == folded[pb[both]]
    del both
    close |= distinct_pairs_where(
        name,
        na,
        nb,
        rest & ~close,
        similar_at_least(JaroWinkler.similarity, threshold),
        jaro_winkler_may_reach(threshold),
    )
    same_surname = _surname_agrees(features, a, b, titled & ~missing)
    levels = np.select(
        [missing, exact, sounds, close, same_surname], [MISSING, 0, 1, 2, 3], default=4
    )
    result: LevelArray = levels.astype(np.int8)
    return result


# IME "fuzzy pinyin": staff who do not tell zh/z, ch/c, sh/s or -ng/-n apart type 程 for 陈.
_FUZZY_SOUNDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ng", "n"))


def folded_sounds(pinyin: Coded) -> Codes:
    """A code per pinyin key, equal for keys equal once IME-confused sounds are folded.

    >>> from toolkit.routines.dedupe.features import encode
    >>> folded_sounds(encode(["chenwei", "chengwei", "zangwei", "zhangwei", "lina"])).tolist()
    [0, 0, 1, 1, 2]
    """
    index: dict[str, int] = {}
    return np.fromiter(
        (index.setdefault(_folded_sounds(key), len(index)) for key in pinyin.keys),
        dtype=np.int64,
        count=len(pinyin.keys),
    )


def _folded_sounds(key: str) -> str:
    for long, short in _FUZZY_SOUNDS:
        key = key.replace(long, short)
    return key


def _surname_agrees(
    features: Features, a: Codes, b: Codes, mask: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """For pairs where a side is a bare surname (陈先生): does the other side's surname sound
    the same (黄女士 and 皇敏, 上官先生 and 上官兰娟, Mr Smith and John Smith)?

    The answer depends on four codes (the bare surname; the other side's surname, name and
    pinyin), so it is worked out once per distinct four, not once per pair.
    """
    result = np.zeros(a.size, dtype=bool)
    where = np.flatnonzero(mask)
    if where.size == 0:
        return result
    surname = features.surname.codes
    swap = surname[a[where]] < 0  # the bare surname goes first
    first = np.where(swap, b[where], a[where])
    second = np.where(swap, a[where], b[where])
    facts = np.stack(
        [
            surname[first],
            surname[second],
            features.name.codes[second],
            features.pinyin.codes[second],
        ],
        axis=1,
    )
    distinct, inverse = np.unique(facts, axis=0, return_inverse=True)
    answers = np.fromiter(
        (_same_surname(features, *row) for row in distinct.tolist()),
        dtype=bool,
        count=distinct.shape[0],
    )
    result[where] = answers[inverse.reshape(-1)]
    return result


def _same_surname(features: Features, bare: int, surname: int, name: int, pinyin: int) -> bool:
    """Whether the surname of code `bare` sounds like the other side's (codes, -1: none)."""
    written = features.surname.keys[bare]
    other_surname = features.surname.keys[surname] if surname >= 0 else ""
    other = other_surname or (features.name.keys[name] if name >= 0 else "")
    if not other:
        return False
    if written.isascii():
        return other.split()[-1] == written
    if other == written or other.startswith(written):
        return True
    other_pinyin = features.pinyin.keys[pinyin] if pinyin >= 0 else ""
    return other_pinyin.startswith(pinyin_key(written)) or (
        bool(other_surname) and pinyin_key(other) == pinyin_key(written)
    )


def _phones(features: Features, a: Codes, b: Codes) -> LevelArray:
    """exact 0 (any number of one row is a number of the other), typo 1, different 2."""
    p1a, p1b = features.phone[a], features.phone[b]
    p2a, p2b = features.phone2[a], features.phone2[b]
    exact = ((p1a == p1b) | (p1a == p2b)) & (p1a >= 0)
    exact |= ((p2a == p1b) | (p2a == p2b)) & (p2a >= 0)
    missing = ((p1a < 0) & (p2a < 0)) | ((p1b < 0) & (p2b < 0))
    typo = np.zeros(a.size, dtype=bool)
    where = np.flatnonzero(~missing & ~exact & (p1a >= 0) & (p1b >= 0))
    typo[where] = one_edit_apart(features.phone_digits, p1a[where], p1b[where])
    levels = np.where(missing, MISSING, np.where(exact, 0, np.where(typo, 1, 2)))
    result: LevelArray = levels.astype(np.int8)
    return result


def _close_company(settings: DedupeSettings) -> Close:
    threshold = settings.company_close
    return close_by(
        similar_at_least(JaroWinkler.similarity, threshold), jaro_winkler_may_reach(threshold)
    )


def _close_address(settings: DedupeSettings) -> Close:
    threshold = settings.address_close
    return close_by(
        similar_at_least(Indel.normalized_similarity, threshold), indel_may_reach(threshold)
    )


def _close_birthday(settings: DedupeSettings) -> Close:
    return dates_close


_CLOSE: dict[str, Callable[[DedupeSettings], Close]] = {
    "company": _close_company,
    "address": _close_address,
    "birthday": _close_birthday,
}
