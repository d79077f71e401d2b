"""The live-Excel backend: a workbook open in Excel, read and written through xlwings.

Reads are one bulk range read per sheet; writes are one range write per vertical run of
planned cells (a SetColumn is one write of its whole column) and one per sheet of ours, with
screen updating off. Nothing is saved: the results appear in the open workbook and the user
decides whether to keep them. Before writing, what the run overwrites (values of the planned
ranges, colours it changes, sheets it adds or replaces) goes to a JSON journal in `.custkit/`
beside the workbook, so `undo()` restores it. Our state (which sheets are ours, which cells
carry which highlight and what colour they had before) lives in the very hidden "_custkit"
sheet that the file writer also uses; our rows there are prefixed "excel." and the file
writer's rows are kept as they are.

Customer text that Excel would turn into something else (a formula for = + - @, a number or
a date for "00123" or "2024-3-5") is written with Excel's text prefix "'", which Excel keeps
out of the cell's value: the cell reads back as the exact text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from toolkit.backends.base import ApplyResult, RunInfo, UndoResult, place_columns
from toolkit.backends.excel_journal import ExcelJournal, ExcelState, decode, encode
from toolkit.errors import UndoError, WorkbookChangedError
from toolkit.plan import Highlight, Plan, SetCells, SetColumn, WriteSheet
from toolkit.table import CellValue, RawSheet, RawWorkbook

HIGHLIGHT_COLOURS: dict[str, str] = {  # the same fills as the file writer's (ooxml/styles.py)
    "error": "FFC7CE",
    "warning": "FFEB9C",
    "overdue": "F8CBAD",
    "duplicate": "DDEBF7",
    "review": "E4DFEC",
}
HEADER_COLOUR = "D9D9D9"
PREVIOUS_PREFIX = "_custkit_prev"
CHARTS = {"bar": "bar_clustered", "column": "column_clustered", "pie": "pie", "line": "line"}
_LOOKS_TYPED = re.compile(r"^\s*[-+]?[\d.,]+%?\s*$|^\s*\d{1,4}[-/.年]\d{1,2}([-/.月]\d{1,4})?")
Cell = tuple[int, int]


def excel_text(value: CellValue) -> object:
    """The value to hand Excel so that the cell holds exactly `value`.

    >>> excel_text("=1+1"), excel_text("00123"), excel_text("Li"), excel_text(3)
    ("'=1+1", "'00123", 'Li', 3)
    """
    if isinstance(value, str):
        folded = value.strip().upper()
        if (
            value[:1] in "=+-@'"
            or _LOOKS_TYPED.match(value)
            or folded in ("TRUE", "FALSE")
            or folded.startswith("#")
        ):
            return "'" + value
        return value
    if isinstance(value, time):
        return value.isoformat()  # Excel has no time-only value through xlwings
    return value


def _plain(value: object) -> CellValue:
    """Excel numbers are floats; whole ones read as int, as openpyxl reads them from a file."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value  # type: ignore[return-value]


