"""The byte-level fast path for editing a row: no parsing, for the rows that allow it.

Most edited rows only get a value in our own column and perhaps a highlight. For those the
row's bytes are spliced: the target cells are found with exact searches for `<c r="H12"`,
replaced or appended before `</row>`, and everything else is kept as it was. The path is
taken only when it is provably exact: every cell tag in the row starts with `<c r="`
(counted, not guessed), the target cells carry only r/s/t attributes and no formula, and new
cells go after the row's last cell. Anything else returns None and the lxml editor does it.
Both paths take their decisions from `CellDecider`, so they write the same cells.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from toolkit.backends.ooxml.cell_plan import CellDecider, CellFacts, CellPlan, column_number
from toolkit.backends.ooxml.edits import CellWriteOp
from toolkit.backends.ooxml.row_append import WINDOW, AppendedColumns
from toolkit.backends.ooxml.values import cell_bytes
from toolkit.table import column_letter

_SPANS = re.compile(rb'\sspans="[^"]*"')
_ROW_STYLE = re.compile(rb'\ss="(\d+)"')
_CUSTOM_FORMAT = re.compile(rb'\scustomFormat="(?:1|true)"')
_ATTRIBUTE = re.compile(rb'\s([\w:.-]+)="([^"<>]*)"')
_SIMPLE = {b"r", b"s", b"t"}
# Attributes written other than name="value" (quotes, spaces) make exact byte searches unsafe.
# (It starts with a literal "=" so that re can skip ahead quickly.)
_UNUSUAL_ATTRIBUTE = re.compile(rb"""=(?:[\s']|(?<=\s=))""")


class _Declined(Exception):
    """The row needs the lxml editor."""


@dataclass(frozen=True)
class _Cell:
    """An existing cell found in the row's bytes."""

    start: int
    end: int
    style: int
    type: bytes | None
    body: bytes  # between the tags; b"" for <c .../>
    closed: bool  # written as <c .../>


class FastRows:
    """Splices cell edits into rows that need no parsing."""

    def __init__(
        self,
        prefix: bytes,
        decider: CellDecider,
        watched: set[int],
        column_styles: Mapping[int, int],
        *,
        appending: bool = True,  # tests turn the one-join path for appended cells off
        window: int = WINDOW,  # and try small windows
    ) -> None:
        self.prefix = prefix.decode()
        self.decider = decider
        self.column_styles = column_styles
        self.cell_open = b"<" + prefix + b'c r="'
        self.cell_close = b"</" + prefix + b"c>"
        self.row_close = b"</" + prefix + b"row>"
        self.formula = b"<" + prefix + b"f"
        self.any_cell = b"<" + prefix + b"c"  # also <color>, <charset> of rich text: declined
        # one search instead of counting both (a `<c` not followed by ` r="`: counts differ)
        self.other_cell = re.compile(re.escape(self.any_cell) + rb'(?! r=")')
        self.header_rows = {c.header_row for c in decider.edits.columns}
        self.appended = AppendedColumns(prefix, decider, column_styles, window)
        self.appending = appending
        self.rows_joined = 0  # rows whose new cells were made in one join
        self.tag = re.compile(rb'<%sc(?:\s+[\w:.-]+="[^"<>]*")*\s*(/?)>' % re.escape(prefix))
        numbers = b"|".join(str(x).encode() for x in sorted(watched))
        self.watched_needles = [b' s="%d"' % x for x in sorted(watched)]  # cheap pre-test
        self.watched = (
            re.compile(rb'<%sc r="([A-Z]+)\d+"[^>]*?\ss="(?:%s)"' % (re.escape(prefix), numbers))
            if watched
            else None
        )

    def plain_block(self, block: bytes) -> bool:
        """Whether every row of `block` (whole rows, joined) passes the byte tests that look
        for something absent: then `edit(..., plain_block=True)` skips them row by row.

        Each test is an absence, and no match can span two rows (a row ends with `>` and the
        next starts with `<`), so the block passing means each of its rows passes.
        """
        return (
            self.other_cell.search(block) is None
            and b"extLst" not in block
            and _UNUSUAL_ATTRIBUTE.search(block) is None
            and not any(n in block for n in self.watched_needles)
            and self.appended.absent_from(block)
        )

    def edit(
        self, data: bytes, number: int, *, plain_block: bool = False
    ) -> tuple[bytes, int] | None:
        """(the edited row, cells written), or None when the lxml editor must do it;
        `plain_block`: the row is in a block that passed `plain_block`."""
        edits = self.decider.edits
        if number in self.header_rows:
            return None
        if plain_block:
            if b' r="%d"' % number not in data[: data.find(b">") + 1]:
                return None
        elif not self._regular(data, number):
            return None
        last = data.rfind(self.cell_open)
        last_col = column_number(self._letters(data, last)) if last >= 0 else 0
        watched = (
            not plain_block
            and self.watched is not None
            and any(n in data for n in self.watched_needles)
        )
        plain = not watched and number not in edits.cells and not edits.highlighted_columns(number)
        applies = self.appending and self.appended.applies(data, number, last_col, plain_block)
        if plain and applies:
            cells, written = self.appended.cells(number)
            self.rows_joined += 1
            return (self._with_cells(data, cells), written) if cells else (data, 0)
        ops = edits.ops(number)
        targets = set(ops) | edits.highlighted_columns(number)
        if watched and self.watched is not None:
            targets.update(column_number(m.group(1).decode()) for m in self.watched.finditer(data))
        quick = self._quick_columns(number) if applies else set()
        found: dict[int, _Cell | None] = {}
        try:
            for col in sorted(targets):
                if col in quick:
                    found[col] = None  # known absent: `_splice` takes its bytes from `appended`
                    continue
                found[col] = self._locate(data, col, number)
                if found[col] is None and col < last_col:
                    return None  # a new cell in the middle of the row
        except _Declined:
            return None
        return self._splice(data, number, ops, found, quick)

    def _quick_columns(self, number: int) -> set[int]:
        """Our appended columns whose new cell in this row (one the one-join path applies to)
        is exactly that path's: no highlight and no single-cell write on it."""
        edits = self.decider.edits
        special = edits.highlighted_columns(number) | set(edits.cells.get(number, ()))
        return set(self.appended.position) - special

    def _splice(
        self,
        data: bytes,
        number: int,
        ops: Mapping[int, CellWriteOp],
        found: dict[int, _Cell | None],
        quick: set[int],
    ) -> tuple[bytes, int]:
        row_tag_end = data.find(b">") + 1
        row_tag = data[:row_tag_end]
        pieces: list[bytes] = []
        appended: list[bytes] = []
        cursor, written = 0, 0
        for col, cell in found.items():
            if col in quick:  # decided in the same order, reusing the one-join path's bytes
                op = ops[col]
                if op.kind == "value":  # else a clear of a cell that does not exist
                    at = self.appended.position[col]
                    tail = self.appended.tail(at, number, op.value)
                    if tail:
                        appended.append(self.appended.heads[at] + b'%d"' % number + tail)
                        written += op.value is not None
                continue
            facts = CellFacts(cell.style, plain=cell.style == 0) if cell else None
            default = self._default(row_tag, col)
            plan = self.decider.decide(number, col, ops.get(col), facts, default_style=default)
            if plan is None:
                continue
            written += plan.rewrite and plan.encoded is not None
            ref = f"{column_letter(col)}{number}"
            if cell is None:
                appended.append(cell_bytes(ref, plan.style, plan.encoded, self.prefix))
                continue
            pieces.append(data[cursor : cell.start])
            cursor = cell.end
            if not plan.remove:
                pieces.append(self._rewrite(cell, plan, ref))
        if not pieces and not appended:
            return data, 0
        pieces.append(data[cursor:])
        row = b"".join(pieces)
        if appended:
            row = self._append(row, b"".join(appended))
        return self._spans(row), written

    def _regular(self, data: bytes, number: int) -> bool:
        """Every cell tag starts with `<c r="`, the row says its number, no extensions."""
        tags = data.count(self.any_cell)
        head = data[: data.find(b">") + 1]
        numbered = b' r="%d"' % number in head
        regular = tags == data.count(self.cell_open) and b"extLst" not in data
        return numbered and regular and _UNUSUAL_ATTRIBUTE.search(data) is None

    def _locate(self, data: bytes, col: int, number: int) -> _Cell | None:
        """The cell at `col`, None when absent; raises _Declined for the lxml editor."""
        start = data.find(self.cell_open + b"%s%d" % (column_letter(col).encode(), number) + b'"')
        if start < 0:
            return None
        tag = self.tag.match(data, start)
        if tag is None:
            raise _Declined
        attributes = dict(_ATTRIBUTE.findall(tag.group(0)))
        style = attributes.get(b"s", b"0")
        if set(attributes) - _SIMPLE or not style.isdigit():
            raise _Declined
        if tag.group(1):
            return _Cell(start, tag.end(), int(style), attributes.get(b"t"), b"", True)
        close = data.find(self.cell_close, tag.end())
        body = data[tag.end() : close]
        if close < 0 or self.formula in body:
            raise _Declined
        end = close + len(self.cell_close)
        return _Cell(start, end, int(style), attributes.get(b"t"), body, False)

    def _rewrite(self, cell: _Cell, plan: CellPlan, ref: str) -> bytes:
        if plan.rewrite:
            return cell_bytes(ref, plan.style, plan.encoded, self.prefix)
        head = b'<%sc r="%s"' % (self.prefix.encode(), ref.encode())
        head += b' s="%d"' % plan.style if plan.style else b""
        head += b' t="%s"' % cell.type if cell.type is not None else b""
        return head + b"/>" if cell.closed else head + b">" + cell.body + self.cell_close

    def _with_cells(self, data: bytes, cells: bytes) -> bytes:
        """`self._spans(self._append(data, cells))` for new cells after the row's last one,
        with one copy of the row instead of three."""
        close = data.rfind(self.row_close)
        if close < 0:
            return self._spans(self._append(data, cells))
        head_end = data.find(b">") + 1
        head = data[:head_end]
        if b' spans="' in head:
            first = data.find(self.cell_open, head_end, close)
            low = self._letters(data, first) if first >= 0 else self._letters(cells, 0)
            high = self._letters(cells, cells.rfind(self.cell_open))
            spans = b' spans="%d:%d"' % (column_number(low), column_number(high))
            at = head.find(b' spans="')
            if head.count(b'spans="') == 1:  # the one `_SPANS` finds, spliced without a regex
                head = head[:at] + spans + head[head.find(b'"', at + 8) + 1 :]
            else:
                head = _SPANS.sub(spans, head, count=1)
        return b"".join((head, data[head_end:close], cells, data[close:]))

    def _append(self, row: bytes, cells: bytes) -> bytes:
        close = row.rfind(self.row_close)
        if close >= 0:
            return row[:close] + cells + row[close:]
        return row[:-2].rstrip() + b">" + cells + self.row_close  # was <row .../>

    def _spans(self, row: bytes) -> bytes:
        head_end = row.find(b">") + 1
        if b' spans="' not in row[:head_end]:
            return row
        first, last = row.find(self.cell_open), row.rfind(self.cell_open)
        if first < 0:
            return _SPANS.sub(b"", row[:head_end], count=1) + row[head_end:]
        low, high = (
            column_number(self._letters(row, first)),
            column_number(self._letters(row, last)),
        )
        spans = b' spans="%d:%d"' % (low, high)
        return _SPANS.sub(spans, row[:head_end], count=1) + row[head_end:]

    def _letters(self, data: bytes, start: int) -> str:
        position = start + len(self.cell_open)
        end = position
        while 65 <= data[end] <= 90:
            end += 1
        return data[position:end].decode()

    def _default(self, row_tag: bytes, col: int) -> int:
        if _CUSTOM_FORMAT.search(row_tag):
            style = _ROW_STYLE.search(row_tag)
            if style:
                return int(style.group(1))
        return self.column_styles.get(col, 0)
