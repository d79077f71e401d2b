"""Values-only reading of big .xlsx files with python-calamine, cell for cell as openpyxl reads.

`read_values_fast` gives the cells `toolkit.backends.xlsx.read_values` (openpyxl, read-only,
cached formula results) gives, several times faster on big sheets. calamine and openpyxl differ
on purpose-free details, so calamine's grid is only trusted where both agree; everything else is
found in the sheet's XML and read with openpyxl's own code:

- calamine gives "" for an empty cell: made None (openpyxl's empty) - real empty strings, and
  shared strings calamine trims (no xml:space="preserve"), unescapes (_x000D_) or drops, are
  found by pattern and read by openpyxl's rules;
- calamine gives every number as a float: whole numbers become int, as openpyxl makes every
  number written without "." or "E"; texts that are whole but written "5.0", "1E3" or with
  more than 15 digits, negative numbers and numbers of 1,000,000 or more (dates out of range)
  are read from the XML;
- errors (#N/A), ISO date cells (t="d") and cells of a style whose date-ness calamine and
  openpyxl judge differently (found by a probe: calamine reads one cell of every style) are read
  from the XML too;
- dates: calamine's date becomes openpyxl's midnight datetime (same 1900/1904 serial maths).

A sheet whose XML does not fit these patterns (cells or rows without coordinates, prefixed
XML, too many cells for calamine's dense grid) is read by openpyxl instead: the fast path may be
slower, never different. Rows end at their last non-empty cell and the sheet at its last
non-empty row; openpyxl may add trailing None cells and empty rows, which no reader of a
`RawSheet` tells apart from absent ones (`same_cells` compares that way).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from toolkit.backends.xlsx_guard import LIMITS, ReadLimits, check_sheet_dimension
from toolkit.errors import ConfigError, ConfigProblem, WorkbookError, WorkbookTooLargeError
from toolkit.table import CellValue, RawSheet, RawWorkbook

READER_VARIABLE = "CUSTKIT_READER"  # openpyxl | calamine | auto (the default)
FAST_READER_MIN_BYTES = 1 << 20  # packed size from which calamine reads (about 5,000 rows)
MAX_STRING_FIXES = 200  # shared strings read by openpyxl's rules; beyond, the whole book is
_MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# Cells whose calamine value may differ from openpyxl's; each hit is read from the XML.
_NUMBER_HAZARD = re.compile(
    rb"<v>(?:-[^<]*|[^<]*[Ee][^<]*|\d+\.0*|\d{7,}(?:\.\d*)?|[\d.]{17,})</v>"
)
_TYPE_HAZARD = re.compile(rb' t="(?:e|d)"')
# Texts calamine reads otherwise: trimmed when not xml:space="preserve", empty, escaped
# (_x000D_), spaces written as character references. One literal-led pattern each: fast scans.
_TEXT_HAZARDS = (
    re.compile(rb"<t>[ \t\r\n]|<t>[^<]*[ \t\r\n]</t>|<t(?: [^>]*)?(?:/>|></t>)"),
    re.compile(rb"_x[0-9A-Fa-f]{4}_"),
    re.compile(rb"&#(?:x0*(?:20|9|[aAdD])|0*(?:32|9|10|13));"),
)
_NO_COORDINATES = re.compile(rb'<(?:c|row)(?! r=")[ >/]')
_PREFIXED_ATTRIBUTE = re.compile(rb'\s[\w.-]+:[\w.-]+="[^"]*"')
_WIDE_COLUMN = re.compile(rb'<c r="([A-Z]{2,3})\d')
_LAST_ROW = re.compile(rb'<row r="(\d+)"')


class NotFast(Exception):
    """This sheet (or workbook) must be read by openpyxl: calamine cannot be matched here."""


@dataclass(frozen=True)
class _Book:
    """What the package says beyond calamine's grid, read with openpyxl's own parsers."""

    epoch: datetime
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]
    unsure_styles: frozenset[int]  # styles to read from the XML (date-ness differs, durations)
    string_fixes: Mapping[int, str]  # shared-string index -> openpyxl's text
    sheets: tuple[tuple[str, str, bool], ...]  # (name, part, hidden) as openpyxl lists them


def chosen_reader(path: Path) -> Literal["openpyxl", "calamine"]:
    """The reader for a workbook: calamine from FAST_READER_MIN_BYTES, or CUSTKIT_READER's.

    >>> chosen_reader(Path("/nonexistent/small.xlsx"))
    'openpyxl'
    """
    wanted = os.environ.get(READER_VARIABLE, "auto").strip().lower() or "auto"
    if wanted in ("openpyxl", "calamine"):
        return "openpyxl" if wanted == "openpyxl" else "calamine"
    if wanted != "auto":
        raise ConfigError(
            [
                ConfigProblem(
                    READER_VARIABLE, wanted, "unknown reader; use openpyxl, calamine or auto"
                )
            ]
        )
    try:
        size = path.stat().st_size
    except OSError:
        return "openpyxl"
    return "calamine" if size >= FAST_READER_MIN_BYTES else "openpyxl"


def read_values_fast(
    path: Path,
    *,
    limits: ReadLimits = LIMITS,
    fallback: Callable[[Path], RawWorkbook] | None = None,
) -> RawWorkbook:
    """Every sheet's cell values, as `read_values` gives them, read by python-calamine.

    Callers run `check_workbook_file` first (the package gate). Each sheet's extent is checked
    against the cell budget before calamine fills it in; `fallback` reads the sheets calamine
    cannot match (default: `read_values`).

    Example: `read_values_fast(Path("customers.xlsx")).sheets[0].rows[0]` is the first row,
    e.g. `('客户编号', '姓名', ...)`.
    """
    import python_calamine

    if fallback is None:
        from toolkit.backends.xlsx import read_values

        fallback = read_values
    try:
        book = _read_book(path)
        calamine = python_calamine.CalamineWorkbook.from_path(str(path))
    except NotFast:
        return fallback(path)
    except Exception as error:  # both readers raise many kinds on damaged files
        raise WorkbookError(
            f"{path} cannot be read ({type(error).__name__}: {error}). Open it in Excel, check "
            "that it is intact, save it, and run again."
        ) from error
    slow: RawWorkbook | None = None
    sheets = []
    used = 0  # cells filled in by the sheets read so far
    with zipfile.ZipFile(path) as package:
        for name, part, hidden in book.sheets:
            xml = package.read(part)
            used += _charge(path, name, xml, used, limits)
            try:
                _check_shape(xml)
                fixes = _cell_fixes(xml, book)
                del xml  # the sheet's XML can be a gigabyte: gone before calamine's grid comes
                rows = _read_sheet(calamine, name, fixes)
            except NotFast:
                slow = slow or fallback(path)
                sheet = slow.sheet(name)
                rows = [tuple(row) for row in sheet.rows] if sheet else []
            sheets.append(RawSheet(name, rows, hidden=hidden))
    calamine.close()
    return RawWorkbook(str(path), tuple(sheets))


def _charge(path: Path, sheet: str, xml: bytes, used: int, limits: ReadLimits) -> int:
    """The cells the sheet fills in, refused past the budget before calamine allocates them."""
    left = limits.max_workbook_cells - used
    rows, columns = sheet_extent(xml, enough=min(limits.max_sheet_cells, left))
    check_sheet_dimension(path, sheet, rows=rows, columns=columns, limits=limits)
    if rows * columns > left:
        raise WorkbookTooLargeError(
            f"{path}: the sheets read so far fill in {used:,} cells and sheet '{sheet}' "
            f"{rows * columns:,} more, over the workbook budget ({limits.max_workbook_cells:,}). "
            "Delete empty rows and columns beyond your data (Ctrl+End finds the last cell), or "
            "split the workbook, and run again."
        )
    return rows * columns


def _read_book(path: Path) -> _Book:
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(str(path), read_only=True, data_only=True, keep_links=False)
    try:
        reader.read_manifest()
        reader.read_workbook()
        workbook = reader.parser.wb
        apply_stylesheet(reader.archive, workbook)
        sheets = tuple(
            (sheet.name, rel.target, sheet.state != "visible")
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        )
        strings = reader.package.find(SHARED_STRINGS)
        fixes = _string_fixes(reader.archive.read(strings.PartName[1:])) if strings else {}
        styles = (
            reader.archive.read("xl/styles.xml") if "xl/styles.xml" in reader.valid_files else b""
        )
    finally:
        reader.archive.close()
    dates, durations = frozenset(workbook._date_formats), frozenset(workbook._timedelta_formats)
    unsure = _unsure_styles(styles, dates, durations) if styles else frozenset()
    return _Book(workbook.epoch, dates, durations, unsure, fixes, sheets)


def _string_fixes(strings: bytes) -> dict[int, str]:
    """Shared strings calamine reads otherwise (trimmed, unescaped, empty): openpyxl's text."""
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
    """Offsets of texts calamine may read otherwise (see _TEXT_HAZARDS), in order."""
    literals = (b"<t", b"_x", b"&#")
    hits = [
        hit.start()
        for literal, pattern in zip(literals, _TEXT_HAZARDS, strict=True)
        if literal in xml
        for hit in pattern.finditer(xml)
    ]
    return sorted(hits)


