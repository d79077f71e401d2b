"""The macro-enabled package: the buttons sheet first, three parts edited, the rest copied."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.excel_buttons.kit import WORKBOOKS, entries, rich_workbook
from toolkit.errors import UnsupportedFormatError
from toolkit.excel_buttons.package import (
    CT_MACRO_WORKBOOK,
    WORKBOOK_PART,
    sheet_names,
    write_buttons_package,
)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
IDMAP = "{urn:schemas-microsoft-com:office:office}idmap"
EDITED = {"[Content_Types].xml", WORKBOOK_PART, "xl/_rels/workbook.xml.rels"}


@pytest.fixture(params=["rich", "demo_zh.xlsx"])
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "rich":
        return rich_workbook(tmp_path / "rich.xlsx")
    return Path(shutil.copy(WORKBOOKS / request.param, tmp_path / request.param))


def test_every_part_but_three_is_copied_as_stored(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsm"
    made = write_buttons_package(source, target, lang="zh")
    before, after = entries(source), entries(target)
    assert set(after) - set(before) == {
        made.sheet_part,
        made.vml_part,
        made.sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels",
    }
    for name in set(before) - EDITED:
        assert after[name] == before[name], name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target) as new:
        for info in old.infolist():
            if info.filename not in EDITED:  # raw copies: same compressed size and CRC
                copied = new.getinfo(info.filename)
                assert (copied.CRC, copied.compress_size) == (info.CRC, info.compress_size)


def test_buttons_sheet_goes_first_and_the_active_sheet_stays_active(tmp_path: Path) -> None:
    source = rich_workbook(tmp_path / "rich.xlsx")
    write_buttons_package(source, tmp_path / "out.xlsm", lang="zh")
    assert sheet_names(tmp_path / "out.xlsm") == ["custkit", *sheet_names(source)]
    root = etree.fromstring(entries(tmp_path / "out.xlsm")[WORKBOOK_PART])
    view = root.find(f"{MAIN}bookViews/{MAIN}workbookView")
    assert view is not None and view.get("activeTab") == "2"  # 报表, active in the source
    assert view.get("firstSheet") in (None, "0")  # the buttons tab is in view
    names = {n.get("name"): n.get("localSheetId") for n in root.iter(f"{MAIN}definedName")}
    assert names["_xlnm.Print_Area"] == "2"  # 报表's print area follows its sheet
    assert names["客户范围"] is None


def test_content_types_make_the_workbook_macro_enabled(tmp_path: Path) -> None:
    made = write_buttons_package(WORKBOOKS / "demo_en.xlsx", tmp_path / "out.xlsm", lang="en")
    types = entries(tmp_path / "out.xlsm")["[Content_Types].xml"].decode()
    assert f'PartName="/{WORKBOOK_PART}" ContentType="{CT_MACRO_WORKBOOK}"' in types
    assert f'PartName="/{made.vml_part}"' in types and f'PartName="/{made.sheet_part}"' in types


def test_shape_ids_do_not_collide_with_a_comment_drawing(tmp_path: Path) -> None:
    source = rich_workbook(tmp_path / "rich.xlsx")
    made = write_buttons_package(source, tmp_path / "out.xlsm", lang="zh")
    parts = entries(tmp_path / "out.xlsm")
    idmaps = [
        element.get("data")
        for name, data in parts.items()
        if name.endswith(".vml")
        for element in etree.fromstring(data).iter(IDMAP)
    ]
    assert sorted(idmaps) == ["1", str(made.shape_block)]
    assert made.shape_block == 2


def _with_part(source: Path, target: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr(name, data)
    return target


@pytest.mark.parametrize(
    ("part", "expected"),
    [("xl/vbaProject.bin", "already has a VBA project"), (None, "already has a sheet named")],
)
def test_refusals_write_nothing(tmp_path: Path, part: str | None, expected: str) -> None:
    if part is None:
        import openpyxl

        book = openpyxl.Workbook()
        book.create_sheet("Custkit")
        book.save(tmp_path / "in.xlsx")
        source = tmp_path / "in.xlsx"
    else:
        source = _with_part(WORKBOOKS / "demo_en.xlsx", tmp_path / "in.xlsx", part, b"x")
    with pytest.raises(UnsupportedFormatError, match=expected):
        write_buttons_package(source, tmp_path / "out.xlsm", lang="en")
    assert not (tmp_path / "out.xlsm").exists()


@pytest.mark.parametrize("missing", ["_rels/.rels", "xl/_rels/workbook.xml.rels"])
def test_a_package_without_a_needed_part_is_refused(tmp_path: Path, missing: str) -> None:
    source = tmp_path / "in.xlsx"
    with zipfile.ZipFile(WORKBOOKS / "demo_en.xlsx") as old, zipfile.ZipFile(source, "w") as new:
        for info in old.infolist():
            if info.filename != missing:
                new.writestr(info, old.read(info))
    with pytest.raises(UnsupportedFormatError, match=f"has no part {missing}"):
        write_buttons_package(source, tmp_path / "out.xlsm", lang="en")
    assert not (tmp_path / "out.xlsm").exists()
