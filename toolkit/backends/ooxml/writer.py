"""`write_plan`: a new package with the plan applied, every other part copied byte for byte.

The order of work makes the rule easy to keep: first every changed worksheet is streamed into
a scratch zip beside the target (that is where the styles and formula facts a sheet needs are
found), then the small parts (styles, workbook, relationships, content types, state, charts)
are serialized, and only then is the target assembled in the source's entry order: untouched
entries as raw compressed copies, changed ones from the scratch zip or memory, new parts at
the end. Any refusal happens before the target exists.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.backends.ooxml.assemble import PackageChanges
from toolkit.backends.ooxml.charts import chart_xml, drawing_xml
from toolkit.backends.ooxml.edits import SheetEdits, group_by_sheet
from toolkit.backends.ooxml.moved_formulas import (
    formula_cells,
    moved_cells,
    refuse_moved_formulas,
)
from toolkit.backends.ooxml.new_sheet import own_sheet_layout, write_own_sheet
from toolkit.backends.ooxml.opc import (
    CT_CHART,
    CT_DRAWING,
    CT_STYLES,
    CT_WORKSHEET,
    REL_CALC_CHAIN,
    REL_CHART,
    REL_DRAWING,
    REL_OFFICE_DOCUMENT,
    REL_SHARED_STRINGS,
    REL_STYLES,
    ContentTypes,
    Relationships,
    rels_part,
)
from toolkit.backends.ooxml.package import PackageWriter, SourcePackage
from toolkit.backends.ooxml.pipe import prefetched
from toolkit.backends.ooxml.sheet_edit import edit_sheet
from toolkit.backends.ooxml.sheet_stream import split_sheet
from toolkit.backends.ooxml.state import STATE_SHEET, State, read_state, state_sheet_xml
from toolkit.backends.ooxml.styles import StyleBook
from toolkit.backends.ooxml.tables import check_tables
from toolkit.backends.ooxml.workbook_parts import SheetEntry, WorkbookDoc, quote_sheet
from toolkit.errors import UnsafeWriteError
from toolkit.plan import SHEET_ROW_LIMIT, Plan, WriteSheet


@dataclass(frozen=True)
class WriteStats:
    """What `write_plan` wrote.

    >>> WriteStats(3, ("Customers",), ("xl/worksheets/sheet1.xml",)).cells_written
    3
    """

    cells_written: int
    sheets_written: tuple[str, ...]  # sheet titles, user sheets first, then our own sheets
    parts_changed: tuple[str, ...]  # zip entries written anew (changed or added)
    parts_removed: tuple[str, ...] = ()  # zip entries dropped (calcChain, old chart parts)


def write_plan(
    source: Path, target: Path, plan: Plan, *, positions: Mapping[tuple[str, str], int]
) -> WriteStats:
    """Write `source` with `plan` applied to `target`; untouched parts stay byte-identical.

    `positions` is `toolkit.backends.base.place_columns(raw, plan)`. Raises UnsafeWriteError,
    leaving `target` absent, when the plan cannot be written without losing something.

    >>> from toolkit.plan import SetCells, CellWrite
    >>> plan = Plan((SetCells("Customers", (CellWrite(2, 3, "138 0013 8000"),), "fix"),))
    >>> write_plan(Path("in.xlsx"), Path("out.xlsx"), plan, positions={})  # doctest: +SKIP
    WriteStats(cells_written=1, sheets_written=('Customers',), ...)
    """
    try:
        with zipfile.ZipFile(source) as zf:
            return _Session(SourcePackage(zf, source), target, plan, positions).run()
    except zipfile.BadZipFile as error:
        target.unlink(missing_ok=True)
        raise UnsafeWriteError(f"{source} is not a readable zip package ({error}).") from error
    except BaseException:
        target.unlink(missing_ok=True)
        raise


@dataclass
class _Session:
    pkg: SourcePackage
    target: Path
    plan: Plan
    positions: Mapping[tuple[str, str], int]
    cells_written: int = 0
    sheets_written: list[str] = field(default_factory=list)

    def run(self) -> WriteStats:
        self._load()
        edits = group_by_sheet(self.plan.changes, self.positions)
        entries = {name: self._user_sheet(name) for name in edits}
        self._refuse_moved_formulas(entries)
        self._refuse_long_own_sheets()
        handle, scratch_name = tempfile.mkstemp(
            dir=self.target.parent, prefix=".custkit-", suffix=".parts"
        )
        os.close(handle)
        scratch_path = Path(scratch_name)
        try:
            scratch = PackageWriter(scratch_path)
            try:
                self._write_changes(scratch, edits, entries)
            finally:
                scratch.close()
            with zipfile.ZipFile(scratch_path) as scratch_zip:
                self.changes.assemble(self.target, scratch_zip)
        finally:
            scratch_path.unlink(missing_ok=True)
        return WriteStats(
            self.cells_written,
            tuple(self.sheets_written),
            self.changes.parts_changed(),
            self.changes.parts_removed(),
        )

    # -- loading -------------------------------------------------------------------------------

    def _load(self) -> None:
        self.types = ContentTypes(self.pkg.read(ContentTypes.PART))
        self.changes = PackageChanges(self.pkg, self.types)
        root = Relationships("_rels/.rels", self.pkg.read("_rels/.rels"))
        office = root.of_type(REL_OFFICE_DOCUMENT)
        if not office:
            raise UnsafeWriteError(f"{self.pkg.path} has no workbook part; it is not a workbook.")
        part = root.target_part(office[0])
        rels = Relationships(rels_part(part), self.pkg.read_optional(rels_part(part)))
        self.book = WorkbookDoc(part, self.pkg.read(part), rels)
        self.folder = posixpath.dirname(part)
        self.state_entry = self.book.find(STATE_SHEET)
        self.state = self._read_state()
        styles_part = self._related(REL_STYLES) or posixpath.join(
            posixpath.dirname(part), "styles.xml"
        )
        self.styles = StyleBook(
            self.pkg.read_optional(styles_part), styles_part, self.state.recipes()
        )
        self.initial_state = dict(self.state.values)

    def _related(self, rel_type: str) -> str | None:
        found = self.book.rels.of_type(rel_type)
        return self.book.rels.target_part(found[0]) if found else None

    def _read_state(self) -> State:
        entry = self.state_entry
        if entry is None:
            return State()
        if entry.kind != "worksheet" or entry.part is None or entry.state != "veryHidden":
            raise UnsafeWriteError(
                f"The workbook has a sheet named '{STATE_SHEET}' that custkit did not make (it "
                "is visible or not a worksheet). Rename that sheet and run again."
            )
        strings = self._related(REL_SHARED_STRINGS)
        shared = self.pkg.read_optional(strings) if strings else None
        return read_state(self.pkg.read(entry.part), entry.part, shared)

    def _refuse_moved_formulas(self, entries: dict[str, SheetEntry]) -> None:
        """Refuse, before anything is written, a merge that would move rows over formulas."""
        for name, entry in entries.items():
            wanted = moved_cells(self.plan.changes, name)
            if wanted and entry.part is not None:
                found = formula_cells(self.pkg.chunks(entry.part), entry.part, wanted)
                refuse_moved_formulas(name, found)

    def _refuse_long_own_sheets(self) -> None:
        """Refuse, before writing anything, one of our sheets with more rows than a sheet holds."""
        for change in self.plan.changes:
            if isinstance(change, WriteSheet) and len(change.rows) >= SHEET_ROW_LIMIT:
                raise UnsafeWriteError(
                    f"The sheet '{change.title}' would need {len(change.rows) + 1:,} rows; a "
                    f"sheet holds {SHEET_ROW_LIMIT:,}. Nothing was written. Run fewer "
                    "customers at a time (split the customer sheet) or report this as a bug."
                )

    def _user_sheet(self, name: str) -> SheetEntry:
        entry = self.book.find(name)
        if entry is None:
            names = ", ".join(s.name for s in self.book.sheets())
            raise UnsafeWriteError(f"Sheet '{name}' is not in the workbook (sheets: {names}).")
        if entry.kind != "worksheet" or entry.part is None or not self.pkg.has(entry.part):
            raise UnsafeWriteError(
                f"Sheet '{name}' is not a worksheet; custkit cannot write cells there."
            )
        if name == STATE_SHEET:
            raise UnsafeWriteError(f"The plan writes into custkit's own state sheet '{name}'.")
        return entry

    # -- changing ------------------------------------------------------------------------------

    def _write_changes(
        self, scratch: PackageWriter, edits: dict[str, SheetEdits], entries: dict[str, SheetEntry]
    ) -> None:
        own = self._own_sheet_changes()
        replaced = {e.part for _, e in own if e is not None}
        formula_overwritten = False
        for name, sheet_edits in edits.items():
            entry = entries[name]
            assert entry.part is not None
            if entry.part in replaced:
                raise UnsafeWriteError(f"The plan both edits and rewrites sheet '{name}'.")
            if sheet_edits.writes_nothing and not self.styles.source_highlight_xfs(
                sheet_edits.highlight_styles
            ):
                # No cell can change (none written, none carries a highlight to reset; the
                # xfs this write appended are on no cell of the source): the part is copied
                # as it is instead of streamed through the row editor.
                self.sheets_written.append(name)
                continue
            check_tables(self.pkg, entry.part, sheet_edits)
            info = self.pkg.info(entry.part)
            hint = info.file_size + info.file_size // 10 + 200 * _cell_count(sheet_edits)
            with scratch.open_part(entry.part, like=info, size_hint=hint) as out:
                pieces = split_sheet(prefetched(self.pkg.chunks(entry.part)), entry.part)
                result = edit_sheet(
                    pieces, out, sheet_edits, self.styles, date1904=self.book.date1904
                )
            self.changes.mark_streamed(entry.part)
            self.cells_written += result.cells_written
            formula_overwritten |= result.formula_overwritten
            self.sheets_written.append(name)
        for change, existing in own:
            self._write_own_sheet(scratch, change, existing)
        if formula_overwritten:
            self._drop_calc_chain()
        self._finish_small_parts()

    def _own_sheet_changes(self) -> list[tuple[WriteSheet, SheetEntry | None]]:
        """Each WriteSheet (the last one per key) with the sheet of ours it replaces."""
        latest = {c.key: c for c in self.plan.changes if isinstance(c, WriteSheet)}
        found = []
        for change in latest.values():
            recorded = self.state.own_sheet(change.key)
            entry = self.book.find(recorded[0]) if recorded else None
            valid = entry is not None and recorded is not None and entry.sheet_id == recorded[1]
            ours = entry if valid and entry is not None and entry.kind == "worksheet" else None
            found.append((change, ours))
        return found

    def _write_own_sheet(
        self, scratch: PackageWriter, change: WriteSheet, existing: SheetEntry | None
    ) -> None:
        if existing is not None and existing.part is not None:
            title = self.book.unique_name(change.title, allowed=existing)
            self.book.rename(existing, title)
            part, entry = existing.part, existing
            self.changes.remove_below(part)
        else:
            title = self.book.unique_name(change.title)
            part = self.changes.new_part(self.folder, "worksheets/sheet")
            last = self.state_entry
            before = last if last is not None and self._is_last(last) else None
            entry = self.book.add_sheet(title, part, before=before)
            self.types.set_override(part, CT_WORKSHEET)
        drawing_rid = self._write_charts(change, part, title) if change.charts else None
        layout = own_sheet_layout(change)
        like = self.pkg.info(part) if self.pkg.has(part) else None
        hint = 200 * (len(change.rows) + 1) * max(layout.width, 1)
        with scratch.open_part(part, like=like, size_hint=hint) as out:
            self.cells_written += write_own_sheet(
                out,
                change,
                title,
                self.styles,
                date1904=self.book.date1904,
                drawing_rid=drawing_rid,
            )
        self.changes.mark_streamed(part)
        filter_range = layout.filter_range if change.header else None
        reference = f"{quote_sheet(title)}!{filter_range}" if filter_range else None
        self.book.set_filter_range(entry, reference)
        self.state.set_own_sheet(change.key, title, entry.sheet_id)
        self.sheets_written.append(title)

    def _write_charts(self, change: WriteSheet, sheet_part: str, title: str) -> str:
        sheet_rels = Relationships(rels_part(sheet_part), None)
        drawing = self.changes.new_part(self.folder, "drawings/drawing")
        drawing_rid = sheet_rels.add(REL_DRAWING, drawing)
        drawing_rels = Relationships(rels_part(drawing), None)
        anchors = []
        for spec in change.charts:
            chart = self.changes.new_part(self.folder, "charts/chart")
            anchors.append((spec.anchor, drawing_rels.add(REL_CHART, chart)))
            self.changes.put(chart, chart_xml(spec, title, change))
            self.types.set_override(chart, CT_CHART)
        self.changes.put(drawing, drawing_xml(anchors))
        self.types.set_override(drawing, CT_DRAWING)
        self.changes.put(drawing_rels.part, drawing_rels.to_bytes())
        self.changes.put(sheet_rels.part, sheet_rels.to_bytes())
        return drawing_rid

    def _drop_calc_chain(self) -> None:
        # Excel rebuilds the calculation chain when it is missing; a stale one is "corrupt".
        for relationship in self.book.rels.of_type(REL_CALC_CHAIN):
            self.changes.remove(self.book.rels.target_part(relationship))
            self.book.rels.remove(relationship.rid)

    def _finish_small_parts(self) -> None:
        self.state.set_recipes(self.styles.recipes())
        if self.state.values != self.initial_state:
            self._write_state()
        if self.styles.changed:
            if not self.styles.exists:
                self.book.rels.add(REL_STYLES, self.styles.part)
                self.types.set_override(self.styles.part, CT_STYLES)
            self.changes.put(self.styles.part, self.styles.to_bytes())
        if self.book.changed:
            self.changes.put(self.book.part, self.book.to_bytes())
        if self.book.rels.changed:
            self.changes.put(self.book.rels.part, self.book.rels.to_bytes())
        if self.types.changed:
            self.changes.put(ContentTypes.PART, self.types.to_bytes())

    def _write_state(self) -> None:
        entry = self.state_entry
        if entry is None:
            part = self.changes.new_part(self.folder, "worksheets/sheet")
            entry = self.book.add_sheet(STATE_SHEET, part, before=None)
            self.book.set_state(entry, "veryHidden")
            self.types.set_override(part, CT_WORKSHEET)
            self.state_entry = entry
        assert entry.part is not None
        self.changes.put(entry.part, state_sheet_xml(self.state))

    def _is_last(self, entry: SheetEntry) -> bool:
        sheets = self.book.sheets()
        return bool(sheets) and sheets[-1].element is entry.element


def _cell_count(edits: SheetEdits) -> int:
    columns = sum(len(c.values) + 1 for c in edits.columns)
    highlights = sum(len(cells) for _, cells in edits.highlights)
    return columns + sum(len(v) for v in edits.cells.values()) + highlights
