"""The Redactor: personal values masked in text, messages and JSON; unexpected errors hidden."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import write_workbook
from toolkit import steps
from toolkit.backends.base import ApplyResult, RunInfo, UndoResult
from toolkit.backends.gsheets.snapshot import describe_changes
from toolkit.cli import main
from toolkit.detect import understand
from toolkit.errors import WorkbookChangedError
from toolkit.models.settings import Settings
from toolkit.plan import Plan
from toolkit.privacy import Redactor, unexpected_error_message
from toolkit.runner import RunOptions, run
from toolkit.steps import StepContext
from toolkit.table import RawSheet, RawWorkbook

ROWS = [
    ["姓名", "手机", "邮箱", "身份证号", "地址", "负责人"],
    ["张三", "138-1234-5678", "Zhang.San@Example.com", "11010119900307123X",
     "北京市朝阳区建国路88号", "王芳"],
    ["李四", 13912345678.0, "lisi@qq.com", None, "上海市浦东新区张江路100弄3号", "王芳"],
    ["王五", "+86 137 0000 1111", None, "440301198001011234", None, None],
]  # fmt: skip
RAW = RawWorkbook("客户.xlsx", (RawSheet("客户", ROWS),))


def redactor(settings: Settings | None = None) -> Redactor:
    settings = settings or Settings()
    return Redactor.for_workbook(understand(RAW, settings), settings)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("E2: '138-1234-5678'", "E2: '138****5678'"),
        ("digits 13812345678 and +8613812345678", "digits 138****5678 and +86138****5678"),
        ("13912345678.0 is odd", "139****5678.0 is odd"),
        ("mail Zhang.San@Example.com / zhang.san@example.com",
         "mail Z***@Example.com / z***@example.com"),
        ("upper LISI@QQ.COM, unknown x.y@163.com", "upper L***@QQ.COM, unknown x***@163.com"),
        ("id 11010119900307123X", "id 1101**********123X"),
        ("寄到上海市浦东新区张江路100弄3号", "寄到上海市浦东新区***"),
        ("张三 (王芳) 305 rows, as of 2025-06-30", "张三 (王芳) 305 rows, as of 2025-06-30"),
        ("", ""),
    ],
)  # fmt: skip
def test_known_values_are_masked_wherever_they_appear(text: str, shown: str) -> None:
    assert redactor().text(text) == shown


def test_only_the_fields_settings_call_personal_are_masked() -> None:
    settings = Settings.model_validate({"privacy": {"personal": ["email"]}})
    mine = redactor(settings)
    assert mine.text("138-1234-5678 lisi@qq.com") == "138-1234-5678 l***@qq.com"
    assert mine.value("phone", "138-1234-5678") == "138-1234-5678"
    assert mine.value("email", "lisi@qq.com") == "l***@qq.com"


def test_json_data_is_masked_string_by_string() -> None:
    data = {"source": "客户.xlsx", "note": ["lisi@qq.com", 3, None], "lisi@qq.com": True}
    assert redactor().data(data) == {
        "source": "客户.xlsx",
        "note": ["l***@qq.com", 3, None],
        "l***@qq.com": True,
    }


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("first row: 赵六, 18612345678, zl@163.com", "first row: 赵六, 186****5678, z***@163.com"),
        ("C!B5: '13800138000' -> '139 0013 9000'", "C!B5: '138****8000' -> '139****9000'"),
        ("ID 44030119800101123x", "ID 440***********123x"),
        ("as of 2025-06-30: 1,234 cells", "as of 2025-06-30: 1,234 cells"),
        ("backup b.20250630T090000-ab12cd.xlsx", "backup b.20250630T090000-ab12cd.xlsx"),
    ],
)  # fmt: skip
def test_messages_are_also_masked_by_pattern(message: str, shown: str) -> None:
    assert Redactor.patterns_only().message(message) == shown


def test_the_workbook_path_is_kept_even_with_digits_in_it() -> None:
    message = "客户18612345678.xlsx is open in Excel (18612345678)"
    shown = Redactor.patterns_only().message(message, keep=["客户18612345678.xlsx"])
    assert shown == "客户18612345678.xlsx is open in Excel (186****5678)"


class RefusingBackend:
    """A medium someone edits while custkit works: apply refuses, quoting the cells changed."""

    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw

    def read(self) -> RawWorkbook:
        return self.raw

    def apply(self, plan: Plan, *, run: RunInfo) -> ApplyResult:
        before = [list(row) for row in self.raw.sheets[0].rows]
        after = [row[:] for row in before]
        after[2][4] = "上海市徐汇区漕溪北路1号"
        after[1][1] = "13899990000"
        raise WorkbookChangedError(describe_changes("客户", before, after))

    def undo(self) -> UndoResult:
        raise NotImplementedError


def test_an_error_while_writing_is_raised_with_the_values_masked() -> None:
    with pytest.raises(WorkbookChangedError) as caught:
        run(RefusingBackend(RAW), RunOptions(steps="validate"))
    message = str(caught.value)
    assert "客户!B2: '138****5678' -> '138****0000'" in message
    assert "上海市浦东新区***" in message and "张江路" not in message
    assert "13899990000" not in message and "1234" not in message


def exploding_step(ctx: StepContext) -> Plan:
    """A step with a bug whose exception quotes a customer's phone."""
    phone = ctx.workbook.customers.values("phone")[0]
    raise KeyError(f"no segment for {phone}")


@pytest.fixture
def buggy_validate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setitem(steps.STEPS, "validate", "tests.test_privacy:exploding_step")
    monkeypatch.delenv("CUSTKIT_DEBUG", raising=False)
    return write_workbook(tmp_path / "客户.xlsx", {"客户": ROWS})


def test_an_unexpected_error_shows_its_type_and_place_not_its_values(
    buggy_validate: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["custkit", "validate", str(buggy_validate)])
    with pytest.raises(SystemExit) as exit_:
        main()
    printed = capsys.readouterr()
    assert exit_.value.code == 1
    assert "unexpected error (KeyError in tests" not in printed.err  # only our own code is named
    assert "unexpected error (KeyError in toolkit" in printed.err
    assert "Traceback" not in printed.err + printed.out
    assert "1234" not in printed.err + printed.out


@pytest.mark.parametrize("how", [["--debug"], []])
def test_debug_lets_the_traceback_through(
    buggy_validate: Path, monkeypatch: pytest.MonkeyPatch, how: list[str]
) -> None:
    if not how:
        monkeypatch.setenv("CUSTKIT_DEBUG", "1")
    monkeypatch.setattr(sys, "argv", ["custkit", *how, "validate", str(buggy_validate)])
    with pytest.raises(KeyError, match="138-1234-5678"):
        main()


def test_the_unexpected_error_line_names_no_value() -> None:
    try:
        {}["13812345678"]
    except KeyError as error:
        line = unexpected_error_message(error)
    assert line.startswith("custkit: unexpected error (KeyError") and "1381" not in line
