"""Our own sheets (WriteSheet), written whole: a bold grey header frozen at the top, an
autoFilter over the data, column widths, coloured rows, typed values and the chart drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from toolkit.backends.ooxml.package import Chunked
from toolkit.backends.ooxml.sheet_edit import column_width
from toolkit.backends.ooxml.styles import MAIN_NS, StyleBook, XfRecipe
from toolkit.backends.ooxml.values import CellValueError, Encoded, cell_bytes, cell_ref, encode
from toolkit.errors import UnsafeWriteError
from toolkit.plan import WriteSheet
from toolkit.table import CellValue, column_letter

_REL_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WIDTH_SAMPLE = 1000  # rows looked at for a column's width


@dataclass(frozen=True)
class OwnSheetLayout:
    """The shape of a written sheet: used for its filter range and its charts."""

    width: int  # columns
    last_row: int

    @property
    def filter_range(self) -> str | None:
        if self.width == 0:
            return None
        return f"$A$1:${column_letter(self.width)}${self.last_row}"


def own_sheet_layout(change: WriteSheet) -> OwnSheetLayout:
    width = max([len(change.header), *(len(row) for row in change.rows)])
    return OwnSheetLayout(width, 1 + len(change.rows))


def write_own_sheet(
    out: IO[bytes],
    change: WriteSheet,
    title: str,
    styles: StyleBook,
    *,
    date1904: bool,
    drawing_rid: str | None,
) -> int:
    """Write the worksheet part of one of our sheets; returns the cells written."""
    layout = own_sheet_layout(change)
    writer = Chunked(out)
    writer.write(_head(change, layout))
    count = 0
    if change.header:
        header_style = styles.derive(XfRecipe(0, fill="header", bold=True))
        cells = [
            cell_bytes(cell_ref(1, i), header_style, _encode(v, title, 1, i, date1904))
            for i, v in enumerate(change.header, start=1)
        ]
        count += len(cells)
        writer.write(b'<row r="1">' + b"".join(cells) + b"</row>")
    row_fills = dict(change.row_styles)
    for index, values in enumerate(change.rows):
        number = index + 2
        cells, written = _data_cells(
            values, number, layout.width, row_fills.get(index), styles, title, date1904
        )
        count += written
        writer.write(b'<row r="%d">' % number + b"".join(cells) + b"</row>")
    writer.write(_tail(layout, drawing_rid))
    writer.flush()
    return count


def _data_cells(
    values: tuple[CellValue, ...],
    number: int,
    width: int,
    fill: str | None,
    styles: StyleBook,
    title: str,
    date1904: bool,
) -> tuple[list[bytes], int]:
    """The cells of one data row (a coloured row gets a styled cell in every column)."""
    cells, written = [], 0
    for column in range(1, width + 1):
        value = values[column - 1] if column <= len(values) else None
        encoded = _encode(value, title, number, column, date1904)
        style = styles.with_numfmt(0, encoded.numfmt) if encoded and encoded.numfmt else 0
        style = styles.with_fill(style, fill) if fill else style
        if encoded is not None or style:
            cells.append(cell_bytes(cell_ref(number, column), style, encoded))
            written += encoded is not None
    return cells, written


def _head(change: WriteSheet, layout: OwnSheetLayout) -> bytes:
    last = cell_ref(max(layout.last_row, 1), max(layout.width, 1))
    pane = (
        b'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        b'<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        if change.header
        else b""
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<worksheet xmlns="%s" xmlns:r="%s">'
        % (MAIN_NS.encode(), _REL_NS)
        + b'<dimension ref="A1:%s"/>' % last.encode()
        + b'<sheetViews><sheetView workbookViewId="0">%s</sheetView></sheetViews>' % pane
        + b'<sheetFormatPr defaultRowHeight="15"/>'
        + _cols(change, layout)
        + b"<sheetData>"
    )


def _cols(change: WriteSheet, layout: OwnSheetLayout) -> bytes:
    if layout.width == 0:
        return b""
    cols = []
    for column in range(1, layout.width + 1):
        if column <= len(change.column_widths):
            width = float(change.column_widths[column - 1])
        else:
            sample: list[CellValue] = (
                [change.header[column - 1]] if column <= len(change.header) else []
            )
            sample += [r[column - 1] for r in change.rows[:_WIDTH_SAMPLE] if column <= len(r)]
            width = column_width(sample)
        cols.append(
            b'<col min="%d" max="%d" width="%s" customWidth="1"/>'
            % (column, column, f"{width:g}".encode())
        )
    return b"<cols>" + b"".join(cols) + b"</cols>"


def _tail(layout: OwnSheetLayout, drawing_rid: str | None) -> bytes:
    tail = b"</sheetData>"
    if layout.filter_range is not None:
        tail += b'<autoFilter ref="%s"/>' % layout.filter_range.replace("$", "").encode()
    tail += (
        b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    )
    if drawing_rid:
        tail += b'<drawing r:id="%s"/>' % drawing_rid.encode()
    return tail + b"</worksheet>"


def _encode(value: CellValue, title: str, row: int, column: int, date1904: bool) -> Encoded | None:
    try:
        return encode(value, date1904=date1904)
    except CellValueError as error:
        raise UnsafeWriteError(
            f"Cell {title}!{cell_ref(row, column)} of our sheet: {error}. Nothing was written."
        ) from error
