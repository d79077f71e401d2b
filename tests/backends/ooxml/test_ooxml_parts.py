"""The writer's building blocks: sheet splitting, value encoding, styles, zip copies, odd XML."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from toolkit.backends.ooxml.package import PackageWriter
from toolkit.backends.ooxml.sheet_stream import split_sheet
from toolkit.backends.ooxml.state import read_state
from toolkit.backends.ooxml.styles import StyleBook, XfRecipe
from toolkit.backends.ooxml.values import Encoded, encode
from toolkit.backends.ooxml.workbook_parts import sanitize_sheet_name
from toolkit.plan import CellWrite, Highlight, Plan, SetCells, SetColumn

from .testkit import apply, cell_fill, rewrite_part

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PREFIXED = (
    f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1:B2"/>'
    '<x:sheetData>\n  <x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Name</x:t></x:is></x:c>'
    '</x:row>\n  <!-- a comment --><x:row r="2" spans="1:2"/>\n<x:row r="3"><x:c r="A3">'
    "<x:v>5</x:v></x:c></x:row></x:sheetData><x:pageMargins/></x:worksheet>"
).encode()


def chunked(data: bytes, size: int):  # type: ignore[no-untyped-def]
    return iter([data[i : i + size] for i in range(0, len(data), size)])


@pytest.mark.parametrize("size", [1, 7, 64, 1 << 20])
def test_split_sheet_is_lossless_at_any_chunk_size(size: int) -> None:
    pieces = list(split_sheet(chunked(PREFIXED, size), "sheet"))
    assert b"".join(data for _, data in pieces) == PREFIXED
    kinds = [kind for kind, _ in pieces]
    assert kinds == ["prefix", "other", "row", "other", "other", "row", "other", "row", "suffix"]
    assert pieces[0][1].endswith(b"<x:sheetData>")


def test_an_empty_sheet_data_opens_up() -> None:
    data = f'<worksheet xmlns="{MAIN}"><sheetData/><pageMargins/></worksheet>'.encode()
    pieces = list(split_sheet(iter([data]), "sheet"))
    assert pieces == [
        ("prefix", f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()),
        ("suffix", b"</sheetData><pageMargins/></worksheet>"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, Encoded("b", "1")),
        (7, Encoded(None, "7")),
        (0.1, Encoded(None, "0.1")),
        ("=A1", Encoded("inlineStr", "=A1")),
        ("a\x01b\rc", Encoded("inlineStr", "a_x0001_b_x000D_c")),
        ("_x0041_", Encoded("inlineStr", "_x005F_x0041_")),
        (date(1900, 3, 1), Encoded(None, "61", 14)),
        (datetime(2024, 3, 5, 12), Encoded(None, "45356.5", 22)),
        (time(6), Encoded(None, "0.25", 21)),
        (None, None),
    ],
)
def test_encode(value: object, expected: Encoded | None) -> None:
    assert encode(value, date1904=False) == expected  # type: ignore[arg-type]


def test_dates_follow_the_1904_system() -> None:
    assert encode(date(1904, 1, 2), date1904=True) == Encoded(None, "1", 14)


def test_styles_append_without_renumbering() -> None:
    book = StyleBook(None, "xl/styles.xml", {})
    before = [dict(xf.attrib) for xf in book._xfs()]
    first = book.derive(XfRecipe(0, fill="error"))
    again = book.with_fill(0, "error")
    dated = book.with_numfmt(first, 14)
    assert (first, again, dated) == (1, 1, 2)
    assert [dict(xf.attrib) for xf in book._xfs()][: len(before)] == before
    assert book.peel(first) == (0, "error") and book.peel(dated) == (dated, None)
    reread = StyleBook(book.to_bytes(), "xl/styles.xml", book.recipes())
    assert reread.recipes() == book.recipes()


def test_a_recipe_that_no_longer_matches_is_not_trusted() -> None:
    book = StyleBook(None, "xl/styles.xml", {})
    index = book.derive(XfRecipe(0, fill="error"))
    data = book.to_bytes().replace(b'fillId="2"', b'fillId="1"')
    assert StyleBook(data, "xl/styles.xml", {index: XfRecipe(0, fill="error")}).recipes() == {}


def test_copied_entries_keep_their_compression(tmp_path: Path) -> None:
    source, target = tmp_path / "a.zip", tmp_path / "b.zip"
    with zipfile.ZipFile(source, "w") as package:
        package.writestr("stored.png", b"\x89PNG" * 100, zipfile.ZIP_STORED)
        package.writestr("deflated.xml", b"<a/>" * 100, zipfile.ZIP_DEFLATED)
    writer = PackageWriter(target)
    with zipfile.ZipFile(source) as package:
        for info in package.infolist():
            writer.copy(package, info)
    writer.close()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target) as new:
        assert new.testzip() is None
        for info in old.infolist():
            copied = new.getinfo(info.filename)
            assert (copied.compress_type, copied.CRC, copied.compress_size) == (
                info.compress_type,
                info.CRC,
                info.compress_size,
            )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Q1/Q2: [draft]?", "Q1_Q2_ _draft__"),
        ("'quoted'", "quoted"),
        ("", "Sheet"),
        ("x" * 40, "x" * 31),
    ],
)
def test_sheet_names_are_sanitized(title: str, expected: str) -> None:
    assert sanitize_sheet_name(title) == expected


def odd_book(path: Path, sheet_xml: str) -> Path:
    """A workbook whose first sheet part is replaced by hand-written XML."""
    book = openpyxl.Workbook()
    book.active.title = "Customers"
    book.active["A1"] = "placeholder"
    book.save(path)
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda _: sheet_xml)
    return path


POSITIONAL = (
    f'<worksheet xmlns="{MAIN}"><sheetData><row><c t="inlineStr"><is><t>Name</t></is></c>'
    '<c t="inlineStr"><is><t>Phone</t></is></c></row><row><c t="inlineStr"><is><t>Li</t></is>'
    "</c><c><v>138</v></c></row><row><c/><c><v>139</v></c></row></sheetData></worksheet>"
)
PREFIXED_BOOK = (
    f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is>'
    '<x:t>Name</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Phone</x:t></x:is></x:c>'
    '</x:row><x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>Li</x:t></x:is></x:c><x:c r="B2">'
    '<x:v>138</x:v></x:c></x:row><x:row r="3"><x:c r="B3"><x:v>139</x:v></x:c></x:row>'
    "</x:sheetData></x:worksheet>"
)


@pytest.mark.parametrize("sheet_xml", [POSITIONAL, PREFIXED_BOOK], ids=["no-refs", "x-prefix"])
def test_unusual_sheet_xml(tmp_path: Path, sheet_xml: str) -> None:
    source, out = odd_book(tmp_path / "in.xlsx", sheet_xml), tmp_path / "out.xlsx"
    plan = Plan(
        (
            SetColumn("Customers", "issues", "Issues", 1, 2, ("bad phone", "=x", "new row")),
            SetCells("Customers", (CellWrite(3, 1, "Wang"),), "fix"),
            Highlight("Customers", "duplicate", ((3, 2),)),
        )
    )
    apply(source, out, plan)
    sheet = openpyxl.load_workbook(out)["Customers"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Name", "Phone", "Issues"],
        ["Li", 138, "bad phone"],
        ["Wang", 139, "=x"],
        [None, None, "new row"],
    ]
    assert cell_fill(out, "Customers", "B3") == "FFDDEBF7"


def test_state_written_by_excel_as_shared_strings_is_read() -> None:
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>xf:5</t></is></c><c r="B3" t="s"><v>3</v>'
        "</c></row></sheetData></worksheet>"
    ).encode()
    strings = (
        f'<sst xmlns="{MAIN}"><si><t>custkit</t></si><si><t>sheet:validation</t></si>'
        "<si><r><t>Valid</t></r><r><t>ation</t></r><rPh><t>x</t></rPh></si>"
        "<si><t>orig=0;fill=error</t></si></sst>"
    ).encode()
    state = read_state(sheet, "xl/worksheets/sheet9.xml", strings)
    assert state.values == {"sheet:validation": "Validation", "xf:5": "orig=0;fill=error"}
    assert state.recipes() == {5: XfRecipe(0, fill="error")}
