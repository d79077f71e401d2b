"""The one-join paths (appended columns, our own sheets' rows, untouched sheets) write exactly
the bytes the cell-by-cell paths write, styles appended in the same order included."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.backends.ooxml.testkit import apply, assert_untouched, build_customers, cell_fill
from toolkit.backends.ooxml.cell_plan import CellDecider
from toolkit.backends.ooxml.edits import ColumnWrite, SheetEdits
from toolkit.backends.ooxml.new_sheet import _OwnCells
from toolkit.backends.ooxml.row_fast import FastRows
from toolkit.backends.ooxml.sheet_stream import split_sheet
from toolkit.backends.ooxml.styles import StyleBook, XfRecipe
from toolkit.backends.ooxml.values import cell_bytes, cell_ref, encode
from toolkit.errors import UnsafeWriteError
from toolkit.plan import Highlight, Plan, SetColumn
from toolkit.table import CellValue, column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EAST = timezone(timedelta(hours=8))

values = st.one_of(
    st.none(),
    st.sampled_from(["ok", "=x", "<&>", "数据", "_x0041_", "a\x01b", "ok"]),
    st.sampled_from([0, 1, True, False, 0.0, -0.0, 1.5]),
    st.sampled_from([date(2024, 5, 6), datetime(2024, 5, 6, 9, 30)]),
    st.sampled_from([datetime(2024, 5, 6, 9, tzinfo=EAST), datetime(2024, 5, 6, 1, tzinfo=UTC)]),
)
row_cells = st.dictionaries(st.integers(1, 6), st.sampled_from([None, 0, 2]), max_size=4)
row_kinds = st.sampled_from(["plain", "custom", "array", "empty"])
sheet_rows = st.dictionaries(st.integers(1, 14), st.tuples(row_cells, row_kinds), max_size=12)


def book() -> StyleBook:
    styles = StyleBook(None, "xl/styles.xml", {})
    styles.derive(XfRecipe(0, fill="warning"))
    styles.derive(XfRecipe(0, numfmt=4))
    return StyleBook(styles.to_bytes(), "xl/styles.xml", styles.recipes())


def row_xml(number: int, cells: dict[int, int | None], kind: str, prefix: str) -> bytes:
    parts = []
    for col in sorted(cells):
        style = f' s="{cells[col]}"' if cells[col] is not None else ""
        ref = f"{column_letter(col)}{number}"
        # an array formula over the row's next cells too: writing there must be refused
        array = f'<{prefix}f t="array" ref="{ref}:J{number}">1</{prefix}f>'
        formula = array if kind == "array" else ""
        parts.append(f'<{prefix}c r="{ref}"{style}>{formula}<{prefix}v>1</{prefix}v></{prefix}c>')
    head = f'<{prefix}row r="{number}" spans="1:6"'
    head += ' s="2" customFormat="1"' if kind == "custom" else ""
    inner = "".join(parts)
    if kind == "empty" or not inner:
        return f"{head}/>".encode()
    return f"{head}>{inner}</{prefix}row>".encode()


def sheet_rows_of(layout: dict[int, tuple[dict[int, int | None], str]], prefix: str) -> list[bytes]:
    declaration = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    body = b"".join(row_xml(n, *layout[n], prefix) for n in sorted(layout))
    data = b"<%ssheetData>%s</%ssheetData>" % (prefix.encode(), body, prefix.encode())
    sheet = b"<%sworksheet %s>%s</%sworksheet>" % (
        prefix.encode(),
        declaration.encode(),
        data,
        prefix.encode(),
    )
    return [piece for kind, piece in split_sheet(iter([sheet]), "sheet") if kind == "row"]


def edited(
    rows: list[bytes], edits: SheetEdits, column_styles: dict[int, int], prefix: str, **kw: Any
) -> tuple[list[tuple[bytes, int] | str | None], bytes, int]:
    """Every row through one FastRows; the styles after, and rows the one-join path made."""
    styles = book()
    decider = CellDecider(edits, styles, date1904=False)
    watched = styles.highlight_xfs(edits.highlight_styles)
    fast = FastRows(prefix.encode(), decider, watched, column_styles, **kw)
    found = []
    for data in rows:
        number = int(data.split(b'r="', 1)[1].split(b'"', 1)[0])
        decider.track_formulas(data)
        try:
            found.append(fast.edit(data, number))
        except UnsafeWriteError as error:
            found.append(str(error))
            break
    return found, styles.to_bytes(), fast.rows_joined


@settings(max_examples=300, deadline=None)
@given(
    layout=sheet_rows,
    first_column=st.integers(3, 8),
    formats=st.lists(st.sampled_from([None, "0.000", "yyyy-mm-dd"]), min_size=1, max_size=3),
    column_values=st.lists(values, max_size=14),
    column_styles=st.dictionaries(st.integers(3, 10), st.sampled_from([0, 1, 2]), max_size=3),
    highlighted=st.sets(st.tuples(st.integers(1, 14), st.integers(1, 9)), max_size=3),
    prefix=st.sampled_from(["", "x:"]),
    window=st.sampled_from([1, 2, 3, 256]),
)
def test_appended_cells_are_the_cell_by_cell_bytes(
    layout: dict[int, tuple[dict[int, int | None], str]],
    first_column: int,
    formats: list[str | None],
    column_values: list[CellValue],
    column_styles: dict[int, int],
    highlighted: set[tuple[int, int]],
    prefix: str,
    window: int,
) -> None:
    edits = SheetEdits("Sheet1")
    for at, number_format in enumerate(formats):
        shifted = tuple(column_values[at:] + column_values[:at])
        column = ColumnWrite(first_column + at, f"k{at}", "H", 1, 2, shifted, number_format)
        edits.columns.append(column)
    edits.highlights = [("error", frozenset(highlighted))]
    rows = sheet_rows_of(layout, prefix)
    joined, styles_joined, count = edited(rows, edits, column_styles, prefix, window=window)
    single, styles_single, none = edited(rows, edits, column_styles, prefix, appending=False)
    assert joined == single
    assert styles_joined == styles_single
    assert none == 0
    event(f"rows made in one join: {min(count, 3)}+")


def test_plain_rows_take_the_one_join_path() -> None:
    layout = {n: ({1: None, 2: 0}, "plain") for n in range(1, 6)}
    edits = SheetEdits("Sheet1")
    edits.columns.append(ColumnWrite(4, "tier", "Tier", 1, 2, ("高", None, "高", 3), None))
    rows = sheet_rows_of(layout, "")
    found, _, joined = edited(rows, edits, {}, "")
    assert joined == 4  # rows 2-5; row 1 holds the header
    assert found[1] is not None and found[1][1] == 1
    assert found[1][0].endswith(
        b'<c r="D2" t="inlineStr"><is><t xml:space="preserve">\xe9\xab\x98</t></is></c></row>'
    )
    assert found[2] == (rows[2], 0)  # None in a new column: no cell, row as it was


def reference_row(
    values: tuple[CellValue, ...], number: int, width: int, fill: str | None, styles: StyleBook
) -> tuple[bytes, int]:
    """A data row of our sheet made cell by cell, as before the one-join path."""
    cells, written = [], 0
    for column in range(1, width + 1):
        value = values[column - 1] if column <= len(values) else None
        encoded = encode(value, date1904=False)
        style = styles.with_numfmt(0, encoded.numfmt) if encoded and encoded.numfmt else 0
        style = styles.with_fill(style, fill) if fill else style
        if encoded is not None or style:
            cells.append(cell_bytes(cell_ref(number, column), style, encoded))
            written += encoded is not None
    return b'<row r="%d">' % number + b"".join(cells) + b"</row>", written


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.lists(values, max_size=5), st.sampled_from([None, None, "overdue", "error"])),
        max_size=12,
    )
)
def test_own_sheet_rows_are_the_cell_by_cell_bytes(
    rows: list[tuple[list[CellValue], str | None]],
) -> None:
    width = max([3, *(len(v) for v, _ in rows)])
    joined_styles, single_styles = book(), book()
    made = _OwnCells(width, joined_styles, "Follow-ups", False)
    for index, (row_values, fill) in enumerate(rows):
        number = index + 2
        expected = reference_row(tuple(row_values), number, width, fill, single_styles)
        assert made.row(tuple(row_values), number, fill) == expected
    assert joined_styles.to_bytes() == single_styles.to_bytes()


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(
            [(1, "a"), (1.0, "b"), (True, "a"), (0, "c"), (-0.0, "d"), (0, "e")], id="ints"
        ),
        pytest.param([(1.0, "x"), (1, "x"), (False, "x"), (0, "x")], id="floats first"),
        pytest.param([("100%", 1), ("50% off", 2), ("100%", 3), ("%d", 4)], id="percent"),
        pytest.param(
            [(date(2024, 1, 1),), (datetime(2024, 1, 1),), (date(2024, 1, 1),)], id="dates"
        ),
        pytest.param([("a", None), ("b",), ("c", None, "d")], id="short rows"),
    ],
)
@pytest.mark.parametrize("fills", [(None,), ("overdue",), (None, "overdue", "error")])
def test_own_sheet_rows_made_again_are_the_cell_by_cell_bytes(
    rows: list[tuple[CellValue, ...]], fills: tuple[str | None, ...]
) -> None:
    width = max(len(values) for values in rows)
    joined_styles, single_styles = book(), book()
    made = _OwnCells(width, joined_styles, "Follow-ups", False)
    for index, values in enumerate(rows * 3):
        number, fill = index + 2, fills[index % len(fills)]
        expected = reference_row(values, number, width, fill, single_styles)
        assert made.row(values, number, fill) == expected
    assert joined_styles.to_bytes() == single_styles.to_bytes()


@pytest.mark.parametrize("style", ["error", "review"])
def test_a_sheet_with_nothing_to_change_is_copied_as_it_was(tmp_path: Path, style: str) -> None:
    source = build_customers(tmp_path / "in.xlsx")
    plan = Plan(
        (
            SetColumn("Customers", "tier", "Tier", 1, 2, ("A",) * 20),
            Highlight("Orders", style, ()),
        )
    )
    out = tmp_path / "out.xlsx"
    stats = apply(source, out, plan)
    assert stats.sheets_written == ("Customers", "Orders")
    orders = "xl/worksheets/sheet2.xml"
    assert orders not in stats.parts_changed
    assert_untouched(source, out, set(stats.parts_changed))
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(out) as after:
        old, new = before.getinfo(orders), after.getinfo(orders)
        assert (old.CRC, old.compress_size) == (new.CRC, new.compress_size)


@pytest.mark.parametrize("appending", [True, False])
def test_a_repeated_value_inside_an_array_formula_is_refused(appending: bool) -> None:
    layout = {n: ({1: None, 2: 0}, "array" if n == 4 else "plain") for n in range(1, 6)}
    edits = SheetEdits("Sheet1")
    edits.columns.append(ColumnWrite(4, "tier", "Tier", 1, 2, ("A",) * 4, None))
    found, _, _ = edited(sheet_rows_of(layout, ""), edits, {}, "", appending=appending)
    assert len(found) == 4 and "Sheet1!D4 is part of an array formula" in str(found[-1])


def test_a_highlight_left_by_an_earlier_run_is_still_taken_off(tmp_path: Path) -> None:
    source = build_customers(tmp_path / "in.xlsx")
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    apply(source, first, Plan((Highlight("Orders", "error", ((2, 1),)),)))
    assert cell_fill(first, "Orders", "A2") is not None
    stats = apply(first, second, Plan((Highlight("Orders", "error", ()),)))
    assert "xl/worksheets/sheet2.xml" in stats.parts_changed
    assert cell_fill(second, "Orders", "A2") is None


@given(
    spans=st.lists(st.tuples(st.integers(1, 30), st.integers(0, 12)), max_size=4),
    named=st.sets(st.integers(1, 40), max_size=6),
    highlighted=st.sets(st.integers(1, 40), max_size=4),
)
def test_explicit_rows_are_every_named_row_once_in_order(
    spans: list[tuple[int, int]], named: set[int], highlighted: set[int]
) -> None:
    edits = SheetEdits("Sheet1")
    for at, (first, length) in enumerate(spans):
        header = max(first - 1, 1)
        edits.columns.append(ColumnWrite(at + 1, f"k{at}", "H", header, first, (1,) * length, None))
    edits.cells = {row: {1: "x"} for row in named}
    edits.highlights = [("error", frozenset((row, 2) for row in highlighted))]
    expected = set(named) | highlighted | {c.header_row for c in edits.columns}
    for column in edits.columns:
        expected.update(range(column.first_row, column.first_row + len(column.values)))
    assert list(edits.explicit_rows()) == sorted(expected)


# Columns long enough for several windows: each shape reaches one way of making a window's cells.
LONG_COLUMNS: dict[str, tuple[CellValue, ...]] = {
    "distinct texts": tuple(f"reason {n} 100%" for n in range(700)),
    "ints then bools": (*range(300), *[True, 1, False, 0] * 100),
    "ints then floats": (*[1, 2, 3] * 100, *[1.0, -0.0, 0, 2.5] * 100),
    "empty and dates": tuple(None if n % 3 else date(2024, 1, 1 + n % 28) for n in range(700)),
    "texts past the limit": tuple(f"t{n}" for n in range(650)),
}


@pytest.mark.parametrize("shape", sorted(LONG_COLUMNS))
@pytest.mark.parametrize("window", [1, 7, 256])
@pytest.mark.parametrize("styled", [False, True])
def test_windows_of_rows_make_the_cell_by_cell_bytes(
    shape: str, window: int, styled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shape == "texts past the limit":  # the cache fills up: later texts are made anew
        monkeypatch.setattr("toolkit.backends.ooxml.row_append.REUSED_LIMIT", 50)
    layout = {n: ({1: None, 2: 0}, "plain") for n in range(1, 720)}
    edits = SheetEdits("Sheet1")
    values = LONG_COLUMNS[shape]
    # the header on row 3: rows 1-2 above it take the path too, before the column's values
    edits.columns.append(ColumnWrite(4, "k", "H", 3, 4, values, None))
    edits.columns.append(ColumnWrite(5, "n", "N", 3, 4, values[::-1], "0.0"))
    column_styles = {4: 2, 5: 1} if styled else {}
    rows = sheet_rows_of(layout, "")
    joined, styles_joined, count = edited(rows, edits, column_styles, "", window=window)
    single, styles_single, _ = edited(rows, edits, column_styles, "", appending=False)
    assert joined == single
    assert styles_joined == styles_single
    assert count == len(rows) - 1  # every row but the header's
