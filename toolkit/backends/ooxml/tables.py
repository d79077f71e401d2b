"""Excel tables (ListObjects) on a sheet we edit: their header cells must keep their names.

A table's header cells and its `<tableColumn name>` entries must agree, or Excel "repairs" the
file by dropping the table. custkit therefore refuses to write a different value into a table
header cell; values in a table's body are fine.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.backends.ooxml.cell_plan import parse_range
from toolkit.backends.ooxml.edits import SheetEdits
from toolkit.backends.ooxml.opc import REL_TABLE, Relationships, parse_xml, rels_part
from toolkit.backends.ooxml.package import SourcePackage
from toolkit.backends.ooxml.styles import MAIN_NS
from toolkit.backends.ooxml.values import cell_ref
from toolkit.errors import UnsafeWriteError

_M = f"{{{MAIN_NS}}}"


@dataclass(frozen=True)
class TableHeader:
    """The header row of one table: where it is and the name of each column."""

    name: str
    row: int
    first_col: int
    names: tuple[str, ...]


def table_headers(pkg: SourcePackage, sheet_part: str) -> list[TableHeader]:
    """The header rows of the tables on a worksheet."""
    data = pkg.read_optional(rels_part(sheet_part))
    if data is None:
        return []
    rels = Relationships(rels_part(sheet_part), data)
    headers = []
    for relationship in rels.of_type(REL_TABLE):
        part = rels.target_part(relationship)
        table = pkg.read_optional(part)
        if table is None:
            continue
        root = parse_xml(table, part)
        bounds = parse_range(root.get("ref", ""))
        if bounds is None or root.get("headerRowCount", "1") == "0":
            continue
        names = tuple(c.get("name", "") for c in root.iter(f"{_M}tableColumn"))
        headers.append(
            TableHeader(
                root.get("displayName") or root.get("name", ""), bounds[0], bounds[1], names
            )
        )
    return headers


def check_tables(pkg: SourcePackage, sheet_part: str, edits: SheetEdits) -> None:
    """Refuse a write that would rename a table column from its header cell."""
    headers = table_headers(pkg, sheet_part)
    if not headers:
        return
    for row, col, value in edits.written_cells():
        for table in headers:
            position = col - table.first_col
            if row != table.row or not 0 <= position < len(table.names):
                continue
            if value != table.names[position]:
                raise UnsafeWriteError(
                    f"Cell {edits.sheet}!{cell_ref(row, col)} is the header of column "
                    f"'{table.names[position]}' in table '{table.name}'; writing {value!r} "
                    "there would make Excel drop the table. Rename the column in Excel or move "
                    "the table, then run again. Nothing was written."
                )
