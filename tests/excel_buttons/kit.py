"""Workbooks and readers for the button-workbook tests."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from oletools.olevba import VBA_Parser
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

WORKBOOKS = Path(__file__).resolve().parents[2] / "workbooks"
CODE_NAME = re.compile(rb' codeName="\w+"')


def rich_workbook(path: Path) -> Path:
    """Styles, merged cells, a comment (a VML drawing of its own), validation, conditional
    formatting, formulas, a chart, a global name and a print area, three sheets, the second
    one active."""
    book = openpyxl.Workbook()
    customers = book.active
    assert customers is not None
    customers.title = "客户"
    customers.append(["客户名单"])
    customers.merge_cells("A1:E1")
    customers.append(["姓名", "手机", "邮箱", "性别", "累计消费"])
    customers.append(["张三", "13800138000", "zs@example.com", "男", 1200])
    customers.append(["李四", "1380013800", "bad-email", "X", "=E3*2"])
    customers["A2"].font = Font(bold=True, color="FF0000")
    customers["E3"].number_format = "#,##0.00"
    customers["A3"].comment = Comment("VIP since 2019", "staff")
    validation = DataValidation(type="list", formula1='"男,女"')
    customers.add_data_validation(validation)
    validation.add("D3:D100")
    rule = CellIsRule(operator="greaterThan", formula=["1000"], fill=PatternFill("solid", "00FF00"))
    customers.conditional_formatting.add("E3:E100", rule)
    report = book.create_sheet("报表")
    report.append(["月份", "金额"])
    for month in range(1, 7):
        report.append([f"{month}月", month * 100])
    report["C1"] = "=SUM(B2:B7)"
    chart = BarChart()
    chart.add_data(Reference(report, min_col=2, min_row=1, max_row=7), titles_from_data=True)
    report.add_chart(chart, "E2")
    report.print_area = "A1:C7"
    notes = book.create_sheet("Notes")
    notes.append(["=1+1 stays text"])
    notes["A1"].data_type = "s"
    book.defined_names["客户范围"] = DefinedName("客户范围", attr_text="'客户'!$A$2:$E$4")
    book.active = 1
    book.save(path)
    return path


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def without_code_names(part: bytes, before: bytes) -> bytes:
    """`part` with the codeName pyOpenVBA gave it taken out again (and the `<sheetPr/>` it
    added for it, when `before` had none)."""
    stripped = CODE_NAME.sub(b"", part)
    if b"<sheetPr" not in before:
        stripped = stripped.replace(b"<sheetPr/>", b"", 1)
    return stripped


def vba_modules(path: Path) -> dict[str, str]:
    """Module name -> source, as oletools' olevba reads the project (not pyOpenVBA)."""
    parser = VBA_Parser(str(path))
    try:
        modules = {}
        for _, stream, _, code in parser.extract_macros():
            name = stream.rsplit("/", 1)[-1]
            modules[name] = code if isinstance(code, str) else code.decode("latin-1")
        return modules
    finally:
        parser.close()
