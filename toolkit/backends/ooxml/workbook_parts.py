"""xl/workbook.xml and its relationships: the sheet list, defined names, the date system.

Only the `<sheets>` list and the hidden `_xlnm._FilterDatabase` names of our own sheets are
ever changed; every other element (views, calculation settings, user defined names,
extensions) is kept as parsed. Sheets are added just before our state sheet, so no user
sheet moves and no user name's `localSheetId` changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from toolkit.backends.ooxml.opc import (
    OFFICE_REL,
    REL_WORKSHEET,
    Relationships,
    parse_xml,
    serialize_xml,
)
from toolkit.backends.ooxml.styles import MAIN_NS
from toolkit.errors import UnsafeWriteError

_M = f"{{{MAIN_NS}}}"
_RID = f"{{{OFFICE_REL}}}id"
_FILTER_NAME = "_xlnm._FilterDatabase"
_BAD_NAME_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
MAX_SHEET_NAME = 31
# Excel reserves this name for its change-tracking sheet.
_RESERVED = {"history"}


@dataclass
class SheetEntry:
    """One `<sheet>` of the workbook and the part it points at."""

    element: etree._Element
    part: str | None  # None when the relationship is missing or external
    kind: str  # "worksheet", "chartsheet", "dialogsheet", "macrosheet", or ""

    @property
    def name(self) -> str:
        return str(self.element.get("name", ""))

    @property
    def sheet_id(self) -> int:
        return int(self.element.get("sheetId", "0"))

    @property
    def state(self) -> str:
        return str(self.element.get("state", "visible"))


class WorkbookDoc:
    """The workbook part, edited in place."""

    def __init__(self, part: str, data: bytes, rels: Relationships) -> None:
        self.part = part
        self.root = parse_xml(data, part)
        if self.root.tag != f"{_M}workbook":
            raise UnsafeWriteError(
                f"{part} is not a transitional SpreadsheetML workbook ({self.root.tag}); "
                "Strict Open XML files are not supported. Save it in Excel as "
                "'Excel Workbook (*.xlsx)' and run again."
            )
        self.rels = rels
        self.changed = False
        sheets = self.root.find(f"{_M}sheets")
        if sheets is None:
            raise UnsafeWriteError(f"{part} lists no sheets; the workbook is damaged.")
        self._sheets = sheets

    @property
    def date1904(self) -> bool:
        properties = self.root.find(f"{_M}workbookPr")
        value = properties.get("date1904", "0") if properties is not None else "0"
        return value.lower() in ("1", "true")

    def sheets(self) -> list[SheetEntry]:
        entries = []
        for element in self._sheets.iter(f"{_M}sheet"):
            relationship = self.rels.get(element.get(_RID, ""))
            if relationship is None or relationship.external:
                entries.append(SheetEntry(element, None, ""))
                continue
            kind = relationship.type.rsplit("/", 1)[-1]
            entries.append(SheetEntry(element, self.rels.target_part(relationship), kind))
        return entries

    def find(self, name: str) -> SheetEntry | None:
        return next((s for s in self.sheets() if s.name == name), None)

    def index_of(self, entry: SheetEntry) -> int:
        return next(i for i, s in enumerate(self.sheets()) if s.element is entry.element)

    def add_sheet(self, name: str, part: str, *, before: SheetEntry | None) -> SheetEntry:
        """A new worksheet entry (fresh sheetId and rId), before `before` or at the end."""
        rid = self.rels.add(REL_WORKSHEET, part)
        element = etree.Element(f"{_M}sheet")
        element.set("name", name)
        element.set("sheetId", str(1 + max((s.sheet_id for s in self.sheets()), default=0)))
        element.set(_RID, rid)
        if before is None:
            self._sheets.append(element)
        else:
            index = self.index_of(before)
            before.element.addprevious(element)
            self._shift_sheet_indexes(index)
        self.changed = True
        return SheetEntry(element, part, "worksheet")

    def rename(self, entry: SheetEntry, name: str) -> None:
        if entry.name != name:
            entry.element.set("name", name)
            self.changed = True

    def set_state(self, entry: SheetEntry, state: str) -> None:
        if entry.element.get("state") != state:
            entry.element.set("state", state)
            self.changed = True

    def set_filter_range(self, entry: SheetEntry, reference: str | None) -> None:
        """The hidden `_xlnm._FilterDatabase` name of a sheet with an autoFilter."""
        index = str(self.index_of(entry))
        names = self.root.find(f"{_M}definedNames")
        if names is not None:
            for element in list(names):
                if element.get("name") == _FILTER_NAME and element.get("localSheetId") == index:
                    names.remove(element)
                    self.changed = True
        if reference is None:
            if names is not None and len(names) == 0:
                self.root.remove(names)
            return
        if names is None:
            names = etree.Element(f"{_M}definedNames")
            _after_sheets(self.root).addnext(names)
        element = etree.SubElement(names, f"{_M}definedName")
        element.set("name", _FILTER_NAME)
        element.set("localSheetId", index)
        element.set("hidden", "1")
        element.text = reference
        self.changed = True

    def unique_name(self, title: str, *, allowed: SheetEntry | None = None) -> str:
        """`title` made a legal sheet name that no other sheet has ("Title (2)" if taken)."""
        base = sanitize_sheet_name(title)
        taken = {
            s.name.casefold()
            for s in self.sheets()
            if allowed is None or s.element is not allowed.element
        }
        taken |= _RESERVED
        name, number = base, 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
            number += 1
        return name

    def to_bytes(self) -> bytes:
        return serialize_xml(self.root)

    def _shift_sheet_indexes(self, index: int) -> None:
        """Sheet-index references at or after `index` move one place right."""
        names = self.root.find(f"{_M}definedNames")
        for element in names if names is not None else ():
            local = element.get("localSheetId")
            if local is not None and local.isdigit() and int(local) >= index:
                element.set("localSheetId", str(int(local) + 1))
        for view in self.root.iter(f"{_M}workbookView"):
            for attribute in ("activeTab", "firstSheet"):
                value = view.get(attribute)
                if value is not None and value.isdigit() and int(value) >= index:
                    view.set(attribute, str(int(value) + 1))


def _after_sheets(root: etree._Element) -> etree._Element:
    """The element a new `<definedNames>` goes after (schema order)."""
    anchor = root.find(f"{_M}sheets")
    for tag in ("functionGroups", "externalReferences"):
        found = root.find(f"{_M}{tag}")
        if found is not None:
            anchor = found
    assert anchor is not None
    return anchor


def sanitize_sheet_name(title: str) -> str:
    """A legal sheet name: no []:*?/\\, not blank, no edge apostrophes, at most 31 chars.

    >>> sanitize_sheet_name("Q1/Q2: [draft]?")
    'Q1_Q2_ _draft__'
    """
    name = _BAD_NAME_CHARS.sub("_", title).strip().strip("'")
    name = name[:MAX_SHEET_NAME].rstrip().strip("'")
    return name or "Sheet"


def quote_sheet(name: str) -> str:
    """A sheet name as formulas write it.

    >>> quote_sheet("Run Log")
    "'Run Log'"
    """
    return "'" + name.replace("'", "''") + "'"
