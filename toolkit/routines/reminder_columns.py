"""The reminder rules of `reminder_rules` worked out for a million customers at once.

`reminder_rules` says, one customer at a time, which candidates a reason gives and which one is
open. Here the same rules run on whole columns of day numbers (`CustomerColumns`), for the
customers whose reminders depend on their dates alone: no complaints (`followups` sends those
few through the per-customer rules) and no candidate marked done (`followups` checks the
reminders found here against the done marks, and sends those customers the same way).
Per reason and customer the result says whether a reminder is open, its due day, the day it
starts to be listed, and which `Due` it is: customers sharing the inputs of a rule's action
(a tier, a birthday, a churn reason...) share one `Due`, taken from the per-customer rule run
on one of them, so the texts are those rules' own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from toolkit.models.followup_settings import FollowupSettings, Reason
from toolkit.routines.columns import BoolArray, IntArray
from toolkit.routines.followup_facts import UNKNOWN, CustomerColumns
from toolkit.routines.reminder_rules import (
    Due,
    birthday,
    holiday,
    reclaim,
    regular,
    welcome,
    win_back,
)
from toolkit.routines.tiers import TIER_KEYS

_NEVER = np.iinfo(np.int64).max  # `until` / `cleared_from` of a candidate that has none


@dataclass(frozen=True)
class ReasonColumn:
    """One reason's open reminder per customer position (`variant` -1: none open)."""

    reason: Reason
    due: IntArray  # day numbers; meaningful where variant >= 0
    show_from: IntArray
    variant: IntArray  # index into `dues`: the customer's open Due, but for its due day
    dues: tuple[Due, ...]

    @property
    def open(self) -> BoolArray:
        return self.variant >= 0


def reason_columns(
    columns: CustomerColumns,
    chosen: BoolArray,
    s: FollowupSettings,
    as_of: date,
    calendar: Sequence[Due],
) -> list[ReasonColumn]:
    """The open reminder of every enabled date-only reason for the `chosen` positions.

    Example: a medium-tier customer (60 days) last contacted on 2025-06-01 has, in the
    "regular" column, due 2025-07-31's day number and show_from 2025-07-24's.
    """
    rules = _Rules(columns, chosen, s, as_of, calendar)
    worked: dict[Reason, Callable[[], ReasonColumn]] = {
        "regular": rules.regular,
        "birthday": rules.birthday,
        "holiday": rules.holiday,
        "win_back": rules.win_back,
        "welcome": rules.welcome,
        "reclaim": rules.reclaim,
    }
    return [worked[reason]() for reason in dict.fromkeys(s.reasons) if reason in worked]


