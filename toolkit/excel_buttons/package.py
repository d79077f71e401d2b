"""The user's .xlsx package turned macro-enabled, with the "custkit" buttons sheet added.

Three existing parts change: `[Content_Types].xml` (the workbook becomes
`sheet.macroEnabled.main+xml`; the new sheet and drawing get their types), `xl/workbook.xml`
(one `<sheet>` first in the list; sheet-index references shift by one, as
`WorkbookDoc.add_sheet` shifts them, except a tab bar that started at the first tab) and
`xl/_rels/workbook.xml.rels` (its relationship). Every other entry is copied as its
compressed bytes. The new sheet goes first so that the buttons are the first tab; the sheet
that was active stays active. The VBA project is added afterwards (excel_buttons/vba.py).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from toolkit.backends.ooxml.opc import (
    CT_WORKSHEET,
    REL_OFFICE_DOCUMENT,
    TYPES_NS,
    ContentTypes,
    Relationships,
    rels_part,
)
from toolkit.backends.ooxml.package import PackageWriter, SourcePackage
from toolkit.backends.ooxml.styles import MAIN_NS
from toolkit.backends.ooxml.workbook_parts import WorkbookDoc
from toolkit.errors import UnsafeWriteError, UnsupportedFormatError
from toolkit.excel_buttons.sheet import sheet_xml, vml_drawing
from toolkit.macros import BUTTON_SHEET
from toolkit.table import Lang

WORKBOOK_PART = "xl/workbook.xml"
CT_MACRO_WORKBOOK = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
REL_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
FIXED_TIME = (2025, 1, 1, 0, 0, 0)  # new zip entries: the same bytes on every build
_WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    CT_MACRO_WORKBOOK,
}
# Any prefix (openpyxl writes ns0:idmap); a regex, as Excel's VML is not always well-formed XML.
_IDMAP = re.compile(rb"<(?:[\w.-]+:)?idmap\b[^>]*?\bdata=\"([\d,\s]+)\"")


@dataclass(frozen=True)
class ButtonsSheet:
    """Where the buttons sheet went in the new package."""

    sheet_part: str
    vml_part: str
    shape_block: int  # the VML shape-id block (`o:idmap data`)


def write_buttons_package(source: Path, target: Path, *, lang: Lang) -> ButtonsSheet:
    """Write `source` to `target` as a macro-enabled package with the buttons sheet.

    Refuses (UnsupportedFormatError) a workbook that has a VBA project or a sheet named
    "custkit" already. Example: `write_buttons_package(Path("in.xlsx"), Path("tmp.xlsm"),
    lang="zh")`.
    """
    try:
        with zipfile.ZipFile(source) as zf:
            return _Conversion(SourcePackage(zf, source), lang).write(target)
    except zipfile.BadZipFile as error:
        raise UnsupportedFormatError(
            f"{source} is not an .xlsx package ({error}). Open it in Excel and save it as "
            "'Excel Workbook (*.xlsx)'."
        ) from error


class _Conversion:
    def __init__(self, package: SourcePackage, lang: Lang) -> None:
        self.package = package
        self.lang = lang
        self.types = ContentTypes(_required(package, ContentTypes.PART))
        self._check(package)
        rels_name = rels_part(WORKBOOK_PART)
        self.rels = Relationships(rels_name, _required(package, rels_name))
        self.workbook = WorkbookDoc(WORKBOOK_PART, _required(package, WORKBOOK_PART), self.rels)
        if any(s.name.casefold() == BUTTON_SHEET for s in self.workbook.sheets()):
            raise UnsupportedFormatError(
                f"{package.path} already has a sheet named '{BUTTON_SHEET}'. Rename or delete "
                "it, or use the workbook as it is."
            )

    def _check(self, package: SourcePackage) -> None:
        project = [n for n in package.names() if n.lower().endswith("vbaproject.bin")]
        if project:
            raise UnsupportedFormatError(
                f"{package.path} already has a VBA project ({project[0]}). custkit does not "
                "merge modules into an existing project: import macros/custkit.bas and the "
                "xlwings module by hand (docs/excel.md, manual route), or start from the .xlsx."
            )
        main = Relationships("_rels/.rels", _required(package, "_rels/.rels"))
        parts = [main.target_part(r) for r in main.of_type(REL_OFFICE_DOCUMENT)]
        if parts != [WORKBOOK_PART] or self._type_of(WORKBOOK_PART) not in _WORKBOOK_TYPES:
            raise UnsupportedFormatError(
                f"{package.path} is not an Excel workbook package with {WORKBOOK_PART} (found "
                f"{parts or 'no main part'}). Save it in Excel as 'Excel Workbook (*.xlsx)'."
            )

    def _type_of(self, part: str) -> str | None:
        for element in self.types.root.iter(f"{{{TYPES_NS}}}Override"):
            if element.get("PartName", "").casefold() == "/" + part.casefold():
                return str(element.get("ContentType", ""))
        return None

    def write(self, target: Path) -> ButtonsSheet:
        names = set(self.package.names())
        sheet_part = _free_name(names, "xl/worksheets/sheet{}.xml")
        vml_part = _free_name(names, "xl/drawings/vmlDrawing{}.vml")
        block = 1 + max(self._used_blocks(names), default=0)
        first = self.workbook.sheets()[0] if self.workbook.sheets() else None
        scrolled = self._first_tabs()
        self.workbook.add_sheet(BUTTON_SHEET, sheet_part, before=first)
        self._show_first_tab(scrolled)
        sheet_rels = Relationships(rels_part(sheet_part), None)
        rid = sheet_rels.add(REL_VML, vml_part)
        self.types.set_override(WORKBOOK_PART, CT_MACRO_WORKBOOK)
        self.types.set_override(sheet_part, CT_WORKSHEET)
        self.types.set_override(vml_part, CT_VML)
        changed = {
            ContentTypes.PART: self.types.to_bytes(),
            WORKBOOK_PART: self.workbook.to_bytes(),
            self.rels.part: self.rels.to_bytes(),
        }
        added = {
            sheet_part: sheet_xml(self.lang, rid),
            sheet_rels.part: sheet_rels.to_bytes(),
            vml_part: vml_drawing(self.lang, block),
        }
        self._assemble(target, changed, added)
        return ButtonsSheet(sheet_part, vml_part, block)

    def _first_tabs(self) -> list[str | None]:
        return [v.get("firstSheet") for v in self.workbook.root.iter(f"{{{MAIN_NS}}}workbookView")]

    def _show_first_tab(self, before: list[str | None]) -> None:
        """A tab bar that started at the first tab still does, so the buttons tab shows.

        (add_sheet shifts `firstSheet` with the sheets, which would scroll it out of view.)
        """
        views = self.workbook.root.iter(f"{{{MAIN_NS}}}workbookView")
        for view, first_tab in zip(views, before, strict=True):
            if first_tab in (None, "0"):
                view.attrib.pop("firstSheet", None)
                if first_tab is not None:
                    view.set("firstSheet", first_tab)

    def _used_blocks(self, names: set[str]) -> list[int]:
        """Shape-id blocks the workbook's VML drawings (comments, controls) already use."""
        blocks: list[int] = []
        for name in names:
            if name.lower().endswith(".vml"):
                for match in _IDMAP.finditer(self.package.read(name)):
                    blocks += [int(n) for n in re.split(rb"[,\s]+", match.group(1).strip()) if n]
        return blocks

    def _assemble(self, target: Path, changed: dict[str, bytes], added: dict[str, bytes]) -> None:
        writer = PackageWriter(target)
        try:
            for info in self.package.infos:
                if info.filename in changed:
                    writer.write_bytes(info.filename, changed[info.filename], like=info)
                else:
                    writer.copy(self.package.zf, info)
            for name, data in added.items():
                like = zipfile.ZipInfo(name, FIXED_TIME)
                like.external_attr = 0o600 << 16
                writer.write_bytes(name, data, like=like)
        except (OSError, UnsafeWriteError):
            writer.close()
            target.unlink(missing_ok=True)
            raise
        writer.close()


