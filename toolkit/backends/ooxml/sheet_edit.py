"""Applying a sheet's edits to its worksheet part as a stream of rows.

Rows the plan names are parsed and edited (`RowEditor`); every other row is copied verbatim
unless a cheap byte test says it holds a cell of a column we clear or one of our highlight
formats being reset. Rows the plan needs that do not exist are created in row order. The
prefix gets a wider `<dimension>` and a `<col>` width for a column that has none; the suffix
is checked for merged ranges our values would hide under.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time

from lxml import etree

from toolkit.backends.ooxml.cell_plan import parse_range
from toolkit.backends.ooxml.edits import SheetEdits
from toolkit.backends.ooxml.opc import PARSER
from toolkit.backends.ooxml.package import Chunked
from toolkit.backends.ooxml.pipe import ByteSink
from toolkit.backends.ooxml.row_edit import RowEditor
from toolkit.backends.ooxml.sheet_stream import SheetLayout, read_layout
from toolkit.backends.ooxml.styles import MAIN_NS, StyleBook
from toolkit.backends.ooxml.values import cell_ref
from toolkit.errors import UnsafeWriteError
from toolkit.table import CellValue, column_letter

_M = f"{{{MAIN_NS}}}"
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
_DIMENSION = re.compile(rb"""(<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*["'])([^"']*)(["'])""")
# Rows per block of `_RowPass.block`: its tests are absences, so a rare hit (the word "array"
# in a customer's text) sends only the rows of one block through the row-by-row tests.
BLOCK_ROWS = 256
_MERGE = re.compile(rb"""<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class SheetResult:
    """What editing one sheet did."""

    cells_written: int
    formula_overwritten: bool
    rows_edited: int = 0  # rows not copied verbatim
    rows_fast: int = 0  # of those, rows the byte-level path edited


def edit_sheet(
    pieces: Iterator[tuple[str, bytes]],
    out: ByteSink,
    edits: SheetEdits,
    styles: StyleBook,
    *,
    date1904: bool,
    fast: bool = True,
    block_rows: int = BLOCK_ROWS,
) -> SheetResult:
    """Stream a worksheet part through the sheet's edits into `out` (`fast=False` turns the
    byte-level row path off, for tests that compare it with the lxml editor; `block_rows=0`
    the block tests of `_RowPass.block`)."""
    writer = Chunked(out)
    kind, prefix = next(pieces)
    if kind != "prefix":
        raise UnsafeWriteError(f"Sheet '{edits.sheet}' has no <sheetData>.")
    layout = read_layout(prefix)
    column_styles, prefix = _edit_prefix(prefix, layout, edits)
    writer.write(prefix)
    editor = RowEditor(layout, edits, styles, date1904, column_styles, fast)
    rows = _RowPass(editor, _RowTest(layout, edits, editor.watched_xfs), writer)
    block: list[bytes] = []
    for kind, data in pieces:
        if kind == "row":
            block.append(data)
            if len(block) >= block_rows:
                rows.block(block, tested=block_rows > 0)
                block = []
            continue
        rows.block(block)
        block = []
        if kind == "other":
            writer.write(data)
        else:
            rows.new_rows_before(None)
            _check_merges(edits, data)
            writer.write(data)
    rows.block(block)
    writer.flush()
    return SheetResult(
        editor.cells_written, editor.formula_overwritten, editor.rows_edited, editor.rows_fast
    )


class _RowPass:
    """Rows in order: named rows edited, missing ones created, the rest copied verbatim."""

    def __init__(self, editor: RowEditor, touches: _RowTest, writer: Chunked) -> None:
        self.editor, self.touches, self.writer = editor, touches, writer
        self.explicit = editor.edits.explicit_rows()
        self.pending = next(self.explicit, None)
        self.last = 0
        self.numbered = editor.layout.row_open + b' r="'

    def block(self, rows: list[bytes], *, tested: bool = True) -> None:
        """Consecutive rows: the byte tests that look for something absent run once on the
        whole block, and are skipped row by row when it passes (most blocks do)."""
        if not tested:
            for data in rows:
                self.row(data)
            return
        if not rows:
            return
        joined = b"".join(rows)
        plain = self.editor.plain_block(joined)
        formulas = b"array" in joined or b"dataTable" in joined
        for data in rows:
            self.row(data, plain_block=plain, formulas=formulas)

    def row(self, data: bytes, *, plain_block: bool = False, formulas: bool = True) -> None:
        """One row (`plain_block`, `formulas`: what its block's tests found)."""
        number = _row_number(data, self.last, self.editor.edits.sheet, self.numbered)
        self.new_rows_before(number)
        named = self.pending == number
        if named:
            self.pending = next(self.explicit, None)
        if formulas:
            self.editor.track_formulas(data)
        if named or self.touches(data, number):
            self.writer.write(self.editor.edit(data, number, plain_block=plain_block))
        else:
            self.writer.write(_with_row_number(data, number, self.editor.layout))
        self.last = number

    def new_rows_before(self, number: int | None) -> None:
        """Create the rows the plan names that the sheet lacks, up to `number` (or all)."""
        while self.pending is not None and (number is None or self.pending < number):
            self.writer.write(self.editor.edit(None, self.pending))
            self.pending = next(self.explicit, None)


