"""Follow-up reminders: who to contact, why, and by when, relative to the run's `as_of`.

For every customer the reminder rules (`reminder_rules`) give candidate due dates per reason;
done marks (`followup_marks`) and later contacts clear them. The earliest due date left is the
customer's Next Follow-up (下次跟进) column; reminders falling due within their notice period
are listed on the Follow-ups sheet (跟进提醒), sorted by due date, one row per customer and
reason, overdue rows coloured. `followup_reminders(ctx)` gives the same list to other
entry points (the .ics export of `custkit followups --ics`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import repeat
from operator import gt
from typing import Any

import numpy as np
import numpy.typing as npt

from toolkit.i18n import Text, label, say
from toolkit.models.followup_settings import REASONS
from toolkit.plan import Finding, Plan, SetColumn
from toolkit.routines.calendar_ics import reminders_to_ics
from toolkit.routines.columns import BoolArray, IntArray
from toolkit.routines.followup_facts import (
    UNKNOWN,
    CustomerColumns,
    customer_columns,
)
from toolkit.routines.followup_listing import ReminderListing
from toolkit.routines.followup_marks import DoneMark, read_marks
from toolkit.routines.followup_sheets import followup_sheets, listed
from toolkit.routines.masking import reminder_contacts
from toolkit.routines.reminder_columns import ReasonColumn, reason_columns
from toolkit.routines.reminder_rules import (
    CustomerFacts,
    Due,
    Param,
    Reminder,
    candidates,
    first_open,
    holiday_dues,
)
from toolkit.steps import StepContext
from toolkit.table import Lang

ObjectArray = npt.NDArray[np.object_]

__all__ = [
    "FollowupResult",
    "Reminder",
    "followup_reminders",
    "followup_result",
    "followups_ics",
    "followups_step",
]


@dataclass(frozen=True)
class FollowupResult:
    """What the follow-ups step worked out for one run."""

    listing: ReminderListing  # listed now, by due date
    next_days: IntArray  # by customer position: earliest open due day (UNKNOWN: none)
    first_row: int  # the customer sheet row of position 0
    marks: tuple[DoneMark, ...]  # every done mark known (previous sheets and the log)
    findings: tuple[Finding, ...]

    @cached_property
    def reminders(self) -> tuple[Reminder, ...]:
        """The listed reminders as objects, by due date (made on first use)."""
        return self.listing.reminders()

    @cached_property
    def next_due(self) -> Mapping[int, date]:
        """Customer sheet row -> earliest open due date."""
        dates = _dates_of(self.next_days)
        return {
            self.first_row + at: dates[day]
            for at, day in enumerate(self.next_days.tolist())
            if day != UNKNOWN
        }


def followup_result(ctx: StepContext) -> FollowupResult:
    """Reminders, next due dates and done marks of the run (computed once per run).

    Example: `followup_result(ctx).next_due[5]` is customer row 5's Next Follow-up date.
    """
    return ctx.remember("followups.result", lambda: _compute(ctx))


def followup_reminders(ctx: StepContext) -> tuple[Reminder, ...]:
    """The reminders listed on the run's Follow-ups sheet, sorted by due date.

    Example: `[(r.customer, r.reason, r.due) for r in followup_reminders(ctx)]` gives
    `[("Cy Wu", "win_back", date(2024, 12, 8)), ..., ("Ann Lee", "birthday", date(2025, 7, 3))]`.
    """
    return followup_result(ctx).reminders


def followups_ics(ctx: StepContext) -> bytes:
    """The run's reminders as an iCalendar file (one all-day event each).

    Example (what `custkit followups --ics OUT.ics` writes):
    `Path("OUT.ics").write_bytes(followups_ics(ctx))`.
    """
    calendar_name = label("followups", ctx.lang)
    return reminders_to_ics(followup_reminders(ctx), calendar_name=calendar_name)


def followups_step(ctx: StepContext) -> Plan:
    """Next Follow-up column, Follow-ups sheet (and per-owner sheets), log of done marks.

    Example: on the test workbook of tests/routines/crm_book.py the plan sets 下次跟进/Next
    Follow-up on rows 3-8 and writes 10 reminders, counts {"followups.overdue": 9, ...}.
    """
    result = followup_result(ctx)
    customers = ctx.workbook.customers
    dates = _dates_of(result.next_days)
    column = SetColumn(
        customers.sheet,
        "next_followup",
        label("next_followup", ctx.lang),
        customers.header_row,
        customers.first_row,
        tuple(map(dates.get, result.next_days.tolist())),
        number_format="yyyy-mm-dd",
    )
    sheets = followup_sheets(
        result.listing,
        result.marks,
        ctx.workbook.raw,
        lang=ctx.lang,
        with_id=customers.has("customer_id"),
        per_owner=ctx.settings.followups.per_owner == "sheets",
    )
    return Plan((column, *sheets), result.findings, _counts(result))


def _compute(ctx: StepContext) -> FollowupResult:
    settings = ctx.settings.followups
    marks, findings = read_marks(
        ctx.workbook.raw,
        as_of=ctx.as_of,
        day_first=ctx.settings.validation.day_first,
        lang=ctx.lang,
    )
    columns = customer_columns(ctx, marks)
    done: dict[str, set[tuple[str, date]]] = {}
    for mark in marks:
        done.setdefault(mark.customer, set()).add((mark.reason, mark.due))
    # Customers with complaints go through the per-customer rules; the others' reminders
    # depend on their dates alone and are worked out as columns, unless one found that way
    # was marked done (the customer is then worked out again, one by one).
    one_by_one = np.zeros(len(columns.present), dtype=np.bool_)
    one_by_one[list(columns.complaints)] = True
    one_by_one &= columns.present
    calendar = holiday_dues(settings, ctx.as_of)
    worked = reason_columns(columns, columns.present & ~one_by_one, settings, ctx.as_of, calendar)
    one_by_one |= _marked_done(worked, columns.marked, done)
    found = _Found(len(columns.present), ctx.as_of, ctx.lang)
    for rc in worked:
        found.add_column(rc, ~one_by_one)
    for at in np.flatnonzero(one_by_one).tolist():
        marks_of = done.get(columns.marked[at], set()) if at in columns.marked else set()
        found.add_customer(at, _open_dues(columns.facts(at), marks_of, ctx, calendar))
    listing = _listing(found, columns, ctx)
    return FollowupResult(listing, found.next_days, columns.first_row, marks, findings)


def _marked_done(
    worked: Sequence[ReasonColumn],
    marked: Mapping[int, str],
    done: Mapping[str, set[tuple[str, date]]],
) -> BoolArray:
    """The customers for whom a reminder of the columns was marked done.

    Marks only take candidates away: for everyone else the column's reminder is the one the
    per-customer rules give (`first_open` would have taken the same first candidate).
    """
    size = len(worked[0].variant) if worked else 0
    hit = np.zeros(size, dtype=np.bool_)
    if not marked or not worked:
        return hit
    # (position, reason, due day) as one number: positions < 2**36, days < 2**22.
    codes = np.array(
        [
            _done_code(at, REASONS.index(reason), due.toordinal())
            for at, key in marked.items()
            for reason, due in done.get(key, ())
        ],
        dtype=np.int64,
    )
    has_marks = np.zeros(size, dtype=np.bool_)
    has_marks[list(marked)] = True
    for rc in worked:
        where = np.flatnonzero(rc.open & has_marks)
        mine = _done_code(where, REASONS.index(rc.reason), rc.due[where])
        hit[where[np.isin(mine, codes)]] = True
    return hit


def _done_code(at: Any, reason: int, day: Any) -> Any:
    return (at * 16 + reason) * 2**22 + day


def _open_dues(
    facts: CustomerFacts, done: set[tuple[str, date]], ctx: StepContext, calendar: Sequence[Due]
) -> list[Due]:
    """One customer's open dues by the per-customer rules; `done` holds the (reason, due)
    of the customer's done marks."""

    def is_done(due: Due) -> bool:
        return (due.reason, due.due) in done

    settings, sla_for = ctx.settings.followups, ctx.settings.complaints.sla_for
    return [
        chosen
        for dues in candidates(facts, settings, ctx.as_of, sla_for, calendar).values()
        if (chosen := first_open(dues, ctx.as_of, facts.last_contact, is_done)) is not None
    ]


