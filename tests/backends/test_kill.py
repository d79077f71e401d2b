"""A run or an undo killed (SIGKILL, a real subprocess) at any point of the write.

Each case starts from a workbook custkit already ran on once (run A), kills run B (or an undo
of B) at one point, and checks: the workbook is byte-identical to the old file or to what an
uninterrupted run writes, opens in openpyxl and in our reader, the backups that records name
are whole; the next `custkit run` works (stale lock taken over, leftovers cleared) and
`custkit undo`, repeated, walks back through exactly the runs that completed.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.backends.crash_driver import AS_OF, RUN_POINTS, UNDO_POINTS
from tests.backends.crash_tools import (
    assert_journal_consistent,
    assert_opens,
    copy_folder,
    customer_book,
    drive,
    run_to_end,
)
from toolkit.backends.file_lock import lock_path
from toolkit.cli import app
from toolkit.journal import Journal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

NAME = "customers.xlsx"
# Where in the temporary file's growth to stop, as fractions of its final size (seeded).
BYTE_FRACTIONS = sorted(random.Random(20261123).random() for _ in range(6))
LANDED = {"after-switch", "after-apply"}  # the new file is in place at these points
RUN_CASES = [*RUN_POINTS, *(f"temp-byte@{f:.3f}" for f in BYTE_FRACTIONS)]
UNDO_LANDED = {"after-switch"}


@dataclass(frozen=True)
class Stages:
    """A folder after run A and after runs A and B (uninterrupted), and the three states."""

    after_a: Path
    after_b: Path
    original: bytes
    a: bytes  # the workbook after run A
    b: bytes  # after run B, as an uninterrupted run writes it


@pytest.fixture(scope="module")
def stages(tmp_path_factory: pytest.TempPathFactory) -> Stages:
    root = tmp_path_factory.mktemp("stages")
    start = root / "start"
    start.mkdir()
    original = customer_book(start / NAME).read_bytes()
    after_a = copy_folder(start, root / "after_a")
    run_to_end("run", after_a / NAME)
    after_b = copy_folder(after_a, root / "after_b")
    run_to_end("run", after_b / NAME)
    again = copy_folder(after_a, root / "again")
    run_to_end("run", again / NAME)
    b = (after_b / NAME).read_bytes()
    assert (again / NAME).read_bytes() == b  # the reference is reproducible
    a = (after_a / NAME).read_bytes()
    assert len({original, a, b}) == 3
    return Stages(after_a, after_b, original, a, b)


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def kill_at(command: str, book: Path, point: str) -> None:
    driven = drive(command, book, pause=point)
    driven.wait_for(f"PAUSED {point}")
    driven.kill()


def check_after_kill(book: Path, expected: bytes, stages: Stages) -> None:
    assert book.read_bytes() == expected
    assert_opens(book)
    journal = Journal(book.parent)
    for record in journal.runs():
        if record.backup is not None and record.kind == "run":
            backup = journal.folder / record.backup
            assert backup.read_bytes() in (stages.original, stages.a), record


def next_run_then_undo_back(book: Path, landed_states: list[bytes]) -> None:
    """Run again, then undo run by run: each undo restores the state before a completed run."""
    before = book.read_bytes()
    code, output = cli("run", str(book), "--as-of", AS_OF)
    assert code == 0, output
    assert not lock_path(book).exists()
    assert not list(book.parent.glob(".~custkit-*")) and not list(book.parent.glob("*.parts"))
    assert_journal_consistent(book)
    for state in [before, *reversed(landed_states)]:
        code, output = cli("undo", str(book))
        assert code == 0, output
        assert book.read_bytes() == state
        assert_opens(book)
    code, output = cli("undo", str(book))
    assert code == 1 and "Nothing to undo" in output
    assert not lock_path(book).exists()


@pytest.mark.parametrize("case", RUN_CASES)
def test_a_run_killed_at_any_point_leaves_old_or_new_and_undo_works(
    stages: Stages, tmp_path: Path, case: str
) -> None:
    book = copy_folder(stages.after_a, tmp_path / "w") / NAME
    point = case
    if case.startswith("temp-byte@"):
        point = f"temp-byte:{int(float(case.split('@')[1]) * len(stages.b))}"
    kill_at("run", book, point)

    landed = case in LANDED
    check_after_kill(book, stages.b if landed else stages.a, stages)
    assert lock_path(book).exists()  # held since the read: now stale, taken over next
    # Undo walks back through B (if it landed), then A, to the original workbook.
    completed = [stages.original, stages.a] if landed else [stages.original]
    next_run_then_undo_back(book, completed)


@pytest.mark.parametrize("point", UNDO_POINTS)
def test_an_undo_killed_at_any_point_leaves_old_or_new_and_undo_works(
    stages: Stages, tmp_path: Path, point: str
) -> None:
    book = copy_folder(stages.after_b, tmp_path / "w") / NAME
    kill_at("undo", book, point)

    landed = point in UNDO_LANDED
    check_after_kill(book, stages.a if landed else stages.b, stages)
    completed = [stages.original] if landed else [stages.original, stages.a]
    next_run_then_undo_back(book, completed)
