"""The written summary at the top of the Complaint Summary sheet, in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from toolkit.routines.complaint_labels import age_label, summary_text
from toolkit.routines.complaint_summary import ComplaintFigures

AS_OF = date(2025, 6, 30)


def figures(**values: object) -> ComplaintFigures:
    base: dict[str, object] = dict(
        total=0, by_category=(), by_status=(), by_month=(), undated=0, by_owner=(), by_tier=(),
        resolution_median=None, resolution_p90=None, first_response_median=None,
        sla_breaches=0, sla_by_category=(), open_total=0, open_by_age=(), open_breaches=0,
        per_100_customers=0.0, per_1000_orders=None, repeat_complainers=(), phrases=(),
        this_month=0, last_month=0, month_top=None,
    )  # fmt: skip
    return ComplaintFigures(**{**base, **values})  # type: ignore[arg-type]


@pytest.mark.parametrize("values, en, zh", [
    (dict(this_month=23, last_month=20, month_top=("product_quality", 11), open_total=5,
          open_breaches=2, resolution_median=3.0),
     "23 complaints this month (2025-06), up 15% on last month (20), mostly product quality "
     "(48%). 5 still open, 2 of them past their SLA. Median resolution time 3 days.",
     "本月（2025-06）投诉 23 起，较上月（20 起）增加 15%，主要为产品质量问题（48%）。"
     "目前未结 5 起，其中 2 起已超时。解决时长中位数 3 天。"),
    (dict(this_month=1, last_month=4, month_top=("delivery", 1)),
     "1 complaint this month (2025-06), down 75% on last month (4), mostly delivery (100%). "
     "None open.",
     "本月（2025-06）投诉 1 起，较上月（4 起）减少 75%，主要为物流配送问题（100%）。"
     "目前没有未结投诉。"),
    (dict(this_month=2, last_month=2, month_top=("包装", 2), open_total=1),
     "2 complaints this month (2025-06), as many as last month, mostly 包装 (100%). "
     "1 still open, none past its SLA.",
     "本月（2025-06）投诉 2 起，与上月持平，主要为包装问题（100%）。目前未结 1 起，均未超时。"),
    (dict(this_month=3, month_top=("other", 3)),
     "3 complaints this month (2025-06), none last month, mostly other (100%). None open.",
     "本月（2025-06）投诉 3 起，上月无投诉，主要为其他问题（100%）。目前没有未结投诉。"),
    (dict(resolution_median=2.5),
     "No complaints this month (2025-06). None open. Median resolution time 2.5 days.",
     "本月（2025-06）暂无投诉。目前没有未结投诉。解决时长中位数 2.5 天。"),
])  # fmt: skip
def test_summary_text(values: dict[str, object], en: str, zh: str) -> None:
    assert summary_text(figures(**values), "en", AS_OF) == en
    assert summary_text(figures(**values), "zh", AS_OF) == zh


def test_age_labels() -> None:
    assert [age_label(lo, hi, "en") for lo, hi in ((0, 7), (8, 30), (91, None))] == [
        "0-7 days",
        "8-30 days",
        "over 90 days",
    ]
