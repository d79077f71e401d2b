"""custkit's own lock on a workbook file, so that two runs never write it at once.

Excel and LibreOffice announce an open workbook with a lock file beside it (`~$book.xlsx`,
`.~lock.book.xlsx#`); custkit does the same with `.~custkit-lock.book.xlsx#`, created with
O_CREAT|O_EXCL (atomic on POSIX and Windows) and holding who took it: pid, host, user, since
when. It is held for a whole run (read, plan, apply) and for an undo. A second run waits a few
seconds (`CUSTKIT_LOCK_WAIT`, or `wait=`) and then refuses, naming the holder. A lock whose
process is gone (same host, pid no longer alive: a run that was killed) is stale and is taken
over, with a note. The name ends in `#`, not `.xlsx`, so nothing takes it for a workbook, and
it matches none of the names `check_not_open` looks for.
"""

from __future__ import annotations

import errno
import getpass
import json
import logging
import os
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import ExitStack, suppress
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from toolkit.errors import WorkbookError, WorkbookLockedError

WAIT_ENV = "CUSTKIT_LOCK_WAIT"
DEFAULT_WAIT = 5.0  # seconds a second run waits for the first before refusing
_POLL = 0.1
_UNREADABLE_GRACE = 1.0  # a lock just created may not hold its JSON yet
_log = logging.getLogger(__name__)
_NOT_WRITABLE = frozenset((errno.EACCES, errno.EPERM, errno.EROFS))


@dataclass(frozen=True)
class LockOwner:
    """Who holds a lock, as written in the lock file."""

    pid: int
    host: str
    user: str
    started: str  # ISO timestamp, local time
    process: str = ""  # start time of the process (Linux), so that a reused pid is not alive

    def describe(self) -> str:
        who = f"{self.user}@{self.host}" if self.user else self.host
        return f"custkit run {self.pid} of {who} since {self.started}"


def lock_path(workbook: Path) -> Path:
    """The lock file of a workbook.

    >>> lock_path(Path("data/客户.xlsx")).name
    '.~custkit-lock.客户.xlsx#'
    """
    return workbook.with_name(f".~custkit-lock.{workbook.name}#")


def default_wait() -> float:
    """Seconds to wait for a busy workbook: CUSTKIT_LOCK_WAIT, else DEFAULT_WAIT."""
    text = os.environ.get(WAIT_ENV, "")
    try:
        return max(0.0, float(text)) if text else DEFAULT_WAIT
    except ValueError:
        return DEFAULT_WAIT


class FileLock:
    """The lock of one workbook; a context manager.

    >>> import tempfile; book = Path(tempfile.mkdtemp()) / "book.xlsx"
    >>> with FileLock(book) as lock:
    ...     lock.path.exists()
    True
    >>> lock.path.exists()
    False
    """

    def __init__(
        self,
        workbook: Path,
        *,
        wait: float | None = None,
        note: Callable[[str], None] | None = None,
        reading: bool = False,
    ) -> None:
        self.workbook = workbook
        self.reading = reading  # only read (the source of --out): a read-only folder is fine
        self.path = lock_path(workbook)
        self.wait = default_wait() if wait is None else wait
        self.note = note
        self.taken_over: LockOwner | None = None  # the dead run whose lock this one replaced
        self._mine: bytes | None = None

    def acquire(self) -> None:
        """Take the lock, waiting up to `wait` seconds; WorkbookLockedError if still busy."""
        deadline = time.monotonic() + self.wait
        unreadable_until: float | None = None
        while True:
            if self._create():
                return
            seen = _read(self.path)
            if seen is None:
                continue  # released between our attempt and our look: try again at once
            owner = _owner(seen)
            if owner is None:
                # Created but not yet written, or written by a run killed in that instant.
                now = time.monotonic()
                unreadable_until = unreadable_until or now + _UNREADABLE_GRACE
                if now >= max(unreadable_until, deadline):
                    self._take_over(seen, None)
                    continue
            elif _is_dead(owner):
                self._take_over(seen, owner)
                continue  # taken over, or replaced by another run meanwhile: look again
            self.busy(owner)
            if time.monotonic() >= deadline and owner is not None:
                raise WorkbookLockedError(_busy_message(self.workbook, self.path, owner))
            time.sleep(_POLL)

    def busy(self, owner: LockOwner | None) -> None:
        """Called on each look at a lock someone else holds (a hook for observers)."""

    def release(self) -> None:
        """Remove the lock file, if it is still ours."""
        if self._mine is None:
            return
        if _read(self.path) == self._mine:
            self.path.unlink(missing_ok=True)
        self._mine = None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()

    def _create(self) -> bool:
        content = json.dumps(asdict(_me()), ensure_ascii=False).encode()
        try:
            handle = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in _NOT_WRITABLE:
                raise
            if self.reading:
                return True  # no run can write a workbook in this folder: nothing to guard
            raise _not_writable(self.workbook, error) from error
        try:
            os.write(handle, content)
            os.fsync(handle)
        finally:
            os.close(handle)
        self._mine = content
        return True

    def _take_over(self, seen: bytes, owner: LockOwner | None) -> None:
        """Remove a stale lock, unless another run replaced it meanwhile."""
        # Rename, then compare: two runs finding the same stale lock cannot both remove it,
        # and one that moved a fresh lock aside by mistake puts it back.
        aside = self.path.with_name(f"{self.path.name}.{os.getpid()}.{uuid.uuid4().hex[:6]}")
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return  # someone else removed it: just try to create ours
        moved = _read(aside)
        if moved != seen:
            # If a third run holds it by now, the displaced run's release checks ownership.
            with suppress(OSError):
                os.link(aside, self.path)
            aside.unlink(missing_ok=True)
            return
        aside.unlink(missing_ok=True)
        self.taken_over = owner
        what = owner.describe() if owner else "an unreadable lock"
        message = f"custkit: took over {self.path}, left by {what}, which is no longer running"
        # Without a listener the note still reaches stderr (logging's last-resort handler).
        (self.note or _log.warning)(message)


