"""What an erasure must also clean beyond the cells: shared strings, backups, stray temp files.

Blanking a cell of a workbook saved by Excel leaves its text in xl/sharedStrings.xml, which
the part-preserving writer copies untouched (it writes inline strings). `drop_unused_strings`
empties every shared string no cell refers to any more, keeping the positions so that the
indexes other cells use stay valid. `backups_of` lists the backups custkit keeps of a workbook
(those the journal names and any left by a run that stopped before recording itself),
`remove_stray_files` deletes temporary files an interrupted run may have left beside it, and
`leftovers` searches every part of a package, and any text file, for values that must be gone.
"""

from __future__ import annotations

import html
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from lxml import etree

from toolkit.backends.file_lock import others_running
from toolkit.backends.ooxml.package import PackageWriter
from toolkit.backends.ooxml.styles import MAIN_NS
from toolkit.journal import Journal

_CELL = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.S)
_SHARED_TYPE = re.compile(rb"""\bt\s*=\s*["']s["']""")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>\s*(\d+)\s*</(?:[\w.-]+:)?v>")
_M = f"{{{MAIN_NS}}}"


def shared_strings_part(names: Iterable[str]) -> str | None:
    """The shared-strings part of a package, by its usual name.

    >>> shared_strings_part(["xl/workbook.xml", "xl/sharedStrings.xml"])
    'xl/sharedStrings.xml'
    """
    return next((n for n in names if n.lower().endswith("sharedstrings.xml")), None)


def used_string_indexes(sheet_xml: bytes) -> set[int]:
    """Indexes into the shared strings that the cells of one worksheet use.

    >>> sorted(used_string_indexes(b'<c r="A1" t="s"><v>3</v></c><c r="B1"><v>7</v></c>'))
    [3]
    """
    used = set()
    for match in _CELL.finditer(sheet_xml):
        if _SHARED_TYPE.search(match.group(1)) and match.group(2):
            value = _VALUE.search(match.group(2))
            if value:
                used.add(int(value.group(1)))
    return used


def drop_unused_strings(path: Path) -> int:
    """Empty the shared strings no cell uses any more, in place; returns how many.

    Example: after blanking a customer's row in a workbook saved by Excel, their name, phone
    and e-mail stay in xl/sharedStrings.xml until this runs.
    """
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        part = shared_strings_part(names)
        if part is None:
            return 0
        used: set[int] = set()
        for name in names:
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                used |= used_string_indexes(package.read(name))
        root = etree.fromstring(package.read(part))
        dropped = 0
        for position, item in enumerate(root.iterfind(f"{_M}si")):
            if position not in used and _text_of(item):
                for child in list(item):
                    item.remove(child)
                etree.SubElement(item, f"{_M}t")
                dropped += 1
        if dropped:
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            _rewrite_part(package, path, part, data)
    return dropped


def _text_of(item: etree._Element) -> str:
    return "".join(item.itertext())


def _rewrite_part(package: zipfile.ZipFile, path: Path, part: str, data: bytes) -> None:
    temporary = path.with_name(f".~custkit-{path.name}.strings.tmp")
    writer = PackageWriter(temporary)
    try:
        for info in package.infolist():
            if info.filename == part:
                writer.write_bytes(part, data, like=info)
            else:
                writer.copy(package, info)
    finally:
        writer.close()
    os.replace(temporary, path)


def backups_of(workbook: Path) -> list[Path]:
    """Every backup custkit keeps of `workbook`: named in the journal or left by a crash.

    >>> backups_of(Path("/nonexistent/customers.xlsx"))
    []
    """
    journal = Journal(workbook.parent)
    named = {
        journal.folder / r.backup
        for r in journal.runs()
        if r.target == workbook.name and r.backup is not None
    }
    folder = journal.folder / "backups"
    if folder.is_dir():
        pattern = f"{workbook.stem}.*{workbook.suffix}"
        named |= {
            p for p in folder.glob(pattern) if p.stem.count(".") == workbook.stem.count(".") + 1
        }
    return sorted(p for p in named if p.is_file())


def remove_stray_files(workbook: Path) -> list[Path]:
    """Delete temporary files that interrupted custkit runs left beside `workbook`.

    They are copies of the workbook (or of its parts) written before a rename that never
    happened, so they may hold any value it held. A file another program still holds open
    (Windows refuses to delete it) is left, and `leftovers` will find it if it matters.
    """
    folder = workbook.parent
    patterns = [f".~custkit-{workbook.name}*.tmp"]
    if not others_running(folder):  # else a scratch file may be another run's, in use
        patterns.append(".custkit-*.parts")
    backups = Journal(folder).folder / "backups"
    found = [p for pattern in patterns for p in folder.glob(pattern)]
    if backups.is_dir():
        found += list(backups.glob("*.tmp"))
    removed = []
    for path in found:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            continue
        removed.append(path)
    return sorted(removed)


def stray_files(workbook: Path) -> list[Path]:
    """Scratch files beside `workbook` that `remove_stray_files` could not delete."""
    return sorted(workbook.parent.glob(".custkit-*.parts"))


def leftovers(path: Path, needles: Sequence[str]) -> list[str]:
    """Where any of `needles` still occurs: "file" for a text file, "file!part" in a package.

    Every part is searched decompressed, with XML character references (&#26446; &amp;)
    resolved, case-blind; a needle must not touch a letter or digit on either side, so that
    "D0001" is not found inside "DD000100".
    """
    if not needles or not path.is_file():
        return []
    alternatives = "|".join(re.escape(n.casefold()) for n in sorted(needles, key=len, reverse=True))
    pattern = re.compile(rf"(?<![0-9a-z])(?:{alternatives})(?![0-9a-z])")
    if not zipfile.is_zipfile(path):
        return [str(path)] if pattern.search(_searchable(path.read_bytes())) else []
    found = []
    with zipfile.ZipFile(path) as package:
        for info in package.infolist():
            if pattern.search(_searchable(package.read(info))):
                found.append(f"{path}!{info.filename}")
    return found


def _searchable(data: bytes) -> str:
    return html.unescape(data.decode("utf-8", errors="ignore")).casefold()


__all__ = [
    "backups_of",
    "drop_unused_strings",
    "leftovers",
    "remove_stray_files",
    "shared_strings_part",
    "stray_files",
    "used_string_indexes",
]
