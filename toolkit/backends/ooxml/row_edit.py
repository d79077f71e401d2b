"""Editing one `<row>` of a worksheet: parse just that row, change its cells, serialize it.

The row is parsed inside a wrapper element that carries the worksheet's namespace
declarations, edited with lxml and written back as the wrapper's inner XML, so the row keeps
its prefixes and gains no declarations. Cells stay in column order; cells written without an
`r` attribute (positional, from some tools) get one, because inserting a cell would shift them.

Most rows take the byte-level fast path (`row_fast`) instead; this editor handles every row
that path declines (formulas, header cells, cells in the middle of a row, unusual XML).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from toolkit.backends.ooxml.cell_plan import (
    CellDecider,
    CellFacts,
    CellPlan,
    column_number,
    parse_ref,
)
from toolkit.backends.ooxml.edits import CellWriteOp, SheetEdits
from toolkit.backends.ooxml.opc import PARSER
from toolkit.backends.ooxml.row_fast import FastRows
from toolkit.backends.ooxml.sheet_stream import SheetLayout
from toolkit.backends.ooxml.styles import MAIN_NS, StyleBook
from toolkit.backends.ooxml.values import cell_element, cell_ref
from toolkit.errors import UnsafeWriteError

_M = f"{{{MAIN_NS}}}"
_C, _F = f"{_M}c", f"{_M}f"
_REPLACED_ATTRIBUTES = {"r", "s", "t", "cm", "vm"}  # value type and metadata go with the value
_DIGITS = "0123456789"
_ROW_R = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")


@dataclass
class RowEditor:
    """Applies a sheet's edits to single rows; collects what the sheet-level code needs."""

    layout: SheetLayout
    edits: SheetEdits
    styles: StyleBook
    date1904: bool
    column_styles: Mapping[int, int] = field(default_factory=dict)
    fast: bool = True  # tests turn the byte-level path off to compare both
    formula_overwritten: bool = False
    cells_written: int = 0
    rows_edited: int = 0
    rows_fast: int = 0

    def __post_init__(self) -> None:
        declarations = "".join(
            f' xmlns:{name}="{uri}"' if name else f' xmlns="{uri}"'
            for name, uri in self.layout.namespaces
        )
        self._open = f"<custkit-row{declarations}>".encode()
        self._close = b"</custkit-row>"
        self.watched_xfs = self.styles.highlight_xfs(self.edits.highlight_styles)
        self.decider = CellDecider(self.edits, self.styles, self.date1904)
        self._fast = FastRows(
            self.layout.prefix, self.decider, self.watched_xfs, self.column_styles
        )

    def track_formulas(self, data: bytes) -> None:
        self.decider.track_formulas(data)

    def plain_block(self, block: bytes) -> bool:
        """Whether the byte-level path may skip its absence tests on the rows of `block`."""
        return self.fast and self._fast.plain_block(block)

    def edit(self, data: bytes | None, number: int, *, plain_block: bool = False) -> bytes | None:
        """The row with the plan's edits; None for a new row that ends up without cells
        (`plain_block`: the row's block passed `plain_block`)."""
        self.rows_edited += 1
        if self.fast and data is not None:
            done = self._fast.edit(data, number, plain_block=plain_block)
            if done is not None:
                self.rows_fast += 1
                self.cells_written += done[1]
                return done[0]
        source = data if data is not None else b"<%srow/>" % self.layout.prefix
        wrapper = etree.fromstring(self._open + source + self._close, PARSER)
        row = wrapper[0]
        if row.get("r") is None:
            row.set("r", str(number))
        cells = [child for child in row if child.tag == _C]
        columns = self._columns(cells, number)
        ops = self.edits.ops(number)
        targets = set(ops) | self.edits.highlighted_columns(number)
        if self.watched_xfs:
            styles = zip(columns, cells, strict=True)
            targets.update(c for c, el in styles if _style(el) in self.watched_xfs)
        changed = [
            self._edit_cell(row, number, col, ops.get(col), cells, columns)
            for col in sorted(targets)
        ]
        if data is not None and not any(changed) and row.get("r") == _row_number(data):
            return data  # nothing to do after all: the row stays byte for byte
        if data is None and not cells:
            return None
        _update_spans(row, columns)
        text: bytes = etree.tostring(wrapper, encoding="UTF-8", xml_declaration=False)
        return text[text.index(b">") + 1 : text.rindex(b"</")]

    def _edit_cell(
        self,
        row: etree._Element,
        number: int,
        col: int,
        op: CellWriteOp | None,
        cells: list[etree._Element],
        columns: list[int],
    ) -> bool:
        at = bisect.bisect_left(columns, col)
        cell = cells[at] if at < len(columns) and columns[at] == col else None
        if op is not None and cell is not None:
            self._check_formula(cell, number, col)
        left = at > 0 and columns[at - 1] == col - 1 and op is not None and op.kind == "header"
        plan = self.decider.decide(
            number,
            col,
            op,
            _facts(cell) if cell is not None else None,
            default_style=self._default_style(row, col),
            left_style=_style(cells[at - 1]) if left else None,
        )
        if plan is None:
            return False
        if plan.remove and cell is not None:
            row.remove(cell)
            del cells[at], columns[at]
        elif not plan.rewrite and cell is not None:
            _set_style(cell, plan.style)
        else:
            self._put(row, cell, self._fresh(cell, number, col, plan), cells, columns, at, col)
        return True

    def _fresh(
        self, cell: etree._Element | None, number: int, col: int, plan: CellPlan
    ) -> etree._Element:
        keep = {}
        if cell is not None:
            keep = {k: v for k, v in cell.attrib.items() if k not in _REPLACED_ATTRIBUTES}
        if plan.encoded is not None:
            self.cells_written += 1
        return cell_element(cell_ref(number, col), plan.style, plan.encoded, keep=keep)

    def _put(
        self,
        row: etree._Element,
        old: etree._Element | None,
        new: etree._Element,
        cells: list[etree._Element],
        columns: list[int],
        at: int,
        col: int,
    ) -> None:
        if old is not None:
            new.tail = old.tail
            row.replace(old, new)
            cells[at] = new
            return
        if at < len(cells):
            cells[at].addprevious(new)
        elif cells:
            cells[-1].addnext(new)
        else:
            row.insert(0, new)
        cells.insert(at, new)
        columns.insert(at, col)

    def _check_formula(self, cell: etree._Element, number: int, col: int) -> None:
        formula = cell.find(_F)
        if formula is None:
            return
        kind = formula.get("t")
        where = self.decider.where(number, col)
        if kind == "shared" and formula.get("ref"):
            raise UnsafeWriteError(
                f"Cell {where} holds a shared formula that other cells copy (range "
                f"{formula.get('ref')}); overwriting it would break them. Fill the formula "
                "down again in Excel (or paste values), then run again. Nothing was written."
            )
        if kind in ("array", "dataTable"):
            raise UnsafeWriteError(
                f"Cell {where} holds an array formula; custkit will not change it. Nothing "
                "was written."
            )
        self.formula_overwritten = True

    def _default_style(self, row: etree._Element, col: int) -> int:
        if row.get("customFormat") in ("1", "true") and row.get("s"):
            return int(row.get("s", "0"))
        return self.column_styles.get(col, 0)

    def _columns(self, cells: list[etree._Element], number: int) -> list[int]:
        columns: list[int] = []
        previous = 0
        positional = False
        for cell in cells:
            ref = cell.get("r") or ""
            letters = ref.rstrip(_DIGITS)
            if letters.isalpha() and letters.isupper() and ref[len(letters) :].isdigit():
                previous = column_number(letters)
            elif (found := parse_ref(ref)) is not None:
                previous = found[1]
            else:
                positional = True
                previous += 1
            columns.append(previous)
        if positional:
            for cell, col in zip(cells, columns, strict=True):
                cell.set("r", cell_ref(number, col))
        return columns


def _style(cell: etree._Element) -> int:
    text = cell.get("s")
    return int(text) if text and text.isdigit() else 0


def _facts(cell: etree._Element) -> CellFacts:
    plain = not (set(cell.attrib) - _REPLACED_ATTRIBUTES) and _style(cell) == 0
    return CellFacts(_style(cell), plain)


def _set_style(cell: etree._Element, style: int) -> None:
    if style:
        cell.set("s", str(style))
    elif "s" in cell.attrib:
        del cell.attrib["s"]


def _update_spans(row: etree._Element, columns: list[int]) -> None:
    if row.get("spans") is None:
        return
    if columns:
        row.set("spans", f"{min(columns)}:{max(columns)}")
    else:
        del row.attrib["spans"]


def _row_number(data: bytes) -> str | None:
    """The r attribute of a row's start tag as written (None when it has none)."""
    head = data[: data.find(b">")]
    found = _ROW_R.search(head)
    return found.group(1).decode() if found else None
