"""The Duplicates sheet as staff edited it: which rows to keep, skip, or merge after review.

The sheet (`Duplicates` / `重复客户`) lists each group with an Action column (处理): the core
row says keep (保留), the others merge (合并). Staff change it before merging: skip (跳过)
leaves a row out of the merge, keep makes a row the survivor (or keeps it as it is when the
group already has one), and merge on the rows of a review pair merges them. Rows are named by
their customer-sheet row number; a decision whose row now holds another customer (rows were
inserted since) is ignored and reported, never applied to the wrong customer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from toolkit.i18n import Text, own_sheet_key, say
from toolkit.plan import Finding
from toolkit.routines.linking import reference_key
from toolkit.table import CellValue, Lang, RawSheet, RawWorkbook, Table, is_blank

Action = Literal["keep", "merge", "skip"]

GROUP = Text("Group", "重复组")
ACTION = Text("Action", "处理")
ROW = Text("Row", "行号")
SCORE = Text("Score", "相似度")
REASON = Text("Reason", "原因")
REVIEW_SECTION = Text("For review", "待复核")
REVIEW_HINT = Text(
    "Possible duplicates: write merge in Action on both rows to merge them",
    "可能重复：在两行的处理列填写“合并”即可合并",
)
ACTION_WORDS: dict[Action, Text] = {
    "keep": Text("keep", "保留"),
    "merge": Text("merge", "合并"),
    "skip": Text("skip", "跳过"),
}
_SYNONYMS: dict[str, Action] = {
    "keep": "keep", "保留": "keep", "留": "keep", "survivor": "keep", "主": "keep",
    "merge": "merge", "合并": "merge", "yes": "merge", "y": "merge", "是": "merge",
    "skip": "skip", "跳过": "skip", "不合并": "skip", "no": "skip", "n": "skip", "否": "skip",
    "ignore": "skip", "忽略": "skip",
}  # fmt: skip
STALE = Text(
    "Row {row} holds {now!r} now, not {then!r} as when the Duplicates sheet was written; "
    "its decision was ignored. Check the Duplicates sheet and run again.",
    "第 {row} 行现在是“{now}”，不是写入重复客户表时的“{then}”，该行的处理意见已忽略。"
    "请检查重复客户表后重新运行。",
)


def action_of(value: CellValue) -> Action | None:
    """A staff decision from what they typed, in either language.

    >>> action_of(" 跳过 "), action_of("Keep"), action_of("合并"), action_of("")
    ('skip', 'keep', 'merge', None)
    """
    if is_blank(value):
        return None
    return _SYNONYMS.get(str(value).strip().casefold())


@dataclass(frozen=True)
class Decisions:
    """Staff decisions by customer-sheet row."""

    actions: dict[int, Action] = field(default_factory=dict)
    groups: dict[int, str] = field(default_factory=dict)  # row -> group label as reviewed
    accepted_pairs: tuple[tuple[int, int], ...] = ()  # review pairs staff said to merge
    findings: tuple[Finding, ...] = ()

    def action(self, row: int) -> Action | None:
        return self.actions.get(row)


def duplicates_sheet(raw: RawWorkbook) -> RawSheet | None:
    """Our Duplicates sheet (either language), if the workbook has one."""
    return next((s for s in raw.sheets if own_sheet_key(s.name) == "duplicates"), None)


def read_decisions(raw: RawWorkbook, customers: Table, lang: Lang) -> Decisions:
    """Staff decisions from the workbook's Duplicates sheet (none when it has none).

    Each decision is checked against the customer now at that row: same name, or same
    customer id when the sheet shows one.

    >>> from toolkit.table import Column
    >>> t = Table("C", "customers", 1, (Column(1, "Name", "name"),), (("Li",),))
    >>> read_decisions(RawWorkbook("x", ()), t, "en").actions
    {}
    """
    sheet = duplicates_sheet(raw)
    if sheet is None or not sheet.rows:
        return Decisions()
    columns = _header_columns(sheet.rows[0])
    if "action" not in columns or "row" not in columns:
        return Decisions()
    current = _identities(customers)
    actions: dict[int, Action] = {}
    groups: dict[int, str] = {}
    review_rows: dict[str, list[int]] = defaultdict(list)
    findings: list[Finding] = []
    for number, values in enumerate(sheet.rows[1:], start=2):
        row = _row_number(_at(values, columns["row"]))
        action = action_of(_at(values, columns["action"]))
        if row is None or action is None:
            continue
        then = _identity_in(values, sheet.rows[0], customers)
        now = current.get(row, "")
        if then and then != now:
            findings.append(_stale(sheet.name, number, columns["row"], row, now, then, lang))
            continue
        actions[row] = action
        group = str(_at(values, columns.get("group", -1)) or "").strip()
        groups[row] = group
        if action == "merge" and group.upper().startswith("R"):
            review_rows[group].append(row)
    pairs = tuple((rows[0], other) for rows in review_rows.values() for other in rows[1:])
    return Decisions(actions, groups, pairs, tuple(findings))


def _header_columns(header: Sequence[CellValue]) -> dict[str, int]:
    wanted = {"group": GROUP, "action": ACTION, "row": ROW}
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        text = str(value).strip().casefold() if not is_blank(value) else ""
        for key, label in wanted.items():
            if text in (label.en.casefold(), label.zh.casefold()):
                found.setdefault(key, index)
    return found


def _at(values: Sequence[CellValue], index: int) -> CellValue:
    return values[index] if 0 <= index < len(values) else None


def _row_number(value: CellValue) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = int(float(str(value).strip()))
    except ValueError:
        return None
    return number if number > 0 else None


def _identities(customers: Table) -> dict[int, str]:
    """What identifies the customer at each sheet row: id when there is one, else name."""
    field_name = "customer_id" if customers.has("customer_id") else "name"
    values = customers.values(field_name)
    return {customers.row_number(i): reference_key(v) for i, v in enumerate(values)}


def _identity_in(values: Sequence[CellValue], header: Sequence[CellValue], customers: Table) -> str:
    """The same identity as written in the Duplicates sheet's copy of the customer's cells."""
    field_name = "customer_id" if customers.has("customer_id") else "name"
    column = customers.column(field_name)
    if column is None:
        return ""
    wanted = column.header.strip().casefold()
    for index, title in enumerate(header):
        if not is_blank(title) and str(title).strip().casefold() == wanted:
            return reference_key(_at(values, index))
    return ""


def _stale(
    sheet: str, number: int, column: int, row: int, now: str, then: str, lang: Lang
) -> Finding:
    message = say(STALE, lang, row=row, now=now, then=then)
    return Finding(
        sheet, number, column + 1, "row", row, "duplicate_stale", message, None, "warning"
    )
