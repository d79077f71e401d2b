"""`add_buttons`: a macro-enabled copy of a workbook with the custkit buttons and their VBA.

The copy is written to a temporary file beside the target and renamed over it only when it
is complete, so a refusal or a failure leaves no half-written .xlsm. The source is never
changed.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from toolkit.backends.xlsx import check_not_open, check_workbook_file
from toolkit.errors import UnsupportedFormatError
from toolkit.excel_buttons.package import sheet_names, write_buttons_package
from toolkit.excel_buttons.vba import VbaModule, add_project, button_modules
from toolkit.macros import BUTTONS
from toolkit.table import Lang


@dataclass(frozen=True)
class ButtonWorkbook:
    """What `add_buttons` wrote.

    >>> ButtonWorkbook(Path("b.xlsm"), "zh", ("custkit",), 8).buttons
    8
    """

    path: Path
    lang: Lang
    modules: tuple[str, ...]  # the VBA project's modules, document modules included
    buttons: int


def default_target(source: Path) -> Path:
    """Where `custkit excel add-buttons IN` writes: beside it, as .xlsm.

    >>> default_target(Path("data/客户.xlsx"))
    PosixPath('data/客户.xlsm')
    """
    return source.with_suffix(".xlsm")


def add_buttons(
    source: Path,
    target: Path | None = None,
    *,
    lang: Lang | None = None,
    modules: tuple[VbaModule, ...] | None = None,
) -> ButtonWorkbook:
    """Write a macro-enabled copy of `source` with the buttons sheet and the VBA project.

    `lang` picks the captions (default: Chinese when a sheet name is Chinese); `modules`
    replaces the standard modules (tests put a stand-in for xlwings there). Raises a
    WorkbookError, writing nothing, for what it cannot convert.

    >>> add_buttons(Path("客户.xlsx")).path  # doctest: +SKIP
    PosixPath('客户.xlsm')
    """
    target = default_target(source) if target is None else target
    _check_paths(source, target)
    chosen: Lang = lang or _sheet_language(source)
    handle, name = tempfile.mkstemp(suffix=".xlsm", prefix=".custkit-", dir=target.parent)
    os.close(handle)
    scratch = Path(name)
    try:
        write_buttons_package(source, scratch, lang=chosen)
        names = add_project(scratch, button_modules() if modules is None else modules)
        scratch.chmod(_new_file_mode())  # mkstemp made it private; a new file is not
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
    return ButtonWorkbook(target, chosen, tuple(names), len(BUTTONS))


def _new_file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _check_paths(source: Path, target: Path) -> None:
    check_workbook_file(source)
    if target.suffix.lower() != ".xlsm":
        raise UnsupportedFormatError(
            f"{target}: a workbook with macros must be saved as .xlsm (Excel refuses macros in "
            "an .xlsx). Give a name ending in .xlsm."
        )
    if target.resolve() == source.resolve():
        raise UnsupportedFormatError(f"{target} is the source itself: name another file.")
    if not target.parent.is_dir():
        raise UnsupportedFormatError(f"Folder {target.parent} does not exist.")
    check_not_open(target)


def _sheet_language(source: Path) -> Lang:
    """Chinese captions when a sheet name is Chinese, as the buttons' messages choose."""
    titles = sheet_names(source)
    chinese = any(any("\u4e00" <= ch <= "\u9fff" for ch in title) for title in titles)
    return "zh" if chinese else "en"
