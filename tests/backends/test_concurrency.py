"""Two runs on one workbook at once, and a workbook changed by another program during a run.

The runs are real subprocesses (tests/backends/crash_driver.py) that stop at a point until the
test lets them go: the second run waits for the first's lock, then refuses or goes on after
it; the result is always one whole run after the other, never a mix.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.backends.crash_tools import (
    Driven,
    assert_journal_consistent,
    assert_opens,
    copy_folder,
    customer_book,
    drive,
    run_to_end,
)
from tests.helpers import write_workbook
from toolkit.backends.file_lock import lock_path
from toolkit.backends.xlsx import XlsxBackend
from toolkit.errors import WorkbookChangedError
from toolkit.journal import Journal
from toolkit.runner import RunOptions, plan_run, run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the driver pauses on POSIX")

NAME = "customers.xlsx"


@dataclass(frozen=True)
class References:
    start: Path  # a folder holding the untouched workbook
    one: bytes  # the workbook after one uninterrupted run
    two: bytes  # after two runs, one after the other


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> References:
    root = tmp_path_factory.mktemp("references")
    start = root / "start"
    start.mkdir()
    customer_book(start / NAME)
    folder = copy_folder(start, root / "runs")
    run_to_end("run", folder / NAME)
    one = (folder / NAME).read_bytes()
    run_to_end("run", folder / NAME)
    return References(start, one, (folder / NAME).read_bytes())


def first_run_paused(book: Path, go: Path) -> Driven:
    """A run that holds the lock and stops after its backup, until `go` exists."""
    first = drive("run", book, pause="after-backup", go=go)
    first.wait_for("PAUSED after-backup")
    return first


def test_a_second_run_waits_then_refuses_and_writes_nothing(
    references: References, tmp_path: Path
) -> None:
    book = copy_folder(references.start, tmp_path / "w") / NAME
    original = book.read_bytes()
    go = tmp_path / "go"
    first = first_run_paused(book, go)

    second = drive("run", book, wait=0.5, show_waiting=True)
    second.wait_for("WAITING")
    code, _, err = second.finish()
    assert code == 1
    assert "is being changed by another custkit run" in err and "since" in err
    assert book.read_bytes() == original

    go.touch()
    assert first.finish()[0] == 0
    assert book.read_bytes() == references.one
    assert [r.kind for r in Journal(book.parent).runs()] == ["run"]
    assert not lock_path(book).exists()


def test_a_second_run_that_waits_long_enough_runs_after_the_first(
    references: References, tmp_path: Path
) -> None:
    book = copy_folder(references.start, tmp_path / "w") / NAME
    go = tmp_path / "go"
    first = first_run_paused(book, go)
    second = drive("run", book, wait=300, show_waiting=True)
    second.wait_for("WAITING")  # it is blocked on the lock, before reading anything

    go.touch()
    assert first.finish()[0] == 0
    code, _, err = second.finish()
    assert code == 0, err

    assert book.read_bytes() == references.two  # one whole run after the other
    assert_opens(book)
    one, two = Journal(book.parent).runs()
    assert two.before == one.after
    assert_journal_consistent(book)
    assert not lock_path(book).exists()


def test_a_file_saved_by_another_program_during_the_write_is_refused(
    references: References, tmp_path: Path
) -> None:
    book = copy_folder(references.start, tmp_path / "w") / NAME
    go = tmp_path / "go"
    first = first_run_paused(book, go)
    edited = write_workbook(tmp_path / "edited.xlsx", {"Customers": [["Name"], ["Wang"]]})
    book.write_bytes(edited.read_bytes())  # saved from Excel, which ignores our lock

    go.touch()
    code, _, err = first.finish()
    assert code == 1 and "changed on disk" in err
    assert book.read_bytes() == edited.read_bytes()
    assert Journal(book.parent).runs() == []
    assert_journal_consistent(book)  # the run's backup went with it
    assert not list(book.parent.glob(".~custkit-*")) and not lock_path(book).exists()


def test_a_file_changed_between_read_and_apply_is_refused_under_the_lock(tmp_path: Path) -> None:
    book = customer_book(tmp_path / NAME, rows=20)
    with XlsxBackend(book) as backend:
        assert lock_path(book).exists()
        raw = backend.read()
        _, steps, plan = plan_run(raw, RunOptions(steps="validate", as_of=date(2025, 6, 30)))
        edited = write_workbook(tmp_path / "edited.xlsx", {"Customers": [["Name"], ["Wang"]]})
        book.write_bytes(edited.read_bytes())
        with pytest.raises(WorkbookChangedError, match="changed on disk"):
            from toolkit.backends.base import RunInfo

            backend.apply(plan, run=RunInfo(steps, "2025-06-30T09:00:00"))
    assert book.read_bytes() == edited.read_bytes()
    assert not lock_path(book).exists() and not list(tmp_path.glob(".~custkit-*"))


def test_a_dry_run_takes_no_lock_and_a_real_run_releases_it(tmp_path: Path) -> None:
    book = customer_book(tmp_path / NAME, rows=20)
    other = lock_path(book)
    options = RunOptions(steps="validate", as_of=date(2025, 6, 30))
    with XlsxBackend(book):  # another run of ours holds the workbook
        dry = RunOptions(steps="validate", as_of=date(2025, 6, 30), dry_run=True)
        assert run(XlsxBackend(book), dry, workbook_path=book).applied is None
        assert other.exists()
    outcome = run(XlsxBackend(book), options, workbook_path=book)
    assert outcome.applied is not None and not other.exists()
