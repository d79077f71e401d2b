"""The live-Excel backend, on a stand-in of xlwings' object model (no Excel on Linux).

A run through ExcelBackend must leave the open workbook with the same values and highlight
colours as `custkit run` (XlsxBackend) leaves the file; undo must restore the workbook; a
re-run must not add columns or sheets; customer text must stay text.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.xlwings_standin import Book, highlights, sheet_values
from toolkit.backends.base import RunInfo
from toolkit.backends.excel import ExcelBackend, excel_text, runs
from toolkit.backends.xlsx import XlsxBackend, read_values
from toolkit.errors import UndoError, WorkbookChangedError
from toolkit.plan import Highlight, Plan, SetColumn
from toolkit.runner import RunOptions, run

WORKBOOKS = Path(__file__).resolve().parents[2] / "workbooks"
OPTIONS = RunOptions(as_of=date(2025, 6, 30))
RUN = RunInfo(("test",), "2025-06-30T09:00:00")


def demo(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """Two copies of a demo workbook: one for the file backend, one 'open in Excel'."""
    source = WORKBOOKS / name
    if not source.is_file():
        pytest.skip(f"{source} has not been generated")
    for folder in ("file", "excel"):
        (tmp_path / folder).mkdir()
        shutil.copy(source, tmp_path / folder / name)
    return tmp_path / "file" / name, tmp_path / "excel" / name


def without_run_times(values: dict[str, list[list[object]]]) -> dict[str, list[list[object]]]:
    """Sheet values with the Run Log's Time column blanked: two runs are seconds apart."""
    for title in ("Run Log", "运行记录"):
        for row in values.get(title, [])[1:]:
            row[:1] = [None]
    return values


def small_book(tmp_path: Path, rows: list[list[object]]) -> Book:
    path = tmp_path / "small.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "C"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return Book(path)


@pytest.mark.parametrize("name", ["demo_en.xlsx", "demo_zh.xlsx"])
def test_a_full_run_matches_the_file_backend_and_undo_restores(tmp_path: Path, name: str) -> None:
    file_copy, excel_copy = demo(tmp_path, name)
    book = Book(excel_copy)
    backend = ExcelBackend(book)

    run(XlsxBackend(file_copy), OPTIONS, workbook_path=file_copy)
    outcome = run(backend, OPTIONS, workbook_path=excel_copy)
    book.save(tmp_path / "after.xlsx")

    expected = without_run_times(sheet_values(read_values(file_copy)))
    actual = without_run_times(sheet_values(backend.read()))
    assert list(actual) == list(expected)
    for title in expected:
        assert actual[title] == expected[title], title
    assert highlights(tmp_path / "after.xlsx") == highlights(file_copy)
    assert outcome.applied is not None and outcome.applied.cells_written > 1000
    assert book.app.updating_seen and not any(book.app.updating_seen)
    assert book.app.screen_updating is True

    backend.undo()
    book.save(tmp_path / "undone.xlsx")

    source = WORKBOOKS / name
    assert sheet_values(backend.read()) == sheet_values(read_values(source))
    assert highlights(tmp_path / "undone.xlsx") == highlights(source)
    assert [s.name for s in book.sheets] == openpyxl.load_workbook(source).sheetnames


def test_a_rerun_reuses_our_columns_and_sheets(tmp_path: Path) -> None:
    _, excel_copy = demo(tmp_path, "demo_en.xlsx")
    book = Book(excel_copy)
    run(ExcelBackend(book), OPTIONS)
    once = sheet_values(ExcelBackend(book).read())
    names = [s.name for s in book.sheets]

    run(ExcelBackend(book), OPTIONS)

    twice = sheet_values(ExcelBackend(book).read())
    assert twice["Run Log"][1:] == [once["Run Log"][1], twice["Run Log"][2]]  # one row a run
    assert {**twice, "Run Log": []} == {**once, "Run Log": []}
    assert [s.name for s in book.sheets if not s.name.startswith("_custkit")] == [
        n for n in names if not n.startswith("_custkit")
    ]
    hidden = [s.name for s in book.sheets if s.name.startswith("_custkit_prev")]
    assert len(hidden) == 6  # the replaced sheets of the run before, kept for its undo only
    assert not any(s.visible for s in book.sheets if s.name.startswith("_custkit"))


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-x", "@x", "00123", "2024-03-05", "TRUE"])
def test_customer_text_stays_text(tmp_path: Path, text: str) -> None:
    book = small_book(tmp_path, [["Name"], ["Li"]])
    backend = ExcelBackend(book)
    backend.read()

    backend.apply(Plan((SetColumn("C", "tags", "Tags", 1, 2, (text,)),)), run=RUN)

    cell = book.wb["C"].cell(2, 2)
    assert (cell.value, cell.data_type) == (text, "s")


def test_the_standin_would_turn_unprefixed_text_into_a_formula(tmp_path: Path) -> None:
    book = small_book(tmp_path, [["Name"]])
    book.sheets["C"].range("A2").value = "=1+1"
    book.sheets["C"].range("A3").value = excel_text("=1+1")
    assert [book.wb["C"].cell(r, 1).data_type for r in (2, 3)] == ["f", "s"]


def test_a_highlight_gives_back_the_users_own_colour(tmp_path: Path) -> None:
    book = small_book(tmp_path, [["Name"], ["Li"], ["Wang"]])
    book.sheets["C"].range("A2").color = (1, 2, 3)
    for cells in [((2, 1), (3, 1)), ()]:
        backend = ExcelBackend(book)
        backend.read()
        backend.apply(Plan((Highlight("C", "error", cells),)), run=RUN)
        if cells:
            assert book.sheets["C"].range("A2:A3").color == (0xFF, 0xC7, 0xCE)
    assert book.sheets["C"].range("A2").color == (1, 2, 3)
    assert book.sheets["C"].range("A3").color is None


def test_undo_twice_is_refused(tmp_path: Path) -> None:
    book = small_book(tmp_path, [["Name"], ["Li"]])
    backend = ExcelBackend(book)
    backend.read()
    backend.apply(Plan((SetColumn("C", "tags", "Tags", 1, 2, ("vip",)),)), run=RUN)
    backend.undo()
    assert book.sheets["C"].range("B1:B2").value == [None, None]
    with pytest.raises(UndoError):
        backend.undo()


def test_a_sheet_deleted_after_the_read_is_refused_untouched(tmp_path: Path) -> None:
    book = small_book(tmp_path, [["Name"], ["Li"]])
    book.sheets.add("D", after=book.sheets["C"])
    backend = ExcelBackend(book)
    backend.read()
    book.sheets["D"].delete()
    with pytest.raises(WorkbookChangedError):
        backend.apply(Plan((SetColumn("D", "tags", "Tags", 1, 2, ("vip",)),)), run=RUN)
    assert [s.name for s in book.sheets] == ["C"]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([(2, 1), (3, 1), (5, 1), (2, 2)], [(1, 2, 3), (1, 5, 5), (2, 2, 2)]),
        ([], []),
        ([(7, 3)], [(3, 7, 7)]),
    ],
)
def test_runs_group_vertical_blocks(
    cells: list[tuple[int, int]], expected: list[tuple[int, int, int]]
) -> None:
    assert runs(cells) == expected
