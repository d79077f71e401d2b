"""The .ics export: valid iCalendar that icalendar parses, one event per reminder."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import icalendar

from tests.routines.crm_book import AS_OF, context, default_sheets, raw_book
from toolkit.routines.calendar_ics import escape_text, fold_line, reminders_to_ics
from toolkit.routines.followups import followup_reminders, followups_ics
from toolkit.routines.reminder_rules import Reminder

REMINDER = Reminder(3, "c001", "C001", "王伟, Ann; \\Lee", "Wang", "birthday", "生日关怀",
                    date(2025, 7, 3), 0, "138****5678", "a***@example.com",
                    "发送生日祝福（2025-07-03）" * 5, AS_OF, "zh")  # fmt: skip


def events(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


def test_the_workbooks_reminders_parse_as_one_event_each() -> None:
    ctx = context(raw_book(*default_sheets()))
    reminders = followup_reminders(ctx)
    data = followups_ics(ctx)
    found = events(data)
    assert len(found) == len(reminders) == 10
    assert {str(e["UID"]) for e in found} == {r.uid for r in reminders}
    assert all(e.decoded("DTSTAMP").date() == AS_OF for e in found)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "Follow-ups"


def test_overdue_reminders_sit_on_the_run_day_with_their_delay() -> None:
    overdue = replace(REMINDER, due=date(2025, 6, 1), days_overdue=29)
    (event,) = events(reminders_to_ics([overdue], calendar_name="跟进"))
    assert event.decoded("DTSTART") == AS_OF
    assert event.decoded("DTEND") == date(2025, 7, 1)
    assert str(event["SUMMARY"]) == "生日关怀: 王伟, Ann; \\Lee (逾期 29 天)"


def test_text_round_trips_through_escaping_and_folding() -> None:
    (event,) = events(reminders_to_ics([REMINDER], calendar_name="跟进"))
    assert str(event["SUMMARY"]) == "生日关怀: 王伟, Ann; \\Lee"
    assert str(event["DESCRIPTION"]).splitlines() == [
        REMINDER.action, "负责人：Wang", "手机：138****5678", "邮箱：a***@example.com",
        "到期日：2025-07-03"]  # fmt: skip
    assert event.decoded("DTSTART") == date(2025, 7, 3)


def test_lines_end_in_crlf_and_fold_at_75_octets() -> None:
    data = reminders_to_ics([REMINDER, replace(REMINDER, reason="holiday")], calendar_name="x")
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long description was folded
    for line in lines:
        line.decode("utf-8")  # no character split across a fold


def test_same_reminders_same_bytes_and_stable_uids() -> None:
    first = reminders_to_ics([REMINDER], calendar_name="x")
    assert reminders_to_ics([REMINDER], calendar_name="x") == first
    later = replace(REMINDER, as_of=date(2025, 7, 1), days_overdue=0)
    assert later.uid == REMINDER.uid  # the next run's event updates this one
    assert replace(REMINDER, due=date(2026, 7, 3)).uid != REMINDER.uid


def test_escape_and_fold_helpers() -> None:
    assert escape_text("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"
    assert fold_line("short") == "short"
    assert fold_line("A" * 76) == "A" * 75 + "\r\n A"
