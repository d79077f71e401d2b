"""write_plan on workbooks built here: what changes, what must not, and re-runs."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from toolkit.plan import (
    CellWrite,
    ChartSeries,
    ChartSpec,
    Highlight,
    Plan,
    SetCells,
    SetColumn,
    WriteSheet,
)
from toolkit.table import CellValue

from .testkit import (
    ROWS,
    USER_GREEN,
    apply,
    assert_untouched,
    build_customers,
    cell_fill,
    cell_xml,
    cellxfs_count,
    dangling_parts,
    grid,
    sheet_parts,
    sheet_states,
)

CUSTOMER_PART = "xl/worksheets/sheet1.xml"
ISSUES = ("=SUM(A1:A2)", "+86 138", "-", "@home", None, "phone_invalid") + ("ok",) * (ROWS - 6)
WORKBOOK_PARTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}


def validation_sheet(title: str = "Validation", rows: int = 3) -> WriteSheet:
    return WriteSheet(
        "validation",
        title,
        ("Sheet", "Row", "Problem", "Count", "Seen"),
        tuple(
            ("Customers", 2 + i, f"problem {i}", i + 1, date(2024, 3, 1 + i)) for i in range(rows)
        ),
        row_styles=((0, "error"),),
        charts=(ChartSpec("column", "Problems", "H2", 3, (ChartSeries("Count", 4, 2, 1 + rows),)),),
    )


def customer_plan(
    highlighted: tuple[tuple[int, int], ...] = ((3, 2), (4, 2)), **kw: object
) -> Plan:
    values = kw.get("values", ISSUES)
    return Plan(
        (
            SetColumn("Customers", "issues", "Issues", 1, 2, values),  # type: ignore[arg-type]
            Highlight("Customers", "error", highlighted),
            SetCells(
                "Customers",
                (CellWrite(5, 2, "13912345678"), CellWrite(6, 5, date(2025, 2, 3))),
                "fix",
            ),
            validation_sheet(str(kw.get("title", "Validation"))),
        )
    )


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return build_customers(tmp_path / "customers.xlsx")


def test_only_named_parts_change_and_order_is_kept(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    stats = apply(book, out, customer_plan())
    assert_untouched(book, out, {CUSTOMER_PART, "xl/styles.xml", *WORKBOOK_PARTS})
    assert set(stats.parts_changed) >= {CUSTOMER_PART, "xl/styles.xml", "xl/workbook.xml"}
    assert stats.sheets_written == ("Customers", "Validation")
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
        names = package.namelist()
    assert len(names) == len(set(names))
    assert dangling_parts(out) == dangling_parts(book)


def test_values_land_where_the_plan_says(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    apply(book, out, customer_plan())
    sheet = openpyxl.load_workbook(out)["Customers"]
    assert sheet["H1"].value == "Issues"
    assert [sheet.cell(2 + i, 8).value for i in range(ROWS)] == list(ISSUES)
    assert sheet["B5"].value == "13912345678"
    assert sheet["E6"].value == datetime(2025, 2, 3)
    assert sheet["E6"].number_format == "yyyy-mm-dd"  # the column's own date format is kept
    assert sheet["D3"].value == "=C3*2"  # untouched formulas stay formulas
    assert sheet["H1"].font.b  # the header copies its left neighbour's look


@pytest.mark.parametrize("ref", ["H2", "H3", "H4", "H5"])
def test_formula_like_text_stays_text(book: Path, tmp_path: Path, ref: str) -> None:
    out = tmp_path / "out.xlsx"
    apply(book, out, customer_plan())
    cell = cell_xml(out, "Customers", ref)
    assert cell is not None and cell.get("t") == "inlineStr"
    assert not [c for c in cell if c.tag.endswith("}f")]
    assert isinstance(openpyxl.load_workbook(out)["Customers"][ref].value, str)


def test_highlight_keeps_the_cells_look_and_rerun_removes_it(book: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    apply(book, first, customer_plan(((3, 2), (4, 2))))
    assert cell_fill(first, "Customers", "B3") == "FFFFC7CE"
    assert cell_fill(first, "Customers", "B4") == "FFFFC7CE"
    apply(first, second, customer_plan(((4, 2),)))
    assert cell_fill(second, "Customers", "B3") == USER_GREEN  # back to the user's own fill
    assert cell_fill(second, "Customers", "B4") == "FFFFC7CE"
    apply(second, first, customer_plan(()))
    assert cell_fill(first, "Customers", "B4") is None


def test_rerun_is_idempotent(book: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    apply(book, first, customer_plan())
    apply(first, second, customer_plan())
    one, two = openpyxl.load_workbook(first), openpyxl.load_workbook(second)
    assert one.sheetnames == two.sheetnames == ["Customers", "Orders", "Validation", "_custkit"]
    for name in ("Customers", "Validation"):
        assert grid(first, name) == grid(second, name)
    assert [c.value for c in two["Customers"][1]].count("Issues") == 1
    assert cellxfs_count(first) == cellxfs_count(second)  # no new formats on a re-run
    assert dangling_parts(second) == dangling_parts(book)
    parts = sheet_parts(second)
    assert_untouched(
        first,
        second,
        {
            parts["Customers"],
            parts["Validation"],
            *WORKBOOK_PARTS,
            "xl/worksheets/_rels/sheet3.xml.rels",
            "xl/drawings/drawing2.xml",
            "xl/drawings/_rels/drawing2.xml.rels",
            "xl/charts/chart2.xml",
        },
    )


def test_shorter_rerun_clears_stale_values(book: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    apply(book, first, customer_plan())
    apply(first, second, customer_plan(values=("only one",)))
    sheet = openpyxl.load_workbook(second)["Customers"]
    assert sheet["H2"].value == "only one"
    assert [sheet.cell(r, 8).value for r in range(3, ROWS + 5)] == [None] * (ROWS + 2)


def test_last_highlight_wins_and_other_styles_survive_a_reset(book: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    plan = Plan(
        (
            Highlight("Customers", "error", ((2, 1),)),
            Highlight("Customers", "warning", ((2, 1), (2, 3))),
        )
    )
    apply(book, first, plan)
    assert cell_fill(first, "Customers", "A2") == "FFFFEB9C"
    apply(first, second, Plan((Highlight("Customers", "error", ()),)))
    assert cell_fill(second, "Customers", "A2") == "FFFFEB9C"  # a warning is not reset by "error"
    assert openpyxl.load_workbook(second)["Customers"]["C2"].number_format == "¥#,##0.00"


def test_language_change_renames_our_sheet_in_place(book: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    apply(book, first, customer_plan())
    stats = apply(first, second, customer_plan(title="数据校验"))
    assert [n for n, _ in sheet_states(second)] == ["Customers", "Orders", "数据校验", "_custkit"]
    assert sheet_parts(first)["Validation"] == sheet_parts(second)["数据校验"]
    assert "xl/charts/chart2.xml" in stats.parts_removed
    assert dangling_parts(second) == dangling_parts(book)
    with zipfile.ZipFile(second) as package:
        assert b"'\xe6\x95\xb0\xe6\x8d\xae\xe6\xa0\xa1\xe9\xaa\x8c'!$D$2" in package.read(
            "xl/charts/chart3.xml"
        )


def test_a_user_sheet_with_our_title_is_never_overwritten(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    apply(book, out, Plan((validation_sheet("Orders"),)))
    assert [n for n, _ in sheet_states(out)] == ["Customers", "Orders", "Orders (2)", "_custkit"]
    assert openpyxl.load_workbook(out)["Orders"]["A2"].value == "o1"


def test_our_sheet_is_typed_filtered_frozen_and_charted(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    apply(book, out, customer_plan())
    loaded = openpyxl.load_workbook(out)
    sheet = loaded["Validation"]
    assert sheet["E2"].value == datetime(2024, 3, 1) and sheet["E2"].is_date
    assert sheet["D2"].value == 1 and sheet["A1"].font.b
    assert sheet["A1"].fill.fgColor.rgb == "FFD9D9D9"
    assert sheet["A2"].fill.fgColor.rgb == "FFFFC7CE" and sheet["A3"].fill.fill_type is None
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    with zipfile.ZipFile(out) as package:
        workbook = package.read("xl/workbook.xml").decode()
    # the filter's hidden name is local to the sheet (its index, 2), as Excel writes it
    assert (
        '<definedName name="_xlnm._FilterDatabase" localSheetId="2" hidden="1">'
        "'Validation'!$A$1:$E$4</definedName>"
    ) in workbook
    assert len(sheet._charts) == 1
    assert dict(sheet_states(out))["_custkit"] == "veryHidden"
    assert [n for n, _ in sheet_states(out)][-1] == "_custkit"


@pytest.mark.parametrize(
    ("number_format", "value", "expected"),
    [
        ("yyyy-mm-dd", date(2024, 5, 6), "yyyy-mm-dd"),
        ("0.00%", 0.25, "0.00%"),
        (None, date(2024, 5, 6), "mm-dd-yy"),
    ],
)
def test_column_number_format(
    book: Path, tmp_path: Path, number_format: str | None, value: CellValue, expected: str
) -> None:
    out = tmp_path / "out.xlsx"
    plan = Plan((SetColumn("Customers", "next_followup", "Next", 1, 2, (value,), number_format),))
    apply(book, out, plan)
    assert openpyxl.load_workbook(out)["Customers"]["H2"].number_format == expected


def test_rows_are_created_in_order_beyond_the_data(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    values = tuple(f"v{i}" for i in range(30))
    apply(book, out, Plan((SetColumn("Customers", "tags", "Tags", 1, 2, values),)))
    sheet = openpyxl.load_workbook(out)["Customers"]
    assert [sheet.cell(2 + i, 8).value for i in range(30)] == list(values)
    assert sheet["A24"].value == "Totals are checked monthly"
    assert "A24:G24" in {str(r) for r in sheet.merged_cells.ranges}
    with zipfile.ZipFile(out) as package:
        text = package.read(CUSTOMER_PART).decode()
    numbers = [int(x) for x in __import__("re").findall(r'<row r="(\d+)"', text)]
    assert numbers == sorted(numbers) and len(numbers) == len(set(numbers))
    assert '<dimension ref="A1:I31"/>' in text


def test_an_empty_plan_copies_every_entry(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    stats = apply(book, out, Plan())
    assert_untouched(book, out, set())
    assert stats.parts_changed == () and stats.parts_removed == ()
    assert [n for n, _ in sheet_states(out)] == ["Customers", "Orders"]  # no state sheet needed
