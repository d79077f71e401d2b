"""Validation: every cell of the customer, order and complaint tables checked against its field.

Each mapped column is checked by the parser of its field's type (toolkit.normalize), one column
at a time, each distinct value parsed once. Problems become findings with a reason and, where
one exists, a suggested fix. The plan writes an Issues column (a few words per row), colours
the cells (errors red, fixable formats yellow), lists every finding on a Validation sheet, and
with `--fix` writes the safe fixes into the user's cells; without it, no user cell changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import compress, count, repeat
from operator import itemgetter
from typing import Any

from toolkit.fields import field_spec
from toolkit.i18n import label, say
from toolkit.models.records import parser_for
from toolkit.models.settings import ValidationSettings
from toolkit.normalize.screens import needs_parsing
from toolkit.plan import (
    CellWrite,
    Finding,
    Highlight,
    Plan,
    SetCells,
    SetColumn,
    Severity,
    WriteSheet,
)
from toolkit.routines.validate_text import (
    MESSAGES,
    NO_PROBLEMS,
    SHEET_HEADER,
    SHORT,
    STATUS_FIXED,
    STATUS_OPEN,
)
from toolkit.steps import StepContext
from toolkit.table import CellValue, Column, Lang, Table, has_value, is_blank

# Problems whose fix only changes how a value is written, never what it means: `--fix` applies
# these and nothing else.
SAFE_FIXES = frozenset(
    {
        "phone_format",
        "email_format",
        "date_format",
        "amount_format",
        "count_format",
        "gender_format",
        "text_spaces",
        "name_spaces",
        "text_fullwidth",
    }
)
WARNINGS = SAFE_FIXES | {"date_ambiguous"}
_GENDER_STYLES = {"zh": ("男", "女"), "en": ("Male", "Female"), "letter": ("M", "F")}


@dataclass(frozen=True)
class _Context:
    settings: ValidationSettings
    as_of: date
    lang: Lang


def validate_step(ctx: StepContext) -> Plan:
    """The validate step: check every table, plan the Issues column, colours and sheet.

    >>> from toolkit.detect import understand
    >>> from toolkit.models.settings import Settings
    >>> from toolkit.table import RawSheet, RawWorkbook
    >>> raw = RawWorkbook("x", (RawSheet("C", [["Name", "Phone"], ["Li Lei", "12345"]]),))
    >>> book = understand(raw, Settings())
    >>> plan = validate_step(StepContext(book, Settings(), date(2025, 1, 1), "en"))
    >>> [(f.where, f.problem) for f in plan.findings]
    [('C!B2', 'phone_invalid')]
    """
    check = _Context(ctx.settings.validation, ctx.as_of, ctx.lang)
    findings: list[Finding] = []
    changes: list[Any] = []
    for table in ctx.workbook.tables.values():
        table_findings = validate_table(table, check.settings, as_of=ctx.as_of, lang=ctx.lang)
        findings.extend(table_findings)
        fixed = [f for f in table_findings if ctx.fix and _fixable(f)]
        open_findings = [f for f in table_findings if not (ctx.fix and _fixable(f))]
        if fixed:
            cells = tuple(CellWrite(f.row, f.column, f.suggestion) for f in fixed)
            changes.append(SetCells(table.sheet, cells, reason="validate --fix"))
        if table.kind == "customers":
            changes.append(_issues_column(table, open_findings, ctx.lang))
        changes.extend(_highlights(table.sheet, open_findings))
    headers = {
        (t.sheet, c.index): c.header for t in ctx.workbook.tables.values() for c in t.columns
    }
    changes.append(_validation_sheet(findings, headers, ctx.lang, fixing=ctx.fix))
    rows = sum(table.count_records() for table in ctx.workbook.tables.values())
    counts = {
        "validate.rows": rows,
        "validate.findings": len(findings),
        "validate.errors": sum(1 for f in findings if f.severity == "error"),
        "validate.fixed": sum(1 for f in findings if ctx.fix and _fixable(f)),
    }
    return Plan(tuple(changes), tuple(findings), counts)


def validate_table(
    table: Table, settings: ValidationSettings, *, as_of: date, lang: Lang
) -> list[Finding]:
    """Findings for every cell of one table, in row then column order.

    >>> from toolkit.table import Column
    >>> t = Table("C", "customers", 1, (Column(1, "Email", "email"),), (("a@@b",),))
    >>> [f.problem for f in validate_table(t, ValidationSettings(), as_of=date.today(), lang="en")]
    ['column_missing', 'column_missing', 'email_invalid']
    """
    context = _Context(settings, as_of, lang)
    findings: list[Finding] = []
    for column in table.columns:
        if column.field is not None:
            findings.extend(_check_column(table, column, context))
    findings.extend(_missing_required(table, context))
    findings.sort(key=lambda f: (f.row, f.column))
    return findings


def _check_column(table: Table, column: Column, ctx: _Context) -> Iterable[Finding]:
    assert column.field is not None
    kind = field_spec(table.kind, column.field).type
    check = parser_for(
        kind, default_region=ctx.settings.default_region, day_first=ctx.settings.day_first
    )
    values = list(map(itemgetter(column.index - 1), table.rows))
    gender_style = _gender_style(values, ctx.lang) if kind == "gender" else None

    def verdict(value: CellValue) -> tuple[str, CellValue] | None:
        """(problem, suggested fix) of one distinct value, None when it is fine."""
        if is_blank(value):
            return None
        parsed = check(value)
        problem, suggestion = parsed.problem, parsed.fix
        if kind == "date" and parsed.value is not None:
            # A date that cannot be right outranks one that is merely written as text.
            out_of_range = _date_range_problem(parsed.value, column.field or "", ctx)
            if out_of_range is not None:
                problem, suggestion = out_of_range, None
        if problem is None:
            return None
        if problem == "gender_format" and gender_style is not None:
            suggestion = gender_style[0 if parsed.value == "M" else 1]
        return problem, suggestion

    bad = _bad_values(values, verdict, kind, ctx.settings.default_region)
    if not bad:
        return
    for offset, value in _rows_holding(values, bad):
        problem, suggestion = bad[_key(value) if bad.typed else value]
        row = table.row_number(offset)
        yield _finding(table, column, row, value, problem, suggestion, ctx)


class _Verdicts(dict[Any, tuple[str, CellValue]]):
    """The problem and fix of each distinct value with a problem, keyed by value, or by
    (type, value) when `typed`: 1, 1.0 and True are one dict key but not one cell."""

    typed: bool = False


# Parsers that read an int and the float equal to it alike (1 and 1.0; a test holds it).
# Their columns are keyed by value unless booleans mix with numbers (True == 1); other
# columns holding ints and floats together are keyed by (type, value).
_NUMBER_TYPES = frozenset({int, float, bool})
_TYPE_BLIND_KINDS = frozenset({"id", "text", "name", "phone", "email", "amount", "count", "gender"})


def _needs_typed_keys(types: set[type], kind: str) -> bool:
    if bool in types and (int in types or float in types):
        return True
    return int in types and float in types and kind not in _TYPE_BLIND_KINDS


def _key(value: CellValue) -> tuple[type, CellValue]:
    return type(value), value


def _bad_values(
    values: list[CellValue],
    verdict: Callable[[CellValue], tuple[str, CellValue] | None],
    kind: str,
    region: str,
) -> _Verdicts:
    """Each distinct value's verdict where it has a problem; every distinct value is judged
    once, and the values a screen passes (see toolkit.normalize.screens) are not judged."""
    bad = _Verdicts()
    distinct = set(values)
    types = set(map(type, distinct))
    if not types.isdisjoint(_NUMBER_TYPES):
        types = set(map(type, values))  # True and 1 are one element of `distinct`
    if _needs_typed_keys(types, kind):
        bad.typed = True
        for key in dict.fromkeys(map(_key, values)):
            found = verdict(key[1])
            if found is not None:
                bad[key] = found
        return bad
    for value in needs_parsing(kind, distinct, default_region=region):
        found = verdict(value)
        if found is not None:
            bad[value] = found
    return bad


def _rows_holding(values: list[CellValue], bad: _Verdicts) -> Iterator[tuple[int, CellValue]]:
    """(offset, value) of the rows whose value has a problem, in row order."""
    held = map(bad.__contains__, map(_key, values) if bad.typed else values)
    for offset in compress(count(), held):
        yield offset, values[offset]


def _date_range_problem(value: date, field: str, ctx: _Context) -> str | None:
    day = value.date() if isinstance(value, datetime) else value
    if day > ctx.as_of and field not in ctx.settings.future_allowed:
        return "date_future"
    if day.year < ctx.settings.earliest_year:
        return "date_too_old"
    return None


def _gender_style(values: list[CellValue], lang: Lang) -> tuple[str, str]:
    """Write fixed genders the way most of the column already does."""
    seen: Counter[str] = Counter()
    for value, times in Counter(v for v in values if isinstance(v, str)).items():
        for style, pair in _GENDER_STYLES.items():
            if value in pair:
                seen[style] += times
    style = seen.most_common(1)[0][0] if seen else lang
    return _GENDER_STYLES[style]


def _missing_required(table: Table, ctx: _Context) -> Iterable[Finding]:
    if table.kind != "customers":
        return
    for field in ctx.settings.required:
        column = table.column(field)
        if field == "name" and column is None and table.has("last_name"):
            column = table.column("last_name")
        if column is None:
            found = ", ".join(c.header for c in table.columns if c.header)
            message = say(
                MESSAGES["column_missing"], ctx.lang, sheet=table.sheet, found=found, field=field
            )
            yield Finding(table.sheet, table.header_row, 1, field, None, "column_missing", message)
            continue
        values = list(map(itemgetter(column.index - 1), table.rows))
        blanks = _blank_values(set(values))
        for offset in compress(count(), map(blanks.__contains__, values)):
            if has_value(table.rows[offset]):
                yield _finding(
                    table, column, table.row_number(offset), None, "required_missing", None, ctx
                )


def _blank_values(distinct: set[CellValue]) -> set[CellValue]:
    """The blank ones among distinct values (see is_blank): None, "" and spaces only."""
    spaces: Iterable[str]
    if set(map(type, distinct)) <= {str, type(None)}:
        spaces = filter(str.isspace, filter(None, distinct))  # type: ignore[arg-type]
    else:
        values = list(distinct)
        spaces = filter(str.isspace, compress(values, map(isinstance, values, repeat(str))))  # type: ignore[arg-type]
    return {None, "", *spaces}


def _finding(
    table: Table,
    column: Column,
    row: int,
    value: CellValue,
    problem: str,
    suggestion: CellValue,
    ctx: _Context,
) -> Finding:
    message = say(
        MESSAGES[problem], ctx.lang, as_of=ctx.as_of.isoformat(), year=ctx.settings.earliest_year
    )
    severity: Severity = "warning" if problem in WARNINGS else "error"
    return Finding(
        table.sheet,
        row,
        column.index,
        column.field or "",
        value,
        problem,
        message,
        suggestion,
        severity,
    )


def _fixable(finding: Finding) -> bool:
    return finding.problem in SAFE_FIXES and finding.suggestion is not None


def _issues_column(table: Table, findings: list[Finding], lang: Lang) -> SetColumn:
    by_row: dict[int, list[str]] = {}
    headers = {c.index: c.header for c in table.columns}
    for f in findings:
        header = headers.get(f.column, f.field)
        by_row.setdefault(f.row, []).append(f"{header}: {say(SHORT[f.problem], lang)}")
    separator = "；" if lang == "zh" else "; "
    values = tuple(
        separator.join(by_row[row]) if row in by_row else None
        for row in range(table.first_row, table.last_row + 1)
    )
    return SetColumn(
        table.sheet, "issues", label("issues", lang), table.header_row, table.first_row, values
    )


def _highlights(sheet: str, findings: list[Finding]) -> list[Highlight]:
    errors = tuple(
        (f.row, f.column)
        for f in findings
        if f.severity == "error" and f.problem != "column_missing"
    )
    warnings = tuple((f.row, f.column) for f in findings if f.severity == "warning")
    return [Highlight(sheet, "error", errors), Highlight(sheet, "warning", warnings)]


def _validation_sheet(
    findings: list[Finding], headers: dict[tuple[str, int], str], lang: Lang, *, fixing: bool
) -> WriteSheet:
    rows: list[tuple[CellValue, ...]] = []
    for f in findings:
        status = STATUS_FIXED if fixing and _fixable(f) else STATUS_OPEN
        letter = f.where.split("!")[1].rstrip("0123456789")
        rows.append(
            (
                f.sheet,
                f.row,
                letter,
                headers.get((f.sheet, f.column), f.field),
                _display(f.value),
                f.message,
                _display(f.suggestion),
                say(status, lang),
            )
        )
    if not rows:
        rows.append((say(NO_PROBLEMS, lang),) + (None,) * 7)
    return WriteSheet(
        "validation",
        label("validation", lang),
        SHEET_HEADER[lang],
        tuple(rows),
        column_widths=(14, 6, 6, 36, 22, 30, 22, 10),
    )


def _display(value: CellValue) -> CellValue:
    """Values shown on the Validation sheet: dates as ISO text, so nothing is re-typed."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return value