def hold_workbooks(
    writing: Iterable[Path],
    *,
    reading: Iterable[Path] = (),
    wait: float | None = None,
    note: Callable[[str], None] | None = None,
) -> ExitStack:
    """Locks on the workbooks a run writes and reads (in a fixed order: no deadlock).

    A workbook only read may sit in a folder nobody can write to; it is then not locked.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> with hold_workbooks([folder / "b.xlsx"], reading=[folder / "a.xlsx", folder / "b.xlsx"]):
    ...     sorted(p.name for p in folder.iterdir())
    ['.~custkit-lock.a.xlsx#', '.~custkit-lock.b.xlsx#']
    """
    written = {p.resolve() for p in writing}
    stack = ExitStack()
    try:
        for workbook in sorted(written | {p.resolve() for p in reading}):
            only_read = workbook not in written
            stack.enter_context(FileLock(workbook, wait=wait, note=note, reading=only_read))
    except BaseException:
        stack.close()
        raise
    return stack


def others_running(folder: Path) -> bool:
    """True if a custkit run other than this process holds a lock on a workbook in `folder`.

    >>> import tempfile; others_running(Path(tempfile.mkdtemp()))
    False
    """
    for path in folder.glob(".~custkit-lock.*#"):
        content = _read(path)
        owner = _owner(content) if content else None
        if owner is None or (owner.pid != os.getpid() and not _is_dead(owner)):
            return True
    return False


def _me() -> LockOwner:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    started = datetime.now().isoformat(timespec="seconds")
    pid = os.getpid()
    return LockOwner(pid, socket.gethostname(), user, started, _process_start(pid))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return b""  # Windows: being created by its owner; unreadable for a moment


def _owner(content: bytes) -> LockOwner | None:
    try:
        data = json.loads(content.decode())
        return LockOwner(
            int(data["pid"]),
            str(data["host"]),
            str(data.get("user", "")),
            str(data.get("started", "")),
            str(data.get("process", "")),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _is_dead(owner: LockOwner) -> bool:
    """True only when we can tell: same host, and that process is gone (or is another one)."""
    if owner.host != socket.gethostname():
        return False  # a run on another computer (shared folder): we cannot see its processes
    if not _pid_alive(owner.pid):
        return True
    fields = _proc_stat(owner.pid)
    if fields and fields[0] in ("Z", "X"):
        return True  # killed, not yet reaped by its parent
    now = fields[19] if len(fields) > 19 else ""
    return bool(owner.process and now and now != owner.process)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def _windows_pid_alive(pid: int) -> bool:
    # os.kill(pid, 0) on Windows would terminate the process: ask for its exit code instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return bool(code.value == 259)  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _process_start(pid: int) -> str:
    """The start time of a process in clock ticks after boot (Linux), else ""."""
    fields = _proc_stat(pid)
    return fields[19] if len(fields) > 19 else ""


def _proc_stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (state first); [] elsewhere."""
    with suppress(OSError, IndexError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return []


def _not_writable(workbook: Path, error: OSError) -> WorkbookError:
    return WorkbookError(
        f"The folder {workbook.parent} cannot be written to ({error.strerror}), so "
        f"{workbook.name} cannot be changed there; nothing was changed. Copy the workbook to a "
        f"folder you can write to, or write the result elsewhere with --out OTHER_FOLDER/"
        f"{workbook.name}."
    )


def _busy_message(workbook: Path, path: Path, owner: LockOwner) -> str:
    return (
        f"{workbook} is being changed by another {owner.describe()} (lock file {path.name}). "
        "Wait for that run to finish and run again. If no custkit is running on it any more "
        f"(for example on another computer that was switched off), delete {path}."
    )
