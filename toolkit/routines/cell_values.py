"""A cell's value as the routines of follow-ups and complaints read it: one-line text, a date.

Dates go through toolkit.normalize (the one date parser); these only say what a blank is.
"""

from __future__ import annotations

from datetime import date

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


def date_of(value: CellValue, *, day_first: bool = False) -> date | None:
    """A cell's date, None when blank or unreadable (validation reports unreadable ones).

    >>> date_of("2025年6月3日"), date_of("soon"), date_of(None)
    (datetime.date(2025, 6, 3), None, None)
    """
    if is_blank(value):
        return None
    return parse_date(value, day_first=day_first).value
