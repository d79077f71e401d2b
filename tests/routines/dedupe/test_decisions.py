"""Reading the Duplicates sheet as staff edited it."""

# ruff: noqa: E501  (tables of test data read best one record per line)
from __future__ import annotations

import pytest

from tests.routines.dedupe.builders import raw_sheet, table, workbook
from toolkit.routines.dedupe.decisions import action_of, read_decisions

CUSTOMERS = table(("客户编号", "姓名", "手机"), [("C1", "张伟", "1"), ("C2", "章伟", "1"), ("C3", "李娜", "2"), ("C4", "李娜", None)])  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "action"),
    [("保留", "keep"), ("Keep", "keep"), ("合并", "merge"), (" MERGE ", "merge"), ("跳过", "skip"),
     ("不合并", "skip"), ("skip", "skip"), ("", None), (None, None), ("maybe", None)],
)  # fmt: skip
def test_actions_in_either_language(typed: str | None, action: str | None) -> None:
    assert action_of(typed) == action


def test_decisions_by_sheet_row_and_accepted_review_pairs() -> None:
    sheet = raw_sheet(
        "重复客户",
        [
            ["重复组", "处理", "行号", "相似度", "原因", "客户编号", "姓名", "手机"],
            ["D0001", "保留", 3, 0.99, "...", "C2", "章伟", "1"],
            ["D0001", "跳过", 2, 0.99, "...", "C1", "张伟", "1"],
            [],
            ["待复核", None, None, None, "..."],
            ["R0001", "合并", 4, 0.7, "...", "C3", "李娜", "2"],
            ["R0001", "合并", "5", 0.7, "...", "C4", "李娜", None],
        ],
    )
    decisions = read_decisions(workbook(CUSTOMERS, extra_sheets=[sheet]).raw, CUSTOMERS, "zh")
    assert decisions.actions == {3: "keep", 2: "skip", 4: "merge", 5: "merge"}
    assert decisions.accepted_pairs == ((4, 5),)
    assert decisions.findings == ()


def test_a_decision_for_a_row_that_now_holds_someone_else_is_ignored() -> None:
    sheet = raw_sheet(
        "Duplicates",
        [["Group", "Action", "Row", "Score", "Reason", "客户编号", "姓名"], ["D0001", "skip", 2, 1, "", "C9", "王五"]],
    )  # fmt: skip
    decisions = read_decisions(workbook(CUSTOMERS, extra_sheets=[sheet]).raw, CUSTOMERS, "en")
    assert decisions.actions == {}
    assert [f.problem for f in decisions.findings] == ["duplicate_stale"]
    assert "C9" in decisions.findings[0].message.upper()


def test_no_sheet_no_decisions() -> None:
    assert read_decisions(workbook(CUSTOMERS).raw, CUSTOMERS, "zh").actions == {}
