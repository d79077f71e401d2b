"""A run: read the workbook, plan every step, apply the plan (or only show it).

`plan_run` is the pure twin of `run`: given a workbook already read, it returns the Plan a real
run would apply, so `--dry-run` shows exactly what `run` does. Entry points (CLI, Excel
buttons, Sheets) call these and only render the outcome.
"""

from __future__ import annotations

import gc
import getpass
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from pathlib import Path

from toolkit.backends.base import ApplyResult, Backend, RunInfo
from toolkit.detect import understand
from toolkit.errors import ConfigError, ConfigProblem, ToolkitError
from toolkit.models.settings import Settings
from toolkit.plan import Plan, WriteSheet
from toolkit.privacy import Redactor
from toolkit.routines.run_log import (
    RunLogEntry,
    run_log_sheet,
    settings_hash,
    step_changes,
    with_run_log,
)
from toolkit.settings_io import find_config_file, load_settings
from toolkit.steps import StepContext, load_step, resolve_steps
from toolkit.table import Lang, RawWorkbook, Workbook

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RunOptions:
    """What the user asked for; every entry point builds one of these."""

    steps: str | None = None  # "validate,tag"; None: every step
    config: Path | None = None
    as_of: date | None = None  # None: today
    lang: Lang | None = None
    fix: bool = False
    merge: bool = False
    dry_run: bool = False
    command: str = ""  # what the user ran, for the Run Log ("validate"); "" when unknown


@dataclass(frozen=True)
class RunOutcome:
    """What a run planned and, unless it was a dry run, what it wrote."""

    workbook: Workbook
    steps: tuple[str, ...]
    as_of: date
    plan: Plan
    applied: ApplyResult | None
    context: StepContext  # what the steps saw and computed; e.g. for the .ics export
    run_log: WriteSheet | None = None  # the Run Log as written with this run's row; None: not

    def summary(self) -> dict[str, object]:
        """A JSON-ready account of the run."""
        tables = {
            kind: {
                "sheet": t.sheet,
                "header_row": t.header_row,
                "rows": t.count_records(),
            }
            for kind, t in self.workbook.tables.items()
        }
        return {
            "source": self.workbook.raw.source,
            "steps": list(self.steps),
            "as_of": self.as_of.isoformat(),
            "lang": self.workbook.lang,
            "dry_run": self.applied is None,
            "tables": tables,
            **self.plan.summary(),
            "written_to": self.applied.target if self.applied else None,
            "backup": self.applied.backup if self.applied else None,
            "run_log": {"sheet": self.run_log.title, "rows": len(self.run_log.rows)}
            if self.run_log
            else None,
        }


def plan_run(
    raw: RawWorkbook,
    options: RunOptions,
    *,
    settings_file: Path | None = None,
    progress: Progress | None = None,
) -> tuple[StepContext, tuple[str, ...], Plan]:
    """Understand a workbook already read and plan every requested step; writes nothing.

    >>> from toolkit.table import RawSheet
    >>> raw = RawWorkbook("x", (RawSheet("C", [["Name", "Phone"], ["Li", "13800138000"]]),))
    >>> _, steps, plan = plan_run(raw, RunOptions(steps="validate", as_of=date(2025, 1, 1)))
    >>> steps, plan.counts["validate.findings"]
    (('validate',), 0)
    """
    context, names, plans = _plan_steps(raw, options, settings_file, progress)
    return context, names, Plan.combine(plans.values())


def _plan_steps(
    raw: RawWorkbook, options: RunOptions, settings_file: Path | None, progress: Progress | None
) -> tuple[StepContext, tuple[str, ...], dict[str, Plan]]:
    """The context of the run and each requested step's own plan, in run order."""
    names = tuple(resolve_steps(options.steps))
    if options.merge and names != ("dedupe",):
        # A merge moves customer rows; other steps plan against the rows as read, so their
        # columns would land on the wrong customers. Merge first, then run the rest.
        raise ConfigError(
            [
                ConfigProblem(
                    "--merge",
                    "--steps",
                    "a merge runs on its own: run "
                    "`custkit dedupe --merge` first, then `custkit run`",
                )
            ]
        )
    settings: Settings = load_settings(config_file=settings_file, raw=raw)
    workbook = understand(raw, settings, lang=options.lang)
    as_of = options.as_of or date.today()
    context = StepContext(
        workbook, settings, as_of, workbook.lang, fix=options.fix, merge=options.merge
    )
    plans = {}
    for name in names:
        if progress:
            progress(name)
        plans[name] = load_step(name)(context)
    return context, names, plans


