"""macros/custkit.bas is the fresh render of BUTTONS: one Sub per button, one RunPython each."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

from toolkit.excel_vba import BAS_FILE, main, render_vba
from toolkit.macros import BUTTONS

RUN_PYTHON = re.compile(r'^    RunPython "import ([\w.]+) as m; m\.(\w+)\(\)"$')


def test_the_committed_module_is_a_fresh_render() -> None:
    assert BAS_FILE.read_bytes() == render_vba().encode("ascii")


def test_main_writes_the_module(tmp_path: Path) -> None:
    target = tmp_path / "out" / "custkit.bas"
    assert main([str(target)]) == 0
    assert target.read_bytes() == render_vba().encode("ascii")


def test_each_sub_is_one_runpython_line_calling_a_real_function() -> None:
    lines = render_vba().split("\r\n")
    assert "\n" not in "".join(lines)
    subs = [i for i, line in enumerate(lines) if line.startswith("Sub ")]
    assert [lines[i][4:-2] for i in subs] == [b.sub for b in BUTTONS]
    for index, button in zip(subs, BUTTONS, strict=True):
        assert lines[index + 2] == "End Sub"
        match = RUN_PYTHON.match(lines[index + 1])
        assert match is not None, lines[index + 1]
        function = getattr(importlib.import_module(match[1]), match[2])
        assert match[2] == button.function
        assert callable(function) and not inspect.signature(function).parameters
