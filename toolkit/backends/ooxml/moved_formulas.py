"""Refusing a plan that moves rows over formulas: a merge writes values, formulas would be lost.

A dedupe merge closes the gaps left by merged rows by writing every later row's values one
row up (`SetCells(moves_rows=True)`). The routine sees values only, so a formula in one of
those cells (a "Total" column computed per row, a lookup) would be replaced by the cached
value of another row. Before anything is streamed, the cells such a change writes are looked
up in the sheet XML; any that holds an `<f>` makes the whole plan refused, naming the sheet
and the cells. Formulas elsewhere (other sheets, columns or rows the merge does not write)
are left alone and do not stop the merge.

Rows without `<f>` are skipped by a byte search; only rows with a formula are parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from toolkit.backends.ooxml.cell_plan import parse_ref
from toolkit.backends.ooxml.opc import PARSER
from toolkit.backends.ooxml.sheet_stream import SheetLayout, read_layout, split_sheet
from toolkit.backends.ooxml.values import cell_ref
from toolkit.errors import UnsafeWriteError
from toolkit.plan import Change, SetCells

SHOWN_CELLS = 12  # cells named in the message; the rest are counted
_ROW_R = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")


def moved_cells(changes: tuple[Change, ...], sheet: str) -> set[tuple[int, int]]:
    """(row, column) of every cell a row-moving SetCells writes on `sheet`.

    >>> from toolkit.plan import CellWrite
    >>> moved_cells((SetCells("C", (CellWrite(3, 2, "x"),), "merge", moves_rows=True),), "C")
    {(3, 2)}
    """
    return {
        (write.row, write.column)
        for change in changes
        if isinstance(change, SetCells) and change.moves_rows and change.sheet == sheet
        for write in change.cells
    }


def formula_cells(chunks: Iterator[bytes], part: str, wanted: set[tuple[int, int]]) -> list[str]:
    """A1 references of the `wanted` cells that hold a formula, in sheet order."""
    found: list[str] = []
    if not wanted:
        return found
    rows = {row for row, _ in wanted}
    layout: SheetLayout | None = None
    number = 0
    for kind, data in split_sheet(chunks, part):
        if kind == "prefix":
            layout = read_layout(data)
        if kind != "row" or layout is None:
            continue
        head = _ROW_R.search(data[: data.find(b">")])
        number = int(head.group(1)) if head else number + 1
        if number in rows and b"<" + layout.prefix + b"f" in data:
            columns = _formula_columns(data, layout, number)
            found.extend(cell_ref(number, c) for c in columns if (number, c) in wanted)
    return found


def _formula_columns(data: bytes, layout: SheetLayout, number: int) -> list[int]:
    """Columns of the cells of one row that hold an `<f>` element."""
    declarations = "".join(
        f' xmlns:{name}="{uri}"' if name else f' xmlns="{uri}"' for name, uri in layout.namespaces
    )
    wrapper = etree.fromstring(f"<custkit-row{declarations}>".encode() + data + b"</custkit-row>",
                               PARSER)  # fmt: skip
    row = wrapper[0]
    namespace = row.tag[: row.tag.index("}") + 1] if row.tag.startswith("{") else ""
    columns: list[int] = []
    column = 0
    for cell in row:
        if cell.tag != f"{namespace}c":
            continue
        ref = parse_ref(cell.get("r") or "")
        column = ref[1] if ref is not None and ref[0] == number else column + 1
        if cell.find(f"{namespace}f") is not None:
            columns.append(column)
    return columns


def refuse_moved_formulas(sheet: str, cells: list[str]) -> None:
    """Raise the refusal for formulas a row-moving change would overwrite (if any)."""
    if not cells:
        return
    shown = ", ".join(cells[:SHOWN_CELLS])
    more = f" and {len(cells) - SHOWN_CELLS} more" if len(cells) > SHOWN_CELLS else ""
    raise UnsafeWriteError(
        f"Sheet '{sheet}' has formulas in customer rows that the merge would move: {shown}"
        f"{more}. A merge moves rows up and writes values only, so these formulas would be "
        "replaced by values. Move the formula columns to another sheet (or copy them and "
        "paste as values), then run the merge again; marking duplicates without --merge "
        "works as it is. Nothing was written."
    )


__all__ = ["formula_cells", "moved_cells", "refuse_moved_formulas"]
