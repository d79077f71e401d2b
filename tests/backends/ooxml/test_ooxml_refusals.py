"""What the writer refuses, and that a refusal writes nothing."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from toolkit.backends.ooxml import write_plan
from toolkit.errors import UnsafeWriteError
from toolkit.plan import SHEET_ROW_LIMIT, CellWrite, Plan, SetCells, SetColumn, WriteSheet

from .testkit import apply, build_customers, rewrite_part


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return build_customers(tmp_path / "customers.xlsx")


def fix(row: int, column: int, value: object, sheet: str = "Customers") -> Plan:
    return Plan((SetCells(sheet, (CellWrite(row, column, value),), "fix"),))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (fix(2, 4, 1), "shared formula that other cells copy"),
        (fix(3, 9, 1), "array formula"),
        (fix(2, 9, 1), "array formula"),
        (fix(2, 1, "x" * 32768), "longer than Excel's 32767"),
        (fix(2, 1, math.nan), "not a number"),
        (fix(1_048_577, 1, "x"), "outside the sheet"),
        (fix(2, 1, "x", sheet="Nope"), "Sheet 'Nope' is not in the workbook"),
    ],
    ids=["shared-master", "array-member", "array-master", "long-text", "nan", "bounds", "sheet"],
)
def test_refused_and_nothing_written(book: Path, tmp_path: Path, plan: Plan, message: str) -> None:
    out = tmp_path / "out.xlsx"
    with pytest.raises(UnsafeWriteError, match=message):
        apply(book, out, plan)
    assert not out.exists()
    assert not list(tmp_path.glob(".custkit-*"))  # no scratch left behind


def test_a_column_over_a_shared_formula_is_refused(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    plan = Plan((SetColumn("Customers", "tags", "Tags", 1, 2, ("a",)),))
    with pytest.raises(UnsafeWriteError, match=r"Customers!D2 holds a shared formula"):
        apply(book, out, plan, tags=4)
    assert not out.exists()


def test_a_shared_formula_child_may_be_overwritten(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    apply(book, out, fix(3, 4, 7))
    sheet = openpyxl.load_workbook(out)["Customers"]
    assert sheet["D3"].value == 7
    assert sheet["D2"].value == "=C2*2" and sheet["D4"].value == "=C4*2"


def test_renaming_a_table_column_is_refused(tmp_path: Path) -> None:
    source, out = tmp_path / "table.xlsx", tmp_path / "out.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Name", "Phone"], ["Li", "138"], ["Wang", "139"]):
        sheet.append(row)
    sheet.add_table(Table(displayName="Customers", ref="A1:B3"))
    book.save(source)
    with pytest.raises(UnsafeWriteError, match="header of column 'Phone' in table 'Customers'"):
        apply(source, out, fix(1, 2, "Mobile", sheet="Sheet"))
    assert not out.exists()
    apply(source, out, fix(2, 2, "13800138000", sheet="Sheet"))  # the table's body is fine
    assert openpyxl.load_workbook(out)["Sheet"]["B2"].value == "13800138000"


def test_a_visible_sheet_named_like_our_state_is_refused(tmp_path: Path) -> None:
    source, out = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name"])
    book.create_sheet("_custkit")
    book.save(source)
    with pytest.raises(UnsafeWriteError, match="Rename that sheet"):
        apply(source, out, fix(2, 1, "x", sheet="Sheet"))
    assert not out.exists()


def test_a_chartsheet_is_not_written(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    source = shared_data / "excel-made" / "chartsheet01.xlsx"
    with pytest.raises(UnsafeWriteError, match="'Chart1' is not a worksheet"):
        write_plan(source, out, fix(1, 1, "x", sheet="Chart1"), positions={})
    assert not out.exists()


def test_a_damaged_sheet_is_refused(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    rewrite_part(book, "xl/worksheets/sheet1.xml", lambda text: text[: len(text) // 2])
    with pytest.raises(UnsafeWriteError, match=r"never closed|ends inside"):
        write_plan(book, out, fix(2, 1, "x"), positions={})
    assert not out.exists()


def test_one_of_our_sheets_longer_than_a_sheet_is_refused(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    rows = ((1,),) * SHEET_ROW_LIMIT  # with the header, one row more than a sheet holds
    plan = Plan((WriteSheet("followups", "Follow-ups", ("Due",), rows),))
    with pytest.raises(UnsafeWriteError, match=r"'Follow-ups' would need 1,048,577 rows"):
        apply(book, out, plan)
    assert not out.exists()
