"""The dedupe step: find duplicate customers, then mark them (default) or merge them (--merge).

    custkit run --steps dedupe          mark: group/score/reason columns + Duplicates sheet
    custkit dedupe --merge              merge: survivors, Merged sheet, references re-pointed

Staff decisions written in the Duplicates sheet (keep / skip / merge) are read first and win
over every rule, in both modes.
"""

from __future__ import annotations

from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.plan import Plan
from toolkit.routines.dedupe.decisions import Decisions, read_decisions
from toolkit.routines.dedupe.find import Duplicates, find_duplicates
from toolkit.routines.dedupe.mark import mark_plan
from toolkit.routines.dedupe.merge import merge_plan
from toolkit.steps import StepContext
from toolkit.table import Table


def dedupe_step(ctx: StepContext) -> Plan:
    """The dedupe step's plan for this run (see the module docstring).

    Example: `custkit run --steps dedupe` on a sheet where 张伟 and 章伟 share a phone plans
    group D0001 on both rows, reason "姓名 张伟≈章伟（同音）；电话相同", and the 重复客户 sheet.
    """
    customers = ctx.workbook.customers
    decisions = read_decisions(ctx.workbook.raw, customers, ctx.lang)
    found = ctx.remember("dedupe.duplicates", lambda: _find(ctx, customers, decisions))
    if ctx.merge:
        return merge_plan(
            ctx.workbook, found, decisions, ctx.settings.dedupe, lang=ctx.lang, as_of=ctx.as_of
        )
    return mark_plan(customers, found, decisions, ctx.lang, ctx.settings.dedupe)


def _find(ctx: StepContext, customers: Table, decisions: Decisions) -> Duplicates:
    settings: DedupeSettings = ctx.settings.dedupe
    last = customers.last_row
    forced = [
        (a - customers.first_row, b - customers.first_row)
        for a, b in decisions.accepted_pairs
        if customers.first_row <= min(a, b) and max(a, b) <= last
    ]
    return find_duplicates(
        customers,
        settings,
        default_region=ctx.settings.validation.default_region,
        day_first=ctx.settings.validation.day_first,
        forced=forced,
    )
