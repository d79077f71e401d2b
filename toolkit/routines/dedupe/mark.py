"""Mark mode: say which rows are duplicates, and list the groups for review.

Three columns of ours on the customer sheet (重复组 / 重复相似度 / 重复原因), the name cells of
grouped rows coloured, and the Duplicates sheet (重复客户): every group side by side with an
Action column staff can edit before merging, then a "for review" section of pairs below the
match threshold. Decisions already written in an earlier Duplicates sheet are carried over,
so re-running the marking never throws away staff's review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from toolkit.i18n import label, say
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.plan import Change, Highlight, HighlightStyle, Plan, SetColumn, WriteSheet
from toolkit.routines.dedupe.decisions import (
    ACTION,
    ACTION_WORDS,
    GROUP,
    REASON,
    REVIEW_HINT,
    REVIEW_SECTION,
    ROW,
    SCORE,
    Action,
    Decisions,
)
from toolkit.routines.dedupe.explain import ValueOf, explain, written_values
from toolkit.routines.dedupe.find import Duplicates, PairEvidence
from toolkit.routines.dedupe.survivorship import survivor_of
from toolkit.table import CellValue, Lang, Table

MAX_REVIEW_PAIRS = 5_000  # beyond this, the threshold is the thing to change, not the list
SheetRow = tuple[CellValue, ...]


def mark_plan(
    customers: Table,
    found: Duplicates,
    decisions: Decisions,
    lang: Lang,
    settings: DedupeSettings | None = None,
) -> Plan:
    """Columns, highlight and Duplicates sheet for what was found.

    In the sheet, each group's first row is the row a merge would keep (by the settings'
    survivor rules), marked keep; the others are marked merge: the sheet previews the merge.

    >>> from toolkit.models.dedupe_settings import DedupeSettings
    >>> from toolkit.routines.dedupe.find import find_duplicates
    >>> from toolkit.table import Column
    >>> cols = (Column(1, "姓名", "name"), Column(2, "手机", "phone"))
    >>> t = Table("客户", "customers", 1, cols, (("张伟", "13800138000"), ("章伟", "13800138000")))
    >>> plan = mark_plan(t, find_duplicates(t, DedupeSettings()), Decisions(), "zh")
    >>> plan.changes[0].values, plan.changes[2].values
    (('D0001', 'D0001'), ('姓名 张伟≈章伟（同音）；电话相同', '姓名 章伟≈张伟（同音）；电话相同'))
    """
    value_of = written_values(customers)
    size = len(customers.rows)
    group: list[CellValue] = [None] * size
    score: list[CellValue] = [None] * size
    reason: list[CellValue] = [None] * size
    explained: dict[int, str] = {}  # the Duplicates sheet says the same: explained once
    for found_group in found.groups:
        for row, probability, evidence in zip(
            found_group.rows, found_group.scores, found_group.evidence, strict=True
        ):
            group[row] = found_group.group_id
            score[row] = round(probability, 3)
            reason[row] = explained[row] = explain(evidence, value_of, lang)
    sheet = duplicates_sheet(
        customers, found, decisions, lang, settings or DedupeSettings(), explained=explained
    )
    changes: list[Change] = [
        _column(customers, "duplicate_group", group, lang),
        _column(customers, "duplicate_score", score, lang, "0.000"),
        _column(customers, "duplicate_reason", reason, lang),
        Highlight(customers.sheet, "duplicate", _name_cells(customers, found)),
        sheet,
    ]
    counts = dict(found.counts)
    counts["dedupe.rows"] = size
    return Plan(tuple(changes), decisions.findings, counts)


def _column(
    customers: Table,
    key: str,
    values: list[CellValue],
    lang: Lang,
    number_format: str | None = None,
) -> SetColumn:
    return SetColumn(
        customers.sheet,
        key,
        label(key, lang),
        customers.header_row,
        customers.first_row,
        tuple(values),
        number_format,
    )


def _name_cells(customers: Table, found: Duplicates) -> tuple[tuple[int, int], ...]:
    column = customers.column("name") or customers.column("last_name")
    index = column.index if column is not None else customers.columns[0].index
    rows = sorted(r for g in found.groups for r in g.rows)
    return tuple((customers.row_number(r), index) for r in rows)


def duplicates_sheet(
    customers: Table,
    found: Duplicates,
    decisions: Decisions,
    lang: Lang,
    settings: DedupeSettings,
    *,
    explained: Mapping[int, str] | None = None,
) -> WriteSheet:
    """The review sheet: groups side by side (survivor first), then pairs for review.

    `explained`: each grouped row's reason (`explain` of its evidence), when already known.
    """
    value_of = written_values(customers)
    header = (
        say(GROUP, lang),
        say(ACTION, lang),
        say(ROW, lang),
        say(SCORE, lang),
        say(REASON, lang),
        *(c.header for c in customers.columns),
    )
    rows: list[SheetRow] = []
    for g in found.groups:
        survivor = survivor_of(customers, g.rows, settings.survivor)
        members = sorted(
            zip(g.rows, g.scores, g.evidence, strict=True), key=lambda m: m[0] != survivor
        )
        for row, probability, evidence in members:
            default: Action = "keep" if row == survivor else "merge"
            action = decisions.action(customers.row_number(row)) or default
            reason = explained[row] if explained is not None else explain(evidence, value_of, lang)
            rows.append(_sheet_row(customers, g.group_id, action, row, probability, reason, lang))
    styles: list[tuple[int, HighlightStyle]] = []
    if found.review:
        rows.append(())
        styles.append((len(rows), "review"))
        rows.append((say(REVIEW_SECTION, lang), None, None, None, say(REVIEW_HINT, lang)))
        rows.extend(
            _review_rows(customers, found.review[:MAX_REVIEW_PAIRS], decisions, lang, value_of)
        )
    widths = (10.0, 8.0, 8.0, 9.0, 48.0, *(14.0 for _ in customers.columns))
    return WriteSheet(
        "duplicates", label("duplicates", lang), header, tuple(rows), widths, tuple(styles)
    )


def _review_rows(
    customers: Table,
    review: Sequence[PairEvidence],
    decisions: Decisions,
    lang: Lang,
    value_of: ValueOf,
) -> list[SheetRow]:
    width = max(4, len(str(len(review))))
    rows: list[SheetRow] = []
    for number, pair in enumerate(review, start=1):
        reason = explain(pair, value_of, lang)
        for row in (pair.a, pair.b):
            action = decisions.action(customers.row_number(row))
            rows.append(
                _sheet_row(
                    customers, f"R{number:0{width}d}", action, row, pair.probability, reason, lang
                )
            )
    return rows


def _sheet_row(
    customers: Table,
    group_id: str,
    action: Action | None,
    row: int,
    probability: float,
    reason: str,
    lang: Lang,
) -> SheetRow:
    word = say(ACTION_WORDS[action], lang) if action is not None else None
    cells = customers.rows[row]
    copied = tuple(cells[c.index - 1] for c in customers.columns)
    return (group_id, word, customers.row_number(row), round(probability, 3), reason, *copied)
