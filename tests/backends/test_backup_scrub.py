"""What an erasure cleans beyond the cells: shared-string use, backups, stray files, journal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.backends.backup_scrub import (
    backups_of,
    leftovers,
    remove_stray_files,
    used_string_indexes,
)
from toolkit.journal import Journal, RunRecord


@pytest.mark.parametrize(
    ("xml", "used"),
    [
        (b'<c r="A1" t="s"><v>3</v></c>', {3}),
        (b'<c t="s" r="A1" s="2"><v>4</v></c><c r="B1" t="n"><v>7</v></c>', {4}),
        (b"<x:c r='A1' t='s'><x:v>5</x:v></x:c>", {5}),  # prefixed sheets, single quotes
        (b'<c r="A1" s="1"/><c r="B1" t="inlineStr"><is><t>9</t></is></c>', set()),
        (b'<c r="A1" t="str"><f>A2</f><v>6</v></c>', set()),  # a formula's cached text
    ],
)
def test_used_string_indexes(xml: bytes, used: set[int]) -> None:
    assert used_string_indexes(xml) == used


def _record(run_id: str, before: str, after: str, target: str = "crm.xlsx") -> RunRecord:
    return RunRecord(run_id, target, f"backups/crm.{run_id}.xlsx", before, after, "t", ("tag",))


def test_remap_digests_keeps_everything_else(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    journal.record(_record("r1", "a", "b"))
    journal.record(_record("r2", "b", "c"))
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('{"run_id": "r3", "befo\n')  # a line cut short by a crash
    assert journal.remap_digests({"b": "B", "c": "C"}) == 2
    lines = journal.path.read_text(encoding="utf-8").splitlines()
    assert lines[2] == '{"run_id": "r3", "befo'
    first, second = (json.loads(line) for line in lines[:2])
    assert (first["before"], first["after"], second["before"], second["after"]) == (
        "a",
        "B",
        "B",
        "C",
    )
    assert first["backup"] == "backups/crm.r1.xlsx" and first["steps"] == ["tag"]


def test_backups_of_names_journal_and_orphan_backups_of_this_workbook_only(
    tmp_path: Path,
) -> None:
    book = tmp_path / "crm.xlsx"
    journal = Journal(tmp_path)
    folder = journal.folder / "backups"
    folder.mkdir(parents=True)
    for name in ("crm.r1.xlsx", "crm.r2.xlsx", "crm.v2.r1.xlsx", "other.r1.xlsx", "crm.r3.xlsx"):
        (folder / name).write_bytes(b"x")
    journal.record(_record("r1", "a", "b"))
    journal.record(_record("r9", "b", "c"))  # its backup file is gone
    # crm.r2 and crm.r3 were left by runs that stopped before recording themselves
    assert [p.name for p in backups_of(book)] == ["crm.r1.xlsx", "crm.r2.xlsx", "crm.r3.xlsx"]


def test_remove_stray_files_leaves_the_workbook_and_backups(tmp_path: Path) -> None:
    book = tmp_path / "crm.xlsx"
    book.write_bytes(b"book")
    backups = Journal(tmp_path).folder / "backups"
    backups.mkdir(parents=True)
    (backups / "crm.r1.xlsx").write_bytes(b"backup")
    stray = [
        tmp_path / ".~custkit-crm.xlsx.20250101-abc.tmp",
        tmp_path / ".~custkit-crm.xlsx.tmp",
        tmp_path / ".custkit-k3j2.parts",
        backups / "crm.r2.xlsx.tmp",
    ]
    for path in stray:
        path.write_bytes(b"copy")
    assert remove_stray_files(book) == sorted(stray)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["crm.r1.xlsx", "crm.xlsx"]


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b"<t>Li Wei</t>", True),
        (b"<t>&#26446;&#23071;</t>", True),  # character references, as some writers keep CJK
        (b"<t>li wei</t>", True),  # case-blind
        (b"<t>KH000150</t>", False),  # KH00015 inside a longer id is someone else
        (b"<c r='A229'/>", False),
    ],
)
def test_leftovers_in_a_text_file(tmp_path: Path, content: bytes, found: bool) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(content)
    assert bool(leftovers(path, ["Li Wei", "李娟", "KH00015"])) is found
