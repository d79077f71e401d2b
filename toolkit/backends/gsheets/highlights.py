"""Our highlight styles on the user's cells, and the backgrounds they had before.

A cell shows the last style that lists it (the plan's order, after styles the plan did not
mention, which keep their cells). A cell that no longer carries any of our styles gets back
the background it had before we first coloured it, kept in the state for that purpose; every
background we change is journalled with its value before the run, for undo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from toolkit.backends.gsheets.convert import HIGHLIGHT_FILLS, color_style
from toolkit.backends.gsheets.state import Block, Cell, Journal, State, Style, runs
from toolkit.plan import Highlight

BACKGROUND_FIELDS = "userEnteredFormat(backgroundColor,backgroundColorStyle)"


def highlight_requests(
    sheet_id: int, listed: Sequence[Highlight], state: State, now: dict[Cell, Any], journal: Journal
) -> list[dict[str, Any]]:
    """Requests colouring one sheet as `listed` says; updates `state` and `journal`.

    `now` is each cell's background as read (an API ColorStyle), for the cells that have one.

    >>> state, journal = State(), Journal("2025-06-30T09:00", [], "", {})
    >>> listed = [Highlight("C", "error", ((2, 1), (3, 1)))]
    >>> requests = highlight_requests(0, listed, state, {}, journal)
    >>> len(requests), sorted(state.highlights[0]["error"]), len(journal.backgrounds)
    (1, [(2, 1), (3, 1)], 2)
    """
    old = state.highlights.get(sheet_id, {})
    new: dict[str, set[Cell]] = defaultdict(set)
    for item in listed:
        new[item.style].update(item.cells)
    final = {**old, **new}
    order = [s for s in old if s not in new] + list(dict.fromkeys(i.style for i in listed))
    was, wanted = colouring(old, list(old)), colouring(final, order)
    originals = state.originals.setdefault(sheet_id, {})
    targets: dict[Cell, Style | None] = {}
    for cell in sorted(set(was) | set(wanted)):
        had, want = was.get(cell), wanted.get(cell)
        if had == want:
            continue
        if want is None:
            targets[cell] = originals.pop(cell, None)
        else:
            if had is None:
                originals[cell] = now.get(cell)
            targets[cell] = color_style(HIGHLIGHT_FILLS[want])
        journal.backgrounds.append((sheet_id, cell[0], cell[1], now.get(cell)))
    state.highlights[sheet_id] = {s: c for s, c in final.items() if c}
    return background_requests(sheet_id, targets)


def colouring(styles: dict[str, set[Cell]], order: list[str]) -> dict[Cell, str]:
    """Which style each cell shows: the last style in `order` that lists it.

    >>> colouring({"error": {(2, 1)}, "duplicate": {(2, 1), (3, 1)}}, ["error", "duplicate"])
    {(2, 1): 'duplicate', (3, 1): 'duplicate'}
    """
    shown: dict[Cell, str] = {}
    for style in order:
        for cell in sorted(styles.get(style, ())):
            shown[cell] = style
    return shown


def background_requests(sheet_id: int, targets: dict[Cell, Style | None]) -> list[dict[str, Any]]:
    """One repeatCell per vertical run of cells getting the same background.

    >>> len(background_requests(0, {(2, 1): None, (3, 1): None, (9, 1): None}))
    2
    """
    by_look: dict[str, list[Cell]] = defaultdict(list)
    looks: dict[str, Style | None] = {}
    for cell, style in targets.items():
        by_look[repr(style)].append(cell)
        looks[repr(style)] = style
    requests = []
    for look, cells in by_look.items():
        for column, row0, row1 in runs(cells):
            block = Block(sheet_id, row0 - 1, row1, column - 1, column)
            requests.append(background_request(block, looks[look]))
    return requests


def background_request(block: Block, style: Style | None) -> dict[str, Any]:
    """Set (or, for None, clear) a block's background: both twin fields, the Style wins.

    >>> background_request(Block(0, 1, 2, 0, 1), None)["repeatCell"]["cell"]
    {}
    """
    fmt: dict[str, Any] = {}
    if style is not None:
        fmt["backgroundColorStyle"] = style
        if "rgbColor" in style:
            fmt["backgroundColor"] = style["rgbColor"]
    cell = {"userEnteredFormat": fmt} if fmt else {}
    return {"repeatCell": {"range": block.grid(), "cell": cell, "fields": BACKGROUND_FIELDS}}
