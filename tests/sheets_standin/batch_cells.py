"""batchUpdate requests on cells: values and formats, copy and cut, merges, named ranges,
sorting and charts."""

from __future__ import annotations

import copy
from typing import Any

from tests.sheets_standin.batch_common import (
    grid_bounds,
    new_id,
    normalize_format,
    proto_range,
    set_path,
    sheet_of,
)
from tests.sheets_standin.errors import bad_request, not_implemented
from tests.sheets_standin.fieldmask import mask_paths
from tests.sheets_standin.model import Cell, Sheet, Spreadsheet
from tests.sheets_standin.values import effective, evaluate_formula

_CELL_FIELDS = ("userEnteredValue", "userEnteredFormat", "note", "dataValidation")


def write_cell(
    book: Spreadsheet,
    sheet: Sheet,
    row: int,
    column: int,
    data: dict[str, Any],
    paths: list[list[str]],
) -> None:
    """Apply CellData `data` to one cell for the masked `paths` (['*'] = every field)."""
    if row >= sheet.rows or column >= sheet.columns:
        raise bad_request(
            f"Range ('{sheet.title}'!R{row + 1}C{column + 1}) exceeds grid limits. "
            f"Max rows: {sheet.rows}, max columns: {sheet.columns}"
        )
    cell = sheet.cell(row, column) or Cell()
    current: dict[str, Any] = {
        "userEnteredValue": copy.deepcopy(cell.entered),
        "userEnteredFormat": copy.deepcopy(cell.fmt),
        "note": cell.note,
        "dataValidation": copy.deepcopy(cell.validation),
    }
    current = {k: v for k, v in current.items() if v is not None}
    for path in paths:
        for full in [[name] for name in _CELL_FIELDS] if path == ["*"] else [path]:
            if full[0] not in _CELL_FIELDS:
                raise not_implemented(f"cell field {'.'.join(full)!r}")
            set_path(current, full, data)
    entered = current.get("userEnteredValue") or None
    if entered and "formulaValue" in entered:
        evaluate_formula(str(entered["formulaValue"]))
    touched = {".".join(p) for p in paths}
    new = Cell(
        entered,
        normalize_format(current.get("userEnteredFormat"), touched),
        current.get("note") or None,
        current.get("dataValidation") or None,
    )
    parts = sorted({p[0] for p in paths})
    book.put(sheet, row, column, new, ",".join(parts))


def update_cells(book: Spreadsheet, payload: dict[str, Any]) -> None:
    paths = mask_paths(str(payload.get("fields", "")))
    rows = payload.get("rows", [])
    if "start" in payload:
        start = payload["start"]
        sheet = sheet_of(book, start.get("sheetId"))
        row0, col0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        row1 = row0 + len(rows)
        col1 = col0 + max((len(r.get("values", [])) for r in rows), default=0)
    else:
        sheet = sheet_of(book, payload["range"].get("sheetId"))
        row0, row1, col0, col1 = grid_bounds(sheet, payload["range"])
    for r in range(row0, row1):
        line = rows[r - row0].get("values", []) if r - row0 < len(rows) else []
        for c in range(col0, col1):
            data = line[c - col0] if c - col0 < len(line) else {}
            write_cell(book, sheet, r, c, data, paths)
    return None


