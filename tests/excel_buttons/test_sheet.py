"""The buttons sheet and its VML drawing: one button per BUTTONS entry, bound to its Sub."""

from __future__ import annotations

import itertools

import pytest
from lxml import etree

from toolkit.excel_buttons.sheet import caption, placement, shape_id, sheet_xml, vml_drawing
from toolkit.macros import BUTTONS
from toolkit.table import Lang

X = "{urn:schemas-microsoft-com:office:excel}"
V = "{urn:schemas-microsoft-com:vml}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.mark.parametrize(("lang", "block"), [("zh", 1), ("en", 3)])
def test_one_form_button_per_entry_bound_to_its_sub(lang: Lang, block: int) -> None:
    data = vml_drawing(lang, block)
    assert data.isascii()  # captions as character references
    root = etree.fromstring(data)
    shapes = root.findall(f"{V}shape")
    assert [s.get("id") for s in shapes] == [
        f"_x0000_s{shape_id(block, i)}" for i in range(len(BUTTONS))
    ]
    for shape, button in zip(shapes, BUTTONS, strict=True):
        client = shape.find(f"{X}ClientData")
        assert client is not None and client.get("ObjectType") == "Button"
        assert client.findtext(f"{X}FmlaMacro") == f"[0]!{button.sub}"
        textbox = shape.find(f"{V}textbox")
        assert textbox is not None and "".join(textbox.itertext()) == caption(button, lang)
    idmap = root.find(".//{urn:schemas-microsoft-com:office:office}idmap")
    assert idmap is not None and idmap.get("data") == str(block)


def test_buttons_do_not_overlap() -> None:
    boxes = [placement(i) for i in range(len(BUTTONS))]
    for upper, lower in itertools.pairwise(boxes):
        assert lower.row == upper.row + 1
        assert upper.top + upper.height < lower.top


@pytest.mark.parametrize(("lang", "status"), [("zh", "上次结果："), ("en", "Last result:")])
def test_sheet_part_holds_the_status_label_and_the_drawing(lang: Lang, status: str) -> None:
    root = etree.fromstring(sheet_xml(lang, "rId7"))
    texts = {c.get("r"): "".join(c.itertext()) for c in root.iter(f"{MAIN}c")}
    assert texts["A2"] == status
    assert "B2" not in texts  # the status cell toolkit.macros writes
    assert len([r for r in texts if r.startswith("B")]) == len(BUTTONS)
    drawing = root.find(f"{MAIN}legacyDrawing")
    assert drawing is not None
    assert (
        drawing.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        == "rId7"
    )
