"""Reminders as an iCalendar file (RFC 5545) for Outlook, Google Calendar, Apple Calendar.

One all-day VEVENT per reminder. The UID comes from customer, reason and due date, so
importing the next run's file updates events instead of doubling them; DTSTAMP is the run's
`as_of`, never the clock, so the same run always gives the same bytes. An overdue reminder is
put on `as_of` (a calendar shows today, not last month) with the days overdue in its title.
Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from toolkit.i18n import Text, say
from toolkit.routines.reminder_rules import Reminder

PRODID = "-//custkit//Follow-up reminders//EN"
LINE_OCTETS = 75
OVERDUE = Text("{days} days overdue", "逾期 {days} 天")
DESCRIPTION_LINES = (
    Text("Owner: {owner}", "负责人：{owner}"),
    Text("Phone: {phone}", "手机：{phone}"),
    Text("Email: {email}", "邮箱：{email}"),
    Text("Due: {due}", "到期日：{due}"),
)


def reminders_to_ics(reminders: Sequence[Reminder], *, calendar_name: str) -> bytes:
    """A VCALENDAR with one all-day event per reminder, as UTF-8 bytes with CRLF line ends.

    >>> reminders_to_ics([], calendar_name="Follow-ups").decode().split("\\r\\n")[:2]
    ['BEGIN:VCALENDAR', 'VERSION:2.0']
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
    ]
    for reminder in reminders:
        lines.extend(_event(reminder))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines).encode("utf-8")


def escape_text(text: str) -> str:
    r"""A TEXT value escaped: backslash, semicolon, comma and line breaks.

    >>> escape_text("a,b;c\\d\ne")
    'a\\,b\\;c\\\\d\\ne'
    """
    escaped = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold_line(line: str) -> str:
    """A content line folded into pieces of at most 75 octets, joined by CRLF and a space.

    >>> [len(part.encode()) for part in fold_line("X:" + "中" * 40).split("\\r\\n")]
    [74, 49]
    """
    pieces: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            # A continuation line starts with a space, which counts toward its 75 octets.
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += width
    pieces.append(current)
    return "\r\n".join(pieces)


def _event(r: Reminder) -> list[str]:
    day = max(r.due, r.as_of)
    summary = f"{r.reason_label}: {r.customer}"
    if r.days_overdue > 0:
        summary += f" ({say(OVERDUE, r.lang, days=r.days_overdue)})"
    details = {"owner": r.owner, "phone": r.phone, "email": r.email, "due": r.due.isoformat()}
    description = [r.action] + [
        say(line, r.lang, **details)
        for line, field in zip(DESCRIPTION_LINES, details, strict=True)
        if details[field]
    ]
    return [
        "BEGIN:VEVENT",
        f"UID:{r.uid}",
        f"DTSTAMP:{_basic(r.as_of)}T000000Z",
        f"DTSTART;VALUE=DATE:{_basic(day)}",
        f"DTEND;VALUE=DATE:{_basic(day + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        f"CATEGORIES:{escape_text(r.reason_label)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _basic(day: date) -> str:
    return day.strftime("%Y%m%d")
