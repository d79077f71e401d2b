"""Erase one customer from a workbook file, its backups and its undo journal; export them.

`prepare_erasure` reads the workbook and finds everything held on the customer (nothing is
written: `--dry-run` and the confirmation prompt show it). `erase` then writes, in an order
where an interruption never brings an erased value back:

1. the workbook with the person's cells blanked (S0, unused shared strings emptied), and from
   it the final workbook with the Run Log's audit row, both as temporary files;
2. every backup of the workbook, scrubbed the same way (each backup is an older state, so the
   person is looked up again in it, by every id, phone and e-mail they had), replacing it;
3. S0 kept as the backup of the erase itself, so that `custkit undo` still works and restores
   only erased states: undoing the erase gives S0 (the person stays erased; the audit row goes,
   as every run's Run Log row goes with its undo), and undoing older runs gives their scrubbed
   backups;
4. the journal, its digests moved to the scrubbed files, plus the erase's own record;
5. the workbook, atomically; then stray temporary files of interrupted runs are deleted (and
   the Excel buttons' undo record, when it holds the person's values), and the workbook and
   every file under .custkit/ are searched again for the erased values
   (`EraseResult.leftovers`: cell comments, pivot caches and other copies custkit cannot
   scrub are reported there, not hidden).

The normal `apply` is not used: it would keep an unscrubbed backup of the workbook.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from toolkit.backends.backup_scrub import (
    backups_of,
    drop_unused_strings,
    leftovers,
    remove_stray_files,
    stray_files,
)
from toolkit.backends.file_lock import hold_workbooks
from toolkit.backends.ooxml import write_plan
from toolkit.backends.xlsx import _fingerprint, check_not_open, check_workbook_file, read_values
from toolkit.detect import understand
from toolkit.errors import (
    ConfigError,
    HeaderNotFoundError,
    ToolkitError,
    WorkbookChangedError,
)
from toolkit.journal import Journal, RunRecord, file_digest
from toolkit.models.settings import Settings
from toolkit.plan import Plan
from toolkit.routines.erase import erase_changes, erase_note, erase_plan, masked_reference
from toolkit.routines.run_log import RunLogEntry, settings_hash
from toolkit.routines.subject import (
    Holdings,
    SubjectKeys,
    find_holdings,
    resolve_customer,
    sharing_contacts,
    subject_keys,
    unlinked_holdings,
)
from toolkit.runner import current_user, custkit_version
from toolkit.settings_io import find_config_file, load_settings
from toolkit.table import Lang, Workbook


@dataclass(frozen=True)
class Erasure:
    """What an erasure will do to a workbook, found before anything is written."""

    path: Path
    workbook: Workbook
    settings: Settings
    holdings: Holdings
    customer_id: str  # as written in the customer sheet (the query when it has no id)
    who: str  # the customer id, masked, for messages and the audit row
    needles: tuple[str, ...]  # erased values that no other cell holds: must be gone after
    sharing_rows: tuple[int, ...] = ()  # other customer rows with one of their phones/e-mails
    seen: object = None  # the file's fingerprint when it was read: refused if it changed since

    @property
    def lang(self) -> Lang:
        return self.workbook.lang


@dataclass(frozen=True)
class EraseResult:
    """What an erasure wrote and what it checked."""

    target: str
    run_id: str
    backups_scrubbed: tuple[str, ...]
    journal_lines_rewritten: int
    stray_files_removed: tuple[str, ...]
    leftovers: tuple[str, ...]  # "file!part" where an erased value was still found


def prepare_erasure(
    path: Path, customer: str, *, config: Path | None = None, lang: Lang | None = None
) -> Erasure:
    """Read `path` and find everything held on `customer` (id, or phone/e-mail of one person).

    Only reads: `custkit export` uses it as it is, `custkit erase` passes it to `erase`.

    Example: `prepare_erasure(Path("客户.xlsx"), "KH00015").holdings.rows` -> 14.
    """
    check_workbook_file(path)
    seen = _fingerprint(path)
    raw = read_values(path)
    settings = load_settings(config_file=find_config_file(path, config), raw=raw)
    workbook = understand(raw, settings, lang=lang)
    row = resolve_customer(workbook, customer)
    keys = subject_keys(workbook, row)
    holdings = find_holdings(workbook, keys, rows=(row,))
    record = dict(workbook.customers.records())[row]
    identity = str(record.get("customer_id") or customer)
    who = masked_reference(identity)
    needles = erased_needles(holdings, workbook)
    sharing = sharing_contacts(workbook, holdings)
    return Erasure(path, workbook, settings, holdings, identity, who, needles, sharing, seen)


def erase(erasure: Erasure, *, started: str | None = None) -> EraseResult:
    """Write the erasure to the workbook, every backup and the journal (see the module doc)."""
    path = erasure.path
    with hold_workbooks([path]):
        _check_unchanged(erasure)
        return _erase_locked(erasure, started)


def _erase_locked(erasure: Erasure, started: str | None) -> EraseResult:
    path = erasure.path
    run_id = f"{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    started = started or datetime.now().isoformat(timespec="seconds")
    scrubbed = path.with_name(f".~custkit-{path.name}.{run_id}.erased.tmp")
    final = path.with_name(f".~custkit-{path.name}.{run_id}.tmp")
    journal = Journal(path.parent)
    try:
        _write_erased(erasure, _audit_entry(erasure, run_id, started), scrubbed, final)
        digests = {file_digest(path): file_digest(scrubbed)}
        scrubbed_backups = _scrub_backups(erasure, digests)
        _check_unchanged(erasure, backups_done=True)
        rewritten = journal.remap_digests(digests)
        _record_erase(journal, path, scrubbed, final, run_id, started)
        os.replace(final, path)
    finally:
        scrubbed.unlink(missing_ok=True)
        final.unlink(missing_ok=True)
    removed, found = _clean_up(path, journal, erasure.needles)
    return EraseResult(str(path), run_id, scrubbed_backups, rewritten, removed, found)


def _check_unchanged(erasure: Erasure, *, backups_done: bool = False) -> None:
    """Refuse when the workbook is open in Excel or changed on disk since it was read."""
    check_not_open(erasure.path)
    if _fingerprint(erasure.path) != erasure.seen:
        done = " The backups are already scrubbed." if backups_done else " Nothing was written."
        raise WorkbookChangedError(
            f"{erasure.path} changed on disk while custkit was erasing a customer from it."
            f"{done} Run custkit erase again."
        )


def _write_erased(erasure: Erasure, entry: RunLogEntry, scrubbed: Path, final: Path) -> None:
    """S0 (the cells blanked, unused shared strings emptied), then S0 with the audit row."""
    raw, lang = erasure.workbook.raw, erasure.lang
    plan = erase_plan(erasure.holdings, raw, who=erasure.who, entry=entry, lang=lang)
    cells = Plan(tuple(c for c in plan.changes if c.kind == "set_cells"))
    write_plan(erasure.path, scrubbed, cells, positions={})
    drop_unused_strings(scrubbed)
    log = Plan(tuple(c for c in plan.changes if c.kind == "write_sheet"))
    write_plan(scrubbed, final, log, positions={})


def _scrub_backups(erasure: Erasure, digests: dict[str, str]) -> tuple[str, ...]:
    """Scrub every backup in place, adding old -> new digests; returns those scrubbed."""
    done = []
    for backup in backups_of(erasure.path):
        before = file_digest(backup)
        try:
            scrub_backup(backup, erasure.holdings.keys, erasure.settings)
        except ToolkitError:
            # Damaged, or a write that would lose something: it stays as it was, and the
            # search at the end lists it among the leftovers for staff to delete.
            continue
        digests[before] = file_digest(backup)
        done.append(str(backup))
    return tuple(done)


def _record_erase(
    journal: Journal, path: Path, scrubbed: Path, final: Path, run_id: str, started: str
) -> None:
    """S0 becomes the erase's backup, so that undoing the erase gives S0; then the record."""
    own_backup = journal.folder / "backups" / f"{path.stem}.{run_id}{path.suffix}"
    own_backup.parent.mkdir(parents=True, exist_ok=True)
    os.replace(scrubbed, own_backup)
    relative = str(own_backup.relative_to(journal.folder))
    before, after = file_digest(own_backup), file_digest(final)
    journal.record(RunRecord(run_id, path.name, relative, before, after, started, ("erase",)))