def sheet_names(source: Path) -> list[str]:
    """The workbook's sheet names, in order, from xl/workbook.xml alone (no cell is read)."""
    with zipfile.ZipFile(source) as zf:
        package = SourcePackage(zf, source)
        rels_name = rels_part(WORKBOOK_PART)
        rels = Relationships(rels_name, package.read_optional(rels_name))
        workbook = WorkbookDoc(WORKBOOK_PART, _required(package, WORKBOOK_PART), rels)
        return [entry.name for entry in workbook.sheets()]


def _required(package: SourcePackage, name: str) -> bytes:
    data = package.read_optional(name)
    if data is None:
        raise UnsupportedFormatError(
            f"{package.path} has no part {name}: it is not a complete Excel workbook. Open it "
            "in Excel, save it as 'Excel Workbook (*.xlsx)', and run again."
        )
    return data


def _free_name(names: set[str], pattern: str) -> str:
    """The first `pattern` part name (numbered from 1) the package does not have.

    >>> _free_name({"xl/worksheets/sheet1.xml"}, "xl/worksheets/sheet{}.xml")
    'xl/worksheets/sheet2.xml'
    """
    folded = {n.casefold() for n in names}
    number = 1
    while pattern.format(number).casefold() in folded:
        number += 1
    return pattern.format(number)
