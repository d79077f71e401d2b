"""What a backend reads: sheets as grids of values, and the tables found in them.

A backend returns a `RawWorkbook` (every sheet as a grid of plain values, row 1 first).
`toolkit.detect.understand` turns it into a `Workbook` of typed `Table`s: the header row found,
each column mapped to a canonical field or left alone. Routines only ever see `Table`s.
Row and column numbers are always the sheet's own, 1-based, so a finding can say "row 7,
column C" and a plan can name the very cell.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from operator import itemgetter
from typing import Literal

CellValue = str | int | float | bool | datetime | date | time | None
TableKind = Literal["customers", "transactions", "complaints"]
Lang = Literal["en", "zh"]


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 1-based column index.

    >>> column_letter(1), column_letter(28)
    ('A', 'AB')
    """
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def is_blank(value: CellValue) -> bool:
    """True for an empty cell: None or text of spaces only.

    >>> is_blank("  "), is_blank(0)
    (True, False)
    """
    return value is None or (isinstance(value, str) and not value.strip())


def has_value(row: Sequence[CellValue]) -> bool:
    """True when any cell of a row is not blank (see `is_blank`).

    >>> has_value((None, " ", 0)), has_value((None, "  "))
    (True, False)
    """
    # A plain loop, several times faster than any() over a generator: most rows stop at
    # their first cell, and a million generators cost more than the tests they run.
    for value in row:  # noqa: SIM110
        if value is not None and (not isinstance(value, str) or value.strip()):
            return True
    return False


@dataclass(frozen=True)
class RawSheet:
    """One sheet as read: values only, row 1 first; rows may differ in length."""

    name: str
    rows: Sequence[Sequence[CellValue]]
    hidden: bool = False

    def cell(self, row: int, column: int) -> CellValue:
        """Value at a 1-based (row, column), None outside the grid."""
        if row < 1 or row > len(self.rows):
            return None
        values = self.rows[row - 1]
        return values[column - 1] if 0 < column <= len(values) else None


@dataclass(frozen=True)
class RawWorkbook:
    """Every sheet of a workbook as read by a backend, in workbook order."""

    source: str
    sheets: tuple[RawSheet, ...]

    def sheet(self, name: str) -> RawSheet | None:
        """The sheet called `name`, or None."""
        return next((s for s in self.sheets if s.name == name), None)


@dataclass(frozen=True)
class Column:
    """A column of a table: where it is, what it says, what it means."""

    index: int  # 1-based column number in the sheet
    header: str  # the header text as written (stripped)
    field: str | None  # canonical field name, None when unmapped

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class Table:
    """A header row and the data rows under it, with columns mapped to fields.

    `rows[i]` is sheet row `first_row + i`; each row is padded to `width` cells, where
    `width` is the last column of the header, so `rows[i][column.index - 1]` is always valid.
    """

    sheet: str
    kind: TableKind
    header_row: int
    columns: tuple[Column, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    lang: Lang = "en"
    own_columns: dict[str, Column] = field(default_factory=dict)  # our own output columns by key

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + len(self.rows)

    @property
    def width(self) -> int:
        return max((c.index for c in self.columns), default=0)

    def row_number(self, position: int) -> int:
        """Sheet row number of the data row at `position` (0-based)."""
        return self.first_row + position

    def column(self, field_name: str) -> Column | None:
        """The first column mapped to `field_name`, or None."""
        return next((c for c in self.columns if c.field == field_name), None)

    def has(self, field_name: str) -> bool:
        return self.column(field_name) is not None

    def values(self, field_name: str) -> list[CellValue]:
        """Every data row's value for a field (None everywhere when it is unmapped)."""
        column = self.column(field_name)
        if column is None:
            return [None] * len(self.rows)
        position = column.index - 1
        return [row[position] for row in self.rows]

    def records(self) -> Iterator[tuple[int, dict[str, CellValue]]]:
        """(sheet row, {field: value}) for every non-blank data row."""
        mapped = [(c.field, c.index - 1) for c in self.columns if c.field]
        fields = tuple(f for f, _ in mapped)
        # One itemgetter call and dict(zip()) per row: a million rows are read this way by
        # several steps, and a dict comprehension costs three times as much.
        pick = itemgetter(*(i for _, i in mapped)) if len(mapped) > 1 else None
        first = self.first_row
        for offset, row in enumerate(self.rows):
            if not has_value(row):
                continue
            if pick is not None:
                yield first + offset, dict(zip(fields, pick(row), strict=True))
            else:
                yield first + offset, {f: row[i] for f, i in mapped}

    def count_records(self) -> int:
        """How many rows `records()` yields (the non-blank data rows), without building them.

        >>> table = Table("C", "customers", 1, (Column(1, "Name", "name"),), (("Li",), (" ",)))
        >>> table.count_records()
        1
        """
        return sum(map(has_value, self.rows))


@dataclass(frozen=True)
class Workbook:
    """A workbook understood: its raw sheets and the tables found in them."""

    raw: RawWorkbook
    tables: dict[TableKind, Table]
    lang: Lang

    @property
    def customers(self) -> Table:
        return self.tables["customers"]

    def table(self, kind: TableKind) -> Table | None:
        return self.tables.get(kind)
