"""The `custkit` command: parse options, call the library, print the outcome.

Library errors become one line on stderr and exit code 1; usage errors exit 2. Nothing printed
holds a customer's personal value (toolkit.privacy): outcomes and messages are masked, and an
unexpected error shows its type and place, not its message or traceback, unless `--debug`.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from toolkit.errors import ToolkitError
from toolkit.privacy import Redactor, unexpected_error_message
from toolkit.render import print_outcome, progress_reporter, summary_json
from toolkit.runner import RunOptions, RunOutcome, open_backend, run
from toolkit.table import Lang

app = typer.Typer(
    name="custkit",
    help="CRM work done in place in customer workbooks: validate, find duplicates, tag, "
    "score, remind, summarise complaints. Every run can be undone (custkit undo).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # locals hold customer rows; never print them
)
_debug = False  # --debug / CUSTKIT_DEBUG=1: unexpected errors raise with their traceback
_finished: list[RunOutcome] = []  # the outcome printed last: `main` ends without freeing it

Target = Annotated[str, typer.Argument(help="Workbook (.xlsx/.xlsm) or Google Sheets URL.")]
Steps = Annotated[str | None, typer.Option(help="Steps to run, e.g. validate,tag (default: all).")]
Config = Annotated[
    Path | None,
    typer.Option(help="Settings file (default: custkit.toml beside the workbook, if any)."),
]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="The date the run treats as today, YYYY-MM-DD (default: today)."),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show the plan; change nothing.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print a machine-readable summary.")]
Out = Annotated[Path | None, typer.Option(help="Write to this file instead of in place.")]
LangOpt = Annotated[
    str | None, typer.Option("--lang", help="Output language: en or zh (default: the headers').")
]
Fix = Annotated[bool, typer.Option("--fix", help="Apply safe normalizations to the cells.")]
Merge = Annotated[
    bool,
    typer.Option(
        "--merge",
        help="Dedupe merges each group into one survivor (merged rows move "
        "to the Merged sheet) instead of only marking it.",
    ),
]
Credentials = Annotated[Path | None, typer.Option(help="Google service-account JSON key.")]


@app.callback()
def _global_options(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar="CUSTKIT_DEBUG",
            help="On an unexpected error, show the full traceback (it may show customer data).",
        ),
    ] = False,
) -> None:
    """CRM work done in place in customer workbooks."""
    global _debug
    _debug = debug


@app.command("run")
def run_command(
    target: Target,
    steps: Steps = None,
    config: Config = None,
    as_of: AsOf = None,
    dry_run: DryRun = False,
    json_out: JsonOut = False,
    out: Out = None,
    lang: LangOpt = None,
    fix: Fix = False,
    merge: Merge = False,
    credentials: Credentials = None,
) -> None:
    """Run every step (or --steps) on a workbook, in place."""
    options = RunOptions(steps, config, _as_of(as_of), _lang(lang), fix, merge, dry_run, "run")
    _execute(target, options, out=out, json_out=json_out, credentials=credentials)


@app.command("validate")
def validate_command(
    target: Target,
    config: Config = None,
    as_of: AsOf = None,
    dry_run: DryRun = False,
    json_out: JsonOut = False,
    out: Out = None,
    lang: LangOpt = None,
    fix: Fix = False,
    credentials: Credentials = None,
) -> None:
    """Check every cell; mark problems in an Issues column and a Validation sheet."""
    options = RunOptions(
        "validate", config, _as_of(as_of), _lang(lang), fix, False, dry_run, "validate"
    )
    _execute(target, options, out=out, json_out=json_out, credentials=credentials)


@app.command("dedupe")
def dedupe_command(
    target: Target,
    merge: Merge = False,
    config: Config = None,
    as_of: AsOf = None,
    dry_run: DryRun = False,
    json_out: JsonOut = False,
    out: Out = None,
    lang: LangOpt = None,
    credentials: Credentials = None,
) -> None:
    """Find duplicate customers and mark them (or --merge them) for staff to review."""
    options = RunOptions(
        "dedupe", config, _as_of(as_of), _lang(lang), False, merge, dry_run, "dedupe"
    )
    _execute(target, options, out=out, json_out=json_out, credentials=credentials)


@app.command("followups")
def followups_command(
    target: Target,
    ics: Annotated[
        Path | None,
        typer.Option(
            help="Also write the reminders as an iCalendar file for a calendar application."
        ),
    ] = None,
    config: Config = None,
    as_of: AsOf = None,
    dry_run: DryRun = False,
    json_out: JsonOut = False,
    out: Out = None,
    lang: LangOpt = None,
    credentials: Credentials = None,
) -> None:
    """Plan follow-up reminders: Next Follow-up column, Follow-ups sheet, optional .ics."""
    from toolkit.routines.followups import followups_ics

    options = RunOptions(
        "followups", config, _as_of(as_of), _lang(lang), False, False, dry_run, "followups"
    )
    outcome = _outcome(target, options, out=out, json_out=json_out, credentials=credentials)
    if ics is not None:
        ics.write_bytes(followups_ics(outcome.context))
    _render(outcome, json_out=json_out)


@app.command("undo")
def undo_command(
    target: Target,
    credentials: Credentials = None,
) -> None:
    """Restore the workbook as it was before custkit's last run on it."""
    try:
        backend, _ = open_backend(target, credentials=credentials)
        result = backend.undo()
    except ToolkitError as error:
        _fail(error, target)
    typer.echo(
        f"Restored {result.target} to its state before the run of {result.run_started} "
        f"(from {result.restored_from})."
    )


