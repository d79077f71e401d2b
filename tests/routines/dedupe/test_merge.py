"""Merge mode: survivors, survivorship, compaction, references, the Merged sheet, decisions."""

# ruff: noqa: E501  (tables of test data read best one record per line)
from __future__ import annotations

from datetime import date

import pytest

from tests.routines.dedupe.builders import (
    ZH_HEADER,
    Grid,
    apply,
    raw_sheet,
    table,
    values_in,
    workbook,
)
from tests.routines.dedupe.test_weights import bench_data
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.plan import Plan
from toolkit.routines.dedupe import find_duplicates, mark_plan, merge_plan, read_decisions
from toolkit.routines.dedupe.decisions import Decisions
from toolkit.table import CellValue, Workbook, is_blank

AS_OF = date(2025, 6, 30)
CUSTOMERS = [
    # 客户编号 姓名 手机 备用电话 邮箱 公司 城市 生日 购买次数 累计消费 注册日期 最近购买日期 备注
    ("C1", "张伟", "13800138000", None, "zw@163.com", "华信科技有限公司", "北京", None, 3, "¥1,000", "2020-01-05", "2024-01-01", "老客户"),
    ("C2", "李娜", "13900139000", None, None, None, "上海", None, 1, 50, "2021-02-01", None, None),
    ("C3", "章伟", "13800138000", None, "zhang.wei@qq.com", "华信科技（北京）有限公司", "北京", "1990-03-05", 2, 250.5, "2019-06-01", "2025-05-01", None),
    ("C4", "王芳", "13700137000", None, None, None, "广州", None, 1, 10, None, None, None),
    ("C5", "張偉", "13612345678", None, "zw@163.com", None, "北京", None, 1, 5, None, None, "要发票"),
]  # fmt: skip
ORDERS = [
    ("O1", "C1", "张伟", 100),
    ("O2", "C3", "章伟", 200),
    ("O3", "C2", "李娜", 30),
    ("O4", None, "張偉", 5),
]
COMPLAINTS = [("K1", "C5", "質量問題")]


def book(*extra: object) -> Workbook:
    customers = table(ZH_HEADER, CUSTOMERS, sheet="客户")
    orders = table(
        ("订单号", "客户编号", "客户姓名", "金额"), ORDERS, sheet="订单", kind="transactions"
    )
    complaints = table(
        ("投诉编号", "客户编号", "描述"), COMPLAINTS, sheet="投诉", kind="complaints"
    )
    return workbook(customers, orders, complaints, extra_sheets=list(extra))  # type: ignore[arg-type]


def merge(wb: Workbook, decisions: Decisions | None = None) -> tuple[Plan, dict[str, Grid]]:
    decisions = decisions or read_decisions(wb.raw, wb.customers, "zh")
    forced = [(a - 2, b - 2) for a, b in decisions.accepted_pairs]
    found = find_duplicates(wb.customers, DedupeSettings(), forced=forced)
    plan = merge_plan(wb, found, decisions, DedupeSettings(), lang="zh", as_of=AS_OF)
    return plan, apply(wb.raw, plan)


def test_one_survivor_per_group_and_the_table_compacted() -> None:
    plan, grids = merge(book())
    customers = grids["客户"]
    ids = [r[0] for r in customers[1:] if any(not is_blank(v) for v in r)]
    # C1 and C3 are equally complete; C3 was active last (2025-05-01) and survives in place.
    assert ids == ["C2", "C3", "C4"]
    assert all(is_blank(v) for row in customers[4:] for v in row)  # trailing rows cleared
    merged = grids["已合并"]
    assert merged[0][:5] == ["重复组", "合并到", "合并日期", "原行号", "角色"]
    assert [(r[0], r[1], r[3], r[4]) for r in merged[1:]] == [
        ("D0001", "C3", 4, "保留行（合并前）"),
        ("D0001", "C3", 2, "已并入"),
        ("D0001", "C3", 6, "已并入"),
    ]
    assert plan.counts["dedupe.merged_rows"] == 2


def test_survivor_values_follow_the_field_rules() -> None:
    _, grids = merge(book())
    survivor = dict(zip(ZH_HEADER, grids["客户"][2], strict=False))
    assert survivor["客户编号"] == "C3"
    assert survivor["购买次数"] == 6  # 3 + 2 + 1
    assert survivor["累计消费"] == 1255.5  # ¥1,000 + 250.5 + 5
    assert survivor["注册日期"] == "2019-06-01"  # earliest
    assert survivor["最近购买日期"] == "2025-05-01"  # latest
    assert survivor["生日"] == "1990-03-05"
    assert survivor["公司"] == "华信科技（北京）有限公司"  # the survivor's own, most recent
    assert survivor["手机"] == "13800138000" and survivor["备用电话"] == "13612345678"
    assert survivor["邮箱"] == "zhang.wei@qq.com"
    assert survivor["备注"] == "老客户; 要发票; 其他邮箱：zw@163.com"


