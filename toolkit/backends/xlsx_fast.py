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

The XML patterns live in toolkit.backends.xlsx_fast_xml. A sheet whose XML they cannot
follow (cells or rows without coordinates, prefixed XML, a cell kind calamine does not read) is
read by openpyxl instead: the fast path may be slower, never different. Each sheet's extent is
checked against the guard's cell budget before calamine fills the sheet in.

Two cores at once: calamine parses a sheet in a worker thread (its Rust reading releases the
GIL) as soon as that sheet's budget and shape checks have passed, while this thread looks for
the sheet's cells to fix and checks the next sheets; calamine's grid is then converted a column
at a time (`converted`) with the cyclic collector paused.

One difference is left on purpose: every row is as wide as the sheet's last column with a
value and the sheet ends at its last row with a value, where openpyxl ends each row at its own
last cell element and may add empty rows at the end. No reader of a `RawSheet` tells trailing
None cells or empty rows apart from absent ones (`same_cells` compares that way).
"""

from __future__ import annotations

import gc
import os
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from toolkit.backends.xlsx_fast_xml import (
    BookFacts,
    NotFast,
    cell_fixes,
    check_shape,
    sheet_extent,
    string_fixes,
    unsure_styles,
)
from toolkit.backends.xlsx_guard import LIMITS, ReadLimits, check_sheet_dimension
from toolkit.backends.xlsx_zip import read_part
from toolkit.errors import ConfigError, ConfigProblem, WorkbookError, WorkbookTooLargeError
from toolkit.table import CellValue, RawSheet, RawWorkbook

READER_VARIABLE = "CUSTKIT_READER"  # openpyxl | calamine | auto (the default)
FAST_READER_MIN_BYTES = 1 << 20  # packed size from which calamine reads (about 5,000 rows)
_FEW = 4  # a column is mapped when it has at most 1/_FEW as many distinct values as cells
_SAMPLE = 4096  # cells of a text column looked at first


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
        raise _unreadable(path, error) from error
    parser = ThreadPoolExecutor(1, "calamine")
    try:
        with collector_paused():
            checked = _checked_sheets(path, book, calamine, parser, limits)
            sheets = _finished_sheets(path, checked, fallback)
    finally:
        parser.shutdown(cancel_futures=True)  # a refusal waits for no sheet not yet begun
    calamine.close()
    return RawWorkbook(str(path), tuple(sheets))


@dataclass
class _CheckedSheet:
    """A sheet whose XML passed the checks: calamine parses it (or openpyxl reads it)."""

    name: str
    hidden: bool
    parsed: Future[Any] | None  # calamine's sheet; None: openpyxl reads this sheet
    fixes: Mapping[tuple[int, int], CellValue]


def _checked_sheets(
    path: Path, book: BookFacts, calamine: Any, parser: ThreadPoolExecutor, limits: ReadLimits
) -> list[_CheckedSheet]:
    """Check each sheet's XML, then hand it to calamine, and find its fixes meanwhile.

    calamine parses a sheet without holding the GIL, so the XML scans of this sheet and the
    next ones run on the other core while it does; it starts on a sheet only once the budget
    and shape checks of that sheet have passed.
    """
    checked = []
    used = 0  # cells filled in by the sheets read so far
    with zipfile.ZipFile(path) as package:
        for name, part, hidden in book.sheets:
            xml = _sheet_xml(path, package, part)
            used += _charge(path, name, xml, used, limits)
            try:
                check_shape(xml)
            except NotFast:
                checked.append(_CheckedSheet(name, hidden, None, {}))
                continue
            parsed = parser.submit(calamine.get_sheet_by_name, name)
            try:
                fixes = cell_fixes(xml, book)
            except NotFast:
                parsed.cancel()
                checked.append(_CheckedSheet(name, hidden, None, {}))
                continue
            del xml  # the sheet's XML can be a gigabyte: gone before the next one comes
            checked.append(_CheckedSheet(name, hidden, parsed, fixes))
    return checked


def _finished_sheets(
    path: Path, checked: list[_CheckedSheet], fallback: Callable[[Path], RawWorkbook]
) -> list[RawSheet]:
    slow: RawWorkbook | None = None
    sheets = []
    for sheet in checked:
        rows = _read_sheet(sheet) if sheet.parsed else None
        if rows is None:
            slow = slow or fallback(path)
            found = slow.sheet(sheet.name)
            rows = [tuple(row) for row in found.rows] if found else []
        sheets.append(RawSheet(sheet.name, rows, hidden=sheet.hidden))
    return sheets


def _sheet_xml(path: Path, package: zipfile.ZipFile, part: str) -> bytes:
    """A sheet's XML a chunk at a time: a part that inflates past its header is damaged."""
    try:
        return read_part(package, part)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise _unreadable(path, error) from error


def _unreadable(path: Path, error: Exception) -> WorkbookError:
    return WorkbookError(
        f"{path} cannot be read ({type(error).__name__}: {error}). Open it in Excel, check "
        "that it is intact, save it, and run again."
    )


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


def _read_book(path: Path) -> BookFacts:
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
        fixes = string_fixes(read_part(reader.archive, strings.PartName[1:])) if strings else {}
        styles = (
            reader.archive.read("xl/styles.xml") if "xl/styles.xml" in reader.valid_files else b""
        )
    finally:
        reader.archive.close()
    dates, durations = frozenset(workbook._date_formats), frozenset(workbook._timedelta_formats)
    unsure = unsure_styles(styles, dates, durations) if styles else frozenset()
    return BookFacts(workbook.epoch, dates, durations, unsure, fixes, sheets)


