"""The XML side of the package check: prologs, content types, relationships, the sheet list.

Every XML part is searched for a DOCTYPE in its first bytes (a DTD may only stand before the
root element, so the head is enough, and a big sheet is never inflated whole); small parts are
also parsed whole with defusedxml, which refuses DTDs, entities and external references. The
structural parts ([Content_Types].xml, the relationships, workbook.xml) are parsed with it too.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from toolkit.backends.xlsx_zip import part_extension, part_head, read_part
from toolkit.errors import UnsupportedFormatError, WorkbookTooLargeError

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT = "http://purl.oclc.org/ooxml/"
_SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_WORKBOOK_TYPES = {
    f"{_SPREADSHEET}.sheet.main+xml",
    f"{_SPREADSHEET}.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.addin.macroEnabled.main+xml",
}
_SHEET_TYPES = {
    f"{_SPREADSHEET}.worksheet+xml": "worksheet",
    f"{_SPREADSHEET}.chartsheet+xml": "chartsheet",
    f"{_SPREADSHEET}.dialogsheet+xml": "dialogsheet",
    "application/vnd.ms-excel.macrosheet+xml": "macrosheet",
    "application/vnd.ms-excel.intlmacrosheet+xml": "macrosheet",
}
_SHARED_STRINGS = f"{_SPREADSHEET}.sharedStrings+xml"
_XML_EXTENSIONS = {"xml", "rels"}
_ROOT_START = re.compile(r"<[A-Za-z_]")
_OTHER_ZIP = (
    "Check that it is the file you meant; if Excel opens it, save it as .xlsx and run again."
)
_RESAVE = "Open it in Excel, save it as .xlsx, and run again."

Element = Any  # an xml.etree element from defusedxml (untyped)


@dataclass(frozen=True)
class SheetPart:
    """One sheet as the workbook lists it."""

    name: str
    part: str  # zip entry name, e.g. "xl/worksheets/sheet1.xml"
    kind: str  # "worksheet", "chartsheet", "dialogsheet" or "macrosheet"
    size: int  # uncompressed bytes, from the central directory


@dataclass(frozen=True)
class PackageFacts:
    """What the package check learned, for readers that want it."""

    path: Path
    workbook_part: str
    sheets: tuple[SheetPart, ...]
    shared_strings: str | None
    shared_strings_size: int
    total_bytes: int
    entries: int
    macros: bool
    shared_string_parts: tuple[str, ...] = ()  # every part a reader may take as the table


def column_letters(number: int) -> str:
    """Excel's letters for a column number.

    >>> column_letters(16_384)
    'XFD'
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "?"


def check_kind(path: Path, package: zipfile.ZipFile) -> None:
    """A zip that is some other kind of file (an .xlsb, any zip) is refused by its names."""
    names = set(package.namelist())
    if "xl/workbook.bin" in names:
        raise UnsupportedFormatError(
            f"{path} is a binary workbook (.xlsb). Save it as .xlsx (or .xlsm) and run again."
        )
    if "[Content_Types].xml" not in names:
        raise UnsupportedFormatError(
            f"{path} is a zip file but not an Excel workbook (no [Content_Types].xml). {_OTHER_ZIP}"
        )


def check_prologs(
    path: Path,
    package: zipfile.ZipFile,
    *,
    head_bytes: int,
    parsed_bytes: int,
    streamed: frozenset[str],
) -> None:
    """No XML part declares a DTD; small ones parse whole with defusedxml.

    Parts that readers stream (`streamed`: sheets, shared strings) are searched in their head
    only; every other XML part is read whole, a chunk at a time, so that one whose sizes lie
    fails here (bad CRC) and not inside a reader that inflates it in one call.
    """
    for info in package.infolist():
        if part_extension(info.filename) not in _XML_EXTENSIONS or info.is_dir():
            continue
        if info.file_size <= parsed_bytes:
            _parse(path, info.filename, read_part(package, info.filename))
            continue
        head = _decode_head(part_head(package, info.filename, head_bytes))
        if "<!DOCTYPE" in head or "<!ENTITY" in head:
            raise UnsupportedFormatError(_entities_message(path, info.filename))
        if _ROOT_START.search(head) is None:
            raise UnsupportedFormatError(
                f"{path}: part {info.filename} does not start with XML in its first "
                f"{head_bytes:,} bytes, as every part Excel writes does. {_RESAVE}"
            )
        if info.filename not in streamed:
            read_part(package, info.filename, keep=False)


