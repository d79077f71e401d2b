"""A Plan turned into what Google Sheets needs: value ranges (RAW) and structural requests.

Nothing here talks to Google. `build_write` takes what one read learned (a Snapshot) and a
Plan, and returns a `Write`: the values to send in one values.batchUpdate, the requests to
send in one spreadsheets.batchUpdate (backups and journal first, so the batch that changes
anything also records how to undo it), the new state, and what the run will touch.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from toolkit.backends.base import RunInfo, place_columns
from toolkit.backends.gsheets.batches import ValueBlock
from toolkit.backends.gsheets.convert import write_value
from toolkit.backends.gsheets.highlights import highlight_requests
from toolkit.backends.gsheets.sheetwriter import new_sheet_requests
from toolkit.backends.gsheets.snapshot import SheetInfo, Snapshot
from toolkit.backends.gsheets.state import (
    BACKUP_PREFIX,
    PREVIOUS_PREFIX,
    STATE_SHEET,
    Block,
    Journal,
    Replaced,
    State,
    Written,
    chunks,
    digest,
    runs,
)
from toolkit.errors import WorkbookError
from toolkit.i18n import own_sheet_key
from toolkit.plan import Highlight, Plan, SetCells, SetColumn, WriteSheet
from toolkit.table import CellValue, column_letter

Cell = tuple[int, int]


@dataclass
class Write:
    """Everything one apply sends, and what it means."""

    values: list[ValueBlock] = field(default_factory=list)  # written RAW
    requests: list[dict[str, Any]] = field(default_factory=list)  # one structural batchUpdate
    state: State = field(default_factory=State)
    journal: Journal | None = None
    touched: list[str] = field(default_factory=list)  # sheets whose rows the plan relies on
    cells_written: int = 0
    sheets_written: list[str] = field(default_factory=list)
    cells_added: int = 0  # grid cells the spreadsheet gains (its limit is 10 million)


class WriteBuilder:
    """Builds a Write from a Snapshot and a Plan; one instance per apply."""

    def __init__(self, snapshot: Snapshot, plan: Plan, run: RunInfo) -> None:
        self.snap = snapshot
        self.plan = plan
        self.raw = snapshot.raw()
        self.state = State.from_json(snapshot.state.to_json())
        self.journal = Journal(run.started, list(run.steps), run.user, snapshot.state.to_json())
        self.out = Write(state=self.state, journal=self.journal)
        self.edits: dict[str, dict[Cell, CellValue]] = defaultdict(dict)
        self.number_formats: list[tuple[str, int, int, int, dict[str, str]]] = []
        self.formats: list[dict[str, Any]] = []  # number formats and highlights, last
        self.sheet_requests: list[dict[str, Any]] = []  # our own sheets, after backups
        self.sheet_values: list[ValueBlock] = []
        self.backup_requests: list[dict[str, Any]] = []  # first: before anything changes
        self.added_sheets = 0
        self.taken = {s.sheet_id for s in snapshot.sheets}
        self.titles = {s.title.casefold() for s in snapshot.sheets}

    # -- ids and sheets -------------------------------------------------------------------

    def new_id(self) -> int:
        while True:
            candidate = 1 + secrets.randbelow(2**31 - 2)
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate

    def user_sheet(self, title: str) -> SheetInfo:
        info = self.snap.info(title)
        if info is None or self.raw.sheet(title) is None:
            raise WorkbookError(
                f"The plan writes to sheet '{title}', which this spreadsheet does not have "
                "(renamed or deleted since it was read?). Nothing was written; run again."
            )
        return info

    # -- the plan ---------------------------------------------------------------------------

    def build(self) -> Write:
        positions = place_columns(self.raw, self.plan)
        highlights: list[Highlight] = []
        for change in self.plan.changes:
            if isinstance(change, SetCells):
                self._set_cells(change)
            elif isinstance(change, SetColumn):
                self._set_column(change, positions[(change.sheet, change.key)])
            elif isinstance(change, Highlight):
                highlights.append(change)
            else:
                self._write_sheet(change)
        self._highlights(highlights)
        self._user_values()
        self._assemble()
        return self.out

    def _set_cells(self, change: SetCells) -> None:
        self.user_sheet(change.sheet)
        self._touch(change.sheet)
        for cell in change.cells:
            self.edits[change.sheet][(cell.row, cell.column)] = cell.value

    def _set_column(self, change: SetColumn, column: int) -> None:
        info = self.user_sheet(change.sheet)
        self._touch(change.sheet)
        if column > 1:  # our header looks like its left neighbour, as in the .xlsx backend
            row = change.header_row - 1
            left, ours = (
                Block(info.sheet_id, row, row + 1, column - 2, column - 1),
                Block(info.sheet_id, row, row + 1, column - 1, column),
            )
            paste = {"source": left.grid(), "destination": ours.grid(), "pasteType": "PASTE_FORMAT"}
            self.formats.append({"copyPaste": paste})
        used = len(self.raw.sheet(change.sheet).rows)  # type: ignore[union-attr]
        end = max(change.first_row + len(change.values) - 1, used, change.header_row)
        edits = self.edits[change.sheet]
        edits[(change.header_row, column)] = change.header
        for row in range(change.header_row + 1, end + 1):
            at = row - change.first_row
            edits[(row, column)] = change.values[at] if 0 <= at < len(change.values) else None
        if change.number_format and change.values:
            fmt = _number_format(change.number_format)
            self.number_formats.append(
                (change.sheet, column, change.first_row, change.first_row + len(change.values), fmt)
            )

    def _touch(self, title: str) -> None:
        if title not in self.out.touched:
            self.out.touched.append(title)

    # -- highlights -------------------------------------------------------------------------

    def _highlights(self, items: list[Highlight]) -> None:
        by_sheet: dict[str, list[Highlight]] = defaultdict(list)
        for item in items:
            by_sheet[item.sheet].append(item)
        for title, listed in by_sheet.items():
            info = self.user_sheet(title)
            self._touch(title)
            now = self.snap.backgrounds.get(title, {})
            self.formats.extend(
                highlight_requests(info.sheet_id, listed, self.state, now, self.journal)
            )

    # -- values of the user's sheets --------------------------------------------------------

    def _user_values(self) -> None:
        for title, column, first, end, fmt in self.number_formats:
            info = self.user_sheet(title)
            block = Block(info.sheet_id, first - 1, end - 1, column - 1, column)
            self.formats.append(_repeat_format(block, fmt))
        for title, edits in self.edits.items():
            info = self.user_sheet(title)
            blocks = []
            for column, row0, row1 in runs(edits):
                values = [edits[(row, column)] for row in range(row0, row1 + 1)]
                blocks.append(self._value_range(title, info, column, row0, values))
            self._grow(info, max(b.row1 for b in blocks), max(b.col1 for b in blocks))
            self._backup(info, blocks)
            self._date_formats(title, info.sheet_id, edits)

    def _value_range(
        self, title: str, info: SheetInfo, column: int, row0: int, values: list[CellValue]
    ) -> Block:
        rows = [
            [write_value(v, f"{title}!{column_letter(column)}{row0 + i}")[0]]
            for i, v in enumerate(values)
        ]
        block = Block(info.sheet_id, row0 - 1, row0 - 1 + len(rows), column - 1, column)
        self.out.values.append(ValueBlock(title, block.row0, block.col0, rows))
        self.journal.written.append(Written(block, digest(rows, 1)))
        self.out.cells_written += len(rows)
        return block

    def _date_formats(self, title: str, sheet_id: int, edits: dict[Cell, CellValue]) -> None:
        """Date values need a date format: one repeatCell per run of cells needing the same one.

        Cells already formatted as that kind of date, and columns given a number format by
        the plan, keep theirs.
        """
        types = self.snap.number_types.get(title, {})
        covered = {
            (c, r)
            for t, c, first, end, _ in self.number_formats
            if t == title
            for r in range(first, end)
        }
        wanted: dict[str, list[Cell]] = defaultdict(list)
        formats: dict[str, dict[str, str]] = {}
        for (row, column), value in edits.items():
            fmt = write_value(value, title)[1] if isinstance(value, date | time) else None
            if fmt is None or types.get((row, column)) == fmt["type"] or (column, row) in covered:
                continue
            wanted[fmt["type"]].append((row, column))
            formats[fmt["type"]] = fmt
        for kind, cells in wanted.items():
            for column, row0, row1 in runs(cells):
                block = Block(sheet_id, row0 - 1, row1, column - 1, column)
                self.formats.append(_repeat_format(block, formats[kind]))

    def _grow(self, info: SheetInfo, rows: int, columns: int) -> None:
        """Append rows/columns the writes need beyond the grid (values cannot go outside it)."""
        extra_rows, extra_columns = max(0, rows - info.rows), max(0, columns - info.columns)
        for dimension, length in (("ROWS", extra_rows), ("COLUMNS", extra_columns)):
            if length:
                self.sheet_requests.insert(
                    0,
                    {
                        "appendDimension": {
                            "sheetId": info.sheet_id,
                            "dimension": dimension,
                            "length": length,
                        }
                    },
                )
        if extra_rows or extra_columns:
            self.journal.grown.append((info.sheet_id, info.rows, info.columns))
            self.out.cells_added += (info.rows + extra_rows) * (
                info.columns + extra_columns
            ) - info.cells

    def _backup(self, info: SheetInfo, blocks: list[Block]) -> None:
        """Copy what the writes overwrite into a hidden sheet, same coordinates (see undo)."""
        inside = [
            Block(b.sheet_id, b.row0, min(b.row1, info.rows), b.col0, min(b.col1, info.columns))
            for b in blocks
            if b.row0 < info.rows and b.col0 < info.columns
        ]
        if not inside:
            return
        backup_id = self.new_id()
        rows, columns = max(b.row1 for b in inside), max(b.col1 for b in inside)
        self.out.cells_added += rows * columns
        self.journal.backups.append(backup_id)
        self.backup_requests.append(
            _hidden_sheet(backup_id, f"{BACKUP_PREFIX}{info.sheet_id}", rows, columns)
        )
        for block in inside:
            self.journal.copies.append((block, backup_id))
            self.backup_requests.append(
                {
                    "copyPaste": {
                        "source": block.grid(),
                        "destination": block.grid(backup_id),
                        "pasteType": "PASTE_NORMAL",
                    }
                }
            )

    # -- our own sheets ---------------------------------------------------------------------

    def _write_sheet(self, change: WriteSheet) -> None:
        existing = self._own_sheet(change.key)
        if existing is not None:
            self.titles.discard(existing.title.casefold())
        title = self._free_title(change.title)
        new_id = self.new_id()
        index = existing.index if existing is not None else self._next_index()
        if existing is not None:
            hide = {
                "sheetId": existing.sheet_id,
                "title": f"{PREVIOUS_PREFIX}{existing.sheet_id}",
                "hidden": True,
            }
            self.sheet_requests.append(
                {"updateSheetProperties": {"properties": hide, "fields": "title,hidden"}}
            )
            self.journal.replaced.append(
                Replaced(existing.sheet_id, new_id, existing.title, existing.index, existing.hidden)
            )
        requests, values, cells = new_sheet_requests(change, new_id, title, index)
        self.sheet_requests.extend(requests[:1])
        self.formats.extend(requests[1:])
        self.sheet_values.extend(values)
        self.journal.added.append(new_id)
        self.state.own_sheets[change.key] = new_id
        self.out.sheets_written.append(title)
        self.out.cells_written += cells
        grid = requests[0]["addSheet"]["properties"]["gridProperties"]
        self.out.cells_added += grid["rowCount"] * grid["columnCount"]

    def _next_index(self) -> int:
        """New sheets go after every existing one, in plan order."""
        self.added_sheets += 1
        return len(self.snap.sheets) + self.added_sheets - 1

    def _own_sheet(self, key: str) -> SheetInfo | None:
        """Our sheet for `key`: recorded in the state and still named as one of ours."""
        sheet_id = self.state.own_sheets.get(key)
        info = self.snap.by_id(sheet_id) if sheet_id is not None else None
        if info is None:
            return None
        base = info.title.rsplit(" (", 1)[0] if info.title.endswith(")") else info.title
        return info if own_sheet_key(base) == key else None

    def _free_title(self, title: str) -> str:
        """`title`, or 'title (2)'... when a sheet already has it: a user's sheet is never ours."""
        candidate, number = title, 1
        while candidate.casefold() in self.titles:
            number += 1
            candidate = f"{title} ({number})"
        self.titles.add(candidate.casefold())
        return candidate

    # -- assembling -------------------------------------------------------------------------

    def _assemble(self) -> None:
        stale = [
            s for s in self.snap.sheets if s.title.startswith((BACKUP_PREFIX, PREVIOUS_PREFIX))
        ]
        requests: list[dict[str, Any]] = [{"deleteSheet": {"sheetId": s.sheet_id}} for s in stale]
        self.out.cells_added -= sum(s.cells for s in stale)
        requests.extend(self.backup_requests)
        requests.extend(self._state_requests())
        requests.extend(self.sheet_requests)
        requests.extend(self.formats)
        self.out.requests = requests
        self.out.values.extend(self.sheet_values)
        state_sheet = self.snap.info(STATE_SHEET)
        if state_sheet is not None:
            self._touch(STATE_SHEET)

    def _state_requests(self) -> list[dict[str, Any]]:
        info = self.snap.info(STATE_SHEET)
        requests: list[dict[str, Any]] = []
        if info is None:
            sheet_id = self.new_id()
            self.journal.state_sheet_added = True
            state_rows, grid_rows = 0, 0
        else:
            sheet_id, grid_rows = info.sheet_id, info.rows
            state_rows = len(self.snap.values.get(STATE_SHEET, []))
        column_a = chunks(self.state.to_json())
        column_b = chunks(self.journal.to_json())
        height = max(len(column_a), len(column_b), state_rows, 1)
        if info is None:
            requests.append(_hidden_sheet(sheet_id, STATE_SHEET, height, 2))
            self.out.cells_added += height * 2
        elif grid_rows < height:
            requests.append(
                {
                    "appendDimension": {
                        "sheetId": sheet_id,
                        "dimension": "ROWS",
                        "length": height - grid_rows,
                    }
                }
            )
        rows = [{"values": [_text(column_a, r), _text(column_b, r)]} for r in range(height)]
        grid = Block(sheet_id, 0, height, 0, 2).grid()
        requests.append(
            {"updateCells": {"range": grid, "rows": rows, "fields": "userEnteredValue"}}
        )
        return requests


