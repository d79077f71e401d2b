"""A merge moves rows and writes values: formulas in the customer rows make it refuse."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import sheet_values
from toolkit.backends.base import RunInfo
from toolkit.backends.xlsx import XlsxBackend
from toolkit.detect import understand
from toolkit.errors import UnsafeWriteError
from toolkit.models.settings import Settings
from toolkit.steps import StepContext, load_step

HEADER = ["客户编号", "姓名", "手机", "城市", "购买次数", "累计消费", "翻倍"]
PEOPLE = [
    ("C1", "张伟", "13800138000", "北京", 3, 100),
    ("C2", "李娜", "13900139000", "上海", 1, 50),
    ("C3", "章伟", "+86 138 0013 8000", "北京", 2, 70),
    ("C4", "王芳", "13700137000", "广州", 1, 20),
    ("C5", "赵磊", "13600136000", "深圳", 4, 90),
]


def workbook(path: Path, *, formulas_in_rows: bool) -> Path:
    """Title row with a formula, header on row 2, customers below; a summary sheet of formulas."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "客户"
    sheet.append(["客户名单", None, None, None, "=COUNTA(A3:A7)"])
    sheet.append(HEADER)
    for number, person in enumerate(PEOPLE, start=3):
        sheet.append([*person, f"=F{number}*2" if formulas_in_rows else person[5] * 2])
    summary = book.create_sheet("汇总")
    summary.append(["合计", "=SUM(客户!F3:F7)"])
    book.save(path)
    return with_cached_results(path)


def with_cached_results(path: Path) -> Path:
    """The file as Excel saves it: each formula cell keeps its last result in <v>.

    (openpyxl leaves <v> empty; a merge reads cached values, so without them it would see
    blank cells and never write over them.)
    """
    spent = {number: person[5] for number, person in enumerate(PEOPLE, start=3)}
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r"<f>F(\d+)\*2</f><v\s*/?>(?:</v>)?",
                   lambda m: f"<f>F{m[1]}*2</f><v>{spent[int(m[1])] * 2}</v>", sheet)  # fmt: skip
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def merge(path: Path) -> None:
    backend = XlsxBackend(path)
    workbook = understand(backend.read(), Settings())
    ctx = StepContext(workbook, Settings(), date(2025, 6, 30), "zh", merge=True)
    backend.apply(load_step("dedupe")(ctx), run=RunInfo(("dedupe",), "2025-06-30T09:00:00"))


def test_formulas_in_customer_rows_refuse_the_merge(tmp_path: Path) -> None:
    path = workbook(tmp_path / "客户.xlsx", formulas_in_rows=True)
    before = path.read_bytes()
    with pytest.raises(UnsafeWriteError) as refused:
        merge(path)
    message = str(refused.value)
    assert "'客户'" in message and "G5, G6, G7." in message
    assert "Nothing was written" in message
    assert path.read_bytes() == before
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith((".~custkit-", ".custkit-"))]
    assert not leftovers


@pytest.mark.parametrize("sheet, cell, formula", [("客户", "E1", "=COUNTA(A3:A7)"),
                                                  ("汇总", "B1", "=SUM(客户!F3:F7)")])  # fmt: skip
def test_formulas_outside_the_customer_rows_still_merge(
    tmp_path: Path, sheet: str, cell: str, formula: str
) -> None:
    path = workbook(tmp_path / "客户.xlsx", formulas_in_rows=False)
    merge(path)
    ids = [r[0] for r in sheet_values(path, "客户")[2:] if r[0] is not None]
    assert ids == ["C1", "C2", "C4", "C5"]
    assert openpyxl.load_workbook(path)[sheet][cell].value == formula
