"""`custkit excel add-buttons IN.xlsx [OUT.xlsm]`: a button workbook for Excel staff.

Registered on `toolkit.cli.app` as the `excel` group. The library does the work
(toolkit.excel_buttons.add_buttons); this only parses, calls and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli import _fail, _lang, app
from toolkit.errors import ToolkitError
from toolkit.i18n import Text, say

excel_app = typer.Typer(
    help="Excel buttons: make a macro-enabled copy of a workbook with a sheet of buttons.",
    no_args_is_help=True,
)
app.add_typer(excel_app, name="excel")

WROTE = Text(
    "Wrote {path}: sheet '{sheet}' with {buttons} buttons; VBA modules {modules}.",
    "已写入 {path}：工作表「{sheet}」含 {buttons} 个按钮；VBA 模块 {modules}。",
)
NEXT = Text(
    "Open it in Excel on a PC with Python and custkit[excel] installed, enable macros and "
    "press a button (docs/excel.md).",
    "请在装有 Python 和 custkit[excel] 的电脑上用 Excel 打开，启用宏，"
    "再按按钮（见 docs/excel.md）。",
)


@excel_app.command("add-buttons")
def add_buttons_command(
    source: Annotated[Path, typer.Argument(help="The workbook (.xlsx) to copy.")],
    target: Annotated[
        Path | None,
        typer.Argument(help="The .xlsm to write (default: beside the source, same name)."),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(help="Button captions: en or zh (default: zh when a sheet name is Chinese)."),
    ] = None,
) -> None:
    """Write a macro-enabled copy with a 'custkit' sheet of buttons and the VBA they run."""
    from toolkit.excel_buttons import add_buttons
    from toolkit.macros import BUTTON_SHEET

    try:
        made = add_buttons(source, target, lang=_lang(lang))
    except ToolkitError as error:
        _fail(error, source, target)
    ours = [m for m in made.modules if m in ("custkit", "xlwings", "Dictionary")]
    typer.echo(
        say(
            WROTE,
            made.lang,
            path=made.path,
            sheet=BUTTON_SHEET,
            buttons=made.buttons,
            modules=", ".join(ours),
        )
    )
    typer.echo(say(NEXT, made.lang))
