"""The Run Log sheet: one row per run that writes, earlier rows (and staff edits) kept."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.helpers import sheet_names, sheet_values, write_workbook
from toolkit.backends.xlsx import XlsxBackend
from toolkit.cli import app
from toolkit.models.settings import Settings
from toolkit.plan import Plan, SetColumn, WriteSheet
from toolkit.routines.run_log import (
    RunLogEntry,
    entry_row,
    previous_rows,
    run_log_sheet,
    settings_hash,
    step_changes,
    with_run_log,
)
from toolkit.runner import RunOptions, run
from toolkit.table import CellValue, Lang, RawSheet, RawWorkbook

AS_OF = date(2025, 6, 30)
CUSTOMERS = {
    "en": [
        ["Name", "Phone", "Email", "Signup Date"],
        ["Ann Lee", "13800138000", "ann@example.com", date(2024, 3, 5)],
        ["Bo Wu", "1380013800", "bo.example.com", "2024/3/5"],
    ],
    "zh": [
        ["姓名", "手机", "邮箱", "注册日期"],
        ["张三", "13800138000", "zs@example.com", date(2024, 3, 5)],
        ["李四", "1380013800", "li.example.com", "2024/3/5"],
    ],
}
TITLE = {"en": "Run Log", "zh": "运行记录"}
HEADER = {
    "en": ("Time", "User", "Host", "Command", "Steps", "Cells Changed", "Changes by Step"),
    "zh": ("时间", "用户", "主机", "命令", "步骤", "修改单元格", "各步骤修改"),
}
ENTRY = RunLogEntry(
    "2025-06-30T09:00:00",
    "wang",
    "pc-7",
    "validate --fix",
    ("validate", "tag"),
    (("validate", 120), ("tag", 8)),
    305,
    "0123456789ab",
    "0.1.0",
)


def book(tmp_path: Path, lang: Lang) -> Path:
    sheet = "Customers" if lang == "en" else "客户"
    return write_workbook(tmp_path / f"book_{lang}.xlsx", {sheet: CUSTOMERS[lang]})


def log_of(path: Path, lang: Lang) -> list[tuple[CellValue, ...]]:
    return sheet_values(path, TITLE[lang])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_runs_give_two_rows_in_order(tmp_path: Path, lang: Lang) -> None:
    path = book(tmp_path, lang)
    run(XlsxBackend(path), RunOptions(steps="validate", as_of=AS_OF, command="validate"))
    run(XlsxBackend(path), RunOptions(steps="validate,tag", as_of=AS_OF, fix=True))
    log = log_of(path, lang)
    assert log[0][:7] == HEADER[lang]
    assert [row[3:5] for row in log[1:]] == [
        ("validate", "validate"),
        ("run --fix", "validate, tag"),
    ]
    first, second = log[1], log[2]
    assert str(first[0]) <= str(second[0])  # ISO times sort as text
    assert first[7] == second[7] == 2  # customer rows
    assert first[8] == second[8] == settings_hash(Settings())
    assert isinstance(second[5], int) and second[5] > 0
    assert sheet_names(path)[-2] == TITLE[lang]  # before our hidden state sheet


def test_rows_staff_edited_or_added_are_kept_as_they_are(tmp_path: Path) -> None:
    path = book(tmp_path, "en")
    run(XlsxBackend(path), RunOptions(steps="validate", as_of=AS_OF))
    workbook = openpyxl.load_workbook(path)
    log = workbook["Run Log"]
    log["B2"] = "checked by Li"  # staff corrected the user
    log["M2"] = "audit 2025-07"  # and wrote beyond our columns
    log.append(["2025-05-01T08:00:00", "old tool", None, "import", None, 12])
    workbook.save(path)
    edited = log_of(path, "en")[1:]

    run(XlsxBackend(path), RunOptions(steps="tag", as_of=AS_OF))

    after = log_of(path, "en")
    assert after[1:3] == edited
    assert after[1][1] == "checked by Li" and after[1][12] == "audit 2025-07"
    assert after[3][3:5] == ("run", "tag") and len(after) == 4


def test_a_run_in_the_other_language_keeps_the_rows_under_its_own_title(tmp_path: Path) -> None:
    path = book(tmp_path, "zh")
    run(XlsxBackend(path), RunOptions(steps="validate", as_of=AS_OF))
    run(XlsxBackend(path), RunOptions(steps="validate", as_of=AS_OF, lang="en"))
    assert "运行记录" not in sheet_names(path)
    log = log_of(path, "en")
    assert log[0][:7] == HEADER["en"] and len(log) == 3


def test_dry_run_writes_nothing_and_undo_takes_the_row_away(tmp_path: Path) -> None:
    path = book(tmp_path, "en")
    run(XlsxBackend(path), RunOptions(steps="validate", as_of=AS_OF))
    before = path.read_bytes()
    dry = run(XlsxBackend(path), RunOptions(steps="validate", as_of=AS_OF, dry_run=True))
    assert path.read_bytes() == before and dry.run_log is None
    assert not any(isinstance(c, WriteSheet) and c.key == "run_log" for c in dry.plan.changes)

    second = run(XlsxBackend(path), RunOptions(steps="validate", as_of=AS_OF))
    assert second.run_log is not None and len(second.run_log.rows) == 2
    XlsxBackend(path).undo()
    assert path.read_bytes() == before and len(log_of(path, "en")) == 2


def test_the_json_summary_only_gains_the_run_log_key(tmp_path: Path) -> None:
    path = book(tmp_path, "en")
    result = CliRunner().invoke(app, ["validate", str(path), "--json", "--as-of", "2025-06-30"])
    summary = json.loads(result.stdout)
    assert set(summary) == {
        "source", "steps", "as_of", "lang", "dry_run", "tables", "counts", "findings_total",
        "findings_by_problem", "changes", "cells_changed", "written_to", "backup", "run_log",
    }  # fmt: skip
    assert summary["run_log"] == {"sheet": "Run Log", "rows": 1}
    assert all(change["sheet"] != "Run Log" for change in summary["changes"])
    assert log_of(path, "en")[1][3] == "validate"  # the command, as typed
    dry = CliRunner().invoke(app, ["validate", str(path), "--json", "--dry-run"])
    assert json.loads(dry.stdout)["run_log"] is None


@pytest.mark.parametrize(
    ("rows", "kept"),
    [
        ([], ()),
        ([["Time"]], ()),
        ([["Time"], ["t1", "u"], [], [None, " "], ["t2", None, None]], (("t1", "u"), ("t2",))),
        ([["时间"], [datetime(2025, 1, 2), "李"]], ((datetime(2025, 1, 2), "李"),)),
    ],
)
def test_previous_rows(rows: list[list[CellValue]], kept: tuple[tuple[CellValue, ...]]) -> None:
    raw = RawWorkbook("x", (RawSheet("C", [["Name"]]), RawSheet("Run Log", rows)))
    assert previous_rows(raw) == kept


def test_no_sheet_no_previous_rows_and_a_user_sheet_of_another_name_is_not_ours() -> None:
    raw = RawWorkbook("x", (RawSheet("Run Log 2024", [["Time"], ["t", "u"]]),))
    assert previous_rows(raw) == ()
    sheet = run_log_sheet(raw, ENTRY, "en")
    assert sheet.key == "run_log" and sheet.title == "Run Log" and len(sheet.rows) == 1


@pytest.mark.parametrize(
    ("lang", "by_step"), [("en", "validate 120; tag 8"), ("zh", "validate 120；tag 8")]
)
def test_entry_row(lang: Lang, by_step: str) -> None:
    assert entry_row(ENTRY, lang) == (
        "2025-06-30T09:00:00", "wang", "pc-7", "validate --fix", "validate, tag", 128, by_step,
        305, "0123456789ab", "0.1.0", None, None,
    )  # fmt: skip
    noted = RunLogEntry(**{**ENTRY.__dict__, "run_id": "r1", "note": "2 customers erased"})
    assert entry_row(noted, lang)[-2:] == ("r1", "2 customers erased")


def test_settings_hash_follows_the_settings_not_their_source() -> None:
    default = settings_hash(Settings())
    assert default == settings_hash(Settings.model_validate({}))
    changed = Settings.model_validate({"validation": {"default_region": "us"}})
    assert settings_hash(changed) != default
    assert len(default) == 12 and int(default, 16) >= 0


def test_step_changes_and_the_log_only_with_other_changes() -> None:
    column = SetColumn("C", "tags", "Tags", 1, 2, ("a", None))
    plans = {"validate": Plan(), "tag": Plan((column,))}
    assert step_changes(plans) == (("validate", 0), ("tag", 3))
    log = run_log_sheet(RawWorkbook("x", ()), ENTRY, "en")
    assert with_run_log(Plan(), log).changes == ()
    assert with_run_log(plans["tag"], log).changes == (column, log)
