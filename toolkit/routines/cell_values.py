"""A cell's value as the routines of follow-ups and complaints read it: one-line text, a date.

Dates go through toolkit.normalize (the one date parser); these only say what a blank is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import compress, count, repeat
from operator import not_

from toolkit.normalize.dates import parse_date
from toolkit.table import CellValue, is_blank


def text_of(value: CellValue) -> str:
    """A cell as one line of text: blanks '', whole floats without '.0', spaces collapsed.

    >>> text_of(None), text_of(1001.0), text_of("  张  三 \\n")
    ('', '1001', '张 三')
    """
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def texts_of(values: Sequence[CellValue]) -> list[str]:
    """`text_of` of each value; text of letters and digits alone (KH0000001, 韩晓洋), which is
    its own text, is taken as it is, and the rest is read once per distinct value.

    >>> texts_of(["KH01", " 张  三 ", None, 3.0, "KH01"])
    ['KH01', '张 三', '', '3', 'KH01']
    """
    is_text = list(map(isinstance, values, repeat(str)))
    texts: list[str] = list(compress(values, is_text))  # type: ignore[arg-type]
    others = list(compress(count(), map(not_, map(str.isalnum, texts))))
    if others:
        once = {text: text_of(text) for text in dict.fromkeys(map(texts.__getitem__, others))}
        for at in others:
            texts[at] = once[texts[at]]
    if len(texts) == len(values):
        return texts
    # Blanks, numbers, dates: 1, 1.0 and True are one dict key, so keyed by type too.
    cells = list(compress(values, map(not_, is_text)))
    typed = list(zip(map(type, cells), cells, strict=True))
    known = {key: text_of(key[1]) for key in dict.fromkeys(typed)}
    shown, rest = iter(texts), map(known.__getitem__, typed)
    return [next(shown) if text else next(rest) for text in is_text]


def date_of(value: CellValue, *, day_first: bool = False) -> date | None:
    """A cell's date, None when blank or unreadable (validation reports unreadable ones).

    >>> date_of("2025年6月3日"), date_of("soon"), date_of(None)
    (datetime.date(2025, 6, 3), None, None)
    """
    if is_blank(value):
        return None
    return parse_date(value, day_first=day_first).value
