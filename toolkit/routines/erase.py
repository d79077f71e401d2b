"""Erasure of one customer (a deletion request), as a Plan: blank their cells, log it, nothing else.

Rows are anonymised in place, not deleted: deleting rows would shift every row below, and with
them formulas, references, highlights and the row numbers our own sheets quote. Every cell of
the person's rows is blanked (customer row, complaints, rows of our own and of staff's other
sheets), except on order rows, where date, product, quantity and amount stay with nothing left
that names anyone, so that sales totals and charts over the orders sheet still add up.

The Run Log row says what was erased in counts only: which sheets, how many rows and cells,
and the customer id masked; never a value that was erased.
"""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.i18n import Text, say
from toolkit.plan import CellWrite, Change, Plan, SetCells
from toolkit.routines.run_log import RunLogEntry, run_log_sheet
from toolkit.routines.subject import Holdings
from toolkit.table import Lang, RawWorkbook

REASON = Text("erase: customer {who}", "删除：客户 {who}")
NOTE = Text("erased customer {who}: {sheets}", "已删除客户 {who}：{sheets}")
SHEET_COUNT = Text("{sheet} {rows} rows, {cells} cells", "{sheet} {rows} 行 {cells} 格")


def masked_reference(customer_id: str) -> str:
    """A customer id with its middle hidden, for the audit row: enough to match a request
    ticket that quotes the id, too little to pick the person out of a customer list.

    >>> masked_reference("KH00015"), masked_reference("C7"), masked_reference("")
    ('KH***15', '***', '***')
    """
    text = customer_id.strip()
    if len(text) < 5:
        return "***"
    return f"{text[:2]}***{text[-2:]}"


def erase_changes(holdings: Holdings, *, who: str, lang: Lang) -> tuple[Change, ...]:
    """One SetCells per sheet blanking the person's cells.

    >>> from toolkit.routines.subject import HeldRow, HeldSheet, SubjectKeys
    >>> keys = SubjectKeys(frozenset(), frozenset(), frozenset(), frozenset())
    >>> held = HeldSheet("C", "customers", 1, ("Name",), (HeldRow(2, ("Li", 3), (1, 2)),))
    >>> erase_changes(Holdings(keys, (held,)), who="***", lang="en")[0].cells
    (CellWrite(row=2, column=1, value=None), CellWrite(row=2, column=2, value=None))
    """
    reason = say(REASON, lang, who=who)
    changes: list[Change] = []
    for sheet in holdings.sheets:
        cells = tuple(CellWrite(r.row, c, None) for r in sheet.rows for c in r.erase)
        if cells:
            changes.append(SetCells(sheet.sheet, cells, reason))
    return tuple(changes)


def erase_counts(holdings: Holdings) -> dict[str, int]:
    """Counts for the run summary.

    >>> from toolkit.routines.subject import SubjectKeys
    >>> erase_counts(Holdings(SubjectKeys(frozenset(), frozenset(), frozenset(), frozenset()), ()))
    {'erase.sheets': 0, 'erase.rows': 0, 'erase.cells': 0}
    """
    return {
        "erase.sheets": len(holdings.sheets),
        "erase.rows": holdings.rows,
        "erase.cells": holdings.cells,
    }


def erase_note(holdings: Holdings, *, who: str, lang: Lang) -> str:
    """The Run Log note: which sheets, how many rows and cells (counts only).

    >>> from toolkit.routines.subject import HeldRow, HeldSheet, SubjectKeys
    >>> keys = SubjectKeys(frozenset(), frozenset(), frozenset(), frozenset())
    >>> held = HeldSheet("Orders", "transactions", 1, (), (HeldRow(5, ("A", 1), (1,)),))
    >>> erase_note(Holdings(keys, (held,)), who="C0***15", lang="en")
    'erased customer C0***15: Orders 1 rows, 1 cells'
    """
    parts = [
        say(
            SHEET_COUNT,
            lang,
            sheet=s.sheet,
            rows=len(s.rows),
            cells=sum(len(r.erase) for r in s.rows),
        )
        for s in holdings.sheets
    ]
    return say(NOTE, lang, who=who, sheets=("；" if lang == "zh" else "; ").join(parts))


def erase_plan(
    holdings: Holdings,
    raw: RawWorkbook,
    *,
    who: str,
    entry: RunLogEntry | None,
    lang: Lang,
) -> Plan:
    """Blank the person's cells and, with `entry`, append the audit row to the Run Log.

    `who` is `masked_reference(customer id)`. Example: erasing KH00015 of the Chinese demo
    gives SetCells on 客户, 订单, 已合并 and 跟进提醒, and 运行记录 with one more row.
    """
    changes = list(erase_changes(holdings, who=who, lang=lang))
    if entry is not None and changes:
        changes.append(run_log_sheet(raw, entry, lang))
    return Plan(tuple(changes), (), erase_counts(holdings))


def sheet_counts(holdings: Holdings) -> Sequence[tuple[str, int, int]]:
    """(sheet, rows, cells) of what an erasure blanks, for the confirmation prompt."""
    return [(s.sheet, len(s.rows), sum(len(r.erase) for r in s.rows)) for s in holdings.sheets]


__all__ = [
    "erase_changes",
    "erase_counts",
    "erase_note",
    "erase_plan",
    "masked_reference",
    "sheet_counts",
]
