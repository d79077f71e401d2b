"""Texts of the Complaint Summary sheet, and its opening sentences, in English and Chinese.

The opening is what a manager reads first: this month's count against last month's, the main
category with its share, what is still open and late. "This month" is `as_of`'s month up to
`as_of`; "last month" is the whole month before.
"""

from __future__ import annotations

from datetime import date

from toolkit.i18n import Text, say
from toolkit.routines.complaint_summary import ComplaintFigures
from toolkit.routines.complaint_text import CATEGORY_LABELS, category_label
from toolkit.table import Lang

HEADER = (
    Text("Section", "分类"),
    Text("Item", "项目"),
    Text("Count", "数量"),
    Text("Share (%)", "占比（%）"),
    Text("Detail", "说明"),
)
SECTIONS: dict[str, Text] = {
    "summary": Text("Summary", "概要"),
    "totals": Text("Totals", "总体"),
    "category": Text("By category", "按类别"),
    "status": Text("By status", "按状态"),
    "month": Text("By month", "按月份"),
    "owner": Text("By owner", "按负责人"),
    "tier": Text("By customer tier", "按客户等级"),
    "sla": Text("SLA breaches by category", "超时投诉（按类别）"),
    "age": Text("Open complaints by age", "未结投诉账龄"),
    "repeat": Text("Repeat complainers", "重复投诉客户"),
    "phrases": Text("Recurring phrases", "高频词"),
    "open": Text("Open complaints", "未结投诉"),
    "problems": Text("Rows to check", "待核对行"),
}
ITEMS: dict[str, Text] = {
    "total": Text("Complaints", "投诉总数"),
    "open": Text("Open", "未结"),
    "breaches": Text("Past SLA", "超时（超过处理时限）"),
    "inferred": Text("Category inferred from the description", "类别由描述推断"),
    "unknown_status": Text("Status not understood", "状态无法识别"),
    "undated": Text("Without a date", "缺少日期"),
    "per_100_customers": Text("Complaints per 100 customers", "每百名客户投诉数"),
    "per_1000_orders": Text("Complaints per 1,000 orders", "每千笔订单投诉数"),
    "resolution_median": Text("Median resolution time (days)", "解决时长中位数（天）"),
    "resolution_p90": Text("90th percentile resolution time (days)", "解决时长 90 分位（天）"),
    "first_response_median": Text("Median first response (days)", "首次响应中位数（天）"),
    "status_problem": Text(
        "status, customer or resolved date not understood: see the findings",
        "状态、客户或解决日期无法识别：见问题列表",
    ),
    "sla_days": Text("SLA {days} days", "时限 {days} 天"),
    "past_sla": Text(", past it", "，已超时"),
}
NO_OWNER = Text("(no owner)", "（未分配）")
UNKNOWN = Text("Unknown", "无法识别")
UNKNOWN_CUSTOMER = Text("(customer not found)", "（客户未找到）")
AGE = Text("{low}-{high} days", "{low}-{high} 天")
AGE_OVER = Text("over {low} days", "{low} 天以上")

_COUNT = Text("{n} complaints this month ({month})", "本月（{month}）投诉 {n} 起")
_ONE = Text("1 complaint this month ({month})", "本月（{month}）投诉 1 起")
_NONE = Text("No complaints this month ({month})", "本月（{month}）暂无投诉")
_UP = Text("up {pct}% on last month ({last})", "较上月（{last} 起）增加 {pct}%")
_DOWN = Text("down {pct}% on last month ({last})", "较上月（{last} 起）减少 {pct}%")
_SAME = Text("as many as last month", "与上月持平")
_NO_LAST = Text("none last month", "上月无投诉")
_MAIN = Text("mostly {category} ({share}%)", "主要为{category}（{share}%）")
_OPEN = Text(
    "{open} still open, {late} of them past their SLA.",
    "目前未结 {open} 起，其中 {late} 起已超时。",
)
_OPEN_IN_TIME = Text("{open} still open, none past its SLA.", "目前未结 {open} 起，均未超时。")
_NONE_OPEN = Text("None open.", "目前没有未结投诉。")
_MEDIAN = Text("Median resolution time {days} days.", "解决时长中位数 {days} 天。")
_SEP = Text(", ", "，")
_END = Text(". ", "。")


def age_label(low: int, high: int | None, lang: Lang) -> str:
    """The label of an age bucket.

    >>> age_label(0, 7, "en"), age_label(91, None, "zh")
    ('0-7 days', '90 天以上')
    """
    if high is None:
        return say(AGE_OVER, lang, low=low - 1)
    return say(AGE, lang, low=low, high=high)


def summary_text(f: ComplaintFigures, lang: Lang, as_of: date) -> str:
    """A few sentences on this month's complaints, in the sheet's language.

    For example: "本月（2025-06）投诉 23 起，较上月（20 起）增加 15%，主要为产品质量问题（48%）。
    目前未结 5 起，其中 2 起已超时。解决时长中位数 3 天。"
    """
    month = f"{as_of.year:04d}-{as_of.month:02d}"
    if f.this_month == 0:
        first = [say(_NONE, lang, month=month)]
    else:
        count = _ONE if f.this_month == 1 else _COUNT
        first = [say(count, lang, n=f.this_month, month=month), _change(f, lang)]
        if f.month_top is not None:
            category, n = f.month_top
            share = round(n / f.this_month * 100)
            first.append(say(_MAIN, lang, category=_category_words(category, lang), share=share))
    sentences = [say(_SEP, lang).join(first) + say(_END, lang).rstrip()]
    if f.open_total:
        open_text = _OPEN if f.open_breaches else _OPEN_IN_TIME
        sentences.append(say(open_text, lang, open=f.open_total, late=f.open_breaches))
    else:
        sentences.append(say(_NONE_OPEN, lang))
    if f.resolution_median is not None:
        sentences.append(say(_MEDIAN, lang, days=f"{f.resolution_median:g}"))
    return ("" if lang == "zh" else " ").join(sentences)


def _change(f: ComplaintFigures, lang: Lang) -> str:
    if f.last_month == 0:
        return say(_NO_LAST, lang)
    pct = round((f.this_month - f.last_month) / f.last_month * 100)
    if pct > 0:
        return say(_UP, lang, pct=pct, last=f.last_month)
    if pct < 0:
        return say(_DOWN, lang, pct=-pct, last=f.last_month)
    return say(_SAME, lang)


def _category_words(category: str, lang: Lang) -> str:
    """产品质量 -> 产品质量问题; Product quality -> product quality."""
    name = category_label(category, lang)
    if lang == "zh":
        return name if name.endswith("问题") else f"{name}问题"
    return name.lower() if category in CATEGORY_LABELS else name
