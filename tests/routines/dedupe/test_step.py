"""The dedupe step as `custkit run` calls it."""

from __future__ import annotations

from datetime import date

import pytest

from tests.routines.dedupe.builders import EN_HEADER, table, workbook
from tests.routines.dedupe.test_merge import CUSTOMERS
from toolkit.models.settings import Settings
from toolkit.plan import SetCells, SetColumn, WriteSheet
from toolkit.steps import STEPS, StepContext, load_step


def test_dedupe_runs_right_after_validate() -> None:
    names = list(STEPS)
    assert names.index("dedupe") == names.index("validate") + 1
    assert load_step("dedupe").__name__ == "dedupe_step"


@pytest.mark.parametrize("merge", [False, True])
def test_the_step_marks_or_merges(merge: bool) -> None:
    customers = table(EN_HEADER, CUSTOMERS, sheet="Customers")
    ctx = StepContext(workbook(customers), Settings(), date(2025, 6, 30), "en", merge=merge)
    plan = load_step("dedupe")(ctx)
    kinds = {type(c) for c in plan.changes}
    sheets = {c.key for c in plan.changes if isinstance(c, WriteSheet)}
    assert SetColumn in kinds and "duplicates" in sheets
    assert (SetCells in kinds) == merge and ("merged" in sheets) == merge
    assert plan.counts["dedupe.groups"] == 1
    assert plan.counts["dedupe.pairs.phone"] >= 1


def test_the_result_is_remembered_for_the_run() -> None:
    customers = table(EN_HEADER, CUSTOMERS, sheet="Customers")
    ctx = StepContext(workbook(customers), Settings(), date(2025, 6, 30), "en")
    load_step("dedupe")(ctx)
    found = ctx.remember("dedupe.duplicates", lambda: None)
    assert found is not None and len(found.groups) == 1


def test_public_names_are_pinned() -> None:
    import toolkit.routines.dedupe as dedupe

    assert sorted(dedupe.__all__) == [
        "Decisions", "DuplicateGroup", "Duplicates", "MergeGroup", "PairEvidence", "action_of",
        "explain", "find_duplicates", "mark_plan", "merge_groups", "merge_plan",
        "read_decisions", "written_values",
    ]  # fmt: skip
