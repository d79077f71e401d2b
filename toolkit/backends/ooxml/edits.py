"""What a plan does to one user sheet, cell by cell, as plain data (no XML here).

The plan's SetCells, SetColumn and Highlight changes for a sheet become one `SheetEdits`:
which cells get a value, which are cleared, which highlight each cell ends with. The row
editor asks it, row by row, what to do; rows it has nothing for are copied verbatim.

Highlights replay in plan order: a Highlight first takes its style off every cell that has it
(fixed cells lose their colour), then puts it on its own cells; a cell carries one of our
styles at a time, so the last one applied wins.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from toolkit.backends.ooxml.values import MAX_COLUMN, MAX_ROW
from toolkit.errors import UnsafeWriteError
from toolkit.plan import Change, Highlight, SetCells, SetColumn
from toolkit.table import CellValue

WriteKind = Literal["value", "header", "clear"]


@dataclass(frozen=True)
class CellWriteOp:
    """A value going into one cell (`clear` removes the value, keeps the style)."""

    kind: WriteKind
    value: CellValue = None
    number_format: str | None = None  # SetColumn's format code, for values only


@dataclass(frozen=True)
class ColumnWrite:
    """One SetColumn placed at its column."""

    column: int
    key: str
    header: str
    header_row: int
    first_row: int
    values: tuple[CellValue, ...]
    number_format: str | None

    @property
    def last_row(self) -> int:
        return max(self.header_row, self.first_row + len(self.values) - 1)

    def op(self, row: int) -> CellWriteOp | None:
        if row == self.header_row:
            return CellWriteOp("header", self.header)
        offset = row - self.first_row
        if 0 <= offset < len(self.values):
            return CellWriteOp("value", self.values[offset], self.number_format)
        return CellWriteOp("clear") if row > self.header_row else None


@dataclass
class SheetEdits:
    """Everything a plan does to one existing worksheet."""

    sheet: str
    cells: dict[int, dict[int, CellValue]] = field(default_factory=dict)  # row -> col -> value
    columns: list[ColumnWrite] = field(default_factory=list)
    highlights: list[tuple[str, frozenset[tuple[int, int]]]] = field(default_factory=list)

    @property
    def highlight_styles(self) -> set[str]:
        return {style for style, _ in self.highlights}

    @property
    def writes_nothing(self) -> bool:
        """No value and no highlight to put anywhere (a step's Highlight with no cells)."""
        return not self.columns and not self.cells and not any(c for _, c in self.highlights)

    def ops(self, row: int) -> dict[int, CellWriteOp]:
        """The writes of one row, by column; SetCells wins over a SetColumn on the same cell."""
        found: dict[int, CellWriteOp] = {}
        for column in self.columns:
            op = column.op(row)
            if op is not None:
                found[column.column] = op
        for col, value in self.cells.get(row, {}).items():
            found[col] = CellWriteOp("value", value)
        return found

    def highlighted_columns(self, row: int) -> set[int]:
        return self._highlight_index.get(row, set())

    @cached_property
    def _highlight_index(self) -> dict[int, set[int]]:
        index: dict[int, set[int]] = {}
        for _, cells in self.highlights:
            for row, col in cells:
                index.setdefault(row, set()).add(col)
        return index

    def final_highlight(self, current: str | None, row: int, col: int) -> str | None:
        """The highlight a cell ends with, given the one it has now."""
        for style, cells in self.highlights:
            if current == style:
                current = None
            if (row, col) in cells:
                current = style
        return current

    def explicit_rows(self) -> Iterator[int]:
        """Rows the plan names (ascending, each once); other rows change only if they hold
        a cell of a cleared column or one of our highlights."""
        named = {r for r in self.cells}
        named.update(r for _, cells in self.highlights for r, _ in cells)
        named.update(column.header_row for column in self.columns)
        spans: list[list[int]] = []  # the columns' value rows, as disjoint [first, end) spans
        for first, end in sorted((c.first_row, c.first_row + len(c.values)) for c in self.columns):
            if spans and first <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            elif first < end:
                spans.append([first, end])
        covered = (row for first, end in spans for row in range(first, end))
        previous = 0
        for row in heapq.merge(covered, sorted(named)):
            if row != previous:
                previous = row
                yield row

    def written_cells(self) -> Iterator[tuple[int, int, CellValue]]:
        """Every cell that gets a non-empty value (for checks against merges and tables)."""
        for column in self.columns:
            yield column.header_row, column.column, column.header
            for offset, value in enumerate(column.values):
                if value is not None:
                    yield column.first_row + offset, column.column, value
        for row, values in self.cells.items():
            for col, value in values.items():
                if value is not None:
                    yield row, col, value

    def clear_columns(self) -> dict[int, int]:
        """Columns whose other cells are cleared, with the row below which that applies."""
        return {c.column: c.header_row for c in self.columns}

    def bounds(self) -> tuple[int, int, int, int] | None:
        """(min row, min col, max row, max col) of every cell written or styled."""
        rows: list[int] = []
        cols: list[int] = []
        for column in self.columns:
            rows += [column.header_row, column.last_row]
            cols.append(column.column)
        for row, values in self.cells.items():
            rows.append(row)
            cols += list(values)
        for _, cells in self.highlights:
            rows += [r for r, _ in cells]
            cols += [c for _, c in cells]
        return (min(rows), min(cols), max(rows), max(cols)) if rows else None


def group_by_sheet(
    changes: tuple[Change, ...], positions: Mapping[tuple[str, str], int]
) -> dict[str, SheetEdits]:
    """The plan's cell-level changes, grouped by sheet in plan order."""
    edits: dict[str, SheetEdits] = {}
    for change in changes:
        if isinstance(change, SetCells | SetColumn | Highlight):
            sheet = edits.setdefault(change.sheet, SheetEdits(change.sheet))
            _add(sheet, change, positions)
    for sheet in edits.values():
        _check_bounds(sheet)
    return edits


def _add(sheet: SheetEdits, change: Change, positions: Mapping[tuple[str, str], int]) -> None:
    if isinstance(change, SetCells):
        for write in change.cells:
            sheet.cells.setdefault(write.row, {})[write.column] = write.value
    elif isinstance(change, SetColumn):
        column = positions.get((change.sheet, change.key))
        if column is None:
            raise UnsafeWriteError(
                f"No column was placed for '{change.key}' on sheet '{change.sheet}' (internal "
                "error: place_columns must run on the same plan). Nothing was written."
            )
        sheet.columns = [c for c in sheet.columns if c.column != column]
        sheet.columns.append(
            ColumnWrite(
                column,
                change.key,
                change.header,
                change.header_row,
                change.first_row,
                change.values,
                change.number_format,
            )
        )
    elif isinstance(change, Highlight):
        sheet.highlights.append((change.style, frozenset(change.cells)))


def _check_bounds(sheet: SheetEdits) -> None:
    bounds = sheet.bounds()
    if bounds is None:
        return
    low_row, low_col, high_row, high_col = bounds
    if low_row < 1 or low_col < 1 or high_row > MAX_ROW or high_col > MAX_COLUMN:
        raise UnsafeWriteError(
            f"The plan writes outside the sheet '{sheet.sheet}' (rows 1-{MAX_ROW}, columns "
            f"1-{MAX_COLUMN}): rows {low_row}-{high_row}, columns {low_col}-{high_col}. "
            "Nothing was written."
        )