def read_structure(
    path: Path, package: zipfile.ZipFile, *, max_bytes: int, total: int
) -> PackageFacts:
    """Content types, the main part, its sheets; refuses what custkit must not read."""
    names = {info.filename for info in package.infolist()}
    types = _ContentTypes(_structure(path, package, "[Content_Types].xml", max_bytes))
    if types.root.tag != f"{{{_TYPES_NS}}}Types":
        raise UnsupportedFormatError(
            f"{path}: [Content_Types].xml is not a content-types part (root {types.root.tag}). "
            f"{_RESAVE}"
        )
    main = _main_part(path, package, names, max_bytes)
    content_type = types.of(main)
    if content_type not in _WORKBOOK_TYPES:
        raise UnsupportedFormatError(
            f"{path}: part {main} has content type '{content_type}' in [Content_Types].xml, "
            f"not a workbook's: the file was renamed from another format or written by a broken "
            f"tool. {_RESAVE}"
        )
    workbook = _structure(path, package, main, max_bytes)
    if workbook.tag.startswith(f"{{{_STRICT}"):
        raise UnsupportedFormatError(_strict_message(path))
    if workbook.tag != f"{{{_MAIN_NS}}}workbook":
        raise UnsupportedFormatError(f"{path}: {main} is not a workbook part. {_RESAVE}")
    rels = _relationships(path, package, names, main, max_bytes)
    _refuse_external_links(path, names, rels)
    sheets = tuple(_sheets(path, package, workbook, rels, types))
    # Excel and calamine find the table through the relationship, openpyxl through the
    # content types: both are checked.
    by_rel = [t for kind, t in rels.values() if kind.endswith("/sharedStrings")]
    by_type = [part for part, kind in types.overrides_by_name() if kind == _SHARED_STRINGS]
    strings = tuple(dict.fromkeys(p for p in by_rel + by_type if p in names))
    return PackageFacts(
        path,
        main,
        sheets,
        strings[0] if strings else None,
        package.getinfo(strings[0]).file_size if strings else 0,
        total,
        len(names),
        "xl/vbaProject.bin" in names,
        strings,
    )


class _ContentTypes:
    def __init__(self, root: Element) -> None:
        self.root = root
        self.defaults: dict[str, str] = {
            e.get("Extension", "").lower(): e.get("ContentType", "")
            for e in root.iter(f"{{{_TYPES_NS}}}Default")
        }
        self.overrides: dict[str, str] = {
            e.get("PartName", "").lstrip("/").casefold(): e.get("ContentType", "")
            for e in root.iter(f"{{{_TYPES_NS}}}Override")
        }

    def overrides_by_name(self) -> list[tuple[str, str]]:
        """(part name as written, content type) of every Override."""
        return [
            (e.get("PartName", "").lstrip("/"), e.get("ContentType", ""))
            for e in self.root.iter(f"{{{_TYPES_NS}}}Override")
        ]

    def of(self, part: str) -> str:
        found = self.overrides.get(part.casefold())
        return found if found is not None else self.defaults.get(part_extension(part), "(none)")


def _main_part(path: Path, package: zipfile.ZipFile, names: set[str], max_bytes: int) -> str:
    if "_rels/.rels" in names:
        root = _structure(path, package, "_rels/.rels", max_bytes)
        for rel in root.iter(f"{{{_RELS_NS}}}Relationship"):
            kind = rel.get("Type", "")
            if kind.startswith(_STRICT) and kind.endswith("/officeDocument"):
                raise UnsupportedFormatError(_strict_message(path))
            if kind == f"{_OFFICE_REL}/officeDocument":
                main = _resolve("", rel.get("Target", ""))
                if main in names:
                    return main
    if "xl/workbook.xml" in names:
        return "xl/workbook.xml"
    raise UnsupportedFormatError(
        f"{path} is a zip file but not an Excel workbook (no xl/workbook.xml). {_OTHER_ZIP}"
    )


