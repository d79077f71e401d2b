"""A disk that fills up during the backup or the write: the workbook is left as it was.

The child process gets a file-size limit (RLIMIT_FSIZE): a write past it fails with EFBIG
(Python ignores SIGXFSZ), which custkit reports the way it reports ENOSPC.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.backends.crash_tools import REPO, customer_book
from toolkit.backends.file_safety import is_disk_full
from toolkit.journal import Journal

resource = pytest.importorskip("resource")
AS_OF = "2025-06-30"


def run_with_size_limit(book: Path, limit: int) -> subprocess.CompletedProcess[str]:
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "run", str(book), "--as-of", AS_OF],
        cwd=REPO,
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=300,
    )


@pytest.fixture(scope="module")
def sizes(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, int]:
    """The workbook's size before and after an uninterrupted run."""
    book = customer_book(tmp_path_factory.mktemp("sizes") / "customers.xlsx")
    before = book.stat().st_size
    done = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "run", str(book), "--as-of", AS_OF],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    after = book.stat().st_size
    assert after > before * 1.2  # room for a limit between the two
    return before, after


@pytest.mark.parametrize("stage", ["backup", "new file"])
def test_a_full_disk_leaves_the_workbook_and_says_what_to_do(
    tmp_path: Path, sizes: tuple[int, int], stage: str
) -> None:
    before, after = sizes
    limit = before // 2 if stage == "backup" else (before + after) // 2
    book = customer_book(tmp_path / "customers.xlsx")
    original = book.read_bytes()

    done = run_with_size_limit(book, limit)

    assert done.returncode == 1
    assert "is full" in done.stderr and "Free some space" in done.stderr
    assert "--out" in done.stderr and "Nothing was changed" in done.stderr
    assert book.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".custkit") == [book.name]
    journal = Journal(tmp_path)
    assert journal.runs() == []
    backups = journal.folder / "backups"
    assert not backups.exists() or list(backups.iterdir()) == []


def test_after_a_full_disk_the_next_run_and_undo_work(
    tmp_path: Path, sizes: tuple[int, int]
) -> None:
    before, after = sizes
    book = customer_book(tmp_path / "customers.xlsx")
    original = book.read_bytes()
    assert run_with_size_limit(book, (before + after) // 2).returncode == 1
    done = run_with_size_limit(book, 1 << 40)
    assert done.returncode == 0, done.stderr
    assert book.read_bytes() != original
    undo = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "undo", str(book)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert undo.returncode == 0, undo.stderr
    assert book.read_bytes() == original


@pytest.mark.parametrize(
    ("code", "full"),
    [
        (errno.ENOSPC, True),
        (errno.EFBIG, True),
        pytest.param(getattr(errno, "EDQUOT", errno.ENOSPC), True, id="EDQUOT (quota)"),
        (errno.EACCES, False),
        (errno.EIO, False),
    ],
)
def test_which_errors_mean_the_disk_is_full(code: int, full: bool) -> None:
    assert is_disk_full(OSError(code, os.strerror(code))) is full
