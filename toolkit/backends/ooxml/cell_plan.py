"""What happens to one cell: its final style and value, decided once for both row editors.

The lxml row editor and the byte-level fast path locate cells differently, but they must make
the same decision for a cell; it is made here. A cell's style goes through three steps: take
our highlight off (back to the xf it was cloned from), give a date or the column's number
format if the new value needs one, put the highlight the plan leaves it with back on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.backends.ooxml.edits import CellWriteOp, SheetEdits
from toolkit.backends.ooxml.styles import StyleBook
from toolkit.backends.ooxml.values import CellValueError, Encoded, cell_ref, encode
from toolkit.errors import UnsafeWriteError

_F_TAG = re.compile(rb"<(?:[\w.-]+:)?f\s[^>]*>")
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
_LETTERS: dict[str, int] = {}


def column_number(letters: str) -> int:
    """1-based column of column letters.

    >>> column_number("AB")
    28
    """
    number = _LETTERS.get(letters)
    if number is None:
        number = 0
        for char in letters:
            number = number * 26 + ord(char) - 64
        _LETTERS[letters] = number
    return number


def parse_ref(ref: str) -> tuple[int, int] | None:
    """(row, column) of an A1 reference, None when it is not one.

    >>> parse_ref("$C$7")
    (7, 3)
    """
    match = _REF.fullmatch(ref.strip().upper())
    return (int(match.group(2)), column_number(match.group(1))) if match else None


def parse_range(text: str) -> tuple[int, int, int, int] | None:
    """(first row, first col, last row, last col) of "A1:C3" or "B2".

    >>> parse_range("A1:C3")
    (1, 1, 3, 3)
    """
    first, _, last = text.partition(":")
    start, end = parse_ref(first), parse_ref(last or first)
    if start is None or end is None:
        return None
    low_row, high_row = sorted((start[0], end[0]))
    low_col, high_col = sorted((start[1], end[1]))
    return low_row, low_col, high_row, high_col


@dataclass(frozen=True)
class CellFacts:
    """What a row editor found about an existing cell."""

    style: int  # its s attribute, 0 when absent
    plain: bool  # nothing but r/s/t/cm/vm: the element may go once value and style are gone


@dataclass(frozen=True)
class CellPlan:
    """The decision for one cell."""

    style: int
    encoded: Encoded | None  # the new value when `rewrite`
    rewrite: bool  # the value changes (t, cm, vm and the old value go); else only the style
    remove: bool = False  # drop the element: no value, no style, nothing else


@dataclass
class CellDecider:
    """Decides cells for one sheet; remembers array formula ranges seen so far."""

    edits: SheetEdits
    styles: StyleBook
    date1904: bool
    array_ranges: list[tuple[int, int, int, int]] = field(default_factory=list)
    _numfmt_ids: dict[str, int] = field(default_factory=dict)

    def decide(
        self,
        number: int,
        col: int,
        op: CellWriteOp | None,
        facts: CellFacts | None,
        *,
        default_style: int = 0,
        left_style: int | None = None,
    ) -> CellPlan | None:
        """The plan for cell (number, col); None when nothing changes."""
        highlighted = col in self.edits.highlighted_columns(number)
        if facts is None and (op is None or op.kind == "clear") and not highlighted:
            return None
        if op is not None and (facts is not None or op.kind != "clear"):
            self.check_arrays(number, col)
        current = facts.style if facts is not None else default_style
        if op is not None and op.kind == "header" and left_style is not None:
            current = left_style
        base, highlight = self.styles.peel(current)
        encoded = None
        if op is not None and op.kind != "clear":
            encoded = self._encode(op, number, col)
            base = self._number_format(base, op, encoded.numfmt if encoded else None)
        highlight = self.edits.final_highlight(highlight, number, col)
        style = base if highlight is None else self.styles.with_fill(base, highlight)
        if op is None:
            unchanged = style == (facts.style if facts is not None else 0)
            return None if unchanged else CellPlan(style, None, rewrite=False)
        if encoded is None and not style:
            if facts is None:
                return None
            if facts.plain:
                return CellPlan(0, None, rewrite=True, remove=True)
        return CellPlan(style, encoded, rewrite=True)

    def track_formulas(self, data: bytes) -> None:
        """Remember array/data-table formula ranges of a row (their cells must not change)."""
        if b"array" not in data and b"dataTable" not in data:
            return
        for tag in _F_TAG.findall(data):
            attributes = {
                m.group(1): m.group(2) or m.group(3) or b"" for m in _ATTRIBUTE.finditer(tag)
            }
            if attributes.get(b"t") in (b"array", b"dataTable") and b"ref" in attributes:
                bounds = parse_range(attributes[b"ref"].decode())
                if bounds:
                    self.array_ranges.append(bounds)

    def check_arrays(self, number: int, col: int) -> None:
        for first_row, first_col, last_row, last_col in self.array_ranges:
            if first_row <= number <= last_row and first_col <= col <= last_col:
                raise UnsafeWriteError(
                    f"Cell {self.where(number, col)} is part of an array formula; custkit will "
                    "not change it. Convert the array formula to values in Excel, or leave this "
                    "cell out of the run. Nothing was written."
                )

    def where(self, number: int, col: int) -> str:
        return f"{self.edits.sheet}!{cell_ref(number, col)}"

    def _encode(self, op: CellWriteOp, number: int, col: int) -> Encoded | None:
        try:
            return encode(op.value, date1904=self.date1904)
        except CellValueError as error:
            raise UnsafeWriteError(
                f"Cell {self.where(number, col)}: {error}. Nothing was written."
            ) from error

    def _number_format(self, base: int, op: CellWriteOp, wanted: int | None) -> int:
        if op.kind == "value" and op.number_format:
            code = op.number_format
            if code not in self._numfmt_ids:
                self._numfmt_ids[code] = self.styles.format_id(code)
            return self.styles.with_numfmt(base, self._numfmt_ids[code])
        if wanted is not None and not self.styles.is_date_xf(base):
            return self.styles.with_numfmt(base, wanted)
        return base
