"""A1 notation as the Sheets API reads and writes it.

`'My sheet'!A1:C`, `Sheet1!A:A`, `Sheet1!2:2`, `Sheet1` (the whole sheet), `A1:B2` (the first
sheet), and named ranges. Ranges are kept 0-based and half-open like the API's GridRange;
`None` bounds mean "to the edge of the grid".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.sheets_standin.errors import bad_request

_CELL = re.compile(r"^(?P<col>[A-Za-z]{0,3})(?P<row>\d*)$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}\d+$|^[RrCc]\d*([RrCc]\d*)?$")


@dataclass(frozen=True)
class Bounds:
    """Row and column bounds of a range: 0-based, end exclusive, None when open."""

    row0: int | None
    row1: int | None
    col0: int | None
    col1: int | None

    def clip(self, rows: int, columns: int) -> tuple[int, int, int, int]:
        """Concrete bounds inside a grid of `rows` x `columns`."""
        return (
            0 if self.row0 is None else self.row0,
            rows if self.row1 is None else self.row1,
            0 if self.col0 is None else self.col0,
            columns if self.col1 is None else self.col1,
        )


WHOLE = Bounds(None, None, None, None)


def column_letters(index: int) -> str:
    """Letters of a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """0-based index of column letters: A -> 0."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """('title', 'A1:B2') from "'title'!A1:B2"; (None, text) without a sheet part."""
    if text.startswith("'"):
        end = 1
        title = ""
        while end < len(text):
            char = text[end]
            if char == "'":
                if text[end + 1 : end + 2] == "'":
                    title += "'"
                    end += 2
                    continue
                break
            title += char
            end += 1
        else:
            raise bad_request(f"Unable to parse range: {text}")
        rest = text[end + 1 :]
        if rest == "":
            return title, None
        if not rest.startswith("!"):
            raise bad_request(f"Unable to parse range: {text}")
        return title, rest[1:]
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return title, cells
    return None, text


def parse_cells(text: str) -> Bounds | None:
    """Bounds of a cell part such as 'A1:C', 'A:A', '2:2', 'B3'; None if it is not A1."""
    parts = text.split(":")
    if len(parts) > 2 or not all(parts):
        return None
    corners = []
    for part in parts:
        match = _CELL.match(part.strip())
        if match is None or not (match["col"] or match["row"]):
            return None
        column = column_index(match["col"]) if match["col"] else None
        row = int(match["row"]) - 1 if match["row"] else None
        if row is not None and row < 0:
            return None
        corners.append((row, column))
    if len(corners) == 1:
        row, column = corners[0]
        if row is None or column is None:
            return None
        return Bounds(row, row + 1, column, column + 1)
    (row_a, col_a), (row_b, col_b) = corners
    rows = _span(row_a, row_b)
    columns = _span(col_a, col_b)
    return Bounds(rows[0], rows[1], columns[0], columns[1])


def _span(a: int | None, b: int | None) -> tuple[int | None, int | None]:
    if a is None and b is None:
        return None, None
    if a is None or b is None:
        start = a if a is not None else b
        return start, None
    low, high = min(a, b), max(a, b)
    return low, high + 1


def quote_title(title: str) -> str:
    """The title as the API writes it in a range: quoted when it must be."""
    if _PLAIN_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, row0: int, row1: int, col0: int, col1: int) -> str:
    """'Sheet1!A1:D4' for concrete 0-based half-open bounds ('Sheet1!B2' for one cell)."""
    start = f"{column_letters(col0)}{row0 + 1}"
    end = f"{column_letters(col1 - 1)}{row1}"
    cells = start if (row1 - row0 == 1 and col1 - col0 == 1) else f"{start}:{end}"
    return f"{quote_title(title)}!{cells}"
