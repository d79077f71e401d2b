"""Helpers of the crash and concurrency tests: a workbook, the driver as a subprocess, checks."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from tests.helpers import write_workbook
from toolkit.backends.xlsx import XlsxBackend
from toolkit.journal import Journal
from toolkit.table import CellValue

DRIVER = "tests.backends.crash_driver"
REPO = Path(__file__).resolve().parents[2]
MARKER_TIMEOUT = 120.0  # generous: only a hung child ever waits this long


def customer_book(path: Path, rows: int = 400) -> Path:
    """A customer sheet with good and bad rows, and an orders sheet."""
    customers: list[list[CellValue]] = [["Name", "Phone", "Email", "Total"]]
    for number in range(rows):
        email = f"c{number}@example.com" if number % 3 else "not-an-email"
        customers.append([f"Customer {number}", f"1380013{number:04d}", email, number * 10])
    orders: list[list[CellValue]] = [["Order", "Customer", "Date", "Amount"]]
    orders += [[f"O{n}", f"Customer {n % rows}", "2025-01-05", 99] for n in range(rows)]
    return write_workbook(path, {"Customers": customers, "Orders": orders})


@dataclass
class Driven:
    """A driver subprocess and the lines it printed."""

    process: subprocess.Popen[str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)

    def wait_for(self, marker: str) -> None:
        while True:
            try:
                line = self.lines.get(timeout=MARKER_TIMEOUT)
            except queue.Empty:
                self.kill()
                raise AssertionError(f"no {marker!r} from the driver") from None
            if line == "":
                code = self.process.wait()
                raise AssertionError(f"driver ended ({code}) before {marker!r}: {self.stderr()}")
            if line.strip() == marker:
                return

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()  # reaped: its pid is no longer alive

    def finish(self) -> tuple[int, str, str]:
        code = self.process.wait(timeout=MARKER_TIMEOUT)
        out = []
        while not self.lines.empty():
            out.append(self.lines.get())
        return code, "".join(out), self.stderr()

    def stderr(self) -> str:
        assert self.process.stderr is not None
        return self.process.stderr.read()


def drive(
    command: str,
    workbook: Path,
    *,
    pause: str = "",
    go: Path | None = None,
    wait: float | None = None,
    show_waiting: bool = False,
) -> Driven:
    """Start the driver on `workbook`; read its stdout on a thread."""
    args = [sys.executable, "-m", DRIVER, command, str(workbook)]
    if pause:
        args += ["--pause", pause]
    if go is not None:
        args += ["--go", str(go)]
    if show_waiting:
        args.append("--show-waiting")
    env = dict(os.environ)
    if wait is not None:
        env["CUSTKIT_LOCK_WAIT"] = str(wait)
    process = subprocess.Popen(
        args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    driven = Driven(process)
    threading.Thread(target=_pump, args=(driven,), daemon=True).start()
    return driven


def _pump(driven: Driven) -> None:
    assert driven.process.stdout is not None
    for line in driven.process.stdout:
        driven.lines.put(line)
    driven.lines.put("")


def run_to_end(command: str, workbook: Path) -> None:
    code, _, err = drive(command, workbook).finish()
    assert code == 0, err


def copy_folder(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def assert_opens(path: Path) -> None:
    """openpyxl and our reader both open the workbook."""
    openpyxl.load_workbook(path).close()
    XlsxBackend(path).read()


def assert_journal_consistent(workbook: Path) -> None:
    """Every record that landed names a backup that exists; every backup is named."""
    journal = Journal(workbook.parent)
    for record in journal.history(workbook):
        if record.backup is not None and record.kind == "run":
            assert (journal.folder / record.backup).is_file(), record
    named = {Path(r.backup).name for r in journal.runs() if r.backup}
    backups = journal.folder / "backups"
    kept = {p.name for p in backups.iterdir()} if backups.is_dir() else set()
    assert kept <= named, kept - named
