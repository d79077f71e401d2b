"""Mark, edit the Duplicates sheet as staff would, merge: through a real .xlsx file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.helpers import sheet_names, sheet_values, write_workbook
from toolkit.backends.base import RunInfo
from toolkit.backends.xlsx import XlsxBackend
from toolkit.detect import understand
from toolkit.models.settings import Settings
from toolkit.steps import StepContext, load_step

HEADER = ["客户编号", "姓名", "手机", "邮箱", "公司", "城市", "购买次数", "备注"]
ROWS = [
    ["C1", "张伟", "13800138000", "zw@163.com", "华信科技有限公司", "北京", 3, None],
    ["C2", "李娜", "13900139000", None, None, "上海", 1, None],
    ["C3", "章伟", "+86 138 0013 8000", None, "华信科技（北京）有限公司", "北京", 2, "VIP"],
    ["C4", "王芳", "13700137000", None, None, "广州", 1, None],
    ["C5", "張偉", "138-0013-8000", "zhang@qq.com", None, "北京", 1, None],
]


def run(path: Path, *, merge: bool) -> None:
    backend = XlsxBackend(path)
    raw = backend.read()
    workbook = understand(raw, Settings())
    ctx = StepContext(workbook, Settings(), date(2025, 6, 30), "zh", merge=merge)
    plan = load_step("dedupe")(ctx)
    backend.apply(plan, run=RunInfo(("dedupe",), "2025-06-30T09:00:00"))


def test_marked_then_reviewed_then_merged(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "客户.xlsx", {"客户": [HEADER, *ROWS]})
    run(path, merge=False)
    assert "重复客户" in sheet_names(path)
    review = [list(r) for r in sheet_values(path, "重复客户")]
    assert [r[2] for r in review[1:4]] == [2, 4, 6]
    # Staff leave 張偉 (row 6) out of the merge: edit the sheet as Excel would save it.
    edited = {"客户": [list(r) for r in sheet_values(path, "客户")]}
    for row in review[1:]:
        if row[2] == 6:
            row[1] = "跳过"
    edited["重复客户"] = review
    write_workbook(path, edited)
    run(path, merge=True)
    customers = [r for r in sheet_values(path, "客户")[1:] if any(v is not None for v in r)]
    assert [r[0] for r in customers] == ["C1", "C2", "C4", "C5"]
    survivor = customers[0]
    assert survivor[6] == 5 and survivor[7] == "VIP"
    merged = sheet_values(path, "已合并")
    assert {r[5] for r in merged[1:]} == {"C1", "C3"}  # the survivor as it was, and C3
