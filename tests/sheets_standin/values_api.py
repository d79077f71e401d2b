"""spreadsheets.values.*: get and batchGet, update and batchUpdate, clear, append."""

from __future__ import annotations

from typing import Any

from tests.sheets_standin.a1 import Bounds, format_range
from tests.sheets_standin.errors import bad_request, invalid_field, not_implemented
from tests.sheets_standin.model import Cell, Sheet, Spreadsheet
from tests.sheets_standin.sheets_api import Query, clipped, first, resolve
from tests.sheets_standin.values import SKIP, entered_value, render

# -- values.get / batchGet ------------------------------------------------------------------


def values_get(book: Spreadsheet, text: str, query: Query) -> dict[str, Any]:
    sheet, bounds = resolve(book, text)
    row0, row1, col0, col1 = clipped(sheet, bounds)
    major = first(query, "majorDimension", "ROWS") or "ROWS"
    value_option = first(query, "valueRenderOption", "FORMATTED_VALUE")
    date_option = first(query, "dateTimeRenderOption", "SERIAL_NUMBER")
    grid = [
        [render(sheet.cell(r, c), value_option, date_option) for c in range(col0, col1)]
        for r in range(row0, row1)
    ]
    if major == "COLUMNS":
        grid = [list(column) for column in zip(*grid, strict=True)] if grid else []
    out: dict[str, Any] = {
        "range": format_range(sheet.title, row0, max(row1, row0 + 1), col0, max(col1, col0 + 1)),
        "majorDimension": major,
    }
    values = _trim(grid)
    if values:
        out["values"] = values
    return out


def _trim(grid: list[list[Any]]) -> list[list[Any]]:
    rows = []
    for line in grid:
        end = len(line)
        while end and line[end - 1] == "":
            end -= 1
        rows.append(line[:end])
    while rows and not rows[-1]:
        rows.pop()
    return rows


def values_batch_get(book: Spreadsheet, query: Query) -> dict[str, Any]:
    ranges = query.get("ranges", [])
    return {
        "spreadsheetId": book.id,
        "valueRanges": [values_get(book, text, query) for text in ranges],
    }


# -- values.update / batchUpdate / clear / append -------------------------------------------


def _refuse_echo(flag: object) -> None:
    """Echoing written values back is not implemented: 501, not a reply without them."""
    if str(flag).lower() == "true":
        raise not_implemented("includeValuesInResponse=true")


def _input_option(option: str) -> str:
    if option not in ("RAW", "USER_ENTERED"):
        if not option:
            raise bad_request("'valueInputOption' is required but not specified")
        raise invalid_field("value_input_option", option, "google.apps.sheets.v4.ValueInputOption")
    return option


def _matrix(body: dict[str, Any], field: str = "data.values") -> list[list[Any]]:
    values = body.get("values", [])
    if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
        raise invalid_field(field, values)
    if (body.get("majorDimension") or "ROWS") == "COLUMNS":
        width = max((len(c) for c in values), default=0)
        return [[c[i] if i < len(c) else None for c in values] for i in range(width)]
    return values


def write_values(
    book: Spreadsheet, sheet: Sheet, row0: int, col0: int, rows: list[list[Any]], option: str
) -> dict[str, Any]:
    """Write a block of JSON values at (row0, col0); the API's UpdateValuesResponse."""
    parsed = [[entered_value(v, option) for v in line] for line in rows]  # 501s before writing
    height, width = len(rows), max((len(line) for line in rows), default=0)
    if row0 + height > sheet.rows or col0 + width > sheet.columns:
        end = format_range(sheet.title, row0, row0 + max(height, 1), col0, col0 + max(width, 1))
        raise bad_request(
            f"Range ({end.split('!')[0]}!{end.split('!')[1].split(':')[-1]}) exceeds grid "
            f"limits. Max rows: {sheet.rows}, max columns: {sheet.columns}"
        )
    touched_rows, touched_columns, cells = set(), set(), 0
    for r, line in enumerate(parsed):
        for c, item in enumerate(line):
            if item is SKIP:
                continue
            touched_rows.add(r)
            touched_columns.add(c)
            cells += 1
            _store(book, sheet, row0 + r, col0 + c, item)
    response: dict[str, Any] = {"spreadsheetId": book.id}
    if height and width:
        response["updatedRange"] = format_range(
            sheet.title, row0, row0 + height, col0, col0 + width
        )
    if cells:
        response.update(
            updatedRows=len(touched_rows), updatedColumns=len(touched_columns), updatedCells=cells
        )
    return response


def _store(book: Spreadsheet, sheet: Sheet, row: int, column: int, item: Any) -> None:
    entered, auto_format = (None, None) if item is None else item
    cell = sheet.cell(row, column) or Cell()
    fmt = cell.fmt
    if auto_format is not None and not (fmt or {}).get("numberFormat"):
        fmt = {**(fmt or {}), "numberFormat": auto_format}
    book.put(sheet, row, column, Cell(entered, fmt, cell.note, cell.validation), "value")


def values_update(
    book: Spreadsheet, text: str, query: Query, body: dict[str, Any]
) -> dict[str, Any]:
    option = _input_option(first(query, "valueInputOption"))
    _refuse_echo(first(query, "includeValuesInResponse"))
    rows = _matrix(body)
    sheet, bounds = resolve(book, text)
    row0, _, col0, _ = bounds.clip(sheet.rows, sheet.columns)
    _check_inside(sheet, bounds, rows, text)
    return write_values(book, sheet, row0, col0, rows, option)


