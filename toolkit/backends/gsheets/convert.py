"""Cell values and colours between Python and the Sheets API.

Values are read unformatted (a phone number typed as text stays text, with its leading zero)
with dates as serial numbers; a serial is turned back into a date only where the cell's
number format says it is one. Values are written RAW, so customer text is never parsed as a
formula or a number; a date is written as its serial number plus a date number format.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Any

from toolkit.errors import UnsafeWriteError
from toolkit.table import CellValue

EPOCH = datetime(1899, 12, 30)  # serial 0 in Google Sheets (and Excel's 1900 system)
DATE_TYPES = frozenset({"DATE", "DATE_TIME", "TIME"})
MAX_CELL_TEXT = 50_000  # characters Google Sheets keeps in one cell
DATE_FORMAT = {"type": "DATE", "pattern": "yyyy-mm-dd"}
DATETIME_FORMAT = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}
TIME_FORMAT = {"type": "TIME", "pattern": "hh:mm:ss"}

HIGHLIGHT_FILLS: dict[str, str] = {
    "error": "FFC7CE",
    "warning": "FFEB9C",
    "overdue": "F8CBAD",
    "duplicate": "DDEBF7",
    "review": "E4DFEC",
}
HEADER_FILL = "D9D9D9"


def read_value(raw: Any, number_type: str | None) -> CellValue:
    """A value as values.get returned it (UNFORMATTED_VALUE, SERIAL_NUMBER), typed.

    >>> read_value(45356, "DATE"), read_value("0138", None), read_value("", None)
    (datetime.date(2024, 3, 5), '0138', None)
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return raw if isinstance(raw, bool | str) else str(raw)
    if number_type in DATE_TYPES:
        return from_serial(raw, number_type)
    return raw


def from_serial(serial: float, number_type: str) -> date | datetime | time:
    """The date, datetime or time a serial number stands for under its format type.

    >>> from_serial(45356.5, "DATE_TIME"), from_serial(0.75, "TIME")
    (datetime.datetime(2024, 3, 5, 12, 0), datetime.time(18, 0))
    """
    moment = EPOCH + timedelta(seconds=round(float(serial) * 86400))
    if number_type == "TIME":
        return moment.time()
    if number_type == "DATE" and moment.time() == time():
        return moment.date()
    return moment


def to_serial(value: date | datetime | time) -> int | float:
    """The serial number of a date, datetime or time of day.

    >>> to_serial(date(2024, 3, 5)), to_serial(time(12, 0))
    (45356, 0.5)
    """
    if isinstance(value, time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return seconds / 86400
    moment = (
        value.replace(tzinfo=None)
        if isinstance(value, datetime)
        else datetime(value.year, value.month, value.day)
    )
    delta = moment - EPOCH
    serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return int(serial) if float(serial).is_integer() else serial


def write_value(value: CellValue, where: str) -> tuple[Any, dict[str, str] | None]:
    """The RAW JSON value for a cell and the number format it needs ("" clears a cell).

    >>> write_value("=1+1", "C!A1"), write_value(date(2024, 3, 5), "C!A2")
    (('=1+1', None), (45356, {'type': 'DATE', 'pattern': 'yyyy-mm-dd'}))
    """
    if value is None:
        return "", None
    if isinstance(value, bool | int):
        return value, None
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnsafeWriteError(f"{where}: {value!r} is not a number a cell can hold.")
        return value, None
    if isinstance(value, str):
        if len(value) > MAX_CELL_TEXT:
            raise UnsafeWriteError(
                f"{where}: text of {len(value)} characters is longer than the "
                f"{MAX_CELL_TEXT} Google Sheets keeps in a cell; nothing was written."
            )
        return value, None
    if isinstance(value, datetime):
        fmt = DATE_FORMAT if value.time() == time() else DATETIME_FORMAT
        return to_serial(value), fmt
    if isinstance(value, date):
        return to_serial(value), DATE_FORMAT
    return to_serial(value), TIME_FORMAT


def same_value(read: Any, written: Any) -> bool:
    """Whether a value read back (unformatted) is the value we wrote.

    >>> same_value(45356, 45356.0), same_value("", None), same_value(1, True)
    (True, True, False)
    """
    if read in ("", None) or written in ("", None):
        return read in ("", None) and written in ("", None)
    if isinstance(read, bool) or isinstance(written, bool):
        return read is written
    if isinstance(read, int | float) and isinstance(written, int | float):
        return math.isclose(read, written, rel_tol=1e-12, abs_tol=1e-9)
    return bool(read == written)


def rgb(hex_color: str) -> dict[str, float]:
    """An API Color from 'FFC7CE'.

    >>> rgb("FF0000")
    {'red': 1.0, 'green': 0.0, 'blue': 0.0}
    """
    red, green, blue = (int(hex_color[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": red, "green": green, "blue": blue}


def color_style(hex_color: str) -> dict[str, Any]:
    """A ColorStyle (what backgroundColorStyle holds) from 'FFC7CE'.

    >>> color_style("0000FF")
    {'rgbColor': {'red': 0.0, 'green': 0.0, 'blue': 1.0}}
    """
    return {"rgbColor": rgb(hex_color)}


def hex_of(style: dict[str, Any] | None) -> str | None:
    """'FFC7CE' from a ColorStyle, None for none or a theme colour.

    >>> hex_of({"rgbColor": {"red": 1, "green": 0.78039217, "blue": 0.80784315}})
    'FFC7CE'
    """
    color = (style or {}).get("rgbColor")
    if not isinstance(color, dict):
        return None
    return "".join(f"{round(float(color.get(c, 0)) * 255):02X}" for c in ("red", "green", "blue"))
