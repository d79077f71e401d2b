"""The live-Excel backend's memory: state rows in the "_custkit" sheet, undo records on disk.

The state sheet is shared with the file writer (toolkit/backends/ooxml/state.py): row 1 is a
title, then key/value rows in columns A and B. Our rows start with "excel."; long values are
split over numbered rows because an Excel cell holds at most 32,767 characters. The undo
record of the last run is a JSON file `.custkit/excel-<workbook>.json` beside the workbook.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.backends.base import RunInfo
from toolkit.errors import UndoError
from toolkit.i18n import own_sheet_key

STATE_SHEET = "_custkit"
TITLE = ("custkit", "State of custkit runs on this workbook. Do not edit.")
PIECE = 30_000  # characters per state cell, under Excel's 32,767
Cell = tuple[int, int]


def encode(value: Any) -> Any:
    """A JSON-ready copy of cell values: dates become {"$date": iso}.

    >>> encode([[date(2025, 6, 30), 3]])
    [[{'$date': '2025-06-30T00:00:00'}, 3]]
    """
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, datetime):
        return {"$date": value.isoformat()}
    if isinstance(value, date):
        return {"$date": datetime(value.year, value.month, value.day).isoformat()}
    return value


def decode(value: Any) -> Any:
    """The inverse of `encode`; a single value comes back as a one-cell 2D list.

    >>> decode([[{"$date": "2025-06-30T00:00:00"}]])
    [[datetime.datetime(2025, 6, 30, 0, 0)]]
    """
    if isinstance(value, dict) and "$date" in value:
        return datetime.fromisoformat(value["$date"])
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


class ExcelState:
    """The key/value rows of the state sheet (ours and the file writer's)."""

    def __init__(self, values: Mapping[str, str] | None) -> None:
        self.existed = values is not None
        self.values: dict[str, str] = dict(values or {})

    @staticmethod
    def load(book: Any) -> ExcelState:
        """The state as the workbook holds it now (empty when there is no state sheet)."""
        sheet = _state_sheet(book)
        if sheet is None:
            return ExcelState(None)
        last = sheet.used_range.last_cell
        rows = sheet.range((1, 1), (max(last.row, 1), 2)).options(ndim=2).value or []
        values = {str(r[0]): "" if r[1] is None else str(r[1]) for r in rows[1:] if r[0]}
        return ExcelState(values)

    def save(self, book: Any) -> None:
        """Write every row back; a state that did not exist before and stays empty is skipped."""
        sheet = _state_sheet(book)
        if sheet is None and not self.existed and not self.values:
            return
        if not self.existed and not self.values and sheet is not None:
            sheet.delete()
            return
        if sheet is None:
            sheet = book.sheets.add(STATE_SHEET, after=book.sheets[len(book.sheets) - 1])
        sheet.used_range.clear_contents()
        rows = [list(TITLE), *([k, v] for k, v in sorted(self.values.items()))]
        sheet.range((1, 1), (len(rows), 2)).value = [["'" + str(c) for c in r] for r in rows]
        _hide(sheet)

    def _get(self, key: str) -> str | None:
        if key in self.values:
            return self.values[key]
        pieces: list[str] = []
        while f"{key}#{len(pieces)}" in self.values:
            pieces.append(self.values[f"{key}#{len(pieces)}"])
        return "".join(pieces) if pieces else None

    def _put(self, key: str, text: str) -> None:
        self.values = {
            k: v for k, v in self.values.items() if k != key and not k.startswith(f"{key}#")
        }
        for index in range(0, len(text), PIECE):
            self.values[f"{key}#{index // PIECE}"] = text[index : index + PIECE]

    def own_sheet(self, key: str, names: list[str]) -> str | None:
        """Our sheet for `key`: recorded by us (or the file writer) and still named as ours."""
        for recorded in (self._get(f"excel.sheet:{key}"), self.values.get(f"sheet:{key}")):
            if recorded in names and own_sheet_key(recorded.rsplit(" (", 1)[0]) == key:
                return recorded
        return None

    def set_own_sheet(self, key: str, name: str) -> None:
        self._put(f"excel.sheet:{key}", name)

    def highlights(self, sheet: str) -> dict[Cell, str]:
        """Which of our styles each cell of `sheet` shows now."""
        text = self._get(f"excel.highlights:{sheet}")
        return {(r, c): s for r, c, s in json.loads(text)} if text else {}

    def originals(self, sheet: str) -> dict[Cell, str | None]:
        """The colour each highlighted cell had before we first coloured it."""
        text = self._get(f"excel.originals:{sheet}")
        return {(r, c): colour for r, c, colour in json.loads(text)} if text else {}

    def set_highlights(
        self, sheet: str, shown: Mapping[Cell, str], originals: Mapping[Cell, str | None]
    ) -> None:
        marks = [[r, c, s] for (r, c), s in sorted(shown.items())]
        self._put(f"excel.highlights:{sheet}", json.dumps(marks, separators=(",", ":")))
        kept = [[r, c, v] for (r, c), v in sorted(originals.items())]
        self._put(f"excel.originals:{sheet}", json.dumps(kept, separators=(",", ":")))


class ExcelJournal:
    """The undo record of the last run on one workbook, as a JSON file."""

    def __init__(self, folder: Path, book_name: str) -> None:
        self.path = folder / ".custkit" / f"excel-{book_name}.json"

    def start(self, run: RunInfo, state: ExcelState) -> dict[str, Any]:
        """A new record; the backend appends what it overwrites as it writes."""
        return {
            "started": run.started,
            "steps": list(run.steps),
            "state": dict(state.values) if state.existed else None,
            "values": [],  # [sheet, first row, column, values before (2D)]
            "formats": [],  # [sheet, first row, column, last row, number format before]
            "colours": [],  # [sheet, first row, column, colours before]
            "added": [],  # sheets the run added
            "replaced": [],  # [title, hidden name it was given]
        }

    def save(self, record: dict[str, Any]) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)
        return self.path

    def load(self) -> dict[str, Any]:
        if not self.path.is_file():
            raise UndoError(
                "There is no custkit run to undo in this workbook (or it was already undone)."
            )
        record: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        return record

    def done(self) -> None:
        """An undone run cannot be undone twice."""
        self.path.unlink(missing_ok=True)


def _state_sheet(book: Any) -> Any:
    for sheet in book.sheets:
        if sheet.name == STATE_SHEET:
            return sheet
    return None


def _hide(sheet: Any) -> None:
    """Very hidden where Excel's object model is there (Windows: xlSheetVeryHidden = 2)."""
    sheet.visible = False
    api = getattr(sheet, "api", None)
    if api is not None:
        # macOS and some builds expose another API: hidden is enough there
        with contextlib.suppress(Exception):
            api.Visible = 2