def runs(cells: Iterable[Cell]) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of each vertical run of cells.

    >>> runs([(2, 1), (3, 1), (5, 1), (2, 2)])
    [(1, 2, 3), (1, 5, 5), (2, 2, 2)]
    """
    found: list[tuple[int, int, int]] = []
    for row, column in sorted(cells, key=lambda c: (c[1], c[0])):
        if found and found[-1][0] == column and found[-1][2] == row - 1:
            found[-1] = (column, found[-1][1], row)
        else:
            found.append((column, row, row))
    return found


@dataclass
class _Apply:
    """What one apply writes, collected before anything is written."""

    values: dict[str, dict[Cell, CellValue]] = field(default_factory=lambda: defaultdict(dict))
    formats: list[tuple[str, int, int, int, str]] = field(default_factory=list)
    colours: dict[str, dict[Cell, str | None]] = field(default_factory=lambda: defaultdict(dict))
    headers: list[tuple[str, int, int]] = field(default_factory=list)  # our column headers
    before: dict[str, dict[Cell, str | None]] = field(default_factory=lambda: defaultdict(dict))


class ExcelBackend:
    """A workbook open in Excel (an `xw.Book`, or anything with its small object model).

    Example: `ExcelBackend(xw.Book.caller())` inside a macro; `run(backend, RunOptions())`.
    """

    def __init__(self, book: Any, *, journal_folder: Path | None = None) -> None:
        self.book = book
        self.journal = ExcelJournal(journal_folder or _beside(book), _book_name(book))
        self.charts_not_done: list[str] = []
        self._raw: RawWorkbook | None = None

    # -- reading -------------------------------------------------------------------------

    def read(self) -> RawWorkbook:
        """Every sheet's values in one range read per sheet, row 1 first."""
        sheets = [self._read_sheet(sheet) for sheet in self.book.sheets]
        self._raw = RawWorkbook(str(self.book.fullname), tuple(sheets))
        return self._raw

    def _read_sheet(self, sheet: Any) -> RawSheet:
        last = sheet.used_range.last_cell
        grid = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value or []
        rows = [tuple(_plain(v) for v in row) for row in grid]
        if all(v is None for row in rows for v in row):
            rows = []
        return RawSheet(sheet.name, rows, hidden=not sheet.visible)

    # -- applying ------------------------------------------------------------------------

    def apply(self, plan: Plan, *, run: RunInfo) -> ApplyResult:
        """Write the plan into the open workbook (not saved); journal first, for undo."""
        if self._raw is None:
            raise RuntimeError("read() must come before apply()")
        names = {s.name for s in self.book.sheets}
        missing = {c.sheet for c in plan.changes if not isinstance(c, WriteSheet)} - names
        if missing:
            raise WorkbookChangedError(
                f"Sheet(s) {', '.join(sorted(missing))} were renamed or deleted while custkit "
                "was working. Nothing was written; press the button again."
            )
        state = ExcelState.load(self.book)
        record = self.journal.start(run, state)
        work = self._collect(plan, state)
        app = self.book.app
        updating = app.screen_updating
        app.screen_updating = False
        try:  # the record is kept even if Excel fails half-way: undo restores that much
            self._drop_previous_sheets()
            cells = self._write_values(work, record)
            self._header_looks(work, record)
            self._write_colours(work, record)
            written = [self._write_sheet(c, state, record) for c in _last_per_key(plan)]
            cells += sum(len(c.rows) + 1 for c in _last_per_key(plan))
            state.save(self.book)
        finally:
            app.screen_updating = updating
            path = self.journal.save(record)
        touched = sorted(set(work.values) | set(work.colours))
        return ApplyResult(str(self.book.fullname), cells, (*touched, *written), str(path))

    def _collect(self, plan: Plan, state: ExcelState) -> _Apply:
        assert self._raw is not None
        work = _Apply()
        positions = place_columns(self._raw, plan)
        highlights: dict[str, list[Highlight]] = defaultdict(list)
        for change in plan.changes:
            if isinstance(change, SetCells):
                for cell in change.cells:
                    work.values[change.sheet][(cell.row, cell.column)] = cell.value
            elif isinstance(change, SetColumn):
                self._column(work, change, positions[(change.sheet, change.key)])
            elif isinstance(change, Highlight):
                highlights[change.sheet].append(change)
        for sheet, listed in highlights.items():
            self._highlight(work, sheet, listed, state)
        return work

    def _column(self, work: _Apply, change: SetColumn, column: int) -> None:
        sheet = self._raw.sheet(change.sheet) if self._raw else None
        used = len(sheet.rows) if sheet else 0
        end = max(change.first_row + len(change.values) - 1, used, change.header_row)
        edits = work.values[change.sheet]
        edits[(change.header_row, column)] = change.header
        work.headers.append((change.sheet, change.header_row, column))
        for row in range(change.header_row + 1, end + 1):
            at = row - change.first_row
            edits[(row, column)] = change.values[at] if 0 <= at < len(change.values) else None
        if change.number_format and change.values:
            last = change.first_row + len(change.values) - 1
            work.formats.append(
                (change.sheet, column, change.first_row, last, change.number_format)
            )

    def _highlight(
        self, work: _Apply, sheet_name: str, listed: list[Highlight], state: ExcelState
    ) -> None:
        """Replay the plan's highlights on what the state says each cell shows now."""
        shown = state.highlights(sheet_name)
        final = dict(shown)
        for item in listed:  # a style first leaves every cell, then takes its own
            final = {cell: s for cell, s in final.items() if s != item.style}
            final.update({cell: item.style for cell in item.cells})
        originals = state.originals(sheet_name)
        sheet = self.book.sheets[sheet_name]
        for cell in set(shown) | set(final):
            had, want = shown.get(cell), final.get(cell)
            if had == want:
                continue
            if want is None:
                work.colours[sheet_name][cell] = originals.pop(cell, None)
            else:
                if had is None:  # first time we colour it: keep what it had (one read)
                    originals[cell] = _hex(sheet.range(cell).color)
                work.colours[sheet_name][cell] = HIGHLIGHT_COLOURS[want]
            work.before[sheet_name][cell] = (
                originals.get(cell) if had is None else HIGHLIGHT_COLOURS[had]
            )
        state.set_highlights(sheet_name, final, originals)

    def _write_values(self, work: _Apply, record: dict[str, Any]) -> int:
        count = 0
        for sheet_name, edits in work.values.items():
            sheet = self.book.sheets[sheet_name]
            for column, first, last in runs(edits):
                target = sheet.range((first, column), (last, column))
                before = target.options(ndim=2).value
                record["values"].append([sheet_name, first, column, encode(before)])
                target.value = [[excel_text(edits[(r, column)])] for r in range(first, last + 1)]
                count += last - first + 1
        for sheet_name, column, first, last, pattern in work.formats:
            target = self.book.sheets[sheet_name].range((first, column), (last, column))
            record["formats"].append([sheet_name, first, column, last, target.number_format])
            target.number_format = pattern
        return count

    def _header_looks(self, work: _Apply, record: dict[str, Any]) -> None:
        """Our header looks like its left neighbour's (fill, bold), as in the file writer."""
        looks: dict[Cell, tuple[object, object]] = {}
        for sheet_name, row, column in sorted(work.headers, key=lambda h: (h[0], h[2])):
            if column == 1:
                continue
            sheet = self.book.sheets[sheet_name]
            key = (row, column - 1)
            if key not in looks:
                left = sheet.range(key)
                looks[key] = (left.color, left.font.bold)
            colour, bold = looks[key]
            ours = sheet.range((row, column))
            record["colours"].append([sheet_name, row, column, [_hex(ours.color)]])
            ours.color = colour
            ours.font.bold = bold
            looks[(row, column)] = (colour, bold)

    def _write_colours(self, work: _Apply, record: dict[str, Any]) -> None:
        for sheet_name, colours in work.colours.items():
            sheet = self.book.sheets[sheet_name]
            by_colour: dict[str | None, list[Cell]] = defaultdict(list)
            for cell, colour in colours.items():
                by_colour[colour].append(cell)
            for colour, cells in by_colour.items():
                for column, first, last in runs(cells):
                    target = sheet.range((first, column), (last, column))
                    before = [work.before[sheet_name][(r, column)] for r in range(first, last + 1)]
                    record["colours"].append([sheet_name, first, column, before])
                    target.color = _rgb(colour)

    # -- our own sheets ------------------------------------------------------------------

    def _write_sheet(self, change: WriteSheet, state: ExcelState, record: dict[str, Any]) -> str:
        names = [s.name for s in self.book.sheets]
        existing = state.own_sheet(change.key, names)
        if existing is not None:
            previous = self._free_name(PREVIOUS_PREFIX, names)
            old = self.book.sheets[existing]
            old.name = previous
            old.visible = False
            record["replaced"].append([existing, previous])
            after = previous
        else:
            visible = [n for n in names if not n.startswith("_custkit")]
            after = visible[-1] if visible else names[-1]
        title = self._free_name(change.title, [s.name for s in self.book.sheets])
        sheet = self.book.sheets.add(title, after=self.book.sheets[after])
        record["added"].append(title)
        state.set_own_sheet(change.key, title)
        self._fill_sheet(sheet, change)
        return title

    def _fill_sheet(self, sheet: Any, change: WriteSheet) -> None:
        width = max([len(change.header), *(len(row) for row in change.rows)])
        if width == 0:
            return
        lines: list[tuple[CellValue, ...]] = [change.header, *change.rows]
        grid = [[excel_text(v) for v in line] + [None] * (width - len(line)) for line in lines]
        sheet.range((1, 1), (len(grid), width)).value = grid
        if change.header:
            header = sheet.range((1, 1), (1, width))
            header.color = _rgb(HEADER_COLOUR)
            header.font.bold = True
        for index, style in change.row_styles:
            sheet.range((index + 2, 1), (index + 2, width)).color = _rgb(HIGHLIGHT_COLOURS[style])
        for column, width_chars in enumerate(change.column_widths, start=1):
            sheet.range((1, column)).column_width = width_chars
        for chart in change.charts:
            self._add_chart(sheet, chart)

    def _add_chart(self, sheet: Any, chart: Any) -> None:
        charts = getattr(sheet, "charts", None)
        columns = [chart.categories_column, *(s.column for s in chart.series)]
        if charts is None or not chart.series or max(columns) - min(columns) + 1 != len(columns):
            self.charts_not_done.append(f"{sheet.name}: {chart.title}")
            return
        anchor = sheet.range(chart.anchor)
        made = charts.add(left=anchor.left, top=anchor.top, width=480, height=288)
        made.chart_type = CHARTS[chart.chart]
        first, last = chart.series[0].first_row, chart.series[0].last_row
        made.set_source_data(sheet.range((first - 1, min(columns)), (last, max(columns))))

    def _drop_previous_sheets(self) -> None:
        """Sheets replaced by the run before this one: kept only until the next run."""
        for sheet in list(self.book.sheets):
            if sheet.name.startswith(PREVIOUS_PREFIX):
                sheet.delete()

    @staticmethod
    def _free_name(title: str, names: list[str]) -> str:
        taken = {n.casefold() for n in names}
        name, number = title[:31], 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name = title[: 31 - len(suffix)].rstrip() + suffix
            number += 1
        return name

    # -- undoing -------------------------------------------------------------------------

    def undo(self) -> UndoResult:
        """Restore what the last run changed in this workbook (values, colours, sheets)."""
        record = self.journal.load()
        names = {s.name for s in self.book.sheets}
        if any(name not in names for name in record["added"]):
            raise UndoError(
                "A sheet the last custkit run added was renamed or deleted since; undo would "
                "not restore a consistent workbook. Nothing was changed."
            )
        app = self.book.app
        updating = app.screen_updating
        app.screen_updating = False
        try:
            self._restore(record)
        finally:
            app.screen_updating = updating
        self.journal.done()
        return UndoResult(str(self.book.fullname), str(self.journal.path), record["started"])

    def _restore(self, record: dict[str, Any]) -> None:
        for name in reversed(record["added"]):
            self.book.sheets[name].delete()
        for title, previous in record["replaced"]:
            sheet = self.book.sheets[previous]
            sheet.name = title
            sheet.visible = True
        for sheet_name, first, column, before in reversed(record["colours"]):
            sheet = self.book.sheets[sheet_name]
            for offset, colour in enumerate(before):
                sheet.range((first + offset, column)).color = _rgb(colour)
        for sheet_name, first, column, last, pattern in reversed(record["formats"]):
            target = self.book.sheets[sheet_name].range((first, column), (last, column))
            target.number_format = pattern
        for sheet_name, first, column, before in reversed(record["values"]):
            rows = decode(before)
            target = self.book.sheets[sheet_name].range(
                (first, column), (first + len(rows) - 1, column)
            )
            target.value = [[excel_text(row[0])] for row in rows]
        ExcelState(record["state"]).save(self.book)


def _last_per_key(plan: Plan) -> list[WriteSheet]:
    return list({c.key: c for c in plan.changes if isinstance(c, WriteSheet)}.values())


def _hex(colour: object) -> str | None:
    """xlwings gives a colour as an (r, g, b) tuple (or None); we keep 'RRGGBB'."""
    if isinstance(colour, tuple | list) and len(colour) == 3:
        return "".join(f"{int(c):02X}" for c in colour)
    if isinstance(colour, str):
        return colour.lstrip("#").upper()
    return None


def _rgb(colour: str | None) -> tuple[int, int, int] | None:
    if colour is None:
        return None
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def _book_name(book: Any) -> str:
    return Path(str(book.fullname)).name or str(book.name)


def _beside(book: Any) -> Path:
    """The workbook's folder; an unsaved workbook (no folder yet) uses the current one."""
    folder = Path(str(book.fullname)).parent
    return folder if folder.is_absolute() and folder.is_dir() else Path.cwd()


__all__ = ["HIGHLIGHT_COLOURS", "ExcelBackend", "excel_text", "runs"]
