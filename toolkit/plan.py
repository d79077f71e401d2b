"""A Plan: every change a run will make, as data, before anything is written.

Routines return Plans; backends apply them. `--dry-run` prints the same Plan a real run would
apply, so preview and action cannot drift apart. Changes name their cells by sheet and 1-based
row/column, and our own columns and sheets by a stable `key`, so a re-run finds and updates them
in place (in either language) instead of adding a second copy.

Plans are frozen dataclasses rather than pydantic models on purpose: a plan for a million rows
holds millions of values, and validating each one again would cost seconds for nothing (the
routines that build them are typed and tested).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from toolkit.table import CellValue, column_letter

# Rows a sheet can hold, its header row included: Excel's limit, also the most a file
# backend writes; our own sheets that would be longer are cut by their step or refused.
SHEET_ROW_LIMIT = 1_048_576

Severity = Literal["error", "warning", "info"]
HighlightStyle = Literal["error", "warning", "overdue", "duplicate", "review"]


@dataclass(frozen=True)
class Finding:
    """One problem in one cell, with a reason and, where one exists, a suggested fix.

    >>> Finding("客户", 7, 3, "phone", "1380013800", "phone_invalid", "手机号位数不对").where
    '客户!C7'
    """

    sheet: str
    row: int
    column: int
    field: str
    value: CellValue
    problem: str  # a stable code such as "phone_invalid"; the message is for people
    message: str
    suggestion: CellValue = None
    severity: Severity = "error"

    @property
    def where(self) -> str:
        return f"{self.sheet}!{column_letter(self.column)}{self.row}"


@dataclass(frozen=True)
class CellWrite:
    """A value for one existing cell of a user's sheet (a fix, a re-pointed reference)."""

    row: int
    column: int
    value: CellValue


@dataclass(frozen=True)
class SetCells:
    """Overwrite some cells of a sheet. Used only for changes the user asked for (--fix)."""

    sheet: str
    cells: tuple[CellWrite, ...]
    reason: str
    kind: Literal["set_cells"] = "set_cells"
    # True when the writes move rows (a dedupe merge closing gaps): formula cells among them
    # would be lost, so the file backend refuses such a change instead of writing values.
    moves_rows: bool = False


@dataclass(frozen=True)
class SetColumn:
    """Write one of our own columns on a table: found by `key` in either language, else added.

    `values[i]` goes to sheet row `first_row + i`; every other cell of the column below the
    header is cleared, so stale results from an earlier run disappear.
    """

    sheet: str
    key: str  # e.g. "issues"; its labels in every language live in toolkit.i18n
    header: str  # the label to write, in the run's language
    header_row: int
    first_row: int
    values: tuple[CellValue, ...]
    number_format: str | None = None
    kind: Literal["set_column"] = "set_column"


@dataclass(frozen=True)
class Highlight:
    """Colour cells with one of our styles; cells that carried this style before are reset.

    A step always emits its Highlight, even with no cells, so that fixed cells lose their
    colour on the next run.
    """

    sheet: str
    style: HighlightStyle
    cells: tuple[tuple[int, int], ...]  # (row, column)
    kind: Literal["highlight"] = "highlight"


@dataclass(frozen=True)
class ChartSeries:
    """One data series of a chart, as a column range of the sheet being written."""

    title: str
    column: int
    first_row: int
    last_row: int


@dataclass(frozen=True)
class ChartSpec:
    """A native workbook chart over a range of the sheet being written."""

    chart: Literal["bar", "column", "pie", "line"]
    title: str
    anchor: str  # top-left cell, e.g. "H2"
    categories_column: int
    series: tuple[ChartSeries, ...]


@dataclass(frozen=True)
class WriteSheet:
    """Write one of our own sheets whole: found by `key` in either language and replaced.

    `row_styles` colours whole data rows (0-based index into `rows`).
    """

    key: str  # e.g. "validation"
    title: str  # the sheet name to use, in the run's language
    header: tuple[str, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    column_widths: tuple[float, ...] = ()
    row_styles: tuple[tuple[int, HighlightStyle], ...] = ()
    charts: tuple[ChartSpec, ...] = ()
    kind: Literal["write_sheet"] = "write_sheet"


Change = SetCells | SetColumn | Highlight | WriteSheet


@dataclass(frozen=True)
class Plan:
    """What one or more steps will do: changes to apply and findings to report."""

    changes: tuple[Change, ...] = ()
    findings: tuple[Finding, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)  # e.g. {"validate.rows": 412}

    @staticmethod
    def combine(plans: Iterable[Plan]) -> Plan:
        """One plan doing everything the given plans do, in order.

        >>> Plan.combine([Plan(counts={"a": 1}), Plan(counts={"b": 2})]).counts
        {'a': 1, 'b': 2}
        """
        changes: list[Change] = []
        findings: list[Finding] = []
        counts: dict[str, int] = {}
        for plan in plans:
            changes.extend(plan.changes)
            findings.extend(plan.findings)
            counts.update(plan.counts)
        return Plan(tuple(changes), tuple(findings), counts)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def cells_changed(self) -> int:
        """How many cells the plan writes (our columns, fixes and sheet cells)."""
        total = 0
        for change in self.changes:
            if isinstance(change, SetCells):
                total += len(change.cells)
            elif isinstance(change, SetColumn):
                total += len(change.values) + 1
            elif isinstance(change, WriteSheet):
                total += (len(change.rows) + 1) * len(change.header)
        return total

    def summary(self) -> dict[str, object]:
        """A JSON-ready summary: counts, findings by problem, changes by kind.

        >>> Plan().summary()["findings_total"]
        0
        """
        return {
            "counts": dict(self.counts),
            "findings_total": len(self.findings),
            "findings_by_problem": dict(Counter(f.problem for f in self.findings).most_common()),
            "changes": [_describe(change) for change in self.changes],
            "cells_changed": self.cells_changed(),
        }


def _describe(change: Change) -> dict[str, object]:
    if isinstance(change, SetCells):
        return {"kind": change.kind, "sheet": change.sheet, "cells": len(change.cells)}
    if isinstance(change, SetColumn):
        return {
            "kind": change.kind,
            "sheet": change.sheet,
            "column": change.header,
            "rows": len(change.values),
        }
    if isinstance(change, Highlight):
        return {
            "kind": change.kind,
            "sheet": change.sheet,
            "style": change.style,
            "cells": len(change.cells),
        }
    return {
        "kind": change.kind,
        "sheet": change.title,
        "rows": len(change.rows),
        "charts": len(change.charts),
    }