def run(
    backend: Backend,
    options: RunOptions,
    *,
    workbook_path: Path | None = None,
    progress: Progress | None = None,
) -> RunOutcome:
    """Read, plan and (unless `options.dry_run`) apply; the backend keeps the undo record.

    What is written is the steps' plan (`outcome.plan`, as `plan_run` gives it) and, when that
    plan changes anything, the Run Log sheet with this run's row appended (`outcome.run_log`).
    An error while writing is raised with any customer's personal value in its message masked.

    Example: `run(XlsxBackend(Path("客户.xlsx")), RunOptions(steps="validate"))`.
    """
    with _exclusive(backend, dry_run=options.dry_run), _frozen_until_done():
        return _read_plan_apply(backend, options, workbook_path, progress)


@contextmanager
def _frozen_until_done() -> Iterator[None]:
    """Give back to the cyclic collector, at the end of the run, what `_collector_off` froze.

    Frozen objects are still freed when their last reference goes; only a cycle among them
    would wait for a collection, so the run's objects go back to it once the run is over.
    A host that froze objects of its own (gc.freeze) keeps them frozen: nothing is done then.
    """
    ours = gc.get_freeze_count() == 0
    try:
        yield
    finally:
        if ours:
            gc.unfreeze()


@contextmanager
def _collector_off() -> Iterator[None]:
    """No cyclic collection while the workbook is read and planned; then freeze what is kept.

    At a million rows the read and the steps make tens of millions of objects that form no
    cycles (a run frees about a thousand objects by collection, all told), yet every
    collection walks the ones alive again: seconds per full collection, several per step.
    Afterwards the workbook as read and the plans are frozen (when no one else froze objects,
    see `_frozen_until_done`), so the collections during the write walk only the write's own.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
        if enabled:
            gc.enable()


def _exclusive(backend: Backend, *, dry_run: bool) -> AbstractContextManager[object]:
    """The backend's own lock from read to apply, when it has one (files: no two runs at once)."""
    if not dry_run and isinstance(backend, AbstractContextManager):
        return backend
    return nullcontext()


def _read_plan_apply(
    backend: Backend, options: RunOptions, workbook_path: Path | None, progress: Progress | None
) -> RunOutcome:
    if progress:
        progress("read")
    with _collector_off():
        raw = backend.read()
        settings_file = find_config_file(workbook_path, options.config)
        context, names, plans = _plan_steps(raw, options, settings_file, progress)
        plan = Plan.combine(plans.values())
    if options.dry_run:
        return RunOutcome(context.workbook, names, context.as_of, plan, None, context)
    if progress:
        progress("write")
    entry = _log_entry(backend, options, context, plans)
    log = run_log_sheet(raw, entry, context.lang)
    info = RunInfo(names, entry.started, entry.user, dict(plan.counts))
    try:
        applied = backend.apply(with_run_log(plan, log), run=info)
    except ToolkitError as error:
        redactor = Redactor.for_workbook(context.workbook, context.settings)
        raise redactor.scrub(error, keep=(raw.source,)) from error.__cause__
    written = log if not plan.is_empty else None
    return RunOutcome(context.workbook, names, context.as_of, plan, applied, context, written)


def _log_entry(
    backend: Backend, options: RunOptions, context: StepContext, plans: dict[str, Plan]
) -> RunLogEntry:
    """The Run Log row of this run: who, where, what, and how many cells each step writes."""
    customers = context.workbook.tables.get("customers")
    flags = [flag for flag, on in (("--fix", options.fix), ("--merge", options.merge)) if on]
    # A spreadsheet records the Google account that wrote it; a file, the computer's user.
    account = getattr(backend, "account", None)
    return RunLogEntry(
        started=datetime.now().isoformat(timespec="seconds"),
        user=account if isinstance(account, str) and account else current_user(),
        host=socket.gethostname(),
        command=" ".join([options.command or "run", *flags]),
        steps=tuple(plans),
        changes=step_changes(plans),
        rows=customers.count_records() if customers is not None else 0,
        settings_hash=settings_hash(context.settings),
        version=custkit_version(),
    )


def open_backend(
    target: str, *, out: Path | None = None, credentials: Path | None = None
) -> tuple[Backend, Path | None]:
    """The backend for a target: a Google Sheets URL or key, else a workbook file.

    >>> open_backend("customers.xlsx")[1]
    PosixPath('customers.xlsx')
    """
    if target.startswith(("https://docs.google.com/", "http://docs.google.com/")):
        from toolkit.backends.gsheets import open_spreadsheet

        return open_spreadsheet(target, credentials=credentials), None
    from toolkit.backends.xlsx import XlsxBackend

    path = Path(target)
    return XlsxBackend(path, out=out), path


def current_user() -> str:
    """Who runs custkit, for the Run Log ("" when the system cannot say).

    >>> isinstance(current_user(), str)
    True
    """
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def custkit_version() -> str:
    """The installed custkit's version, for the Run Log ("" when not installed)."""
    try:
        return metadata.version("custkit")
    except metadata.PackageNotFoundError:
        return ""


__all__: Sequence[str] = ("RunOptions", "RunOutcome", "open_backend", "plan_run", "run")
