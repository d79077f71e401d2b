"""What custkit remembers inside the spreadsheet, in the hidden sheet `_custkit`.

Column A holds the state that outlives runs: which sheets are ours (by sheet id, so a renamed
sheet is still found), which cells carry which of our highlight styles, and each highlighted
cell's background from before we first coloured it. Column B holds the journal of the last
run: everything needed to undo it exactly. Both are JSON, cut into chunks that fit a cell.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

STATE_SHEET = "_custkit"
BACKUP_PREFIX = "_custkit_undo_"  # hidden copies of the ranges a run overwrote
PREVIOUS_PREFIX = "_custkit_prev_"  # our own sheets as they were before a run replaced them
CHUNK = 40_000  # characters per cell (Sheets keeps 50,000)
VERSION = 1

Cell = tuple[int, int]  # 1-based (row, column)
Style = dict[str, Any]  # an API ColorStyle, e.g. {"rgbColor": {"red": 1, ...}}


def is_internal(title: str) -> bool:
    """Sheets custkit keeps for itself, never shown to routines.

    >>> is_internal("_custkit"), is_internal("_custkit_undo_0"), is_internal("Customers")
    (True, True, False)
    """
    return title == STATE_SHEET or title.startswith((BACKUP_PREFIX, PREVIOUS_PREFIX))


@dataclass
class State:
    """Facts that outlive a run."""

    own_sheets: dict[str, int] = field(default_factory=dict)  # WriteSheet key -> sheet id
    highlights: dict[int, dict[str, set[Cell]]] = field(default_factory=dict)
    originals: dict[int, dict[Cell, Style | None]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "own_sheets": self.own_sheets,
            "highlights": {
                str(sheet): {
                    s: [list(c) for c in sorted(cells)] for s, cells in styles.items() if cells
                }
                for sheet, styles in self.highlights.items()
            },
            "originals": {
                str(sheet): [[r, c, style] for (r, c), style in sorted(cells.items())]
                for sheet, cells in self.originals.items()
                if cells
            },
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> State:
        return State(
            own_sheets={str(k): int(v) for k, v in data.get("own_sheets", {}).items()},
            highlights={
                int(sheet): {
                    style: {(int(r), int(c)) for r, c in cells} for style, cells in styles.items()
                }
                for sheet, styles in data.get("highlights", {}).items()
            },
            originals={
                int(sheet): {(int(r), int(c)): style for r, c, style in cells}
                for sheet, cells in data.get("originals", {}).items()
            },
        )


@dataclass(frozen=True)
class Block:
    """A rectangle of one sheet, 0-based and end-exclusive like the API's GridRange."""

    sheet_id: int
    row0: int
    row1: int
    col0: int
    col1: int

    def grid(self, sheet_id: int | None = None) -> dict[str, int]:
        return {
            "sheetId": self.sheet_id if sheet_id is None else sheet_id,
            "startRowIndex": self.row0,
            "endRowIndex": self.row1,
            "startColumnIndex": self.col0,
            "endColumnIndex": self.col1,
        }


@dataclass(frozen=True)
class Written:
    """A block we wrote values into, and a digest of those values (to spot later edits)."""

    block: Block
    digest: str


@dataclass(frozen=True)
class Replaced:
    """One of our sheets that a run replaced: the old one was renamed and hidden."""

    old_id: int
    new_id: int
    title: str
    index: int
    hidden: bool


@dataclass
class Journal:
    """Everything needed to undo the last run."""

    started: str
    steps: list[str]
    user: str
    previous_state: dict[str, Any]
    copies: list[tuple[Block, int]] = field(default_factory=list)  # (block, backup sheet id)
    backgrounds: list[tuple[int, int, int, Style | None]] = field(default_factory=list)
    grown: list[tuple[int, int, int]] = field(default_factory=list)  # sheet, rows, cols before
    added: list[int] = field(default_factory=list)
    replaced: list[Replaced] = field(default_factory=list)
    backups: list[int] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    state_sheet_added: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> Journal:
        return Journal(
            started=str(data["started"]),
            steps=list(data.get("steps", [])),
            user=str(data.get("user", "")),
            previous_state=dict(data.get("previous_state", {})),
            copies=[(Block(**b), int(backup)) for b, backup in data.get("copies", [])],
            backgrounds=[
                (int(s), int(r), int(c), style) for s, r, c, style in data.get("backgrounds", [])
            ],
            grown=[(int(s), int(r), int(c)) for s, r, c in data.get("grown", [])],
            added=[int(s) for s in data.get("added", [])],
            replaced=[Replaced(**item) for item in data.get("replaced", [])],
            backups=[int(s) for s in data.get("backups", [])],
            written=[
                Written(Block(**w["block"]), str(w["digest"])) for w in data.get("written", [])
            ],
            state_sheet_added=bool(data.get("state_sheet_added", False)),
        )


def chunks(data: dict[str, Any] | None) -> list[str]:
    """JSON text cut into cell-sized pieces (none for no data).

    >>> chunks({"a": 1})
    ['{"a":1}']
    """
    if data is None:
        return []
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)]


def parse_column(values: Iterable[Any]) -> dict[str, Any] | None:
    """The JSON object whose chunks fill a column (None for an empty or damaged column).

    >>> parse_column(['{"a":', None, '1}']), parse_column(["{broken"])
    ({'a': 1}, None)
    """
    text = "".join(v for v in values if isinstance(v, str))
    if not text:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def read_sheet(rows: Sequence[Sequence[Any]]) -> tuple[State, Journal | None]:
    """State and journal from the `_custkit` sheet's values (rows of [A, B]).

    >>> read_sheet([['{"own_sheets": {"validation": 5}}']])
    (State(own_sheets={'validation': 5}, highlights={}, originals={}), None)
    """
    state = parse_column(row[0] if len(row) > 0 else None for row in rows)
    journal = parse_column(row[1] if len(row) > 1 else None for row in rows)
    return (
        State.from_json(state) if state else State(),
        Journal.from_json(journal) if journal and "started" in journal else None,
    )


def digest(rows: Sequence[Sequence[Any]], width: int) -> str:
    """A digest of a block's values, padded to `width`, with blanks and numbers normalized.

    >>> digest([["x", 1]], 3) == digest([["x", 1.0, ""], ["", None]], 3)
    True
    """

    def norm(value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        return repr(float(value))

    padded = [[norm(v) for v in row] + [None] * (width - len(row)) for row in rows]
    while padded and all(v is None for v in padded[-1]):
        padded.pop()
    text = json.dumps(padded, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def runs(cells: Iterable[Cell]) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of each vertical run of cells, column by column.

    >>> runs([(2, 1), (3, 1), (5, 1), (2, 4)])
    [(1, 2, 3), (1, 5, 5), (4, 2, 2)]
    """
    found: list[tuple[int, int, int]] = []
    for row, column in sorted(cells, key=lambda rc: (rc[1], rc[0])):
        if found and found[-1][0] == column and found[-1][2] == row - 1:
            found[-1] = (column, found[-1][1], row)
        else:
            found.append((column, row, row))
    return found