def _relationships(
    path: Path, package: zipfile.ZipFile, names: set[str], part: str, max_bytes: int
) -> dict[str, tuple[str, str]]:
    """rId -> (type, target part) of `part`'s relationships; external targets kept as given."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in names:
        return {}
    found = {}
    for rel in _structure(path, package, rels, max_bytes).iter(f"{{{_RELS_NS}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":
            target = _resolve(folder, target)
        found[rel.get("Id", "")] = (rel.get("Type", ""), target)
    return found


def _refuse_external_links(path: Path, names: set[str], rels: dict[str, tuple[str, str]]) -> None:
    parts = sorted(
        n for n in names if n.lower().startswith("xl/externallinks/") and "/_rels/" not in n
    )
    linked = [target for kind, target in rels.values() if kind.endswith("/externalLink")]
    if not parts and not linked:
        return
    shown = ", ".join((parts or linked)[:3])
    raise UnsupportedFormatError(
        f"{path} links to other workbooks ({shown}). custkit would read only the values Excel "
        "cached from them, which may be out of date, so it does not run on such a file. In "
        "Excel: Data > Edit Links (or Queries & Connections > Edit Links) > Break Link, save, "
        "and run again (or run on a copy with the links broken)."
    )


def _sheets(
    path: Path,
    package: zipfile.ZipFile,
    workbook: Element,
    rels: dict[str, tuple[str, str]],
    types: _ContentTypes,
) -> list[SheetPart]:
    found = []
    rid_attribute = f"{{{_OFFICE_REL}}}id"
    for sheet in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
        title = sheet.get("name", "")
        _kind, part = rels.get(sheet.get(rid_attribute, ""), ("", ""))
        try:
            size = package.getinfo(part).file_size
        except KeyError:
            raise UnsupportedFormatError(
                f"{path}: sheet '{title}' is listed in the workbook but its part "
                f"({part or 'no relationship'}) is missing. {_RESAVE}"
            ) from None
        content_type = types.of(part)
        if content_type not in _SHEET_TYPES:
            raise UnsupportedFormatError(
                f"{path}: sheet '{title}' ({part}) has content type '{content_type}' in "
                f"[Content_Types].xml, not a sheet's. {_RESAVE}"
            )
        found.append(SheetPart(title, part, _SHEET_TYPES[content_type], size))
    return found


def _structure(path: Path, package: zipfile.ZipFile, part: str, max_bytes: int) -> Element:
    size = package.getinfo(part).file_size
    if size > max_bytes:
        raise WorkbookTooLargeError(
            f"{path}: part {part} is {size:,} bytes, more than such a part ever needs "
            f"({max_bytes:,}). {_RESAVE}"
        )
    return _parse(path, part, read_part(package, part))


def _parse(path: Path, part: str, data: bytes) -> Element:
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise UnsupportedFormatError(_entities_message(path, part)) from error
    except ParseError as error:
        raise UnsupportedFormatError(
            f"{path}: part {part} is not well-formed XML ({error}). Open the file in Excel "
            "(let it repair the file if it offers), save it, and run again."
        ) from error


def _entities_message(path: Path, part: str) -> str:
    return (
        f"{path}: part {part} contains XML entity declarations (a DOCTYPE), which Excel never "
        "writes; they can make a reader expand text without end or read other files, so custkit "
        "does not open it. If the file is yours, open it in Excel, save it as .xlsx, and run again."
    )


def _strict_message(path: Path) -> str:
    return (
        f"{path} is saved as Strict Open XML, which custkit does not read. In Excel: File > Save "
        "As, save as Excel Workbook (.xlsx), not Strict Open XML Spreadsheet, and run again."
    )


def _decode_head(head: bytes) -> str:
    """The head of a part as text: UTF-8 unless a BOM or NUL bytes say UTF-16."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        return head.decode("utf-16", errors="ignore")
    return head.decode("utf-8", errors="ignore")


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))
