"""Mark mode: our columns, the highlight and the Duplicates sheet."""

from __future__ import annotations

from tests.routines.dedupe.builders import EN_HEADER, ZH_HEADER, apply, raw_sheet, table, workbook
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.plan import Highlight, SetColumn, WriteSheet
from toolkit.routines.dedupe import find_duplicates, mark_plan, read_decisions
from toolkit.routines.dedupe.decisions import Decisions

ROWS = [
    ("C1", "张伟", "13800138000", None, "zw@163.com", "华信科技有限公司", "北京"),
    ("C2", "李娜", "13900139000", None, None, None, "上海"),
    ("C3", "章伟", "+86 138 0013 8000", None, None, "华信科技（北京）有限公司", None),
    ("C4", "王芳", "13700137000", None, None, None, "广州"),
    ("C5", "王芳", None, None, None, None, "广州"),  # same name and city only: for review
]


def plan_for(lang: str = "zh", decisions: Decisions | None = None) -> tuple[object, ...]:
    header = ZH_HEADER if lang == "zh" else EN_HEADER
    customers = table(header, ROWS, sheet="客户")
    found = find_duplicates(customers, DedupeSettings())
    return customers, found, mark_plan(customers, found, decisions or Decisions(), lang)  # type: ignore[arg-type]


def test_columns_name_each_group_with_score_and_reason() -> None:
    _, _, plan = plan_for()
    group, score, reason = plan.changes[:3]  # type: ignore[attr-defined]
    assert isinstance(group, SetColumn) and group.header == "重复组"
    assert group.values == ("D0001", None, "D0001", None, None)
    assert score.values[0] >= 0.95 and score.values[1] is None
    assert reason.values[0].startswith("姓名 张伟≈章伟（同音）；电话相同；公司")
    assert plan.counts["dedupe.groups"] == 1  # type: ignore[attr-defined]


def test_english_labels_and_reasons() -> None:
    _, _, plan = plan_for("en")
    assert [c.header for c in plan.changes[:3]] == [
        "Duplicate Group",
        "Duplicate Score",
        "Duplicate Reason",
    ]  # type: ignore[attr-defined]
    assert "phone equal" in plan.changes[2].values[0]  # type: ignore[attr-defined]


def test_name_cells_of_grouped_rows_are_highlighted() -> None:
    _, _, plan = plan_for()
    highlight = next(c for c in plan.changes if isinstance(c, Highlight))  # type: ignore[attr-defined]
    assert highlight.style == "duplicate" and highlight.cells == ((2, 2), (4, 2))


def test_duplicates_sheet_lists_groups_then_review_pairs() -> None:
    _, _, plan = plan_for()
    sheet = next(c for c in plan.changes if isinstance(c, WriteSheet))  # type: ignore[attr-defined]
    assert sheet.key == "duplicates" and sheet.title == "重复客户"
    assert sheet.header[:5] == ("重复组", "处理", "行号", "相似度", "原因")
    assert [r[:3] for r in sheet.rows[:2]] == [("D0001", "保留", 2), ("D0001", "合并", 4)]
    assert sheet.rows[3][0] == "待复核"
    assert {r[2] for r in sheet.rows[4:6]} == {5, 6} and sheet.rows[4][0] == "R0001"
    assert sheet.rows[4][1] is None  # review pairs wait for a person


def test_staff_decisions_survive_a_second_marking() -> None:
    customers, _, plan = plan_for()
    grids = apply(workbook(customers).raw, plan)  # type: ignore[arg-type]
    grids["重复客户"][1][1] = "跳过"  # staff skip the core row
    edited = workbook(customers, extra_sheets=[raw_sheet("重复客户", grids["重复客户"])])  # type: ignore[arg-type]
    decisions = read_decisions(edited.raw, customers, "zh")  # type: ignore[arg-type]
    _, _, again = plan_for(decisions=decisions)
    sheet = next(c for c in again.changes if isinstance(c, WriteSheet))  # type: ignore[attr-defined]
    assert sheet.rows[0][1] == "跳过"


def test_no_duplicates_still_clears_old_marks() -> None:
    customers = table(ZH_HEADER, ROWS[:2])
    plan = mark_plan(customers, find_duplicates(customers, DedupeSettings()), Decisions(), "zh")
    assert plan.changes[0].values == (None, None)  # type: ignore[attr-defined]
    assert any(isinstance(c, Highlight) and c.cells == () for c in plan.changes)