def _unsure_styles(
    styles: bytes, dates: frozenset[int], durations: frozenset[int]
) -> frozenset[int]:
    """Styles whose cells calamine may read otherwise: a probe cell of each, read by both."""
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


def _read_sheet(
    calamine: Any, name: str, fixes: Mapping[tuple[int, int], CellValue]
) -> list[tuple[CellValue, ...]]:
    try:
        grid = calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as error:  # a sheet kind calamine does not read (macro sheets...)
        raise NotFast(str(error)) from error
    rows = _converted(grid)
    for (row, column), value in fixes.items():
        while len(rows) < row:
            rows.append(())
        cells = list(rows[row - 1])
        cells += [None] * (column - len(cells))
        cells[column - 1] = value
        rows[row - 1] = tuple(cells)
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()  # calamine ends at the last value: only a fixed-to-None row can trail
    return rows


def _check_shape(xml: bytes) -> None:
    """Refuse (to openpyxl) what the patterns cannot follow: cells or rows without coordinates."""
    if b"<sheetData" not in xml:
        if b"sheetData" in xml:
            raise NotFast("prefixed sheet XML")
        return
    if _NO_COORDINATES.search(xml):
        raise NotFast("cells or rows without coordinates")


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


def _cell_fixes(xml: bytes, book: _Book) -> dict[tuple[int, int], CellValue]:
    """(row, column) -> openpyxl's value for every cell calamine may read otherwise."""
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