class _Rules:
    """The rules of `reminder_rules` on columns; each method mirrors the rule of its name."""

    def __init__(
        self,
        columns: CustomerColumns,
        chosen: BoolArray,
        s: FollowupSettings,
        as_of: date,
        calendar: Sequence[Due],
    ) -> None:
        self.c, self.chosen, self.s, self.as_of = columns, chosen, s, as_of
        self.calendar = calendar
        self.today = as_of.toordinal()
        self.contact = columns.last_contact
        self.contacted = columns.last_contact != UNKNOWN

    def regular(self) -> ReasonColumn:
        c, s = self.c, self.s
        base = np.where(self.contacted, self.contact, c.signup)
        days = np.array([s.interval_days[tier] for tier in TIER_KEYS], dtype=np.int64)[c.tier]
        due = np.where(base != UNKNOWN, base + days, self.today)
        is_open = self.chosen & ~self._cleared_from(due)
        return self._column("regular", due, due - s.horizon_days, is_open, c.tier, regular)

    def win_back(self) -> ReasonColumn:
        s = self.s
        due = np.where(self.contacted, self.contact + s.win_back_days, self.today)
        is_open = self.chosen & self.c.churn_high & ~self._cleared_from(due)
        # The action names the churn reason: customers with the same reason share one Due.
        where = np.flatnonzero(is_open)
        numbers: dict[str, int] = {}
        reasons = [
            numbers.setdefault(self.c.churn_reason(at), len(numbers)) for at in where.tolist()
        ]
        key = np.zeros(len(due), dtype=np.int64)
        key[where] = reasons
        return self._column("win_back", due, due - s.horizon_days, is_open, key, win_back)

    def welcome(self) -> ReasonColumn:
        s, signup = self.s, self.c.signup
        new = (signup != UNKNOWN) & (signup <= self.today)
        new &= self.today - signup <= s.welcome_window_days
        due = signup + s.welcome_days
        is_open = self.chosen & new & ~self._cleared_from(signup)
        return self._column("welcome", due, due - s.horizon_days, is_open, signup, welcome)

    def reclaim(self) -> ReasonColumn:
        c, s = self.c, self.s
        contact = np.where(self.contacted, self.contact, c.signup)
        deal = np.where(c.last_deal != UNKNOWN, c.last_deal, c.signup)
        due = contact + s.reclaim_days
        due = np.where(deal != UNKNOWN, np.maximum(due, deal + s.reclaim_no_deal_days), due)
        applies = self.chosen & ~c.exempt & (contact != UNKNOWN)
        is_open = applies & ~self._cleared_from(due)
        # A warning names the due day, a reclaim the last contact: one Due per day named.
        key = np.where(self.today < due, due, -contact)
        return self._column("reclaim", due, due - s.reclaim_warning_days, is_open, key, reclaim)

    def birthday(self) -> ReasonColumn:
        born = self.c.birthday
        applies = self.chosen & (born != UNKNOWN)
        # The dues of a birthday depend on its month and day alone (`_anniversary`): a
        # million customers share 366 of them, not one per date of birth.
        return self._first_open("birthday", applies, _month_day(born), birthday)

    def holiday(self) -> ReasonColumn:
        tiers = [TIER_KEYS.index(tier) for tier in self.s.holiday_tiers]
        applies = self.chosen & np.isin(self.c.tier, tiers)
        every = np.zeros(len(applies), dtype=np.int64)  # one calendar for every customer
        return self._first_open(
            "holiday", applies, every, lambda facts, s, _: holiday(facts, s, self.calendar)
        )

    def _cleared_from(self, day: IntArray) -> BoolArray:
        """A contact on or after `day` clears a candidate (`reminder_rules._cleared`)."""
        cleared: BoolArray = self.contacted & (self.contact >= day)
        return cleared

    def _column(
        self,
        reason: Reason,
        due: IntArray,
        show: IntArray,
        is_open: BoolArray,
        key: IntArray,
        rule: Callable[..., list[Due]],
    ) -> ReasonColumn:
        """The column of a rule with one candidate: customers of one `key` share its Due."""
        where = np.flatnonzero(is_open)
        _, first, shared = np.unique(key[where], return_index=True, return_inverse=True)
        dues = tuple(self._rule_at(int(where[i]), rule)[0] for i in first)
        variant = np.full(len(due), -1, dtype=np.int64)
        variant[where] = shared.reshape(-1)
        return ReasonColumn(reason, due, show, variant, dues)

    def _first_open(
        self, reason: Reason, applies: BoolArray, key: IntArray, rule: Callable[..., list[Due]]
    ) -> ReasonColumn:
        """`first_open` on columns, for rules giving several candidates that depend on `key`
        alone: the candidates of each key worked out once, then tried in due order."""
        where = np.flatnonzero(applies)
        _, first, group = np.unique(key[where], return_index=True, return_inverse=True)
        group = group.reshape(-1)
        candidates = [
            sorted(self._rule_at(int(where[i]), rule), key=lambda d: d.due) for i in first
        ]
        width = max((len(dues) for dues in candidates), default=0)
        table = _slots(candidates, width)
        contact, contacted = self.contact[where], self.contacted[where]
        slot = np.full(len(where), -1, dtype=np.int64)
        for k in range(width):
            until, cleared, valid = (part[group, k] for part in table)
            usable = valid & (self.today <= until) & ~(contacted & (contact >= cleared))
            slot[(slot < 0) & usable] = k
        flat = [due for dues in candidates for due in dues]
        starts = np.cumsum([0] + [len(dues) for dues in candidates])[:-1].astype(np.int64)
        picked = slot >= 0
        variant = np.full(len(applies), -1, dtype=np.int64)
        variant[where[picked]] = starts[group[picked]] + slot[picked]
        due_days = np.array([d.due.toordinal() for d in flat] or [0], dtype=np.int64)
        show_days = np.array([d.show_from.toordinal() for d in flat] or [0], dtype=np.int64)
        at = np.maximum(variant, 0)
        return ReasonColumn(reason, due_days[at], show_days[at], variant, tuple(flat))

    def _rule_at(self, at: int, rule: Callable[..., list[Due]]) -> list[Due]:
        """The per-customer rule's candidates for the customer at a position."""
        facts = self.c.facts(at)
        return rule(facts, self.s, self.as_of)


def _month_day(days: IntArray) -> IntArray:
    """month * 32 + day of each day number (UNKNOWN stays 0), one date made per distinct day.

    >>> _month_day(np.array([date(1990, 7, 3).toordinal(), UNKNOWN])).tolist()
    [227, 0]
    """
    distinct, which = np.unique(days, return_inverse=True)
    codes = [
        0 if day == UNKNOWN else (born.month * 32 + born.day)
        for day in distinct.tolist()
        for born in (date.fromordinal(max(day, 1)),)
    ]
    return np.array(codes, dtype=np.int64)[which.reshape(-1)]


def _slots(candidates: list[list[Due]], width: int) -> tuple[IntArray, IntArray, BoolArray]:
    """Until day, cleared-from day and presence of each key's k-th candidate."""
    shape = (max(len(candidates), 1), max(width, 1))
    until = np.full(shape, _NEVER, dtype=np.int64)
    cleared = np.full(shape, _NEVER, dtype=np.int64)
    valid = np.zeros(shape, dtype=np.bool_)
    for g, dues in enumerate(candidates):
        for k, d in enumerate(dues):
            if d.until is not None:
                until[g, k] = d.until.toordinal()
            if d.cleared_from is not None:
                cleared[g, k] = d.cleared_from.toordinal()
            valid[g, k] = True
    return until, cleared, valid