def repeat_cell(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = sheet_of(book, payload["range"].get("sheetId"))
    row0, row1, col0, col1 = grid_bounds(sheet, payload["range"])
    paths = mask_paths(str(payload.get("fields", "")))
    data = payload.get("cell", {})
    for r in range(row0, row1):
        for c in range(col0, col1):
            write_cell(book, sheet, r, c, data, paths)
    return None


def set_data_validation(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = sheet_of(book, payload["range"].get("sheetId"))
    row0, row1, col0, col1 = grid_bounds(sheet, payload["range"])
    data = {"dataValidation": payload["rule"]} if payload.get("rule") else {}
    for r in range(row0, row1):
        for c in range(col0, col1):
            write_cell(book, sheet, r, c, data, [["dataValidation"]])
    return None


_PASTE_FIELDS = {
    "PASTE_NORMAL": list(_CELL_FIELDS),
    "PASTE_VALUES": ["userEnteredValue"],
    "PASTE_FORMAT": ["userEnteredFormat"],
    "PASTE_FORMULA": ["userEnteredValue"],
    "PASTE_DATA_VALIDATION": ["dataValidation"],
}


def _cell_data(cell: Cell | None) -> dict[str, Any]:
    if cell is None:
        return {}
    data = {
        "userEnteredValue": cell.entered,
        "userEnteredFormat": cell.fmt,
        "note": cell.note,
        "dataValidation": cell.validation,
    }
    return {k: copy.deepcopy(v) for k, v in data.items() if v is not None}


def copy_paste(book: Spreadsheet, payload: dict[str, Any]) -> None:
    kind = payload.get("pasteType", "PASTE_NORMAL")
    if kind not in _PASTE_FIELDS or payload.get("pasteOrientation", "NORMAL") != "NORMAL":
        raise not_implemented(
            f"copyPaste with pasteType {kind} / {payload.get('pasteOrientation')}"
        )
    source = sheet_of(book, payload["source"].get("sheetId"))
    s_row0, s_row1, s_col0, s_col1 = grid_bounds(source, payload["source"])
    target = sheet_of(book, payload["destination"].get("sheetId"))
    d_row0, d_row1, d_col0, d_col1 = grid_bounds(target, payload["destination"])
    height, width = s_row1 - s_row0, s_col1 - s_col0
    d_row1 = max(d_row1, d_row0 + height)
    d_col1 = max(d_col1, d_col0 + width)
    block = {
        (r - s_row0, c - s_col0): _cell_data(source.cell(r, c))
        for r in range(s_row0, s_row1)
        for c in range(s_col0, s_col1)
    }
    paths = [[name] for name in _PASTE_FIELDS[kind]]
    for r in range(d_row0, d_row1):
        for c in range(d_col0, d_col1):
            data = block[((r - d_row0) % height, (c - d_col0) % width)]
            write_cell(book, target, r, c, data, paths)
    return None


def cut_paste(book: Spreadsheet, payload: dict[str, Any]) -> None:
    source = sheet_of(book, payload["source"].get("sheetId"))
    s_row0, s_row1, s_col0, s_col1 = grid_bounds(source, payload["source"])
    destination = payload["destination"]
    target = sheet_of(book, destination.get("sheetId"))
    row0, col0 = int(destination.get("rowIndex", 0)), int(destination.get("columnIndex", 0))
    if payload.get("pasteType", "PASTE_NORMAL") != "PASTE_NORMAL":
        raise not_implemented("cutPaste other than PASTE_NORMAL")
    block = {
        (r, c): _cell_data(source.cell(r, c))
        for r in range(s_row0, s_row1)
        for c in range(s_col0, s_col1)
    }
    everything = [["*"]]
    for r, c in block:
        write_cell(book, source, r, c, {}, everything)
    for (r, c), data in block.items():
        write_cell(book, target, row0 + r - s_row0, col0 + c - s_col0, data, everything)
    return None


# -- merges, names, sort, charts, filters ----------------------------------------------------


def merge_cells(book: Spreadsheet, payload: dict[str, Any]) -> None:
    grid = payload["range"]
    sheet = sheet_of(book, grid.get("sheetId"))
    row0, row1, col0, col1 = grid_bounds(sheet, grid)
    kind = payload.get("mergeType", "MERGE_ALL")
    if kind == "MERGE_ALL":
        blocks = [(row0, row1, col0, col1)]
    elif kind == "MERGE_ROWS":
        blocks = [(r, r + 1, col0, col1) for r in range(row0, row1)]
    else:
        blocks = [(row0, row1, c, c + 1) for c in range(col0, col1)]
    for b_row0, b_row1, b_col0, b_col1 in blocks:
        for r in range(b_row0, b_row1):
            for c in range(b_col0, b_col1):
                if (r, c) != (b_row0, b_col0) and sheet.cell(r, c) is not None:
                    book.set_value(sheet, r, c, None)
        sheet.merges = [m for m in sheet.merges if not _overlaps(m, b_row0, b_row1, b_col0, b_col1)]
        sheet.merges.append(
            proto_range(
                {
                    "sheetId": sheet.sheet_id,
                    "startRowIndex": b_row0,
                    "endRowIndex": b_row1,
                    "startColumnIndex": b_col0,
                    "endColumnIndex": b_col1,
                }
            )
        )
    return None


def _overlaps(merge: dict[str, Any], row0: int, row1: int, col0: int, col1: int) -> bool:
    return (
        merge.get("startRowIndex", 0) < row1
        and row0 < merge["endRowIndex"]
        and merge.get("startColumnIndex", 0) < col1
        and col0 < merge["endColumnIndex"]
    )


def unmerge_cells(book: Spreadsheet, payload: dict[str, Any]) -> None:
    grid = payload["range"]
    sheet = sheet_of(book, grid.get("sheetId"))
    row0, row1, col0, col1 = grid_bounds(sheet, grid)
    sheet.merges = [m for m in sheet.merges if not _overlaps(m, row0, row1, col0, col1)]
    return None


def add_named_range(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    named = copy.deepcopy(payload["namedRange"])
    if any(n["name"] == named["name"] for n in book.named_ranges):
        raise bad_request(f"Named range with name {named['name']!r} already exists.")
    named["namedRangeId"] = str(named.get("namedRangeId") or new_id(book))
    named["range"] = proto_range(named.get("range", {}))
    ordered = {
        "namedRangeId": named["namedRangeId"],
        "name": named["name"],
        "range": named["range"],
    }
    book.named_ranges.append(ordered)
    return {"namedRange": copy.deepcopy(ordered)}


def delete_named_range(book: Spreadsheet, payload: dict[str, Any]) -> None:
    before = len(book.named_ranges)
    book.named_ranges = [
        n for n in book.named_ranges if n["namedRangeId"] != str(payload.get("namedRangeId"))
    ]
    if len(book.named_ranges) == before:
        raise bad_request(f"No named range with id {payload.get('namedRangeId')}.")
    return None


def update_named_range(book: Spreadsheet, payload: dict[str, Any]) -> None:
    update = payload["namedRange"]
    target = next(
        (n for n in book.named_ranges if n["namedRangeId"] == str(update.get("namedRangeId"))), None
    )
    if target is None:
        raise bad_request(f"No named range with id {update.get('namedRangeId')}.")
    for path in mask_paths(str(payload.get("fields", ""))):
        if path == ["*"]:
            path = ["name"]
            set_path(target, ["range"], update)
        set_path(target, path, update)
    target["range"] = proto_range(target.get("range", {}))
    return None


def sort_range(book: Spreadsheet, payload: dict[str, Any]) -> None:
    grid = payload["range"]
    sheet = sheet_of(book, grid.get("sheetId"))
    row0, row1, col0, col1 = grid_bounds(sheet, grid)
    rows = [[sheet.cell(r, c) for c in range(col0, col1)] for r in range(row0, row1)]
    for spec in reversed(payload.get("sortSpecs", [])):
        index = int(spec.get("dimensionIndex", 0)) - col0
        descending = spec.get("sortOrder", "ASCENDING") == "DESCENDING"
        filled = [row for row in rows if _sort_key(row[index]) is not None]
        blank = [row for row in rows if _sort_key(row[index]) is None]
        filled.sort(key=lambda row: _sort_key(row[index]), reverse=descending)  # type: ignore[arg-type,return-value]
        rows = filled + blank
    for r, line in enumerate(rows):
        for c, cell in enumerate(line):
            book.put(sheet, row0 + r, col0 + c, cell or Cell(), "value,userEnteredFormat")
    return None


def _sort_key(cell: Cell | None) -> tuple[int, Any] | None:
    value = effective(cell)
    if value is None:
        return None
    if "numberValue" in value:
        return (0, float(value["numberValue"]))
    if "stringValue" in value:
        return (1, str(value["stringValue"]).casefold())
    if "boolValue" in value:
        return (2, bool(value["boolValue"]))
    return (3, "")


def add_chart(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    chart = copy.deepcopy(payload["chart"])
    position = chart.get("position", {})
    anchor = position.get("overlayPosition", {}).get("anchorCell")
    if anchor is None:
        raise not_implemented("addChart outside an overlay position")
    sheet = sheet_of(book, anchor.get("sheetId"))
    chart["chartId"] = int(chart.get("chartId") or new_id(book))
    for other in book.sheets:
        if any(c["chartId"] == chart["chartId"] for c in other.charts):
            raise bad_request(f"Chart with id {chart['chartId']} already exists.")
    stored = {"chartId": chart["chartId"], "spec": chart.get("spec", {}), "position": position}
    sheet.charts.append(stored)
    return {"chart": copy.deepcopy(stored)}


def delete_embedded_object(book: Spreadsheet, payload: dict[str, Any]) -> None:
    object_id = int(payload.get("objectId", -1))
    for sheet in book.sheets:
        before = len(sheet.charts)
        sheet.charts = [c for c in sheet.charts if c["chartId"] != object_id]
        if len(sheet.charts) != before:
            return None
    raise bad_request(f"No embedded object with id {object_id}.")
