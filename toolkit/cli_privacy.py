"""`custkit erase` and `custkit export`: a customer's deletion and access requests.

Registered on `toolkit.cli.app`. Both take a workbook file and `--customer` (the customer id,
or a phone or e-mail that names exactly one customer). `erase` shows what it will blank and
asks first (`--yes` to skip the question; required when nobody is at the keyboard).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli import Config, DryRun, JsonOut, LangOpt, _fail, _lang, app
from toolkit.errors import ToolkitError
from toolkit.i18n import Text, say

if TYPE_CHECKING:  # the erase machinery is imported when a command runs, not at start-up
    from toolkit.backends.erasure import EraseResult, Erasure

Customer = Annotated[
    str,
    typer.Option(
        "--customer", help="Customer id, or a phone or e-mail that names exactly one customer."
    ),
]
File = Annotated[Path, typer.Argument(help="Workbook file (.xlsx/.xlsm).")]
Yes = Annotated[bool, typer.Option("--yes", help="Erase without asking for confirmation.")]

WILL_ERASE = Text("Erasing customer {who} from {path}:", "将从 {path} 删除客户 {who}：")
PER_SHEET = Text("  {sheet}: {rows} rows, {cells} cells", "  {sheet}：{rows} 行，{cells} 个单元格")
SHARING = Text(
    "  Not erased: rows {rows} of '{sheet}' share a phone or e-mail with this customer. If "
    "they are the same person, erase them by their own customer id.",
    "  未删除：「{sheet}」第 {rows} 行与该客户电话或邮箱相同。如是同一人，请用其客户编号另行删除。",
)
ASK = Text(
    "Erase them for good (backups and undo journal too)?", "确定永久删除（含备份和撤销记录）？"
)
NEED_YES = Text(
    "not erased: confirm with --yes (nobody is here to answer the question)",
    "未删除：请加 --yes 确认（无法交互确认）",
)
DONE = Text(
    "Erased: {cells} cells in {rows} rows; {backups} backups scrubbed; audit row added to the "
    "Run Log.",
    "已删除：{rows} 行中的 {cells} 个单元格；已清理 {backups} 个备份；运行记录已添加审计行。",
)
LEFT = Text(
    "erased values are still found in: {where}. Remove them by hand (comments, pivot caches, "
    "charts keep their own copies).",
    "以下位置仍含已删除的值：{where}。请手动清除（批注、数据透视表缓存、图表有自己的副本）。",
)


@app.command("erase")
def erase_command(
    target: File,
    customer: Customer,
    yes: Yes = False,
    dry_run: DryRun = False,
    json_out: JsonOut = False,
    config: Config = None,
    lang: LangOpt = None,
) -> None:
    """Erase one customer everywhere (deletion request): every sheet, backups, undo journal."""
    from toolkit.backends.erasure import erase, prepare_erasure

    _refuse_url(target)
    try:
        erasure = prepare_erasure(target, customer, config=config, lang=_lang(lang))
    except ToolkitError as error:
        _fail(error)
    preview = _preview(erasure, target, json_out=json_out)
    if dry_run:
        if json_out:
            typer.echo(json.dumps({**preview, "dry_run": True}, ensure_ascii=False, indent=2))
        return
    if not yes:
        if not sys.stdin.isatty():
            _fail(ToolkitError(say(NEED_YES, erasure.lang)))
        typer.confirm(say(ASK, erasure.lang), abort=True)
    try:
        result = erase(erasure)
    except ToolkitError as error:
        _fail(error)
    _report(erasure, result, preview, json_out=json_out)


def _preview(erasure: Erasure, target: Path, *, json_out: bool) -> dict[str, object]:
    """What will be erased, as counts per sheet (printed unless --json); the JSON of it."""
    from toolkit.routines.erase import sheet_counts

    counts = sheet_counts(erasure.holdings)
    if not json_out:
        typer.echo(say(WILL_ERASE, erasure.lang, who=erasure.who, path=target))
        for sheet, rows, cells in counts:
            typer.echo(say(PER_SHEET, erasure.lang, sheet=sheet, rows=rows, cells=cells))
    sharing = list(erasure.sharing_rows)
    if sharing and not json_out:
        listed = ", ".join(map(str, sharing))
        customers = erasure.workbook.customers.sheet
        typer.echo(say(SHARING, erasure.lang, rows=listed, sheet=customers))
    sheets = [{"sheet": s, "rows": r, "cells": c} for s, r, c in counts]
    return {"customer": erasure.who, "sheets": sheets, "sharing_rows": sharing}


def _report(
    erasure: Erasure, result: EraseResult, preview: dict[str, object], *, json_out: bool
) -> None:
    if json_out:
        summary = {**preview, "dry_run": False, "backups_scrubbed": len(result.backups_scrubbed)}
        summary |= {"stray_files_removed": len(result.stray_files_removed)}
        summary |= {"leftovers": list(result.leftovers), "run_id": result.run_id}
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        held, backups = erasure.holdings, len(result.backups_scrubbed)
        typer.echo(say(DONE, erasure.lang, cells=held.cells, rows=held.rows, backups=backups))
    if result.leftovers:
        _fail(ToolkitError(say(LEFT, erasure.lang, where=", ".join(result.leftovers))))


@app.command("export")
def export_command(
    target: File,
    customer: Customer,
    out: Annotated[
        Path | None, typer.Option(help="Write an .xlsx (or, ending in .json, a JSON file).")
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print everything held as JSON on stdout.")
    ] = False,
    config: Config = None,
    lang: LangOpt = None,
) -> None:
    """Everything held on one customer (access request), unmasked; the workbook is only read."""
    from toolkit.backends.erasure import prepare_erasure
    from toolkit.backends.subject_export import export_json, write_export

    if out is None and not json_out:
        raise typer.BadParameter("give --out FILE.xlsx (or .json), or --json", param_hint="--out")
    _refuse_url(target)
    if out is not None and out.resolve() == target.resolve():
        raise typer.BadParameter("--out must be a new file, not the workbook", param_hint="--out")
    try:
        found = prepare_erasure(target, customer, config=config, lang=_lang(lang))
    except ToolkitError as error:
        _fail(error)
    data = export_json(found.holdings, customer=found.customer_id, source=str(target))
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    if json_out:
        typer.echo(text)
    if out is not None:
        if out.suffix.lower() == ".json":
            out.write_text(text + "\n", encoding="utf-8")
        else:
            write_export(found.holdings, out, lang=found.lang)
        if not json_out:
            rows = found.holdings.rows
            typer.echo(f"{out}: {rows} rows from {len(found.holdings.sheets)} sheets")


def _refuse_url(target: Path) -> None:
    if str(target).startswith(("https:", "http:")):
        _fail(
            ToolkitError(
                f"{target}: erase and export work on workbook files only. Download the "
                "spreadsheet as .xlsx (File > Download), or erase the customer's rows there "
                "by hand and delete custkit's hidden _custkit_undo sheets."
            )
        )
