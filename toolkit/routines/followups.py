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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from toolkit.i18n import Text, label, say
from toolkit.models.followup_settings import REASONS
from toolkit.models.settings import Settings
from toolkit.plan import Finding, Plan, SetColumn
from toolkit.routines.calendar_ics import reminders_to_ics
from toolkit.routines.followup_facts import CustomerCard, gather_facts
from toolkit.routines.followup_marks import REASON_LABELS, DoneMark, read_marks
from toolkit.routines.followup_sheets import followup_sheets
from toolkit.routines.masking import reminder_contact
from toolkit.routines.reminder_rules import (
    Due,
    Param,
    Reminder,
    candidates,
    first_open,
    holiday_dues,
)
from toolkit.steps import StepContext
from toolkit.table import CellValue, Lang

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

    reminders: tuple[Reminder, ...]  # listed now, by due date
    next_due: Mapping[int, date]  # customer sheet row -> earliest open due date
    marks: tuple[DoneMark, ...]  # every done mark known (previous sheets and the log)
    findings: tuple[Finding, ...]


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
    values = tuple(result.next_due.get(customers.row_number(i)) for i in range(len(customers.rows)))
    column = SetColumn(
        customers.sheet,
        "next_followup",
        label("next_followup", ctx.lang),
        customers.header_row,
        customers.first_row,
        values,
        number_format="yyyy-mm-dd",
    )
    sheets = followup_sheets(
        result.reminders,
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
    done_keys = {mark.key for mark in marks}
    sla_for = ctx.settings.complaints.sla_for
    calendar = holiday_dues(settings, ctx.as_of)
    reminders: list[Reminder] = []
    next_due: dict[int, date] = {}
    contact = _contact_shown(ctx.settings)
    for card, facts in gather_facts(ctx, marks):

        def done(due: Due, key: str = card.key) -> bool:
            return (key, due.reason, due.due) in done_keys

        open_dues = [
            chosen
            for dues in candidates(facts, settings, ctx.as_of, sla_for, calendar).values()
            if (chosen := first_open(dues, ctx.as_of, facts.last_contact, done)) is not None
        ]
        if open_dues:
            next_due[card.row] = min(d.due for d in open_dues)
        listed = (d for d in open_dues if d.show_from <= ctx.as_of)
        reminders.extend(_reminder(card, d, ctx, contact) for d in listed)
    reminders.sort(key=lambda r: (r.due, r.owner, r.customer, REASONS.index(r.reason)))
    return FollowupResult(tuple(reminders), next_due, marks, findings)


def _contact_shown(settings: Settings) -> Callable[[str, CellValue], str]:
    """`reminder_contact` remembered per value: a customer with several reminders shows the
    same phone on each, and masking a phone parses it."""
    shown: dict[tuple[str, type, CellValue], str] = {}

    def contact(field: str, value: CellValue) -> str:
        key = (field, type(value), value)
        text = shown.get(key)
        if text is None:
            text = shown[key] = reminder_contact(settings, field, value)
        return text

    return contact


def _reminder(
    card: CustomerCard, due: Due, ctx: StepContext, contact: Callable[[str, CellValue], str]
) -> Reminder:
    lang = ctx.lang
    return Reminder(
        customer_row=card.row,
        customer_key=card.key,
        customer_id=card.customer_id,
        customer=card.name,
        owner=card.owner,
        reason=due.reason,
        reason_label=say(REASON_LABELS[due.reason], lang),
        due=due.due,
        days_overdue=max((ctx.as_of - due.due).days, 0),
        phone=contact("phone", card.phone),
        email=contact("email", card.email),
        action=say(due.action, lang, **_rendered(due.params, lang)),
        as_of=ctx.as_of,
        lang=lang,
    )


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
    by_reason = Counter(r.reason for r in result.reminders)
    counts = {
        "followups.reminders": len(result.reminders),
        "followups.overdue": sum(1 for r in result.reminders if r.days_overdue > 0),
        "followups.customers_due": len({r.customer_row for r in result.reminders}),
        "followups.done_marks": len(result.marks),
    }
    counts.update({f"followups.{reason}": by_reason[reason] for reason in REASONS})
    return counts
