"""The follow-ups step on a hand-made workbook whose reminders were worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from tests.routines.crm_book import (
    AS_OF,
    apply,
    context,
    customer_rows,
    default_sheets,
    raw_book,
    settings,
    sheet_rows,
)
from toolkit.plan import Plan, SetColumn, WriteSheet
from toolkit.routines.followups import followup_reminders, followups_step
from toolkit.runner import RunOptions, plan_run
from toolkit.table import RawSheet, RawWorkbook

D = date.fromisoformat

# (due, days overdue, customer, reason), in the sheet's order: by due date.
EXPECTED = [
    (D("2024-12-08"), 204, "Cy Wu", "win_back"),  # high churn: last contact 2024-12-01 + 7
    (D("2025-02-18"), 132, "Fay Ma", "regular"),  # medium: 2024-12-20 + 60
    (D("2025-03-01"), 121, "Cy Wu", "regular"),  # low: 2024-12-01 + 90
    (D("2025-03-03"), 119, "Eve Sun", "regular"),  # high: 2025-02-01 + 30
    (D("2025-03-31"), 91, "Cy Wu", "reclaim"),  # 2024-12-01 + 120 (no deal since 2023)
    (D("2025-05-31"), 30, "Bo Chen", "regular"),  # medium: 2025-04-01 + 60
    (D("2025-06-07"), 23, "Cy Wu", "complaint_overdue"),  # T2 2025-06-01, delivery SLA 5 days
    (D("2025-06-23"), 7, "Dee Zhou", "welcome"),  # signed up 2025-06-20 + 3
    (D("2025-06-28"), 2, "Bo Chen", "complaint_followup"),  # T1 resolved 2025-06-25 + 3
    (D("2025-07-03"), 0, "Ann Lee", "birthday"),  # within the 7 days ahead
]
# Next Follow-up of rows 3-8: the earliest open due date, listed or not.
NEXT = [D("2025-07-03"), D("2025-05-31"), D("2024-12-08"), D("2025-06-23"), D("2025-03-03"),
        D("2025-02-18")]  # fmt: skip


def summary(raw: RawWorkbook, **sections: dict[str, object]) -> list[tuple[object, ...]]:
    reminders = followup_reminders(context(raw, settings(**sections)))
    return [(r.due, r.days_overdue, r.customer, r.reason) for r in reminders]


def followups_sheet(plan: Plan, key: str = "followups") -> WriteSheet:
    return next(c for c in plan.changes if isinstance(c, WriteSheet) and c.key == key)


def next_column(plan: Plan) -> SetColumn:
    return next(c for c in plan.changes if isinstance(c, SetColumn))


def with_customer(row: int, column: str, value: object) -> RawWorkbook:
    """The default workbook with one customer cell changed (row as on the sheet)."""
    rows = customer_rows()
    rows[row - 1][rows[1].index(column)] = value  # type: ignore[arg-type]
    return raw_book(RawSheet("Customers", rows), *default_sheets()[1:])


def test_reminders_are_exactly_the_hand_worked_ones() -> None:
    assert summary(raw_book(*default_sheets())) == EXPECTED


def test_sheet_column_and_counts() -> None:
    plan = followups_step(context(raw_book(*default_sheets())))
    column = next_column(plan)
    assert (column.sheet, column.key, column.header, column.header_row) == (
        "Customers",
        "next_followup",
        "Next Follow-up",
        2,
    )
    assert column.values == tuple(NEXT) and column.number_format == "yyyy-mm-dd"
    sheet = followups_sheet(plan)
    assert sheet.title == "Follow-ups"
    assert sheet.header == (
        "Customer ID",
        "Customer",
        "Owner",
        "Reason",
        "Due Date",
        "Days Overdue",
        "Phone",
        "Email",
        "Suggested Action",
        "Done",
    )
    assert sheet.rows[0][:8] == (
        "C003",
        "Cy Wu",
        "Wang",
        "Win-back",
        D("2024-12-08"),
        204,
        "137****1234",
        "",
    )
    assert sheet.rows[-1][-1] is None  # Done is left for staff
    assert sheet.row_styles == tuple((i, "overdue") for i in range(9))  # all but the birthday
    assert plan.counts["followups.reminders"] == 10
    assert plan.counts["followups.overdue"] == 9
    assert plan.counts["followups.regular"] == 4


def test_rerunning_the_same_day_changes_nothing() -> None:
    raw = raw_book(*default_sheets())
    first = followups_step(context(raw))
    after = apply(raw, first)
    second = followups_step(context(after))
    assert second == first
    assert followups_step(context(apply(after, second))) == first


def mark_done(raw: RawWorkbook, customer: str, reason_label: str, value: object) -> RawWorkbook:
    """Staff write `value` in the Done column of one row of the Follow-ups sheet."""
    rows = [list(r) for r in sheet_rows(raw, "Follow-ups")]
    header = rows[0]
    (row,) = [r for r in rows[1:] if r[1] == customer and r[3] == reason_label]
    row[header.index("Done")] = value
    sheets = [RawSheet("Follow-ups", rows) if s.name == "Follow-ups" else s for s in raw.sheets]
    return RawWorkbook(raw.source, tuple(sheets))


def test_a_reminder_marked_done_disappears_and_the_next_due_date_moves_on() -> None:
    raw = raw_book(*default_sheets())
    after = apply(raw, followups_step(context(raw)))
    marked = mark_done(after, "Ann Lee", "Birthday", "2025-06-30")
    plan = followups_step(context(marked))
    assert [r[:4] for r in summary(marked)] == [e for e in EXPECTED if e[2] != "Ann Lee"]
    # The call counts as a contact: Ann's next regular check-in is 30 days after it.
    assert next_column(plan).values[0] == D("2025-07-30")
    log = followups_sheet(plan, "followup_log")
    assert log.rows == (("C001", "Ann Lee", "Wang", "Birthday", D("2025-07-03"), D("2025-06-30")),)
    # The log carries the mark: the next run (Follow-ups sheet rewritten) still knows it.
    again = apply(marked, plan)
    assert followups_step(context(again)) == plan


@pytest.mark.parametrize("done_value", ["✓", "done", 1])
def test_a_done_mark_without_a_date_counts_as_done_on_the_run_day(done_value: object) -> None:
    raw = raw_book(*default_sheets())
    after = apply(raw, followups_step(context(raw)))
    plan = followups_step(context(mark_done(after, "Bo Chen", "Regular follow-up", done_value)))
    # Done on 2025-06-30: a contact after T1's follow-up date clears that one too.
    assert [r[2:] for r in followups_sheet(plan).rows if r[1] == "Bo Chen"] == []
    assert next_column(plan).values[1] == D("2025-08-29")  # 2025-06-30 + 60
    assert followups_sheet(plan, "followup_log").rows[0][-1] == AS_OF


@pytest.mark.parametrize(
    "row, column, value, gone",
    [
        (6, "Last Contact Date", "2025-06-21", ("Dee Zhou", "welcome")),  # any contact since signup
        (4, "Last Contact Date", "2025-06-28", ("Bo Chen", "complaint_followup")),  # on the day
        (3, "Last Contact Date", "2025-07-03", ("Ann Lee", "birthday")),
    ],
)
def test_a_contact_on_or_after_the_due_date_clears_the_reminder(
    row: int, column: str, value: str, gone: tuple[str, str]
) -> None:
    reminders = [(r[2], r[3]) for r in summary(with_customer(row, column, value))]
    assert gone not in reminders


@pytest.mark.parametrize(
    "status, tags, reclaimed",
    [
        (None, "VIP, 老客户", False),  # exempt by tag (our Tags column)
        ("锁定", None, False),  # exempt by status
        ("Won", None, False),  # statuses compare without case
        (None, "老客户", True),
        ("Active", None, True),
    ],
)
def test_reclaim_exemptions(status: str | None, tags: str | None, reclaimed: bool) -> None:
    rows = customer_rows()
    rows[7][10], rows[7][11] = status, tags  # Fay: no contact since 2024-12-20, no deal since
    raw = raw_book(RawSheet("Customers", rows), *default_sheets()[1:])
    fay = [r for r in summary(raw) if r[2] == "Fay Ma" and r[3] == "reclaim"]
    assert fay == ([(D("2025-06-29"), 1, "Fay Ma", "reclaim")] if reclaimed else [])


def test_reclaim_warning_comes_ahead_of_the_due_date() -> None:
    rows = customer_rows()
    rows[7][11] = None  # Fay, not exempt: due 2025-06-29 (no deal for 180 days)
    raw = raw_book(RawSheet("Customers", rows), *default_sheets()[1:])
    early = followup_reminders(context(raw, as_of=D("2025-06-23")))
    (warning,) = [r for r in early if r.reason == "reclaim" and r.customer == "Fay Ma"]
    assert warning.due == D("2025-06-29") and warning.days_overdue == 0
    assert warning.action == "Follow up by 2025-06-29 or the customer returns to the public pool"
    before = followup_reminders(context(raw, as_of=D("2025-06-21")))
    assert [r for r in before if r.reason == "reclaim" and r.customer == "Fay Ma"] == []


def test_contacts_unmasked_when_settings_say_so() -> None:
    raw = raw_book(*default_sheets())
    masked = followup_reminders(context(raw))
    plain = followup_reminders(context(raw, settings(followups={"mask_contacts": False})))
    assert (masked[-1].phone, masked[-1].email) == ("138****5678", "a***@example.com")
    assert (plain[-1].phone, plain[-1].email) == ("13812345678", "ann@example.com")


def test_reasons_can_be_switched_off() -> None:
    raw = raw_book(*default_sheets())
    only = summary(raw, followups={"reasons": ["birthday", "welcome"]})
    assert [r[3] for r in only] == ["welcome", "birthday"]


def test_holiday_care_for_high_tier_customers() -> None:
    raw = raw_book(*default_sheets())
    reminders = followup_reminders(context(raw, as_of=D("2025-09-26")))
    holiday = [(r.customer, r.due, r.action) for r in reminders if r.reason == "holiday"]
    assert holiday == [  # by due date, then owner: Eve has none
        ("Eve Sun", D("2025-10-01"), "Send National Day greetings (2025-10-01)"),
        ("Ann Lee", D("2025-10-01"), "Send National Day greetings (2025-10-01)"),
    ]


def test_per_owner_sheets_are_keyed_and_replaced_on_rerun() -> None:
    config = settings(followups={"per_owner": "sheets"})
    raw = raw_book(*default_sheets())
    plan = followups_step(context(raw, config))
    owners = {c.key: (c.title, len(c.rows)) for c in plan.changes
              if isinstance(c, WriteSheet) and c.key.startswith("followups:")}  # fmt: skip
    assert owners == {
        "followups:": ("Follow-ups - (no owner)", 1),
        "followups:Li": ("Follow-ups - Li", 4),
        "followups:Wang": ("Follow-ups - Wang", 5),
    }
    after = apply(raw, plan)
    assert followups_step(context(after, config)) == plan
    # Wang's customers move to Li: Wang's old sheet is emptied, not left stale.
    rows = customer_rows()
    for row in rows[2:]:
        row[5] = "Li" if row[5] == "Wang" else row[5]
    moved = RawWorkbook("crm.xlsx", (RawSheet("Customers", rows), *after.sheets[1:]))
    replanned = followups_step(context(moved, config))
    wang = followups_sheet(replanned, "followups:Wang")
    assert wang.title == "Follow-ups - Wang" and wang.rows == ()


def test_chinese_workbook_gets_chinese_labels() -> None:
    rows = customer_rows()
    rows[1] = ["客户编号", "姓名", "手机", "邮箱", "生日", "负责人", "注册日期", "最近购买日期",
               "累计消费", "最近联系日期", "客户状态", "标签"]  # fmt: skip
    raw = raw_book(RawSheet("客户", rows))
    plan = followups_step(context(raw))
    assert next_column(plan).header == "下次跟进"
    sheet = followups_sheet(plan)
    assert sheet.title == "跟进提醒" and sheet.header[-1] == "已跟进"
    assert sheet.rows[-1][3:5] == ("生日关怀", D("2025-07-03"))
    assert sheet.rows[-1][8] == "发送生日祝福（2025-07-03）"


def test_runs_as_a_step_through_the_runner() -> None:
    raw = raw_book(*default_sheets())
    _, steps, plan = plan_run(raw, RunOptions(steps="followups", as_of=AS_OF))
    assert steps == ("followups",)
    assert plan.counts["followups.customers_due"] == 6
