"""What the batchUpdate request handlers share: ranges, ids, field paths, colours."""

from __future__ import annotations

import copy
import random
from typing import Any

from tests.sheets_standin.errors import bad_request
from tests.sheets_standin.model import CELL_LIMIT, Sheet, Spreadsheet
from tests.sheets_standin.values import quantize_colors


def sheet_of(book: Spreadsheet, sheet_id: Any) -> Sheet:
    sheet = book.sheet_by_id(int(sheet_id or 0))
    if sheet is None:
        raise bad_request(f"No grid with id: {int(sheet_id or 0)}")
    return sheet


def grid_bounds(sheet: Sheet, grid: dict[str, Any]) -> tuple[int, int, int, int]:
    return (
        int(grid.get("startRowIndex", 0)),
        int(grid.get("endRowIndex", sheet.rows)),
        int(grid.get("startColumnIndex", 0)),
        int(grid.get("endColumnIndex", sheet.columns)),
    )


def proto_range(grid: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as the API echoes it: a zero sheetId is left out."""
    out = {k: v for k, v in grid.items() if v is not None}
    if not out.get("sheetId"):
        out.pop("sheetId", None)
    return out


def new_id(book: Spreadsheet) -> int:
    while True:
        candidate = random.randint(1, 2**31 - 1)
        if candidate not in book.used_ids and book.sheet_by_id(candidate) is None:
            book.used_ids.add(candidate)
            return candidate


def set_path(target: dict[str, Any], path: list[str], source: dict[str, Any]) -> None:
    """Copy source[path] into target[path], or delete it there when the source lacks it."""
    node: Any = source
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    holder = target
    for key in path[:-1]:
        holder = holder.setdefault(key, {})
    if node is None:
        holder.pop(path[-1], None)
    else:
        holder[path[-1]] = copy.deepcopy(node)


def normalize_format(
    fmt: dict[str, Any] | None, touched: set[str] | None = None
) -> dict[str, Any] | None:
    """Colours quantized; backgroundColor and its Style twin kept in step, as the API does.

    When a write named only one of the twins, the other follows it; otherwise the Style wins
    (the API documents it as taking precedence).
    """
    if not fmt:
        return None
    fmt = quantize_colors(fmt)
    touched = touched or set()
    _twin(fmt, "backgroundColor", "backgroundColorStyle", touched)
    text = fmt.get("textFormat")
    if isinstance(text, dict):
        _twin(text, "foregroundColor", "foregroundColorStyle", touched)
    return {k: v for k, v in fmt.items() if v not in (None, {})} or None


def _twin(node: dict[str, Any], plain: str, style: str, touched: set[str]) -> None:
    named_plain = any(t.endswith(plain) for t in touched)
    named_style = any(t.endswith(style) or not t.endswith(("Color", "ColorStyle")) for t in touched)
    plain_wins = named_plain and not named_style
    if plain_wins or not isinstance(node.get(style), dict) or not node.get(style):
        if node.get(plain) is not None:
            node[style] = {"rgbColor": copy.deepcopy(node[plain])}
        else:
            node.pop(plain, None)
            if plain_wins or not node.get(style):
                node.pop(style, None)
        return
    if "rgbColor" in node[style]:
        node[plain] = copy.deepcopy(node[style]["rgbColor"])
    else:
        node.pop(plain, None)  # a theme colour has no plain twin


def check_cells(book: Spreadsheet, extra: int) -> None:
    total = book.cell_count() + extra
    if total > CELL_LIMIT:
        raise bad_request(
            f"This action would increase the number of cells in the workbook above the limit "
            f"of {CELL_LIMIT} cells."
        )
