"""One of our own sheets (a WriteSheet) as Sheets API requests: the sheet, its looks, charts.

The sheet is added with an id we choose, so its formats and charts can name it in the same
batchUpdate that creates it. Header row bold on grey, frozen, with a filter over the table;
dates as serial numbers with a date format; row styles as backgrounds; widths in pixels;
charts anchored where the plan says (as the .xlsx backend writes them).
"""

from __future__ import annotations

import re
from typing import Any

from toolkit.backends.gsheets.batches import ValueBlock
from toolkit.backends.gsheets.convert import HEADER_FILL, HIGHLIGHT_FILLS, color_style, write_value
from toolkit.backends.gsheets.state import Block, runs
from toolkit.plan import ChartSpec, WriteSheet
from toolkit.table import column_letter

_ANCHOR = re.compile(r"^([A-Za-z]{1,3})(\d+)$")
_CHART_TYPES = {"bar": "BAR", "column": "COLUMN", "line": "LINE"}


def new_sheet_requests(
    change: WriteSheet, sheet_id: int, title: str, index: int
) -> tuple[list[dict[str, Any]], list[ValueBlock], int]:
    """(requests, value ranges, cells written); requests[0] adds the sheet.

    >>> change = WriteSheet("validation", "V", ("A",), ((1,),))
    >>> requests, values, cells = new_sheet_requests(change, 7, "V", 2)
    >>> requests[0]["addSheet"]["properties"]["gridProperties"], cells
    ({'rowCount': 2, 'columnCount': 1, 'frozenRowCount': 1}, 2)
    """
    width = max([len(change.header), *(len(r) for r in change.rows)], default=1) or 1
    height = len(change.rows) + 1
    grid = {"rowCount": height, "columnCount": width, "frozenRowCount": 1}
    add = {
        "addSheet": {
            "properties": {
                "sheetId": sheet_id,
                "title": title,
                "index": index,
                "gridProperties": grid,
            }
        }
    }
    table = Block(sheet_id, 0, height, 0, width)
    requests: list[dict[str, Any]] = [add, _header_look(sheet_id, width)]
    requests.append({"setBasicFilter": {"filter": {"range": table.grid()}}})
    rows, dated = _rows(change, title, width)
    for fmt, cells in dated.values():
        for column, row0, row1 in runs(cells):
            requests.append(_cell_format(Block(sheet_id, row0 - 1, row1, column - 1, column), fmt))
    for position, style in change.row_styles:
        block = Block(sheet_id, position + 1, position + 2, 0, width)
        look = {"backgroundColorStyle": color_style(HIGHLIGHT_FILLS[style])}
        requests.append(_repeat(block, look, "userEnteredFormat.backgroundColorStyle"))
    for c, chars in enumerate(change.column_widths):
        requests.append(_width(sheet_id, c, chars))
    requests.extend(chart_request(chart, sheet_id) for chart in change.charts)
    return requests, [ValueBlock(title, 0, 0, rows)], sum(len(r) for r in rows)


def _rows(
    change: WriteSheet, title: str, width: int
) -> tuple[list[list[Any]], dict[str, tuple[dict[str, str], list[tuple[int, int]]]]]:
    """The RAW rows (header first) and, by number format, the 1-based cells needing it."""
    rows: list[list[Any]] = [list(change.header) + [""] * (width - len(change.header))]
    dated: dict[str, tuple[dict[str, str], list[tuple[int, int]]]] = {}
    for r, row in enumerate(change.rows, start=2):
        line = []
        for c, value in enumerate(row, start=1):
            json, fmt = write_value(value, f"{title}!{column_letter(c)}{r}")
            line.append(json)
            if fmt is not None:
                dated.setdefault(fmt["type"], (fmt, []))[1].append((r, c))
        rows.append(line)
    return rows, dated


def _header_look(sheet_id: int, width: int) -> dict[str, Any]:
    look = {"textFormat": {"bold": True}, "backgroundColorStyle": color_style(HEADER_FILL)}
    fields = "userEnteredFormat(textFormat.bold,backgroundColorStyle)"
    return _repeat(Block(sheet_id, 0, 1, 0, width), look, fields)


def _cell_format(block: Block, fmt: dict[str, str]) -> dict[str, Any]:
    return _repeat(block, {"numberFormat": fmt}, "userEnteredFormat.numberFormat")


def _repeat(block: Block, look: dict[str, Any], fields: str) -> dict[str, Any]:
    return {
        "repeatCell": {"range": block.grid(), "cell": {"userEnteredFormat": look}, "fields": fields}
    }


def _width(sheet_id: int, column: int, chars: float) -> dict[str, Any]:
    """Excel widths are in characters; Sheets wants pixels (about 7 a character, plus 5)."""
    span = {
        "sheetId": sheet_id,
        "dimension": "COLUMNS",
        "startIndex": column,
        "endIndex": column + 1,
    }
    pixels = {"pixelSize": max(20, round(chars * 7 + 5))}
    return {
        "updateDimensionProperties": {"range": span, "properties": pixels, "fields": "pixelSize"}
    }


def chart_request(chart: ChartSpec, sheet_id: int) -> dict[str, Any]:
    """addChart for a ChartSpec over the sheet `sheet_id`, anchored at chart.anchor.

    >>> chart = ChartSpec("pie", "Tiers", "H2", 1, ())
    >>> chart_request(chart, 7)["addChart"]["chart"]["position"]["overlayPosition"]["anchorCell"]
    {'sheetId': 7, 'rowIndex': 1, 'columnIndex': 7}
    """
    match = _ANCHOR.match(chart.anchor)
    row, column = (int(match[2]) - 1, _column_index(match[1])) if match else (0, 0)
    series = chart.series[0] if chart.series else None
    domain = (
        _source(sheet_id, chart.categories_column, series.first_row, series.last_row)
        if series
        else {}
    )
    spec: dict[str, Any] = {"title": chart.title}
    if chart.chart == "pie":
        spec["pieChart"] = {
            "legendPosition": "RIGHT_LEGEND",
            "domain": domain,
            "series": _source(sheet_id, series.column, series.first_row, series.last_row)
            if series
            else {},
        }
    else:
        axis = "BOTTOM_AXIS" if chart.chart == "bar" else "LEFT_AXIS"
        spec["basicChart"] = {
            "chartType": _CHART_TYPES[chart.chart],
            "legendPosition": "BOTTOM_LEGEND" if len(chart.series) > 1 else "NO_LEGEND",
            "domains": [{"domain": domain}],
            "series": [
                {"series": _source(sheet_id, s.column, s.first_row, s.last_row), "targetAxis": axis}
                for s in chart.series
            ],
        }
    anchor = {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column}
    return {
        "addChart": {
            "chart": {"spec": spec, "position": {"overlayPosition": {"anchorCell": anchor}}}
        }
    }


def _source(sheet_id: int, column: int, first_row: int, last_row: int) -> dict[str, Any]:
    block = Block(sheet_id, first_row - 1, last_row, column - 1, column)
    return {"sourceRange": {"sources": [block.grid()]}}


def _column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1
