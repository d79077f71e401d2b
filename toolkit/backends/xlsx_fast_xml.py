"""What python-calamine reads otherwise than openpyxl, found in the package's XML.

The fast reader (toolkit.backends.xlsx_fast) trusts calamine's grid only where it agrees with
openpyxl. This module finds, with literal-led byte patterns over the sheet and shared-string
XML (no XML parse of the whole part), every cell where it may not, and reads those cells alone
with openpyxl's own cell parser (`WorkSheetParser.parse_cell`), so their values are openpyxl's
by construction. `NotFast` says a sheet (or the workbook) must be read by openpyxl instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from toolkit.table import CellValue

MAX_STRING_FIXES = 200  # shared strings read by openpyxl's rules; beyond, the whole book is
_MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# Cells whose calamine value may differ from openpyxl's; each hit is read from the XML.
_NUMBER_HAZARD = re.compile(
    rb"<v>(?:-[^<]*|[^<]*[Ee][^<]*|\d+\.0*|\d{7,}(?:\.\d*)?|[\d.]{17,})</v>"
)
_TYPE_HAZARD = re.compile(rb' t="(?:e|d)"')
# Texts calamine reads otherwise: trimmed when not xml:space="preserve", empty, escaped
# (_x000D_), spaces written as character references. One literal-led pattern each: fast scans.
# A text ending in a space is found from its "</t>" (rare) back to its "<t>" (in every text).
_TEXT_HAZARDS = (
    re.compile(rb"<t(?:>[ \t\r\n]|(?: [^>]*)?(?:/>|></t>))"),
    re.compile(rb"</t>(?<=[ \t\r\n]</t>)"),
    re.compile(rb"_x[0-9A-Fa-f]{4}_"),
    re.compile(rb"&#(?:x0*(?:20|9|[aAdD])|0*(?:32|9|10|13));"),
)
_TEXT_LITERALS = (b"<t", b"</t>", b"_x", b"&#")
_PREFIXED_ATTRIBUTE = re.compile(rb'\s[\w.-]+:[\w.-]+="[^"]*"')
_WIDE_COLUMN = re.compile(rb'<c r="([A-Z]{2,3})\d')
_LAST_ROW = re.compile(rb'<row r="(\d+)"')
_CELL_OUTSIDE_ROW = re.compile(rb"<sheetData>\s*<c\b")
_CELL_AFTER_ROW = re.compile(rb"</row>\s*<c\b")


class NotFast(Exception):
    """This sheet (or workbook) must be read by openpyxl: calamine cannot be matched here."""


@dataclass(frozen=True)
class BookFacts:
    """What the package says beyond calamine's grid, read with openpyxl's own parsers."""

    epoch: datetime
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]
    unsure_styles: frozenset[int]  # styles to read from the XML (date-ness differs, durations)
    string_fixes: Mapping[int, str]  # shared-string index -> openpyxl's text
    sheets: tuple[tuple[str, str, bool], ...]  # (name, part, hidden) as openpyxl lists them


def string_fixes(strings: bytes) -> dict[int, str]:
    """Shared strings calamine reads otherwise (trimmed, unescaped, empty): openpyxl's text.

    >>> string_fixes(b'<sst><si><t>ok</t></si><si><t> a </t></si><si><t/></si></sst>')
    {1: ' a ', 2: ''}
    """
    from openpyxl.cell.text import Text

    fixes: dict[int, str] = {}
    counted, index = 0, -1  # strings before `counted`, counted once: hits come in order
    for hit in _text_hits(strings):
        start = strings.rfind(b"<si", 0, hit)
        if start < counted:
            continue
        index += strings.count(b"<si>", counted, start + 4)
        index += strings.count(b"<si ", counted, start + 4)
        counted = start + 4
        end = strings.find(b"</si>", start)
        node = _element(strings[start : end + 5] if end > 0 else strings[start:], b"si")
        fixes[index] = Text.from_tree(node).content.replace("x005F_", "")
        if len(fixes) > MAX_STRING_FIXES:
            raise NotFast("too many shared strings calamine reads otherwise")
    return fixes


def _text_hits(xml: bytes) -> list[int]:
    """Offsets of texts calamine may read otherwise (see _TEXT_HAZARDS), in order.

    >>> _text_hits(b"<si><t>a</t></si><si><t>b </t></si><si><t/></si>")
    [21, 39]
    """
    hits = []
    for literal, pattern in zip(_TEXT_LITERALS, _TEXT_HAZARDS, strict=True):
        if literal not in xml:
            continue
        if literal == b"</t>":  # "<t>" with no markup up to the space before "</t>"
            starts = (xml.rfind(b"<", 0, hit.start()) for hit in pattern.finditer(xml))
            hits += [start for start in starts if xml.startswith(b"<t>", start)]
        else:
            hits += [hit.start() for hit in pattern.finditer(xml)]
    return sorted(hits)


def unsure_styles(
    styles: bytes, dates: frozenset[int], durations: frozenset[int]
) -> frozenset[int]:
    """Styles whose cells calamine may read otherwise: a probe cell of each, read by both.

    Example: a style of numFmtId 31 (yyyy"年"m"月"d"日", built in for East Asian Excel) is a
    date to calamine and a number to openpyxl, so its cells are read from the XML; styles
    openpyxl reads as durations are always among them (the two round milliseconds otherwise).
    """
    import python_calamine

    count = len(re.findall(rb"<xf\b", styles.split(b"<cellXfs", 1)[-1].split(b"</cellXfs>")[0]))
    probe = _probe_package(styles, count)
    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(probe))
    seen = rows.get_sheet_by_name("probe").to_python(skip_empty_area=False)
    unsure = set(durations)
    for index in range(count):
        value = seen[index][0] if index < len(seen) and seen[index] else None
        calamine_date = isinstance(value, date) or type(value).__name__ in ("time", "timedelta")
        if calamine_date != (index in dates):
            unsure.add(index)
    return frozenset(unsure)


def _probe_package(styles: bytes, count: int) -> bytes:
    cells = b"".join(b'<row r="%d"><c r="A%d" s="%d"><v>1.5</v></c></row>' % (i + 1, i + 1, i)
                     for i in range(count))  # fmt: skip
    parts = {
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        b"</Types>",
        "_rels/.rels": _rels(b"officeDocument", b"xl/workbook.xml"),
        "xl/workbook.xml": b'<workbook xmlns="%s" xmlns:r="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships"><sheets><sheet name="probe" sheetId="1" r:id="rId1"'
        b"/></sheets></workbook>" % _MAIN_NS,
        "xl/_rels/workbook.xml.rels": _rels(b"worksheet", b"worksheets/probe.xml", b"styles"),
        "xl/styles.xml": styles,
        "xl/worksheets/probe.xml": b'<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>'
        % (_MAIN_NS, cells),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _rels(kind: bytes, target: bytes, styles: bytes = b"") -> bytes:
    base = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    links = b'<Relationship Id="rId1" Type="%s%s" Target="%s"/>' % (base, kind, target)
    if styles:
        links += b'<Relationship Id="rId2" Type="%sstyles" Target="styles.xml"/>' % base
    return (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + links
        + b"</Relationships>"
    )


def check_shape(xml: bytes) -> None:
    """Raise NotFast where the patterns cannot follow the sheet XML.

    >>> check_shape(b'<sheetData><row r="1"><c><v>1</v></c></row></sheetData>')
    Traceback (most recent call last):
    toolkit.backends.xlsx_fast_xml.NotFast: cells or rows without coordinates
    """
    if b"<sheetData" not in xml:
        if b"sheetData" in xml:
            raise NotFast("prefixed sheet XML")
        return
    if _CELL_OUTSIDE_ROW.search(xml) or _CELL_AFTER_ROW.search(xml):
        raise NotFast("cells outside rows")
    last = xml.rfind(b'<row r="')
    found = _LAST_ROW.match(xml, last) if last >= 0 else None
    for pattern in _beyond_or_unplaced(found.group(1) if found else b"0"):
        if hit := pattern.search(xml):
            past = b'r="' in hit.group()
            raise NotFast(
                "a row or cell past the last row" if past else "cells or rows without coordinates"
            )


def _beyond_or_unplaced(last_row: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """Patterns of the cells and of the rows with no coordinates or past `last_row`.

    calamine sizes its grid by the furthest reference, and the cell budget is charged by the
    last row element: a stray `<c r="A99999999">` inside row 60005 (found by fuzzing) made
    calamine allocate hundreds of GiB. A reference is past the last row when it has more
    digits, or as many and is greater digit by digit: one literal-led pass over the cells and
    one over the rows, no number parsed.

    >>> cells, rows = _beyond_or_unplaced(b"120")
    >>> [bool(cells.search(c)) for c in (b'<c r="B120"/>', b'<c r="B121"/>', b'<c r="A1000"/>')]
    [False, True, True]
    """
    digits = len(last_row)  # the look-ahead passes over most references at once
    beyond = b'(?=\\d{%d})(?:\\d{%d}|%s")' % (digits, digits + 1, _greater(last_row))
    return (
        re.compile(rb'<c(?:(?! r=")[ >/]| r="[A-Z]{1,3}' + beyond + b")"),
        re.compile(rb'<row(?:(?! r=")[ >/]| r="' + beyond + b")"),
    )


def _greater(number: bytes) -> bytes:
    """A pattern of the numbers as long as `number` and greater, factored digit by digit so
    that each digit of a reference is looked at once.

    >>> _greater(b"120")
    b'(?:[2-9]\\\\d\\\\d|1(?:[3-9]\\\\d|2(?:[1-9])))'
    """
    if not number:
        return b"(?!)"
    first, rest = number[0], number[1:]
    higher = b"[%c-9]" % (first + 1) + b"\\d" * len(rest) if first < ord("9") else b""
    same = b"%c%s" % (first, _greater(rest)) if rest else b""
    return (
        b"(?:" + b"|".join(part for part in (higher, same) if part) + b")"
        if higher or same
        else b"(?!)"
    )


def sheet_extent(xml: bytes, *, enough: int) -> tuple[int, int]:
    """(last row, last column) that the sheet's cells reach, as calamine fills them in.

    Only cells past column Z are collected; when there are none, 26 columns is the answer if
    rows x 26 is within `enough`, else the last single-letter column is searched for.

    >>> sheet_extent(b'<sheetData><row r="3"><c r="B3"><v>1</v></c></row></sheetData>', enough=99)
    (3, 26)
    """
    last = xml.rfind(b'<row r="')
    found = _LAST_ROW.match(xml, last) if last >= 0 else None
    rows = int(found.group(1)) if found else 0
    wide = set(_WIDE_COLUMN.findall(xml))
    if wide:
        return rows, max(_column_number(letters) for letters in wide)
    if rows * 26 <= enough:
        return rows, 26
    low, high = 0, 26  # the last single letter: halve the alphabet while a cell sits there
    while low < high:
        middle = (low + high + 1) // 2
        pattern = rb'<c r="[%c-Z]\d' % (64 + middle)
        if re.search(pattern, xml):
            low = middle
        else:
            high = middle - 1
    return rows, low


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def cell_fixes(xml: bytes, book: BookFacts) -> dict[tuple[int, int], CellValue]:
    """(row, column) -> openpyxl's value for every cell calamine may read otherwise.

    Example: `<c r="B2"><v>5.0</v></c>` gives {(2, 2): 5.0} (calamine cannot tell it from 5).
    """
    patterns = [_NUMBER_HAZARD, _TYPE_HAZARD]
    if book.string_fixes:
        indices = b"|".join(b"%d" % i for i in sorted(book.string_fixes))
        patterns.append(re.compile(rb"<v>(?:" + indices + rb")</v>"))
    if book.unsure_styles:
        styles = b"|".join(b"%d" % i for i in sorted(book.unsure_styles))
        patterns.append(re.compile(rb' s="(?:' + styles + rb')"'))
    hits = [hit.start() for p in patterns for hit in p.finditer(xml)]
    starts = sorted(set(_cell_starts(xml, [*hits, *_text_hits(xml)])))
    parser = _cell_parser(book)
    fixes: dict[tuple[int, int], CellValue] = {}
    for start in starts:
        cell = _cell_xml(xml, start)
        try:
            parsed = parser.parse_cell(_element(cell, b"c"))
        except _KeepCalamine:
            continue
        except Exception as error:  # XML a cell alone cannot be read from
            raise NotFast(str(error)) from error
        fixes[(parsed["row"], parsed["column"])] = parsed["value"]
    return fixes


def _cell_starts(xml: bytes, hits: Iterable[int]) -> Iterable[int]:
    """Offsets of the <c> elements that hold the hits (hits outside any cell are skipped)."""
    for hit in hits:
        start = xml.rfind(b"<c ", 0, hit + 1)
        if start < 0:
            continue
        close = xml.find(b">", start)
        end = close + 1 if xml[close - 1 : close] == b"/" else xml.find(b"</c>", close) + 4
        if hit < end:
            yield start


def _cell_xml(xml: bytes, start: int) -> bytes:
    close = xml.find(b">", start)
    if xml[close - 1 : close] == b"/":
        return xml[start : close + 1]
    return xml[start : xml.find(b"</c>", close) + 4]


class _KeepCalamine(Exception):
    """A shared string calamine reads right: keep its value."""


class _FixedStrings:
    """Shared strings as openpyxl's cell parser indexes them; only the fixed ones are known."""

    def __init__(self, fixes: Mapping[int, str]) -> None:
        self.fixes = fixes

    def __getitem__(self, index: int) -> str:
        if index not in self.fixes:
            raise _KeepCalamine
        return self.fixes[index]


def _cell_parser(book: BookFacts) -> Any:
    from openpyxl.worksheet._reader import WorkSheetParser

    return WorkSheetParser(
        None, _FixedStrings(book.string_fixes), data_only=True, epoch=book.epoch,
        date_formats=book.date_styles, timedelta_formats=book.timedelta_styles,
    )  # fmt: skip


def _element(snippet: bytes, tag: bytes) -> Any:
    """One element cut out of a part, with the main namespace and no prefixed attributes."""
    from lxml import etree

    head, _, rest = snippet.partition(b">")
    head = _PREFIXED_ATTRIBUTE.sub(b"", head)
    opening = b'<%s xmlns="%s"' % (tag, _MAIN_NS) + head[len(tag) + 1 :]
    return etree.fromstring(opening + b">" + rest)