class _RowTest:
    """Byte tests telling whether a row the plan does not name still needs editing."""

    def __init__(self, layout: SheetLayout, edits: SheetEdits, watched: set[int]) -> None:
        prefix = re.escape(layout.prefix)
        clear = edits.clear_columns()
        self.below = min(clear.values(), default=0)
        letters = b"|".join(column_letter(c).encode() for c in sorted(clear))
        self.clear = re.compile(rb"""\sr\s*=\s*["'](?:%s)\d""" % letters) if clear else None
        self.positional = re.compile(
            rb"""<%sc(?:\s+(?!r\s*=)[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""" % prefix
        )
        numbers = b"|".join(str(x).encode() for x in sorted(watched))
        self.watched = re.compile(rb"""\ss\s*=\s*["'](?:%s)["']""" % numbers) if watched else None

    def __call__(self, data: bytes, number: int) -> bool:
        if self.watched is not None and self.watched.search(data):
            return True
        if self.clear is None or number <= self.below:
            return False
        return bool(self.clear.search(data) or self.positional.search(data))


def _row_number(data: bytes, last: int, sheet: str, numbered: bytes = b'<row r="') -> int:
    """The row's r (the next number when it has none); `numbered` is how a row whose first
    attribute is r starts, read without a regex (nearly every row)."""
    start = len(numbered)
    digits = data[start : data.find(b'"', start)] if data.startswith(numbered) else b""
    if digits.isdigit():
        number = int(digits)
    else:
        match = _ROW_NUMBER.search(data, 0, data.find(b">") + 1)
        number = int(match.group(1)) if match else last + 1
    if number <= last:
        raise UnsafeWriteError(
            f"Sheet '{sheet}' lists row {number} after row {last}; the file is out of order. "
            "Open it in Excel, save it, and run again."
        )
    return number


def _with_row_number(data: bytes, number: int, layout: SheetLayout) -> bytes:
    """A verbatim row, given an explicit r when it had none (rows we insert would shift it)."""
    if _ROW_NUMBER.search(data, 0, data.find(b">") + 1):
        return data
    cut = len(layout.row_open)
    return data[:cut] + b' r="%d"' % number + data[cut:]


def _edit_prefix(
    prefix: bytes, layout: SheetLayout, edits: SheetEdits
) -> tuple[dict[int, int], bytes]:
    """Column default styles of our columns, and the prefix with dimension and widths."""
    bounds = edits.bounds()
    if bounds is not None:
        prefix = _DIMENSION.sub(lambda m: _wider(m, bounds), prefix, count=1)
    cols_open, cols_close = b"<%scols" % layout.prefix, b"</%scols>" % layout.prefix
    start = prefix.find(cols_open)
    wrapper_open = _wrapper_open(layout)
    if start >= 0:
        tag_end = prefix.index(b">", start) + 1
        self_closing = prefix[tag_end - 2 : tag_end] == b"/>"
        end = tag_end if self_closing else prefix.index(cols_close, start) + len(cols_close)
        cols = etree.fromstring(wrapper_open + prefix[start:end] + b"</custkit-cols>", PARSER)[0]
    else:
        end = start = prefix.rindex(b"<%ssheetData" % layout.prefix)
        cols = etree.fromstring(wrapper_open + b"<%scols/></custkit-cols>" % layout.prefix, PARSER)[
            0
        ]
    styles = _column_styles(cols, [c.column for c in edits.columns])
    added = _add_widths(cols, edits)
    if not added:
        return styles, prefix
    text = etree.tostring(cols.getparent(), encoding="UTF-8")
    inner = text[text.index(b">") + 1 : text.rindex(b"</")]
    return styles, prefix[:start] + inner + prefix[end:]


