"""write_plan on every workbook Excel itself made (../shared/data/excel-made)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from toolkit.backends.xlsx import read_values
from toolkit.errors import UnsafeWriteError
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

from .testkit import apply, assert_untouched, cell_fill, dangling_parts, grid, sheet_parts

EXCEL_MADE = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "excel-made"
FILES = sorted(p.name for p in EXCEL_MADE.glob("*.xls[xm]")) if EXCEL_MADE.is_dir() else []
# Our column would land inside a merged range there: refused, so the test places it further right.
PLACED = {"merge_range01.xlsx": 6}
FORMULA_LIKE = ("=1+1", "+8613800138000", "-5", "@mention")


def plan_for(path: Path, highlights: tuple[tuple[int, int], ...]) -> Plan:
    """SetColumn + Highlight on the first worksheet, a SetCells on a value cell, our sheet."""
    first = read_values(path).sheets[0]
    rows = max(len(first.rows), 3)
    values = tuple(
        FORMULA_LIKE[i % len(FORMULA_LIKE)] if i < 4 else f"row {i + 2}" for i in range(rows - 1)
    )
    changes: list[object] = [
        SetColumn(first.name, "issues", "Issues", 1, 2, values),
        Highlight(first.name, "error", highlights),
    ]
    target = value_cell(path, first.name)
    if target is not None:
        changes.append(SetCells(first.name, (CellWrite(*target, "fixed value"),), "fix"))
    changes.append(
        WriteSheet(
            "validation",
            "Validation",
            ("Problem", "Count"),
            (("phone", 3), ("email", 1)),
            charts=(ChartSpec("pie", "Problems", "D2", 1, (ChartSeries("Count", 2, 2, 3),)),),
        )
    )
    return Plan(tuple(changes))  # type: ignore[arg-type]


def value_cell(path: Path, sheet_name: str) -> tuple[int, int] | None:
    """The first cell holding a plain value (no formula, not merged, not a table header)."""
    sheet = openpyxl.load_workbook(path)[sheet_name]
    merged = {(r, c) for m in sheet.merged_cells.ranges for r, c in m.cells}
    table_rows = {sheet[t.ref.split(":")[0]].row for t in sheet.tables.values()}
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            formula = isinstance(value, ArrayFormula | DataTableFormula) or (
                isinstance(value, str) and value.startswith("=")
            )
            if (
                value is None
                or formula
                or (cell.row, cell.column) in merged
                or cell.row in table_rows
            ):
                continue
            return cell.row, cell.column
    return None


def may_change(path: Path) -> set[str]:
    first = read_values(path).sheets[0].name
    return {
        sheet_parts(path)[first],
        "xl/styles.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "xl/calcChain.xml",
    }


@pytest.fixture(params=FILES)
def made(request: pytest.FixtureRequest, shared_data: Path) -> Path:
    return shared_data / "excel-made" / str(request.param)


def test_every_other_part_is_byte_identical(made: Path, tmp_path: Path) -> None:
    out = tmp_path / made.name
    apply(made, out, plan_for(made, ((2, 1), (1, 1))), **_placed(made))
    assert_untouched(made, out, may_change(made))
    assert dangling_parts(out) == dangling_parts(made)
    with zipfile.ZipFile(made) as before, zipfile.ZipFile(out) as after:
        assert after.testzip() is None
        for name in before.namelist():
            if name.endswith("vbaProject.bin"):
                assert after.read(name) == before.read(name)
                assert after.getinfo(name).compress_size == before.getinfo(name).compress_size


def test_values_read_back(made: Path, tmp_path: Path) -> None:
    out = tmp_path / made.name
    plan = plan_for(made, ((2, 1),))
    apply(made, out, plan, **_placed(made))
    column = plan.changes[0]
    assert isinstance(column, SetColumn)
    loaded = openpyxl.load_workbook(out)
    sheet = loaded[column.sheet]
    header = [c.value for c in sheet[1]]
    at = header.index("Issues") + 1
    assert header.count("Issues") == 1
    written = [sheet.cell(2 + i, at).value for i in range(len(column.values))]
    assert written == list(column.values)
    assert all(isinstance(v, str) for v in written[:4])
    fix = next((c for c in plan.changes if isinstance(c, SetCells)), None)
    if fix is not None:
        assert sheet.cell(fix.cells[0].row, fix.cells[0].column).value == "fixed value"
    assert loaded["Validation"]["A3"].value == "email"
    assert loaded.sheetnames[-1] == "_custkit"


def test_rerun_changes_nothing_more(made: Path, tmp_path: Path) -> None:
    first, second = tmp_path / f"1-{made.name}", tmp_path / f"2-{made.name}"
    plan = plan_for(made, ((2, 1),))
    apply(made, first, plan, **_placed(made))
    apply(first, second, plan, **_placed(made))
    name = read_values(made).sheets[0].name
    assert openpyxl.load_workbook(first).sheetnames == openpyxl.load_workbook(second).sheetnames
    assert grid(first, name) == grid(second, name)
    assert grid(first, "Validation") == grid(second, "Validation")
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as two:
        assert one.read("xl/styles.xml") == two.read("xl/styles.xml")


def test_fewer_highlights_uncolour_the_rest(made: Path, tmp_path: Path) -> None:
    first, second = tmp_path / f"1-{made.name}", tmp_path / f"2-{made.name}"
    name = read_values(made).sheets[0].name
    before = cell_fill(made, name, "A2")
    apply(made, first, plan_for(made, ((2, 1), (1, 1))), **_placed(made))
    assert cell_fill(first, name, "A2") == "FFFFC7CE"
    apply(first, second, plan_for(made, ((1, 1),)), **_placed(made))
    assert cell_fill(second, name, "A2") == before
    assert cell_fill(second, name, "A1") == "FFFFC7CE"


def test_merged_range_refuses_a_hidden_column(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "excel-made" / "merge_range01.xlsx"
    with pytest.raises(UnsafeWriteError, match="merged range B2:D2"):
        apply(source, tmp_path / "out.xlsx", plan_for(source, ()))
    assert not (tmp_path / "out.xlsx").exists()


def test_overwriting_a_formula_drops_the_calc_chain(shared_data: Path, tmp_path: Path) -> None:
    source, out = shared_data / "excel-made" / "escapes01.xlsx", tmp_path / "out.xlsx"
    name = read_values(source).sheets[0].name
    stats = apply(source, out, Plan((SetCells(name, (CellWrite(1, 1, 42),), "fix"),)))
    assert "xl/calcChain.xml" in stats.parts_removed
    with zipfile.ZipFile(out) as package:
        assert "xl/calcChain.xml" not in package.namelist()
        assert b"calcChain" not in package.read("xl/_rels/workbook.xml.rels")
        assert b"calcChain" not in package.read("[Content_Types].xml")
    assert openpyxl.load_workbook(out)[name]["A1"].value == 42
    assert openpyxl.load_workbook(out)[name]["A2"].value.startswith("=CONCATENATE")


@pytest.mark.parametrize(
    ("file", "ref"), [("array_formula01.xlsx", (2, 1)), ("dynamic_array01.xlsx", (1, 1))]
)
def test_array_formula_cells_are_refused(
    shared_data: Path, tmp_path: Path, file: str, ref: tuple[int, int]
) -> None:
    source = shared_data / "excel-made" / file
    name = read_values(source).sheets[0].name
    with pytest.raises(UnsafeWriteError, match="array formula"):
        apply(source, tmp_path / "out.xlsx", Plan((SetCells(name, (CellWrite(*ref, 1),), "fix"),)))
    assert not (tmp_path / "out.xlsx").exists()


def _placed(path: Path) -> dict[str, int]:
    return {"issues": PLACED[path.name]} if path.name in PLACED else {}
