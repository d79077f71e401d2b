"""The Excel buttons: one list of what each button does, and one function per button.

Each function takes the workbook that pressed the button (`xw.Book.caller()`), runs the
library on it through the live-Excel backend, and tells the user what happened in a message
box, and in cell B2 of a sheet named "custkit" when the workbook has one (the buttons sheet).
Anything custkit refuses (a ToolkitError) becomes that message, never a traceback, with
personal values masked; an unexpected error shows its type and place only. Settings
come from the workbook's settings sheet, as for every other entry point.

macros/custkit.bas is generated from BUTTONS by toolkit/excel_vba.py: one Sub per button,
each a single `RunPython "import toolkit.macros as m; m.<function>()"` line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.i18n import Text, say
from toolkit.privacy import Redactor, unexpected_error_message
from toolkit.runner import RunOptions, RunOutcome, run
from toolkit.table import Lang

BUTTON_SHEET = "custkit"
STATUS_CELL = "B2"


@dataclass(frozen=True)
class Button:
    """One button: its function here, its VBA Sub, its captions and what it runs."""

    function: str  # the no-argument function of this module
    sub: str  # the VBA Sub in macros/custkit.bas
    caption_zh: str
    caption_en: str
    steps: str | None = None  # None: every step
    merge: bool = False
    undo: bool = False

    def options(self) -> RunOptions:
        """The run this button means.

        >>> BUTTONS[2].options().merge
        True
        """
        return RunOptions(steps=self.steps, merge=self.merge, command=f"excel {self.function}")


BUTTONS: tuple[Button, ...] = (
    Button("validate", "CustkitValidate", "数据校验", "Validate", "validate"),
    Button("find_duplicates", "CustkitFindDuplicates", "查找重复", "Find duplicates", "dedupe"),
    Button(
        "merge_duplicates", "CustkitMergeDuplicates", "合并重复", "Merge duplicates", "dedupe", True
    ),
    Button("tag_and_score", "CustkitTagAndScore", "标签与分层", "Tag and score", "tag,score"),
    Button("follow_ups", "CustkitFollowUps", "跟进提醒", "Follow-ups", "followups"),
    Button(
        "complaint_summary",
        "CustkitComplaintSummary",
        "投诉汇总",
        "Complaint summary",
        "complaints",
    ),
    Button("run_all", "CustkitRunAll", "全部运行", "Run all"),
    Button("undo_last_run", "CustkitUndoLastRun", "撤销上次运行", "Undo last run", undo=True),
)

_DONE = Text("{caption}: done. {cells} cells written.", "{caption}:完成,写入 {cells} 个单元格。")
_SHEETS = Text("Sheets: {sheets}", "工作表:{sheets}")
_FINDINGS = Text("Problems found: {n}", "发现问题:{n} 个")
_CHARTS = Text("Charts not added (add them by hand): {charts}", "未能添加的图表:{charts}")
_UNDONE = Text("Undone: the run of {started} was reversed.", "已撤销 {started} 的运行。")
_REFUSED = Text("custkit could not run", "custkit 无法运行")
_NOT_SAVED = Text(
    "The workbook is not saved: save it to keep the results.", "工作簿尚未保存,请保存以保留结果。"
)


def press(function: str, book: Any = None) -> str:
    """Run the button `function` on `book` (the calling workbook) and show the outcome.

    Returns the message shown. Example: `press("validate")` from a macro.
    """
    from toolkit.backends.excel import ExcelBackend

    button = next(b for b in BUTTONS if b.function == function)
    book = book if book is not None else _caller()
    backend = ExcelBackend(book)
    lang: Lang = "zh" if _prefers_chinese(book) else "en"
    try:
        if button.undo:
            undone = backend.undo()
            message = say(_UNDONE, lang, started=undone.run_started)
        else:
            outcome = run(backend, button.options(), workbook_path=_path(book))
            lang = outcome.workbook.lang
            message = _report(button, outcome, backend.charts_not_done, lang)
    except ToolkitError as error:
        keep = [str(book.fullname)]
        message = (
            f"{say(_REFUSED, lang)}:\n{Redactor.patterns_only().message(str(error), keep=keep)}"
        )
    except Exception as error:  # a button shows one line, never a traceback with cell values
        message = f"{say(_REFUSED, lang)}:\n{unexpected_error_message(error)}"
    _show(book, message)
    return message


def _report(button: Button, outcome: RunOutcome, charts: list[str], lang: Lang) -> str:
    caption = button.caption_zh if lang == "zh" else button.caption_en
    applied = outcome.applied
    lines = [say(_DONE, lang, caption=caption, cells=applied.cells_written if applied else 0)]
    if outcome.plan.findings:
        lines.append(say(_FINDINGS, lang, n=len(outcome.plan.findings)))
    if applied and applied.sheets_written:
        lines.append(say(_SHEETS, lang, sheets=", ".join(applied.sheets_written)))
    if charts:
        lines.append(say(_CHARTS, lang, charts="; ".join(charts)))
    lines.append(say(_NOT_SAVED, lang))
    return "\n".join(lines)


def _show(book: Any, message: str) -> None:
    """A message box, and the status cell of the buttons sheet when there is one."""
    for sheet in book.sheets:
        if sheet.name == BUTTON_SHEET:
            sheet.range(STATUS_CELL).value = "'" + message.replace("\n", " | ")
    book.app.alert(message, title="custkit")


def _caller() -> Any:
    import xlwings as xw

    return xw.Book.caller()


def _path(book: Any) -> Path | None:
    """The workbook's file, for a custkit.toml beside it; None while it was never saved."""
    path = Path(str(book.fullname))
    return path if path.is_absolute() and path.exists() else None


def _prefers_chinese(book: Any) -> bool:
    return any(any("\u4e00" <= ch <= "\u9fff" for ch in sheet.name) for sheet in book.sheets)


def _button(function: str) -> Callable[[], str]:
    def pressed() -> str:
        return press(function)

    pressed.__name__ = pressed.__qualname__ = function
    pressed.__doc__ = f"The '{function}' button: `press('{function}')` on the calling workbook."
    return pressed


validate = _button("validate")
find_duplicates = _button("find_duplicates")
merge_duplicates = _button("merge_duplicates")
tag_and_score = _button("tag_and_score")
follow_ups = _button("follow_ups")
complaint_summary = _button("complaint_summary")
run_all = _button("run_all")
undo_last_run = _button("undo_last_run")
