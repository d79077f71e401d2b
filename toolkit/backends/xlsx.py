"""The .xlsx/.xlsm file backend: openpyxl reads, the part-preserving writer writes.

Reading takes values only (openpyxl read-only mode, cached formula results). Writing never
saves through openpyxl, which drops charts, images, form controls and more: the plan is written
by `toolkit.backends.ooxml`, which changes only the parts the plan names and copies every other
part of the package byte for byte. A write is a backup, a temporary file in the same folder,
and an atomic rename; the journal beside the file makes every run undoable.
"""

from __future__ import annotations

import os
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from toolkit.backends.base import ApplyResult, RunInfo, UndoResult, place_columns
from toolkit.errors import (
    UnsupportedFormatError,
    WorkbookChangedError,
    WorkbookError,
    WorkbookLockedError,
)
from toolkit.journal import Journal, RunRecord, file_digest
from toolkit.plan import Plan
from toolkit.table import RawSheet, RawWorkbook

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
SUPPORTED = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class _Fingerprint:
    size: int
    mtime_ns: int
    digest: str


class XlsxBackend:
    """A workbook file on disk, changed in place (or written to `out`).

    >>> XlsxBackend(Path("customers.xlsx")).target.name
    'customers.xlsx'
    """

    def __init__(self, path: Path, *, out: Path | None = None) -> None:
        self.path = path
        self.target = out or path
        self._raw: RawWorkbook | None = None
        self._seen: _Fingerprint | None = None

    def read(self) -> RawWorkbook:
        """Every sheet's values; refuses files we cannot read or write safely."""
        check_workbook_file(self.path)
        self._seen = _fingerprint(self.path)
        self._raw = read_values(self.path)
        return self._raw

    def apply(self, plan: Plan, *, run: RunInfo) -> ApplyResult:
        """Write the plan atomically after a backup; refuse if the file changed since `read`."""
        from toolkit.backends.ooxml import write_plan

        if self._raw is None or self._seen is None:
            raise RuntimeError("read() must come before apply()")
        check_not_open(self.path)
        if _fingerprint(self.path) != self._seen:
            raise WorkbookChangedError(
                f"{self.path} changed on disk while custkit was working on it (saved from Excel "
                "or another program?). Nothing was written; run custkit again."
            )
        if self.target != self.path:
            check_not_open(self.target)
        run_id = f"{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        journal = Journal(self.target.parent)
        existed = self.target.exists()
        backup = journal.backup(self.target, run_id) if existed else None
        before = file_digest(self.target) if existed else None
        temporary = self.target.with_name(f".~custkit-{self.target.name}.{run_id}.tmp")
        try:
            stats = write_plan(self.path, temporary, plan, positions=place_columns(self._raw, plan))
            _fsync(temporary)
            os.replace(temporary, self.target)
        finally:
            temporary.unlink(missing_ok=True)
        after = file_digest(self.target)
        journal.record(
            RunRecord(run_id, self.target.name, backup, before, after, run.started, run.steps)
        )
        return ApplyResult(
            str(self.target),
            stats.cells_written,
            tuple(stats.sheets_written),
            str(journal.folder / backup) if backup else None,
        )

    def undo(self) -> UndoResult:
        """Restore the file as it was before custkit's last run on it."""
        check_not_open(self.target)
        journal = Journal(self.target.parent)
        record = journal.undo(self.target, started=datetime.now().isoformat(timespec="seconds"))
        source = str(journal.folder / record.backup) if record.backup else "(file removed)"
        return UndoResult(str(self.target), source, record.started)


def check_workbook_file(path: Path) -> None:
    """Refuse, with what to do, anything that is not an .xlsx/.xlsm we can write safely.

    >>> check_workbook_file(Path("/nonexistent/customers.xlsx"))
    Traceback (most recent call last):
    toolkit.errors.WorkbookError: /nonexistent/customers.xlsx: file not found.
    """
    if not path.is_file():
        raise WorkbookError(f"{path}: file not found.")
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE_MAGIC):
        raise UnsupportedFormatError(_ole_message(path))
    if not head.startswith(_ZIP_MAGIC):
        kind = "looks like text (CSV?)" if _looks_like_text(path) else "is not an Excel workbook"
        raise UnsupportedFormatError(
            f"{path} {kind}. Open it in Excel or LibreOffice and save it as .xlsx, then run again."
        )
    _check_package(path)
    if suffix not in SUPPORTED:
        raise UnsupportedFormatError(
            f"{path}: '{suffix}' files are not supported; save the workbook as .xlsx (or .xlsm "
            "to keep macros)."
        )
    check_not_open(path)


def check_not_open(path: Path) -> None:
    """Refuse a workbook that Excel or LibreOffice has open (their lock files beside it)."""
    names = {f"~${path.name}", f"~${path.name[2:]}", f".~lock.{path.name}#"}
    for name in sorted(names):
        if (path.parent / name).exists():
            raise WorkbookLockedError(
                f"{path} is open in Excel or LibreOffice (lock file {name}). Close it there, "
                "then run again; custkit does not write a workbook someone has open."
            )


def read_values(path: Path) -> RawWorkbook:
    """Every sheet's cell values (cached results for formulas), row 1 first."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on damaged files
        raise WorkbookError(
            f"{path} cannot be read ({type(error).__name__}: {error}). Open it in Excel, check "
            "that it is intact, save it, and run again."
        ) from error
    try:
        sheets = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # some writers record a wrong dimension: read what is there
            rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
            sheets.append(RawSheet(sheet.title, rows, hidden=sheet.sheet_state != "visible"))
        return RawWorkbook(str(path), tuple(sheets))
    finally:
        book.close()


def _check_package(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            broken = package.testzip()
    except (zipfile.BadZipFile, OSError) as error:
        raise UnsupportedFormatError(
            f"{path} is damaged ({error}). Open it in Excel, let it repair the file, save it, "
            "and run again."
        ) from error
    if broken is not None:
        raise UnsupportedFormatError(f"{path} is damaged: part {broken} fails its checksum.")
    if "xl/workbook.bin" in names:
        raise UnsupportedFormatError(
            f"{path} is a binary workbook (.xlsb). Save it as .xlsx (or .xlsm) and run again."
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UnsupportedFormatError(
            f"{path} is a zip file but not an Excel workbook (no xl/workbook.xml)."
        )


def _ole_message(path: Path) -> str:
    with path.open("rb") as handle:
        content = handle.read(1 << 20)
    if "EncryptedPackage".encode("utf-16-le") in content:
        return (
            f"{path} is password-protected. Remove the password in Excel (File > Info > Protect "
            "Workbook > Encrypt with Password, clear it), save, and run again."
        )
    return (
        f"{path} is an Excel 97-2003 workbook (.xls). Open it in Excel and save it as .xlsx, "
        "then run again."
    )


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in sample


def _fingerprint(path: Path) -> _Fingerprint:
    stat = path.stat()
    return _Fingerprint(stat.st_size, stat.st_mtime_ns, file_digest(path))


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
