"""batchUpdate requests on sheets and their grids: add, delete, properties, dimensions,
filters and groups."""

from __future__ import annotations

import copy
from typing import Any

from tests.sheets_standin.batch_common import (
    check_cells,
    grid_bounds,
    new_id,
    proto_range,
    set_path,
    sheet_of,
)
from tests.sheets_standin.errors import bad_request, not_implemented
from tests.sheets_standin.fieldmask import mask_paths
from tests.sheets_standin.model import DEFAULT_COLUMNS, DEFAULT_ROWS, Cell, Sheet, Spreadsheet
from tests.sheets_standin.values import quantize_colors


def add_sheet(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    props = copy.deepcopy(payload.get("properties", {}))
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = new_id(book)
    elif book.sheet_by_id(int(sheet_id)) is not None:
        raise bad_request(f"Sheet with id {sheet_id} already exists.")
    title = props.get("title") or _free_title(book)
    if book.sheet_by_title(title) is not None:
        raise bad_request(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    grid = props.get("gridProperties") or {}
    index = props.get("index", len(book.sheets))
    for other in book.sheets:
        if int(other.props.get("index", 0)) >= index:
            other.props["index"] = int(other.props.get("index", 0)) + 1
    full = {
        "sheetId": int(sheet_id),
        "title": title,
        "index": index,
        "sheetType": props.get("sheetType", "GRID"),
        "gridProperties": {
            "rowCount": int(grid.get("rowCount", DEFAULT_ROWS)),
            "columnCount": int(grid.get("columnCount", DEFAULT_COLUMNS)),
            **{k: v for k, v in grid.items() if k not in ("rowCount", "columnCount") and v},
        },
    }
    for key in ("hidden", "tabColorStyle", "rightToLeft"):
        if props.get(key):
            full[key] = quantize_colors(copy.deepcopy(props[key]))
    check_cells(book, full["gridProperties"]["rowCount"] * full["gridProperties"]["columnCount"])
    book.sheets.append(Sheet(full))
    book.reindex()
    return {"properties": copy.deepcopy(book.sheet_by_id(int(sheet_id)).props)}  # type: ignore[union-attr]


def _free_title(book: Spreadsheet) -> str:
    number = len(book.sheets) + 1
    while book.sheet_by_title(f"Sheet{number}") is not None:
        number += 1
    return f"Sheet{number}"


def delete_sheet(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = sheet_of(book, payload.get("sheetId"))
    if len(book.sheets) == 1:
        raise bad_request("You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.named_ranges = [
        n for n in book.named_ranges if int(n["range"].get("sheetId", 0)) != sheet.sheet_id
    ]
    book.reindex()
    return None


def update_sheet_properties(book: Spreadsheet, payload: dict[str, Any]) -> None:
    props = payload.get("properties", {})
    sheet = sheet_of(book, props.get("sheetId"))
    before_rows, before_columns = sheet.rows, sheet.columns
    for path in mask_paths(str(payload.get("fields", ""))):
        if path == ["*"]:
            raise not_implemented("updateSheetProperties with fields '*'")
        if path[0] == "title":
            other = book.sheet_by_title(str(props.get("title", "")))
            if other is not None and other is not sheet:
                raise bad_request(
                    f'A sheet with the name "{props["title"]}" already exists. '
                    "Please enter another name."
                )
        if path[0] == "index":
            _move(book, sheet, int(props.get("index", 0)))
            continue
        set_path(sheet.props, path, quantize_colors(props))
    if sheet.props.get("hidden") and all(s.props.get("hidden") for s in book.sheets):
        raise bad_request("You can't hide all the sheets in a document.")
    sheet.props = _clean(sheet.props)
    sheet.props.setdefault("gridProperties", {})
    if sheet.rows < before_rows or sheet.columns < before_columns:
        _truncate(sheet)
    check_cells(book, 0)
    return None


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in node.items():
        if isinstance(value, dict):
            value = _clean(value)
        if value in (None, False, 0, {}) and key not in (
            "sheetId",
            "index",
            "rowCount",
            "columnCount",
            "title",
        ):
            continue
        out[key] = value
    return out


def _move(book: Spreadsheet, sheet: Sheet, index: int) -> None:
    order = [s for s in book.ordered() if s is not sheet]
    order.insert(min(index, len(order)), sheet)
    for position, item in enumerate(order):
        item.props["index"] = position


def _truncate(sheet: Sheet) -> None:
    rows, columns = sheet.rows, sheet.columns
    sheet.cells = {k: v for k, v in sheet.cells.items() if k[0] < rows and k[1] < columns}


def update_spreadsheet_properties(book: Spreadsheet, payload: dict[str, Any]) -> None:
    props = payload.get("properties", {})
    for path in mask_paths(str(payload.get("fields", ""))):
        if path[0] not in ("title", "locale", "timeZone", "autoRecalc"):
            raise not_implemented(f"updateSpreadsheetProperties field {'.'.join(path)!r}")
        set_path(book.props, path, props)
    return None


# -- dimensions -------------------------------------------------------------------------------


def append_dimension(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = sheet_of(book, payload.get("sheetId"))
    key = "rowCount" if payload.get("dimension") == "ROWS" else "columnCount"
    length = int(payload.get("length", 0))
    other = sheet.columns if key == "rowCount" else sheet.rows
    check_cells(book, length * other)
    sheet.grid[key] = int(sheet.grid.get(key, 0)) + length
    return None


def _shift(sheet: Sheet, rows: bool, start: int, delta: int, end: int | None = None) -> None:
    """Move cells and dimension metadata at or after `start` by `delta` (drop [start, end))."""

    def moved(index: int) -> int | None:
        if end is not None and start <= index < end:
            return None
        return index + delta if index >= start else index

    cells: dict[tuple[int, int], Cell] = {}
    for (r, c), cell in sheet.cells.items():
        index = moved(r if rows else c)
        if index is not None:
            cells[(index, c) if rows else (r, index)] = cell
    sheet.cells = cells
    meta = sheet.row_meta if rows else sheet.column_meta
    shifted = {}
    for index, value in meta.items():
        new = moved(index)
        if new is not None:
            shifted[new] = value
    meta.clear()
    meta.update(shifted)
    low, high = ("startRowIndex", "endRowIndex") if rows else ("startColumnIndex", "endColumnIndex")
    pivot = start if end is None else end
    for merge in sheet.merges:
        for key in (low, high):
            if merge.get(key, 0) >= pivot:
                merge[key] = merge.get(key, 0) + delta


def insert_dimension(book: Spreadsheet, payload: dict[str, Any]) -> None:
    grid = payload["range"]
    sheet = sheet_of(book, grid.get("sheetId"))
    rows = grid.get("dimension") == "ROWS"
    start, end = int(grid.get("startIndex", 0)), int(grid["endIndex"])
    check_cells(book, (end - start) * (sheet.columns if rows else sheet.rows))
    _shift(sheet, rows, start, end - start)
    key = "rowCount" if rows else "columnCount"
    sheet.grid[key] = int(sheet.grid[key]) + end - start
    return None


def delete_dimension(book: Spreadsheet, payload: dict[str, Any]) -> None:
    grid = payload["range"]
    sheet = sheet_of(book, grid.get("sheetId"))
    rows = grid.get("dimension") == "ROWS"
    key = "rowCount" if rows else "columnCount"
    start = int(grid.get("startIndex", 0))
    end = int(grid.get("endIndex", sheet.grid[key]))
    if end - start >= int(sheet.grid[key]):
        raise bad_request(
            "You can't delete all the rows on the sheet."
            if rows
            else "You can't delete all the columns on the sheet."
        )
    _shift(sheet, rows, start, start - end, end)
    sheet.grid[key] = int(sheet.grid[key]) - (end - start)
    return None


def update_dimension_properties(book: Spreadsheet, payload: dict[str, Any]) -> None:
    grid = payload["range"]
    sheet = sheet_of(book, grid.get("sheetId"))
    rows = grid.get("dimension") == "ROWS"
    meta = sheet.row_meta if rows else sheet.column_meta
    default = 21 if rows else 100
    count = sheet.rows if rows else sheet.columns
    paths = mask_paths(str(payload.get("fields", "")))
    for index in range(int(grid.get("startIndex", 0)), int(grid.get("endIndex", count))):
        current = meta.get(index, {"pixelSize": default})
        for path in paths:
            if path[0] not in ("pixelSize", "hiddenByUser"):
                raise not_implemented(f"dimension property {path[0]!r}")
            set_path(current, path, payload.get("properties", {}))
        current = {k: v for k, v in current.items() if v not in (False, None)}
        meta[index] = current
    return None


def set_basic_filter(book: Spreadsheet, payload: dict[str, Any]) -> None:
    flt = copy.deepcopy(payload["filter"])
    sheet = sheet_of(book, flt.get("range", {}).get("sheetId"))
    row0, row1, col0, col1 = grid_bounds(sheet, flt.get("range", {}))
    flt["range"] = proto_range(
        {
            "sheetId": sheet.sheet_id,
            "startRowIndex": row0,
            "endRowIndex": row1,
            "startColumnIndex": col0,
            "endColumnIndex": col1,
        }
    )
    sheet.extras["basicFilter"] = flt
    return None


def clear_basic_filter(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet_of(book, payload.get("sheetId")).extras.pop("basicFilter", None)
    return None


def groups(book: Spreadsheet, payload: dict[str, Any], add: bool) -> dict[str, Any]:
    grid = payload["range"]
    sheet = sheet_of(book, grid.get("sheetId"))
    key = "rowGroups" if grid.get("dimension") == "ROWS" else "columnGroups"
    groups: list[dict[str, Any]] = sheet.extras.setdefault(key, [])
    span = (int(grid.get("startIndex", 0)), int(grid["endIndex"]))
    existing = [
        g for g in groups if (g["range"].get("startIndex", 0), g["range"]["endIndex"]) == span
    ]
    if add:
        if groups and not existing:
            raise not_implemented("nested or overlapping dimension groups")
        if existing:
            raise not_implemented("nested dimension groups")
        groups.append(
            {
                "range": proto_range(
                    {
                        "sheetId": sheet.sheet_id,
                        **{
                            k: grid[k] for k in ("dimension", "startIndex", "endIndex") if k in grid
                        },
                    }
                ),
                "depth": 1,
            }
        )
        control = "rowGroupControlAfter" if key == "rowGroups" else "columnGroupControlAfter"
        sheet.grid[control] = True
    else:
        if not existing:
            raise bad_request("No dimension group found in the given range.")
        groups.remove(existing[0])
    if not groups:
        sheet.extras.pop(key)
    return {"dimensionGroups": copy.deepcopy(groups)} if groups else {}
