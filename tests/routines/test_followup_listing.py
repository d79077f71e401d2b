"""The reminders of a run as columns: sheet rows, a part of them, objects."""

from __future__ import annotations

from datetime import date

import pytest

from toolkit.routines.followup_listing import ReminderListing, empty_listing
from toolkit.routines.followup_sheets import listed
from toolkit.routines.reminder_rules import Reminder

D = date.fromisoformat
AS_OF = D("2025-06-30")


def listing(lang: str = "en") -> ReminderListing:
    return ReminderListing(
        customer_row=[5, 3, 5],
        customer_id=["C3", "C1", "C3"],
        customer=["Cy Wu", "Ann Lee", "Cy Wu"],
        owner=["Wang", "", "Wang"],
        reason=["win_back", "birthday", "reclaim"],
        due=[D("2024-12-08"), D("2025-07-03"), D("2025-07-05")],
        days_overdue=[204, 0, 0],
        phone=["137****1234", "138****5678", "137****1234"],
        email=["", "a***@example.com", ""],
        action=["Win-back call: -", "Send birthday wishes (2025-07-03)", "Follow up by 07-05"],
        as_of=AS_OF,
        lang=lang,  # type: ignore[arg-type]
        key_of=lambda row: f"c{row}",
    )


@pytest.mark.parametrize("with_id, lang, first", [
    (True, "en", ("C3", "Cy Wu", "Wang", "Win-back", D("2024-12-08"), 204, "137****1234", "",
                  "Win-back call: -", None)),
    (False, "zh", ("Cy Wu", "Wang", "流失挽回", D("2024-12-08"), 204, "137****1234", "",
                   "Win-back call: -", None)),
])  # fmt: skip
def test_sheet_rows(with_id: bool, lang: str, first: tuple[object, ...]) -> None:
    rows = listing(lang).sheet_rows(with_id=with_id)
    assert rows[0] == first
    assert [len(row) for row in rows] == [len(first)] * 3


def test_overdue_rows_and_a_part_of_the_listing() -> None:
    whole = listing()
    assert whole.overdue_rows() == (0,)
    part = whole.take([2, 0])
    assert part.customer_row == [5, 5]
    assert part.reason == ["reclaim", "win_back"]
    assert part.overdue_rows() == (1,)
    assert len(empty_listing(AS_OF, "en")) == 0
    assert empty_listing(AS_OF, "zh").sheet_rows(with_id=True) == ()


def test_reminders_as_objects() -> None:
    first = listing().reminders()[1]
    assert first == Reminder(3, "c3", "C1", "Ann Lee", "", "birthday", "Birthday",
                             D("2025-07-03"), 0, "138****5678", "a***@example.com",
                             "Send birthday wishes (2025-07-03)", AS_OF, "en")  # fmt: skip


@pytest.mark.parametrize(("room", "customers"), [(3, [5, 3, 5]), (2, [5, 3]), (1, [5])])
def test_a_sheet_lists_the_earliest_due_that_fit(room: int, customers: list[int]) -> None:
    shown = listed(listing(), room)
    assert shown.customer_row == customers
    assert shown.due == listing().due[:room]  # the listing is by due date: the first stay


def test_a_listing_that_fits_is_listed_whole() -> None:
    whole = listing()
    assert listed(whole) is whole


@pytest.mark.parametrize("positions", [range(0), range(2), range(1, 3), range(3), range(0, 3, 2)])
def test_taking_a_range_equals_taking_its_positions(positions: range) -> None:
    whole = listing()
    assert whole.take(positions).sheet_rows(with_id=True) == whole.take(list(positions)).sheet_rows(
        with_id=True
    )
    assert whole.take(positions).sheet_rows(with_id=True) == tuple(
        whole.sheet_rows(with_id=True)[i] for i in positions
    )


def test_overdue_rows_are_the_positions_past_due() -> None:
    assert listing().overdue_rows() == (0,)
