"""Our state inside the workbook: a very hidden worksheet named "_custkit" of key/value rows.

It says which sheets are ours (`sheet:validation` -> "Validation", with `sheetid:validation`
so a user sheet that later takes the name is never mistaken for ours) and which cell formats
we appended and what they derive from (`xf:57` -> "orig=12;fill=error"). It is the workbook's
last sheet, never visible in the tabs (veryHidden cannot be unhidden from Excel's menu).
Values are read whether we wrote them (inline strings) or Excel re-saved them (shared strings).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from lxml import etree

from toolkit.backends.ooxml.opc import PARSER, parse_xml
from toolkit.backends.ooxml.styles import MAIN_NS, XfRecipe
from toolkit.backends.ooxml.values import cell_bytes, cell_ref, encode

STATE_SHEET = "_custkit"
_M = f"{{{MAIN_NS}}}"
_TITLE = ("custkit", "State of custkit runs on this workbook. Do not edit.")


@dataclass
class State:
    """The key/value rows of the state sheet."""

    values: dict[str, str] = field(default_factory=dict)

    def own_sheet(self, key: str) -> tuple[str, int] | None:
        """(name, sheetId) of our sheet for `key`, as last written."""
        name, sheet_id = self.values.get(f"sheet:{key}"), self.values.get(f"sheetid:{key}")
        if name is None or sheet_id is None or not sheet_id.isdigit():
            return None
        return name, int(sheet_id)

    def set_own_sheet(self, key: str, name: str, sheet_id: int) -> None:
        self.values[f"sheet:{key}"] = name
        self.values[f"sheetid:{key}"] = str(sheet_id)

    def recipes(self) -> dict[int, XfRecipe]:
        found: dict[int, XfRecipe] = {}
        for key, text in self.values.items():
            number = key.removeprefix("xf:")
            recipe = XfRecipe.parse(text) if key.startswith("xf:") and number.isdigit() else None
            if recipe is not None:
                found[int(number)] = recipe
        return found

    def set_recipes(self, recipes: Mapping[int, XfRecipe]) -> None:
        self.values = {k: v for k, v in self.values.items() if not k.startswith("xf:")}
        self.values.update({f"xf:{index}": r.key for index, r in recipes.items()})


def read_state(sheet_xml: bytes, part: str, shared_strings: bytes | None) -> State:
    """The state from the state sheet's XML."""
    root = parse_xml(sheet_xml, part)
    rows: dict[int, dict[str, str]] = {}
    wanted: dict[int, list[tuple[int, str]]] = {}
    for number, row in enumerate(root.iter(f"{_M}row"), start=1):
        number = int(row.get("r", number))
        for cell in row.iter(f"{_M}c"):
            column = (cell.get("r") or "A").rstrip("0123456789")
            if cell.get("t") == "s":
                index = cell.findtext(f"{_M}v") or ""
                if index.isdigit():
                    wanted.setdefault(int(index), []).append((number, column))
                continue
            rows.setdefault(number, {})[column] = _cell_text(cell)
    for index, text in _shared_strings(shared_strings, set(wanted)):
        for number, column in wanted[index]:
            rows.setdefault(number, {})[column] = text
    values = {
        cells["A"]: cells.get("B", "")
        for number, cells in sorted(rows.items())
        if number > 1 and cells.get("A")
    }
    return State(values)


def state_sheet_xml(state: State) -> bytes:
    """The state sheet's worksheet part."""
    rows = [_TITLE, *sorted(state.values.items())]
    body = []
    for number, (key, value) in enumerate(rows, start=1):
        cells = b"".join(
            cell_bytes(cell_ref(number, column), None, encode(text, date1904=False))
            for column, text in ((1, key), (2, value))
        )
        body.append(b'<row r="%d">%s</row>' % (number, cells))
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<worksheet xmlns="' + MAIN_NS.encode() + b'">'
        b'<dimension ref="A1:B%d"/><sheetData>'
        % len(rows)
        + b"".join(body)
        + b'</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
        b'header="0.3" footer="0.3"/></worksheet>'
    )


def _cell_text(cell: etree._Element) -> str:
    inline = cell.find(f"{_M}is")
    if inline is not None:
        return "".join(t.text or "" for t in inline.iter(f"{_M}t"))
    return cell.findtext(f"{_M}v") or ""


def _shared_strings(data: bytes | None, wanted: set[int]) -> Iterator[tuple[int, str]]:
    if not data or not wanted:
        return
    root = etree.fromstring(data, PARSER)
    for index, item in enumerate(root.iter(f"{_M}si")):
        if index in wanted:
            # Phonetic runs (rPh) are not part of the text.
            texts = [t.text or "" for t in item.iter(f"{_M}t") if t.getparent().tag != f"{_M}rPh"]
            yield index, "".join(texts)