class _Found:
    """Open reminders as they are found: every customer's earliest, and the listed ones."""

    def __init__(self, size: int, as_of: date, lang: Lang) -> None:
        self.as_of, self.lang = as_of, lang
        self.next_days = np.full(size, UNKNOWN, dtype=np.int64)
        self.at: list[IntArray] = []  # customer positions of the listed reminders
        self.reason: list[IntArray] = []  # index into REASONS
        self.due: list[IntArray] = []  # day numbers
        self.action: list[ObjectArray] = []  # the suggested actions, as text

    def add_column(self, rc: ReasonColumn, chosen: BoolArray) -> None:
        """A reason's column (see `reminder_columns`), for the `chosen` customers."""
        is_open = rc.open & chosen
        earlier = is_open & ((self.next_days == UNKNOWN) | (rc.due < self.next_days))
        self.next_days[earlier] = rc.due[earlier]
        listed = np.flatnonzero(is_open & (rc.show_from <= self.as_of.toordinal()))
        # Only the actions of the Dues listed are written out (a birthday has three Dues).
        used, which = np.unique(rc.variant[listed], return_inverse=True)
        texts = _objects([_action(rc.dues[variant], self.lang) for variant in used.tolist()])
        self._add(listed, REASONS.index(rc.reason), rc.due[listed])
        self.action.append(texts[which.reshape(-1)])

    def add_customer(self, at: int, dues: Sequence[Due]) -> None:
        """One customer's open dues (see `_open_dues`)."""
        if dues:
            self.next_days[at] = min(d.due for d in dues).toordinal()
        for due in dues:
            if due.show_from <= self.as_of:
                self._add(
                    np.array([at]), REASONS.index(due.reason), np.array([due.due.toordinal()])
                )
                self.action.append(_objects([_action(due, self.lang)]))

    def _add(self, at: IntArray, reason: int, due: IntArray) -> None:
        self.at.append(at.astype(np.int64))
        self.reason.append(np.full(len(at), reason, dtype=np.int64))
        self.due.append(due.astype(np.int64))


