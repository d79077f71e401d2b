"""An access request answered: everything held on one customer, as JSON or a new .xlsx file.

The export is the person's own data, so nothing is masked. It is written to a new file (or
printed); the workbook itself is only read. One sheet per source sheet, under the source
sheet's name, with its header and a first column saying which row of the workbook each row
came from (in the workbook's language).
"""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path

from toolkit.i18n import Text, say
from toolkit.routines.subject import HeldSheet, Holdings
from toolkit.table import CellValue, Lang, column_letter, is_blank

MAX_TITLE = 31  # characters Excel allows in a sheet name
SOURCE_ROW = Text("Row in Workbook", "所在行")


def export_json(holdings: Holdings, *, customer: str, source: str) -> dict[str, object]:
    """Everything held, JSON-ready: per sheet its header and each row as {header: value}.

    >>> from toolkit.routines.subject import HeldRow, SubjectKeys
    >>> no = frozenset()
    >>> held = HeldSheet("C", "customers", 1, ("ID", "Name"), (HeldRow(2, ("C7", "Li"), (1, 2)),))
    >>> export_json(Holdings(SubjectKeys(no, no, no, no), (held,)), customer="C7", source="x")
    {'customer': 'C7', 'source': 'x', 'sheets': [{'sheet': 'C', 'role': 'customers', \
'rows': [{'row': 2, 'values': {'ID': 'C7', 'Name': 'Li'}}]}]}
    """
    sheets = []
    for sheet in holdings.sheets:
        names = _column_names(sheet)
        rows = [
            {
                "row": held.row,
                "values": {
                    names[i]: _json_value(v) for i, v in enumerate(held.values) if not is_blank(v)
                },
            }
            for held in sheet.rows
        ]
        sheets.append({"sheet": sheet.sheet, "role": sheet.role, "rows": rows})
    return {"customer": customer, "source": source, "sheets": sheets}


def write_export(holdings: Holdings, target: Path, *, lang: Lang) -> int:
    """Write the holdings to a new .xlsx at `target` (atomically); returns the rows written.

    Customer text beginning with = + - @ is written as text, never as a formula.
    """
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    written = 0
    for sheet in holdings.sheets:
        page = book.create_sheet(_title(sheet.sheet, book.sheetnames))
        page.append([say(SOURCE_ROW, lang), *_column_names(sheet)])
        for held in sheet.rows:
            page.append([held.row, *held.values])
            for cell in page[page.max_row]:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"  # customer text, not a formula
            written += 1
    temporary = target.with_name(f".~custkit-{target.name}.tmp")
    try:
        book.save(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return written


def _column_names(sheet: HeldSheet) -> list[str]:
    width = max([len(sheet.header), *(len(r.values) for r in sheet.rows)])
    names = []
    for index in range(width):
        header = sheet.header[index] if index < len(sheet.header) else None
        name = str(header).strip() if not is_blank(header) else column_letter(index + 1)
        names.append(name if name not in names else f"{name} ({column_letter(index + 1)})")
    return names


def _json_value(value: CellValue) -> CellValue | str:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _title(name: str, taken: list[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:MAX_TITLE] or "Sheet"
    title, number = base, 2
    while title.casefold() in (t.casefold() for t in taken):
        suffix = f" ({number})"
        title, number = base[: MAX_TITLE - len(suffix)] + suffix, number + 1
    return title


__all__ = ["export_json", "write_export"]
