"""Merge mode: one survivor per group, the others moved to the Merged sheet, never deleted.

The plan (a) writes the survivor's merged values, (b) compacts the customer table with
SetCells (rows below a merged row move up; the trailing rows are cleared), (c) re-points
orders and complaints that named a merged row to the survivor, (d) appends the merged rows,
whole, to the Merged sheet (已合并) with their group id, keeping every row already there, and
(e) marks what is left (groups staff skipped, pairs still to review) on the compacted table.
Staff decisions from the Duplicates sheet win over every rule. Undo is the backend's job.

Values only: the routine cannot see formulas, so the compaction is marked `moves_rows` and
the file backend refuses it when a cell it writes holds a formula
(toolkit.backends.ooxml.moved_formulas).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from toolkit.i18n import Text, label, own_sheet_key, say
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.plan import CellWrite, Change, Plan, SetCells, WriteSheet
from toolkit.routines.dedupe.decisions import GROUP, Decisions
from toolkit.routines.dedupe.find import DuplicateGroup, Duplicates
from toolkit.routines.dedupe.mark import mark_plan
from toolkit.routines.dedupe.references import repoint_references
from toolkit.routines.dedupe.survivorship import merged_values, survivor_of
from toolkit.table import CellValue, Lang, Table, Workbook, is_blank

MERGED_INTO = Text("Merged Into", "合并到")
MERGED_ON = Text("Merged On", "合并日期")
ORIGINAL_ROW = Text("Original Row", "原行号")
ROLE = Text("Role", "角色")
ROLE_MERGED = Text("merged", "已并入")
ROLE_SURVIVOR = Text("kept, as before the merge", "保留行（合并前）")
COMPACT_REASON = Text("dedupe: {n} merged rows moved to {sheet}", "去重：{n} 行已移至{sheet}")


@dataclass(frozen=True)
class MergeGroup:
    """One merge: the survivor and the rows merged into it (table positions)."""

    group_id: str
    survivor: int
    merged: tuple[int, ...]


def merge_groups(
    customers: Table, found: Duplicates, decisions: Decisions, settings: DedupeSettings
) -> list[MergeGroup]:
    """The merges to do, staff decisions first: skip leaves a row out, keep makes a survivor.

    A second row marked keep in the same group is kept as it is (left out of the merge).
    Example: group D0001 = rows 2, 4, 6 with 6 marked 跳过 and no keep mark: the most complete
    of rows 2 and 4 survives, the other is merged, row 6 stays as it is.
    """
    result = []
    for group in found.groups:
        sheet_row = customers.row_number
        members = [r for r in group.rows if decisions.action(sheet_row(r)) != "skip"]
        if len(members) < 2:
            continue
        kept = [r for r in members if decisions.action(sheet_row(r)) == "keep"]
        if kept:
            survivor = kept[0]
            members = [r for r in members if r == survivor or r not in kept]
        else:
            survivor = survivor_of(customers, members, settings.survivor)
        merged = tuple(r for r in members if r != survivor)
        if merged:
            result.append(MergeGroup(group.group_id, survivor, merged))
    return result


def merge_plan(
    workbook: Workbook,
    found: Duplicates,
    decisions: Decisions,
    settings: DedupeSettings,
    *,
    lang: Lang,
    as_of: date,
) -> Plan:
    """Everything a merge run changes.

    Example: a group of 张伟 (row 2) and 章伟 (row 4) with 章伟 surviving gives SetCells on
    the customer sheet (row 2 now holds what was row 3, the last data row is cleared), SetCells
    on orders that named 张伟, a Merged sheet with both rows as they were, and our columns and
    Duplicates sheet rewritten for what is left.
    """
    customers = workbook.customers
    merges = merge_groups(customers, found, decisions, settings)
    original = _full_rows(workbook, customers)
    updated = list(original)
    for merge in merges:
        updates = merged_values(
            customers, found.features, merge.survivor, merge.merged, settings, lang
        )
        row = list(updated[merge.survivor])
        for index, value in updates.items():
            row[index] = value
        updated[merge.survivor] = tuple(row)
    into = {p: m.survivor for m in merges for p in m.merged}
    changes: list[Change] = []
    compaction = _compaction(customers, original, updated, set(into), lang)
    if compaction is not None:
        changes.append(compaction)
    repointed = repoint_references(workbook, into)
    changes.extend(repointed)
    changes.append(_merged_sheet(workbook, customers, merges, lang, as_of))
    remaining = _after_merge(customers, updated, into, found, decisions, lang, settings)
    changes.extend(remaining.changes)
    counts = dict(found.counts)
    counts["dedupe.merged_groups"] = len(merges)
    counts["dedupe.merged_rows"] = len(into)
    counts["dedupe.references_repointed"] = sum(len(c.cells) for c in repointed)
    return Plan(tuple(changes), decisions.findings, counts)


def _full_rows(workbook: Workbook, customers: Table) -> list[tuple[CellValue, ...]]:
    """Every data row as read, all columns (ours and unmapped ones too), padded to one width."""
    raw = workbook.raw.sheet(customers.sheet)
    source = [tuple(r) for r in raw.rows] if raw is not None else []
    body = source[customers.header_row : customers.last_row]
    body += [tuple(r) for r in customers.rows[len(body) :]]
    width = max([customers.width, *(len(r) for r in body)])
    return [tuple(r) + (None,) * (width - len(r)) for r in body]


def _compaction(
    customers: Table,
    original: list[tuple[CellValue, ...]],
    updated: list[tuple[CellValue, ...]],
    removed: set[int],
    lang: Lang,
) -> SetCells | None:
    """Cell writes for merged values and for closing the gaps left by merged rows."""
    kept = [row for i, row in enumerate(updated) if i not in removed]
    width = len(original[0]) if original else 0
    blank: tuple[CellValue, ...] = (None,) * width
    cells: list[CellWrite] = []
    for position, before in enumerate(original):
        after = kept[position] if position < len(kept) else blank
        for column, (old, new) in enumerate(zip(before, after, strict=True), start=1):
            if old != new and not (is_blank(old) and is_blank(new)):
                cells.append(CellWrite(customers.row_number(position), column, new))
    if not cells:
        return None
    reason = say(COMPACT_REASON, lang, n=len(removed), sheet=label("merged", lang))
    return SetCells(customers.sheet, tuple(cells), reason, moves_rows=True)


def _merged_sheet(
    workbook: Workbook, customers: Table, merges: Sequence[MergeGroup], lang: Lang, as_of: date
) -> WriteSheet:
    """The Merged sheet: rows merged before (kept as they were) plus this run's."""
    ours = tuple(say(t, lang) for t in (GROUP, MERGED_INTO, MERGED_ON, ORIGINAL_ROW, ROLE))
    header = [*ours, *(c.header for c in customers.columns)]
    existing = next((s for s in workbook.raw.sheets if own_sheet_key(s.name) == "merged"), None)
    old_rows: list[dict[str, CellValue]] = []
    if existing is not None and existing.rows:
        old_header = [_our_label(h, lang) for h in existing.rows[0]]
        header += [h for h in old_header if h and h not in header]
        old_rows = [dict(zip(old_header, r, strict=False)) for r in existing.rows[1:]]
        old_rows = [r for r in old_rows if any(not is_blank(v) for v in r.values())]
    rows = [tuple(r.get(h) for h in header) for r in old_rows]
    for merge in merges:
        into = _identity(customers, merge.survivor)
        # The survivor as it was, too: its merged cells (sums, dates) replace values that
        # must stay readable somewhere.
        roles = [(merge.survivor, ROLE_SURVIVOR), *((p, ROLE_MERGED) for p in merge.merged)]
        for position, role in roles:
            cells = customers.rows[position]
            copied = [cells[c.index - 1] for c in customers.columns]
            row = [merge.group_id, into, as_of, customers.row_number(position), say(role, lang)]
            row += copied
            rows.append(tuple(row) + (None,) * (len(header) - len(row)))
    return WriteSheet("merged", label("merged", lang), tuple(header), tuple(rows))


