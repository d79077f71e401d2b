"""The modules a button workbook holds: ours, rendered, and the installed xlwings' own."""

from __future__ import annotations

from importlib import metadata

from toolkit.excel_buttons.vba import button_modules, embedded_xlwings_version, xlwings_folder
from toolkit.excel_vba import render_vba


def test_our_module_is_the_fresh_render() -> None:
    ours = button_modules()[0]
    assert (ours.name, ours.source, ours.is_class) == ("custkit", render_vba(), False)


def test_xlwings_modules_come_from_the_installed_xlwings() -> None:
    _, standalone, dictionary = button_modules()
    folder = xlwings_folder()
    assert standalone.source.encode() == (folder / "xlwings.bas").read_bytes()
    assert dictionary.source.encode() == (folder / "addin" / "Dictionary.cls").read_bytes()
    assert dictionary.is_class and not standalone.is_class
    assert embedded_xlwings_version(standalone.source) == metadata.version("xlwings")
