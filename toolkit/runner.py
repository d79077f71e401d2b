"""A run: read the workbook, plan every step, apply the plan (or only show it).

`plan_run` is the pure twin of `run`: given a workbook already read, it returns the Plan a real
run would apply, so `--dry-run` shows exactly what `run` does. Entry points (CLI, Excel
buttons, Sheets) call these and only render the outcome.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from toolkit.backends.base import ApplyResult, Backend, RunInfo
from toolkit.detect import understand
from toolkit.errors import ConfigError, ConfigProblem
from toolkit.models.settings import Settings
from toolkit.plan import Plan
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


@dataclass(frozen=True)
class RunOutcome:
    """What a run planned and, unless it was a dry run, what it wrote."""

    workbook: Workbook
    steps: tuple[str, ...]
    as_of: date
    plan: Plan
    applied: ApplyResult | None
    context: StepContext  # what the steps saw and computed; e.g. for the .ics export

    def summary(self) -> dict[str, object]:
        """A JSON-ready account of the run."""
        tables = {
            kind: {
                "sheet": t.sheet,
                "header_row": t.header_row,
                "rows": sum(1 for _ in t.records()),
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
    plans = []
    for name in names:
        if progress:
            progress(name)
        plans.append(load_step(name)(context))
    return context, names, Plan.combine(plans)


def run(
    backend: Backend,
    options: RunOptions,
    *,
    workbook_path: Path | None = None,
    progress: Progress | None = None,
) -> RunOutcome:
    """Read, plan and (unless `options.dry_run`) apply; the backend keeps the undo record.

    Example: `run(XlsxBackend(Path("客户.xlsx")), RunOptions(steps="validate"))`.
    """
    if progress:
        progress("read")
    raw = backend.read()
    settings_file = find_config_file(workbook_path, options.config)
    context, names, plan = plan_run(raw, options, settings_file=settings_file, progress=progress)
    applied = None
    if not options.dry_run:
        if progress:
            progress("write")
        info = RunInfo(
            names, datetime.now().isoformat(timespec="seconds"), _user(), dict(plan.counts)
        )
        applied = backend.apply(plan, run=info)
    return RunOutcome(context.workbook, names, context.as_of, plan, applied, context)


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


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


__all__: Sequence[str] = ("RunOptions", "RunOutcome", "open_backend", "plan_run", "run")
