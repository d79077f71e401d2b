"""The commonest edited row, made in one join: it only gains our columns' cells at its end.

A run adds a dozen columns after the last used column of the customer sheet, so nearly every
customer row keeps its bytes and gets a dozen new cells before `</row>`. For such a row a new
cell's bytes after `r="S12"` depend only on its column and its value (the default style is the
column's, no highlight, no existing cell, no array formula), so they are made once per distinct
value by `CellDecider.decide` itself, in the order the cells come: decisions, derived styles
and their order are those of the cell-by-cell path (`row_fast`), which every other row takes.

Rows are made a window of row numbers at a time: each column's cells for the window are looked
up at once (a `map` over the column's values), and a row whose cells were all made before is
one join and one replace (the row number) away. A row with a value not seen yet goes cell by cell,
which decides it, so decisions still happen in row order.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from datetime import date
from typing import cast

from toolkit.backends.ooxml.cell_plan import CellDecider
from toolkit.backends.ooxml.edits import CellWriteOp, ColumnWrite
from toolkit.backends.ooxml.values import ROW_NUMBER, CellValueError, cell_tail, text_tails
from toolkit.table import CellValue, column_letter

# Values whose cell bytes are kept once made. Floats (0.0 == -0.0) and datetimes (equal across
# time zones, with different wall times) compare equal without being written alike.
REUSED_TYPES: tuple[type, ...] = (str, int, bool, date, type(None))
REUSED_LIMIT = 1 << 16  # distinct values kept per column and type
# Keys of `AppendedColumns.templates`: no value of another type equals one of them (a datetime
# never equals a date), so any value may be looked up there. Ints too in a column without
# bools and floats (1 == 1.0 == True).
_TEMPLATE_TYPES: frozenset[type] = frozenset((str, date, type(None)))
WINDOW = 256  # row numbers looked up at once


class AppendedColumns:
    """Our columns' new cells for rows that end before the first of them."""

    def __init__(
        self,
        prefix: bytes,
        decider: CellDecider,
        column_styles: Mapping[int, int],
        window: int = WINDOW,
    ) -> None:
        self.decider = decider
        self.window = window
        self.prefix = prefix.decode()
        self.columns: list[ColumnWrite] = sorted(decider.edits.columns, key=lambda c: c.column)
        self.first_column = self.columns[0].column if self.columns else 0
        self.heads = [
            b'<%sc r="%s' % (prefix, column_letter(c.column).encode()) for c in self.columns
        ]
        self.defaults = [column_styles.get(c.column, 0) for c in self.columns]
        self.position = {c.column: at for at, c in enumerate(self.columns)}
        self.reused: list[dict[type, dict[CellValue, bytes]]] = [
            {kind: {} for kind in REUSED_TYPES} for _ in self.columns
        ]
        self.text_styles: list[int | None] = [None for _ in self.columns]
        # value -> the cell's bytes with ROW_NUMBER for the row number (b"": no cell), by column
        self.templates: list[dict[CellValue, bytes]] = [{} for _ in self.columns]
        self.template_types = [_template_types(c.values) for c in self.columns]
        self.empty_cells: set[bytes] = set()  # templates of cells without a value (styled)
        self._window: list[tuple[bytes | None, ...]] = []
        self._window_start = 0
        self._row_loop = [
            (c.first_row, c.values, head, reused)
            for c, head, reused in zip(self.columns, self.heads, self.reused, strict=True)
        ]
        letters = b"|".join(column_letter(c.column).encode() for c in self.columns)
        self.present = re.compile(rb'<%sc r="(?:%s)\d' % (re.escape(prefix), letters))

    def applies(
        self, data: bytes, number: int, last_column: int, plain_block: bool = False
    ) -> bool:
        """Whether the row only gains cells after its last one (the caller has checked that
        the row is regular and no header; `plain_block`: its block passed `absent_from`)."""
        if not self.columns or last_column >= self.first_column or self.decider.array_ranges:
            return False
        return plain_block or self.absent_from(data[: data.find(b">") + 1], data)

    def absent_from(self, head: bytes, data: bytes | None = None) -> bool:
        """No custom row format in `head` and no cell of our columns in `data` (`head` when
        None; both a row's, or a block of whole rows)."""
        body = head if data is None else data
        return b"customFormat" not in head and self.present.search(body) is None

    def cells(self, number: int) -> tuple[bytes, int]:
        """The new cells of row `number` joined, and how many hold a value."""
        at = number - self._window_start
        if not 0 <= at < len(self._window):
            self._look_up_window(number)
            at = 0
        made = self._window[at]
        if None in made:
            return self._cells_one_by_one(number)
        templates = cast("tuple[bytes, ...]", made)  # no None: every cell was made before
        count = len(templates) - templates.count(b"")
        if not count:
            return b"", 0
        # Templates differ by column, so the intersection counts the row's styled empty cells.
        written = (
            count - len(self.empty_cells.intersection(templates)) if self.empty_cells else count
        )
        return b"".join(templates).replace(ROW_NUMBER, b"%d" % number), written

    def _look_up_window(self, start: int) -> None:
        """Each column's cell templates for rows `start`.. (None: a value not made yet)."""
        columns: list[list[bytes | None]] = []
        for at, (first_row, values, _, _) in enumerate(self._row_loop):
            low, high = start - first_row, start - first_row + self.window
            inside = values[max(low, 0) : max(high, 0)]
            found = list(map(self.templates[at].get, inside))
            text_style = self.text_styles[at]
            if text_style is not None and None in found:
                found = [
                    self._text_template(at, text_style, value)
                    if made is None and type(value) is str
                    else made
                    for made, value in zip(found, inside, strict=True)
                ]
            before = min(max(-low, 0), self.window)
            after = self.window - before - len(found)
            columns.append([b""] * before + found + [b""] * after)
        self._window = list(zip(*columns, strict=True))
        self._window_start = start

    def _text_template(self, at: int, text_style: int, value: str) -> bytes | None:
        """A text's template in a column whose text style is known (None if it cannot be a
        cell's text: the cell-by-cell path raises the error then)."""
        try:
            tail = text_tails(text_style, self.prefix)(value)
        except CellValueError:
            return None
        return self.heads[at] + ROW_NUMBER + b'"' + tail

    def _cells_one_by_one(self, number: int) -> tuple[bytes, int]:
        end = b'%d"' % number
        parts: list[bytes] = []
        written = 0
        # `tail` inlined for the hit (a million rows times a dozen columns)
        for at, (first_row, values, head, reused) in enumerate(self._row_loop):
            offset = number - first_row
            if offset < 0 or offset >= len(values):
                continue  # a cleared cell that does not exist: nothing to do
            value = values[offset]
            known = reused.get(type(value))
            tail = known.get(value) if known is not None else None
            if tail is None:
                tail = self.tail(at, number, value)
            if tail:
                parts += (head, end, tail)
                written += value is not None
        return b"".join(parts), written

    def tail(self, at: int, number: int, value: CellValue) -> bytes:
        """The bytes after `r="S12` of column `at`'s new cell holding `value` (b"" for no
        cell): made by `CellDecider.decide` the first time a value comes, then reused."""
        known = self.reused[at].get(type(value))
        tail = known.get(value) if known is not None else None
        if tail is None:
            tail = self._tail(at, number, value)
            if known is not None and len(known) < REUSED_LIMIT:
                known[value] = tail
            templates = self.templates[at]
            if type(value) in self.template_types[at] and len(templates) < REUSED_LIMIT:
                templates[value] = self.heads[at] + ROW_NUMBER + b'"' + tail if tail else b""
            if value is None and tail:
                self.empty_cells.add(self.heads[at] + ROW_NUMBER + b'"' + tail)
        return tail

    def _tail(self, at: int, number: int, value: CellValue) -> bytes:
        """The cell's bytes after its reference, b"" when no cell is needed."""
        text_style = self.text_styles[at]
        if type(value) is str and text_style is not None:
            # Past the cache (a column of distinct texts), a text's cell differs from the
            # column's first text's only in the text: its style was decided then.
            with contextlib.suppress(CellValueError):  # `decide` raises it, saying where
                return text_tails(text_style, self.prefix)(value)
        column = self.columns[at]
        op = CellWriteOp("value", value, column.number_format)
        plan = self.decider.decide(number, column.column, op, None, default_style=self.defaults[at])
        if plan is None:
            return b""
        if type(value) is str:
            self.text_styles[at] = plan.style
        return cell_tail(plan.style, plan.encoded, self.prefix)


def _template_types(values: tuple[CellValue, ...]) -> frozenset[type]:
    """The types of a column's values that may be keys of its templates."""
    kinds: set[type] = set(map(type, values))
    return _TEMPLATE_TYPES | {int} if not kinds & {bool, float} else _TEMPLATE_TYPES