def test_every_value_is_kept_somewhere() -> None:
    wb = book()
    before = [v for row in CUSTOMERS for v in row if not is_blank(v)]
    _, grids = merge(wb)
    after = values_in(grids["客户"]) + values_in(grids["已合并"])
    missing = [v for v in before if v not in after and str(v) not in " ".join(map(str, after))]
    assert missing == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_value_is_kept_on_generated_data(lang: str) -> None:
    data = bench_data().generate(lang, 400)
    customers = data.table()
    wb = workbook(customers)
    found = find_duplicates(
        customers, DedupeSettings(), default_region="CN" if lang == "zh" else "US"
    )
    plan = merge_plan(wb, found, Decisions(), DedupeSettings(), lang=lang, as_of=AS_OF)  # type: ignore[arg-type]
    grids = apply(wb.raw, plan)
    merged_title = "已合并" if lang == "zh" else "Merged"
    kept = set(map(_text, values_in(grids["customers"]) + values_in(grids[merged_title])))
    for position, row in enumerate(customers.rows):
        for value in row:
            if not is_blank(value):
                assert _text(value) in kept or any(_text(value) in k for k in kept), (
                    position,
                    value,
                )
    assert plan.counts["dedupe.merged_rows"] > 20


def _text(value: CellValue) -> str:
    return str(value).strip()


def test_orders_and_complaints_point_to_the_survivor() -> None:
    plan, grids = merge(book())
    orders = [r[1:3] for r in grids["订单"][1:]]
    assert orders == [["C3", "章伟"], ["C3", "章伟"], ["C2", "李娜"], [None, "章伟"]]
    assert grids["投诉"][1][1] == "C3"
    assert plan.counts["dedupe.references_repointed"] == 4


def test_the_merged_sheet_accumulates_across_runs() -> None:
    earlier = raw_sheet("已合并", [["重复组", "合并到", "合并日期", "原行号", "客户编号", "姓名"], ["D0007", "C0", "2025-01-01", 9, "C9", "赵六"]])  # fmt: skip
    _, grids = merge(book(earlier))
    header, rows = grids["已合并"][0], grids["已合并"][1:]
    first = dict(zip(header, rows[0], strict=True))
    assert (first["重复组"], first["原行号"], first["客户编号"], first["姓名"]) == (
        "D0007",
        9,
        "C9",
        "赵六",
    )
    assert first["角色"] is None  # written before the column existed: left as it was
    assert len(rows) == 4


def reviewed(edit: dict[int, str]) -> Workbook:
    """The workbook after marking, with staff's edits to the Action column (sheet row -> word)."""
    wb = book()
    found = find_duplicates(wb.customers, DedupeSettings())
    grid = apply(wb.raw, mark_plan(wb.customers, found, Decisions(), "zh"))["重复客户"]
    for row in grid[1:]:
        if row and row[2] in edit:
            row[1] = edit[row[2]]
    return book(raw_sheet("重复客户", grid))


def test_skip_leaves_a_row_out_of_the_merge() -> None:
    plan, grids = merge(reviewed({6: "跳过"}))
    ids = [r[0] for r in grids["客户"][1:] if r and not is_blank(r[0])]
    assert ids == ["C2", "C3", "C4", "C5"]
    assert plan.counts["dedupe.merged_rows"] == 1


def test_keep_chooses_the_survivor() -> None:
    _, grids = merge(reviewed({2: "保留", 4: "合并"}))
    ids = [r[0] for r in grids["客户"][1:] if r and not is_blank(r[0])]
    assert ids == ["C1", "C2", "C4"]
    assert {r[1] for r in grids["已合并"][1:]} == {"C1"}


def test_a_review_pair_marked_merge_is_merged() -> None:
    wb = book()
    # Only a surname and a phone one digit off C4's: a pair for review, not a sure match.
    rows = [*CUSTOMERS, ("C6", "王女士", "13700137001", None, None, None, None)]
    customers = table(ZH_HEADER, rows, sheet="客户")
    found = find_duplicates(customers, DedupeSettings())
    assert found.review and {found.review[0].a, found.review[0].b} == {3, 5}
    grid = apply(workbook(customers).raw, mark_plan(customers, found, Decisions(), "zh"))[
        "重复客户"
    ]
    for row in grid:
        if row and str(row[0]).startswith("R"):
            row[1] = "合并"
    edited = workbook(customers, extra_sheets=[raw_sheet("重复客户", grid)])
    plan, after = merge(edited)
    assert plan.counts["dedupe.merged_rows"] == 3
    assert "C6" in {r[5] for r in after["已合并"][1:]}
    assert wb.customers.sheet == "客户"


def test_after_merge_skipped_rows_stay_listed_with_their_decision() -> None:
    plan, grids = merge(reviewed({6: "跳过"}))
    sheet = grids["重复客户"]
    assert [(r[1], r[2]) for r in sheet[1:3]] == [("保留", 3), ("跳过", 5)]
    group_column = next(c for c in plan.changes if getattr(c, "key", "") == "duplicate_group")
    assert group_column.values[:4] == (None, "D0001", None, "D0001")  # type: ignore[attr-defined]


def test_a_header_below_title_rows_compacts_the_right_rows() -> None:
    customers = table(ZH_HEADER, CUSTOMERS, sheet="客户", header_row=3)
    wb = workbook(customers)
    found = find_duplicates(customers, DedupeSettings())
    plan = merge_plan(wb, found, Decisions(), DedupeSettings(), lang="zh", as_of=AS_OF)
    grids = apply(wb.raw, plan)
    assert grids["客户"][:2] == [[None] * len(ZH_HEADER)] * 2  # the title rows are untouched
    ids = [r[0] for r in grids["客户"][3:] if r and not is_blank(r[0])]
    assert ids == ["C2", "C3", "C4"]
    merged_rows = {r[3] for r in grids["已合并"][1:]}
    assert merged_rows == {4, 6, 8}  # sheet rows, not table positions
