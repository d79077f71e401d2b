"""The Excel buttons, pressed in a stand-in workbook (tests/xlwings_standin.py).

Every button must leave the workbook as `custkit run` with the same options leaves the file;
undo must restore it; anything custkit refuses must come back as a message, not a traceback.
"""

from __future__ import annotations

import inspect
import shutil
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import tests.xlwings_standin
import toolkit.macros as macros
from tests.xlwings_standin import Book, highlights, sheet_values
from toolkit.backends.excel import ExcelBackend
from toolkit.backends.xlsx import XlsxBackend, read_values
from toolkit.macros import BUTTONS, Button, press
from toolkit.runner import run

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
RUNS = [b for b in BUTTONS if not b.undo]


def copies(tmp_path: Path, name: str = "demo_en.xlsx") -> tuple[Path, Book]:
    source = WORKBOOKS / name
    if not source.is_file():
        pytest.skip(f"{source} has not been generated")
    for folder in ("file", "excel"):
        (tmp_path / folder).mkdir()
        shutil.copy(source, tmp_path / folder / name)
    return tmp_path / "file" / name, Book(tmp_path / "excel" / name)


@pytest.fixture
def xlwings_standin(monkeypatch: pytest.MonkeyPatch) -> None:
    """`import xlwings` inside the buttons gets the stand-in (Linux has no Excel)."""
    monkeypatch.setitem(sys.modules, "xlwings", tests.xlwings_standin)


@pytest.mark.parametrize("button", RUNS, ids=[b.function for b in RUNS])
@pytest.mark.usefixtures("xlwings_standin")
def test_each_button_does_what_custkit_run_does(tmp_path: Path, button: Button) -> None:
    file_copy, book = copies(tmp_path)
    book.set_mock_caller()
    as_of = date.today()  # the buttons run as of today, as `custkit run` does

    message = getattr(macros, button.function)()
    run(XlsxBackend(file_copy), replace(button.options(), as_of=as_of), workbook_path=file_copy)

    expected, actual = sheet_values(read_values(file_copy)), sheet_values(ExcelBackend(book).read())
    for values in (expected, actual):  # the Run Log's times: two runs, seconds apart
        for row in values.get("Run Log", values.get("运行记录", []))[1:]:
            row[:1] = [None]
    assert list(actual) == list(expected)
    for title in expected:
        assert actual[title] == expected[title], title
    book.save(tmp_path / "after.xlsx")
    assert highlights(tmp_path / "after.xlsx") == highlights(file_copy)
    assert book.app.alerts == [(message, "custkit")]
    assert message.startswith(f"{button.caption_en}: done.")


def test_undo_button_restores_the_workbook(tmp_path: Path) -> None:
    _, book = copies(tmp_path, "demo_zh.xlsx")
    press("run_all", book)
    message = press("undo_last_run", book)
    assert message.startswith("已撤销")
    original = read_values(WORKBOOKS / "demo_zh.xlsx")
    assert sheet_values(ExcelBackend(book).read()) == sheet_values(original)


@pytest.mark.parametrize(
    ("rows", "function", "expected"),
    [
        ([["x", "y"], [1, 2]], "validate", "header"),
        ([["Name", "Phone"], ["Li", "13800138000"]], "undo_last_run", "no custkit run to undo"),
    ],
)
def test_a_refusal_becomes_a_message_and_a_status_cell(
    tmp_path: Path, rows: list[list[object]], function: str, expected: str
) -> None:
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.create_sheet("custkit")
    wb.save(path)
    book = Book(path)

    message = press(function, book)

    assert message.startswith("custkit could not run:\n")
    assert expected in message.lower()
    assert "Traceback" not in message
    assert book.app.alerts == [(message, "custkit")]
    assert book.sheets["custkit"].range("B2").value == message.replace("\n", " | ")


def test_every_button_has_a_no_argument_function() -> None:
    for button in BUTTONS:
        function = getattr(macros, button.function)
        assert callable(function) and not inspect.signature(function).parameters
    assert len({b.function for b in BUTTONS}) == len({b.sub for b in BUTTONS}) == len(BUTTONS)


def test_a_button_run_is_logged_with_its_button(tmp_path: Path) -> None:
    _, book = copies(tmp_path, "demo_en.xlsx")
    press("validate", book)
    log = book.sheets["Run Log"].used_range.value
    assert log[0][3] == "Command"
    assert [row[3] for row in log[1:]] == ["excel validate"]