def _listing(found: _Found, columns: CustomerColumns, ctx: StepContext) -> ReminderListing:
    """The listed reminders sorted as the sheet shows them: by due date, owner, customer and
    reason, customers in sheet order on a tie; their cards read for them only."""
    at, reason, due = (
        np.concatenate([np.zeros(0, np.int64), *parts])
        for parts in (found.at, found.reason, found.due)
    )
    listed_at = np.zeros(len(columns.present), dtype=np.bool_)
    listed_at[at] = True  # the customers listed, in position order, without a sort
    cards = _Cards(columns, np.flatnonzero(listed_at).tolist(), ctx)
    order = np.lexsort((at, reason, cards.name_rank[at], cards.owner_rank[at], due))
    # Columns are gathered as numpy object arrays: two million reminders, five columns.
    at_sorted, due_sorted = at[order], due[order]
    # Sorted by due day already: each day's number among the distinct days, without a sort.
    day_at = np.concatenate([np.zeros(min(len(due_sorted), 1), np.int64), np.diff(due_sorted) != 0])
    day_at = np.cumsum(day_at)
    days = due_sorted[np.flatnonzero(np.diff(day_at, prepend=-1))]
    dates = _objects([date.fromordinal(day) for day in days.tolist()])
    actions = np.concatenate([_objects([]), *found.action])
    return ReminderListing(
        customer_row=(at_sorted + columns.first_row).tolist(),
        customer_id=cards.customer_id[at_sorted].tolist(),
        customer=cards.name[at_sorted].tolist(),
        owner=cards.owner[at_sorted].tolist(),
        reason=_objects(REASONS)[reason[order]].tolist(),
        due=dates[day_at].tolist(),
        days_overdue=np.maximum(ctx.as_of.toordinal() - due_sorted, 0).tolist(),
        phone=cards.phone[at_sorted].tolist(),
        email=cards.email[at_sorted].tolist(),
        action=actions[order].tolist(),
        as_of=ctx.as_of,
        lang=ctx.lang,
        key_of=lambda row: columns.card(row - columns.first_row).key,
    )


class _Cards:
    """Id, name, owner and contacts (as shown) of some customers, by position (others: "")."""

    def __init__(self, columns: CustomerColumns, positions: Sequence[int], ctx: StepContext):
        size, where = len(columns.present), np.array(positions, dtype=np.int64)

        def by_position(texts: Sequence[str]) -> ObjectArray:
            everyone = np.full(size, "", dtype=object)
            everyone[where] = _objects(texts)
            return everyone

        self.name = by_position(columns.names(positions))
        ids = columns.texts("customer_id", positions) if columns.with_id else [""] * len(positions)
        self.customer_id = by_position(ids)
        self.owner = by_position(columns.texts("owner", positions))
        phones, emails = columns.contacts(positions)
        self.phone = by_position(reminder_contacts(ctx.settings, "phone", phones))
        self.email = by_position(reminder_contacts(ctx.settings, "email", emails))
        self.name_rank = _ranks(self.name.tolist())
        self.owner_rank = _ranks(self.owner.tolist())


def _objects(values: Sequence[object]) -> ObjectArray:
    """A one-dimensional array of Python objects (strings, dates), shared, not copied."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _ranks(texts: Sequence[str]) -> IntArray:
    """Each text's place among the distinct texts in sorted order."""
    place = {text: rank for rank, text in enumerate(sorted(set(texts)))}
    return np.fromiter(map(place.__getitem__, texts), np.int64, len(texts))


def _dates_of(days: IntArray) -> dict[int, date]:
    """The date of each distinct day number (UNKNOWN left out)."""
    return {day: date.fromordinal(day) for day in np.unique(days).tolist() if day != UNKNOWN}


def _action(due: Due, lang: Lang) -> str:
    """A due's suggested action in the run's language."""
    return say(due.action, lang, **_rendered(due.params, lang))


def _rendered(params: tuple[tuple[str, Param], ...], lang: Lang) -> dict[str, str | int]:
    """Action placeholders in the run's language: dates as ISO days, names as labels."""
    return {name: _render(value, lang) for name, value in params}


def _render(value: Param, lang: Lang) -> str | int:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Text):
        return say(value, lang)
    return value


def _counts(result: FollowupResult) -> dict[str, int]:
    listing = result.listing
    by_reason = Counter(listing.reason)
    counts = {
        "followups.reminders": len(listing),
        "followups.overdue": sum(map(gt, listing.days_overdue, repeat(0))),
        "followups.customers_due": len(set(listing.customer_row)),
        "followups.done_marks": len(result.marks),
    }
    counts.update({f"followups.{reason}": by_reason[reason] for reason in REASONS})
    unlisted = len(listing) - len(listed(listing))
    if unlisted:
        counts["followups.not_listed"] = unlisted  # beyond a sheet's rows: see `listed`
    return counts