@app.command("demo")
def demo_command(
    folder: Annotated[Path, typer.Option("--dir", help="Where to put the demo copies.")] = Path(
        "custkit-demo"
    ),
    json_out: JsonOut = False,
) -> None:
    """Copy the demo workbooks (Chinese and English) to ./custkit-demo and run everything."""
    from toolkit.demo_data import AS_OF

    folder.mkdir(parents=True, exist_ok=True)
    outcomes = []
    for name in ("demo_zh.xlsx", "demo_en.xlsx"):
        copy = folder / name
        shutil.copyfile(demo_workbook(name), copy)
        options = RunOptions(as_of=AS_OF, command="demo")
        outcome = _outcome(str(copy), options, out=None, json_out=json_out, credentials=None)
        outcomes.append(outcome)
        if not json_out:
            print_outcome(outcome)
    if json_out:
        typer.echo(summary_json(outcomes))


def demo_workbook(name: str) -> Path:
    """A demo workbook shipped with custkit (workbooks/ in a checkout, else package data)."""
    package = Path(__file__).resolve().parent
    for folder in (package.parent / "workbooks", package / "_workbooks"):
        if (folder / name).is_file():
            return folder / name
    raise ToolkitError(f"demo workbook {name} is missing; reinstall custkit")


def _execute(
    target: str, options: RunOptions, *, out: Path | None, json_out: bool, credentials: Path | None
) -> None:
    outcome = _outcome(target, options, out=out, json_out=json_out, credentials=credentials)
    _render(outcome, json_out=json_out)
    _finished[:] = [outcome]  # freed by the end of the process, not one object at a time


def _render(outcome: RunOutcome, *, json_out: bool) -> None:
    if json_out:
        typer.echo(summary_json(outcome))
    else:
        print_outcome(outcome)


def _outcome(
    target: str, options: RunOptions, *, out: Path | None, json_out: bool, credentials: Path | None
) -> RunOutcome:
    try:
        backend, path = open_backend(target, out=out, credentials=credentials)
        with progress_reporter(enabled=not json_out) as report:
            outcome = run(backend, options, workbook_path=path, progress=report)
    except ToolkitError as error:
        _fail(error, target, out)
    # The command prints and ends: no collection needs to walk the run's millions of objects
    # again, neither while the summary is made nor in the interpreter's last one at exit.
    gc.freeze()
    return outcome


def _fail(error: ToolkitError, *keep: object) -> NoReturn:
    """One line on stderr, exit 1; an e-mail or phone number the message quotes is masked.

    `keep`: the paths the user typed, shown as typed even where they hold digits.
    """
    message = Redactor.patterns_only().message(str(error), keep=[str(k) for k in keep if k])
    typer.echo(f"custkit: {message}", err=True)
    raise typer.Exit(1)


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"'{text}' is not a date; write it as YYYY-MM-DD", param_hint="--as-of"
        ) from None


def _lang(text: str | None) -> Lang | None:
    if text is None:
        return None
    if text not in ("en", "zh"):
        raise typer.BadParameter(f"'{text}' is not a language; use en or zh", param_hint="--lang")
    return "zh" if text == "zh" else "en"


def main() -> None:
    """Console entry point: an unexpected error is one line without values, unless --debug.

    It ends the process (programs and tests call `app`): after a run that went well, without
    the interpreter's teardown (see `_end_now`).
    """
    try:
        app(prog_name="custkit")
    except SystemExit as done:
        if done.code in (0, None) and _finished:
            _end_now()
        raise
    except Exception as error:
        if _debug:
            raise
        typer.echo(unexpected_error_message(error), err=True)
        raise SystemExit(1) from None


def _end_now() -> None:
    """End a process whose run is done, skipping the teardown of the run's objects.

    At a million rows the interpreter spends seconds freeing the workbook as read, one object
    at a time, just before the process ends and the system takes the memory back at once.
    Nothing is lost by skipping that: the run's files are written, closed and synced, the
    journal is recorded and the locks released before `run` returns, and the output is
    flushed here. Only after a run that went well: every other ending is a normal exit.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# Modules that register more commands on `app`: excel add-buttons; erase and export.
from toolkit import cli_excel, cli_privacy  # noqa: E402, F401

if __name__ == "__main__":  # pragma: no cover
    main()
