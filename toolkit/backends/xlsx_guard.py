"""The gate every workbook file passes before any reader touches it.

`inspect_package(path)` looks at the zip central directory, the local headers and the small
parts only, and refuses, with what to do, anything that is not a workbook custkit can read
safely: zip bombs (sizes, ratios and entry counts checked before anything is inflated), XML with
a DOCTYPE or entity declarations (on every XML part, so the fast reader is covered too), wrong
content types, Strict Open XML, external links, shared-string tables far larger than the cells
that could use them. While reading, `CellBudget` refuses a sheet whose cells would fill in past
the budget (a stray cell at XFD1048576) before its rows are kept.

>>> LIMITS.max_sheet_cells >= 1_048_576 * 30
True
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from toolkit.backends.xlsx_parts import (
    MAX_COLUMNS,
    MAX_ROWS,
    PackageFacts,
    SheetPart,
    check_kind,
    check_prologs,
    column_letters,
    read_structure,
)
from toolkit.backends.xlsx_zip import (
    ZipLimits,
    check_directory_size,
    check_entries,
    check_local_headers,
)
from toolkit.errors import UnsupportedFormatError, WorkbookError, WorkbookTooLargeError

__all__ = [
    "LIMITS",
    "CellBudget",
    "PackageFacts",
    "ReadLimits",
    "SheetCells",
    "SheetPart",
    "check_sheet_dimension",
    "inspect_package",
]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_MIN_SHARED_STRING = len(b"<si><t/></si>")
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_T = TypeVar("_T")
# What zipfile and zlib raise on damaged bytes (found by fuzzing: UnicodeDecodeError for a name
# flagged UTF-8 that is not, struct.error for a cut header; and a bare LookupError, below, for an
# XML declaration naming an encoding that does not exist).
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    UnicodeDecodeError,
    struct.error,
)


@dataclass(frozen=True)
class ReadLimits:
    """Every reading limit in one place.

    Sized for the largest real workbook custkit serves, 1,048,576 rows by 30 columns: its sheet
    XML is about 1.3 GB with shared strings (40 bytes a cell) and up to 3 GB with inline strings;
    its shared-string table at most one entry per cell (31.5 M). Real sheet XML deflates 5 to 20
    times (200 for identical cells without references); zeros and whitespace 1,000 times.
    """

    max_entries: int = 20_000  # parts in the zip; 2,000 sheets with drawings and comments
    max_directory_bytes: int = 16 << 20
    max_part_bytes: int = 4 << 30  # one part unpacked: a 1M x 30 sheet with inline strings
    max_total_bytes: int = 8 << 30  # the whole package unpacked
    max_ratio: float = 250.0  # unpacked / packed, for parts over ratio_floor_bytes
    ratio_floor_bytes: int = 16 << 20  # small parts (styles, empty sheets) may deflate further
    head_bytes: int = 64 << 10  # how much of each XML part is searched for a DOCTYPE
    max_parsed_bytes: int = 64 << 10  # XML parts up to this size are parsed whole (defusedxml)
    max_structure_bytes: int = 32 << 20  # workbook.xml, rels, content types
    max_sheet_cells: int = MAX_ROWS * 64  # rows x columns once a sheet's cells are filled in
    max_workbook_cells: int = MAX_ROWS * 128
    min_cell_bytes: int = 20  # the shortest cell that uses a shared string: <c t="s"><v>0</v></c>
    shared_strings_slack: int = 65_536  # unused strings some tools leave behind

    def zip_limits(self) -> ZipLimits:
        return ZipLimits(
            self.max_entries,
            self.max_directory_bytes,
            self.max_part_bytes,
            self.max_total_bytes,
            self.max_ratio,
            self.ratio_floor_bytes,
        )


LIMITS = ReadLimits()


def inspect_package(path: Path, *, limits: ReadLimits = LIMITS) -> PackageFacts:
    """Refuse anything that is not a workbook we can read safely; the facts of one that is.

    Reads the central directory, the local headers, the first `head_bytes` of every XML part
    and the small structural parts; never inflates a sheet whole. The file is only read.

    >>> inspect_package(Path("/nonexistent/customers.xlsx"))
    Traceback (most recent call last):
    toolkit.errors.WorkbookError: /nonexistent/customers.xlsx: file not found.
    """
    _check_file_kind(path)
    with path.open("rb") as handle:
        check_directory_size(path, handle, limits.zip_limits())
        package = _damaged_if_raises(path, lambda: zipfile.ZipFile(handle))
        with package:
            total = check_entries(path, package, limits.zip_limits())
            check_local_headers(path, package, handle)
            facts = _damaged_if_raises(path, lambda: _inspect_parts(path, package, limits, total))
    return facts


def check_sheet_dimension(
    path: Path | str, sheet: str, *, rows: int, columns: int, limits: ReadLimits = LIMITS
) -> None:
    """Refuse a sheet whose cells, filled in to `rows` x `columns`, pass the cell budget.

    `rows` and `columns` are where real cells reach (the last row and column that hold a
    cell), not what the sheet's dimension tag claims: claims alone are normal.

    >>> check_sheet_dimension("a.xlsx", "Customers", rows=1_048_576, columns=30)
    >>> check_sheet_dimension("a.xlsx", "Customers", rows=1_048_576, columns=16_384)
    Traceback (most recent call last):
    toolkit.errors.WorkbookTooLargeError: a.xlsx: sheet 'Customers' has cells as far as row 1,048,576 and column XFD (17,179,869,184 cells once filled in), more than custkit reads in one sheet (67,108,864). Usually a stray value or format far from the data: press Ctrl+End in Excel on that sheet to find it, delete the rows and columns beyond your data, save, and run again.
    """  # noqa: E501
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise UnsupportedFormatError(
            f"{path}: sheet '{sheet}' has a cell beyond Excel's last row or column (row "
            f"{rows:,}, column {columns:,}). Open it in Excel, save it, and run again."
        )
    if rows * columns > limits.max_sheet_cells:
        raise WorkbookTooLargeError(_too_many_cells(path, sheet, rows, columns, limits))


class CellBudget:
    """The cells one read of a workbook may fill in: per sheet and for the whole workbook.

    >>> budget = CellBudget("a.xlsx")
    >>> cells = budget.sheet("Customers")
    >>> for width in (2, 2, 30):
    ...     cells.add_row(width)
    >>> cells.close(); budget.used
    90
    """

    def __init__(self, path: Path | str, *, limits: ReadLimits = LIMITS) -> None:
        self.path = path
        self.limits = limits
        self.used = 0

    def sheet(self, name: str) -> SheetCells:
        return SheetCells(self, name)


class SheetCells:
    """One sheet's rows as they are read; refuses as soon as the filled-in extent is too big."""

    def __init__(self, budget: CellBudget, name: str) -> None:
        self.budget = budget
        self.name = name
        self.rows = 0
        self.widest = 0
        self._row_limit = MAX_ROWS

    def add_row(self, width: int) -> None:
        """Count one more row of `width` cells (the row's last cell's column)."""
        self.rows += 1
        if width > self.widest:
            self.widest = width
            self._row_limit = min(MAX_ROWS, self._allowed() // width)
        if self.rows > self._row_limit:
            self._refuse()

    def close(self) -> None:
        """Charge the sheet's filled-in extent to the workbook."""
        self.budget.used += self.rows * self.widest

    def _allowed(self) -> int:
        limits = self.budget.limits
        return min(limits.max_sheet_cells, limits.max_workbook_cells - self.budget.used)

    def _refuse(self) -> None:
        path, limits = self.budget.path, self.budget.limits
        check_sheet_dimension(path, self.name, rows=self.rows, columns=self.widest, limits=limits)
        raise WorkbookTooLargeError(
            f"{path}: the sheets read so far fill in {self.budget.used:,} cells and sheet "
            f"'{self.name}' passes {self.rows * self.widest:,} more, over the workbook budget "
            f"({limits.max_workbook_cells:,}). Delete empty rows and columns beyond your data "
            "(Ctrl+End finds the last cell), or split the workbook, and run again."
        )


def _too_many_cells(path: Path | str, sheet: str, rows: int, cols: int, limits: ReadLimits) -> str:
    return (
        f"{path}: sheet '{sheet}' has cells as far as row {rows:,} and column "
        f"{column_letters(cols)} ({rows * cols:,} cells once filled in), more than custkit reads "
        f"in one sheet ({limits.max_sheet_cells:,}). Usually a stray value or format far from "
        "the data: press Ctrl+End in Excel on that sheet to find it, delete the rows and "
        "columns beyond your data, save, and run again."
    )


def _check_file_kind(path: Path) -> None:
    if not path.is_file():
        raise WorkbookError(f"{path}: file not found.")
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if not head:
        raise UnsupportedFormatError(
            f"{path} is empty (0 bytes). Was it copied or downloaded completely? Open the "
            "original in Excel, save it as .xlsx, and run again."
        )
    if head.startswith(_OLE_MAGIC):
        raise UnsupportedFormatError(_ole_message(path, head))
    if head.startswith(_EMPTY_ZIP):
        raise UnsupportedFormatError(f"{path} is an empty zip file, not an Excel workbook.")
    if not head.startswith(_ZIP_MAGIC):
        text = _looks_like_text(head[:4096])
        kind = "looks like text (CSV?)" if text else "is not an Excel workbook"
        raise UnsupportedFormatError(
            f"{path} {kind}. Open it in Excel or LibreOffice and save it as .xlsx, then run again."
        )


def _inspect_parts(
    path: Path, package: zipfile.ZipFile, limits: ReadLimits, total: int
) -> PackageFacts:
    check_kind(path, package)
    facts = read_structure(path, package, max_bytes=limits.max_structure_bytes, total=total)
    streamed = {sheet.part for sheet in facts.sheets} | set(facts.shared_string_parts)
    check_prologs(
        path,
        package,
        head_bytes=limits.head_bytes,
        parsed_bytes=limits.max_parsed_bytes,
        streamed=frozenset(streamed),
    )
    _check_shared_strings(path, package, facts, limits)
    return facts


def _check_shared_strings(
    path: Path, package: zipfile.ZipFile, facts: PackageFacts, limits: ReadLimits
) -> None:
    """A shared-string table may not hold far more entries than the sheets have cells.

    Every entry Excel or openpyxl writes is used by at least one cell, and a cell that uses one
    costs at least `min_cell_bytes` of sheet XML; the table is counted (streamed, stopping at
    the limit) only when its size alone cannot rule the case out.
    """
    cells = sum(sheet.size for sheet in facts.sheets) // limits.min_cell_bytes
    allowed = cells + limits.shared_strings_slack
    for part in facts.shared_string_parts:
        if package.getinfo(part).file_size // _MIN_SHARED_STRING <= allowed:
            continue
        if _count_shared_strings(package, part, stop_after=allowed) > allowed:
            raise WorkbookTooLargeError(
                f"{path}: part {part} holds more than {allowed:,} shared strings, far more than "
                f"the sheets have cells (at most {cells:,}). Excel never writes that; open the "
                "file in Excel, save it, and run again."
            )


def _count_shared_strings(package: zipfile.ZipFile, part: str, *, stop_after: int) -> int:
    count = 0
    carry = b""
    with package.open(part) as stream:
        while count <= stop_after and (chunk := stream.read(1 << 20)):
            window = carry + chunk
            count += sum(1 for m in _SHARED_STRING.finditer(window) if m.end() > len(carry))
            carry = window[-64:]
    return count


def _damaged_if_raises(path: Path, action: Callable[[], _T]) -> _T:
    try:
        return action()
    except (*_DAMAGED, LookupError) as error:
        if isinstance(error, LookupError) and type(error) is not LookupError:
            raise  # KeyError, IndexError: not damage, a bug to see
        raise UnsupportedFormatError(
            f"{path} is damaged ({type(error).__name__}: {error}). Open it in Excel, let it "
            "repair the file, save it, and run again."
        ) from error


def _ole_message(path: Path, content: bytes) -> str:
    if "EncryptedPackage".encode("utf-16-le") in content:
        return (
            f"{path} is password-protected. Remove the password in Excel (File > Info > Protect "
            "Workbook > Encrypt with Password, clear it), save, and run again."
        )
    return (
        f"{path} is an Excel 97-2003 workbook (.xls). Open it in Excel and save it as .xlsx, "
        "then run again."
    )


def _looks_like_text(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 3:  # not just a character cut at the sample's end
            return False
    return b"\x00" not in sample
