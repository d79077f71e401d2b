"""custkit's own lock file beside a workbook: taken, refused, taken over when stale, released."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import write_workbook
from toolkit.backends.file_lock import FileLock, hold_workbooks, lock_path, others_running
from toolkit.backends.xlsx import XlsxBackend, check_not_open
from toolkit.errors import WorkbookError, WorkbookLockedError


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "book.xlsx", {"Customers": [["Name"], ["Li"]]})


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The pid of a process that stays alive during the test."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def plant(book: Path, **owner: object) -> Path:
    """A lock file as another run would have written it."""
    data = {"pid": 1, "host": socket.gethostname(), "user": "li", "started": "2025-06-30T09:00:00"}
    data.update(owner)
    path = lock_path(book)
    path.write_text(json.dumps(data))
    return path


def test_the_lock_says_who_holds_it_and_goes_away(book: Path) -> None:
    with FileLock(book, wait=0) as lock:
        owner = json.loads(lock.path.read_text())
        assert owner["pid"] > 0 and owner["host"] == socket.gethostname()
        assert {"user", "started"} <= set(owner)
    assert not lock_path(book).exists()


def test_a_lock_released_after_an_error(book: Path) -> None:
    with pytest.raises(ZeroDivisionError), hold_workbooks([book], wait=0):
        _ = 1 / 0
    assert not lock_path(book).exists()


@pytest.mark.parametrize(
    "owner",
    [
        pytest.param({"host": "another-pc"}, id="another computer"),
        pytest.param({}, id="a live run here"),
    ],
)
def test_a_held_lock_refuses_with_who_since_when_and_what_to_do(
    book: Path, live_pid: int, owner: dict[str, object]
) -> None:
    planted = plant(book, pid=live_pid, **owner)
    with pytest.raises(WorkbookLockedError) as caught:
        FileLock(book, wait=0.2).acquire()
    message = str(caught.value)
    assert f"custkit run {live_pid} of li@" in message
    assert "since 2025-06-30T09:00:00" in message
    assert "Wait for that run to finish" in message and str(planted) in message
    assert planted.exists()  # never removed from under its owner


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("dead", id="killed run"),
        pytest.param("zombie", id="killed run not yet reaped"),
        pytest.param("reused", id="pid reused by another process"),
        pytest.param("", id="empty (killed while creating it)"),
        pytest.param("{not json", id="cut short"),
    ],
)
def test_a_stale_lock_is_taken_over_with_a_note(book: Path, content: str) -> None:
    zombie = None
    if content == "dead":
        plant(book, pid=dead_pid())
    elif content == "zombie":
        if not Path("/proc/self/stat").exists():
            pytest.skip("process states are read from /proc")
        zombie = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        zombie.kill()
        while _state(zombie.pid) != "Z":
            time.sleep(0.01)
        plant(book, pid=zombie.pid)
    elif content == "reused":
        if not Path("/proc/self/stat").exists():
            pytest.skip("process start times are read from /proc")
        plant(book, pid=os.getpid(), process="1")  # our pid, but not our start time
    else:
        lock_path(book).write_text(content)
    notes: list[str] = []
    with FileLock(book, wait=0, note=notes.append) as lock:
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()
    assert len(notes) == 1 and "no longer running" in notes[0]
    assert not lock_path(book).exists()
    if zombie is not None:
        zombie.wait()


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_release_leaves_a_lock_that_is_not_ours(book: Path) -> None:
    lock = FileLock(book, wait=0)
    lock.acquire()
    other = plant(book, pid=12345)  # replaced meanwhile (by hand, or a takeover)
    lock.release()
    assert other.exists()


def test_our_lock_is_not_excels_and_not_a_workbook(book: Path) -> None:
    with FileLock(book, wait=0) as lock:
        check_not_open(book)  # Excel's and LibreOffice's lock names only
        assert XlsxBackend(book).read().sheets[0].rows[1][0] == "Li"
        assert not lock.path.name.lower().endswith((".xlsx", ".xlsm", ".xls"))
        assert list(book.parent.glob("*.xlsx")) == [book]


def test_others_running_sees_live_locks_only(book: Path, live_pid: int) -> None:
    assert not others_running(book.parent)
    plant(book, pid=dead_pid())
    assert not others_running(book.parent)
    plant(book, pid=live_pid)
    assert others_running(book.parent)


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="needs a folder this user cannot write"
)
def test_a_read_only_folder_is_refused_for_writing_but_fine_to_read_from(
    book: Path, tmp_path: Path
) -> None:
    book.parent.chmod(0o555)
    try:
        with pytest.raises(WorkbookError, match=r"cannot be written to.*--out"):
            hold_workbooks([book], wait=0)
        out = tmp_path.parent / f"{tmp_path.name}-out"
        out.mkdir()
        with hold_workbooks([out / "copy.xlsx"], reading=[book], wait=0):
            assert not lock_path(book).exists()
    finally:
        book.parent.chmod(0o755)
