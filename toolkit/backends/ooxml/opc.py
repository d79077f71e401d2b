"""The packaging layer of an OOXML file: part names, relationships and content types.

A package is a zip of parts. Parts point at each other through `.rels` parts (relationship
id, type, target relative to the source part's folder), and `[Content_Types].xml` gives every
part its content type, by extension (`Default`) or by name (`Override`). These classes edit
both with lxml and keep every element they do not change as it was.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from toolkit.errors import UnsafeWriteError

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_WORKSHEET = f"{OFFICE_REL}/worksheet"
REL_STYLES = f"{OFFICE_REL}/styles"
REL_SHARED_STRINGS = f"{OFFICE_REL}/sharedStrings"
REL_CALC_CHAIN = f"{OFFICE_REL}/calcChain"
REL_DRAWING = f"{OFFICE_REL}/drawing"
REL_CHART = f"{OFFICE_REL}/chart"
REL_TABLE = f"{OFFICE_REL}/table"
REL_OFFICE_DOCUMENT = f"{OFFICE_REL}/officeDocument"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"

# lxml must never fetch anything, load or expand a DTD's entities from a customer's file, and
# keeps libxml2's limits on text nodes and depth (no cell or part Excel writes comes near them).
# Files pass toolkit.backends.xlsx_guard first, which refuses any DOCTYPE; this is the second lock.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parse one part; a damaged part, or one with a DTD, is refused with its name."""
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as error:
        raise UnsafeWriteError(
            f"Part {part} of the workbook is not well-formed XML ({error}). Open the file in "
            "Excel, save it, and run again."
        ) from error
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnsafeWriteError(
            f"Part {part} of the workbook declares XML entities (a DOCTYPE), which Excel never "
            "writes. Open the file in Excel, save it, and run again."
        )
    return root


def serialize_xml(root: etree._Element) -> bytes:
    """A part's bytes, with the declaration Excel writes."""
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + body


def rels_part(part: str) -> str:
    """The relationships part of a part.

    >>> rels_part("xl/worksheets/sheet1.xml")
    'xl/worksheets/_rels/sheet1.xml.rels'
    """
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve_target(source_part: str, target: str) -> str:
    """The part name a relationship target points at, seen from `source_part`.

    >>> resolve_target("xl/workbook.xml", "worksheets/sheet1.xml")
    'xl/worksheets/sheet1.xml'
    >>> resolve_target("xl/worksheets/sheet1.xml", "/xl/drawings/drawing1.xml")
    'xl/drawings/drawing1.xml'
    """
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    folder = posixpath.dirname(source_part)
    return posixpath.normpath(posixpath.join(folder, target))


def relative_target(source_part: str, part: str) -> str:
    """The relative target to write in `source_part`'s rels for `part`.

    >>> relative_target("xl/worksheets/sheet2.xml", "xl/drawings/drawing3.xml")
    '../drawings/drawing3.xml'
    """
    return posixpath.relpath(part, posixpath.dirname(source_part) or ".")


@dataclass(frozen=True)
class Relationship:
    rid: str
    type: str
    target: str
    external: bool


class Relationships:
    """One `.rels` part, edited in place."""

    def __init__(self, part: str, data: bytes | None) -> None:
        self.part = part  # the .rels part name
        self.source = _source_of(part)
        if data is None:
            self.root = etree.Element(f"{{{RELS_NS}}}Relationships", nsmap={None: RELS_NS})
        else:
            self.root = parse_xml(data, part)
        self.changed = data is None

    def __iter__(self) -> Iterator[Relationship]:
        for element in self.root.iter(f"{{{RELS_NS}}}Relationship"):
            yield Relationship(
                element.get("Id", ""),
                element.get("Type", ""),
                element.get("Target", ""),
                element.get("TargetMode") == "External",
            )

    def get(self, rid: str) -> Relationship | None:
        return next((r for r in self if r.rid == rid), None)

    def of_type(self, rel_type: str) -> list[Relationship]:
        return [r for r in self if r.type == rel_type]

    def target_part(self, rel: Relationship) -> str:
        return resolve_target(self.source, rel.target)

    def add(self, rel_type: str, part: str) -> str:
        """Add a relationship to `part`; returns its new, unused id."""
        used = {r.rid for r in self}
        number = 1 + max((int(m.group(1)) for i in used if (m := _RID.fullmatch(i))), default=0)
        while f"rId{number}" in used:
            number += 1
        rid = f"rId{number}"
        element = etree.SubElement(self.root, f"{{{RELS_NS}}}Relationship")
        element.set("Id", rid)
        element.set("Type", rel_type)
        element.set("Target", relative_target(self.source, part))
        self.changed = True
        return rid

    def remove(self, rid: str) -> None:
        for element in list(self.root.iter(f"{{{RELS_NS}}}Relationship")):
            if element.get("Id") == rid:
                self.root.remove(element)
                self.changed = True

    def to_bytes(self) -> bytes:
        return serialize_xml(self.root)


_RID = re.compile(r"rId(\d+)")


def _source_of(rels: str) -> str:
    folder, name = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), name.removesuffix(".rels"))


class ContentTypes:
    """`[Content_Types].xml`, edited in place."""

    PART = "[Content_Types].xml"

    def __init__(self, data: bytes) -> None:
        self.root = parse_xml(data, self.PART)
        self.changed = False

    def set_override(self, part: str, content_type: str) -> None:
        self.remove_override(part)
        element = etree.SubElement(self.root, f"{{{TYPES_NS}}}Override")
        element.set("PartName", "/" + part)
        element.set("ContentType", content_type)
        self.changed = True

    def remove_override(self, part: str) -> None:
        name = "/" + part
        for element in list(self.root.iter(f"{{{TYPES_NS}}}Override")):
            if element.get("PartName", "").casefold() == name.casefold():
                self.root.remove(element)
                self.changed = True

    def to_bytes(self) -> bytes:
        return serialize_xml(self.root)
