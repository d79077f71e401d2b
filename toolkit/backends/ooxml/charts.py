"""Native charts on our own sheets: chart parts built with openpyxl's chart classes, and the
drawing part that anchors them to cells.

openpyxl builds and serializes the chart XML (`chart._write()`), which is all it is used for
here; the workbook itself is never loaded or saved through openpyxl.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml import etree
from openpyxl.chart import BarChart, LineChart, PieChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, NumRef, StrRef

from toolkit.backends.ooxml.cell_plan import parse_ref
from toolkit.backends.ooxml.opc import parse_xml, serialize_xml
from toolkit.backends.ooxml.workbook_parts import quote_sheet
from toolkit.errors import UnsafeWriteError
from toolkit.plan import ChartSpec, WriteSheet
from toolkit.table import column_letter

_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WIDTH_EMU, _HEIGHT_EMU = 5_400_000, 2_700_000  # 15 cm x 7.5 cm, openpyxl's default size


def chart_xml(spec: ChartSpec, sheet_title: str, change: WriteSheet) -> bytes:
    """The chart part for one ChartSpec over the sheet `sheet_title`."""
    chart = _new_chart(spec.chart)
    chart.title = spec.title
    sheet = quote_sheet(sheet_title)
    for item in spec.series:
        values = Reference(
            range_string=f"{sheet}!{_column_range(item.column, item.first_row, item.last_row)}"
        )
        series = Series(values, title=item.title)
        categories = (
            f"{sheet}!{_column_range(spec.categories_column, item.first_row, item.last_row)}"
        )
        if _numeric_column(change, spec.categories_column, item.first_row, item.last_row):
            series.cat = AxDataSource(numRef=NumRef(f=categories))
        else:
            series.cat = AxDataSource(strRef=StrRef(f=categories))
        chart.series.append(series)
    if not spec.series:
        raise UnsafeWriteError(f"Chart '{spec.title}' on sheet '{sheet_title}' has no series.")
    return serialize_xml(parse_xml(etree.tostring(chart._write()), "chart"))


def drawing_xml(anchors: Sequence[tuple[str, str]]) -> bytes:
    """A drawing part with one chart frame per (anchor cell, relationship id)."""
    root = etree.Element(f"{{{_XDR}}}wsDr", nsmap={"xdr": _XDR, "a": _A})
    for number, (anchor, rid) in enumerate(anchors, start=1):
        cell = parse_ref(anchor)
        if cell is None:
            raise UnsafeWriteError(f"Chart anchor {anchor!r} is not a cell reference like 'H2'.")
        frame = etree.SubElement(root, f"{{{_XDR}}}oneCellAnchor")
        start = etree.SubElement(frame, f"{{{_XDR}}}from")
        for tag, value in (
            ("col", cell[1] - 1),
            ("colOff", 0),
            ("row", cell[0] - 1),
            ("rowOff", 0),
        ):
            etree.SubElement(start, f"{{{_XDR}}}{tag}").text = str(value)
        etree.SubElement(frame, f"{{{_XDR}}}ext", cx=str(_WIDTH_EMU), cy=str(_HEIGHT_EMU))
        frame.append(_graphic_frame(number, rid))
        etree.SubElement(frame, f"{{{_XDR}}}clientData")
    return serialize_xml(root)


def _graphic_frame(number: int, rid: str) -> etree._Element:
    frame = etree.Element(f"{{{_XDR}}}graphicFrame", macro="")
    properties = etree.SubElement(frame, f"{{{_XDR}}}nvGraphicFramePr")
    etree.SubElement(properties, f"{{{_XDR}}}cNvPr", id=str(number + 1), name=f"Chart {number}")
    etree.SubElement(properties, f"{{{_XDR}}}cNvGraphicFramePr")
    transform = etree.SubElement(frame, f"{{{_XDR}}}xfrm")
    etree.SubElement(transform, f"{{{_A}}}off", x="0", y="0")
    etree.SubElement(transform, f"{{{_A}}}ext", cx="0", cy="0")
    graphic = etree.SubElement(frame, f"{{{_A}}}graphic")
    data = etree.SubElement(graphic, f"{{{_A}}}graphicData", uri=_C)
    chart = etree.SubElement(data, f"{{{_C}}}chart", nsmap={"c": _C, "r": _R})
    chart.set(f"{{{_R}}}id", rid)
    return frame


def _new_chart(kind: str) -> Any:  # openpyxl's chart classes are untyped
    if kind == "pie":
        return PieChart()
    chart = LineChart() if kind == "line" else BarChart()
    if isinstance(chart, BarChart):
        chart.type = "bar" if kind == "bar" else "col"
    # Without an explicit delete="0" recent Excel versions hide both axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


def _column_range(column: int, first_row: int, last_row: int) -> str:
    letter = column_letter(column)
    return f"${letter}${first_row}:${letter}${max(first_row, last_row)}"


def _numeric_column(change: WriteSheet, column: int, first_row: int, last_row: int) -> bool:
    """Whether the category cells are all numbers (sheet row n is rows[n - 2])."""
    values = [
        row[column - 1]
        for row in change.rows[max(first_row - 2, 0) : max(last_row - 1, 0)]
        if column <= len(row) and row[column - 1] is not None
    ]
    return bool(values) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    )
