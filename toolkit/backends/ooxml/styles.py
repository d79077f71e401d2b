"""xl/styles.xml, append only: the cell formats our writes need, derived from existing ones.

A cell's look is an index into `cellXfs`. We never renumber or edit an existing xf (every cell
of the workbook points at them); a highlight, a date format or a bold header is a *derived*
xf: a clone of the cell's own xf with one thing changed, appended at the end and reused for
every cell with the same (original, change) pair. Which xfs are ours, and what they came from,
is kept in the workbook's state sheet as recipes ("orig=12;fill=error"); a recipe is trusted
only while the xf at its index still is what the recipe says (Excel may renumber on save).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

from toolkit.backends.ooxml.opc import parse_xml, serialize_xml
from toolkit.errors import UnsafeWriteError

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = f"{{{MAIN_NS}}}"

# Light fills of our highlight styles, and the grey of our own sheets' header row.
HIGHLIGHT_FILLS: dict[str, str] = {
    "error": "FFC7CE",
    "warning": "FFEB9C",
    "overdue": "F8CBAD",
    "duplicate": "DDEBF7",
    "review": "E4DFEC",
}
OWN_FILLS: dict[str, str] = {**HIGHLIGHT_FILLS, "header": "D9D9D9"}
DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT = 14, 22, 21
MAX_CELL_XFS = 65490  # Excel's limit on distinct cell formats
_BUILTIN_IDS = {code: number for number, code in BUILTIN_FORMATS.items()}
_STYLE_PARTS = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs")


@dataclass(frozen=True)
class XfRecipe:
    """How one of our xfs derives from another: a number format, a fill, bold.

    >>> XfRecipe(12, fill="error").key
    'orig=12;fill=error'
    >>> XfRecipe.parse("orig=3;numfmt=14")
    XfRecipe(orig=3, numfmt=14, fill=None, bold=False)
    """

    orig: int
    numfmt: int | None = None
    fill: str | None = None
    bold: bool = False

    @property
    def key(self) -> str:
        parts = [f"orig={self.orig}"]
        if self.numfmt is not None:
            parts.append(f"numfmt={self.numfmt}")
        if self.fill is not None:
            parts.append(f"fill={self.fill}")
        if self.bold:
            parts.append("bold=1")
        return ";".join(parts)

    @property
    def highlight(self) -> str | None:
        """The highlight style of a pure highlight recipe, else None."""
        plain = self.numfmt is None and not self.bold
        return self.fill if plain and self.fill in HIGHLIGHT_FILLS else None

    @staticmethod
    def parse(text: str) -> XfRecipe | None:
        try:
            fields = dict(item.split("=", 1) for item in text.split(";") if item)
            recipe = XfRecipe(
                int(fields["orig"]),
                int(fields["numfmt"]) if "numfmt" in fields else None,
                fields.get("fill"),
                fields.get("bold") == "1",
            )
        except (KeyError, ValueError):
            return None
        return recipe if recipe.fill is None or recipe.fill in OWN_FILLS else None


class StyleBook:
    """The workbook's styles, with derived xfs appended on demand."""

    def __init__(self, data: bytes | None, part: str, recipes: Mapping[int, XfRecipe]) -> None:
        self.part = part
        self.exists = data is not None
        self.root = parse_xml(data if data is not None else _MINIMAL, part)
        self.changed = False
        self._lists = {name: self._list(name) for name in _STYLE_PARTS}
        self.derived: dict[int, XfRecipe] = {}
        self._by_recipe: dict[XfRecipe, int] = {}
        self.source_xfs = self.xf_count()  # xfs a cell of the source can point at
        for index, recipe in sorted(recipes.items()):
            if self._matches(index, recipe):
                self.derived[index] = recipe
                self._by_recipe[recipe] = index

    # -- reading -------------------------------------------------------------------------------

    def xf_count(self) -> int:
        return len(self._xfs())

    def numfmt_of(self, xf: int) -> int:
        return int(self._xf(xf).get("numFmtId", "0"))

    def is_date_xf(self, xf: int) -> bool:
        number = self.numfmt_of(xf)
        code = BUILTIN_FORMATS.get(number) or self._custom_formats().get(number, "General")
        return bool(is_date_format(code))

    def peel(self, xf: int) -> tuple[int, str | None]:
        """(the xf under our highlight, the highlight style) of a cell's xf.

        >>> book = StyleBook(None, "xl/styles.xml", {})
        >>> book.peel(book.derive(XfRecipe(0, fill="error")))
        (0, 'error')
        """
        recipe = self.derived.get(xf)
        style = recipe.highlight if recipe else None
        return (recipe.orig, style) if recipe and style else (xf, None)

    def highlight_xfs(self, styles: set[str]) -> set[int]:
        """Our xfs that carry one of these highlight styles."""
        return {i for i, r in self.derived.items() if r.highlight in styles}

    def source_highlight_xfs(self, styles: set[str]) -> set[int]:
        """Those of them a cell of the source can carry (not appended by this write)."""
        return {i for i in self.highlight_xfs(styles) if i < self.source_xfs}

    # -- deriving ------------------------------------------------------------------------------

    def with_numfmt(self, xf: int, numfmt: int) -> int:
        return xf if self.numfmt_of(xf) == numfmt else self.derive(XfRecipe(xf, numfmt=numfmt))

    def with_fill(self, xf: int, fill: str) -> int:
        return self.derive(XfRecipe(xf, fill=fill))

    def derive(self, recipe: XfRecipe) -> int:
        """The index of the xf `recipe` describes, appended when it does not exist yet."""
        found = self._by_recipe.get(recipe)
        if found is not None:
            return found
        xfs = self._xfs()
        if len(xfs) >= MAX_CELL_XFS:
            raise UnsafeWriteError(
                f"The workbook already has {len(xfs)} cell formats, Excel's limit; custkit "
                "cannot add the highlight/date formats it needs. Remove unused styles in Excel "
                "(Home > Cell Styles) and run again."
            )
        xfs.append(self._build(recipe, append=True))
        xfs.set("count", str(len(xfs)))
        index = len(xfs) - 1
        self.derived[index] = recipe
        self._by_recipe[recipe] = index
        self.changed = True
        return index

    def format_id(self, code: str) -> int:
        """The numFmtId of a format code: built-in, existing custom, or appended."""
        if code in _BUILTIN_IDS:
            return int(_BUILTIN_IDS[code])
        for number, existing in self._custom_formats().items():
            if existing == code:
                return number
        formats = self._lists["numFmts"]
        if formats is None:
            formats = etree.Element(f"{_M}numFmts")
            self.root.insert(0, formats)
            self._lists["numFmts"] = formats
        number = max([163, *self._custom_formats()]) + 1
        element = etree.SubElement(formats, f"{_M}numFmt")
        element.set("numFmtId", str(number))
        element.set("formatCode", code)
        formats.set("count", str(len(formats)))
        self.changed = True
        return number

    def recipes(self) -> dict[int, XfRecipe]:
        return dict(self.derived)

    def to_bytes(self) -> bytes:
        return serialize_xml(self.root)

    # -- internals -----------------------------------------------------------------------------

    def _list(self, name: str) -> etree._Element | None:
        found = self.root.find(f"{_M}{name}")
        return found

    def _xfs(self) -> etree._Element:
        xfs = self._lists["cellXfs"]
        if xfs is None or len(xfs) == 0:
            raise UnsafeWriteError(
                f"{self.part} has no cell formats (cellXfs); open the file in Excel, save it, "
                "and run again."
            )
        return xfs

    def _xf(self, index: int) -> etree._Element:
        xfs = self._xfs()
        return xfs[index] if 0 <= index < len(xfs) else xfs[0]

    def _custom_formats(self) -> dict[int, str]:
        formats = self._lists["numFmts"]
        if formats is None:
            return {}
        return {
            int(f.get("numFmtId", "0")): f.get("formatCode", "")
            for f in formats.iter(f"{_M}numFmt")
        }

    def _build(self, recipe: XfRecipe, *, append: bool) -> etree._Element:
        xf = copy.deepcopy(self._xf(recipe.orig))
        if recipe.numfmt is not None:
            xf.set("numFmtId", str(recipe.numfmt))
            xf.set("applyNumberFormat", "1")
        if recipe.fill is not None:
            xf.set("fillId", str(self._fill_index(OWN_FILLS[recipe.fill], append=append)))
            xf.set("applyFill", "1")
        if recipe.bold:
            xf.set("fontId", str(self._bold_font(int(xf.get("fontId", "0")), append=append)))
            xf.set("applyFont", "1")
        return xf

    def _matches(self, index: int, recipe: XfRecipe) -> bool:
        """Whether the xf at `index` still is what `recipe` made (ignoring apply* flags)."""
        if not (0 <= recipe.orig < index < self.xf_count()):
            return False
        try:
            expected = self._build(recipe, append=False)
        except LookupError:
            return False
        return self._signature(expected) == self._signature(self._xf(index))

    def _signature(self, xf: etree._Element) -> tuple[object, ...]:
        fonts, fills = self._lists["fonts"], self._lists["fills"]
        return (
            xf.get("numFmtId", "0"),
            _c14n_at(fonts, xf.get("fontId", "0")),
            _c14n_at(fills, xf.get("fillId", "0")),
            xf.get("borderId", "0"),
            xf.get("xfId", "0"),
            tuple(_c14n(child) for child in xf),
        )

    def _fill_index(self, rgb: str, *, append: bool) -> int:
        fill = etree.Element(f"{_M}fill")
        pattern = etree.SubElement(fill, f"{_M}patternFill", patternType="solid")
        etree.SubElement(pattern, f"{_M}fgColor", rgb=f"FF{rgb}")
        etree.SubElement(pattern, f"{_M}bgColor", indexed="64")
        return self._find_or_append("fills", fill, append=append)

    def _bold_font(self, font_id: int, *, append: bool) -> int:
        fonts = self._lists["fonts"]
        if fonts is None or not 0 <= font_id < len(fonts):
            raise UnsafeWriteError(f"{self.part}: font {font_id} is missing.")
        font = copy.deepcopy(fonts[font_id])
        for bold in font.findall(f"{_M}b"):
            font.remove(bold)
        font.insert(0, etree.Element(f"{_M}b"))
        return self._find_or_append("fonts", font, append=append)

    def _find_or_append(self, name: str, element: etree._Element, *, append: bool) -> int:
        container = self._lists[name]
        if container is None:
            raise UnsafeWriteError(f"{self.part} has no <{name}>; save the file in Excel first.")
        wanted = _c14n(element)
        for index, existing in enumerate(container):
            if _c14n(existing) == wanted:
                return index
        if not append:
            raise LookupError(name)
        container.append(element)
        container.set("count", str(len(container)))
        self.changed = True
        return len(container) - 1


Canonical = tuple[object, ...]


def _c14n(element: etree._Element) -> Canonical:
    """An element's content, free of namespace prefixes, attribute order and whitespace."""
    children = tuple(_c14n(child) for child in element if isinstance(child.tag, str))
    return (
        element.tag,
        tuple(sorted(element.attrib.items())),
        (element.text or "").strip(),
        children,
    )


def _c14n_at(container: etree._Element | None, index: str) -> Canonical | None:
    if container is None or not index.isdigit() or int(index) >= len(container):
        return None
    return _c14n(container[int(index)])


_MINIMAL = (
    f'<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '<family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/>'
    '</fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1">'
    "<border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
).encode()
