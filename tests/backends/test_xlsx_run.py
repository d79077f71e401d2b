"""A whole run on a rich workbook: only the parts the plan names change; refusals; --out."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from tests.helpers import sheet_values
from toolkit.backends.base import RunInfo
from toolkit.backends.xlsx import XlsxBackend
from toolkit.errors import WorkbookChangedError
from toolkit.runner import RunOptions, plan_run, run

AS_OF = date(2025, 6, 30)


def rich_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    customers = book.active
    customers.title = "客户"
    customers.append(["客户名单"])
    customers.merge_cells("A1:E1")
    customers.append(["姓名", "手机", "邮箱", "性别", "累计消费"])
    customers.append(["张三", "13800138000", "zs@example.com", "男", 1200])
    customers.append(["李四", "1380013800", "bad-email", "X", "¥3,000"])
    customers["A2"].font = Font(bold=True)
    customers["E3"].number_format = "#,##0.00"
    customers["A3"].comment = Comment("VIP since 2019", "staff")
    validation = DataValidation(type="list", formula1='"男,女"')
    customers.add_data_validation(validation)
    validation.add("D3:D100")
    customers.conditional_formatting.add(
        "E3:E100",
        CellIsRule(
            operator="greaterThan",
            formula=["1000"],
            fill=PatternFill("solid", start_color="00FF00"),
        ),
    )
    report = book.create_sheet("报表")
    report.append(["月份", "金额"])
    for month in range(1, 7):
        report.append([f"{month}月", month * 100])
    report["C1"] = "=SUM(B2:B7)"
    chart = BarChart()
    chart.add_data(Reference(report, min_col=2, min_row=1, max_row=7), titles_from_data=True)
    report.add_chart(chart, "E2")
    book.defined_names["客户范围"] = DefinedName("客户范围", attr_text="'客户'!$A$2:$E$4")
    book.save(path)
    return path


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_every_part_the_plan_does_not_name_is_byte_identical(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "rich.xlsx")
    before = entries(path)
    outcome = run(XlsxBackend(path), RunOptions(as_of=AS_OF), workbook_path=path)
    assert outcome.applied is not None
    after = entries(path)
    may_change = {
        "xl/worksheets/sheet1.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "xl/styles.xml",
    }
    unchanged = {name for name in before if name not in may_change}
    assert unchanged <= set(after)
    assert [n for n in unchanged if before[n] != after[n]] == []
    assert list(after)[: len(before)] == list(before)  # old parts keep their order
    book = openpyxl.load_workbook(path)
    assert book["报表"]["C1"].value == "=SUM(B2:B7)"
    assert book["客户"].data_validations.dataValidation[0].sqref is not None
    assert book["客户"]["A3"].comment.text == "VIP since 2019"
    assert "客户范围" in book.defined_names
    assert {r.coord for r in book["客户"].merged_cells.ranges} == {"A1:E1"}


def test_a_file_changed_during_the_run_is_refused_untouched(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "rich.xlsx")
    backend = XlsxBackend(path)
    raw = backend.read()
    _, steps, plan = plan_run(raw, RunOptions(steps="validate", as_of=AS_OF))
    edited = rich_workbook(tmp_path / "other.xlsx").read_bytes() + b""
    path.write_bytes(edited)  # someone saved the workbook meanwhile
    with pytest.raises(WorkbookChangedError, match="changed on disk"):
        backend.apply(plan, run=RunInfo(steps, "2025-06-30T09:00:00"))
    assert path.read_bytes() == edited
    assert not list(tmp_path.glob(".~custkit-*"))


def test_out_writes_a_copy_and_leaves_the_original(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "rich.xlsx")
    original = path.read_bytes()
    copy = tmp_path / "checked.xlsx"
    run(XlsxBackend(path, out=copy), RunOptions(steps="validate", as_of=AS_OF), workbook_path=path)
    assert path.read_bytes() == original
    assert sheet_values(copy, "客户")[1][5] == "数据问题"
    XlsxBackend(copy).undo()
    assert not copy.exists()


def test_dry_run_leaves_the_file_byte_identical(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "rich.xlsx")
    original = path.read_bytes()
    outcome = run(XlsxBackend(path), RunOptions(dry_run=True, as_of=AS_OF), workbook_path=path)
    assert outcome.applied is None and outcome.plan.findings
    assert path.read_bytes() == original
