"""The erasure's refusals: a workbook changed or locked after it was read is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import write_workbook
from toolkit.backends.erasure import erase, prepare_erasure
from toolkit.backends.file_lock import WAIT_ENV, hold_workbooks
from toolkit.errors import WorkbookChangedError, WorkbookLockedError
from toolkit.journal import file_digest

CUSTOMERS = [
    ["Customer ID", "Name", "Phone"],
    ["C1", "Li Wei", "13800138000"],
    ["C2", "Wang Fang", "13900139000"],
]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "crm.xlsx", {"Customers": CUSTOMERS})


def test_a_workbook_changed_after_reading_is_refused(book: Path) -> None:
    erasure = prepare_erasure(book, "C1")
    write_workbook(book, {"Customers": [*CUSTOMERS, ["C3", "Zhao Liu", "13700137000"]]})
    digest = file_digest(book)
    with pytest.raises(WorkbookChangedError, match="Nothing was written"):
        erase(erasure)
    assert file_digest(book) == digest
    assert not (book.parent / ".custkit").exists()


def test_a_workbook_another_run_holds_is_refused(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    erasure = prepare_erasure(book, "C1")
    digest = file_digest(book)
    monkeypatch.setenv(WAIT_ENV, "0")
    with hold_workbooks([book]), pytest.raises(WorkbookLockedError):
        erase(erasure)
    assert file_digest(book) == digest
    assert not (book.parent / ".custkit").exists()
