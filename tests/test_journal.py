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
