"""Our own sheets (WriteSheet), written whole: a bold grey header frozen at the top, an
autoFilter over the data, column widths, coloured rows, typed values and the chart drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from toolkit.backends.ooxml.package import Chunked
from toolkit.backends.ooxml.pipe import ByteSink
from toolkit.backends.ooxml.row_append import REUSED_LIMIT, REUSED_TYPES
from toolkit.backends.ooxml.sheet_edit import column_width
from toolkit.backends.ooxml.styles import MAIN_NS, StyleBook, XfRecipe
from toolkit.backends.ooxml.values import (
    ROW_NUMBER,
    CellValueError,
    Encoded,
    cell_bytes,
    cell_ref,
    cell_tail,
    encode,
    text_tails,
)
from toolkit.errors import UnsafeWriteError
from toolkit.plan import WriteSheet
from toolkit.table import CellValue, column_letter

_REL_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WIDTH_SAMPLE = 1000  # rows looked at for a column's width
# Templates are kept for these types only; rows holding a bool or a float go cell by cell.
_TEMPLATE_TYPES = frozenset((str, int, date, type(None)))
_AMBIGUOUS = frozenset((bool, float))
_ROW_ENDS = (b'<row r="' + ROW_NUMBER + b'">', b"</row>")


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
    out: ByteSink,
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
    data_rows = _OwnCells(layout.width, styles, title, date1904)
    for index, values in enumerate(change.rows):
        row, written = data_rows.row(values, index + 2, row_fills.get(index))
        count += written
        writer.write(row)
    writer.write(_tail(layout, drawing_rid))
    writer.flush()
    return count


class _OwnCells:
    """The data rows of one of our sheets, each made with one join.

    A cell's bytes after `r="A2"` depend only on its value and its row's fill, so they are
    made once per distinct value (in the order the cells come, so derived styles are appended
    in the same order as cell by cell). Each column also keeps them as a template (with
    `ROW_NUMBER` for the row number), so a row whose cells were all made before is one `map`
    over its values, one join and one replace, with no Python work per cell.
    """

    def __init__(self, width: int, styles: StyleBook, title: str, date1904: bool) -> None:
        self.width, self.styles, self.title, self.date1904 = width, styles, title, date1904
        self.heads = [b'<c r="' + column_letter(c).encode() for c in range(1, width + 1)]
        self.reused: dict[str | None, dict[type, dict[CellValue, bytes]]] = {}
        self.templates: dict[str | None, list[dict[CellValue, bytes]]] = {}  # fill -> column
        self.cell_styles: dict[tuple[int | None, str | None], int] = {}  # (numfmt, fill)

    def row(
        self, values: tuple[CellValue, ...], number: int, fill: str | None
    ) -> tuple[bytes, int]:
        """The `<row>` of data row `number`, and how many cells got a value."""
        if len(values) < self.width:
            values = (*values, *(None,) * (self.width - len(values)))
        templates = self.templates.get(fill)
        if templates is None:
            templates = self.templates[fill] = [{} for _ in range(self.width)]
        # A bool or float could find the template of an equal int (1 == 1.0 == True).
        if not _AMBIGUOUS.intersection(map(type, values)):
            made = list(map(dict.get, templates, values))
            if None not in made or self._texts(made, values, fill):
                cells = cast("list[bytes]", made)  # no None left
                row = b"".join(cells).join(_ROW_ENDS)
                return row.replace(ROW_NUMBER, b"%d" % number), len(values) - values.count(None)
        return self._row_cell_by_cell(values, number, fill, templates)

    def _texts(
        self, made: list[bytes | None], values: tuple[CellValue, ...], fill: str | None
    ) -> bool:
        """Fill in the templates of texts not seen yet, once the fill's text style is known
        (no style is derived here); False when another value is new (the row goes cell by
        cell, deciding in order)."""
        style = self.cell_styles.get((None, fill))
        if style is None:
            return False
        tails = text_tails(style)
        for at, template in enumerate(made):
            value = values[at]
            if template is not None:
                continue
            if type(value) is not str:
                return False
            try:
                tail = tails(value)
            except CellValueError:
                return False  # the cell-by-cell path raises it, saying which cell
            made[at] = self.heads[at] + ROW_NUMBER + b'"' + tail
        return True

    def _row_cell_by_cell(
        self,
        values: tuple[CellValue, ...],
        number: int,
        fill: str | None,
        templates: list[dict[CellValue, bytes]],
    ) -> tuple[bytes, int]:
        reused = self.reused.get(fill)
        if reused is None:
            reused = self.reused[fill] = {kind: {} for kind in REUSED_TYPES}
        end = b'%d"' % number
        parts = [b'<row r="%d">' % number]
        for column, (head, value) in enumerate(zip(self.heads, values, strict=False), start=1):
            known = reused.get(type(value))
            tail = known.get(value) if known is not None else None
            if tail is None:
                tail = self._tail(value, number, column, fill)
                if known is not None and len(known) < REUSED_LIMIT:
                    known[value] = tail
                kept = templates[column - 1]
                if type(value) in _TEMPLATE_TYPES and len(kept) < REUSED_LIMIT:
                    kept[value] = head + ROW_NUMBER + b'"' + tail if tail else b""
            if tail:
                parts += (head, end, tail)
        parts.append(b"</row>")
        return b"".join(parts), len(values) - values.count(None)

    def _tail(self, value: CellValue, number: int, column: int, fill: str | None) -> bytes:
        """The cell's bytes after its reference; b"" when the cell is left out."""
        if type(value) is str:  # most of our cells; the same bytes as below, made directly
            try:
                return text_tails(self._style(None, fill))(value)
            except CellValueError:
                pass  # `_encode` raises it again, saying which cell
        encoded = _encode(value, self.title, number, column, self.date1904)
        style = self._style(encoded.numfmt if encoded else None, fill)
        if encoded is None and not style:
            return b""
        return cell_tail(style, encoded)

    def _style(self, numfmt: int | None, fill: str | None) -> int:
        style = self.cell_styles.get((numfmt, fill))
        if style is None:
            style = self.styles.with_numfmt(0, numfmt) if numfmt else 0
            style = self.styles.with_fill(style, fill) if fill else style
            self.cell_styles[(numfmt, fill)] = style
        return style


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
