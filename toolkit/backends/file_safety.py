"""What keeps a workbook file whole when a run is killed or the disk fills up.

A run that dies leaves at most temporary files beside the workbook (ours, and the writer's
scratch file), a backup no record names, and a journal record whose change never landed. The
next run or undo on that workbook, holding its lock (so none of these can belong to a live
run), clears them first: `clear_leftovers`.
A full disk (or a file-size limit) while writing is told as such, with what to do.
"""

from __future__ import annotations

import errno
import glob
from pathlib import Path

from toolkit.backends.file_lock import others_running
from toolkit.errors import BackendError
from toolkit.journal import Journal

DISK_FULL = frozenset(
    code for code in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", None)) if code
)


def clear_leftovers(target: Path, journal: Journal) -> list[Path]:
    """Settle the journal of `target`, and remove what killed runs on it left behind.

    Call it holding the workbook's lock. Returns the files removed.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".~custkit-book.xlsx.20250630T090000-abc123.tmp").write_bytes(b"half")
    >>> [p.name for p in clear_leftovers(folder / "book.xlsx", Journal(folder))]
    ['.~custkit-book.xlsx.20250630T090000-abc123.tmp']
    """
    journal.settle(target)
    removed = journal.sweep(target)
    strays = list(target.parent.glob(f".~custkit-{glob.escape(target.name)}.*tmp"))
    if not others_running(target.parent):
        # The writer's scratch files are not named after the workbook: they are stale only
        # when no other run is working in this folder.
        strays += target.parent.glob(".custkit-*.parts")
    for stray in sorted(strays):
        stray.unlink(missing_ok=True)
        removed.append(stray)
    return removed


def is_disk_full(error: OSError) -> bool:
    """True for 'no space left' and 'file too large' (a quota or size limit): disk full.

    >>> is_disk_full(OSError(28, "No space left on device"))
    True
    """
    return error.errno in DISK_FULL


def disk_full_error(target: Path, error: OSError) -> BackendError:
    """The message for a write that ran out of space; the workbook was left as it was.

    >>> print(disk_full_error(Path("data/book.xlsx"), OSError(28, "No space left on device")))
    ... # doctest: +NORMALIZE_WHITESPACE
    The disk holding data is full (No space left on device): custkit could not write its
    backup or the new data/book.xlsx. Nothing was changed: data/book.xlsx is as it was. Free
    some space there (a run needs about twice the workbook's size), or write the result to
    another disk with --out OTHER_FOLDER/book.xlsx, and run again.
    """
    folder = target.parent
    return BackendError(
        f"The disk holding {folder} is full ({error.strerror}): custkit could not write its "
        f"backup or the new {target}. Nothing was changed: {target} is as it was. Free some "
        "space there (a run needs about twice the workbook's size), or write the result to "
        f"another disk with --out OTHER_FOLDER/{target.name}, and run again."
    )
