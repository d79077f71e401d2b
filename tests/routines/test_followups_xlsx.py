"""Follow-ups through a real .xlsx file: write, mark done in the sheet, run again."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl

from tests.helpers import sheet_names, sheet_values, write_workbook
from tests.routines.crm_book import AS_OF, complaint_rows, customer_rows
from toolkit.backends.xlsx import XlsxBackend
from toolkit.runner import RunOptions, run

OPTIONS = RunOptions(steps="followups,complaints", as_of=AS_OF)


def test_done_in_the_file_removes_the_reminder_and_reruns_are_stable(tmp_path: Path) -> None:
    sheets = {"Customers": customer_rows(), "Complaints": complaint_rows()}
    path = write_workbook(tmp_path / "crm.xlsx", sheets)
    first = run(XlsxBackend(path), OPTIONS)
    assert sheet_names(path)[:4] == ["Customers", "Complaints", "Follow-ups", "Complaint Summary"]
    assert run(XlsxBackend(path), OPTIONS).plan == first.plan  # same day, same plan

    book = openpyxl.load_workbook(path)
    sheet = book["Follow-ups"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "Dee Zhou" and row[3].value == "Welcome call":
            row[header.index("Done")].value = datetime(2025, 6, 29)
    book.save(path)

    marked = run(XlsxBackend(path), OPTIONS)
    reminders = [(r[1], r[3]) for r in sheet_values(path, "Follow-ups")[1:]]
    assert ("Dee Zhou", "Welcome call") not in reminders and len(reminders) == 9
    log = sheet_values(path, "Follow-up Log")
    assert log[1][:4] == ("C004", "Dee Zhou", "Li", "Welcome call")
    customers = sheet_values(path, "Customers")
    assert customers[1][-1] == "Next Follow-up"
    assert customers[5][-1] == datetime(2025, 9, 27)  # Dee: low tier, 90 days after the call
    assert run(XlsxBackend(path), OPTIONS).plan == marked.plan
    assert date(2025, 6, 29) == log[1][5].date()  # type: ignore[union-attr]
