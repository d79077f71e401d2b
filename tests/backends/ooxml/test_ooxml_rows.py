"""The byte-level row path and the lxml row editor make the same cells, on generated sheets."""

from __future__ import annotations

import io
from datetime import date

from hypothesis import event, given, settings
from hypothesis import strategies as st
from lxml import etree

from toolkit.backends.ooxml.edits import ColumnWrite, SheetEdits
from toolkit.backends.ooxml.sheet_edit import edit_sheet
from toolkit.backends.ooxml.sheet_stream import split_sheet
from toolkit.backends.ooxml.styles import StyleBook, XfRecipe
from toolkit.table import CellValue, column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OUR_WARNING = 1  # xf 1 below is our "warning" highlight of xf 0

values = st.one_of(
    st.none(),
    st.sampled_from(["ok", "=x", "  spaced ", "<&>", "数据"]),
    st.integers(-5, 5),
    st.just(date(2024, 5, 6)),
)
cells = st.dictionaries(
    st.integers(1, 8),
    st.tuples(
        st.sampled_from([None, 0, 2, OUR_WARNING]), st.sampled_from(["n", "s", "str", "empty"])
    ),
    max_size=6,
)
rows = st.dictionaries(st.integers(1, 12), st.tuples(cells, st.booleans()), max_size=10)


def styles() -> tuple[bytes, dict[int, XfRecipe]]:
    book = StyleBook(None, "xl/styles.xml", {})
    book.derive(XfRecipe(0, fill="warning"))
    book.derive(XfRecipe(0, numfmt=4))
    return book.to_bytes(), book.recipes()


def sheet_xml(
    layout: dict[int, tuple[dict[int, tuple[int | None, str]], bool]], prefix: str
) -> bytes:
    body = []
    for number in sorted(layout):
        row_cells, spans = layout[number]
        parts = []
        for col in sorted(row_cells):
            style, kind = row_cells[col]
            ref = f"{column_letter(col)}{number}"
            s = f' s="{style}"' if style is not None else ""
            if kind == "empty":
                parts.append(f'<{prefix}c r="{ref}"{s}/>')
            elif kind == "n":
                parts.append(f'<{prefix}c r="{ref}"{s}><{prefix}v>{col}</{prefix}v></{prefix}c>')
            else:
                parts.append(
                    f'<{prefix}c r="{ref}"{s} t="{kind}"><{prefix}v>0</{prefix}v></{prefix}c>'
                )
        span = f' spans="1:{max(row_cells, default=1)}"' if spans else ""
        inner = "".join(parts)
        body.append(
            f'<{prefix}row r="{number}"{span}>{inner}</{prefix}row>'
            if inner
            else f'<{prefix}row r="{number}"{span}/>'
        )
    declaration = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    data = f"<{prefix}sheetData>{''.join(body)}</{prefix}sheetData>"
    return f"<{prefix}worksheet {declaration}>{data}</{prefix}worksheet>".encode()


def cells_of(data: bytes) -> dict[str, tuple[str | None, ...]]:
    root = etree.fromstring(data)
    found: dict[str, tuple[str | None, ...]] = {}
    for row in root.iter(f"{{{MAIN}}}row"):
        found[f"row{row.get('r')}"] = (row.get("spans"),)
        for cell in row.iter(f"{{{MAIN}}}c"):
            text = "".join(cell.itertext())
            found[cell.get("r")] = (cell.get("s"), cell.get("t"), text)
    return found


Outcome = tuple[dict[str, tuple[str | None, ...]], int, bytes]


def run(sheet: bytes, edits: SheetEdits, *, fast: bool) -> tuple[Outcome, int]:
    """(cells, cells written, styles after) and how many rows the byte path edited."""
    data, recipes = styles()
    book = StyleBook(data, "xl/styles.xml", recipes)
    out = io.BytesIO()
    result = edit_sheet(
        split_sheet(iter([sheet]), "sheet"), out, edits, book, date1904=False, fast=fast
    )
    return (cells_of(out.getvalue()), result.cells_written, book.to_bytes()), result.rows_fast


@settings(max_examples=300, deadline=None)
@given(
    layout=rows,
    column=st.integers(1, 10),
    header_row=st.integers(1, 3),
    column_values=st.lists(values, max_size=12),
    highlights=st.lists(
        st.tuples(
            st.sampled_from(["error", "warning"]),
            st.sets(st.tuples(st.integers(1, 13), st.integers(1, 9)), max_size=5),
        ),
        max_size=2,
    ),
    fixes=st.dictionaries(st.tuples(st.integers(1, 13), st.integers(1, 9)), values, max_size=3),
    prefix=st.sampled_from(["", "x:"]),
)
def test_fast_and_lxml_paths_agree(
    layout: dict[int, tuple[dict[int, tuple[int | None, str]], bool]],
    column: int,
    header_row: int,
    column_values: list[CellValue],
    highlights: list[tuple[str, set[tuple[int, int]]]],
    fixes: dict[tuple[int, int], CellValue],
    prefix: str,
) -> None:
    edits = SheetEdits("Sheet1")
    edits.columns.append(
        ColumnWrite(
            column, "issues", "Issues", header_row, header_row + 1, tuple(column_values), None
        )
    )
    edits.highlights = [(style, frozenset(cells)) for style, cells in highlights]
    for (row, col), value in fixes.items():
        edits.cells.setdefault(row, {})[col] = value
    sheet = sheet_xml(layout, prefix)
    (fast, rows_fast), (slow, no_rows) = run(sheet, edits, fast=True), run(sheet, edits, fast=False)
    assert fast == slow
    assert no_rows == 0
    event(f"rows on the byte path: {min(rows_fast, 3)}+")


def test_regular_rows_take_the_byte_path() -> None:
    layout = {n: ({1: (None, "n"), 2: (0, "s"), 3: (2, "empty")}, True) for n in range(1, 8)}
    edits = SheetEdits("Sheet1")
    edits.columns.append(ColumnWrite(5, "issues", "Issues", 1, 2, ("a", None, 3), None))
    edits.highlights = [("error", frozenset({(3, 2), (4, 5)}))]
    (cells, written, _), rows_fast = run(sheet_xml(layout, ""), edits, fast=True)
    # rows 2-4 get values (row 1, the header, copies its neighbour's style: lxml); rows 5-7
    # have no cell in column E to clear and are copied verbatim
    assert rows_fast == 3
    assert written == 3 and cells["E2"] == (None, "inlineStr", "a") and cells["E4"][2] == "3"
