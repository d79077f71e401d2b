"""How the CLI shows a run to a person (in the workbook's language) or to a program (JSON).

Both pass every string through the run's `Redactor`, so no customer's phone, e-mail, ID
number or address reaches the terminal or a `--json` consumer, whatever a message quotes.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import cast

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from rich.text import Text as RichText

from toolkit.i18n import Text, say
from toolkit.privacy import Redactor
from toolkit.routines.validate_text import MESSAGES
from toolkit.runner import RunOutcome
from toolkit.table import Lang

_TEXT = {
    "title": Text("custkit: {source}", "custkit：{source}"),
    "tables": Text(
        "{kind}: sheet '{sheet}', header on row {row}, {rows} rows",
        "{kind}：工作表「{sheet}」，表头在第 {row} 行，共 {rows} 行",
    ),
    "findings": Text("{count} findings", "发现 {count} 个问题"),
    "problem": Text("Problem", "问题"),
    "count": Text("Count", "数量"),
    "dry_run": Text(
        "Dry run: nothing was written ({cells} cells would change).",
        "试运行：未写入任何内容（将修改 {cells} 个单元格）。",
    ),
    "written": Text(
        "Written to {target}: {cells} cells. Undo with: custkit undo {target}",
        "已写入 {target}：{cells} 个单元格。撤销：custkit undo {target}",
    ),
}
_KINDS = {
    "customers": Text("Customers", "客户"),
    "transactions": Text("Orders", "订单"),
    "complaints": Text("Complaints", "投诉"),
}


def outcome_redactor(outcome: RunOutcome) -> Redactor:
    """The redactor of a run: its settings' personal fields and its customers' values."""
    return Redactor.for_workbook(outcome.workbook, outcome.context.settings)


def summary_json(outcomes: RunOutcome | list[RunOutcome]) -> str:
    """The `--json` text of one run (an object) or several (a list), personal values masked.

    Example: `custkit validate book.xlsx --json` prints `summary_json(outcome)`.
    """
    if isinstance(outcomes, list):
        data: object = [outcome_redactor(o).data(o.summary()) for o in outcomes]
    else:
        data = outcome_redactor(outcomes).data(outcomes.summary())
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def print_outcome(outcome: RunOutcome, console: Console | None = None) -> None:
    """Print what a run found and did, in the workbook's language, personal values masked.

    Example: after `custkit run book.xlsx`, `print_outcome(outcome)` prints the tables read,
    the findings by problem, each step's counts and where the workbook was written.
    """
    console = console or Console(highlight=False)
    lang = outcome.workbook.lang
    head = [say(_TEXT["title"], lang, source=outcome.workbook.raw.source)]
    for kind, table in outcome.workbook.tables.items():
        head.append(
            "  "
            + say(
                _TEXT["tables"],
                lang,
                kind=say(_KINDS[kind], lang),
                sheet=table.sheet,
                row=table.header_row,
                rows=table.count_records(),
            )
        )
    findings = Counter(f.problem for f in outcome.plan.findings)
    head.append(say(_TEXT["findings"], lang, count=sum(findings.values())))
    problems: list[str] = []
    for problem, _ in findings.most_common():
        text = MESSAGES.get(problem)
        problems.append(say(text, lang, as_of=outcome.as_of, year="") if text else problem)
    tail = [
        f"  {step}: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in figures)
        for step, figures in _step_figures(outcome.plan.counts).items()
    ]
    tail.append(_written_line(outcome, lang))
    # One call for every line: the redactor then looks up only what these lines hold.
    masked = cast(list[str], outcome_redactor(outcome).data([*head, *problems, *tail]))
    head, problems, tail = (
        masked[: len(head)],
        masked[len(head) : len(head) + len(problems)],
        masked[len(head) + len(problems) :],
    )
    console.print(head[0], style="bold", markup=False)
    for line in head[1:]:
        console.print(line, markup=False)
    if findings:
        grid = RichTable(show_edge=False, pad_edge=False)
        grid.add_column(say(_TEXT["problem"], lang))
        grid.add_column(say(_TEXT["count"], lang), justify="right")
        for shown, (_, count) in zip(problems, findings.most_common(), strict=True):
            grid.add_row(RichText(shown), str(count))
        console.print(grid)
    for line in tail:
        console.print(line, markup=False)


def _written_line(outcome: RunOutcome, lang: Lang) -> str:
    """The last line: what a dry run would change, or where the run wrote and how to undo."""
    if outcome.applied is None:
        return say(_TEXT["dry_run"], lang, cells=outcome.plan.cells_changed())
    return say(
        _TEXT["written"], lang, target=outcome.applied.target, cells=outcome.applied.cells_written
    )


def _step_figures(counts: Mapping[str, int]) -> dict[str, list[tuple[str, int]]]:
    """Counts grouped by step ("dedupe.groups" -> dedupe: groups), details left to --json."""
    figures: dict[str, list[tuple[str, int]]] = {}
    for key, value in counts.items():
        step, _, name = key.partition(".")
        if step != "validate" and name and "." not in name:
            figures.setdefault(step, []).append((name, value))
    return figures


@contextmanager
def progress_reporter(*, enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner with the current step on stderr; nothing when stderr is not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("custkit", total=None)

        def report(step: str) -> None:
            progress.update(task, description=f"custkit: {step}")

        yield report
