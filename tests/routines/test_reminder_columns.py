"""The rules on columns give, customer by customer, what the per-customer rules give."""

from __future__ import annotations

from datetime import date
from itertools import product

import numpy as np
import pytest

from toolkit.models.followup_settings import FollowupSettings
from toolkit.routines.followup_facts import UNKNOWN, CustomerColumns
from toolkit.routines.reminder_columns import reason_columns
from toolkit.routines.reminder_rules import candidates, first_open, holiday_dues
from toolkit.routines.tiers import TIER_KEYS

D = date.fromisoformat
AS_OF = D("2025-06-30")
# Dates around the run day: long ago, a few months back, days back, the day itself, ahead.
CONTACTS = [
    None,
    "2023-01-10",
    "2024-12-01",
    "2025-02-28",
    "2025-06-23",
    "2025-06-30",
    "2025-07-04",
]
SIGNUPS = [None, "2019-05-01", "2025-05-20", "2025-06-20", "2025-06-30", "2025-07-02"]
DEALS = [None, "2022-03-01", "2025-01-15", "2025-06-29"]
# Birthdays sharing a month and day across years share their dues (1990/1975-07-03, the
# two 29 Februaries).
BIRTHDAYS = [None, "1990-07-03", "1992-02-29", "1985-06-25", "2000-12-31", "1970-01-01",
             "1988-06-23", "1975-07-03", "1996-02-29"]  # fmt: skip
CHURN = [(False, ""), (True, "no purchase for 300 days"), (True, "")]


def grid() -> list[tuple[str, str | None, str | None, str | None, str | None, bool, bool, str]]:
    """Every tier, contact, signup and deal; birthdays, churn and exemption taken in turn."""
    rows = []
    for n, (tier, contact, signup, deal) in enumerate(product(TIER_KEYS, CONTACTS, SIGNUPS, DEALS)):
        churn_high, reason = CHURN[n % len(CHURN)]
        rows.append((tier, contact, signup, deal, BIRTHDAYS[n % len(BIRTHDAYS)], n % 5 == 0,
                     churn_high, reason))  # fmt: skip
    return rows


def day_numbers(days: list[str | None]) -> np.ndarray:
    return np.array([D(d).toordinal() if d else UNKNOWN for d in days], dtype=np.int64)


def columns_of(rows: list[tuple]) -> CustomerColumns:  # type: ignore[type-arg]
    tier, contact, signup, deal, born, exempt, churn_high, reason = zip(*rows, strict=True)
    size = len(rows)
    return CustomerColumns(
        first_row=2,
        present=np.ones(size, dtype=np.bool_),
        tier=np.array([TIER_KEYS.index(t) for t in tier], dtype=np.int64),
        churn_high=np.array(churn_high, dtype=np.bool_),
        churn_reason=lambda at: reason[at],
        last_contact=day_numbers(list(contact)),
        signup=day_numbers(list(signup)),
        birthday=day_numbers(list(born)),
        last_deal=day_numbers(list(deal)),
        exempt=np.array(exempt, dtype=np.bool_),
        complaints={},
        marked={},
        cells={f: [None] * size for f in CARD_FIELDS},
        with_id=False,
    )


CARD_FIELDS = (
    "customer_id",
    "name",
    "last_name",
    "first_name",
    "owner",
    "phone",
    "phone2",
    "email",
)
SETTINGS = {
    "defaults": FollowupSettings(),
    "everything on the day": FollowupSettings(
        interval_days={"high": 1, "medium": 2, "low": 3}, horizon_days=0, win_back_days=0,
        welcome_days=0, welcome_window_days=0, reclaim_days=0, reclaim_no_deal_days=0,
        reclaim_warning_days=0, occasion_grace_days=0, birthday_days_ahead=0,
        holiday_days_ahead=0, holiday_tiers=("low", "medium"),
    ),
    "long notice": FollowupSettings(
        horizon_days=400, birthday_days_ahead=200, occasion_grace_days=60, reclaim_days=30,
        reclaim_no_deal_days=3000, holiday_tiers=("high", "medium", "low"),
        holidays={"店庆": (D("2025-06-25"), D("2025-07-01"), D("2026-09-09"))},
    ),
    "some reasons, twice": FollowupSettings(reasons=("reclaim", "birthday", "reclaim", "welcome")),
}  # fmt: skip


@pytest.mark.parametrize("name", list(SETTINGS))
def test_each_customer_gets_the_per_customer_rules_answer(name: str) -> None:
    s, rows = SETTINGS[name], grid()
    columns = columns_of(rows)
    calendar = holiday_dues(s, AS_OF)
    worked = reason_columns(columns, columns.present, s, AS_OF, calendar)
    assert [c.reason for c in worked] == [
        r for r in dict.fromkeys(s.reasons) if r not in ("complaint_followup", "complaint_overdue")
    ]
    for at in range(len(rows)):
        facts = columns.facts(at)
        expected = candidates(facts, s, AS_OF, lambda category: 5, calendar)
        for column in worked:
            due = first_open(expected[column.reason], AS_OF, facts.last_contact, lambda d: False)
            variant = int(column.variant[at])
            if due is None:
                assert variant == -1, (at, rows[at], column.reason)
                continue
            got = column.dues[variant]
            assert (got.reason, got.action, got.params) == (due.reason, due.action, due.params)
            assert int(column.due[at]) == due.due.toordinal(), (at, rows[at], column.reason)
            assert int(column.show_from[at]) == due.show_from.toordinal()


def test_customers_not_chosen_get_nothing() -> None:
    rows = grid()
    columns = columns_of(rows)
    chosen = np.arange(len(rows)) % 2 == 0
    s = FollowupSettings()
    worked = reason_columns(columns, chosen, s, AS_OF, holiday_dues(s, AS_OF))
    for column in worked:
        assert not column.open[~chosen].any()
        assert column.open[chosen].any() or column.reason == "holiday"


@pytest.mark.parametrize("size", [0, 1])
def test_no_customers_or_no_dates(size: int) -> None:
    rows = [("medium", None, None, None, None, False, False, "")] * size
    columns = columns_of(rows) if rows else _empty()
    worked = reason_columns(columns, columns.present, FollowupSettings(), AS_OF, ())
    regular = next(c for c in worked if c.reason == "regular")
    assert regular.due.tolist() == [AS_OF.toordinal()] * size  # never contacted: due now
    assert all(not c.open.any() for c in worked if c.reason != "regular")


def _empty() -> CustomerColumns:
    nothing = np.zeros(0, dtype=np.int64)
    return CustomerColumns(2, nothing.astype(np.bool_), nothing, nothing.astype(np.bool_),
                           lambda at: "", nothing, nothing, nothing, nothing,
                           nothing.astype(np.bool_), {}, {}, {}, False)  # fmt: skip
