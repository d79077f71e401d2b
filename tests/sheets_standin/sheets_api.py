"""spreadsheets.get, and the range resolution every endpoint shares."""

from __future__ import annotations

import copy
from typing import Any

from tests.sheets_standin.a1 import WHOLE, Bounds, parse_cells, split_sheet
from tests.sheets_standin.errors import bad_request
from tests.sheets_standin.fieldmask import apply_mask, parse_mask
from tests.sheets_standin.model import COLUMN_PIXELS, ROW_PIXELS, Cell, Sheet, Spreadsheet
from tests.sheets_standin.values import effective, render

Query = dict[str, list[str]]

_WHITE = {"red": 1, "green": 1, "blue": 1}
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": dict(_WHITE),
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": dict(_WHITE)},
}
_THEME_COLORS = [
    ("TEXT", {}),
    ("BACKGROUND", dict(_WHITE)),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]
THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [{"colorType": t, "color": {"rgbColor": c}} for t, c in _THEME_COLORS],
}


def first(query: Query, name: str, default: str = "") -> str:
    values = query.get(name)
    return values[0] if values else default


# -- ranges -------------------------------------------------------------------------------


def resolve(book: Spreadsheet, text: str) -> tuple[Sheet, Bounds]:
    """The sheet and bounds a range names: 'T'!A1:B2, T, A1:B2 (first sheet), or a name."""
    title, cells = split_sheet(text)
    if title is None:
        named = next((n for n in book.named_ranges if n["name"] == text), None)
        if named is not None:
            return _named(book, named["range"])
        bounds = parse_cells(text)
        sheet = book.sheet_by_title(text)
        if bounds is not None and book.sheets:
            return book.ordered()[0], bounds
        if sheet is not None:
            return sheet, WHOLE
        raise bad_request(f"Unable to parse range: {text}")
    sheet = book.sheet_by_title(title)
    if sheet is None:
        raise bad_request(f"Unable to parse range: {text}")
    if cells is None:
        return sheet, WHOLE
    bounds = parse_cells(cells)
    if bounds is None:
        named = next((n for n in book.named_ranges if n["name"] == cells), None)
        if named is None:
            raise bad_request(f"Unable to parse range: {text}")
        return _named(book, named["range"])
    return sheet, bounds


def _named(book: Spreadsheet, grid: dict[str, Any]) -> tuple[Sheet, Bounds]:
    sheet = book.sheet_by_id(int(grid.get("sheetId", 0)))
    if sheet is None:
        raise bad_request("Unable to parse range")
    return sheet, Bounds(
        grid.get("startRowIndex"),
        grid.get("endRowIndex"),
        grid.get("startColumnIndex"),
        grid.get("endColumnIndex"),
    )


def clipped(sheet: Sheet, bounds: Bounds) -> tuple[int, int, int, int]:
    row0, row1, col0, col1 = bounds.clip(sheet.rows, sheet.columns)
    return row0, min(row1, sheet.rows), col0, min(col1, sheet.columns)


# -- spreadsheets.get ------------------------------------------------------------------------


def spreadsheet_get(book: Spreadsheet, query: Query) -> dict[str, Any]:
    """spreadsheets.get: properties and sheets, grid data when asked, masked by `fields`."""
    mask = parse_mask(first(query, "fields"))
    wants_grid = first(query, "includeGridData", "false").lower() == "true" or _mask_wants_data(
        mask
    )
    ranges = query.get("ranges", [])
    sheets_out = []
    if ranges:
        chosen: dict[int, list[Bounds]] = {}
        order: list[Sheet] = []
        for text in ranges:
            sheet, bounds = resolve(book, text)
            if sheet.sheet_id not in chosen:
                order.append(sheet)
            chosen.setdefault(sheet.sheet_id, []).append(bounds)
        for sheet in order:
            sheets_out.append(
                _sheet_json(book, sheet, chosen[sheet.sheet_id] if wants_grid else None, mask)
            )
    else:
        for sheet in book.ordered():
            sheets_out.append(_sheet_json(book, sheet, [WHOLE] if wants_grid else None, mask))
    out: dict[str, Any] = {
        "spreadsheetId": book.id,
        "properties": {
            **copy.deepcopy(book.props),
            "defaultFormat": DEFAULT_FORMAT,
            "spreadsheetTheme": THEME,
        },
        "sheets": sheets_out,
    }
    if book.named_ranges:
        out["namedRanges"] = copy.deepcopy(book.named_ranges)
    out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{book.id}/edit"
    return apply_mask(out, mask)


