"""The undo journal: backups, records, refusal to undo over newer work."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import UndoError
from toolkit.journal import Journal, RunRecord, file_digest


def test_undo_restores_backups_run_by_run(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    journal = Journal(tmp_path)
    contents = [b"v0", b"v1", b"v2"]
    book.write_bytes(contents[0])
    for number, new in enumerate(contents[1:], start=1):
        before = file_digest(book)
        backup = journal.backup(book, f"r{number}")
        book.write_bytes(new)
        journal.record(
            RunRecord(
                f"r{number}",
                book.name,
                backup,
                before,
                file_digest(book),
                f"2025-01-0{number}",
                ("validate",),
            )
        )
    assert journal.undo(book, started="t").run_id == "r2"
    assert book.read_bytes() == b"v1"
    assert journal.undo(book, started="t").run_id == "r1"
    assert book.read_bytes() == b"v0"
    with pytest.raises(UndoError, match="Nothing to undo"):
        journal.undo(book, started="t")


def test_undo_refuses_when_the_file_moved_on(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"v0")
    journal = Journal(tmp_path)
    backup = journal.backup(book, "r1")
    book.write_bytes(b"v1")
    journal.record(RunRecord("r1", book.name, backup, None, file_digest(book), "t", ()))
    book.write_bytes(b"edited by hand")
    with pytest.raises(UndoError, match="changed after"):
        journal.undo(book, started="t")
    assert book.read_bytes() == b"edited by hand"


def landed_run(journal: Journal, book: Path, run_id: str, new: bytes) -> RunRecord:
    """A run written the way the xlsx backend writes one: backup, record, then the file."""
    backup = journal.backup(book, run_id)
    record = RunRecord(
        run_id, book.name, backup, file_digest(book), _digest(new), "t", ("validate",)
    )
    journal.record(record)
    book.write_bytes(new)
    return record


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("killed", "after_kill", "undo_gives"),
    [
        # The run was recorded but killed before its file replaced the workbook.
        ("run", b"v1", [b"v0"]),
        # The run's file is in place: the record tells how to undo it.
        ("run-landed", b"v2", [b"v1", b"v0"]),
        # An undo recorded but killed before the restore: the run is still to undo.
        ("undo", b"v2", [b"v1", b"v0"]),
        # An undo whose restore happened: the next undo goes one run further back.
        ("undo-landed", b"v1", [b"v0"]),
    ],
)
def test_a_record_whose_change_never_landed_is_void(
    tmp_path: Path, killed: str, after_kill: bytes, undo_gives: list[bytes]
) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"v0")
    journal = Journal(tmp_path)
    landed_run(journal, book, "r1", b"v1")
    if killed.startswith("run"):
        second = RunRecord(
            "r2", book.name, journal.backup(book, "r2"), _digest(b"v1"), _digest(b"v2"), "t", ()
        )
        journal.record(second)
        if killed == "run-landed":
            book.write_bytes(b"v2")
    else:
        landed_run(journal, book, "r2", b"v2")
        journal.record(
            RunRecord("r2", book.name, "x", _digest(b"v2"), _digest(b"v1"), "u", (), kind="undo")
        )
        if killed == "undo-landed":
            book.write_bytes(b"v1")
    assert book.read_bytes() == after_kill
    for state in undo_gives:
        journal.undo(book, started="later")
        assert book.read_bytes() == state
    with pytest.raises(UndoError, match="Nothing to undo"):
        journal.undo(book, started="later")


def test_a_line_cut_short_by_a_crash_is_skipped_and_kept_apart(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"v0")
    journal = Journal(tmp_path)
    landed_run(journal, book, "r1", b"v1")
    with journal.path.open("ab") as handle:
        handle.write(b'{"run_id": "r2", "targ')  # power lost mid-line
    landed_run(journal, book, "r3", b"v3")
    assert [r.run_id for r in journal.runs()] == ["r1", "r3"]
    journal.undo(book, started="t")
    assert book.read_bytes() == b"v1"


def test_sweep_removes_backups_no_record_names_and_half_copies(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"v0")
    journal = Journal(tmp_path)
    kept = landed_run(journal, book, "20250630T090000-aaaaaa", b"v1")
    orphan = journal.backup(book, "20250630T090100-bbbbbb")  # killed before its record
    half = journal.folder / "backups" / ".book.20250630T090200-cccccc.xlsx.tmp"
    half.write_bytes(b"v")
    other = journal.folder / "backups" / "book.v2.20250630T090300-dddddd.xlsx"
    other.write_bytes(b"another workbook's")
    removed = journal.sweep(book)
    assert sorted(p.name for p in removed) == sorted([Path(orphan).name, half.name])
    assert (journal.folder / str(kept.backup)).is_file() and other.is_file()


def test_a_backup_is_never_seen_half_written(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"v0" * 1000)
    journal = Journal(tmp_path)
    relative = journal.backup(book, "r1")
    assert (journal.folder / relative).read_bytes() == book.read_bytes()
    assert [p.name for p in (journal.folder / "backups").iterdir()] == [Path(relative).name]