def _wrapper_open(layout: SheetLayout) -> bytes:
    declarations = "".join(
        f' xmlns:{name}="{uri}"' if name else f' xmlns="{uri}"' for name, uri in layout.namespaces
    )
    return f"<custkit-cols{declarations}>".encode()


def _wider(match: re.Match[bytes], bounds: tuple[int, int, int, int]) -> bytes:
    current = parse_range(match.group(2).decode("ascii", "replace"))
    low_row, low_col, high_row, high_col = bounds
    if current is not None:
        low_row, low_col = min(low_row, current[0]), min(low_col, current[1])
        high_row, high_col = max(high_row, current[2]), max(high_col, current[3])
    ref = cell_ref(low_row, low_col)
    if (low_row, low_col) != (high_row, high_col):
        ref += ":" + cell_ref(high_row, high_col)
    return match.group(1) + ref.encode() + match.group(3)


def _column_styles(cols: etree._Element, columns: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for col in cols.iter(f"{_M}col"):
        low, high = int(col.get("min", "0")), int(col.get("max", "0"))
        style = col.get("style")
        for column in columns:
            if low <= column <= high and style and style.isdigit():
                found[column] = int(style)
    return found


def _add_widths(cols: etree._Element, edits: SheetEdits) -> bool:
    """A `<col>` width for each of our columns no `<col>` range covers; ranges stay disjoint."""
    ranges = [(int(c.get("min", "0")), int(c.get("max", "0")), c) for c in cols.iter(f"{_M}col")]
    added = False
    for column in edits.columns:
        if any(low <= column.column <= high for low, high, _ in ranges):
            continue
        element = etree.Element(f"{_M}col")
        for name, text in (("min", column.column), ("max", column.column)):
            element.set(name, str(text))
        element.set("width", f"{column_width((column.header, *column.values[:200])):g}")
        element.set("customWidth", "1")
        after = [c for low, _, c in ranges if low < column.column]
        if after:
            after[-1].addnext(element)
        else:
            cols.insert(0, element)
        ranges.append((column.column, column.column, element))
        ranges.sort(key=lambda item: item[0])
        added = True
    return added


def column_width(values: tuple[CellValue, ...] | list[CellValue]) -> float:
    """A width (in characters) fitting the longest value; CJK characters count double.

    >>> column_width(("Issues", "phone_invalid")), column_width(("数据问题",))
    (15.0, 10.0)
    """
    longest = max((display_width(v) for v in values if v is not None), default=0)
    return float(min(max(longest + 2, 8), 60))


def display_width(value: CellValue) -> int:
    """Characters a value takes on screen, CJK counting double.

    >>> display_width("数据 ok")
    7
    """
    text = value.isoformat() if isinstance(value, date | time) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _check_merges(edits: SheetEdits, suffix: bytes) -> None:
    """Refuse values that would land inside a merged range, hidden (or, in Excel, lost)."""
    for match in _MERGE.finditer(suffix):
        bounds = parse_range(match.group(1).decode("ascii", "replace"))
        if bounds is None:
            continue
        first_row, first_col = bounds[:2]
        for row, col, _ in _written_in(edits, bounds):
            if (row, col) != (first_row, first_col):
                raise UnsafeWriteError(
                    f"Cell {edits.sheet}!{cell_ref(row, col)} is inside the merged range "
                    f"{match.group(1).decode()}; a value there would be hidden. Unmerge those "
                    "cells in Excel (or move the table), then run again. Nothing was written."
                )


def _written_in(
    edits: SheetEdits, bounds: tuple[int, int, int, int]
) -> Iterator[tuple[int, int, CellValue]]:
    first_row, first_col, last_row, last_col = bounds
    for column in edits.columns:
        if not first_col <= column.column <= last_col:
            continue
        if first_row <= column.header_row <= last_row:
            yield column.header_row, column.column, column.header
        for row in range(max(first_row, column.first_row), last_row + 1):
            offset = row - column.first_row
            if offset < len(column.values) and column.values[offset] is not None:
                yield row, column.column, column.values[offset]
    for row, values in edits.cells.items():
        for col, value in values.items():
            if value is not None and first_row <= row <= last_row and first_col <= col <= last_col:
                yield row, col, value