def build_write(snapshot: Snapshot, plan: Plan, run: RunInfo) -> Write:
    """Everything an apply of `plan` sends, computed from the snapshot of the last read.

    >>> from toolkit.backends.gsheets.snapshot import add_values, parse_metadata
    >>> snapshot = parse_metadata("k", {"sheets": [{"properties": {"title": "C",
    ...     "gridProperties": {"rowCount": 9, "columnCount": 2}}}]})
    >>> add_values(snapshot, ["C"], [{"values": [["Name"], ["Li"]]}])
    >>> plan = Plan((SetColumn("C", "tags", "Tags", 1, 2, ("vip",)),))
    >>> write = build_write(snapshot, plan, RunInfo(("tag",), "2025-06-30T09:00"))
    >>> [v.body()["range"] for v in write.values], write.touched
    (["'C'!B1:B2"], ['C'])
    """
    return WriteBuilder(snapshot, plan, run).build()


def _text(column: list[str], row: int) -> dict[str, Any]:
    return {"userEnteredValue": {"stringValue": column[row]}} if row < len(column) else {}


def _hidden_sheet(sheet_id: int, title: str, rows: int, columns: int) -> dict[str, Any]:
    props = {
        "sheetId": sheet_id,
        "title": title,
        "hidden": True,
        "gridProperties": {"rowCount": max(rows, 1), "columnCount": max(columns, 1)},
    }
    return {"addSheet": {"properties": props}}


def _repeat_format(block: Block, fmt: dict[str, str]) -> dict[str, Any]:
    cell = {"userEnteredFormat": {"numberFormat": fmt}}
    return {
        "repeatCell": {
            "range": block.grid(),
            "cell": cell,
            "fields": "userEnteredFormat.numberFormat",
        }
    }


def _number_format(pattern: str) -> dict[str, str]:
    """A Sheets NumberFormat for an Excel-style pattern ('0.000', 'yyyy-mm-dd', '0%')."""
    lower = pattern.lower()
    if any(token in lower for token in ("yy", "dd", "mmm")):
        kind = "DATE_TIME" if ("h" in lower or "ss" in lower) else "DATE"
    elif "%" in pattern:
        kind = "PERCENT"
    else:
        kind = "NUMBER"
    return {"type": kind, "pattern": pattern}
