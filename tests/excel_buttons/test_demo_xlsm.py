"""workbooks/demo_*.xlsm are what scripts/make_demo_xlsm.py builds, byte for byte."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.excel_buttons.kit import WORKBOOKS

SCRIPT = WORKBOOKS.parent / "scripts" / "make_demo_xlsm.py"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("make_demo_xlsm", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path_factory.mktemp("demo-xlsm")
    assert script.main(["--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("name", ["demo_zh.xlsm", "demo_en.xlsm"])
def test_shipped_button_workbook_equals_a_fresh_build(fresh: Path, name: str) -> None:
    hint = "workbooks/*.xlsm are built: run `python scripts/make_demo_xlsm.py`"
    assert (WORKBOOKS / name).read_bytes() == (fresh / name).read_bytes(), hint