def _mask_wants_data(mask: dict[str, Any] | None) -> bool:
    if mask is None:
        return False
    sheets = mask.get("sheets", {})
    return sheets is None or "data" in sheets or "*" in sheets


def _sheet_json(
    book: Spreadsheet, sheet: Sheet, grids: list[Bounds] | None, mask: dict[str, Any] | None
) -> dict[str, Any]:
    out: dict[str, Any] = {"properties": copy.deepcopy(sheet.props)}
    if sheet.merges:
        out["merges"] = copy.deepcopy(sheet.merges)
    if sheet.charts:
        out["charts"] = copy.deepcopy(sheet.charts)
    for key, value in sheet.extras.items():
        out[key] = copy.deepcopy(value)
    if grids is not None:
        wanted = _wanted_cell_fields(mask)
        out["data"] = [_grid_data(sheet, bounds, wanted) for bounds in grids]
    return out


def _wanted_cell_fields(mask: dict[str, Any] | None) -> set[str] | None:
    node: Any = mask
    for key in ("sheets", "data", "rowData", "values"):
        if node is None or "*" in node:
            return None
        if key not in node:
            return set()
        node = node[key]
    return None if node is None else set(node)


def _grid_data(sheet: Sheet, bounds: Bounds, wanted: set[str] | None) -> dict[str, Any]:
    row0, row1, col0, col1 = clipped(sheet, bounds)
    data: dict[str, Any] = {}
    if row0:
        data["startRow"] = row0
    if col0:
        data["startColumn"] = col0
    by_row: dict[int, dict[int, Cell]] = {}
    for (row, column), cell in sheet.cells.items():
        if row0 <= row < row1 and col0 <= column < col1:
            by_row.setdefault(row, {})[column] = cell
    if by_row:
        last = max(by_row)
        data["rowData"] = [
            _row_data(by_row.get(r, {}), col0, wanted) for r in range(row0, last + 1)
        ]
    data["rowMetadata"] = [
        sheet.row_meta.get(r, {"pixelSize": ROW_PIXELS}) for r in range(row0, row1)
    ]
    data["columnMetadata"] = [
        sheet.column_meta.get(c, {"pixelSize": COLUMN_PIXELS}) for c in range(col0, col1)
    ]
    return data


def _row_data(cells: dict[int, Cell], col0: int, wanted: set[str] | None) -> dict[str, Any]:
    if not cells:
        return {}
    last = max(cells)
    return {"values": [_cell_data(cells.get(c), wanted) for c in range(col0, last + 1)]}


def _cell_data(cell: Cell | None, wanted: set[str] | None) -> dict[str, Any]:
    if cell is None:
        return {}

    def want(name: str) -> bool:
        return wanted is None or name in wanted

    out: dict[str, Any] = {}
    if cell.entered is not None:
        if want("userEnteredValue"):
            out["userEnteredValue"] = cell.entered
        if want("effectiveValue"):
            out["effectiveValue"] = effective(cell)
        if want("formattedValue"):
            out["formattedValue"] = render(cell, "FORMATTED_VALUE", "FORMATTED_STRING")
    if cell.fmt and want("userEnteredFormat"):
        out["userEnteredFormat"] = cell.fmt
    if (cell.entered is not None or cell.fmt) and want("effectiveFormat"):
        out["effectiveFormat"] = _merged(DEFAULT_FORMAT, cell.fmt or {})
    if cell.note and want("note"):
        out["note"] = cell.note
    if cell.validation and want("dataValidation"):
        out["dataValidation"] = cell.validation
    return out


def _merged(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """`top` over `base`, sharing what it does not change (answers are never mutated)."""
    out = dict(base)
    for key, value in top.items():
        below = out.get(key)
        out[key] = (
            _merged(below, value) if isinstance(value, dict) and isinstance(below, dict) else value
        )
    return out
