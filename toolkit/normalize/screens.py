"""Bulk screens: which distinct values of a column still need their parser, found cheaply.

Validating a million customers means judging a million distinct ids, phones and e-mails, and
almost all of them are fine. One compiled pattern per value says so in a fraction of a
microsecond, where the parser (with its cache, its folding and phonenumbers) takes several.
Each screen only ever answers "fine as written": a value it does not pass still goes to the
parser, which decides. Property tests hold every value a screen passes to exactly the
parser's answer `Parsed(value, None, None)` (or a valid `Phone` with no problem).

>>> sorted(needs_parsing("phone", ["13800138000", "138-0013-8000", None]), key=str)
['138-0013-8000', None]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from toolkit.normalize.phone import cn_mobile_pattern
from toolkit.normalize.text import FOLD_ALNUM_CHARACTERS, SPACING_CHARACTERS
from toolkit.normalize.values import EMAIL_PATTERN, LONGEST_EMAIL
from toolkit.table import CellValue

# clean_text changes a text exactly when it holds one of these: a character it deletes,
# replaces or folds, a carriage return, a doubled space, a space at either end of a line, or
# a line break at either end of the text (see text._tidy_spaces and text._clean).
_CHANGED_BY_CLEANING = re.compile(
    "["
    + "".join(map(re.escape, sorted(SPACING_CHARACTERS | FOLD_ALNUM_CHARACTERS | {"\r"})))
    + r"]|  | \n|\n |\A[ \n]|[ \n]\Z"
)
# The same characters, a space and a line break, as one class: most ids and texts hold none
# of them, and one class is searched several times faster than the pattern above.
_SPACE_OR_CHANGED = re.compile(
    "["
    + "".join(map(re.escape, sorted(SPACING_CHARACTERS | FOLD_ALNUM_CHARACTERS | set("\r \n"))))
    + "]"
)
# With re.ASCII, \d is [0-9]: a full match is an ASCII mainland mobile, as _parse_text wants.
_CN_MOBILE_ASCII = re.compile(cn_mobile_pattern(), re.ASCII)
_TEXT_OR_BLANK = frozenset({str, type(None)})
# Joins texts for one search: an ASCII character (ASCII texts stay one byte a character)
# that no class above holds, and that customer data hardly ever does.
_SEPARATOR = "`"
assert _SPACE_OR_CHANGED.search(_SEPARATOR) is None


def needs_parsing(
    kind: str, values: Iterable[CellValue], *, default_region: str = "CN"
) -> set[CellValue]:
    """The distinct values of a field type that a screen cannot pass: its parser must judge
    these. The parser finds every other value fine as written (problem None).

    `kind` is a field type of toolkit.fields; only "id", "text", "name", "phone" (mainland
    mobiles when the default region is CN) and "email" are screened, any other kind returns
    every distinct value. Numbers and dates in an id, text or name column are fine as they are.

    >>> sorted(needs_parsing("phone", ["13800138000", "138-0013-8000", "13800138000"]))
    ['138-0013-8000']
    >>> sorted(needs_parsing("email", ["li@qq.com", "Li@qq.com", "li@qq"]))
    ['Li@qq.com', 'li@qq']
    >>> sorted(needs_parsing("text", ["ABC 公司", " ABC", "ＡＢＣ", 7, None]))
    [' ABC', 'ＡＢＣ']
    >>> sorted(needs_parsing("name", ["王伟", "张 三", "Li Lei", "Smith", 7]))
    ['Li Lei', '张 三']
    """
    distinct = values if isinstance(values, set) else set(values)
    if kind in ("id", "text"):
        # Ids (ASCII, and hardly one holding a space) are searched joined; texts one by one.
        holding = _holding_any if kind == "id" else _searched_each
        suspects = holding(_SPACE_OR_CHANGED, _strings(distinct))
        return set(_passing(_CHANGED_BY_CLEANING.search, suspects))
    if kind == "name":
        # A name without a space, a line break or a character cleaning changes is fine as
        # written (王伟, Smith); any space may join two Chinese characters: the parser judges.
        return set(_passing(_SPACE_OR_CHANGED.search, _strings(distinct)))
    if kind == "phone" and default_region.upper() == "CN":
        return distinct.difference(_passing(_CN_MOBILE_ASCII.fullmatch, _strings(distinct)))
    if kind == "email":
        canonical = set(_passing(EMAIL_PATTERN.fullmatch, _strings(distinct)))
        if max(map(len, canonical), default=0) > LONGEST_EMAIL:
            canonical = {address for address in canonical if len(address) <= LONGEST_EMAIL}
        return distinct.difference(canonical)
    return set(distinct)


def _passing(test: Callable[[str], object], texts: Iterable[str]) -> Iterator[str]:
    """The texts a pattern's search or fullmatch finds something in (C speed: no frame per text)."""
    return filter(test, texts)


def _holding_any(characters: re.Pattern[str], texts: Iterable[str]) -> list[str]:
    """The texts holding a character of a one-character class: the texts joined and searched
    once (a million ids, hardly any of them holding one), not searched one by one.

    >>> _holding_any(re.compile("[ ]"), ["a b", "ab", "c "])
    ['a b', 'c ']
    """
    listed = list(texts)
    joined = _SEPARATOR.join(listed)
    if joined.count(_SEPARATOR) != max(len(listed) - 1, 0):  # a text holds the separator
        return list(_passing(characters.search, listed))
    found = [match.start() for match in characters.finditer(joined)]
    if not found:
        return []
    ends = np.cumsum(np.fromiter(map(len, listed), np.int64, len(listed)) + 1)
    holding = np.unique(np.searchsorted(ends, found, side="right")).tolist()
    return list(map(listed.__getitem__, holding))


def _searched_each(characters: re.Pattern[str], texts: Iterable[str]) -> Iterator[str]:
    """The texts holding a character of the class, each searched on its own."""
    return _passing(characters.search, texts)


def _strings(distinct: set[CellValue]) -> Iterable[str]:
    """The non-empty strings among distinct values."""
    if set(map(type, distinct)) <= _TEXT_OR_BLANK:
        return filter(None, distinct)  # type: ignore[arg-type]  # drops None and ""
    return [value for value in distinct if type(value) is str and value]
