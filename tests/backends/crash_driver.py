"""Run the real `custkit run` or `custkit undo`, stopping at a chosen point, to be killed there.

    python -m tests.backends.crash_driver run BOOK.xlsx --pause after-backup [--go FILE]

At the point, the driver prints `PAUSED <point>` on stdout and waits (until FILE exists with
--go, else until it is killed). Production code is unchanged: the driver only wraps real
functions (Journal.backup, Journal.record, PackageWriter, os.replace...) to notice the point,
and pins the clock (zip timestamps, the Run Log's start time) so that two uninterrupted runs
on the same bytes write the same bytes. `--pause temp-byte:N` stops after the N-th byte of the
temporary workbook file is written. `--show-waiting` prints `WAITING` when the run finds the
workbook locked by another run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

import toolkit.backends.file_lock as file_lock
import toolkit.backends.ooxml.package as package
import toolkit.journal as journal
import toolkit.runner as runner
from toolkit.backends.xlsx import XlsxBackend
from toolkit.cli import main

FIXED = datetime(2025, 6, 30, 9, 0, 0)
AS_OF = "2025-06-30"
RUN_POINTS = (
    "before-backup",
    "backup-aside",
    "after-backup",
    "mid-sheet-stream",
    "before-record",
    "after-record",
    "after-switch",
    "after-apply",
)
UNDO_POINTS = ("before-record", "after-record", "before-switch", "after-switch")


class _FixedDatetime(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> _FixedDatetime:
        return cls(FIXED.year, FIXED.month, FIXED.day, FIXED.hour, FIXED.minute, FIXED.second)


class _Pauser:
    def __init__(self, point: str, go: Path | None) -> None:
        self.point = point
        self.go = go

    def __call__(self, point: str) -> None:
        if point != self.point:
            return
        print(f"PAUSED {point}", flush=True)
        while self.go is None or not self.go.exists():
            time.sleep(0.05)
        self.point = ""  # released: later points pass


class _CountingFile:
    """The temporary workbook's file object, stopping once `offset` bytes are written."""

    def __init__(self, raw: IO[bytes], offset: int, pause: Callable[[], None]) -> None:
        self._raw = raw
        self._offset = offset
        self._pause = pause
        self._written = 0

    def write(self, data: bytes) -> int:
        position = self._raw.tell()
        if position <= self._offset < position + len(data):
            self._raw.write(data[: self._offset - position])
            self._raw.flush()
            os.fsync(self._raw.fileno())
            self._pause()
            self._raw.write(data[self._offset - position :])
            return len(data)
        return self._raw.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def install(pause: _Pauser, workbook: Path, *, show_waiting: bool) -> None:
    """Wrap the real functions so that each point calls `pause`."""
    setattr(runner, "datetime", _FixedDatetime)  # noqa: B010  (not exported: set by name)
    setattr(package, "time", SimpleNamespace(localtime=lambda *_: FIXED.timetuple()))  # noqa: B010
    _wrap_journal(pause)
    _wrap_replace(pause, workbook)
    _wrap_writer(pause)
    original_apply = XlsxBackend.apply

    def apply(self: XlsxBackend, *args: Any, **kwargs: Any) -> Any:
        result = original_apply(self, *args, **kwargs)
        pause("after-apply")
        return result

    XlsxBackend.apply = apply  # type: ignore[method-assign]
    if show_waiting:
        shown: list[bool] = []

        def busy(self: file_lock.FileLock, owner: object) -> None:
            if not shown:
                shown.append(True)
                print("WAITING", flush=True)

        file_lock.FileLock.busy = busy  # type: ignore[method-assign]


def _wrap_journal(pause: _Pauser) -> None:
    backup, record = journal.Journal.backup, journal.Journal.record

    def wrapped_backup(self: journal.Journal, source: Path, run_id: str) -> str:
        pause("before-backup")
        relative = backup(self, source, run_id)
        pause("after-backup")
        return relative

    def wrapped_record(self: journal.Journal, entry: journal.RunRecord) -> None:
        if entry.kind in ("run", "undo"):
            pause("before-record")
        record(self, entry)
        if entry.kind in ("run", "undo"):
            pause("after-record")

    journal.Journal.backup = wrapped_backup  # type: ignore[method-assign]
    journal.Journal.record = wrapped_record  # type: ignore[method-assign]


def _wrap_replace(pause: _Pauser, workbook: Path) -> None:
    replace = os.replace

    def wrapped(source: Any, target: Any, **kwargs: Any) -> None:
        into = Path(target)
        if into.parent.name == "backups":
            pause("backup-aside")
        if into == workbook:
            pause("before-switch")
        replace(source, target, **kwargs)
        if into == workbook:
            pause("after-switch")

    os.replace = wrapped  # type: ignore[assignment]


def _wrap_writer(pause: _Pauser) -> None:
    init, open_part = package.PackageWriter.__init__, package.PackageWriter.open_part

    def wrapped_init(self: package.PackageWriter, path: Path) -> None:
        init(self, path)
        if pause.point.startswith("temp-byte:") and path.name.startswith(".~custkit-"):
            offset = int(pause.point.split(":")[1])
            fp = _CountingFile(self.zf.fp, offset, lambda: pause(pause.point))  # type: ignore[arg-type]
            self.zf.fp = fp  # type: ignore[assignment]

    @contextmanager
    def wrapped_open_part(self: package.PackageWriter, name: str, **kwargs: Any) -> Iterator[Any]:
        with open_part(self, name, **kwargs) as stream:
            if name.startswith("xl/worksheets/sheet") and pause.point == "mid-sheet-stream":
                yield _FirstWrite(stream, lambda: pause("mid-sheet-stream"))
            else:
                yield stream

    package.PackageWriter.__init__ = wrapped_init  # type: ignore[method-assign]
    package.PackageWriter.open_part = wrapped_open_part  # type: ignore[method-assign]


class _FirstWrite:
    """A part's stream that stops after its first write (the sheet is half streamed)."""

    def __init__(self, stream: IO[bytes], pause: Callable[[], None]) -> None:
        self._stream = stream
        self._pause: Callable[[], None] | None = pause

    def write(self, data: bytes) -> int:
        written = self._stream.write(data)
        if self._pause is not None:
            pause, self._pause = self._pause, None
            pause()
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("run", "undo"))
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--pause", default="")
    parser.add_argument("--go", type=Path)
    parser.add_argument("--show-waiting", action="store_true")
    return parser.parse_args()


if __name__ == "__main__":
    options = _arguments()
    workbook = options.workbook.resolve()
    install(_Pauser(options.pause, options.go), workbook, show_waiting=options.show_waiting)
    arguments = [str(workbook)] + (["--as-of", AS_OF, "--json"] if options.command == "run" else [])
    sys.argv = ["custkit", options.command, *arguments]
    main()
