"""Validation against the demo workbooks' planted problems: what it finds and what it leaves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.backends.xlsx import read_values
from toolkit.demo_data import AS_OF
from toolkit.normalize import parse_phone
from toolkit.runner import RunOptions, plan_run

WORKBOOKS = Path(__file__).resolve().parents[2] / "workbooks"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_planted_problems_are_found_and_clean_cells_left_alone(lang: str) -> None:
    manifest = json.loads((WORKBOOKS / f"demo_{lang}.expected.json").read_text("utf-8"))
    raw = read_values(WORKBOOKS / f"demo_{lang}.xlsx")
    context, _, plan = plan_run(raw, RunOptions(steps="validate", as_of=AS_OF))
    customers = context.workbook.customers
    planted = {(p["sheet"], p["row"], p["column"], p["problem"]) for p in manifest["problems"]}
    found = {
        (f.sheet, f.row, f.column, f.problem) for f in plan.findings if f.sheet == customers.sheet
    }
    recall = len(planted & found) / len(planted)
    checked = sum(1 for _ in customers.records()) * sum(1 for c in customers.columns if c.field)
    false_rate = len(found - planted) / (checked - len(planted))
    assert recall >= 0.95, sorted(planted - found)
    assert false_rate < 0.01, sorted(found - planted)[:20]


@pytest.mark.parametrize("written", ["+8613800138000", "13800138000", "+14155552671"])
def test_standard_phone_forms_are_not_findings(written: str) -> None:
    assert parse_phone(written).problem is None
