"""Undoing the last run from its journal: the requests that put every changed thing back.

Values and formats of the overwritten ranges come back from the hidden backup sheets (a copy
and paste of the same coordinates, so formulas come back as they were); backgrounds we changed
are set back to what they were; rows and columns we appended are deleted; our new sheets are
deleted and the sheets they replaced renamed back; the state becomes what it was.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from toolkit.backends.gsheets.highlights import background_request
from toolkit.backends.gsheets.snapshot import Snapshot, a1
from toolkit.backends.gsheets.state import STATE_SHEET, Block, Journal, chunks, digest, runs
from toolkit.errors import UndoError


def edited_since(snapshot: Snapshot, journal: Journal, answers: list[list[list[Any]]]) -> list[str]:
    """The blocks we wrote whose values someone changed after the run.

    Example: `edited_since(snapshot, journal, [[["Issues"], ["edited by hand"]]])` gives
    `["'Customers'!D1:D2"]` when the journal's one written block was D1:D2 with other values.
    """
    edited = []
    for written, rows in zip(journal.written, answers, strict=True):
        if digest(rows, written.block.col1 - written.block.col0) != written.digest:
            edited.append(written_range(snapshot, written.block))
    return edited


def written_range(snapshot: Snapshot, block: Block) -> str:
    """The A1 range of a block we wrote, by the sheet's title now ('Customers'!D1:D9)."""
    info = snapshot.by_id(block.sheet_id)
    if info is None:
        raise UndoError(
            "A sheet custkit wrote to in its last run has been deleted since; nothing was "
            "restored. Use Version history in Google Sheets to go back instead."
        )
    return a1(info.title, block.row0, block.row1, block.col0, block.col1)


def undo_requests(snapshot: Snapshot, journal: Journal, state_rows: int) -> list[dict[str, Any]]:
    """Every request that undoes the journal's run, in an order the API accepts.

    Example: a run that added column D and a Validation sheet is undone by a copyPaste of
    D's old cells from the backup sheet, a deleteDimension of D, a deleteSheet of Validation
    and of the backup sheet, and an updateCells putting the previous state back.
    """
    present = {s.sheet_id for s in snapshot.sheets}
    requests: list[dict[str, Any]] = []
    for block, backup in journal.copies:
        if backup not in present:
            raise UndoError(
                "The hidden backup sheet of the last run is gone (deleted by hand?); nothing was "
                "restored. Use Version history in Google Sheets to go back instead."
            )
        paste = {
            "source": block.grid(backup),
            "destination": block.grid(),
            "pasteType": "PASTE_NORMAL",
        }
        requests.append({"copyPaste": paste})
    requests.extend(_backgrounds(journal, present))
    requests.extend(_shrink(snapshot, journal))
    requests.extend({"deleteSheet": {"sheetId": s}} for s in journal.added if s in present)
    for old in journal.replaced:
        if old.old_id in present:
            props = {
                "sheetId": old.old_id,
                "title": old.title,
                "hidden": old.hidden,
                "index": old.index,
            }
            requests.append(
                {"updateSheetProperties": {"properties": props, "fields": "title,hidden,index"}}
            )
    requests.extend({"deleteSheet": {"sheetId": s}} for s in journal.backups if s in present)
    requests.extend(_state(snapshot, journal, state_rows))
    return requests


def _backgrounds(journal: Journal, present: set[int]) -> list[dict[str, Any]]:
    groups: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    looks: dict[str, Any] = {}
    for sheet_id, row, column, style in journal.backgrounds:
        if sheet_id in present:
            groups[(sheet_id, repr(style))].append((row, column))
            looks[repr(style)] = style
    requests = []
    for (sheet_id, look), cells in groups.items():
        for column, row0, row1 in runs(cells):
            requests.append(
                background_request(Block(sheet_id, row0 - 1, row1, column - 1, column), looks[look])
            )
    return requests


def _shrink(snapshot: Snapshot, journal: Journal) -> list[dict[str, Any]]:
    """Delete the rows and columns the run appended to a grid."""
    requests = []
    for sheet_id, rows, columns in journal.grown:
        info = snapshot.by_id(sheet_id)
        if info is None:
            continue
        for dimension, before, now in (
            ("COLUMNS", columns, info.columns),
            ("ROWS", rows, info.rows),
        ):
            if now > before:
                span = {
                    "sheetId": sheet_id,
                    "dimension": dimension,
                    "startIndex": before,
                    "endIndex": now,
                }
                requests.append({"deleteDimension": {"range": span}})
    return requests


def _state(snapshot: Snapshot, journal: Journal, state_rows: int) -> list[dict[str, Any]]:
    info = snapshot.info(STATE_SHEET)
    if info is None:
        return []
    if journal.state_sheet_added:  # there was no state before that run
        return [{"deleteSheet": {"sheetId": info.sheet_id}}]
    previous = chunks(journal.previous_state)
    height = max(state_rows, len(previous), 1)
    rows = [
        {
            "values": [{"userEnteredValue": {"stringValue": previous[r]}}]
            if r < len(previous)
            else []
        }
        for r in range(height)
    ]
    grid = Block(info.sheet_id, 0, min(height, info.rows), 0, min(2, info.columns)).grid()
    return [
        {"updateCells": {"range": grid, "rows": rows[: info.rows], "fields": "userEnteredValue"}}
    ]
