"""The reminders of a run as columns: the rows of the Follow-ups sheet without an object each.

A million customers give about two million reminders. The sheet needs only their cells, so
`ReminderListing` keeps one list per column, in the sheet's order (by due date, then owner,
customer and reason; customers in sheet order on a tie), and makes `Reminder` objects only
when asked (the .ics export, other entry points).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import compress, count, repeat
from operator import gt
from typing import TypeVar

from toolkit.i18n import say
from toolkit.models.followup_settings import Reason
from toolkit.routines.followup_marks import REASON_LABELS
from toolkit.routines.reminder_rules import Reminder
from toolkit.table import CellValue, Lang

T = TypeVar("T")


@dataclass(frozen=True)
class ReminderListing:
    """Reminders by column, position i of every list being the i-th reminder."""

    customer_row: Sequence[int]  # the customer's row on the customer sheet
    customer_id: Sequence[str]
    customer: Sequence[str]
    owner: Sequence[str]
    reason: Sequence[Reason]
    due: Sequence[date]
    days_overdue: Sequence[int]
    phone: Sequence[str]  # as shown (masked when settings say so)
    email: Sequence[str]
    action: Sequence[str]
    as_of: date
    lang: Lang
    key_of: Callable[[int], str]  # customer sheet row -> customer key (followup_marks)

    def __len__(self) -> int:
        return len(self.customer_row)

    def reminders(self) -> tuple[Reminder, ...]:
        """Each reminder as a `Reminder`.

        >>> listing = ReminderListing([5], ["C1"], ["Li"], ["Wang"], ["birthday"],
        ...     [date(2025, 7, 3)], [0], ["138****5678"], [""], ["Send birthday wishes"],
        ...     date(2025, 6, 30), "en", lambda row: "c1")
        >>> listing.reminders()[0].reason_label
        'Birthday'
        """
        labels = {reason: say(REASON_LABELS[reason], self.lang) for reason in set(self.reason)}
        return tuple(
            Reminder(row, self.key_of(row), cid, name, owner, reason, labels[reason], due,
                     overdue, phone, email, action, self.as_of, self.lang)
            for row, cid, name, owner, reason, due, overdue, phone, email, action in zip(
                self.customer_row, self.customer_id, self.customer, self.owner, self.reason,
                self.due, self.days_overdue, self.phone, self.email, self.action, strict=True,
            )
        )  # fmt: skip

    def sheet_rows(self, *, with_id: bool) -> tuple[tuple[CellValue, ...], ...]:
        """One row per reminder: (customer id,) customer, owner, reason, due, days overdue,
        phone, e-mail, action, and an empty Done cell for staff.

        >>> listing = ReminderListing([5], ["C1"], ["Li"], ["Wang"], ["birthday"],
        ...     [date(2025, 7, 3)], [0], [""], [""], ["Send wishes"], date(2025, 6, 30), "en",
        ...     lambda row: "c1")
        >>> listing.sheet_rows(with_id=False)[0][:3]
        ('Li', 'Wang', 'Birthday')
        """
        labels = {reason: say(REASON_LABELS[reason], self.lang) for reason in set(self.reason)}
        columns: list[Sequence[CellValue]] = [self.customer_id] if with_id else []
        columns += [self.customer, self.owner, list(map(labels.__getitem__, self.reason)), self.due]
        columns += [self.days_overdue, self.phone, self.email, self.action]
        return tuple(zip(*columns, repeat(None, len(self)), strict=True))

    def overdue_rows(self) -> tuple[int, ...]:
        """Positions of the reminders past their due date."""
        return tuple(compress(count(), map(gt, self.days_overdue, repeat(0))))

    def take(self, positions: Sequence[int]) -> ReminderListing:
        """The listing of some reminders, in the order given.

        >>> listing = ReminderListing([5, 6], ["", ""], ["Li", "Wu"], ["", ""],
        ...     ["birthday", "regular"], [date(2025, 7, 3)] * 2, [0, 0], ["", ""], ["", ""],
        ...     ["", ""], date(2025, 6, 30), "en", str)
        >>> listing.take([1]).customer
        ['Wu']
        """

        def pick(values: Sequence[T]) -> list[T]:
            if isinstance(positions, range) and positions.step == 1:
                # The first rows of a sheet (see followup_sheets.listed): a slice, no loop.
                return list(values[positions.start : positions.stop])
            return list(map(values.__getitem__, positions))

        return replace(
            self,
            customer_row=pick(self.customer_row),
            customer_id=pick(self.customer_id),
            customer=pick(self.customer),
            owner=pick(self.owner),
            reason=pick(self.reason),
            due=pick(self.due),
            days_overdue=pick(self.days_overdue),
            phone=pick(self.phone),
            email=pick(self.email),
            action=pick(self.action),
        )


def empty_listing(as_of: date, lang: Lang) -> ReminderListing:
    """A listing of no reminders (the sheet of an owner with nothing due).

    >>> len(empty_listing(date(2025, 6, 30), "en"))
    0
    """
    return ReminderListing([], [], [], [], [], [], [], [], [], [], as_of, lang, str)
