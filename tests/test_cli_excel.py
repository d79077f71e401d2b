"""`custkit excel add-buttons` through the real entry point."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.excel_buttons.kit import WORKBOOKS, vba_modules
from toolkit.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "written", "expected"),
    [
        ([], "demo_zh.xlsm", "已写入"),
        (["out.xlsm", "--lang", "en"], "out.xlsm", "Wrote"),
    ],
)
def test_add_buttons_writes_the_button_workbook(
    tmp_path: Path, args: list[str], written: str, expected: str
) -> None:
    source = Path(shutil.copy(WORKBOOKS / "demo_zh.xlsx", tmp_path / "demo_zh.xlsx"))
    paths = [str(tmp_path / a) if a.endswith(".xlsm") else a for a in args]
    result = runner.invoke(app, ["excel", "add-buttons", str(source), *paths])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(expected)
    assert {"custkit", "xlwings"} <= set(vba_modules(tmp_path / written))


def test_a_refusal_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["excel", "add-buttons", str(WORKBOOKS / "demo_en.xlsx"), str(tmp_path / "o.xlsx")]
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "must be saved as .xlsm" in result.output
    assert "Traceback" not in result.output


def test_commands_have_help() -> None:
    for args in (["excel", "--help"], ["excel", "add-buttons", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "buttons" in result.output
