"""Button workbooks in headless LibreOffice: each button, clicked, calls its entry point.

What is exercised (see tests/excel_buttons/libreoffice.py): LibreOffice's own import of the
.xlsm (form buttons, their macro binding, the VBA modules as Basic), each button's
`actionPerformed` script run through the document's script provider, the `custkit` module's
Sub, and a stand-in `RunPython` that records its argument. Not exercised: xlwings' real
RunPython (it needs Windows or macOS and Excel), and Excel's own reading of the file.
"""

from __future__ import annotations

import csv
import importlib
import inspect
import re
import subprocess
from pathlib import Path

import pytest

from tests.excel_buttons.kit import WORKBOOKS, rich_workbook
from tests.excel_buttons.libreoffice import SOFFICE, make_profile, press_every_button
from toolkit.excel_buttons import add_buttons
from toolkit.excel_buttons.package import sheet_names
from toolkit.excel_buttons.sheet import caption
from toolkit.macros import BUTTON_SHEET, BUTTONS
from toolkit.table import Lang

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="soffice is not on PATH"),
]
CALL = re.compile(r"^import ([\w.]+) as m; m\.(\w+)\(\)$")
ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_profile(tmp_path_factory.mktemp("lo-buttons"))


def built(name: str, tmp_path: Path) -> tuple[Path, Lang]:
    """The shipped demo .xlsm, or the rich workbook turned into one now."""
    if name == "rich":
        source = rich_workbook(tmp_path / "rich.xlsx")
        return add_buttons(source, tmp_path / "rich_buttons.xlsm").path, "zh"
    return WORKBOOKS / name, "zh" if "zh" in name else "en"


@pytest.mark.parametrize("name", ["demo_zh.xlsm", "demo_en.xlsm", "rich"])
def test_each_button_clicked_calls_its_entry_point(profile: str, tmp_path: Path, name: str) -> None:
    workbook, lang = built(name, tmp_path)

    pressed = press_every_button(profile, workbook, tmp_path)

    assert pressed.finished
    assert pressed.buttons == [
        (
            BUTTON_SHEET,
            caption(button, lang),
            "actionPerformed",
            f"vnd.sun.star.script:VBAProject.custkit.{button.sub}?language=Basic&location=document",
        )
        for button in BUTTONS
    ]
    assert pressed.calls == [f"import toolkit.macros as m; m.{b.function}()" for b in BUTTONS]
    for call in pressed.calls:
        match = CALL.match(call)
        assert match is not None
        function = getattr(importlib.import_module(match[1]), match[2])
        assert callable(function) and not inspect.signature(function).parameters


def test_libreoffice_shows_the_same_user_sheets(profile: str, tmp_path: Path) -> None:
    source = rich_workbook(tmp_path / "rich.xlsx")
    target = add_buttons(source, tmp_path / "rich_buttons.xlsm").path
    outdir = tmp_path / "csv"
    assert SOFFICE is not None
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to"]
    subprocess.run(
        [*command, ALL_SHEETS_CSV, "--outdir", str(outdir), str(source), str(target)],
        capture_output=True,
        timeout=120,
    )
    for sheet in sheet_names(source):
        before = _rows(outdir / f"rich-{sheet}.csv")
        assert before, sheet
        assert _rows(outdir / f"rich_buttons-{sheet}.csv") == before, sheet
    assert _rows(outdir / f"rich_buttons-{BUTTON_SHEET}.csv")[1][0] == "上次结果："


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.reader(handle))