def _cell_parser(book: _Book) -> Any:
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


def _converted(grid: list[list[Any]]) -> list[tuple[CellValue, ...]]:
    """calamine's values as openpyxl's: "" -> None, whole floats -> int, date -> datetime.

    Column by column: a column of non-empty texts (most of a customer sheet) is checked in C
    and kept as it is; only the others are converted value by value.
    """
    width = max(map(len, grid), default=0)
    for row in grid:
        if len(row) < width:  # calamine pads every row; this is only in case
            row.extend([""] * (width - len(row)))
    columns: list[Sequence[Any]] = list(zip(*grid, strict=True))
    grid.clear()  # one copy of the cells at a time
    for index, column in enumerate(columns):
        kinds = set(map(type, column))
        if float in kinds or date in kinds:
            columns[index] = [
                (int(v) if v.is_integer() else v) if (kind := v.__class__) is float
                else None if v == "" else datetime(v.year, v.month, v.day) if kind is date
                else v
                for v in column
            ]  # fmt: skip
        elif "" in column:
            columns[index] = [None if v == "" else v for v in column]
    return list(zip(*columns, strict=True))


def _trimmed(cells: list[CellValue]) -> tuple[CellValue, ...]:
    while cells and cells[-1] is None:
        cells.pop()
    return tuple(cells)


def same_cells(a: RawWorkbook, b: RawWorkbook) -> list[str]:
    """Where two reads of a workbook differ, ignoring trailing empty cells and rows; [] if none.

    >>> one = RawWorkbook("x", (RawSheet("S", [(1, None), ()]),))
    >>> same_cells(one, RawWorkbook("x", (RawSheet("S", [(1,)]),)))
    []
    """
    if [(s.name, s.hidden) for s in a.sheets] != [(s.name, s.hidden) for s in b.sheets]:
        return [f"sheets differ: {[s.name for s in a.sheets]} vs {[s.name for s in b.sheets]}"]
    problems = []
    for left, right in zip(a.sheets, b.sheets, strict=True):
        ours, theirs = _canonical(left.rows), _canonical(right.rows)
        for number in range(1, max(len(ours), len(theirs)) + 1):
            x = ours[number - 1] if number <= len(ours) else ()
            y = theirs[number - 1] if number <= len(theirs) else ()
            if x != y or [type(v) for v in x] != [type(v) for v in y]:
                problems.append(f"{left.name} row {number}: {x!r} != {y!r}")
                if len(problems) >= 20:
                    return problems
    return problems


def _canonical(rows: Sequence[Sequence[CellValue]]) -> list[tuple[CellValue, ...]]:
    trimmed = [_trimmed(list(row)) for row in rows]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed
