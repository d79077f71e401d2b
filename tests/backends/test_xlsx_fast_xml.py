"""The fast reader's XML scans find what their plain definitions find, with fewer passes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.backends.xlsx_fast_xml import NotFast, _text_hits, check_shape

# The definitions the scans were first written as (an alternation each, numbers parsed).
TEXT_DEFINITIONS = (
    re.compile(rb"<t>[ \t\r\n]|<t>[^<]*[ \t\r\n]</t>|<t(?: [^>]*)?(?:/>|></t>)"),
    re.compile(rb"_x[0-9A-Fa-f]{4}_"),
    re.compile(rb"&#(?:x0*(?:20|9|[aAdD])|0*(?:32|9|10|13));"),
)
REFERENCE = re.compile(rb'<(?:c r="[A-Z]{1,3}|row r=")(\d+)"')


def shape_by_definition(xml: bytes) -> bool:
    """True when check_shape must refuse: no coordinates, cells outside rows, or a reference
    past the last row element's number."""
    if b"<sheetData" not in xml:
        return b"sheetData" in xml
    if re.search(rb'<(?:c|row)(?! r=")[ >/]', xml):
        return True
    if re.search(rb"(?:<sheetData>|</row>)\s*<c\b", xml):
        return True
    last = re.findall(rb'<row r="(\d+)"', xml)
    limit = int(last[-1]) if last else 0
    return any(int(number) > limit for number in REFERENCE.findall(xml))


def refused(xml: bytes) -> bool:
    try:
        check_shape(xml)
    except NotFast:
        return True
    return False


TEXT_ATOMS = [b"<t>", b"</t>", b" ", b"\t", b"\n", b"a", b"<", b"<t/>", b"<t >", b"></t>",
              b'<t xml:space="preserve">', b"&#32;", b"&#x20;", b"&#0013;", b"&#23458;",
              b"&#10;", b"_x000D_", b"_x00", b"<si>", b"</si>"]  # fmt: skip
SHEET_ATOMS = [b'<row r="1"', b'<row r="9"', b'<row r="12"', b'<row r="99"', b'<row r="100"',
               b'<c r="A1"', b'<c r="B9"', b'<c r="AB12"', b'<c r="C13"', b'<c r="XFD100"',
               b'<c r="A101"', b">", b"/>", b"</row>", b"</c>", b"<c>", b"<row>", b"<c/>", b" ",
               b'<c s="1" r="A1">', b"<v>1</v>", b"<col/>", b"\n"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(TEXT_ATOMS), max_size=14))
def test_text_hits_are_where_the_definition_matches(atoms: list[bytes]) -> None:
    xml = b"".join(atoms)
    expected = {hit.start() for pattern in TEXT_DEFINITIONS for hit in pattern.finditer(xml)}
    assert set(_text_hits(xml)) == expected


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(SHEET_ATOMS), max_size=16))
def test_check_shape_refuses_what_the_definition_refuses(atoms: list[bytes]) -> None:
    xml = b"<sheetData>" + b"".join(atoms)
    assert refused(xml) == shape_by_definition(xml)


@pytest.mark.parametrize(
    ("rows", "refuse"),
    [
        ('<row r="1"><c r="A1"/></row><row r="120"><c r="B120"/></row>', False),
        ('<row r="120"><c r="B121"/></row>', True),
        ('<row r="120"><c r="B119"/></row><row r="121"/>', False),
        ('<row r="120"><c r="XFD1000"/></row>', True),
        ('<row r="60005"><c r="A99999999"><v>1</v></c></row>', True),
        ('<row r="9"><c r="A10"/></row>', True),
        ('<row r="1048576"><c r="A1048576"/></row>', False),
        ('<row r="999"><c r="A0999"/></row>', True),  # four digits: past three, as before
        ('<row r="1"><c><v>1</v></c></row>', True),
        ('<row r="1"><c s="1" r="A1"/></row>', True),
        ('<row r="1"/></row><c r="A1"/>', True),
        ("", False),
    ],
)
def test_check_shape(rows: str, refuse: bool) -> None:
    xml = f"<worksheet><sheetData>{rows}</sheetData></worksheet>".encode()
    assert refused(xml) is refuse
