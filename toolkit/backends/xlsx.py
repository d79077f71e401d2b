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
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.backends.base import ApplyResult, RunInfo, UndoResult, place_columns
from toolkit.backends.file_lock import hold_workbooks
from toolkit.backends.file_safety import clear_leftovers, disk_full_error, is_disk_full
from toolkit.backends.xlsx_guard import LIMITS, CellBudget, ReadLimits, inspect_package
from toolkit.errors import (
    ToolkitError,
    UnsupportedFormatError,
    WorkbookChangedError,
    WorkbookError,
    WorkbookLockedError,
)
from toolkit.journal import Journal, RunRecord, file_digest, fsync_folder
from toolkit.plan import Plan
from toolkit.table import RawSheet, RawWorkbook

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
        from toolkit.backends.xlsx_fast import chosen_reader, read_values_fast

        check_workbook_file(self.path)
        self._seen = _fingerprint(self.path)
        fast = chosen_reader(self.path) == "calamine"  # same cells; see xlsx_fast
        self._raw = read_values_fast(self.path) if fast else read_values(self.path)
        return self._raw

    lock_wait: float | None = None  # seconds to wait for another run's lock; None: default
    _locks: ExitStack | None = None

    def __enter__(self) -> XlsxBackend:
        """Hold custkit's lock on the workbook (and on `out`) from `read` to `apply`."""
        self._locks = hold_workbooks([self.target], reading=[self.path], wait=self.lock_wait)
        return self

    def __exit__(self, *exception: object) -> None:
        locks, self._locks = self._locks, None
        if locks is not None:
            locks.close()

    def apply(self, plan: Plan, *, run: RunInfo) -> ApplyResult:
        """Write the plan atomically after a backup; refuse if the file changed since `read`.

        A run killed at any instant leaves the old file or the new one, and a journal that
        `custkit undo` can use (see toolkit.journal). A full disk leaves the file as it was.
        """
        if self._raw is None or self._seen is None:
            raise RuntimeError("read() must come before apply()")
        with self._held():
            self._check_unchanged()
            journal = Journal(self.target.parent)
            clear_leftovers(self.target, journal)
            try:
                return self._write(plan, run, journal)
            except OSError as error:
                if not is_disk_full(error):
                    raise
                raise disk_full_error(self.target, error) from error

    def _write(self, plan: Plan, run: RunInfo, journal: Journal) -> ApplyResult:
        from toolkit.backends.ooxml import write_plan

        assert self._raw is not None
        run_id = f"{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        backup = journal.backup(self.target, run_id) if self.target.exists() else None
        temporary = self.target.with_name(f".~custkit-{self.target.name}.{run_id}.tmp")
        recorded = False
        try:
            before = file_digest(journal.folder / backup) if backup else None
            # In place, the new file is made from the backup, once it is known to hold the
            # bytes that were read: whatever is saved over the workbook meanwhile cannot leak
            # into it (and is caught just before the switch).
            in_place = backup is not None and self.target == self.path
            if in_place and self._seen is not None and before != self._seen.digest:
                raise self._changed()
            source = journal.folder / backup if in_place and backup else self.path
            stats = write_plan(source, temporary, plan, positions=place_columns(self._raw, plan))
            _fsync(temporary)
            self._check_unchanged()  # once more, just before the switch
            after = file_digest(temporary)
            journal.record(
                RunRecord(run_id, self.target.name, backup, before, after, run.started, run.steps)
            )
            recorded = True  # from here the record describes the change, landed or not
            os.replace(temporary, self.target)
        finally:
            temporary.unlink(missing_ok=True)
            if backup is not None and not recorded:
                (journal.folder / backup).unlink(missing_ok=True)
        fsync_folder(self.target.parent)
        backup_path = str(journal.folder / backup) if backup else None
        return ApplyResult(
            str(self.target), stats.cells_written, tuple(stats.sheets_written), backup_path
        )

    def _check_unchanged(self) -> None:
        check_not_open(self.path)
        if _fingerprint(self.path) != self._seen:
            raise self._changed()
        if self.target != self.path:
            check_not_open(self.target)

    def _changed(self) -> WorkbookChangedError:
        return WorkbookChangedError(
            f"{self.path} changed on disk while custkit was working on it (saved from Excel "
            "or another program?). Nothing was written; run custkit again."
        )

    def _held(self) -> AbstractContextManager[object]:
        """The run's lock when the runner holds it already; else one for this call only."""
        if self._locks is not None:
            return nullcontext()
        return hold_workbooks([self.target], reading=[self.path], wait=self.lock_wait)

    def undo(self) -> UndoResult:
        """Restore the file as it was before custkit's last run on it."""
        with self._held():
            check_not_open(self.target)
            journal = Journal(self.target.parent)
            clear_leftovers(self.target, journal)
            started = datetime.now().isoformat(timespec="seconds")
            try:
                record = journal.undo(self.target, started=started)
            except OSError as error:
                if not is_disk_full(error):
                    raise
                raise disk_full_error(self.target, error) from error
        source = str(journal.folder / record.backup) if record.backup else "(file removed)"
        return UndoResult(str(self.target), source, record.started)


def check_workbook_file(path: Path) -> None:
    """Refuse, with what to do, anything that is not an .xlsx/.xlsm we can write safely.

    The package checks (zip bombs, XML entities, content types, Strict Open XML, external
    links...) are `toolkit.backends.xlsx_guard.inspect_package`; then the extension and locks.

    >>> check_workbook_file(Path("/nonexistent/customers.xlsx"))
    Traceback (most recent call last):
    toolkit.errors.WorkbookError: /nonexistent/customers.xlsx: file not found.
    """
    _check_package(path)
    suffix = path.suffix.lower()
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


def read_values(path: Path, *, limits: ReadLimits = LIMITS) -> RawWorkbook:
    """Every sheet's cell values (cached results for formulas), row 1 first.

    Callers run `check_workbook_file` (or `inspect_package`) first; here the cell budget
    refuses a sheet whose cells would fill in past it before its rows are kept, and anything
    openpyxl raises on a damaged part becomes a WorkbookError naming the file.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on damaged files
        raise _unreadable(path, error) from error
    budget = CellBudget(path, limits=limits)
    try:
        return RawWorkbook(
            str(path), tuple(_sheet_values(sheet, budget) for sheet in book.worksheets)
        )
    except ToolkitError:
        raise
    except Exception as error:  # a part damaged past its header fails only when read
        raise _unreadable(path, error) from error
    finally:
        book.close()


def _sheet_values(sheet: Any, budget: CellBudget) -> RawSheet:
    sheet.reset_dimensions()  # some writers record a wrong dimension: read what is there
    cells = budget.sheet(sheet.title)
    rows = []
    for row in sheet.iter_rows(values_only=True):
        cells.add_row(len(row))
        rows.append(tuple(row))
    cells.close()
    return RawSheet(sheet.title, rows, hidden=sheet.sheet_state != "visible")


def _unreadable(path: Path, error: Exception) -> WorkbookError:
    return WorkbookError(
        f"{path} cannot be read ({type(error).__name__}: {error}). Open it in Excel, check "
        "that it is intact, save it, and run again."
    )


def _check_package(path: Path) -> None:
    inspect_package(path)


def _fingerprint(path: Path) -> _Fingerprint:
    stat = path.stat()
    return _Fingerprint(stat.st_size, stat.st_mtime_ns, file_digest(path))


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
