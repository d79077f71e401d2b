"""The stand-in's spreadsheets: sheets of sparse cells, with everything the API reports.

A cell keeps what the API keeps: the user-entered value, the user-entered format, a note and a
data validation rule. Cells are immutable and replaced on write, so a snapshot of a sheet (for
an atomic batchUpdate that fails half way) is a shallow copy of its cell map. Every cell write
is logged with where it landed, so tests can check that nothing outside a plan was written.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

DEFAULT_ROWS, DEFAULT_COLUMNS = 1000, 26
ROW_PIXELS, COLUMN_PIXELS = 21, 100
CELL_LIMIT = 10_000_000


@dataclass(frozen=True)
class Cell:
    """What the API stores for one cell (the effective value is computed when read)."""

    entered: dict[str, Any] | None = (
        None  # {"stringValue": ...} / numberValue / boolValue / formulaValue
    )
    fmt: dict[str, Any] | None = None  # userEnteredFormat
    note: str | None = None
    validation: dict[str, Any] | None = None

    @property
    def empty(self) -> bool:
        return self.entered is None and not self.fmt and not self.note and not self.validation


@dataclass(frozen=True)
class WriteRecord:
    """One cell written: where, and what part of it (value, format, note, validation)."""

    spreadsheet_id: str
    sheet_id: int
    row: int  # 0-based
    column: int  # 0-based
    part: str


@dataclass
class Sheet:
    """One grid sheet."""

    props: dict[str, Any]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    row_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    column_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)  # basicFilter, rowGroups, ...

    @property
    def sheet_id(self) -> int:
        return int(self.props.get("sheetId", 0))

    @property
    def title(self) -> str:
        return str(self.props["title"])

    @property
    def grid(self) -> dict[str, Any]:
        grid: dict[str, Any] = self.props.setdefault("gridProperties", {})
        return grid

    @property
    def rows(self) -> int:
        return int(self.grid.get("rowCount", 0))

    @property
    def columns(self) -> int:
        return int(self.grid.get("columnCount", 0))

    def cell(self, row: int, column: int) -> Cell | None:
        return self.cells.get((row, column))

    def used_extent(self) -> tuple[int, int]:
        """(rows, columns) up to the last cell holding a value."""
        rows = columns = 0
        for (row, column), cell in self.cells.items():
            if cell.entered is not None:
                rows, columns = max(rows, row + 1), max(columns, column + 1)
        return rows, columns

    def snapshot(self) -> Sheet:
        return Sheet(
            copy.deepcopy(self.props),
            dict(self.cells),
            copy.deepcopy(self.merges),
            copy.deepcopy(self.charts),
            copy.deepcopy(self.row_meta),
            copy.deepcopy(self.column_meta),
            copy.deepcopy(self.extras),
        )


class Spreadsheet:
    """A spreadsheet file: properties, sheets, named ranges, who may open it."""

    def __init__(self, spreadsheet_id: str, title: str, owner: str, created: str) -> None:
        self.id = spreadsheet_id
        self.props: dict[str, Any] = {
            "title": title,
            "locale": "en_US",
            "autoRecalc": "ON_CHANGE",
            "timeZone": "Etc/GMT",
        }
        self.sheets: list[Sheet] = []
        self.named_ranges: list[dict[str, Any]] = []
        self.owner = owner
        self.shared_with: set[str] = set()
        self.created = created
        self.modified = created
        self.write_log: list[WriteRecord] = []
        self.used_ids: set[int] = set()

    def can_open(self, account: str) -> bool:
        return account == self.owner or account in self.shared_with

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_by_title(self, title: str) -> Sheet | None:
        folded = title.casefold()
        return next((s for s in self.sheets if s.title.casefold() == folded), None)

    def ordered(self) -> list[Sheet]:
        return sorted(self.sheets, key=lambda s: int(s.props.get("index", 0)))

    def reindex(self) -> None:
        for position, sheet in enumerate(self.ordered()):
            sheet.props["index"] = position

    def cell_count(self) -> int:
        return sum(s.rows * s.columns for s in self.sheets)

    def snapshot(self) -> dict[str, Any]:
        return {
            "props": copy.deepcopy(self.props),
            "sheets": [s.snapshot() for s in self.sheets],
            "named": copy.deepcopy(self.named_ranges),
            "log": len(self.write_log),
            "ids": set(self.used_ids),
        }

    def restore(self, snapshot: dict[str, Any]) -> None:
        self.props = snapshot["props"]
        self.sheets = snapshot["sheets"]
        self.named_ranges = snapshot["named"]
        del self.write_log[snapshot["log"] :]
        self.used_ids = snapshot["ids"]

    def put(self, sheet: Sheet, row: int, column: int, cell: Cell, part: str) -> None:
        """Store a cell (or drop it when empty) and log the write."""
        if cell.empty:
            sheet.cells.pop((row, column), None)
        else:
            sheet.cells[(row, column)] = cell
        self.write_log.append(WriteRecord(self.id, sheet.sheet_id, row, column, part))

    def set_value(
        self, sheet: Sheet, row: int, column: int, entered: dict[str, Any] | None
    ) -> None:
        cell = sheet.cells.get((row, column)) or Cell()
        self.put(sheet, row, column, replace(cell, entered=entered), "value")

    def iter_block(
        self, sheet: Sheet, row0: int, row1: int, col0: int, col1: int
    ) -> Iterator[tuple[int, int, Cell | None]]:
        for row in range(row0, row1):
            for column in range(col0, col1):
                yield row, column, sheet.cells.get((row, column))
