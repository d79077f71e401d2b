"""The tag step: every tag rule tested on whole columns, tags written to Tags / 标签.

Rules come from `[tagging]` (see toolkit.models.tagging_settings); they were checked when the
settings loaded. At run time a condition on a field the workbook lacks never holds: a rule of
your own that names one gets a warning finding, a built-in one (no birthday column, no
complaints sheet) stays quiet. Conditions are tested column by column: numbers and dates as
numpy arrays, text once per distinct value. Blank rows get no tags.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import numpy as np

from toolkit.i18n import Text, label, say
from toolkit.models.tag_conditions import TagCondition, field_type
from toolkit.models.tagging_settings import TagRule
from toolkit.normalize import clean_text
from toolkit.plan import Finding, Plan, SetColumn
from toolkit.routines.columns import BoolArray, FloatArray
from toolkit.routines.purchases import occupied_customers
from toolkit.routines.tag_fields import COMPLAINT_FIELDS, PURCHASE_FIELDS, FieldValues
from toolkit.steps import StepContext
from toolkit.table import CellValue

MISSING_FIELD = Text(
    "Tag rule '{rule}': sheet '{sheet}' has no {what}; conditions on it never hold",
    "标签规则“{rule}”：表“{sheet}”中没有 {what}，相关条件不会成立",
)
_EPOCH = date(1970, 1, 1).toordinal()


def condition_holds(condition: TagCondition, values: FieldValues, as_of: date) -> BoolArray:
    """Where one condition holds, for every data row of the customer table."""
    kind = condition.kind
    if kind == "number":
        held = _number_test(condition, values.numbers(condition))
    elif kind == "date":
        held = _date_test(condition, values.days(condition), as_of)
    elif kind == "blank":
        held = _blank(condition, values) == bool(condition.blank)
    elif condition.field is not None and field_type(condition.field) in ("amount", "count"):
        held = np.isin(values.numbers(condition), [float(v) for v in _choices(condition)])
    else:
        codes, names = values.categories(condition)
        test = _text_test(condition)
        held = np.array([any(map(test, aliases)) for aliases in names], dtype=bool)[codes]
    return ~held if condition.negate else held


def rule_holds(rule: TagRule, values: FieldValues, as_of: date) -> BoolArray:
    """Where a rule holds; conditions on fields the workbook lacks never hold."""
    results = [
        condition_holds(c, values, as_of) if values.missing(c) is None else None
        for c in rule.conditions
    ]
    size = values.size
    if rule.match == "all":
        held = np.ones(size, dtype=bool)
        for result in results:
            held = held & result if result is not None else np.zeros(size, dtype=bool)
        return held
    held = np.zeros(size, dtype=bool)
    for result in results:
        if result is not None:
            held |= result
    return held


def _number_test(condition: TagCondition, numbers: FloatArray) -> BoolArray:
    held = ~np.isnan(numbers)
    with np.errstate(invalid="ignore"):
        for bound, test in (
            (condition.at_least, np.greater_equal),
            (condition.above, np.greater),
            (condition.at_most, np.less_equal),
            (condition.below, np.less),
        ):
            if bound is not None:
                held &= test(numbers, bound)
    return held


def _date_test(condition: TagCondition, days: FloatArray, as_of: date) -> BoolArray:
    today = float(as_of.toordinal())
    held = ~np.isnan(days)
    with np.errstate(invalid="ignore"):
        if condition.within_days is not None:
            held &= (days >= today - condition.within_days) & (days <= today)
        if condition.older_than_days is not None:
            held &= days < today - condition.older_than_days
    if condition.this_month:
        calendar = (np.nan_to_num(days, nan=_EPOCH) - _EPOCH).astype("datetime64[D]")
        months = calendar.astype("datetime64[M]").astype(np.int64) % 12 + 1
        held &= months == as_of.month
    return held


def _blank(condition: TagCondition, values: FieldValues) -> BoolArray:
    name = condition.field or ""
    if name in PURCHASE_FIELDS or name in COMPLAINT_FIELDS:
        read = values.days if field_type(name) == "date" else values.numbers
        return np.isnan(read(condition))
    codes, names = values.categories(condition)
    return np.array([aliases == ("",) for aliases in names], dtype=bool)[codes]


def _choices(condition: TagCondition) -> tuple[str | float, ...]:
    return (condition.equals,) if condition.equals is not None else condition.in_ or ()


def _fold(value: CellValue) -> str:
    return (clean_text(value).value or "").casefold()


def _text_test(condition: TagCondition) -> Callable[[str], bool]:
    if condition.matches is not None:
        pattern = re.compile(condition.matches)
        return lambda text: bool(text) and pattern.search(text) is not None
    if condition.contains is not None:
        parts = [_fold(part) for part in condition.contains]
        return lambda text: any(part in text.casefold() for part in parts)
    wanted = {_fold(choice) for choice in _choices(condition)}
    return lambda text: bool(text) and text.casefold() in wanted


def tag_step(ctx: StepContext) -> Plan:
    """Tag every customer by the rules in force; write the Tags / 标签 column.

    Example: with `[tagging.rules] VIP = "total_amount >= 50000"`, a customer who spent
    ¥80,000 and signed up last month gets "New customer, VIP" in an English sheet.
    """
    table, settings = ctx.workbook.customers, ctx.settings.tagging
    values = FieldValues(ctx)
    occupied = occupied_customers(ctx)
    tags: list[str] = []
    matched: list[BoolArray] = []
    findings: list[Finding] = []
    counts: dict[str, int] = {}
    for name, tag, rule in settings.active_rules(ctx.lang):
        if name in settings.rules:
            findings.extend(_missing_findings(name, rule, values, ctx))
        held = rule_holds(rule, values, ctx.as_of) & occupied
        tags.append(tag)
        matched.append(held)
        counts[f"tag.{name}"] = int(held.sum())
    cells = _tag_cells(tags, matched, settings.joiner(ctx.lang), len(table.rows))
    counts["tag.customers_tagged"] = sum(1 for cell in cells if cell is not None)
    column = SetColumn(
        table.sheet, "tags", label("tags", ctx.lang), table.header_row, table.first_row, cells
    )
    return Plan((column,), tuple(findings), counts)


def _tag_cells(
    tags: list[str], matched: list[BoolArray], joiner: str, size: int
) -> tuple[CellValue, ...]:
    """Each row's tags joined into one cell (None for no tags), worded once per combination."""
    if not tags:
        return (None,) * size
    table = np.stack(matched, axis=1)
    if len(tags) < 63:
        code = table.astype(np.int64) @ (np.int64(1) << np.arange(len(tags), dtype=np.int64))
        _, first, which = np.unique(code, return_index=True, return_inverse=True)
        combinations = table[first]
    else:
        combinations, which = np.unique(table, axis=0, return_inverse=True)
    texts = [
        joiner.join(t for t, on in zip(tags, row, strict=True) if on) or None
        for row in combinations.tolist()
    ]
    return tuple(map(texts.__getitem__, which.reshape(-1).tolist()))


def _missing_findings(
    name: str, rule: TagRule, values: FieldValues, ctx: StepContext
) -> list[Finding]:
    table = ctx.workbook.customers
    lacking = dict.fromkeys(m for c in rule.conditions if (m := values.missing(c)) is not None)
    return [
        Finding(
            table.sheet,
            table.header_row,
            1,
            what,
            None,
            "tag_field_missing",
            say(MISSING_FIELD, ctx.lang, rule=name, sheet=table.sheet, what=what),
            None,
            "warning",
        )
        for what in lacking
    ]
