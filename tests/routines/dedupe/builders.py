"""Builders for dedupe tests: workbooks from plain rows, and plans applied to plain grids."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.fields import match_header
from toolkit.plan import Plan, SetCells, WriteSheet
from toolkit.table import CellValue, Column, RawSheet, RawWorkbook, Table, TableKind, Workbook

Grid = list[list[CellValue]]

ZH_HEADER = ("客户编号", "姓名", "手机", "备用电话", "邮箱", "公司", "城市", "生日", "购买次数",
             "累计消费", "注册日期", "最近购买日期", "备注")  # fmt: skip
EN_HEADER = ("Customer ID", "Name", "Phone", "Phone 2", "Email", "Company", "City", "Birthday",
             "Orders", "Total Spent", "Signup Date", "Last Purchase", "Notes")  # fmt: skip


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[CellValue]],
    *,
    sheet: str = "客户",
    kind: TableKind = "customers",
    header_row: int = 1,
) -> Table:
    """A Table with columns mapped from the header, as detect would map them."""
    columns = tuple(Column(i, h, match_header(h, kind)) for i, h in enumerate(header, 1))
    width = len(header)
    padded = tuple(tuple(r) + (None,) * (width - len(r)) for r in rows)
    return Table(sheet, kind, header_row, columns, padded)


def workbook(customers: Table, *others: Table, extra_sheets: Sequence[RawSheet] = ()) -> Workbook:
    """A Workbook whose raw sheets hold exactly the tables' grids (plus `extra_sheets`)."""
    sheets = [_raw(t) for t in (customers, *others)] + list(extra_sheets)
    tables = {t.kind: t for t in (customers, *others)}
    return Workbook(RawWorkbook("test.xlsx", tuple(sheets)), tables, customers.lang)


def _raw(t: Table) -> RawSheet:
    rows: Grid = [[None] * t.width for _ in range(t.header_row - 1)]
    rows.append([c.header for c in t.columns])
    rows.extend(list(r) for r in t.rows)
    return RawSheet(t.sheet, rows)


def apply(raw: RawWorkbook, plan: Plan) -> dict[str, Grid]:
    """Every sheet after SetCells and WriteSheet changes, as grids (a tiny, real backend)."""
    grids: dict[str, Grid] = {s.name: [list(r) for r in s.rows] for s in raw.sheets}
    for change in plan.changes:
        if isinstance(change, SetCells):
            grid = grids[change.sheet]
            for cell in change.cells:
                while len(grid) < cell.row:
                    grid.append([])
                line = grid[cell.row - 1]
                line.extend([None] * (cell.column - len(line)))
                line[cell.column - 1] = cell.value
        elif isinstance(change, WriteSheet):
            for name in [n for n in grids if n in (change.title, *_other_titles(change))]:
                del grids[name]
            grids[change.title] = [list(change.header), *(list(r) for r in change.rows)]
    return grids


def _other_titles(change: WriteSheet) -> tuple[str, ...]:
    from toolkit.i18n import OWN_SHEETS

    return tuple(OWN_SHEETS[change.key])


def raw_sheet(name: str, grid: Grid) -> RawSheet:
    return RawSheet(name, [list(r) for r in grid])


def values_in(grid: Grid) -> list[CellValue]:
    return [v for row in grid for v in row]
