"""No personal value leaves the workbook: every command's output, every error, the reminders.

Each command (run, validate, dedupe, followups, with and without --json, dry runs, undo, error
paths) runs through the real entry point on copies of the demo workbooks and on a small
workbook of bad phones, e-mails, ID numbers and addresses. Everything printed, the .ics file
and the sheets that travel (Follow-ups, Tiers, Complaint Summary, Run Log) are searched for
every personal value of every customer: as written, its digits, in lower case. None may
appear. The review sheets beside the data (Validation, Duplicates, Merged) keep full values:
staff fix the cells from them, in the same workbook.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import sheet_values, write_workbook
from toolkit.backends.xlsx import read_values
from toolkit.cli import app
from toolkit.detect import understand
from toolkit.i18n import own_sheet_key
from toolkit.models.settings import Settings
from toolkit.normalize.text import cell_text, fold_width
from toolkit.table import CellValue

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
PERSONAL = ("phone", "phone2", "email", "id_number", "address", "wechat")
TRAVELLING = {"followups", "tiers", "complaint_summary", "run_log"}
BAD = [
    ["客户名单"],
    ["姓名", "手机", "备用电话", "邮箱", "身份证号", "地址", "微信", "负责人", "注册日期",
     "最近联系日期"],
    ["张三", "138-1234-567", "010-6552 8899", "zhang san@qq.com", "11010119900307123X",
     "北京市朝阳区建国路88号院3号楼", "zs_wechat88", "王芳", date(2025, 6, 20), date(2024, 1, 5)],
    ["李四", "1391234567８", None, "LiSi@@Example.com", "110101199003071234",
     "上海市浦东新区张江路100弄3号", "lisi-2024", "王芳", date(2025, 6, 25), None],
    ["王五", 13700001111.0, "+86 21 5555 0199", " wangwu@163.COM ", "44030119800101123",
     "Flat 4, 12 King St, Leeds LS1 2AB", None, "赵磊", "2025/06/28", "2025-13-01"],
    ["王五", "137 0000 1111", None, "wangwu@163.com", None, "广东省深圳市南山区科技园南区8栋",
     "wangwu163", "赵磊", date(2025, 6, 1), date(2025, 6, 1)],
    ["钱七", "+1 415 555 2671", "４１５５５５２６７２", "qianqi@example.com", "12345678",
     "广州市天河区体育西路191号", None, None, date(2020, 1, 1), date(2023, 1, 1)],
]  # fmt: skip
AS_OF = ["--as-of", "2025-06-30"]


def personal_values(path: Path) -> set[str]:
    """Every form a customer's personal value may take in text: as written, folded, digits."""
    raw = read_values(path)
    customers = understand(raw, Settings()).customers
    found: set[str] = set()
    for field in PERSONAL:
        for value in customers.values(field):
            found |= forms(value)
    return found


def forms(value: CellValue) -> set[str]:
    text = fold_width(cell_text(value)).strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    # Shorter digit runs are ordinary numbers (counts, years); every value is long enough.
    candidates = {cell_text(value).strip(), text, text.casefold()}
    candidates |= {digits} if len(digits) >= 7 else set()
    return {c for c in candidates if len(c) >= 7}


def leaks(text: str, values: set[str]) -> list[str]:
    return sorted(v for v in values if v in text)


def travelling_sheets(path: Path) -> Iterator[tuple[str, str]]:
    """(sheet, text of all its cells) for our sheets that are printed and passed around."""
    for sheet in read_values(path).sheets:
        key = own_sheet_key(sheet.name) or (
            "followups" if sheet.name.startswith(("Follow-ups - ", "跟进提醒 - ")) else None
        )
        if key in TRAVELLING:
            yield sheet.name, "\n".join(cell_text(v) for row in sheet.rows for v in row)


def commands(book: Path, tmp: Path) -> list[list[str]]:
    missing = str(tmp / "missing.xlsx")
    return [
        ["run", str(book), *AS_OF, "--dry-run"],
        ["run", str(book), *AS_OF, "--dry-run", "--json"],
        ["validate", str(book), *AS_OF],
        ["validate", str(book), *AS_OF, "--json"],
        ["dedupe", str(book), *AS_OF, "--json"],
        ["followups", str(book), *AS_OF, "--ics", str(tmp / "reminders.ics")],
        ["followups", str(book), *AS_OF, "--json"],
        ["run", str(book), *AS_OF],
        ["run", str(book), *AS_OF, "--json", "--lang", "en"],
        ["validate", str(book), *AS_OF, "--fix"],
        ["undo", str(book)],
        ["dedupe", str(book), *AS_OF, "--merge"],
        ["run", str(book), "--steps", "nothing"],
        ["run", missing],
    ]


@pytest.fixture(params=["demo_zh.xlsx", "demo_en.xlsx", "bad"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "bad":
        return write_workbook(tmp_path / "bad.xlsx", {"客户": BAD})
    source = WORKBOOKS / request.param
    if not source.is_file():
        pytest.skip(f"{source} has not been generated")
    return Path(shutil.copy(source, tmp_path / request.param))


def test_no_command_prints_or_exports_a_personal_value(book: Path, tmp_path: Path) -> None:
    values = personal_values(book)
    assert len(values) > 10  # the search has something to find
    runner = CliRunner()
    for args in commands(book, tmp_path):
        result = runner.invoke(app, args, env={"COLUMNS": "200"})
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert not leaks(result.output, values), args
    ics = (tmp_path / "reminders.ics").read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in ics and not leaks(ics, values)


def test_the_sheets_that_travel_hold_no_personal_value(book: Path) -> None:
    values = personal_values(book)
    result = CliRunner().invoke(app, ["run", str(book), *AS_OF])
    assert result.exit_code == 0, result.output
    seen = dict(travelling_sheets(book))
    assert {own_sheet_key(name) for name in seen} >= {"followups", "run_log"}
    for name, text in seen.items():
        assert not leaks(text, values), name


def test_settings_may_let_reminders_show_contacts_in_full(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "bad.xlsx", {"客户": BAD})
    (tmp_path / "custkit.toml").write_text("[privacy]\nshow_in_followups = true\n")
    result = CliRunner().invoke(app, ["followups", str(book), *AS_OF])
    assert result.exit_code == 0, result.output
    assert not leaks(result.output, personal_values(book))  # the console stays masked
    reminders = "\n".join(cell_text(v) for row in sheet_values(book, "跟进提醒") for v in row)
    assert "zhang san@qq.com" in reminders and "138-1234-567" in reminders


def test_an_error_quoting_a_headerless_first_row_is_masked(tmp_path: Path) -> None:
    rows = [["张三", "13812345678", "zs@example.com", "北京市朝阳区建国路88号"]]
    book = write_workbook(tmp_path / "18612345678.xlsx", {"Sheet1": rows})
    result = CliRunner().invoke(app, ["validate", str(book)])
    assert result.exit_code == 1
    assert "No customer header found" in result.output and "18612345678.xlsx" in result.output
    assert "13812345678" not in result.output and "zs@example.com" not in result.output
    assert "138****5678" in result.output and "z***@example.com" in result.output
