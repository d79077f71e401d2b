"""Each reminder rule on one customer's facts: due dates, notice periods, what clears them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from toolkit.models.followup_settings import FollowupSettings
from toolkit.models.holidays import BUILTIN_HOLIDAYS, FIRST_YEAR, LAST_YEAR
from toolkit.routines.complaint_stats import ComplaintRecord
from toolkit.routines.reminder_rules import (
    CustomerFacts,
    Due,
    birthday,
    calendar_days,
    complaint_followup,
    complaint_overdue,
    first_open,
    holiday,
    holiday_dues,
    reclaim,
    regular,
    welcome,
    win_back,
)

D = date.fromisoformat
AS_OF = D("2025-06-30")
S = FollowupSettings()
FACTS = CustomerFacts(row=3, tier="medium", churn_high=False, churn_reason="", last_contact=None,
                      signup=None, birthday=None, last_deal=None, exempt=False)  # fmt: skip


def facts(**changes: object) -> CustomerFacts:
    return replace(FACTS, **changes)  # type: ignore[arg-type]


def complaint(**changes: object) -> ComplaintRecord:
    base = ComplaintRecord(row=2, complaint_id="T1", customer_row=3, customer="C1",
                           opened=D("2025-06-01"), category="delivery", inferred=False,
                           status="received", first_response=None, resolved=None, owner="",
                           description="")  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "tier, contact, signup, due",
    [
        ("high", "2025-06-01", None, "2025-07-01"),
        ("medium", "2025-06-01", "2020-01-01", "2025-07-31"),
        ("low", "2025-06-01", None, "2025-08-30"),
        ("low", None, "2025-06-01", "2025-08-30"),  # never contacted: from signup
        ("low", None, None, "2025-06-30"),  # nothing known: due now
    ],
)
def test_regular_interval_by_tier(
    tier: str, contact: str | None, signup: str | None, due: str
) -> None:
    f = facts(tier=tier, last_contact=contact and D(contact), signup=signup and D(signup))
    (got,) = regular(f, S, AS_OF)
    assert got.due == D(due) and got.show_from == D(due) - timedelta(days=7)


@pytest.mark.parametrize(
    "born, as_of, due",
    [
        ("1990-07-03", "2025-06-30", "2025-07-03"),
        ("1990-01-02", "2025-12-30", "2026-01-02"),  # across the new year
        ("1992-02-29", "2025-02-25", "2025-02-28"),  # no 29 February this year
        ("1992-02-29", "2028-02-25", "2028-02-29"),
    ],
)
def test_birthday_falls_on_this_years_day(born: str, as_of: str, due: str) -> None:
    dues = birthday(facts(birthday=D(born)), S, D(as_of))
    chosen = first_open(dues, D(as_of), None, lambda d: False)
    assert chosen is not None and chosen.due == D(due)
    assert chosen.show_from <= D(as_of)  # within the 7 days ahead


def test_a_missed_birthday_is_dropped_after_the_grace_period() -> None:
    dues = birthday(facts(birthday=D("1990-06-20")), S, AS_OF)
    chosen = first_open(dues, AS_OF, None, lambda d: False)
    assert chosen is not None and chosen.due == D("2026-06-20")  # 2025's passed 10 days ago
    late = first_open(dues, D("2025-06-25"), None, lambda d: False)
    assert late is not None and late.due == D("2025-06-20")  # 5 days late: still worth a call


def test_holidays_only_for_the_holiday_tiers_and_custom_days_replace_builtins() -> None:
    assert holiday(facts(tier="low"), S, holiday_dues(S, AS_OF)) == []
    custom = FollowupSettings(
        builtin_holidays=("national_day",), holidays={"店庆": [D("2025-07-09")]}
    )
    calendar = holiday_dues(custom, AS_OF)
    chosen = first_open(holiday(facts(tier="high"), custom, calendar), AS_OF, None, lambda d: False)
    assert chosen is not None and chosen.due == D("2025-07-09")
    assert dict(chosen.params)["holiday"] == "店庆"
    replaced = FollowupSettings(holidays={"national_day": [D("2025-10-08")]})
    days = [day for day, _ in calendar_days(replaced) if day.month == 10 and day.year == 2025]
    assert days == [D("2025-10-06"), D("2025-10-08")]  # Mid-Autumn, and the replaced day


def test_builtin_calendar_has_one_day_a_year_2024_to_2030() -> None:
    for key, entry in BUILTIN_HOLIDAYS.items():
        assert [d.year for d in entry.dates] == list(range(FIRST_YEAR, LAST_YEAR + 1)), key
    months = {d.month for d in BUILTIN_HOLIDAYS["spring_festival"].dates}
    assert months <= {1, 2}
    assert {d.month for d in BUILTIN_HOLIDAYS["mid_autumn"].dates} <= {9, 10}
    assert BUILTIN_HOLIDAYS["mid_autumn"].dates[1] == D("2025-10-06")


def test_complaint_followup_after_resolution_and_none_once_followed_up() -> None:
    resolved = complaint(status="resolved", resolved=D("2025-06-25"))
    (due,) = complaint_followup(facts(complaints=(resolved,)), S, AS_OF)
    assert due.due == D("2025-06-28") and due.cleared_from == D("2025-06-28")
    done = complaint(status="followed_up", resolved=D("2025-06-25"))
    assert complaint_followup(facts(complaints=(done,)), S, AS_OF) == []


@pytest.mark.parametrize(
    "opened, sla, listed",
    [
        ("2025-06-24", 5, True),  # deadline 06-29 passed
        ("2025-06-25", 5, False),  # deadline today: not late yet
        ("2025-06-01", 60, False),
    ],
)
def test_open_complaints_past_their_sla(opened: str, sla: int, listed: bool) -> None:
    f = facts(complaints=(complaint(opened=D(opened)),))
    dues = complaint_overdue(f, AS_OF, lambda category: sla)
    expected = [D(opened) + timedelta(days=sla + 1)] if listed else []
    assert [d.due for d in dues] == expected
    if listed:
        assert dues[0].cleared_from is None  # a call does not close a complaint


def test_win_back_only_for_high_churn_risk() -> None:
    assert win_back(facts(), S, AS_OF) == []
    (due,) = win_back(facts(churn_high=True, last_contact=D("2025-06-01")), S, AS_OF)
    assert due.due == D("2025-06-08")
    (never,) = win_back(facts(churn_high=True), S, AS_OF)
    assert never.due == AS_OF


@pytest.mark.parametrize(
    "signup, expected",
    [
        ("2025-06-20", "2025-06-23"),
        ("2025-05-31", "2025-06-03"),  # 30 days ago: still new
        ("2025-05-30", None),
        ("2025-07-01", None),  # signs up tomorrow
    ],
)
def test_welcome_call_for_new_customers(signup: str, expected: str | None) -> None:
    dues = welcome(facts(signup=D(signup)), S, AS_OF)
    assert [d.due for d in dues] == ([D(expected)] if expected else [])
    if dues:
        assert dues[0].cleared_from == D(signup)  # any contact since signup clears it


@pytest.mark.parametrize(
    "contact, deal, due",
    [
        ("2025-01-01", "2024-01-01", "2025-05-01"),  # no contact for 120 days decides
        ("2025-01-01", "2025-01-01", "2025-06-30"),  # no deal for 180 days decides
        ("2025-01-01", None, "2025-05-01"),
    ],
)
def test_reclaim_when_both_silences_hold(contact: str, deal: str | None, due: str) -> None:
    f = facts(last_contact=D(contact), last_deal=deal and D(deal))
    (got,) = reclaim(f, S, AS_OF)
    assert got.due == D(due)
    assert got.show_from == D(due) - timedelta(days=7)  # the owner is warned a week ahead
    assert reclaim(replace(f, exempt=True), S, AS_OF) == []


def test_first_open_skips_done_expired_and_cleared() -> None:
    def due(day: str, **kw: object) -> Due:
        return Due("birthday", D(day), D(day), FACTS_ACTION, **kw)  # type: ignore[arg-type]

    dues = [
        due("2025-06-01", until=D("2025-06-08")),
        due("2025-07-01", cleared_from=D("2025-07-01")),
        due("2025-08-01"),
        due("2025-09-01"),
    ]
    assert first_open(dues, AS_OF, None, lambda d: False) == dues[1]
    assert first_open(dues, AS_OF, D("2025-07-01"), lambda d: False) == dues[2]
    assert first_open(dues, AS_OF, None, lambda d: d.due < D("2025-09-01")) == dues[3]
    assert first_open(dues, AS_OF, None, lambda d: True) is None


FACTS_ACTION = regular(FACTS, S, AS_OF)[0].action


def test_holiday_dues_leave_out_holidays_past_their_grace_period() -> None:
    dues = holiday_dues(S, D("2025-10-05"))
    assert dues[0].due == D("2025-10-01")  # National Day, 4 days ago: still within 7 days
    assert all(d.due >= D("2025-09-28") for d in dues)
    assert len({d.due.year for d in dues}) == 6  # 2025 to 2030