def _check_inside(sheet: Sheet, bounds: Bounds, rows: list[list[Any]], text: str) -> None:
    """A multi-cell range bounds the write; a single cell is only where it starts."""
    height, width = len(rows), max((len(line) for line in rows), default=0)
    row0, row1, col0, col1 = bounds.clip(sheet.rows, sheet.columns)
    if (row1 - row0, col1 - col0) == (1, 1) and None not in (bounds.row1, bounds.col1):
        return
    if bounds.row1 is not None and row0 + height > row1:
        raise bad_request(
            f"Requested writing within range [{text}], but tried writing to row [{row0 + height}]"
        )
    if bounds.col1 is not None and col0 + width > col1:
        last = format_range(sheet.title, 0, 1, col0 + width - 1, col0 + width).split("!")[1]
        raise bad_request(
            f"Requested writing within range [{text}], but tried writing to column [{last[:-1]}]"
        )


def values_batch_update(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    option = _input_option(str(body.get("valueInputOption", "")))
    _refuse_echo(body.get("includeValuesInResponse"))
    responses = []
    before = len(book.write_log)
    for item in body.get("data", []):
        rows = _matrix(item)
        sheet, bounds = resolve(book, str(item.get("range", "")))
        _check_inside(sheet, bounds, rows, str(item.get("range", "")))
        row0, _, col0, _ = bounds.clip(sheet.rows, sheet.columns)
        responses.append(write_values(book, sheet, row0, col0, rows, option))
    out: dict[str, Any] = {"spreadsheetId": book.id}
    # Rows and columns count once however many ranges touched them (the API's definition).
    written = [w for w in book.write_log[before:]]
    totals = {
        "totalUpdatedRows": len({(w.sheet_id, w.row) for w in written}),
        "totalUpdatedColumns": len({(w.sheet_id, w.column) for w in written}),
        "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
        "totalUpdatedSheets": len({w.sheet_id for w in written}),
    }
    out.update({k: v for k, v in totals.items() if v})
    out["responses"] = responses
    return out


def values_clear(book: Spreadsheet, text: str) -> dict[str, Any]:
    sheet, bounds = resolve(book, text)
    row0, row1, col0, col1 = clipped(sheet, bounds)
    for (row, column), cell in list(sheet.cells.items()):
        if row0 <= row < row1 and col0 <= column < col1 and cell.entered is not None:
            book.set_value(sheet, row, column, None)
    return {
        "spreadsheetId": book.id,
        "clearedRange": format_range(sheet.title, row0, row1, col0, col1),
    }


def values_batch_clear(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    cleared = [values_clear(book, str(text))["clearedRange"] for text in body.get("ranges", [])]
    return {"spreadsheetId": book.id, "clearedRanges": cleared}


def values_append(
    book: Spreadsheet, text: str, query: Query, body: dict[str, Any]
) -> dict[str, Any]:
    """Append after the 'table' found at the range, growing the grid when needed."""
    option = _input_option(first(query, "valueInputOption"))
    _refuse_echo(first(query, "includeValuesInResponse"))
    if first(query, "insertDataOption", "OVERWRITE") not in ("OVERWRITE",):
        raise not_implemented("values.append with insertDataOption=INSERT_ROWS")
    rows = _matrix(body)
    sheet, bounds = resolve(book, text)
    table = _find_table(sheet, bounds)
    out: dict[str, Any] = {"spreadsheetId": book.id}
    if table is None:
        row0, col0 = (bounds.row0 or 0), (bounds.col0 or 0)
    else:
        t_row0, t_row1, t_col0, t_col1 = table
        out["tableRange"] = format_range(sheet.title, t_row0, t_row1, t_col0, t_col1)
        row0, col0 = t_row1, t_col0
    needed_rows = row0 + len(rows)
    needed_columns = col0 + max((len(line) for line in rows), default=0)
    sheet.grid["rowCount"] = max(sheet.rows, needed_rows)
    sheet.grid["columnCount"] = max(sheet.columns, needed_columns)
    out["updates"] = write_values(book, sheet, row0, col0, rows, option)
    return out


def _find_table(sheet: Sheet, bounds: Bounds) -> tuple[int, int, int, int] | None:
    """The block of data values.append extends: from the range's start, or the last row."""

    def filled(row: int, column: int) -> bool:
        cell = sheet.cell(row, column)
        return cell is not None and cell.entered is not None

    if bounds.row0 is None and bounds.col0 is None:
        used = [key for key, cell in sheet.cells.items() if cell.entered is not None]
        if not used:
            return None
        last_row = max(r for r, _ in used)
        anchor = (last_row, max(c for r, c in used if r == last_row))
        start = anchor[1]
        while start > 0 and filled(last_row, start - 1):
            start -= 1
        row, column = last_row, start
    else:
        row, column = bounds.row0 or 0, bounds.col0 or 0
        if not filled(row, column):
            return None
    end = column
    while filled(row, end + 1):
        end += 1
    top, bottom = row, row
    while top > 0 and any(filled(top - 1, c) for c in range(column, end + 1)):
        top -= 1
    while any(filled(bottom + 1, c) for c in range(column, end + 1)):
        bottom += 1
    return top, bottom + 1, column, end + 1
