"""The undo journal of file workbooks: a backup before every run, and a record of each run.

Beside the workbook, `.custkit/` holds `journal.jsonl` (one JSON line per run or undo) and
`backups/` (the file as it was before each run). `custkit undo` restores the last run's backup
byte for byte, but only when the file is still exactly what that run wrote: anything newer
would be lost otherwise, so that is refused with the reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from toolkit.errors import UndoError

JOURNAL_DIR = ".custkit"


@dataclass(frozen=True)
class RunRecord:
    """One run on one file, as the journal keeps it."""

    run_id: str
    target: str  # file name of the workbook written, relative to the journal's folder
    backup: str | None  # backup path relative to the journal's folder; None: target was new
    before: str | None  # sha256 of the target before the run (None when it did not exist)
    after: str  # sha256 of the target after the run
    started: str
    steps: tuple[str, ...]
    kind: str = "run"


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
        """Copy `source` into backups/ and return its path relative to the journal folder."""
        backups = self.folder / "backups"
        backups.mkdir(parents=True, exist_ok=True)
        relative = f"backups/{source.stem}.{run_id}{source.suffix}"
        shutil.copy2(source, self.folder / relative)
        _fsync(self.folder / relative)
        return relative

    def record(self, entry: RunRecord) -> None:
        """Append one run to the journal (flushed to disk before returning)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def runs(self) -> list[RunRecord]:
        """Every record, oldest first."""
        if not self.path.is_file():
            return []
        records = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                data["steps"] = tuple(data.get("steps", ()))
                records.append(RunRecord(**data))
        return records

    def last_run(self, target: Path) -> RunRecord:
        """The latest run on `target` that has not been undone."""
        undone = {r.run_id for r in self.runs() if r.kind == "undo"}
        for record in reversed(self.runs()):
            if (
                record.kind == "run"
                and record.target == target.name
                and record.run_id not in undone
            ):
                return record
        raise UndoError(
            f"Nothing to undo for {target}: custkit has no run of it on record in {self.folder}."
        )

    def undo(self, target: Path, started: str) -> RunRecord:
        """Put `target` back as it was before its last run; returns that run's record."""
        record = self.last_run(target)
        if target.exists() and file_digest(target) != record.after:
            raise UndoError(
                f"{target} changed after custkit's run of {record.started}; undoing would lose "
                "those changes. Restore it by hand from "
                f"{self.folder / (record.backup or '')} if that is what you want."
            )
        if record.backup is None:
            target.unlink(missing_ok=True)
        else:
            restore_atomically(self.folder / record.backup, target)
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
    shutil.copy2(source, temporary)
    _fsync(temporary)
    os.replace(temporary, target)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
