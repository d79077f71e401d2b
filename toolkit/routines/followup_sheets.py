"""The sheets the follow-ups step writes: Follow-ups, one per owner when asked, and the log.

Every sheet is written whole on each run (WriteSheet), so a reminder done or cleared simply
is not there any more. Per-owner sheets are keyed `followups:<owner>` and named
"跟进提醒 - 王伟" / "Follow-ups - Wang Wei"; the sheet of an owner with nothing due is written
empty rather than left stale. The log (跟进记录) keeps every done mark from run to run.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from toolkit.i18n import label, own_sheet_key, say
from toolkit.plan import SHEET_ROW_LIMIT, HighlightStyle, WriteSheet
from toolkit.routines.followup_listing import ReminderListing, empty_listing
from toolkit.routines.followup_marks import (
    COLUMNS,
    NO_OWNER,
    DoneMark,
    is_followup_sheet,
    log_header,
    log_rows,
    owner_sheet_title,
)
from toolkit.table import Lang, RawWorkbook

_WIDTHS = {
    "customer_id": 12.0,
    "customer": 16.0,
    "owner": 12.0,
    "reason": 18.0,
    "due": 12.0,
    "days_overdue": 10.0,
    "phone": 16.0,
    "email": 24.0,
    "action": 50.0,
    "done": 12.0,
}
_ROLES = ("customer", "owner", "reason", "due", "days_overdue", "phone", "email", "action", "done")
OWNER_KEY_PREFIX = "followups:"


def followup_sheets(
    reminders: ReminderListing,
    marks: Sequence[DoneMark],
    raw: RawWorkbook,
    *,
    lang: Lang,
    with_id: bool,
    per_owner: bool,
) -> tuple[WriteSheet, ...]:
    """The Follow-ups sheet, per-owner sheets when asked, and the log when there is one.

    Example: per_owner=True with owners Wang and Li gives sheets keyed "followups",
    "followups:Li" ("Follow-ups - Li") and "followups:Wang" ("Follow-ups - Wang").
    """
    sheets = [reminder_sheet("followups", label("followups", lang), reminders, lang, with_id)]
    if per_owner:
        sheets.extend(_owner_sheets(reminders, raw, lang, with_id))
    has_log = any(own_sheet_key(s.name) == "followup_log" for s in raw.sheets)
    if marks or has_log:
        sheets.append(
            WriteSheet(
                "followup_log",
                label("followup_log", lang),
                log_header(lang, with_id=with_id),
                log_rows(marks, lang, with_id=with_id),
                column_widths=_widths(with_id, ("customer", "owner", "reason", "due", "done")),
            )
        )
    return tuple(sheets)


def reminder_sheet(
    key: str, title: str, reminders: ReminderListing, lang: Lang, with_id: bool
) -> WriteSheet:
    """A sheet of reminders: one row each, overdue rows coloured, Done left for staff.

    Example: a reminder 3 days overdue is row (…, "Birthday", due, 3, phone, email, action,
    None) with row style "overdue".
    """
    header = tuple(say(COLUMNS[role], lang) for role in ("customer_id",) * with_id + _ROLES)
    reminders = listed(reminders)
    rows = reminders.sheet_rows(with_id=with_id)
    styles: tuple[tuple[int, HighlightStyle], ...] = tuple(
        (i, "overdue") for i in reminders.overdue_rows()
    )
    return WriteSheet(key, title, header, rows, _widths(with_id, _ROLES), styles)


def listed(reminders: ReminderListing, room: int = SHEET_ROW_LIMIT - 1) -> ReminderListing:
    """The reminders a sheet has rows for: all of them, or the earliest due that fit under the
    header when there are more than a sheet holds (the listing is sorted by due date).

    Example: 1,900,000 reminders give the 1,048,575 due first; the rest wait for a later run
    (each customer's next date is still in the customer sheet's Next Follow-up column).
    """
    return reminders if len(reminders) <= room else reminders.take(range(room))


def _owner_sheets(
    reminders: ReminderListing, raw: RawWorkbook, lang: Lang, with_id: bool
) -> list[WriteSheet]:
    owners = reminders.owner
    by_owner = sorted(range(len(reminders)), key=owners.__getitem__)
    sheets = []
    for owner, group in groupby(by_owner, key=owners.__getitem__):
        title = owner_sheet_title(owner or say(NO_OWNER, lang), lang)
        mine = reminders.take(list(group))  # still by due date: the sort by owner is stable
        sheets.append(reminder_sheet(OWNER_KEY_PREFIX + owner, title, mine, lang, with_id))
    written = {sheet.title for sheet in sheets}
    nothing = empty_listing(reminders.as_of, lang)
    for old in raw.sheets:
        stale = own_sheet_key(old.name) is None and is_followup_sheet(old.name)
        if stale and old.name not in written:
            key = OWNER_KEY_PREFIX + old.name.split(" - ", 1)[-1]
            sheets.append(reminder_sheet(key, old.name, nothing, lang, with_id))
    return sheets


def _widths(with_id: bool, roles: Sequence[str]) -> tuple[float, ...]:
    return tuple(_WIDTHS[role] for role in ("customer_id",) * with_id + tuple(roles))
