"""One read of a spreadsheet: the metadata request and the batched values request, parsed.

The metadata request's field mask asks, besides each sheet's properties, for every cell's
number-format type (to know which serial numbers are dates) and background (to restore it
when one of our highlights goes away). The values request reads every grid sheet at once,
unformatted, dates as serial numbers. Both are kept raw too, to tell later what changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.backends.gsheets.convert import DATE_TYPES, read_value
from toolkit.backends.gsheets.state import STATE_SHEET, Journal, State, is_internal, read_sheet
from toolkit.table import CellValue, RawSheet, RawWorkbook, column_letter

METADATA_FIELDS = (
    "spreadsheetId,properties.title,"
    "sheets(properties(sheetId,title,index,hidden,sheetType,gridProperties(rowCount,columnCount)),"
    "data.rowData.values(effectiveFormat.numberFormat.type,userEnteredFormat.backgroundColorStyle))"
)
SHEET_FIELDS = (
    "sheets.properties(sheetId,title,index,hidden,sheetType,gridProperties(rowCount,columnCount))"
)
VALUE_OPTIONS = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
}


@dataclass(frozen=True)
class SheetInfo:
    """A sheet's properties as the metadata request gave them."""

    sheet_id: int
    title: str
    index: int
    hidden: bool
    rows: int
    columns: int
    grid: bool = True

    @property
    def cells(self) -> int:
        return self.rows * self.columns


@dataclass
class Snapshot:
    """Everything one read learned."""

    key: str
    title: str
    sheets: list[SheetInfo]
    values: dict[str, list[list[Any]]]  # raw values as read, by sheet title
    number_types: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # 1-based
    backgrounds: dict[str, dict[tuple[int, int], Any]] = field(default_factory=dict)  # 1-based
    state: State = field(default_factory=State)
    journal: Journal | None = None

    def info(self, title: str) -> SheetInfo | None:
        return next((s for s in self.sheets if s.title == title), None)

    def by_id(self, sheet_id: int) -> SheetInfo | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def raw(self) -> RawWorkbook:
        """The user's sheets as typed values, rows padded to the sheet's width."""
        sheets = []
        for info in sorted(self.sheets, key=lambda s: s.index):
            if not info.grid or is_internal(info.title):
                continue
            rows = self.values.get(info.title, [])
            types = self.number_types.get(info.title, {})
            width = max((len(r) for r in rows), default=0)
            typed = [_typed_row(row, r + 1, width, types) for r, row in enumerate(rows)]
            sheets.append(RawSheet(info.title, typed, hidden=info.hidden))
        return RawWorkbook(f"https://docs.google.com/spreadsheets/d/{self.key}", tuple(sheets))


def _typed_row(
    row: Sequence[Any], number: int, width: int, types: dict[tuple[int, int], str]
) -> tuple[CellValue, ...]:
    values = [read_value(v, types.get((number, c + 1))) for c, v in enumerate(row)]
    return tuple(values + [None] * (width - len(values)))


def parse_metadata(key: str, metadata: dict[str, Any]) -> Snapshot:
    """Sheets, date cells and backgrounds from the metadata request's answer.

    >>> sheet = {"properties": {"sheetId": 0, "title": "C"}, "data": [{"rowData": [{"values":
    ...     [{"effectiveFormat": {"numberFormat": {"type": "DATE"}}}]}]}]}
    >>> parse_metadata("k", {"sheets": [sheet]}).number_types
    {'C': {(1, 1): 'DATE'}}
    """
    snapshot = Snapshot(key, str(metadata.get("properties", {}).get("title", "")), [], {})
    for sheet in metadata.get("sheets", []):
        props = sheet.get("properties", {})
        grid = props.get("gridProperties", {})
        info = SheetInfo(
            int(props.get("sheetId", 0)),
            str(props.get("title", "")),
            int(props.get("index", 0)),
            bool(props.get("hidden", False)),
            int(grid.get("rowCount", 0)),
            int(grid.get("columnCount", 0)),
            props.get("sheetType", "GRID") == "GRID",
        )
        snapshot.sheets.append(info)
        types, backgrounds = _formats(sheet.get("data", []))
        snapshot.number_types[info.title] = types
        snapshot.backgrounds[info.title] = backgrounds
    return snapshot


