"""The "custkit" sheet of buttons: its worksheet part and its VML drawing of form buttons.

The buttons are Excel form-control buttons as Excel 2007 and XlsxWriter's `insert_button`
write them: a VML shape with `x:ClientData ObjectType="Button"` whose `x:FmlaMacro` names the
VBA Sub (`[0]!CustkitValidate`, the workbook's own macro), related from the sheet through
`<legacyDrawing>`. Excel opens that form without the newer `<controls>`/ctrlProps parts (it
adds them on its next save), and LibreOffice imports it as a push button whose action runs
the macro. Cells hold inline strings and the default style, so the user's shared strings and
styles parts are not touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from toolkit.backends.ooxml.styles import MAIN_NS
from toolkit.i18n import Text, say
from toolkit.macros import BUTTONS, STATUS_CELL, Button
from toolkit.table import Lang

COLUMN_A_WIDTH = 24.0  # characters: 173 pixels in the default Calibri 11
_COLUMN_A_PIXELS = 173
ROW_POINTS = 24.0  # a button row: 32 pixels
_ROW_PIXELS = 32
_DEFAULT_ROW_PIXELS = 20
FIRST_BUTTON_ROW = 4  # 1-based; rows 1-3 hold the title and the status cell
_INSET = 3  # pixels between a button and its cell's edges
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_TITLE = Text("custkit: press a button to run it on this workbook", "custkit：按按钮处理本工作簿")
_STATUS = Text("Last result:", "上次结果：")
_RUNS = Text("runs: {steps}", "运行：{steps}")
_EVERY_STEP = Text("every step", "全部步骤")
_UNDO = Text("undoes the last button run", "撤销上次按钮运行")


@dataclass(frozen=True)
class Placement:
    """Where one button sits: its 0-based row, and its box in points from the sheet's corner."""

    row: int  # 0-based sheet row
    left: float
    top: float
    width: float
    height: float


def placement(index: int) -> Placement:
    """The box of the `index`-th button (0-based): column A of its own row.

    >>> placement(0)
    Placement(row=3, left=2.25, top=47.25, width=125.25, height=19.5)
    """
    row = FIRST_BUTTON_ROW - 1 + index
    top = (FIRST_BUTTON_ROW - 1) * _DEFAULT_ROW_PIXELS + index * _ROW_PIXELS + _INSET
    return Placement(
        row,
        _INSET * 0.75,
        top * 0.75,
        (_COLUMN_A_PIXELS - 2 * _INSET) * 0.75,
        (_ROW_PIXELS - 2 * _INSET) * 0.75,
    )


def caption(button: Button, lang: Lang) -> str:
    """The text on a button.

    >>> caption(BUTTONS[0], "zh"), caption(BUTTONS[0], "en")
    ('数据校验', 'Validate')
    """
    return button.caption_zh if lang == "zh" else button.caption_en


def _what_it_runs(button: Button, lang: Lang) -> str:
    if button.undo:
        return say(_UNDO, lang)
    steps = button.steps or say(_EVERY_STEP, lang)
    merge = " (merge)" if button.merge and lang == "en" else "（合并）" if button.merge else ""
    return say(_RUNS, lang, steps=steps) + merge


def _text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def sheet_xml(lang: Lang, legacy_drawing_rid: str) -> bytes:
    """The worksheet part: title, status cell, one row per button with what it runs.

    >>> b'legacyDrawing r:id="rId1"' in sheet_xml("en", "rId1")
    True
    """
    status_row = int(STATUS_CELL[1:])
    rows = [
        f'<row r="1">{_text_cell("A1", say(_TITLE, lang))}</row>',
        f'<row r="{status_row}">{_text_cell(f"A{status_row}", say(_STATUS, lang))}</row>',
    ]
    for index, button in enumerate(BUTTONS):
        number = FIRST_BUTTON_ROW + index
        rows.append(
            f'<row r="{number}" ht="{ROW_POINTS:g}" customHeight="1">'
            f"{_text_cell(f'B{number}', _what_it_runs(button, lang))}</row>"
        )
    last = FIRST_BUTTON_ROW + len(BUTTONS) - 1
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{_REL_NS}">'
        f'<dimension ref="A1:B{last}"/>'
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f'<cols><col min="1" max="1" width="{COLUMN_A_WIDTH:g}" customWidth="1"/>'
        '<col min="2" max="2" width="60" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        f'<legacyDrawing r:id="{legacy_drawing_rid}"/>'
        "</worksheet>"
    ).encode()


_VML_HEAD = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel">'
    '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
    '<v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201" '
    'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    '<v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" o:connecttype="rect"/>'
    '<o:lock v:ext="edit" shapetype="t"/></v:shapetype>'
)


def vml_drawing(lang: Lang, block: int) -> bytes:
    """The VML part with one form button per entry of BUTTONS.

    `block` is the drawing's shape-id block (`o:idmap data`): shape ids are block * 1024 + n,
    and must not collide with another VML drawing's (comments use them too).

    >>> b"<x:FmlaMacro>[0]!CustkitValidate</x:FmlaMacro>" in vml_drawing("en", 1)
    True
    """
    shapes = [_vml_button(b, i, lang, block) for i, b in enumerate(BUTTONS)]
    # Captions as character references: Excel's VML reader predates UTF-8 parts.
    return (_VML_HEAD.format(block=block) + "".join(shapes) + "</xml>").encode(
        "ascii", "xmlcharrefreplace"
    )


def shape_id(block: int, index: int) -> int:
    """The numeric id of the `index`-th button's shape.

    >>> shape_id(1, 0)
    1025
    """
    return block * 1024 + 1 + index


def _vml_button(button: Button, index: int, lang: Lang, block: int) -> str:
    box = placement(index)
    style = (
        f"position:absolute;margin-left:{box.left:g}pt;margin-top:{box.top:g}pt;"
        f"width:{box.width:g}pt;height:{box.height:g}pt;z-index:{index + 1};"
        "mso-wrap-style:tight"
    )
    right = _COLUMN_A_PIXELS - _INSET
    anchor = f"0, {_INSET}, {box.row}, {_INSET}, 0, {right}, {box.row}, {_ROW_PIXELS - _INSET}"
    text = escape(caption(button, lang))
    return (
        f'<v:shape id="_x0000_s{shape_id(block, index)}" type="#_x0000_t201" '
        f"style={quoteattr(style)} "
        'o:button="t" fillcolor="buttonFace [67]" strokecolor="windowText [64]" '
        'o:insetmode="auto">'
        '<v:fill color2="buttonFace [67]" o:detectmouseclick="t"/>'
        '<o:lock v:ext="edit" rotation="t"/>'
        "<v:textbox style='mso-direction-alt:auto' o:singleclick=\"f\">"
        "<div style='text-align:center'>"
        f'<font face="Calibri" size="220" color="#000000">{text}</font></div></v:textbox>'
        '<x:ClientData ObjectType="Button">'
        f"<x:Anchor>{anchor}</x:Anchor>"
        "<x:PrintObject>False</x:PrintObject><x:AutoFill>False</x:AutoFill>"
        f"<x:FmlaMacro>[0]!{button.sub}</x:FmlaMacro>"
        "<x:TextHAlign>Center</x:TextHAlign><x:TextVAlign>Center</x:TextVAlign>"
        "</x:ClientData></v:shape>"
    )
