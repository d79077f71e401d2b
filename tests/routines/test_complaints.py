# ruff: noqa: E501  (a table of complaints, one per line, reads best unwrapped)
"""The complaints step: summary figures against an independent count over the sheet's rows."""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import pytest

from tests.routines.crm_book import AS_OF, context, customer_rows, raw_book, settings
from toolkit.plan import Highlight, WriteSheet
from toolkit.routines.complaint_stats import complaint_records
from toolkit.routines.complaints import complaint_step, summarize
from toolkit.runner import RunOptions, plan_run
from toolkit.table import CellValue, RawSheet, RawWorkbook

D = date.fromisoformat
HEADER = ["Ticket ID", "Customer ID", "Date", "Category", "Description", "Status",
          "First Response", "Resolved Date", "Handler", "Expected Category"]  # fmt: skip
# The last column is not a complaint field: it records the category each row should get.
ROWS: list[list[CellValue]] = [
    ["T01", "C001", "2025-04-03", "质量问题", "杯子破损", "已回访", "2025-04-04", "2025-04-06", "张敏", "product_quality"],
    ["T02", "C002", "2025-04-15", None, "快递延迟一周才到货", "已解决", "2025-04-16", "2025-04-25", "李娜", "delivery"],
    ["T03", "C003", "2025-05-02", "Price", "overcharged on my invoice", "resolved", "2025-05-02", "2025-05-05", "张敏", "price"],
    ["T04", "C003", "2025-05-20", None, "staff were rude and unhelpful", "closed", "2025-05-21", "2025-05-30", "李娜", "service_quality"],
    ["T05", "C001", "2025-05-28", "Delivery", "parcel late", "followed up", None, "2025-06-01", "张敏", "delivery"],
    ["T06", "C004", "2025-06-02", None, "屏幕坏了，质量太差", "调查中", "2025-06-03", None, "李娜", "product_quality"],
    ["T07", "C005", "2025-06-10", "沟通", "打了三次电话没人接", "已接收", None, None, "张敏", "communication"],
    ["T08", "C003", "2025-06-15", None, "courier lost the parcel, tracking shows nothing", "挂起", None, None, None, "delivery"],
    ["T09", "C009", "2025-06-20", "Price", "too expensive", "已解决", "2025-06-21", "2025-06-22", "张敏", "price"],
    ["T10", "C002", "2025-06-25", "包装", "包装盒破了", "已接收", None, None, "李娜", "包装"],
    ["T11", "C006", "2025-06-29", None, "no idea what happened", None, None, None, "李娜", "other"],
    ["T12", "C001", None, "Service quality", "rude", "Resolved", None, "2025-06-05", "张敏", "service_quality"],
]  # fmt: skip
ORDERS = [["Order ID", "Customer ID", "Order Date", "Amount"],
          *[[f"O{i}", "C001", "2025-05-01", 100] for i in (1, 2, 3, 4, 5, 6, 7, 7)]]  # fmt: skip
SLA = {"product_quality": 7, "service_quality": 3, "price": 5, "communication": 3,
       "delivery": 5, "other": 7}  # fmt: skip
STATUS = {"已回访": "followed_up", "已解决": "resolved", "resolved": "resolved", "closed": "resolved",
          "followed up": "followed_up", "调查中": "investigating", "已接收": "received",
          "Resolved": "resolved", None: "received"}  # fmt: skip
TIERS = {"C001": "High", "C002": "Medium", "C003": "Low", "C004": "Low", "C005": "High",
         "C006": "Medium"}  # fmt: skip
OWNERS = {"C003": "Wang"}  # the customer's owner stands in for a complaint without a handler


def book(*, orders: bool = True) -> RawWorkbook:
    sheets = [RawSheet("Customers", customer_rows()), RawSheet("Complaints", [HEADER, *ROWS])]
    return raw_book(*sheets, *([RawSheet("Orders", ORDERS)] if orders else []))


CONFIG = settings(scoring={"source": "columns", "tiers": {
    "method": "thresholds", "high_amount": 50000, "medium_amount": 10000}})  # fmt: skip


def figures(raw: RawWorkbook | None = None):  # type: ignore[no-untyped-def]
    ctx = context(raw or book(), CONFIG)
    return summarize(ctx, complaint_records(ctx).records)


def status_of(row: list[CellValue]) -> str | None:
    return STATUS.get(row[5])  # type: ignore[arg-type]


def is_open(row: list[CellValue]) -> bool:
    status = status_of(row)
    return status in ("received", "investigating") if status else row[7] is None


def days(a: CellValue, b: CellValue) -> int:
    return (D(str(b)) - D(str(a))).days


def test_counts_match_a_count_over_raw_rows() -> None:
    f = figures()
    assert f.total == len(ROWS)
    assert dict(f.by_category) == Counter((r[9], r[3] is None) for r in ROWS)
    assert dict(f.by_status) == Counter(status_of(r) for r in ROWS)
    assert dict(f.by_month) == Counter(str(r[2])[:7] for r in ROWS if r[2])
    assert f.undated == sum(1 for r in ROWS if r[2] is None)
    assert dict(f.by_owner) == Counter(r[8] or OWNERS[str(r[1])] for r in ROWS)
    assert dict(f.by_tier) == Counter(TIERS.get(str(r[1]), "") for r in ROWS)


def test_times_match_numpy_percentiles() -> None:
    f = figures()
    resolution = [days(r[2], r[7]) for r in ROWS if r[2] and r[7]]
    assert f.resolution_median == np.median(resolution) == 3.5
    assert f.resolution_p90 == pytest.approx(np.percentile(resolution, 90))
    first = [days(r[2], r[6]) for r in ROWS if r[2] and r[6]]
    assert f.first_response_median == np.median(first)