def _formats(
    data: list[dict[str, Any]],
) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], Any]]:
    types: dict[tuple[int, int], str] = {}
    backgrounds: dict[tuple[int, int], Any] = {}
    for grid in data:
        row0, col0 = int(grid.get("startRow", 0)), int(grid.get("startColumn", 0))
        for r, row in enumerate(grid.get("rowData", [])):
            for c, cell in enumerate(row.get("values", [])):
                where = (row0 + r + 1, col0 + c + 1)
                kind = cell.get("effectiveFormat", {}).get("numberFormat", {}).get("type")
                if kind in DATE_TYPES:
                    types[where] = kind
                background = cell.get("userEnteredFormat", {}).get("backgroundColorStyle")
                if background:
                    backgrounds[where] = background
    return types, backgrounds


def add_values(
    snapshot: Snapshot, titles: Sequence[str], value_ranges: Sequence[dict[str, Any]]
) -> None:
    """Attach the values request's answer (in the order of `titles`), and our state.

    >>> snapshot = parse_metadata("k", {"sheets": [{"properties": {"title": "C"}}]})
    >>> add_values(snapshot, ["C"], [{"values": [["Name"], ["Li"]]}]); snapshot.values
    {'C': [['Name'], ['Li']]}
    """
    for title, value_range in zip(titles, value_ranges, strict=True):
        snapshot.values[title] = [list(row) for row in value_range.get("values", [])]
    if STATE_SHEET in snapshot.values:
        snapshot.state, snapshot.journal = read_sheet(snapshot.values[STATE_SHEET])


def grid_titles(snapshot: Snapshot) -> list[str]:
    """Every sheet the values request reads (chart sheets have no cells).

    >>> grid_titles(parse_metadata("k", {"sheets": [{"properties": {"title": "C"}}]}))
    ['C']
    """
    return [s.title for s in sorted(snapshot.sheets, key=lambda s: s.index) if s.grid]


def quote(title: str) -> str:
    """A sheet title as an A1 range of the whole sheet.

    >>> quote("Li's list")
    "'Li''s list'"
    """
    return "'" + title.replace("'", "''") + "'"


def a1(title: str, row0: int, row1: int, col0: int, col1: int) -> str:
    """'Sheet'!B2:C9 for 0-based, end-exclusive bounds.

    >>> a1("客户", 1, 9, 1, 3)
    "'客户'!B2:C9"
    """
    start, end = f"{column_letter(col0 + 1)}{row0 + 1}", f"{column_letter(col1)}{row1}"
    return f"{quote(title)}!{start}:{end}"


def describe_changes(
    title: str, before: list[list[Any]], after: list[list[Any]], limit: int = 5
) -> str:
    """What someone changed in a sheet between two reads, for the refusal message.

    >>> describe_changes("C", [["Li", "138"]], [["Li", "139"]])
    "C!B1: '138' -> '139'"
    """

    def cell(rows: list[list[Any]], r: int, c: int) -> Any:
        return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""

    def canon(row: list[Any]) -> tuple[Any, ...]:
        trimmed = list(row)
        while trimmed and trimmed[-1] == "":
            trimmed.pop()
        return tuple(trimmed)

    old_rows, new_rows = [canon(r) for r in before], [canon(r) for r in after]
    if sorted(map(repr, old_rows)) == sorted(map(repr, new_rows)):
        moved = next(i for i, (a, b) in enumerate(zip(old_rows, new_rows, strict=False)) if a != b)
        return f"rows of '{title}' were sorted or moved (first at row {moved + 1})"
    notes = []
    if len(old_rows) != len(new_rows):
        notes.append(f"'{title}' went from {len(old_rows)} to {len(new_rows)} rows")
    changed = []
    width = max((len(r) for r in [*before, *after]), default=0)
    for r in range(max(len(before), len(after))):
        for c in range(width):
            if cell(before, r, c) != cell(after, r, c):
                where = f"{title}!{column_letter(c + 1)}{r + 1}"
                changed.append(f"{where}: {cell(before, r, c)!r} -> {cell(after, r, c)!r}")
    shown = "; ".join(changed[:limit]) + (
        f" (and {len(changed) - limit} more)" if len(changed) > limit else ""
    )
    return "; ".join([*notes, shown] if shown else notes)
