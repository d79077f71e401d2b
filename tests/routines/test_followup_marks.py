"""Done marks read back from the sheets an earlier run wrote, in either language."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from toolkit.routines.followup_marks import (
    DoneMark,
    customer_key,
    is_followup_sheet,
    owner_sheet_title,
    read_marks,
)
from toolkit.table import CellValue, RawSheet, RawWorkbook

D = date.fromisoformat
AS_OF = D("2025-06-30")
EN = ["Customer ID", "Customer", "Owner", "Reason", "Due Date", "Days Overdue", "Phone", "Email",
      "Suggested Action", "Done"]  # fmt: skip
ZH = ["客户", "负责人", "提醒原因", "到期日", "已跟进"]


def marks(*sheets: RawSheet) -> tuple[tuple[DoneMark, ...], list[str]]:
    found, findings = read_marks(RawWorkbook("x", sheets), as_of=AS_OF, lang="en")
    return found, [f"{f.problem}@{f.where}" for f in findings]


def row(
    done: CellValue, *, reason: str = "Birthday", due: CellValue = "2025-07-03"
) -> list[CellValue]:
    return ["C001", "Ann Lee", "Wang", reason, due, 0, "138****5678", "", "", done]


@pytest.mark.parametrize(
    "done, expected",
    [
        (datetime(2025, 6, 29), D("2025-06-29")),  # a date cell
        ("2025/6/28", D("2025-06-28")),  # a date typed as text
        ("✓", AS_OF),  # a tick: done on the run day
        (1, AS_OF),
        (True, AS_OF),
    ],
)
def test_done_values(done: CellValue, expected: date) -> None:
    found, findings = marks(RawSheet("Follow-ups", [EN, row(done), row(None, reason="Win-back")]))
    assert found == (DoneMark("c001", "birthday", D("2025-07-03"), expected, "C001", "Ann Lee",
                              "Wang"),)  # fmt: skip
    assert findings == []


def test_chinese_sheet_without_ids_keys_by_name() -> None:
    mark_row = ["张 三", "王伟", "投诉回访", datetime(2025, 6, 28), "已回访"]
    sheet = RawSheet("跟进提醒", [ZH, mark_row])
    (mark,), _ = marks(sheet)
    assert (mark.customer, mark.reason, mark.due, mark.done) == (
        "张三",
        "complaint_followup",
        D("2025-06-28"),
        AS_OF,
    )


def test_marks_from_the_log_and_owner_sheets_merge_keeping_the_earliest() -> None:
    log = RawSheet("Follow-up Log", [["Customer ID", "Customer", "Owner", "Reason", "Due Date",
                                      "Done"], ["C001", "Ann Lee", "Wang", "Birthday",
                                                "2025-07-03", "2025-06-27"]])  # fmt: skip
    owner = RawSheet("Follow-ups - Wang", [EN, row("2025-06-29")])
    other = RawSheet("Notes", [EN, row("2025-06-20")])  # not one of ours: ignored
    found, _ = marks(log, owner, other)
    assert [(m.reason, m.done) for m in found] == [("birthday", D("2025-06-27"))]


@pytest.mark.parametrize(
    "bad_row",
    [
        row("✓", reason="Something else"),
        row("✓", due="soon"),
        [None, None, "Wang", "Birthday", "2025-07-03", 0, "", "", "", "✓"],
    ],
)
def test_a_mark_that_cannot_be_read_is_a_finding(bad_row: list[CellValue]) -> None:
    found, findings = marks(RawSheet("Follow-ups", [EN, bad_row]))
    assert found == () and findings == ["followup_mark_unreadable@Follow-ups!J2"]


def test_sheets_without_a_done_column_are_skipped() -> None:
    assert marks(RawSheet("Follow-ups", [EN[:-1], row("x")[:-1]])) == ((), [])


@pytest.mark.parametrize(
    "name, ours",
    [
        ("Follow-ups", True),
        ("跟进提醒", True),
        ("跟进记录", True),
        ("follow-up log", True),
        ("跟进提醒 - 王伟", True),
        ("Follow-ups - (no owner)", True),
        ("Follow-ups 2", False),
        ("Customers", False),
    ],
)
def test_which_sheets_are_ours(name: str, ours: bool) -> None:
    assert is_followup_sheet(name) is ours


def test_owner_sheet_titles_fit_excel() -> None:
    title = owner_sheet_title("A very long owner name: with [brackets]", "en")
    assert len(title) <= 31 and not set(title) & set("[]:*?/\\")
    assert customer_key("", "Ann  Lee") == "annlee"
