"""Small builders for tests: real workbooks on disk, read back as values."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl

from toolkit.table import CellValue


def write_workbook(path: Path, sheets: dict[str, Sequence[Sequence[CellValue]]]) -> Path:
    """An .xlsx with the given sheets and rows (row 1 first), saved by openpyxl."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cells in sheet.iter_rows():
            for cell in cells:  # customer text that looks like a formula is text, as Excel keeps it
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    book.save(path)
    return path


def sheet_values(path: Path, sheet: str) -> list[tuple[CellValue, ...]]:
    """Every row of a sheet as values, as openpyxl reads them back."""
    book = openpyxl.load_workbook(path, data_only=True)
    try:
        return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def sheet_names(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def formula_cells(path: Path) -> list[str]:
    """Coordinates (Sheet!A1) of every formula cell in the workbook."""
    book = openpyxl.load_workbook(path)
    try:
        return [
            f"{s.title}!{c.coordinate}"
            for s in book.worksheets
            for row in s.iter_rows()
            for c in row
            if c.data_type == "f"
        ]
    finally:
        book.close()
