"""The block tests of `edit_sheet` (absence tests run once per block of rows) change nothing:
the bytes, the styles and the refusals are those of the row-by-row tests."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.backends.ooxml.edits import ColumnWrite, SheetEdits
from toolkit.backends.ooxml.sheet_edit import edit_sheet
from toolkit.backends.ooxml.sheet_stream import split_sheet
from toolkit.backends.ooxml.styles import StyleBook, XfRecipe
from toolkit.errors import UnsafeWriteError
from toolkit.table import CellValue

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WATCHED = 1  # the "warning" highlight xf of `book()`: a cell an earlier run coloured

# Row shapes: the commonest (plain), and each thing one of the block tests looks for.
ROWS = {
    "plain": '<row r="{n}" spans="1:2"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c>'
    '<c r="B{n}"><v>1</v></c></row>',
    "watched": f'<row r="{{n}}"><c r="A{{n}}" s="{WATCHED}"><v>1</v></c></row>',
    "custom": '<row r="{n}" s="2" customFormat="1"><c r="A{n}"><v>1</v></c></row>',
    "array": '<row r="{n}"><c r="B{n}"><f t="array" ref="B{n}">1</f><v>1</v></c></row>',
    "array over ours": '<row r="{n}"><c r="B{n}"><f t="array" ref="B{n}:E{n}">1</f></c></row>',
    "extLst": '<row r="{n}"><c r="A{n}"><v>1</v></c><extLst><ext uri="u"/></extLst></row>',
    "spaced": '<row r="{n}"><c r = "A{n}"><v>1</v></c></row>',
    "spaced style": '<row r="{n}"><c r="A{n}" s = "0"><v>1</v></c></row>',
    "unordered": '<row r="{n}"><c r="D{n}"><v>7</v></c><c r="A{n}"><v>1</v></c></row>',
    "quoted": "<row r='{n}'><c r='A{n}'><v>1</v></c></row>",
    "words": '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>array extLst dataTable '
    "customFormat</t></is></c></row>",
    "ours": '<row r="{n}"><c r="A{n}"><v>1</v></c><c r="D{n}"><v>7</v></c></row>',
    "positional": '<row r="{n}"><c><v>1</v></c><c t="b"><v>1</v></c></row>',
    "no number": '<row><c r="A{n}"><v>1</v></c></row>',
    "empty": '<row r="{n}"/>',
}
values = st.one_of(
    st.none(), st.sampled_from(["ok", "<&>", "数据", 3, 2.5, True]), st.sampled_from(["x"])
)


def book() -> StyleBook:
    styles = StyleBook(None, "xl/styles.xml", {})
    styles.derive(XfRecipe(0, fill="warning"))
    styles.derive(XfRecipe(0, numfmt=4))
    return StyleBook(styles.to_bytes(), "xl/styles.xml", styles.recipes())


def sheet(kinds: list[str]) -> bytes:
    body = "".join(ROWS[kind].format(n=n) for n, kind in enumerate(kinds, start=1))
    return f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'.encode()


def written(data: bytes, edits: SheetEdits, block_rows: int) -> tuple[bytes, bytes] | str:
    """(the sheet, the styles) as edited, or the refusal."""
    styles, out = book(), io.BytesIO()
    pieces = split_sheet(iter([data[:7], data[7:]]), "sheet")
    try:
        edit_sheet(pieces, out, edits, styles, date1904=False, block_rows=block_rows)
    except UnsafeWriteError as error:
        return str(error)
    return out.getvalue(), styles.to_bytes()


def our_edits(
    column_values: list[CellValue], highlights: set[tuple[int, int]], fixes: set[int]
) -> SheetEdits:
    edits = SheetEdits("Sheet1")
    for at, column in enumerate((4, 5)):
        shifted = tuple(column_values[at:] + column_values[:at])
        edits.columns.append(ColumnWrite(column, f"k{at}", "H", 1, 2, shifted, None))
    edits.highlights = [("warning", frozenset(highlights))]
    edits.cells = {row: {5: "fixed"} for row in fixes}
    return edits


@settings(max_examples=300, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(["plain"] * 12 + sorted(ROWS)), min_size=1, max_size=20),
    column_values=st.lists(values, max_size=20),
    highlights=st.sets(st.tuples(st.integers(1, 21), st.integers(1, 6)), max_size=4),
    fixes=st.sets(st.integers(2, 21), max_size=2),
    block_rows=st.sampled_from([1, 2, 3, 7, 256]),
)
def test_blocks_write_what_rows_one_by_one_write(
    kinds: list[str],
    column_values: list[CellValue],
    highlights: set[tuple[int, int]],
    fixes: set[int],
    block_rows: int,
) -> None:
    data = sheet(kinds)
    edits = our_edits(column_values, highlights, fixes)
    assert written(data, edits, block_rows) == written(data, edits, 0)


@pytest.mark.parametrize(
    ("kinds", "refused"),
    [
        (["plain"] * 5, False),
        (["plain", "plain", "words", "plain"], False),
        (["plain", "array over ours", "plain"], True),
        (["plain", "watched", "custom", "extLst", "spaced", "quoted", "positional"], False),
    ],
)
def test_blocks_of_each_shape(kinds: list[str], refused: bool) -> None:
    data = sheet(kinds)
    edits = our_edits(["ok", None, 3], {(2, 1)}, set())
    found = written(data, edits, 256)
    assert found == written(data, edits, 0)
    assert isinstance(found, str) is refused
