"""The Run Log sheet (运行记录): one row per run that wrote, so a workbook tells its own history.

Every run that changes the workbook appends a row: when, who, on which machine, which command
and steps, how many cells each step wrote, how many customer rows it saw, a fingerprint of the
effective settings and the custkit version. Rows of earlier runs are read back from the sheet
and written again unchanged, whatever staff did to them (an added remark, a corrected user):
the log is the workbook's, custkit only appends. Undoing a run restores the whole workbook, so
the run's row goes with it. The row holds no customer data, only counts.

Other commands that write (e.g. `custkit erase`) build a `RunLogEntry` of their own and add
`run_log_sheet(raw, entry, lang)` to their plan.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from toolkit.i18n import Text, label, own_sheet_key, say
from toolkit.plan import Plan, WriteSheet
from toolkit.table import CellValue, Lang, RawSheet, RawWorkbook, is_blank

KEY = "run_log"
HEADER: tuple[Text, ...] = (
    Text("Time", "时间"),
    Text("User", "用户"),
    Text("Host", "主机"),
    Text("Command", "命令"),
    Text("Steps", "步骤"),
    Text("Cells Changed", "修改单元格"),
    Text("Changes by Step", "各步骤修改"),
    Text("Rows", "客户行数"),
    Text("Settings Hash", "设置指纹"),
    Text("Version", "版本"),
    Text("Run ID", "运行编号"),
    Text("Note", "备注"),
)
_WIDTHS = (20.0, 14.0, 14.0, 18.0, 36.0, 12.0, 40.0, 10.0, 14.0, 9.0, 24.0, 30.0)


@dataclass(frozen=True)
class RunLogEntry:
    """One row of the Run Log: what a run did, in counts only (never a customer's value).

    >>> e = RunLogEntry("2025-06-30T09:00:00", "wang", "pc-7", "validate", ("validate",),
    ...                 (("validate", 120),), 305, "0123456789ab", "0.1.0")
    >>> e.cells
    120
    """

    started: str  # local time, ISO 8601 to the second: the same string the undo journal keeps
    user: str  # the operating-system user, or the Google account for a spreadsheet
    host: str
    command: str  # "run", "validate --fix", "dedupe --merge", "erase"...
    steps: tuple[str, ...]
    changes: tuple[tuple[str, int], ...]  # (step, cells it writes), in run order
    rows: int  # customer rows read
    settings_hash: str  # `settings_hash(settings)`
    version: str  # custkit's version
    run_id: str = ""  # the backend's id of the run, when it has one before writing
    note: str = ""  # free text for people (e.g. what an erase removed, as counts)

    @property
    def cells(self) -> int:
        return sum(cells for _, cells in self.changes)


def run_log_sheet(raw: RawWorkbook, entry: RunLogEntry, lang: Lang) -> WriteSheet:
    """The Run Log sheet as it will be after this run: the rows already there, then `entry`.

    >>> from toolkit.table import RawSheet
    >>> old = RawSheet("Run Log", [["Time", "User"], ["2025-06-01T08:00:00", "li", "checked"]])
    >>> e = RunLogEntry("2025-06-30T09:00:00", "wang", "pc", "run", ("tag",), (("tag", 9),),
    ...                 3, "0123456789ab", "0.1.0")
    >>> sheet = run_log_sheet(RawWorkbook("x", (old,)), e, "zh")
    >>> sheet.title, sheet.header[:2]
    ('运行记录', ('时间', '用户'))
    >>> sheet.rows[0], sheet.rows[1][:3]
    (('2025-06-01T08:00:00', 'li', 'checked'), ('2025-06-30T09:00:00', 'wang', 'pc'))
    """
    header = tuple(say(text, lang) for text in HEADER)
    previous = previous_rows(raw)
    return WriteSheet(
        KEY,
        label(KEY, lang),
        header,
        (*previous, entry_row(entry, lang)),
        column_widths=_WIDTHS,
    )


def previous_rows(raw: RawWorkbook) -> tuple[tuple[CellValue, ...], ...]:
    """The rows of the workbook's Run Log below its header, as read; blank rows left out.

    Rows are kept whole, cells staff added beyond our columns included, so nothing they wrote
    there is lost when the sheet is written again.
    """
    sheet = _run_log_sheet(raw)
    if sheet is None:
        return ()
    kept = []
    for row in sheet.rows[1:]:
        values = tuple(row)
        while values and is_blank(values[-1]):
            values = values[:-1]
        if values:
            kept.append(values)
    return tuple(kept)


def entry_row(entry: RunLogEntry, lang: Lang) -> tuple[CellValue, ...]:
    """The cells of one entry, in HEADER order.

    >>> e = RunLogEntry("t", "u", "h", "run", ("validate", "tag"),
    ...                 (("validate", 10), ("tag", 5)), 3, "abc", "0.1.0")
    >>> entry_row(e, "en")[4:7]
    ('validate, tag', 15, 'validate 10; tag 5')
    """
    by_step = _joined((f"{step} {cells}" for step, cells in entry.changes), lang)
    return (
        entry.started,
        entry.user,
        entry.host,
        entry.command,
        ", ".join(entry.steps),
        entry.cells,
        by_step,
        entry.rows,
        entry.settings_hash,
        entry.version,
        entry.run_id or None,
        entry.note or None,
    )


def settings_hash(settings: BaseModel) -> str:
    """The first 12 hex digits of the sha256 of the settings as canonical JSON.

    Two runs with the same hash ran with the same rules, wherever those came from (defaults,
    custkit.toml or the settings sheet).

    >>> from toolkit.models.settings import Settings
    >>> settings_hash(Settings()) == settings_hash(Settings())
    True
    >>> len(settings_hash(Settings()))
    12
    """
    data = settings.model_dump(mode="json")
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def step_changes(plans: Mapping[str, Plan]) -> tuple[tuple[str, int], ...]:
    """(step, cells its plan writes) for each step's plan, in the mapping's order.

    >>> step_changes({"validate": Plan(), "tag": Plan()})
    (('validate', 0), ('tag', 0))
    """
    return tuple((step, plan.cells_changed()) for step, plan in plans.items())


def with_run_log(plan: Plan, sheet: WriteSheet) -> Plan:
    """`plan` with the Run Log written too, but only when the plan writes something else.

    >>> with_run_log(Plan(), WriteSheet("run_log", "Run Log", ("Time",), ())).changes
    ()
    """
    if plan.is_empty:
        return plan
    return Plan((*plan.changes, sheet), plan.findings, plan.counts)


def _run_log_sheet(raw: RawWorkbook) -> RawSheet | None:
    return next((s for s in raw.sheets if own_sheet_key(s.name) == KEY), None)


def _joined(parts: Iterable[str], lang: Lang) -> str:
    return ("；" if lang == "zh" else "; ").join(parts)


__all__: Sequence[str] = (
    "HEADER",
    "KEY",
    "RunLogEntry",
    "entry_row",
    "previous_rows",
    "run_log_sheet",
    "settings_hash",
    "step_changes",
    "with_run_log",
)
