"""Cell values as SpreadsheetML: the type attribute, the text, the number format they need.

Strings are always inline strings (`t="inlineStr"`): xl/sharedStrings.xml is never touched, and
an inline string is never a formula, so customer text beginning with = + - @ stays text.
Dates and times are serial numbers in the workbook's date system, shown through a date
format. Characters XML cannot carry are written the way Excel writes them (`_x0001_`).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from lxml import etree
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, to_excel

from toolkit.backends.ooxml.styles import DATE_FORMAT, DATETIME_FORMAT, MAIN_NS, TIME_FORMAT
from toolkit.table import CellValue, column_letter

MAX_TEXT = 32767  # characters Excel keeps in one cell
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384
# Stands for the row number in a row's cell templates (`row_append`, `new_sheet`): no cell's
# bytes hold a NUL (XML cannot carry one; a text writes it as _x0000_), so one replace fills it.
ROW_NUMBER = b"\x00"
_M = f"{{{MAIN_NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# \r too: XML parsers turn it into \n, Excel keeps it as _x000D_.
_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile("_(x[0-9A-Fa-f]{4}_)")
_NEEDS_ESCAPE = re.compile(f"{_ILLEGAL.pattern}|{_LOOKS_ESCAPED.pattern}")


class CellValueError(ValueError):
    """A value a cell cannot hold; the caller adds where it was going."""


@dataclass(frozen=True)
class Encoded:
    """A value ready for a `<c>` element.

    >>> encode("=1+1", date1904=False)
    Encoded(type='inlineStr', text='=1+1', numfmt=None)
    >>> encode(date(2024, 3, 5), date1904=False)
    Encoded(type=None, text='45356', numfmt=14)
    """

    type: str | None  # the t attribute: None for numbers, "b", "inlineStr"
    text: str
    numfmt: int | None = None  # the date/time format the value needs, if any


def encode(value: CellValue, *, date1904: bool) -> Encoded | None:
    """How `value` is written; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        return Encoded("inlineStr", _escape_text(value))
    if isinstance(value, bool):
        return Encoded("b", "1" if value else "0")
    if isinstance(value, int):
        return Encoded(None, str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellValueError(f"{value!r} is not a number a cell can hold")
        return Encoded(None, repr(value))
    return _encode_temporal(value, date1904=date1904)


def _encode_temporal(value: datetime | date | time, *, date1904: bool) -> Encoded:
    epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
    if isinstance(value, datetime):
        naive = value.replace(tzinfo=None)  # Excel has no time zones: keep the wall time
        numfmt = DATE_FORMAT if naive.time() == time() else DATETIME_FORMAT
        serial = to_excel(naive, epoch)
    elif isinstance(value, date):
        numfmt, serial = DATE_FORMAT, to_excel(value, epoch)
    else:
        numfmt, serial = TIME_FORMAT, to_excel(value.replace(tzinfo=None))
    if serial < (0 if isinstance(value, time) else 1):
        raise CellValueError(f"{value!r} is before the workbook's first date ({epoch:%Y-%m-%d})")
    text = str(int(serial)) if float(serial).is_integer() else repr(float(serial))
    return Encoded(None, text, numfmt)


def _escape_text(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise CellValueError(f"text of {len(value)} characters is longer than Excel's {MAX_TEXT}")
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    # A literal "_x0041_" must survive the reader's unescaping, as Excel does it: "_x005F_x0041_".
    escaped = _LOOKS_ESCAPED.sub(r"_x005F_\1", value)
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", escaped)


def cell_ref(row: int, column: int) -> str:
    """A1 reference of a 1-based cell.

    >>> cell_ref(7, 28)
    'AB7'
    """
    return f"{column_letter(column)}{row}"


def cell_element(
    ref: str, style: int | None, encoded: Encoded | None, *, keep: dict[str, str] | None = None
) -> etree._Element:
    """A fresh `<c>` element (main namespace) for a value; `keep` are attributes to carry over."""
    cell = etree.Element(f"{_M}c")
    cell.set("r", ref)
    for name, text in (keep or {}).items():
        cell.set(name, text)
    if style:
        cell.set("s", str(style))
    if encoded is None:
        return cell
    if encoded.type is not None:
        cell.set("t", encoded.type)
    if encoded.type == "inlineStr":
        inline = etree.SubElement(cell, f"{_M}is")
        text = etree.SubElement(inline, f"{_M}t")
        text.set(_XML_SPACE, "preserve")
        text.text = encoded.text
    else:
        etree.SubElement(cell, f"{_M}v").text = encoded.text
    return cell


def cell_bytes(ref: str, style: int | None, encoded: Encoded | None, prefix: str = "") -> bytes:
    """The same cell as `cell_element`, as bytes (`prefix` is "x:" for `<x:c>` sheets)."""
    return f'<{prefix}c r="{ref}"'.encode() + cell_tail(style, encoded, prefix)


def cell_tail(style: int | None, encoded: Encoded | None, prefix: str = "") -> bytes:
    """A cell's bytes after its reference: the same for every cell of equal style and value,
    so writers of many rows make it once per distinct value.

    >>> cell_tail(3, encode("ok", date1904=False))
    b' s="3" t="inlineStr"><is><t xml:space="preserve">ok</t></is></c>'
    """
    style_attr = f' s="{style}"' if style else ""
    if encoded is None:
        return f"{style_attr}/>".encode()
    if encoded.type == "inlineStr":
        return _inline_tail(style_attr, encoded.text, prefix)
    type_attr = f' t="{encoded.type}"' if encoded.type else ""
    value = f"<{prefix}v>{encoded.text}</{prefix}v>"
    return f"{style_attr}{type_attr}>{value}</{prefix}c>".encode()


def text_cell_tail(style: int, value: str, prefix: str = "") -> bytes:
    """`cell_tail(style, encode(value, ...))` for a string, without the intermediate objects
    (our own sheets make millions of them); raises CellValueError as `encode` does.

    >>> text_cell_tail(0, "a<b") == cell_tail(0, encode("a<b", date1904=False))
    True
    """
    return _inline_tail(f' s="{style}"' if style else "", _escape_text(value), prefix)


class TextTails:
    """`text_cell_tail(style, value, prefix)` for many texts of one style, made with less work
    per text (millions of distinct names, phones and reasons at Excel's row limit).

    >>> TextTails(3)("a<b") == text_cell_tail(3, "a<b")
    True
    """

    def __init__(self, style: int, prefix: str = "") -> None:
        style_attr = f' s="{style}"' if style else ""
        self.open = f'{style_attr} t="inlineStr"><{prefix}is><{prefix}t xml:space="preserve">'
        self.close = f"</{prefix}t></{prefix}is></{prefix}c>".encode()
        self.open_bytes = self.open.encode()

    def __call__(self, value: str) -> bytes:
        """Raises CellValueError as `encode` does."""
        # Printable text holds none of the characters _ILLEGAL names (and no U+FFFE/U+FFFF).
        plain = value.isprintable() and "_x" not in value and len(value) <= MAX_TEXT
        if not plain and (len(value) > MAX_TEXT or _NEEDS_ESCAPE.search(value) is not None):
            value = _escape_text(value)
        if "&" in value or "<" in value or ">" in value:
            value = _xml_text(value)
        return self.open_bytes + value.encode() + self.close


@functools.cache
def text_tails(style: int, prefix: str = "") -> TextTails:
    """The `TextTails` of a style (a handful per write)."""
    return TextTails(style, prefix)


def _inline_tail(style_attr: str, text: str, prefix: str) -> bytes:
    return (
        f'{style_attr} t="inlineStr"><{prefix}is><{prefix}t '
        f'xml:space="preserve">{_xml_text(text)}</{prefix}t></{prefix}is></{prefix}c>'
    ).encode()


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
