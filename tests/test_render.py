"""What the CLI shows of a run: every line and the JSON summary pass through the Redactor."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from rich.console import Console

from toolkit.privacy import Redactor
from toolkit.render import print_outcome, summary_json
from toolkit.runner import RunOptions, RunOutcome, plan_run
from toolkit.table import RawSheet, RawWorkbook

PHONE, MASKED = "13812345678", "138****5678"
HEADERS = {"en": ["Name", "Phone", "Email"], "zh": ["姓名", "手机", "邮箱"]}


def outcome(lang: str, source: str) -> RunOutcome:
    rows = [HEADERS[lang], ["Li Lei", PHONE, "li@example.com"], ["Wu", "12", "bad@@x"]]
    raw = RawWorkbook(source, (RawSheet("C", rows),))
    options = RunOptions(steps="validate", as_of=date(2025, 6, 30), dry_run=True)
    context, steps, plan = plan_run(raw, options)
    return RunOutcome(context.workbook, steps, date(2025, 6, 30), plan, None, context)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("source", "secret"),
    [(f"book-{PHONE}.xlsx", PHONE), ("LI@EXAMPLE.COM notes.xlsx", "LI@EXAMPLE.COM")],
)
def test_printed_lines_are_masked_as_each_line_alone(lang: str, source: str, secret: str) -> None:
    run = outcome(lang, source)
    out = io.StringIO()
    print_outcome(run, Console(file=out, width=200, highlight=False))
    printed = out.getvalue().splitlines()
    redactor = Redactor.for_workbook(run.workbook, run.context.settings)
    assert printed[0].endswith(redactor.text(source))
    assert secret not in "\n".join(printed)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_summary_json_masks_the_source(lang: str) -> None:
    summary = json.loads(summary_json(outcome(lang, f"book-{PHONE}.xlsx")))
    assert summary["source"] == f"book-{MASKED}.xlsx"
    assert summary["tables"]["customers"]["rows"] == 2
