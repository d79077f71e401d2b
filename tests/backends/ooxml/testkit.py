"""Helpers for the writer's tests: build workbooks, apply plans, compare packages.

The package inspection here is written independently of the writer (zipfile + lxml only), so
a test does not check the writer's own reading with itself.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import openpyxl
from lxml import etree
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula

from toolkit.backends.base import place_columns
from toolkit.backends.ooxml import WriteStats, write_plan
from toolkit.backends.xlsx import read_values
from toolkit.plan import Plan

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = ("Name", "Phone", "Amount", "Double", "Joined", "Email", "Notes")
ROWS = 20
USER_GREEN = "FFC6EFCE"


def build_customers(path: Path) -> Path:
    """A customer workbook with most things a careless writer would lose.

    Sheet "Customers": header A1:G1 (bold), 20 rows; D holds a formula filled down (turned
    into a real shared formula by `make_shared_formula`), E dates, C a currency format, B3 a
    user fill; an array formula in I2:I3, a merged note below the data, a comment, data
    validation, conditional formatting, a chart, a defined name. Sheet "Orders" is untouched.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Customers"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i in range(ROWS):
        row = 2 + i
        sheet.append(
            [
                f"客户{i}",
                f"138{i:08d}",
                100 + i * 10.5,
                f"=C{row}*2",
                date(2024, 1, 1 + i),
                f"c{i}@example.com",
                f"note {i}",
            ]
        )
        sheet.cell(row, 3).number_format = "¥#,##0.00"
        sheet.cell(row, 5).number_format = "yyyy-mm-dd"
    sheet["B3"].fill = PatternFill("solid", fgColor=USER_GREEN)
    sheet["I2"] = ArrayFormula("I2:I3", "=C2:C3*3")
    sheet.merge_cells("A24:G24")
    sheet["A24"] = "Totals are checked monthly"
    sheet["A2"].comment = Comment("VIP customer", "staff")
    validation = DataValidation(type="list", formula1='"A,B,C"')
    sheet.add_data_validation(validation)
    validation.add("G2:G21")
    sheet.conditional_formatting.add(
        "C2:C21",
        CellIsRule(
            operator="greaterThan", formula=["200"], fill=PatternFill("solid", fgColor="FFFF0000")
        ),
    )
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=ROWS + 1), titles_from_data=True)
    sheet.add_chart(chart, "K2")
    book.defined_names["Amounts"] = DefinedName("Amounts", attr_text="Customers!$C$2:$C$21")
    orders = book.create_sheet("Orders")
    orders.append(["Order", "Customer", "Amount"])
    orders.append(["o1", "客户1", 12.5])
    book.save(path)
    make_shared_formula(path, "xl/worksheets/sheet1.xml", "D", 2, ROWS + 1)
    return path


def make_shared_formula(path: Path, part: str, column: str, first: int, last: int) -> None:
    """Rewrite a filled-down column as Excel stores it: one shared-formula master, children."""

    def shared(match: re.Match[str]) -> str:
        row = int(match.group(1))
        if row == first:
            master = f'<f t="shared" ref="{column}{first}:{column}{last}" si="0">'
            return f'<c r="{column}{row}">{master}{match.group(2)}</f><v>1</v></c>'
        return f'<c r="{column}{row}"><f t="shared" si="0"/><v>1</v></c>'

    pattern = re.compile(rf'<c r="{column}(\d+)"><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>')
    rewrite_part(path, part, lambda text: pattern.sub(shared, text))


def rewrite_part(path: Path, part: str, change) -> None:  # type: ignore[no-untyped-def]
    """Replace one part of a package (test setup only), keeping the others."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == part:
                data = change(data.decode()).encode()
            target.writestr(info, data)


def apply(source: Path, target: Path, plan: Plan, **overrides: int) -> WriteStats:
    """Apply `plan` as the backend does: positions from place_columns on what was read."""
    positions = place_columns(read_values(source), plan)
    for key, column in overrides.items():
        sheet = next(s for s, k in positions if k == key)
        positions[(sheet, key)] = column
    return write_plan(source, target, plan, positions=positions)


def entries(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


def assert_untouched(before: Path, after: Path, may_change: Iterable[str]) -> None:
    """Every entry outside `may_change` is byte-identical; original entries keep their order."""
    allowed = set(may_change)
    old, new = dict(entries(before)), dict(entries(after))
    for name, data in old.items():
        if name not in allowed:
            assert name in new, f"{name} was dropped"
            assert new[name] == data, f"{name} changed"
    kept = [n for n, _ in entries(before) if n in new]
    assert [n for n, _ in entries(after) if n in old] == kept, "entry order changed"


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> part name, read straight from the package."""
    with zipfile.ZipFile(path) as package:
        book = etree.fromstring(package.read("xl/workbook.xml"))
        rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_REL}}}Relationship")}
    parts = {}
    for sheet in book.iter(f"{{{MAIN}}}sheet"):
        target = targets[sheet.get(f"{{{REL}}}id")]
        parts[sheet.get("name")] = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        )
    return parts


def sheet_states(path: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(path) as package:
        book = etree.fromstring(package.read("xl/workbook.xml"))
    return [(s.get("name"), s.get("state", "visible")) for s in book.iter(f"{{{MAIN}}}sheet")]


def cell_xml(path: Path, sheet: str, ref: str) -> etree._Element | None:
    """The `<c>` element of a cell, straight from the sheet part."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read(sheet_parts(path)[sheet]))
    return next((c for c in root.iter(f"{{{MAIN}}}c") if c.get("r") == ref), None)


def cell_fill(path: Path, sheet: str, ref: str) -> str | None:
    """The solid fill colour of a cell as openpyxl reads it (None when not filled)."""
    cell = openpyxl.load_workbook(path)[sheet][ref]
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def cellxfs_count(path: Path) -> int:
    with zipfile.ZipFile(path) as package:
        styles = etree.fromstring(package.read("xl/styles.xml"))
    return len(styles.find(f"{{{MAIN}}}cellXfs"))


def dangling_parts(path: Path) -> list[str]:
    """Parts no relationship points at, and overrides naming parts that do not exist."""
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        targets: set[str] = set()
        for name in names:
            if not name.endswith(".rels"):
                continue
            folder = posixpath.dirname(posixpath.dirname(name))
            for rel in etree.fromstring(package.read(name)).iter(f"{{{PKG_REL}}}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                targets.add(
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
        types = etree.fromstring(package.read("[Content_Types].xml"))
    overrides = {o.get("PartName").lstrip("/") for o in types if o.get("PartName")}
    unreferenced = [
        n
        for n in names
        if not n.endswith(".rels") and n != "[Content_Types].xml" and n not in targets
    ]
    return sorted(unreferenced + [f"override:{o}" for o in overrides - names])


def grid(path: Path, sheet: str) -> list[list[object]]:
    """A sheet's values as openpyxl reads them (array formulas as their text)."""
    rows = openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)
    return [[v.text if isinstance(v, ArrayFormula) else v for v in row] for row in rows]
