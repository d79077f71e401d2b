"""The VBA project of a button workbook: our module and the installed xlwings' standalone VBA.

The project is built by pyOpenVBA (`ExcelFile.add_vba_project`), which starts from a
vbaProject.bin Excel itself wrote, adds the document modules Excel would add (ThisWorkbook and
one per sheet, named by the sheets' codeName, which it writes into xl/workbook.xml and the
sheet parts when they have none), writes each module's source compressed as [MS-OVBA] says,
and empties the compiled-code cache. We then write the `VBA/_VBA_PROJECT` stream as
[MS-OVBA] 2.3.4.1 tells a writer to (version 0xFFFF, no performance cache: `CC 61 FF FF 00 00
00`), as LibreOffice's VBA export does, so that Office ignores any compiled code and compiles
every module from its source on first open.

The modules:
- `custkit`: macros/custkit.bas as toolkit.excel_vba renders it (one Sub per button);
- `xlwings`: the installed xlwings package's `xlwings.bas`, the module `xlwings quickstart
  --standalone` embeds, so that no xlwings add-in is needed (its version is the installed
  xlwings version, which the Python side checks against);
- `Dictionary`: the class xlwings.bas uses on a Mac (`xlwings/addin/Dictionary.cls`).
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path

from toolkit.backends.ooxml.package import PackageWriter
from toolkit.errors import UnsupportedFormatError
from toolkit.excel_vba import render_vba

PROJECT_PART = "xl/vbaProject.bin"
SOURCE_ONLY_PROJECT_STREAM = b"\xcc\x61\xff\xff\x00\x00\x00"  # [MS-OVBA] 2.3.4.1 on write
_VERSION_LINE = re.compile(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', re.M)


@dataclass(frozen=True)
class VbaModule:
    """One module to add: its name, its source as exported (.bas/.cls), and its kind."""

    name: str
    source: str
    is_class: bool = False


def xlwings_folder() -> Path:
    """The installed xlwings package's folder (where xlwings.bas lives)."""
    spec = util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise UnsupportedFormatError(
            "xlwings is not installed, and the button workbook embeds its VBA module: "
            'pip install "custkit[excel]"'
        )
    return Path(spec.origin).parent


def embedded_xlwings_version(source: str) -> str | None:
    """The xlwings version a VBA module declares.

    >>> embedded_xlwings_version('Public Const XLWINGS_VERSION As String = "0.37.8"')
    '0.37.8'
    """
    match = _VERSION_LINE.search(source)
    return match.group(1) if match else None


def _read_text(path: Path) -> str:
    # xlwings ships its modules as CRLF text; keep the line ends, VBA wants CRLF.
    return path.read_bytes().decode("utf-8")


def button_modules() -> tuple[VbaModule, ...]:
    """Our module, then the standalone xlwings modules from the installed xlwings.

    >>> [m.name for m in button_modules()]
    ['custkit', 'xlwings', 'Dictionary']
    """
    folder = xlwings_folder()
    xlwings_bas = _read_text(folder / "xlwings.bas")
    installed = metadata.version("xlwings")
    if embedded_xlwings_version(xlwings_bas) != installed:
        raise UnsupportedFormatError(
            f"{folder / 'xlwings.bas'} declares xlwings "
            f"{embedded_xlwings_version(xlwings_bas)}, but xlwings {installed} is installed: "
            "reinstall xlwings."
        )
    return (
        VbaModule("custkit", render_vba()),
        VbaModule("xlwings", xlwings_bas),
        VbaModule("Dictionary", _read_text(folder / "addin" / "Dictionary.cls"), is_class=True),
    )


def add_project(path: Path, modules: tuple[VbaModule, ...]) -> list[str]:
    """Give the .xlsm at `path` (which has no VBA project) a project holding `modules`.

    Saves in place; returns the project's module names, document modules included.
    Example: `add_project(Path("tmp.xlsm"), button_modules())`.
    """
    from pyopenvba import ExcelFile, VBAModuleKind
    from pyopenvba.exceptions import PyOpenVBAError

    try:
        with ExcelFile(path) as workbook:
            project = workbook.add_vba_project()
            for module in modules:
                kind = VBAModuleKind.other if module.is_class else VBAModuleKind.standard
                project.add_module(module.name, module.source, kind=kind)
            workbook.save()
    except PyOpenVBAError as error:
        # e.g. a dialog or macro sheet, whose document module Excel's naming was not measured for
        raise UnsupportedFormatError(f"The VBA project could not be added: {error}") from error
    _compile_from_source(path)
    with ExcelFile(path) as saved:
        names: list[str] = saved.module_names()
    return names


def _compile_from_source(path: Path) -> None:
    """Rewrite the project's `_VBA_PROJECT` stream in its source-only form, in place."""
    from pyopenvba.cfb import CFB

    rewritten = path.with_name(path.name + ".vba")
    try:
        with zipfile.ZipFile(path) as source:
            writer = PackageWriter(rewritten)
            for info in source.infolist():
                if info.filename != PROJECT_PART:
                    writer.copy(source, info)
                    continue
                project = CFB.from_bytes(source.read(info))
                project.write_stream_in_storage("VBA", "_VBA_PROJECT", SOURCE_ONLY_PROJECT_STREAM)
                writer.write_bytes(info.filename, project.to_bytes(), like=info)
            writer.close()
        os.replace(rewritten, path)
    finally:
        rewritten.unlink(missing_ok=True)


def module_sources(path: Path) -> dict[str, str]:
    """Every module's source in the workbook at `path`, by module name (read back)."""
    from pyopenvba import ExcelFile

    with ExcelFile(path) as workbook:
        modules: dict[str, str] = workbook.vba_modules()
    return modules
