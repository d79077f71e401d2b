"""The undo journal of file workbooks: a backup before every run, and a record of each run.

Beside the workbook, `.custkit/` holds `journal.jsonl` (one JSON line per run or undo) and
`backups/` (the file as it was before each run). `custkit undo` restores the last run's backup
byte for byte, but only when the file is still exactly what that run wrote: anything newer
would be lost otherwise, so that is refused with the reason.

A run or undo can be killed at any instant, so the order of writes is what keeps this true:
the backup is complete on disk (written aside, flushed, renamed) before the record naming it;
the record (one append, flushed) is written before the file is replaced. A record may thus
describe a change that never landed: the file's digest tells (still its `before`, not its
`after`), and `settle` marks such a record void before anything else is done to that file.
A backup left without a record (killed between the two) is removed by `sweep`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from toolkit.errors import UndoError

JOURNAL_DIR = ".custkit"
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


@dataclass(frozen=True)
class RunRecord:
    """One run on one file, as the journal keeps it."""

    run_id: str
    target: str  # file name of the workbook written, relative to the journal's folder
    backup: str | None  # backup path relative to the journal's folder; None: target was new
    before: str | None  # sha256 of the target before the run (None when it did not exist)
    after: str  # sha256 of the target after the run ("" when the change removes it)
    started: str
    steps: tuple[str, ...]
    kind: str = "run"  # "run", "undo", or "void": the last `voids` record never landed
    voids: str = ""


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, hex.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "a"; _ = p.write_bytes(b"x")
    >>> file_digest(p)[:8]
    '2d711642'
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Journal:
    """The journal folder beside a workbook."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / JOURNAL_DIR
        self.path = self.folder / "journal.jsonl"

    def backup(self, source: Path, run_id: str) -> str:
        """Copy `source` into backups/ and return its path relative to the journal folder.

        The copy is written under a temporary name and renamed once it is on disk, so a
        backup that exists is whole.
        """
        backups = self.folder / "backups"
        backups.mkdir(parents=True, exist_ok=True)
        relative = f"backups/{source.stem}.{run_id}{source.suffix}"
        final = self.folder / relative
        partial = final.with_name(f".{final.name}.tmp")
        try:
            shutil.copy2(source, partial)
            _fsync(partial)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        fsync_folder(backups)
        return relative

    def record(self, entry: RunRecord) -> None:
        """Append one line to the journal, in one write, flushed to disk before returning."""
        new = not self.folder.is_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(asdict(entry), ensure_ascii=False) + "\n").encode()
        if _ends_mid_line(self.path):
            line = b"\n" + line  # a line cut short by a crash stays alone on its line
        handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _BINARY, 0o644)
        try:
            written = os.write(handle, line)
            while written < len(line):
                written += os.write(handle, line[written:])
            os.fsync(handle)
        finally:
            os.close(handle)
        if new:
            fsync_folder(self.folder.parent)

    def runs(self) -> list[RunRecord]:
        """Every record as written, oldest first; a line cut short by a crash is skipped."""
        if not self.path.is_file():
            return []
        known = {f.name for f in fields(RunRecord)}
        records = []
        for line in self.path.read_bytes().split(b"\n"):
            try:
                data = json.loads(line.decode("utf-8"))
                data["steps"] = tuple(data.get("steps", ()))
                records.append(RunRecord(**{k: v for k, v in data.items() if k in known}))
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
        return records

    def history(self, target: Path) -> list[RunRecord]:
        """The runs and undos of `target` that landed (void ones left out), oldest first."""
        kept: list[RunRecord] = []
        for record in self.runs():
            if record.target != target.name:
                continue
            if record.kind != "void":
                kept.append(record)
                continue
            for index in range(len(kept) - 1, -1, -1):
                if (kept[index].run_id, kept[index].kind) == (record.run_id, record.voids):
                    del kept[index]
                    break
        return kept

    def settle(self, target: Path) -> RunRecord | None:
        """Mark void the last record of `target` if its change never landed; returns it."""
        history = self.history(target)
        if not history or history[-1].kind not in ("run", "undo"):
            return None
        last = history[-1]
        now = file_digest(target) if target.exists() else None
        if now == (last.after or None) or now != (last.before or None):
            return None  # landed, or changed since by someone else: not ours to judge
        self.record(
            RunRecord(
                last.run_id,
                last.target,
                last.backup,
                last.before,
                last.after,
                last.started,
                (),
                kind="void",
                voids=last.kind,
            )
        )
        return last

    def sweep(self, target: Path) -> list[Path]:
        """Remove backups of `target` that no record names, and half-written backup copies.

        Only a run killed between its backup and its record leaves one; it never changed the
        file, so nothing needs it. Call it holding the workbook's lock.
        """
        backups = self.folder / "backups"
        if not backups.is_dir():
            return []
        named = {Path(r.backup).name for r in self.runs() if r.backup}
        ours = re.compile(
            rf"\.?{re.escape(target.stem)}\.\d{{8}}T\d{{6}}-[0-9a-f]{{6}}"
            rf"{re.escape(target.suffix)}(\.tmp)?"
        )
        removed = []
        for path in backups.iterdir():
            if ours.fullmatch(path.name) and path.name not in named:
                path.unlink(missing_ok=True)
                removed.append(path)
        return sorted(removed)

    def last_run(self, target: Path) -> RunRecord:
        """The latest run on `target` that has not been undone."""
        history = self.history(target)
        undone = {r.run_id for r in history if r.kind == "undo"}
        for record in reversed(history):
            if record.kind == "run" and record.run_id not in undone:
                return record
        raise UndoError(
            f"Nothing to undo for {target}: custkit has no run of it on record in {self.folder}."
        )

    def undo(self, target: Path, started: str) -> RunRecord:
        """Put `target` back as it was before its last run; returns that run's record.

        The undo is recorded before the file is restored (a killed undo is then void, see
        `settle`). Call it holding the workbook's lock.
        """
        self.settle(target)
        record = self.last_run(target)
        if target.exists() and file_digest(target) != record.after:
            raise UndoError(
                f"{target} changed after custkit's run of {record.started}; undoing would lose "
                "those changes. Restore it by hand from "
                f"{self.folder / (record.backup or '')} if that is what you want."
            )
        if record.backup is not None and not (self.folder / record.backup).is_file():
            raise UndoError(
                f"The backup of custkit's run of {record.started} on {target} is missing "
                f"({self.folder / record.backup}); nothing was changed."
            )
        self.record(
            RunRecord(
                record.run_id,
                target.name,
                record.backup,
                record.after,
                record.before or "",
                started,
                (),
                kind="undo",
            )
        )
        if record.backup is None:
            target.unlink(missing_ok=True)
        else:
            restore_atomically(self.folder / record.backup, target)
        return record

    def remap_digests(self, digests: Mapping[str, str]) -> int:
        """Rewrite the journal with file digests replaced (old -> new); returns lines changed.

        An erasure rewrites backups, so the digests that tie runs to files change with them;
        undo keeps working on the rewritten files. Every other field (and any line that is not
        a record) is kept as it was; the new journal replaces the old one atomically.
        """
        if not self.path.is_file():
            return 0
        lines, changed = [], 0
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                data = json.loads(line)
            except ValueError:
                data = None
            if not isinstance(data, dict):
                lines.append(line)  # not a record (a line cut short by a crash): kept as it is
                continue
            mapped = {
                k: digests.get(v, v) if k in ("before", "after") else v for k, v in data.items()
            }
            changed += mapped != data
            lines.append(json.dumps(mapped, ensure_ascii=False) if mapped != data else line)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        with temporary.open("wb") as handle:  # bytes: no newline translation on Windows
            handle.write("".join(f"{line}\n" for line in lines).encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
        return changed


def restore_atomically(source: Path, target: Path) -> None:
    """Replace `target` with a copy of `source` so that it is never half-written."""
    temporary = target.with_name(f".~custkit-{target.name}.tmp")
    try:
        shutil.copy2(source, temporary)
        _fsync(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    fsync_folder(target.parent)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename is durable only then); Windows cannot, and needs not."""
    if os.name == "nt":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _ends_mid_line(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == 0:
                return False
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) != b"\n"
    except FileNotFoundError:
        return False


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