def test_sla_breaches_and_open_ages() -> None:
    f = figures()

    def late(r: list[CellValue]) -> bool:
        if r[2] is None:
            return False
        end = AS_OF.isoformat() if is_open(r) else r[7]
        return end is not None and days(r[2], end) > SLA.get(str(r[9]), 7)

    breached = [r for r in ROWS if late(r)]
    assert f.sla_breaches == len(breached) == 5
    assert dict(f.sla_by_category) == Counter(str(r[9]) for r in breached)
    ages = [days(r[2], AS_OF.isoformat()) for r in ROWS if is_open(r) and r[2]]
    assert f.open_total == sum(1 for r in ROWS if is_open(r)) == 5
    assert [n for _, _, n in f.open_by_age] == [
        sum(1 for a in ages if a <= 7), sum(1 for a in ages if 8 <= a <= 30),
        sum(1 for a in ages if 31 <= a <= 90), sum(1 for a in ages if a > 90)]  # fmt: skip
    assert f.open_breaches == sum(1 for r in breached if is_open(r)) == 3


def test_rates_and_repeat_complainers() -> None:
    f = figures()
    assert f.per_100_customers == round(len(ROWS) / 6 * 100, 2)
    assert f.per_1000_orders == round(len(ROWS) / len({o[0] for o in ORDERS[1:]}) * 1000, 2)
    assert figures(book(orders=False)).per_1000_orders is None
    by_customer = Counter(str(r[1]) for r in ROWS if r[1] != "C009")
    repeaters = [(r.customer_row, r.count) for r in f.repeat_complainers]
    row_of = {"C001": 3, "C002": 4, "C003": 5}
    assert sorted(repeaters) == sorted((row_of[c], n) for c, n in by_customer.items() if n >= 2)
    assert repeaters[0] == (5, 3)  # Cy Wu: three complaints, the latest most recent


def test_this_month_against_last_month() -> None:
    f = figures()
    assert f.this_month == sum(1 for r in ROWS if str(r[2]).startswith("2025-06"))
    assert f.last_month == sum(1 for r in ROWS if str(r[2]).startswith("2025-05"))


def sheet(raw: RawWorkbook, **kw: object) -> WriteSheet:
    plan = complaint_step(context(raw, kw.get("config", CONFIG)))  # type: ignore[arg-type]
    return next(c for c in plan.changes if isinstance(c, WriteSheet))


def test_written_summary_english() -> None:
    assert sheet(book()).rows[0][:2] == (
        "Summary",
        (
            "6 complaints this month (2025-06), up 100% on last month (3), mostly product quality "
            "(17%). 5 still open, 3 of them past their SLA. Median resolution time 3.5 days."
        ),
    )


def test_written_summary_chinese() -> None:
    rows = customer_rows()
    rows[1] = ["客户编号", "姓名", "手机", "邮箱", "生日", "负责人", "注册日期", "最近购买日期",
               "累计消费", "最近联系日期", "客户状态", "标签"]  # fmt: skip
    raw = raw_book(RawSheet("客户", rows), RawSheet("投诉", [HEADER, *ROWS]))
    written = sheet(raw)
    assert written.title == "投诉汇总"
    assert written.rows[0][1] == (
        "本月（2025-06）投诉 6 起，较上月（3 起）增加 100%，主要为产品质量问题（17%）。"
        "目前未结 5 起，其中 3 起已超时。解决时长中位数 3.5 天。"
    )
    labels = [r[1] for r in written.rows if r[0] == "按类别"]
    assert "产品质量（推断）" in labels and "产品质量" in labels and "包装" in labels


def test_sheet_sections_charts_and_findings() -> None:
    ctx = context(book(), CONFIG)
    plan = complaint_step(ctx)
    written = next(c for c in plan.changes if isinstance(c, WriteSheet))
    by_section: dict[str, list[tuple[CellValue, ...]]] = {}
    for row in written.rows:
        if row[0]:
            by_section.setdefault(str(row[0]), []).append(row)
    assert ("By category", "Delivery (inferred)", 2, 16.7, None) in by_section["By category"]
    assert by_section["Open complaints"][0][1:3] == ("T06", 28)
    assert [r[1] for r in by_section["Rows to check"]] == ["Complaints!F9", "Complaints!B10"]
    category_chart, month_chart = written.charts
    first, last = category_chart.series[0].first_row, category_chart.series[0].last_row
    assert {written.rows[n - 2][0] for n in range(first, last + 1)} == {"By category"}
    assert [written.rows[n - 2][1] for n in (month_chart.series[0].first_row,
            month_chart.series[0].last_row)] == ["2025-04", "2025-06"]  # fmt: skip
    assert sorted(f.problem for f in plan.findings) == [
        "complaint_customer_unknown",
        "complaint_status_unknown",
    ]
    (highlight,) = [c for c in plan.changes if isinstance(c, Highlight)]
    assert highlight.cells == ((9, 6), (10, 2))
    assert plan.counts["complaints.inferred"] == 5


def test_rerun_gives_the_same_plan_and_no_complaints_sheet_writes_nothing() -> None:
    assert complaint_step(context(book(), CONFIG)) == complaint_step(context(book(), CONFIG))
    empty = complaint_step(context(raw_book(RawSheet("Customers", customer_rows())), CONFIG))
    assert empty.changes == () and empty.counts == {"complaints.total": 0}


def test_both_steps_run_through_the_runner() -> None:
    _, steps, plan = plan_run(book(), RunOptions(steps="followups,complaints", as_of=AS_OF))
    assert steps == ("followups", "complaints")
    assert plan.counts["complaints.total"] == len(ROWS)
    assert plan.counts["followups.reminders"] > 0
