"""Two custkit runs on one spreadsheet at once: the one that read first and writes last is
refused, untouched, and succeeds when run again (Sheets has no lock file: the re-read before
writing is what keeps runs from mixing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.sheets_standin import SheetsStandIn
from tests.sheets_standin.world import writes
from toolkit.backends.base import RunInfo
from toolkit.backends.gsheets import GoogleSheetsBackend, open_spreadsheet
from toolkit.errors import WorkbookChangedError
from toolkit.runner import RunOptions, plan_run, run

Factory = Callable[..., GoogleSheetsBackend]
CUSTOMERS = [
    ["Name", "Phone", "Email"],
    ["Li Lei", "13800138000", "li@example.com"],
    ["Han Meimei", "139", "not-an-email"],
]
OPTIONS = RunOptions(steps="validate", as_of=date(2025, 6, 30))


def test_the_second_client_to_write_is_refused_and_nothing_of_it_lands(
    sheets_backend_factory: Factory,
    standin: SheetsStandIn,
    credentials: Path,
    sheets_env: dict[str, str],
) -> None:
    first = sheets_backend_factory([("Customers", CUSTOMERS)])
    second = open_spreadsheet(first.key, credentials=credentials, environ=sheets_env)
    raw = second.read()  # both read the same spreadsheet
    _, steps, plan = plan_run(raw, OPTIONS)

    run(first, OPTIONS)  # the first one writes meanwhile
    written = len(writes(standin, first.key))
    with pytest.raises(WorkbookChangedError, match="Someone changed the spreadsheet"):
        second.apply(plan, run=RunInfo(steps, "2025-06-30T09:00:00"))
    assert len(writes(standin, first.key)) == written

    again = run(second, OPTIONS)  # read afresh: it goes on from the first run's result
    assert again.applied is not None
