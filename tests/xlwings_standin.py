"""A stand-in for the small part of xlwings' object model custkit uses, on a real openpyxl book.

It behaves as Excel does where that matters to us: numbers read back as floats, a string
written to a cell is parsed as if typed (a leading = makes a formula, "00123" becomes the
number 123, "2024-03-05" a date, "TRUE" a boolean) unless it starts with Excel's text prefix
"'", which is kept out of the value. Colours are (r, g, b) tuples, None when there is no fill
(or, for a block, when its cells differ). Sheets have no `api` and no `charts`: what needs
those is only exercised in real Excel. `save()` writes the openpyxl book, for reading back.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet

Corner = tuple[int, int]


class App:
    """Excel itself: screen updating and the message boxes shown."""

    def __init__(self) -> None:
        self.screen_updating = True
        self.alerts: list[tuple[str, str | None]] = []
        self.updating_seen: list[bool] = []  # screen_updating at each range write

    def alert(self, prompt: str, title: str | None = None, **_: Any) -> str:
        self.alerts.append((prompt, title))
        return "ok"


class Book:
    """A workbook 'open in Excel'."""

    _caller: Book | None = None

    def __init__(self, path: Path) -> None:
        self.fullname = str(path)
        self.name = path.name
        self.wb = openpyxl.load_workbook(path)
        self.app = App()
        self.sheets = Sheets(self)

    @classmethod
    def caller(cls) -> Book:
        if cls._caller is None:
            raise RuntimeError("no calling workbook")
        return cls._caller

    def set_mock_caller(self) -> None:
        Book._caller = self

    def save(self, path: Path | None = None) -> None:
        self.wb.save(path or self.fullname)


class Sheets:
    def __init__(self, book: Book) -> None:
        self.book = book

    def __iter__(self) -> Any:
        return iter([Sheet(self.book, ws) for ws in self.book.wb.worksheets])

    def __len__(self) -> int:
        return len(self.book.wb.worksheets)

    def __getitem__(self, key: str | int) -> Sheet:
        if isinstance(key, int):
            return Sheet(self.book, self.book.wb.worksheets[key])
        return Sheet(self.book, self.book.wb[key])

    def add(self, name: str, after: Sheet | None = None) -> Sheet:
        if name in self.book.wb.sheetnames:
            raise ValueError(f"Sheet named '{name}' already present in workbook")
        sheets = self.book.wb.worksheets
        index = sheets.index(after.ws) + 1 if after is not None else 0
        return Sheet(self.book, self.book.wb.create_sheet(name, index))


class Sheet:
    def __init__(self, book: Book, ws: Worksheet) -> None:
        self.book = book
        self.ws = ws

    @property
    def name(self) -> str:
        return str(self.ws.title)

    @name.setter
    def name(self, value: str) -> None:
        self.ws.title = value

    @property
    def visible(self) -> bool:
        return bool(self.ws.sheet_state == "visible")

    @visible.setter
    def visible(self, value: bool) -> None:
        self.ws.sheet_state = "visible" if value else "hidden"

    def range(self, first: str | Corner, last: Corner | None = None) -> Range:
        if isinstance(first, str):
            low, _, high = first.replace("$", "").partition(":")
            start = _corner(low)
            return Range(self, start, _corner(high) if high else start)
        return Range(self, first, last or first)

    @property
    def used_range(self) -> Range:
        return Range(self, (1, 1), (max(self.ws.max_row, 1), max(self.ws.max_column, 1)))

    def delete(self) -> None:
        if len(self.book.wb.worksheets) == 1:
            raise ValueError("a workbook keeps at least one sheet")
        self.book.wb.remove(self.ws)


class Font_:
    def __init__(self, target: Range) -> None:
        self.target = target

    @property
    def bold(self) -> bool:
        return bool(self.target.cells()[0].font.b)

    @bold.setter
    def bold(self, value: bool) -> None:
        for cell in self.target.cells():
            cell.font = Font(bold=value)


class Range:
    def __init__(self, sheet: Sheet, start: Corner, end: Corner, ndim: int | None = None) -> None:
        self.sheet, self.ndim = sheet, ndim
        self.row, self.column = min(start[0], end[0]), min(start[1], end[1])
        self.last_row, self.last_column = max(start[0], end[0]), max(start[1], end[1])

    def options(self, ndim: int | None = None, **_: Any) -> Range:
        return Range(self.sheet, (self.row, self.column), (self.last_row, self.last_column), ndim)

    @property
    def shape(self) -> tuple[int, int]:
        return self.last_row - self.row + 1, self.last_column - self.column + 1

    @property
    def last_cell(self) -> Range:
        corner = (self.last_row, self.last_column)
        return Range(self.sheet, corner, corner)

    @property
    def address(self) -> str:
        first = f"${get_column_letter(self.column)}${self.row}"
        last = f"${get_column_letter(self.last_column)}${self.last_row}"
        return first if first == last else f"{first}:{last}"

    def cells(self) -> list[Any]:
        return [
            self.sheet.ws.cell(r, c)
            for r in range(self.row, self.last_row + 1)
            for c in range(self.column, self.last_column + 1)
        ]

    @property
    def value(self) -> Any:
        ws = self.sheet.ws
        grid = [
            [_read(ws.cell(r, c)) for c in range(self.column, self.last_column + 1)]
            for r in range(self.row, self.last_row + 1)
        ]
        if self.ndim == 2:
            return grid
        rows, columns = self.shape
        if rows == 1 and columns == 1:
            return grid[0][0]
        if rows == 1 or columns == 1:
            return [v for row in grid for v in row]
        return grid

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.book.app.updating_seen.append(self.sheet.book.app.screen_updating)
        if isinstance(data, list | tuple) and data and isinstance(data[0], list | tuple):
            grid = [list(row) for row in data]
        elif isinstance(data, list | tuple):
            grid = [list(data)]
        else:
            grid = [[data] * self.shape[1] for _ in range(self.shape[0])]
        for i, row in enumerate(grid):
            for j, item in enumerate(row):
                _write(self.sheet.ws.cell(self.row + i, self.column + j), item)

    def clear_contents(self) -> None:
        for cell in self.cells():
            cell.value = None

    @property
    def color(self) -> tuple[int, int, int] | None:
        found = {_fill_of(cell) for cell in self.cells()}
        return found.pop() if len(found) == 1 else None

    @color.setter
    def color(self, rgb: tuple[int, int, int] | str | None) -> None:
        if isinstance(rgb, str):
            rgb = (int(rgb[1:3], 16), int(rgb[3:5], 16), int(rgb[5:7], 16))
        for cell in self.cells():
            if rgb is None:
                cell.fill = PatternFill(fill_type=None)
            else:
                colour = "FF" + "".join(f"{c:02X}" for c in rgb)
                cell.fill = PatternFill("solid", fgColor=colour)

    @property
    def number_format(self) -> str:
        return str(self.cells()[0].number_format)

    @number_format.setter
    def number_format(self, pattern: str) -> None:
        for cell in self.cells():
            cell.number_format = pattern

    @property
    def font(self) -> Font_:
        return Font_(self)

    @property
    def column_width(self) -> float:
        return float(self.sheet.ws.column_dimensions[get_column_letter(self.column)].width or 8.43)

    @column_width.setter
    def column_width(self, width: float) -> None:
        for column in range(self.column, self.last_column + 1):
            self.sheet.ws.column_dimensions[get_column_letter(column)].width = width


def _corner(text: str) -> Corner:
    letters = text.rstrip("0123456789")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return int(text[len(letters) :]), column


def _read(cell: Any) -> Any:
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if cell.is_date:  # Range.Value gives a date for a number in a date-formatted cell
            return from_excel(value)
        return float(value)  # Excel keeps every number as a double
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _write(cell: Any, value: Any) -> None:
    """Store `value` as Excel would after a Range.Value write."""
    prefixed = isinstance(value, str) and value.startswith("'")
    if isinstance(value, str):
        value = _as_typed(value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value == "":
        value = None  # COM writes of "" leave the cell empty
    cell.value = value
    if prefixed:
        cell.data_type = "s"  # text, even when it starts with "="
    if isinstance(value, datetime) and cell.number_format == "General":
        cell.number_format = "yyyy-mm-dd"


def _as_typed(text: str) -> Any:
    if text.startswith("'"):
        return text[1:]
    if text.startswith("="):
        return text  # openpyxl keeps it as a formula (data_type "f")
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    try:
        return float(stripped.replace(",", ""))
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(stripped)
    except ValueError:
        return text


def _fill_of(cell: Any) -> tuple[int, int, int] | None:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    rgb = fill.fgColor.rgb
    if not isinstance(rgb, str):
        return None
    return int(rgb[-6:-4], 16), int(rgb[-4:-2], 16), int(rgb[-2:], 16)


# -- comparing with the file backend ------------------------------------------------------

HIGHLIGHT_RGB = {"FFC7CE", "FFEB9C", "F8CBAD", "DDEBF7", "E4DFEC"}


def sheet_values(raw: Any) -> dict[str, list[list[Any]]]:
    """Every sheet's values but our state's, blanks as None, whole dates as dates, trimmed."""
    out = {}
    for sheet in raw.sheets:
        if sheet.name.startswith("_custkit"):
            continue
        rows = []
        for row in sheet.rows:
            line = [_plain(v) for v in row]
            while line and line[-1] is None:
                line.pop()
            rows.append(line)
        while rows and not rows[-1]:
            rows.pop()
        out[sheet.name] = rows
    return out


def highlights(path: Path) -> set[tuple[str, int, int, str]]:
    """(sheet, row, column, colour) of every cell of a saved workbook with a highlight fill."""
    found = set()
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                rgb = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type else None
                if isinstance(rgb, str) and rgb[-6:] in HIGHLIGHT_RGB:
                    found.add((ws.title, cell.row, cell.column, rgb[-6:]))
    return found


def _plain(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value
