"""Churn risk: points, levels and reasons in words, pinned for hand-made customers."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.detect import understand
from toolkit.models.scoring_settings import ChurnSettings
from toolkit.models.settings import Settings
from toolkit.routines.churn import CHURN_LEVELS, ChurnInputs, churn_risk
from toolkit.routines.scores import customer_scores
from toolkit.steps import StepContext
from toolkit.table import Lang, RawSheet, RawWorkbook

AS_OF = date(2025, 6, 30)
NAN = float("nan")


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


CUSTOMERS = RawSheet(
    "Customers",
    [
        [
            "Customer ID",
            "Name",
            "Signup Date",
            "Last Purchase",
            "Purchase Count",
            "Total Amount",
            "Last Contact",
        ],
        ["C1", "Ann", ago(360), ago(210), 6, 1800, ago(5)],  # usually every 30, now 210 days
        ["C2", "Bo", ago(100), ago(10), 4, 900, ago(200)],  # buys fine, nobody called
        ["C3", "Cy", None, ago(400), 1, 50, None],  # one purchase long ago
        ["C4", "Di", None, None, None, None, None],  # nothing known
        ["C5", "Ed", ago(65), ago(5), 3, 300, ago(1)],  # every 30, bought 5 days ago
    ],
)
COMPLAINTS = RawSheet(
    "Complaints",
    [
        ["Ticket ID", "Customer ID", "Date", "Category", "Description", "Status"],
        ["T1", "C1", ago(20), "Delivery", "late", "Resolved"],
        ["T2", "C1", ago(90), "Quality", "broken", "Investigating"],  # the 90th day counts
        ["T3", "C1", ago(200), "Quality", "old one", "Resolved"],  # outside the 90 days
    ],
)

EXPECTED = {
    "en": {
        2: (90, "high", "no purchase for 210 days, usually every 30; 2 complaints in 90 days"),
        3: (10, "low", "no contact for 200 days"),
        4: (70, "high", "no purchase for 400 days (customers usually buy every 30)"),
        5: (0, "low", ""),
        6: (0, "low", ""),
    },
    "zh": {
        2: (90, "high", "已 210 天未购买，平时每 30 天一次；90 天内投诉 2 次"),
        3: (10, "low", "已 200 天未联系"),
        4: (70, "high", "已 400 天未购买（客户一般每 30 天购买一次）"),
        5: (0, "low", ""),
        6: (0, "low", ""),
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_reasons_are_pinned_for_hand_made_customers(lang: Lang) -> None:
    workbook = understand(RawWorkbook("t.xlsx", (CUSTOMERS, COMPLAINTS)), Settings())
    scores = customer_scores(StepContext(workbook, Settings(), AS_OF, lang))
    found = {row: (s.churn_risk, s.churn_level, s.churn_reason) for row, s in scores.items()}
    assert found == EXPECTED[lang]


ORDERS = RawSheet(
    "Orders",
    [
        ["Order ID", "Customer ID", "Order Date", "Amount"],
        *[[f"A{n}", "C1", ago(200 + 25 * n), 100] for n in range(6)],  # 6 orders 180-360 days ago
        ["A6", "C1", ago(100), 100],
        ["A7", "C1", ago(40), 50],  # 2 orders in the last 180 days
        *[[f"B{n}", "C2", ago(10 + 30 * n), 80] for n in range(12)],  # steady every 30 days
    ],
)


def test_falling_orders_and_spending_are_reasons_with_transactions() -> None:
    workbook = understand(RawWorkbook("t.xlsx", (CUSTOMERS, ORDERS)), Settings())
    scores = customer_scores(StepContext(workbook, Settings(), AS_OF, "en"))
    assert scores[2].churn_reason == (
        "2 orders in the last 180 days, 6 in the 180 before; spending down 75% in the last 180 days"
    )
    assert (scores[2].churn_risk, scores[2].churn_level) == (18, "low")
    assert scores[3].churn_reason == "no contact for 200 days"


def test_levels_follow_the_settings() -> None:
    inputs = ChurnInputs(*(np.array([x]) for x in (90.0, 30.0, 0.0, NAN)))
    default = churn_risk(inputs, ChurnSettings(), "en")
    strict = churn_risk(inputs, ChurnSettings(medium=10, high=20), "en")
    assert int(default.risk[0]) == 47
    assert CHURN_LEVELS[default.level[0]] == "medium" and CHURN_LEVELS[strict.level[0]] == "high"


measure = st.one_of(st.just(NAN), st.floats(0, 3000, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(measure, measure, st.integers(0, 5).map(float), measure), min_size=1, max_size=30
    )
)
def test_every_risk_carries_a_reason(customers: list[tuple[float, float, float, float]]) -> None:
    days, rhythm, complaints, contact = (
        np.array(column) for column in zip(*customers, strict=True)
    )
    rhythm = np.where(rhythm > 0, rhythm, NAN)
    result = churn_risk(ChurnInputs(days, rhythm, complaints, contact), ChurnSettings(), "en")
    assert ((result.risk >= 0) & (result.risk <= 100)).all()
    for risk, reason in zip(result.risk.tolist(), result.reasons, strict=True):
        if risk > 0:
            assert reason
