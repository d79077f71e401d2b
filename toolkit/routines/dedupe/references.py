"""Orders and complaints that named a merged customer, re-pointed to the survivor.

A reference is resolved the way `toolkit.routines.linking` resolves it (customer id, then
name, then phone), with one addition: a name shared by several customer rows is ambiguous for
linking, but when every row with that name is merged into one survivor it names the survivor.
The reference cells (customer id, customer name) are rewritten to the survivor's values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from toolkit.plan import CellWrite, SetCells
from toolkit.routines.linking import CustomerIndex, reference_key
from toolkit.table import CellValue, Table, TableKind, Workbook, is_blank

REFERENCE_KINDS: tuple[TableKind, ...] = ("transactions", "complaints")
REASON = "dedupe: reference re-pointed to the surviving customer"


def repoint_references(workbook: Workbook, into: Mapping[int, int]) -> list[SetCells]:
    """SetCells on the orders and complaints sheets for every reference to a merged row.

    `into` maps each merged row's table position to its survivor's position. Example: an
    order whose 客户编号 is C5, merged into C3, gets C3 (and C3's name where it names one).
    """
    if not into:
        return []
    customers = workbook.customers
    index = CustomerIndex.of(customers)
    by_name = _rows_by_name(customers)
    changes = []
    for kind in REFERENCE_KINDS:
        table = workbook.table(kind)
        if table is None:
            continue
        cells = _rewrites(customers, table, index, by_name, into)
        if cells:
            changes.append(SetCells(table.sheet, tuple(cells), REASON))
    return changes


def _rows_by_name(customers: Table) -> dict[str, list[int]]:
    rows: dict[str, list[int]] = defaultdict(list)
    for position, name in enumerate(customers.values("name")):
        if not is_blank(name):
            rows[reference_key(name)].append(position)
    return rows


def _rewrites(
    customers: Table,
    table: Table,
    index: CustomerIndex,
    by_name: dict[str, list[int]],
    into: Mapping[int, int],
) -> list[CellWrite]:
    id_column, name_column = table.column("customer_id"), table.column("customer_name")
    cells: list[CellWrite] = []
    for sheet_row, record in table.records():
        position = _resolve(customers, record, index, by_name, into)
        if position is None or position not in into:
            continue
        survivor = into[position]
        for column, field in ((id_column, "customer_id"), (name_column, "name")):
            if column is None or is_blank(record.get(column.field or "")):
                continue
            value = _value(customers, survivor, field)
            if value is not None and reference_key(value) != reference_key(
                record[column.field or ""]
            ):
                cells.append(CellWrite(sheet_row, column.index, value))
    return cells


def _resolve(
    customers: Table,
    record: Mapping[str, CellValue],
    index: CustomerIndex,
    by_name: dict[str, list[int]],
    into: Mapping[int, int],
) -> int | None:
    """The table position of the customer a record names, or None."""
    row = index.find(record)
    if row is not None:
        return row - customers.first_row
    rows = by_name.get(reference_key(record.get("customer_name")), [])
    survivors = {into.get(p, p) for p in rows}
    if len(survivors) == 1 and rows:
        return next(p for p in rows if p in into) if any(p in into for p in rows) else rows[0]
    return None


def _value(customers: Table, position: int, field: str) -> CellValue:
    column = customers.column(field)
    if column is None:
        return None
    value = customers.rows[position][column.index - 1]
    return None if is_blank(value) else value
