"""What every backend does, and the placement rules they share.

A backend knows one medium (an .xlsx file, a live Excel workbook, a Google spreadsheet). It
reads every sheet in bulk (`read`), applies a Plan in bulk (`apply`) after keeping what it needs
to undo, and undoes the last run (`undo`). Where our own columns go is decided here, once, so
that every backend puts them in the same place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from toolkit.i18n import own_column_key
from toolkit.plan import Plan, SetColumn
from toolkit.table import CellValue, RawWorkbook, is_blank


@dataclass(frozen=True)
class ApplyResult:
    """What applying a plan did."""

    target: str  # the file or spreadsheet written
    cells_written: int
    sheets_written: tuple[str, ...] = ()
    backup: str | None = None  # where the state before the run was kept, for undo


@dataclass(frozen=True)
class UndoResult:
    """What an undo restored."""

    target: str
    restored_from: str
    run_started: str  # when the undone run started (ISO timestamp)


@dataclass(frozen=True)
class RunInfo:
    """Facts about the run that a backend records in its journal."""

    steps: tuple[str, ...]
    started: str  # ISO timestamp
    user: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)


class Backend(Protocol):
    """One medium: read it whole, apply a plan, undo the last run."""

    def read(self) -> RawWorkbook:
        """Every sheet's values, row 1 first."""
        ...

    def apply(self, plan: Plan, *, run: RunInfo) -> ApplyResult:
        """Write the plan; refuse, untouched, when the medium changed since `read`."""
        ...

    def undo(self) -> UndoResult:
        """Restore the state before the last run."""
        ...


def place_columns(raw: RawWorkbook, plan: Plan) -> dict[tuple[str, str], int]:
    """The 1-based column each SetColumn of the plan writes to, by (sheet, key).

    An existing column of ours (its header in the header row, in either language) is reused;
    a new one goes right after the last used column of the sheet, in plan order.

    >>> from toolkit.table import RawSheet
    >>> raw = RawWorkbook("x", (RawSheet("C", [["Name", "Issues"], ["Li", None]]),))
    >>> change = SetColumn("C", "tags", "Tags", 1, 2, ("vip",))
    >>> place_columns(raw, Plan((change,)))
    {('C', 'tags'): 3}
    """
    positions: dict[tuple[str, str], int] = {}
    next_free: dict[str, int] = {}
    for change in plan.changes:
        if not isinstance(change, SetColumn) or (change.sheet, change.key) in positions:
            continue
        sheet = raw.sheet(change.sheet)
        rows = sheet.rows if sheet else []
        header = rows[change.header_row - 1] if len(rows) >= change.header_row else []
        existing = next(
            (i + 1 for i, v in enumerate(header) if own_column_key(v) == change.key), None
        )
        if existing is None:
            if change.sheet not in next_free:
                next_free[change.sheet] = _last_used_column(rows) + 1
            existing = next_free[change.sheet]
            next_free[change.sheet] += 1
        positions[(change.sheet, change.key)] = existing
    return positions


def _last_used_column(rows: Sequence[Sequence[CellValue]]) -> int:
    last = 0
    for row in rows:
        for index in range(len(row), last, -1):
            if not is_blank(row[index - 1]):
                last = index
                break
    return last
