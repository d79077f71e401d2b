"""A whole run on the demo workbooks gives the same sheets in Google Sheets as in an .xlsx file.

The same workbook is run through every step twice: as a file with the .xlsx backend, and as
a spreadsheet in the stand-in with the Google Sheets backend. Every sheet must read back with
the same values and the same cells coloured with the same highlight colours. Two differences
are the media's, not ours: a Sheets cell cannot hold an empty string (writing "" clears it), and
openpyxl reads every date as a datetime.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.sheets_standin import SheetsStandIn
from tests.sheets_standin.model import Cell
from tests.sheets_standin.world import seed_spreadsheet, sheet
from toolkit.backends.gsheets import GoogleSheetsBackend, open_spreadsheet
from toolkit.backends.gsheets.convert import HIGHLIGHT_FILLS, hex_of
from toolkit.backends.gsheets.convert import rgb as rgb_of
from toolkit.backends.xlsx import XlsxBackend, read_values
from toolkit.runner import RunOptions, run
from toolkit.table import RawWorkbook

WORKBOOKS = Path(__file__).resolve().parents[3] / "workbooks"
OPTIONS = RunOptions(as_of=date(2025, 6, 30))
Factory = Callable[..., GoogleSheetsBackend]


def values(raw: RawWorkbook) -> dict[str, list[list[Any]]]:
    """Every visible sheet's values, blanks as None, dates as dates, trailing blanks cut."""
    out = {}
    for sheet_ in raw.sheets:
        if sheet_.name.startswith("_custkit"):
            continue
        rows = []
        for row in sheet_.rows:
            line = [_plain(v) for v in row]
            while line and line[-1] is None:
                line.pop()
            rows.append(line)
        while rows and not rows[-1]:
            rows.pop()
        out[sheet_.name] = rows
    return out


def _plain(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, datetime) and value.time() == time():
        return value.date()
    return value


def xlsx_highlights(path: Path) -> set[tuple[str, int, int, str]]:
    book = openpyxl.load_workbook(path)
    found = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                rgb = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type else None
                if isinstance(rgb, str) and rgb[-6:] in HIGHLIGHT_FILLS.values():
                    found.add((ws.title, cell.row, cell.column, rgb[-6:]))
    return found


def copy_fills(path: Path, standin: SheetsStandIn, key: str) -> None:
    """Give the seeded spreadsheet the workbook's cell fills (the demo colours its headers)."""
    for ws in openpyxl.load_workbook(path).worksheets:
        target = sheet(standin, key, ws.title)
        for row in ws.iter_rows():
            for cell in row:
                rgb = (
                    cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
                )
                if isinstance(rgb, str):
                    colour = {"rgbColor": rgb_of(rgb[-6:])}
                    look = {"backgroundColorStyle": colour, "backgroundColor": colour["rgbColor"]}
                    old = target.cells.get((cell.row - 1, cell.column - 1)) or Cell()
                    target.cells[(cell.row - 1, cell.column - 1)] = replace(
                        old, fmt={**(old.fmt or {}), **look}
                    )


def sheets_highlights(
    standin: SheetsStandIn, key: str, titles: list[str]
) -> set[tuple[str, int, int, str]]:
    found = set()
    for title in titles:
        for (row, column), cell in sheet(standin, key, title).cells.items():
            colour = hex_of((cell.fmt or {}).get("backgroundColorStyle"))
            if colour in HIGHLIGHT_FILLS.values():
                found.add((title, row + 1, column + 1, colour))
    return found


@pytest.mark.parametrize("name", ["demo_en.xlsx", "demo_zh.xlsx"])
def test_a_full_run_and_its_undo_match_the_xlsx_backend(
    standin: SheetsStandIn, credentials: Path, sheets_env: dict[str, str], tmp_path: Path, name: str
) -> None:
    source = WORKBOOKS / name
    if not source.is_file():
        pytest.skip(f"{source} has not been generated")
    book = tmp_path / name
    shutil.copy(source, book)
    original = read_values(source)
    key = seed_spreadsheet(standin, [(s.name, [list(r) for r in s.rows]) for s in original.sheets])
    copy_fills(source, standin, key)
    backend = open_spreadsheet(key, credentials=credentials, environ=sheets_env)

    run(XlsxBackend(book), OPTIONS, workbook_path=book)
    run(backend, OPTIONS)

    expected, actual = values(read_values(book)), values(backend.read())
    # The Run Log's row says when and by whom: a second apart, the OS user vs the Google account.
    log_title = "运行记录" if "运行记录" in expected else "Run Log"
    for log in (expected[log_title], actual[log_title]):
        log[1][:2] = [None, None]
    assert list(actual) == list(expected)
    for title in expected:
        assert actual[title] == expected[title], title
    assert sheets_highlights(standin, key, list(expected)) == xlsx_highlights(book)

    backend.undo()

    assert values(backend.read()) == values(original)
