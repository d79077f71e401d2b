"""`add_buttons` end to end, read back with oletools (not the library that wrote it)."""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
import zipfile
from importlib import metadata
from pathlib import Path

import olefile
import pytest
from pyopenvba import ExcelFile

from tests.excel_buttons.kit import (
    WORKBOOKS,
    entries,
    rich_workbook,
    vba_modules,
    without_code_names,
)
from toolkit.backends.xlsx import read_values
from toolkit.errors import UnsupportedFormatError, WorkbookError
from toolkit.excel_buttons import add_buttons, default_target
from toolkit.excel_buttons.package import WORKBOOK_PART, sheet_names
from toolkit.excel_buttons.vba import PROJECT_PART, SOURCE_ONLY_PROJECT_STREAM
from toolkit.macros import BUTTONS

SUB = re.compile(r"^Sub (\w+)\(\)\r?\n(.*?)\r?\nEnd Sub\r?$", re.M | re.S)
RUN_PYTHON = re.compile(r'^    RunPython "import ([\w.]+) as m; m\.(\w+)\(\)"$')
CODE_NAME = re.compile(r'codeName="(\w+)"')


@pytest.fixture(params=["demo_zh.xlsx", "demo_en.xlsx", "rich"])
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "rich":
        return rich_workbook(tmp_path / "rich.xlsx")
    return Path(shutil.copy(WORKBOOKS / request.param, tmp_path / request.param))


def test_every_button_runs_one_runpython_line_of_a_real_function(source: Path) -> None:
    made = add_buttons(source)
    assert made.path == default_target(source)
    modules = vba_modules(made.path)
    subs = dict(SUB.findall(modules["custkit"]))
    for button in BUTTONS:
        body = subs[button.sub]
        match = RUN_PYTHON.match(body)
        assert match is not None and "\n" not in body, body
        function = getattr(importlib.import_module(match[1]), match[2])
        assert match[2] == button.function
        assert callable(function) and not inspect.signature(function).parameters


def test_project_holds_a_document_module_per_sheet_and_the_xlwings_modules(source: Path) -> None:
    made = add_buttons(source, source.with_name("out.xlsm"))
    modules = vba_modules(made.path)
    parts = entries(made.path)
    book_code = CODE_NAME.search(parts[WORKBOOK_PART].decode())
    assert book_code is not None and book_code[1] == "ThisWorkbook"
    sheet_codes = [
        CODE_NAME.search(parts[name].decode()[:2000])
        for name in sorted(parts)
        if name.startswith("xl/worksheets/sheet")
    ]
    documents = {"ThisWorkbook", *(m[1] for m in sheet_codes if m)}
    assert len(documents) == 1 + len(sheet_names(made.path))
    assert set(modules) == documents | {"custkit", "xlwings", "Dictionary"}
    assert set(made.modules) == set(modules)
    version = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', modules["xlwings"])
    assert version is not None and version[1] == metadata.version("xlwings")
    with ExcelFile(made.path) as workbook:  # PROJECT, dir and module streams agree
        assert workbook.validate() == []


def test_project_stream_asks_office_to_compile_from_source(source: Path) -> None:
    made = add_buttons(source)
    with zipfile.ZipFile(made.path) as package:
        project = olefile.OleFileIO(package.read(PROJECT_PART))
    assert project.openstream("VBA/_VBA_PROJECT").read() == SOURCE_ONLY_PROJECT_STREAM


def test_user_content_is_unchanged(source: Path) -> None:
    original = source.read_bytes()
    made = add_buttons(source)
    assert source.read_bytes() == original
    before, after = entries(source), entries(made.path)
    edited = {"[Content_Types].xml", WORKBOOK_PART, "xl/_rels/workbook.xml.rels"}
    for name in set(before) - edited:
        if name.startswith("xl/worksheets/sheet"):
            assert without_code_names(after[name], before[name]) == before[name], name
        else:
            assert after[name] == before[name], name
    values = {s.name: s for s in read_values(made.path).sheets}
    for sheet in read_values(source).sheets:
        assert values[sheet.name] == sheet


def test_a_build_is_reproducible(tmp_path: Path) -> None:
    first = add_buttons(WORKBOOKS / "demo_en.xlsx", tmp_path / "a.xlsm").path
    second = add_buttons(WORKBOOKS / "demo_en.xlsx", tmp_path / "b.xlsm").path
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(
    ("name", "target", "error", "expected"),
    [
        ("in.xlsx", "out.xlsx", UnsupportedFormatError, "must be saved as .xlsm"),
        ("in.xlsx", "in.xlsx", UnsupportedFormatError, "must be saved as .xlsm"),
        ("missing.xlsx", "out.xlsm", WorkbookError, "file not found"),
        ("in.csv", "out.xlsm", UnsupportedFormatError, "CSV"),
        ("in.xlsx", "no/such/folder/out.xlsm", UnsupportedFormatError, "does not exist"),
    ],
)
def test_refusals_leave_nothing_behind(
    tmp_path: Path, name: str, target: str, error: type[Exception], expected: str
) -> None:
    shutil.copy(WORKBOOKS / "demo_en.xlsx", tmp_path / "in.xlsx")
    (tmp_path / "in.csv").write_text("name,phone\nLi,138\n", encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    with pytest.raises(error, match=expected):
        add_buttons(tmp_path / name, tmp_path / target)
    assert sorted(tmp_path.iterdir()) == before


def test_an_open_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out.xlsm").write_bytes(b"old")
    (tmp_path / "~$out.xlsm").write_bytes(b"lock")
    with pytest.raises(WorkbookError, match="open in Excel"):
        add_buttons(WORKBOOKS / "demo_en.xlsx", tmp_path / "out.xlsm")
    assert (tmp_path / "out.xlsm").read_bytes() == b"old"


EXCEL_MADE = WORKBOOKS.parents[1] / "shared" / "data" / "excel-made"
MADE = sorted(p.name for p in EXCEL_MADE.glob("*.xls[xm]")) if EXCEL_MADE.is_dir() else []


@pytest.mark.parametrize("name", MADE)
def test_workbooks_saved_by_excel_keep_every_part(
    name: str, shared_data: Path, tmp_path: Path
) -> None:
    source = Path(shutil.copy(shared_data / "excel-made" / name, tmp_path / name))
    if name.endswith(".xlsm"):
        with pytest.raises(UnsupportedFormatError, match="already has a VBA project"):
            add_buttons(source, tmp_path / "out.xlsm")
        return
    made = add_buttons(source, tmp_path / "out.xlsm")
    before, after = entries(source), entries(made.path)
    edited = {"[Content_Types].xml", WORKBOOK_PART, "xl/_rels/workbook.xml.rels"}
    for part in set(before) - edited:
        assert without_code_names(after[part], before[part]) == before[part], part
    assert "custkit" in vba_modules(made.path)
