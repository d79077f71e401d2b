"""Why and when a customer is due a follow-up: one pure rule per reason.

Each rule looks at one customer's facts on the run's `as_of` and returns the candidate due
dates for its reason, earliest first; `followups` then drops the ones done or cleared by a
later contact, and keeps the first left per customer and reason. A candidate says when it
starts to be listed (`show_from`: a birthday a week ahead, the 公海 warning N days ahead), when
it stops mattering (`until`: a birthday long past) and from which day a contact clears it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from toolkit.i18n import Text
from toolkit.models.followup_settings import FollowupSettings, Reason, Tier
from toolkit.models.holidays import BUILTIN_HOLIDAYS
from toolkit.routines.complaint_stats import ComplaintRecord
from toolkit.table import Lang

Param = str | int | date | Text
_RULE_CACHE = 1 << 16


@dataclass(frozen=True)
class CustomerFacts:
    """What the rules know about one customer (contact dates include reminders marked done)."""

    row: int
    tier: Tier
    churn_high: bool
    churn_reason: str
    last_contact: date | None
    signup: date | None
    birthday: date | None
    last_deal: date | None
    exempt: bool  # locked, won or VIP: never reclaimed
    complaints: tuple[ComplaintRecord, ...] = ()


@dataclass(frozen=True)
class Due:
    """One candidate reminder for a customer."""

    reason: Reason
    due: date
    show_from: date  # listed on the Follow-ups sheet from this day on
    action: Text  # the suggested action; `{name}` placeholders filled from `params`
    params: tuple[tuple[str, Param], ...] = ()
    until: date | None = None  # no longer worth doing after this day
    cleared_from: date | None = field(default=None)  # a contact on or after this day clears it


@dataclass(frozen=True)
class Reminder:
    """One follow-up to make: a row of the Follow-ups sheet, an event of the calendar."""

    customer_row: int  # the customer's row on the customer sheet
    customer_key: str  # how done marks name the customer (id, else name)
    customer_id: str
    customer: str
    owner: str
    reason: Reason
    reason_label: str  # in the run's language
    due: date
    days_overdue: int  # 0 when due today or later
    phone: str  # masked when settings say so
    email: str
    action: str  # suggested action, in the run's language
    as_of: date  # the run's day: when this reminder was worked out
    lang: Lang = "en"  # the language of the texts above

    @property
    def uid(self) -> str:
        """The same for the same customer, reason and due date on every run.

        >>> r = Reminder(2, "c1", "C1", "Li", "", "birthday", "Birthday", date(2025, 7, 3), 0,
        ...              "", "", "", date(2025, 6, 30))
        >>> r.uid
        'followup-c3672d9d3b16e030b788dbae@custkit'
        """
        text = f"{self.customer_key}|{self.reason}|{self.due.isoformat()}"
        return f"followup-{hashlib.sha256(text.encode()).hexdigest()[:24]}@custkit"


ACTIONS: dict[str, Text] = {
    "regular": Text(
        "Regular check-in ({tier} tier, every {days} days)",
        "定期回访（{tier}，每 {days} 天）",
    ),
    "birthday": Text("Send birthday wishes ({day})", "发送生日祝福（{day}）"),
    "holiday": Text("Send {holiday} greetings ({day})", "发送{holiday}节日问候（{day}）"),
    "complaint_followup": Text(
        "Call back about complaint {complaint} resolved on {day}",
        "回访投诉 {complaint}（{day} 已解决），确认客户满意",
    ),
    "complaint_overdue": Text(
        "Chase complaint {complaint}: open since {day}, past its {sla}-day SLA",
        "催办投诉 {complaint}：{day} 受理，已超过 {sla} 天处理时限",
    ),
    "win_back": Text("Win-back call: {why}", "挽回客户：{why}"),
    "welcome": Text("Welcome call: signed up on {day}", "新客户欢迎回访：{day} 注册"),
    "reclaim_warning": Text(
        "Follow up by {day} or the customer returns to the public pool",
        "请在 {day} 前跟进，否则客户将退回公海",
    ),
    "reclaim": Text(
        "No follow-up since {day}: return to the public pool and reassign",
        "自 {day} 起未跟进：退回公海，重新分配",
    ),
}
TIER_NAMES: dict[Tier, Text] = {
    "high": Text("high", "高价值"),
    "medium": Text("medium", "中价值"),
    "low": Text("low", "低价值"),
}


def regular(facts: CustomerFacts, s: FollowupSettings, as_of: date) -> list[Due]:
    """Every tier interval from the last contact (else signup; never contacted: due now).

    Example: medium tier (60 days), last contact 2025-06-01: due 2025-07-31, listed from 07-24.
    """
    base = facts.last_contact or facts.signup
    return list(_regular(facts.tier, s.interval_days[facts.tier], base, as_of, s.horizon_days))


# The rules below depend on a few dates only, and a million customers share a few thousand of
# them: each distinct case is worked out once per process (a Due is immutable, so shared).
@lru_cache(maxsize=_RULE_CACHE)
def _regular(tier: Tier, days: int, base: date | None, as_of: date, ahead: int) -> tuple[Due, ...]:
    due = base + timedelta(days) if base else as_of
    params = (("tier", TIER_NAMES[tier]), ("days", days))
    return (_due("regular", due, ahead, ACTIONS["regular"], params, cleared=due),)


def birthday(facts: CustomerFacts, s: FollowupSettings, as_of: date) -> list[Due]:
    """Last, this and next year's birthday (29 February is kept on the 28th in other years).

    Example: born 1990-07-03, run on 2025-06-30: due 2025-07-03, listed from 06-26 (7 days
    ahead), dropped after 07-10 (7 days' grace).
    """
    if facts.birthday is None:
        return []
    ahead, grace = s.birthday_days_ahead, s.occasion_grace_days
    return list(_birthdays(facts.birthday, as_of.year, ahead, grace))


@lru_cache(maxsize=_RULE_CACHE)
def _birthdays(born: date, year: int, ahead: int, grace: int) -> tuple[Due, ...]:
    dues = []
    for when in (year - 1, year, year + 1):
        day = _anniversary(born, when)
        action, params = ACTIONS["birthday"], (("day", day),)
        dues.append(_due("birthday", day, ahead, action, params, cleared=day, grace=grace))
    return tuple(dues)


def holiday(facts: CustomerFacts, s: FollowupSettings, calendar: Sequence[Due]) -> list[Due]:
    """Holidays of the calendar (see `holiday_dues`) for customers of the holiday-care tiers.

    Example: a high-tier customer on 2025-09-26 is due National Day greetings on 2025-10-01.
    """
    return list(calendar) if facts.tier in s.holiday_tiers else []


def holiday_dues(s: FollowupSettings, as_of: date) -> tuple[Due, ...]:
    """The holiday candidates every customer shares, worked out once per run.

    Holidays already past their grace period are left out: they can never be chosen.
    """
    ahead, grace, action = s.holiday_days_ahead, s.occasion_grace_days, ACTIONS["holiday"]
    return tuple(
        _due("holiday", day, ahead, action, params, cleared=day, grace=grace)
        for day, params in calendar_days(s)
        if (as_of - day).days <= grace
    )


def calendar_days(s: FollowupSettings) -> list[tuple[date, tuple[tuple[str, Param], ...]]]:
    """Every holiday day of the calendar in settings, with the holiday's name, by date.

    Example: the first day of the default calendar is (date(2024, 1, 1), New Year's Day).
    """
    days: list[tuple[date, tuple[tuple[str, Param], ...]]] = []
    for key in s.builtin_holidays:
        if key not in s.holidays:  # a holiday named in settings replaces the built-in one
            name = BUILTIN_HOLIDAYS[key].name
            days.extend(
                (day, (("holiday", name), ("day", day))) for day in BUILTIN_HOLIDAYS[key].dates
            )
    for label, dates in s.holidays.items():
        days.extend((day, (("holiday", label), ("day", day))) for day in dates)
    return sorted(days, key=lambda item: (item[0], str(item[1][0][1])))


def complaint_followup(facts: CustomerFacts, s: FollowupSettings, as_of: date) -> list[Due]:
    """回访 a few days after each resolved complaint not yet followed up.

    Example: resolved 2025-06-25, status 已解决: due 2025-06-28; status 已回访: nothing.
    """
    dues = []
    for record in facts.complaints:
        if record.status != "resolved" or record.resolved is None:
            continue
        due = record.resolved + timedelta(s.complaint_followup_days)
        params = (("complaint", _complaint_ref(record)), ("day", record.resolved))
        action = ACTIONS["complaint_followup"]
        dues.append(_due("complaint_followup", due, s.horizon_days, action, params, cleared=due))
    return sorted(dues, key=lambda d: d.due)


def complaint_overdue(
    facts: CustomerFacts, as_of: date, sla_days: Callable[[str], int]
) -> list[Due]:
    """Open complaints past their category's SLA: due the day after the deadline.

    Example: a delivery complaint (SLA 5 days) of 2025-06-01 still open: due 2025-06-07.
    """
    dues = []
    for record in facts.complaints:
        if not record.is_open or record.opened is None:
            continue
        sla = sla_days(record.category)
        late_from = record.opened + timedelta(sla + 1)
        if as_of < late_from:
            continue
        params = (("complaint", _complaint_ref(record)), ("day", record.opened), ("sla", sla))
        action = ACTIONS["complaint_overdue"]
        dues.append(Due("complaint_overdue", late_from, late_from, action, params))
    return sorted(dues, key=lambda d: d.due)


def win_back(facts: CustomerFacts, s: FollowupSettings, as_of: date) -> list[Due]:
    """High churn risk: a call within a few days of the last contact (now, when never).

    Example: churn level high, last contact 2024-12-01: due 2024-12-08.
    """
    if not facts.churn_high:
        return []
    due = facts.last_contact + timedelta(s.win_back_days) if facts.last_contact else as_of
    params = (("why", facts.churn_reason or "-"),)
    return [_due("win_back", due, s.horizon_days, ACTIONS["win_back"], params, cleared=due)]


def welcome(facts: CustomerFacts, s: FollowupSettings, as_of: date) -> list[Due]:
    """A welcome call for customers who signed up lately; any contact since signup clears it.

    Example: signed up 2025-06-20: due 2025-06-23 unless contacted on or after 06-20.
    """
    signup = facts.signup
    if signup is None or signup > as_of or (as_of - signup).days > s.welcome_window_days:
        return []
    due = signup + timedelta(s.welcome_days)
    params = (("day", signup),)
    return [_due("welcome", due, s.horizon_days, ACTIONS["welcome"], params, cleared=signup)]


def reclaim(facts: CustomerFacts, s: FollowupSettings, as_of: date) -> list[Due]:
    """公海: no follow-up for `reclaim_days` and no deal for `reclaim_no_deal_days`.

    Due on the first day both hold; listed `reclaim_warning_days` ahead as a warning.
    Example: last contact 2025-01-01, last deal 2024-01-01: due 2025-05-01 (120 days).
    """
    contact = facts.last_contact or facts.signup
    if facts.exempt or contact is None:
        return []
    deal = facts.last_deal or facts.signup
    days = (s.reclaim_days, s.reclaim_no_deal_days, s.reclaim_warning_days)
    return list(_reclaim(contact, deal, as_of, *days))


@lru_cache(maxsize=_RULE_CACHE)
def _reclaim(
    contact: date, deal: date | None, as_of: date, days: int, no_deal_days: int, ahead: int
) -> tuple[Due, ...]:
    due = contact + timedelta(days)
    if deal is not None:
        due = max(due, deal + timedelta(no_deal_days))
    if as_of < due:
        action, params = ACTIONS["reclaim_warning"], (("day", due),)
    else:
        action, params = ACTIONS["reclaim"], (("day", contact),)
    return (_due("reclaim", due, ahead, action, params, cleared=due),)


def candidates(
    facts: CustomerFacts,
    s: FollowupSettings,
    as_of: date,
    sla_days: Callable[[str], int],
    calendar: Sequence[Due],
) -> dict[Reason, list[Due]]:
    """Every enabled rule's candidates for one customer, by reason.

    `calendar` is `holiday_dues(s, as_of)`, shared by every customer of the run.
    """
    return {reason: _RULES[reason](facts, s, as_of, sla_days, calendar) for reason in s.reasons}


Rule = Callable[
    [CustomerFacts, FollowupSettings, date, Callable[[str], int], Sequence[Due]], list[Due]
]
# Built once, not per customer: a million customers would build eight closures each.
_RULES: dict[Reason, Rule] = {
    "regular": lambda facts, s, as_of, sla_days, calendar: regular(facts, s, as_of),
    "birthday": lambda facts, s, as_of, sla_days, calendar: birthday(facts, s, as_of),
    "holiday": lambda facts, s, as_of, sla_days, calendar: holiday(facts, s, calendar),
    "complaint_followup": lambda facts, s, as_of, sla_days, calendar: complaint_followup(
        facts, s, as_of
    ),
    "complaint_overdue": lambda facts, s, as_of, sla_days, calendar: complaint_overdue(
        facts, as_of, sla_days
    ),
    "win_back": lambda facts, s, as_of, sla_days, calendar: win_back(facts, s, as_of),
    "welcome": lambda facts, s, as_of, sla_days, calendar: welcome(facts, s, as_of),
    "reclaim": lambda facts, s, as_of, sla_days, calendar: reclaim(facts, s, as_of),
}


def first_open(
    dues: Sequence[Due], as_of: date, last_contact: date | None, done: Callable[[Due], bool]
) -> Due | None:
    """The earliest candidate not done, not past its `until` and not cleared by a contact.

    Example: birthdays of 2024, 2025 and 2026 on 2025-06-30: 2024's is past its grace,
    2025's was marked done, so 2026's is the one.
    """
    for due in sorted(dues, key=lambda d: d.due):
        if due.until is not None and as_of > due.until:
            continue
        if not (_cleared(due, last_contact) or done(due)):
            return due
    return None


def _cleared(due: Due, last_contact: date | None) -> bool:
    if due.cleared_from is None or last_contact is None:
        return False
    return last_contact >= due.cleared_from


def _due(
    reason: Reason,
    due: date,
    ahead: int,
    action: Text,
    params: tuple[tuple[str, Param], ...],
    *,
    cleared: date,
    grace: int | None = None,
) -> Due:
    until = due + timedelta(grace) if grace is not None else None
    return Due(reason, due, due - timedelta(ahead), action, params, until, cleared)


def _anniversary(day: date, year: int) -> date:
    if day.month == 2 and day.day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return day.replace(year=year)


def _complaint_ref(record: ComplaintRecord) -> str:
    return record.complaint_id or f"#{record.row}"
