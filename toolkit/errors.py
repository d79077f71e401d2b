"""The exception tree, grouped by what the caller can do about it.

    ToolkitError                    anything custkit refuses; the CLI prints it and exits 1
    ├── ConfigError                 settings are wrong: fix custkit.toml or the settings sheet
    ├── WorkbookError               the workbook cannot be used as it is
    │   ├── UnsupportedFormatError  .xls, .xlsb, CSV renamed, encrypted: save it as .xlsx
    │   ├── WorkbookLockedError     open in Excel, or another custkit run holds it: close it
    │   ├── WorkbookChangedError    changed on disk during the run: run again
    │   ├── HeaderNotFoundError     no recognizable header: map the columns in settings
    │   ├── WorkbookTooLargeError   past a reading limit (size, ratio, cells): a zip bomb or too big
    │   └── UnsafeWriteError        we could not write it without losing something
    ├── UndoError                   nothing to undo, or the file moved on since
    └── BackendError                a backend failed underneath us (keeps __cause__)
        ├── CredentialsError        Google credentials missing, unreadable or refused: fix the key
        ├── SheetsAccessError       the spreadsheet is not shared with us: share it with the email
        ├── SheetsNotFoundError     no spreadsheet at that URL or key: check the link
        └── QuotaExhaustedError     Google kept refusing (429/5xx) past the retry budget: wait

Every message says what happened, where (file, sheet, row, column) and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class ToolkitError(Exception):
    """Base of every error custkit raises on purpose."""


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in the settings, with the place it came from.

    >>> str(ConfigProblem("custkit.toml", "columns.email", "column 'E-mail' not found"))
    "custkit.toml: columns.email: column 'E-mail' not found"
    """

    source: str
    location: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.location}" if self.location else self.source
        return f"{where}: {self.message}"


class ConfigError(ToolkitError):
    """The settings are wrong; every problem found is listed at once."""

    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} settings {noun}:\n{lines}")


class WorkbookError(ToolkitError):
    """The workbook cannot be used as it is; it has been left untouched."""


class UnsupportedFormatError(WorkbookError):
    """Not an .xlsx/.xlsm package we can read and write safely."""


class WorkbookLockedError(WorkbookError):
    """Someone else holds the workbook: Excel, or another custkit run."""


class WorkbookChangedError(WorkbookError):
    """The workbook changed on disk between our read and our write."""


class HeaderNotFoundError(WorkbookError):
    """No sheet has a header row we can recognize."""


class WorkbookTooLargeError(WorkbookError):
    """The workbook would unpack or expand past a reading limit (a zip bomb, or simply too big)."""


class UnsafeWriteError(WorkbookError):
    """Writing the plan would lose or corrupt something, so nothing was written."""


class UndoError(ToolkitError):
    """There is nothing to undo, or undoing would overwrite newer work."""


class BackendError(ToolkitError):
    """A backend library failed; the original exception is kept as __cause__."""


class CredentialsError(BackendError):
    """Google credentials are missing, unreadable, of an unknown kind, or refused by Google."""


class SheetsAccessError(BackendError):
    """The account cannot open (or cannot edit) the spreadsheet: share it with its email."""


class SheetsNotFoundError(BackendError):
    """No spreadsheet exists at that URL or key."""


class QuotaExhaustedError(BackendError):
    """Google kept answering 429 or 5xx until the retry budget was spent; nothing more was sent."""