def _clean_up(
    path: Path, journal: Journal, needles: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Delete stray files; search the workbook, its backups, the journal again.

    Returns (files removed, "file!part" where a needle is still found). Backups of other
    workbooks in the same folder are not searched: their group ids and such are their own.
    """
    stray = remove_stray_files(path)
    # The Excel buttons' undo record keeps the cells their last run overwrote, values
    # included; it cannot be scrubbed cell by cell, so it goes when it holds the person.
    excel_undo = journal.folder / f"excel-{path.name}.json"
    if leftovers(excel_undo, needles):
        excel_undo.unlink()
        stray.append(excel_undo)
    files = (path, *backups_of(path), journal.path, *stray_files(path))
    found = [where for file in files for where in leftovers(file, needles)]
    return tuple(str(p) for p in stray), tuple(found)


def scrub_backup(backup: Path, keys: SubjectKeys, settings: Settings) -> Holdings:
    """Erase the person from one backup in place (atomically); returns what was found there."""
    raw = read_values(backup)
    try:
        holdings = find_holdings(understand(raw, settings), keys)
    except (HeaderNotFoundError, ConfigError):
        holdings = unlinked_holdings(raw, keys)  # an older layout: search every sheet
    temporary = backup.with_name(f"{backup.name}.tmp")
    try:
        plan = Plan(erase_changes(holdings, who="", lang="en"))
        write_plan(backup, temporary, plan, positions={})
        drop_unused_strings(temporary)
        os.replace(temporary, backup)
    finally:
        temporary.unlink(missing_ok=True)
    return holdings


# Fields whose values say who someone is; the values of our own columns (group ids, tags,
# segments) are labels that other rows and older states reuse, so they are not searched.
IDENTIFYING = frozenset(
    {
        "customer_id",
        "name",
        "first_name",
        "last_name",
        "phone",
        "phone2",
        "email",
        "address",
        "company",
        "wechat",
        "id_number",
        "notes",
        "order_id",
        "complaint_id",
        "customer_name",
        "description",
    }
)


def erased_needles(holdings: Holdings, workbook: Workbook) -> tuple[str, ...]:
    """Identifying text of erased cells that no cell left in the workbook holds.

    What must be gone afterwards, from every file. A value other customers share (a company,
    a common name) is theirs as well and stays; short values (under 3 characters), dates and
    amounts are not searched.
    """
    erased = {(s.sheet, r.row, c) for s in holdings.sheets for r in s.rows for c in r.erase}
    kept: set[str] = set()
    for sheet in workbook.raw.sheets:
        for number, values in enumerate(sheet.rows, start=1):
            for column, value in enumerate(values, start=1):
                if value is not None and (sheet.name, number, column) not in erased:
                    kept.add(_needle(value))
    identifying = _identifying_columns(holdings, workbook)
    needles = set()
    for held_sheet in holdings.sheets:
        for held in held_sheet.rows:
            for column in held.erase:
                text = _needle(held.values[column - 1])
                if (held_sheet.sheet, column) in identifying and len(text) >= 3:
                    needles.add(text)
    return tuple(sorted(needles - kept))


def _identifying_columns(holdings: Holdings, workbook: Workbook) -> set[tuple[str, int]]:
    """(sheet, column) of identifying fields: in the tables, and in our sheets (Merged,
    Duplicates, Follow-ups) under the same header as in the tables."""
    columns = [c for t in workbook.tables.values() for c in t.columns if c.field in IDENTIFYING]
    found = {
        (t.sheet, c.index) for t in workbook.tables.values() for c in t.columns if c in columns
    }
    headers = {c.header for c in columns if c.header}
    for sheet in holdings.sheets:
        if sheet.role in ("ours", "other"):
            found |= {(sheet.sheet, i) for i, h in enumerate(sheet.header, 1) if h in headers}
    return found


def _needle(value: object) -> str:
    """Text to search for: text cells, and whole numbers long enough to be a phone number.

    Other numbers (amounts, counts, row numbers) are not personal and would be found in any
    row reference of the XML.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1_000_000:
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _audit_entry(erasure: Erasure, run_id: str, started: str) -> RunLogEntry:
    holdings = erasure.holdings
    return RunLogEntry(
        started=started,
        user=current_user(),
        host=socket.gethostname(),
        command="erase",
        steps=("erase",),
        changes=(("erase", holdings.cells),),
        rows=sum(1 for _ in erasure.workbook.customers.records()),
        settings_hash=settings_hash(erasure.settings),
        version=custkit_version(),
        run_id=run_id,
        note=erase_note(holdings, who=erasure.who, lang=erasure.lang),
    )


__all__ = ["EraseResult", "Erasure", "erase", "erased_needles", "prepare_erasure", "scrub_backup"]