def _our_label(header: CellValue, lang: Lang) -> str:
    """A header of the Merged sheet, with our own column names in this run's language."""
    text = "" if is_blank(header) else str(header).strip()
    for ours in (GROUP, MERGED_INTO, MERGED_ON, ORIGINAL_ROW, ROLE):
        if text.casefold() in (ours.en.casefold(), ours.zh.casefold()):
            return say(ours, lang)
    return text


def _identity(customers: Table, position: int) -> CellValue:
    for field in ("customer_id", "name"):
        column = customers.column(field)
        if column is not None and not is_blank(customers.rows[position][column.index - 1]):
            return customers.rows[position][column.index - 1]
    return customers.row_number(position)


def _after_merge(
    customers: Table,
    updated: list[tuple[CellValue, ...]],
    into: dict[int, int],
    found: Duplicates,
    decisions: Decisions,
    lang: Lang,
    settings: DedupeSettings,
) -> Plan:
    """Our columns, highlight and Duplicates sheet for what is left, on the compacted table.

    Rows staff skipped or kept stay listed with their survivor, with their decision, so the
    next merge still leaves them alone.
    """
    new_position: dict[int, int] = {}
    for old in range(len(updated)):
        if old not in into:
            new_position[old] = len(new_position)

    def moved(old: int) -> int:
        return new_position[into.get(old, old)]

    compacted = replace(
        customers, rows=tuple(updated[old][: customers.width] for old in new_position)
    )
    groups = []
    for group in found.groups:
        rows = list(dict.fromkeys(moved(r) for r in group.rows))
        if len(rows) >= 2:
            groups.append(_moved_group(group, rows, moved))
    review = tuple(
        replace(p, a=moved(p.a), b=moved(p.b)) for p in found.review if moved(p.a) != moved(p.b)
    )
    left = replace(found, groups=tuple(groups), review=review)
    actions = {
        compacted.row_number(position): action
        for old, position in new_position.items()
        if (action := decisions.action(customers.row_number(old))) is not None
    }
    return mark_plan(compacted, left, Decisions(actions), lang, settings)


def _moved_group(
    group: DuplicateGroup, rows: list[int], moved: Callable[[int], int]
) -> DuplicateGroup:
    """A group on the compacted table; each kept row keeps its first score and evidence."""
    first: dict[int, int] = {}
    for index, old in enumerate(group.rows):
        first.setdefault(moved(old), index)
    evidence = []
    for row in rows:
        pair = group.evidence[first[row]]
        evidence.append(replace(pair, a=moved(pair.a), b=moved(pair.b)))
    scores = tuple(group.scores[first[row]] for row in rows)
    return DuplicateGroup(group.group_id, tuple(rows), scores, tuple(evidence))
