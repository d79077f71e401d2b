"""The Tiers / 客户分层 sheet: customers and revenue per segment, tier and churn level.

One table, one row per group, every segment of the map listed (empty ones too, so the sheet
keeps its shape from run to run), with a bar chart of customers per segment and a pie chart of
revenue per tier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from toolkit.i18n import Text, label, say
from toolkit.plan import ChartSeries, ChartSpec, WriteSheet
from toolkit.routines.churn import level_labels
from toolkit.routines.columns import IntArray
from toolkit.table import CellValue, Lang

if TYPE_CHECKING:
    from toolkit.routines.scores import ScoreBook

HEADER = (
    Text("Group", "类别"),
    Text("Name", "名称"),
    Text("Customers", "客户数"),
    Text("Customers %", "客户占比%"),
    Text("Revenue", "消费额"),
    Text("Revenue %", "消费占比%"),
)
SEGMENT = Text("Segment", "客户分群")
TIER = Text("Tier", "客户等级")
CHURN = Text("Churn risk", "流失风险")
SEGMENT_CHART = Text("Customers per segment", "各分群客户数")
TIER_CHART = Text("Revenue per tier", "各等级消费额")
WIDTHS = (12.0, 24.0, 11.0, 12.0, 16.0, 12.0)
FIRST_DATA_ROW = 2  # the header is row 1 of the sheet


def tiers_sheet(book: ScoreBook, lang: Lang) -> WriteSheet:
    """The summary sheet of a scored customer table.

    Example: 3 segments with 5, 0 and 2 customers give rows "Segment | Champions | 5 | 71.4 |
    ..." and a bar chart over the Customers column of those rows.
    """
    scored = book.occupied
    # Churn levels are listed high first, the order people act on them.
    churn_order = (2, 1, 0)
    groups = [
        (say(SEGMENT, lang), [s.label(lang) for s in book.segments], book.segment, None),
        (say(TIER, lang), list(book.tier_names), book.tier, None),
        (say(CHURN, lang), list(level_labels(lang)), book.churn.level, churn_order),
    ]
    rows: list[tuple[CellValue, ...]] = []
    spans: list[tuple[int, int]] = []
    for group, names, members, order in groups:
        first = FIRST_DATA_ROW + len(rows)
        rows.extend(_group_rows(group, names, members[scored], book.spent[scored], order))
        spans.append((first, FIRST_DATA_ROW + len(rows) - 1))
    return WriteSheet(
        "tiers",
        label("tiers", lang),
        tuple(say(text, lang) for text in HEADER),
        tuple(rows),
        column_widths=WIDTHS,
        charts=_charts(spans[0], spans[1], lang),
    )


def _group_rows(
    group: str,
    names: list[str],
    members: IntArray,
    spent: np.ndarray,
    order: tuple[int, ...] | None,
) -> list[tuple[CellValue, ...]]:
    customers = np.bincount(members, minlength=len(names))
    revenue = np.bincount(members, weights=spent, minlength=len(names))
    all_customers, all_revenue = max(int(customers.sum()), 1), float(revenue.sum()) or 1.0
    rows: list[tuple[CellValue, ...]] = []
    for index in order or range(len(names)):
        count, money = int(customers[index]), float(revenue[index])
        rows.append(
            (
                group,
                names[index],
                count,
                round(100 * count / all_customers, 1),
                round(money, 2),
                round(100 * money / all_revenue, 1),
            )
        )
    return rows


def _charts(segments: tuple[int, int], tiers: tuple[int, int], lang: Lang) -> tuple[ChartSpec, ...]:
    customers, revenue = say(HEADER[2], lang), say(HEADER[4], lang)
    return (
        ChartSpec(
            "bar",
            say(SEGMENT_CHART, lang),
            "H2",
            categories_column=2,
            series=(ChartSeries(customers, 3, *segments),),
        ),
        ChartSpec(
            "pie",
            say(TIER_CHART, lang),
            "H22",
            categories_column=2,
            series=(ChartSeries(revenue, 5, *tiers),),
        ),
    )
