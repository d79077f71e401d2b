"""Namesake colleagues: a pair the field weights would match, held back for review.

Fellegi-Sunter adds each field's evidence as if fields were independent: a shared name, a
shared company and a shared city add up to a match, and a different phone takes only about
3 bits off (a tenth of true copies carry a new number). But colleagues share the company and
the city by definition, so two people of one name in one company and one city are far more
common than the product of the three frequencies says: James Smith at a big employer in New
York, or two 王芳 in one firm in 北京. Such a pair cannot be told from a copy whose phone
changed by its fields alone, so it is never an automatic match, only a pair for review, when

- name (exact or same sound), company (exact or close) and city agree,
- an identifier (phone, e-mail, birthday, address) differs and none agrees at any level,
- and either the name is common (held by COMMON_NAME_PEOPLE or more people in the sheet) or
  both phone and e-mail are present and differ.

A rare name with only a new phone stays a match: in measured sheets such pairs were copies
far more often than colleagues (see BENCHMARKS.md, Deduplication).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from toolkit.models.dedupe_settings import LEVELS
from toolkit.routines.dedupe.compare import Comparison, agreeing_sources, shared_codes
from toolkit.routines.dedupe.features import Features

Mask = npt.NDArray[np.bool_]
IDENTIFIERS = ("phone", "email", "birthday", "address")  # one person's; colleagues differ
COMMON_NAME_PEOPLE = 16
SHARED_BY_ONE_PERSON = ("phone", "email", "address")


def namesake_pattern(features: Features, comparison: Comparison) -> Mask:
    """Pairs that look like two colleagues of one name (see the module docstring).

    >>> from toolkit.routines.dedupe.features import encode
    >>> e, n = encode([None] * 2), encode(["james smith"] * 2)
    >>> f = Features(2, n, n, e, e, e, e, e, e, e, e, ())
    >>> one = lambda level: np.array([level], np.int8)
    >>> levels = {"name": one(0), "company": one(0), "city": one(0), "phone": one(2),
    ...           "email": one(1), "birthday": one(-1), "address": one(-1)}
    >>> c = Comparison(np.array([0]), np.array([1]), levels)
    >>> namesake_pattern(f, c).tolist()
    [True]
    """
    levels = comparison.levels
    if not {"name", "company", "city"} <= set(levels):
        return np.zeros(comparison.a.size, dtype=bool)
    colleagues = (
        (levels["name"] <= 1) & (levels["name"] >= 0)
        & (levels["company"] <= 1) & (levels["company"] >= 0)
        & (levels["city"] == 0)
    )  # fmt: skip
    conflict, support = _identifiers(comparison)
    contacts = _differs(comparison, "phone") & _differs(comparison, "email")
    common = shared_name_people(features, comparison) >= COMMON_NAME_PEOPLE
    result: Mask = colleagues & conflict & ~support & (common | contacts)
    return result


def _identifiers(comparison: Comparison) -> tuple[Mask, Mask]:
    """(an identifier differs, an identifier agrees at some level) per pair."""
    conflict = np.zeros(comparison.a.size, dtype=bool)
    support = np.zeros(comparison.a.size, dtype=bool)
    for field in IDENTIFIERS:
        if field in comparison.levels:
            different = len(LEVELS[field]) - 1
            levels = comparison.levels[field]
            conflict |= levels == different
            support |= (levels >= 0) & (levels < different)
    return conflict, support


def _differs(comparison: Comparison, field: str) -> Mask:
    levels = comparison.levels.get(field)
    if levels is None:
        return np.zeros(comparison.a.size, dtype=bool)
    result: Mask = levels == len(LEVELS[field]) - 1
    return result


def shared_name_people(features: Features, comparison: Comparison) -> npt.NDArray[np.int64]:
    """How many people in the sheet hold the name a pair shares (0 where names differ)."""
    people = np.zeros(comparison.a.size, dtype=np.int64)
    levels = comparison.levels.get("name")
    if levels is None:
        return people
    for level, coded in enumerate(agreeing_sources(features, "name")):  # exact, then pinyin
        where = np.flatnonzero(levels == level)
        codes = shared_codes(features, "name", level, comparison.a[where], comparison.b[where])
        people[where] = coded.counts[codes]
    return people


def shared_identifier(comparison: Comparison) -> Mask:
    """Pairs with the same phone, e-mail or address: what two namesakes do not share by chance
    (a birthday they do: among ten thousand James Smiths, hundreds share each birthday)."""
    shared = np.zeros(comparison.a.size, dtype=bool)
    for field in SHARED_BY_ONE_PERSON:
        if field in comparison.levels:
            shared |= comparison.levels[field] == 0
    return shared