def _read_sheet(sheet: _CheckedSheet) -> list[tuple[CellValue, ...]] | None:
    """The sheet calamine parsed, as openpyxl's cells; None if calamine could not read it."""
    parsed, sheet.parsed = sheet.parsed, None
    try:
        grid = parsed.result().to_python(skip_empty_area=False) if parsed else []
    except Exception:  # a sheet kind calamine does not read (macro sheets...)
        return None
    del parsed  # the only reference: calamine's copy of the cells goes before the conversion
    rows = converted(grid)
    for (row, column), value in sheet.fixes.items():
        while len(rows) < row:
            rows.append(())
        cells = list(rows[row - 1])
        cells += [None] * (column - len(cells))
        cells[column - 1] = value
        rows[row - 1] = tuple(cells)
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()  # calamine ends at the last value: only a fixed-to-None row can trail
    return rows


def converted(grid: list[list[Any]]) -> list[tuple[CellValue, ...]]:
    """calamine's values as openpyxl's: "" -> None, whole floats -> int, date -> datetime.

    A per-cell Python call costs about 25 s per million rows of a customer sheet, so each
    column is converted in C where it can be: a column of texts with few distinct values
    (gender, city, owner) and a column of dates with few distinct days are converted once per
    distinct value and mapped in C, which leaves one object per distinct value (a million "男"
    cells hold one string); a column of texts with many values is kept as it is (or gets one
    list comprehension for its empty cells), and so do columns of numbers (phone numbers,
    amounts, counts): whole floats become int in one list comprehension, cheaper than a
    mapping. `grid` is emptied on the way (one copy of the cells at a time).

    >>> converted([["姓名", "生日"], ["张三", date(1990, 5, 1)], ["", 5.0]])
    [('姓名', '生日'), ('张三', datetime.datetime(1990, 5, 1, 0, 0)), (None, 5)]
    """
    width = max(map(len, grid), default=0)
    for row in grid:
        if len(row) < width:  # calamine pads every row; this is only in case
            row.extend([""] * (width - len(row)))
    columns: list[Sequence[Any]] = list(zip(*grid, strict=True))
    grid.clear()
    for index, column in enumerate(columns):
        columns[index] = _column(column)
    return list(zip(*columns, strict=True))


def _column(column: Sequence[Any]) -> Sequence[Any]:
    kinds = set(map(type, column))
    if kinds == {str}:
        distinct = _few(column, sample=_SAMPLE)
        if distinct is not None:
            return _mapped(column, distinct)
        return _shared([None if v == "" else v for v in column] if "" in column else column)
    if date in kinds and bool not in kinds:  # True == 1.0 would share a key with 1.0
        distinct = _few(column, sample=len(column))
        if distinct is not None:
            return _mapped(column, distinct)
    if float in kinds or date in kinds:
        converted = [
            (int(v) if v.is_integer() else v) if (kind := v.__class__) is float
            else None if v == "" else datetime(v.year, v.month, v.day) if kind is date
            else v
            for v in column
        ]  # fmt: skip
        return converted if bool in kinds else _shared(converted)
    return [None if v == "" else v for v in column] if "" in column else column


def _shared(column: Sequence[Any]) -> Sequence[Any]:
    """Equal values as one object: a column of many repeats (names, companies, customer
    numbers of orders, amounts) keeps one string or number per distinct value.

    calamine makes a new object per cell, about 60 bytes for a short text, so at a million
    rows the repeats of a few columns weigh hundreds of MB. A column whose first cells are
    nearly all distinct (numbers, e-mails, phones) is left as it is: nothing to gain. Never for
    a column with booleans (True == 1 would share an object). A value that equals no key
    (float NaN) is kept as it is.

    >>> names = _shared(["Li", "Wang", "".join(["L", "i"])] * 2)
    >>> names[0] is names[2] is names[5], names
    (True, ['Li', 'Wang', 'Li', 'Li', 'Wang', 'Li'])
    """
    sample = column[:_SAMPLE]
    if len(set(sample)) * 20 > len(sample) * 19:
        return column
    one = dict(zip(column, column, strict=True))  # each value: the last of its equals
    return list(map(one.get, column, column))


def _few(column: Sequence[Any], *, sample: int) -> set[Any] | None:
    """The column's distinct values when they are few; its first `sample` cells may rule a
    column out (a column of texts only gains memory from the mapping, so a sample will do)."""
    if sample < len(column) and len(set(column[:sample])) * _FEW > sample:
        return None
    distinct = set(column)
    return distinct if len(distinct) * _FEW <= len(column) else None


def _mapped(column: Sequence[Any], distinct: set[Any]) -> list[CellValue]:
    """Each value converted once, then looked up in C: one object per distinct value."""
    table = {value: _cell(value) for value in distinct}
    return list(map(table.__getitem__, column))


def _cell(value: Any) -> CellValue:
    kind = value.__class__
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return None if value == "" else value


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a big grid is built and converted.

    Millions of row lists and tuples (which never form cycles) would each count towards the
    collector's thresholds, and every collection walks all of them again: at a million rows
    that is most of the conversion's time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
