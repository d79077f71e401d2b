"""The custkit command end to end, through its real entry point, on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import formula_cells, sheet_names, sheet_values, write_workbook
from toolkit.cli import app

runner = CliRunner()

ROWS_ZH = [
    ["客户名单"],
    [],
    ["姓名", "手机", "邮箱", "注册日期", "累计消费", "备注"],
    ["张三", "13800138000", "zs@example.com", date(2024, 3, 5), 1200, "=SUM(A1)"],
    ["李 四", "1380013800", "li.example.com", "2024/3/5", "¥1,234.50", None],
    ["王五", "+86 139-0013-9000", "ww@example.com", "2099-01-01", 300, "+86 hotline"],
    ["赵六", "13700137000", "=1+1", date(2024, 1, 2), 10, "@mention"],
]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "客户.xlsx", {"客户": ROWS_ZH})


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_dry_run_changes_nothing_and_reports(book: Path) -> None:
    before = book.read_bytes()
    code, output = invoke("run", str(book), "--dry-run", "--json", "--as-of", "2025-06-30")
    assert code == 0, output
    summary = json.loads(output)
    assert summary["dry_run"] is True and summary["lang"] == "zh"
    assert summary["tables"]["customers"] == {"sheet": "客户", "header_row": 3, "rows": 4}
    assert summary["findings_by_problem"] == {
        "name_spaces": 1,
        "phone_invalid": 1,
        "email_invalid": 2,
        "date_format": 1,
        "amount_format": 1,
        "phone_format": 1,
        "date_future": 1,
    }
    assert book.read_bytes() == before
    assert not (book.parent / ".custkit").exists()


def test_run_writes_results_rerun_updates_in_place_undo_restores(book: Path) -> None:
    original = book.read_bytes()
    code, output = invoke("run", str(book), "--as-of", "2025-06-30")
    assert code == 0, output
    rows = sheet_values(book, "客户")
    assert rows[2][6] == "数据问题"
    assert rows[3][6] is None and "手机: 号码无效" in rows[4][6]
    assert rows[3][5] == "=SUM(A1)" and rows[5][5] == "+86 hotline"
    assert formula_cells(book) == []  # customer text is never written as a formula
    assert any("=1+1" in row for row in sheet_values(book, "数据校验"))
    assert rows[4][:5] == tuple(ROWS_ZH[4][:5])  # no --fix: user cells unchanged
    assert "数据校验" in sheet_names(book)
    first = book.read_bytes()

    code, output = invoke("run", str(book), "--as-of", "2025-06-30")
    assert code == 0, output
    assert sheet_names(book).count("数据校验") == 1
    assert sheet_values(book, "客户")[2].count("数据问题") == 1

    assert invoke("undo", str(book))[0] == 0
    assert book.read_bytes() == first
    assert invoke("undo", str(book))[0] == 0
    assert book.read_bytes() == original


def test_fix_applies_safe_normalizations_only(book: Path) -> None:
    code, output = invoke("validate", str(book), "--fix", "--as-of", "2025-06-30")
    assert code == 0, output
    rows = sheet_values(book, "客户")
    assert rows[4][0] == "李四" and rows[4][4] == 1234.5
    assert rows[4][1] == "1380013800"  # an invalid number has no safe fix
    assert rows[5][1] == "13900139000"
    assert str(rows[4][3])[:10] == "2024-03-05"


def test_english_labels_with_lang_override(book: Path) -> None:
    assert invoke("run", str(book), "--lang", "en", "--as-of", "2025-06-30")[0] == 0
    assert "Validation" in sheet_names(book)
    assert sheet_values(book, "客户")[2][6] == "Issues"


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["run", "{book}", "--as-of", "30/06/2025"], 2, "YYYY-MM-DD"),
        (["run", "{book}", "--lang", "fr"], 2, "use en or zh"),
        (["run", "{book}", "--steps", "validate,nope"], 1, "unknown"),
        (["run", "{dir}/missing.xlsx"], 1, "file not found"),
        (["undo", "{book}"], 1, "Nothing to undo"),
        (["run", "{book}", "--merge"], 1, "a merge runs on its own"),
    ],
)
def test_errors_exit_codes(book: Path, args: list[str], code: int, message: str) -> None:
    filled = [a.format(book=book, dir=book.parent) for a in args]
    result = runner.invoke(app, filled)
    assert result.exit_code == code
    assert message in result.output + (result.stderr if result.stderr_bytes else "")
    assert "Traceback" not in result.output


def test_every_command_has_help() -> None:
    from typer.main import get_command

    group = get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"custkit {name} has no help text"
        assert invoke(name, "--help")[0] == 0


def test_followups_writes_an_ics_file(book: Path) -> None:
    from icalendar import Calendar

    ics = book.parent / "reminders.ics"
    code, output = invoke("followups", str(book), "--ics", str(ics), "--as-of", "2025-06-30")
    assert code == 0, output
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) >= 1
    assert "跟进提醒" in sheet_names(book)


def test_dedupe_marks_then_merge_archives(tmp_path: Path) -> None:
    rows = [
        ["姓名", "手机", "邮箱", "城市"],
        ["张伟", "13800138000", "zw@example.com", "北京"],
        ["张 伟", "+86 138-0013-8000", "ZW@example.com", "北京"],
        ["李娜", "13900139000", "ln@example.com", "上海"],
    ]
    book = write_workbook(tmp_path / "dup.xlsx", {"客户": rows})
    assert invoke("dedupe", str(book))[0] == 0
    marked = sheet_values(book, "客户")
    assert marked[1][4] is not None and marked[1][4] == marked[2][4] and marked[3][4] is None
    assert invoke("dedupe", str(book), "--merge")[0] == 0
    assert "已合并" in sheet_names(book)
    names = [row[0] for row in sheet_values(book, "客户")[1:] if row[0]]
    assert sorted(names) == ["张伟", "李娜"]


REPO = Path(__file__).resolve().parents[1]
# An atexit handler that prints: the entry point skips the interpreter's teardown only after a
# run that went well, so the line shows which ending the process had.
ENTRY = "import atexit; atexit.register(print, 'TEARDOWN'); from toolkit.cli import main; main()"


@pytest.mark.parametrize(
    ("args", "code", "complete", "teardown"),
    [
        (["run", "--json", "--as-of", "2025-06-30"], 0, '"written_to"', False),
        (["run", "--as-of", "2025-06-30"], 0, "custkit undo", False),
        (["run", "--dry-run", "--json"], 0, '"dry_run": true', False),
        (["run", "--as-of", "2025-13-40"], 2, "YYYY-MM-DD", True),
        (["undo"], 1, "custkit", True),
    ],
    ids=["json", "text", "dry-run", "usage-error", "failure"],
)
def test_the_entry_point_ends_after_its_output_and_journal_are_complete(
    book: Path, args: list[str], code: int, complete: str, teardown: bool
) -> None:
    command = [sys.executable, "-c", ENTRY, args[0], str(book), *args[1:]]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == code, done.stderr
    assert complete in done.stdout + done.stderr
    assert ("TEARDOWN" in done.stdout) is teardown
    if code == 0 and "--dry-run" not in args:
        assert invoke("undo", str(book))[0] == 0  # the journal was recorded before the end
