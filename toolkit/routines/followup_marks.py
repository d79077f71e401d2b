"""Reminders staff marked done, read back from the sheets an earlier run wrote.

Staff write a date in the Done (已跟进) column of the Follow-ups sheet. That sheet is replaced
on every run, so before planning, the marks are read from the previous sheet (and from the
per-owner sheets) and kept on a Follow-up Log sheet (跟进记录), which carries them from run to
run: a done reminder never comes back, and its date counts as a contact with the customer.
A mark is keyed by customer + reason + due date, the way a reminder is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from toolkit.i18n import OWN_SHEETS, Text, own_sheet_key, say
from toolkit.models.followup_settings import REASONS, Reason
from toolkit.plan import Finding
from toolkit.routines.cell_values import date_of, text_of
from toolkit.routines.linking import reference_key
from toolkit.table import CellValue, Lang, RawSheet, RawWorkbook, is_blank

# Columns of the Follow-ups sheet (and of the per-owner sheets and the log), by role.
COLUMNS: dict[str, Text] = {
    "customer_id": Text("Customer ID", "客户编号"),
    "customer": Text("Customer", "客户"),
    "owner": Text("Owner", "负责人"),
    "reason": Text("Reason", "提醒原因"),
    "due": Text("Due Date", "到期日"),
    "days_overdue": Text("Days Overdue", "逾期天数"),
    "phone": Text("Phone", "手机"),
    "email": Text("Email", "邮箱"),
    "action": Text("Suggested Action", "建议动作"),
    "done": Text("Done", "已跟进"),
}
REASON_LABELS: dict[Reason, Text] = {
    "regular": Text("Regular follow-up", "定期跟进"),
    "birthday": Text("Birthday", "生日关怀"),
    "holiday": Text("Holiday care", "节日关怀"),
    "complaint_followup": Text("Complaint follow-up", "投诉回访"),
    "complaint_overdue": Text("Complaint past SLA", "投诉超时"),
    "win_back": Text("Win-back", "流失挽回"),
    "welcome": Text("Welcome call", "新客户欢迎"),
    "reclaim": Text("Reclaim (public pool)", "公海回收"),
}
NO_OWNER = Text("(no owner)", "（未分配）")
UNREADABLE_MARK = Text(
    "Done mark not understood: the row needs its customer, reason and due date as written",
    "无法识别的已跟进标记：请保留该行的客户、提醒原因和到期日",
)

_ROLE_OF_HEADER = {label.casefold(): role for role, text in COLUMNS.items() for label in text}
_REASON_OF_LABEL = {label.casefold(): r for r, text in REASON_LABELS.items() for label in text}


@dataclass(frozen=True)
class DoneMark:
    """A reminder marked done: which one (customer, reason, due) and when."""

    customer: str  # customer key, see `customer_key`
    reason: Reason
    due: date
    done: date
    customer_id: str = ""
    name: str = ""
    owner: str = ""

    @property
    def key(self) -> tuple[str, Reason, date]:
        return (self.customer, self.reason, self.due)


def customer_key(customer_id: str, name: str) -> str:
    """How reminders and marks name a customer: by id when the sheet has ids, else by name.

    >>> customer_key(" C０01 ", "Li"), customer_key("", "张 三")
    ('c001', '张三')
    """
    return reference_key(customer_id) or reference_key(name)


def owner_sheet_title(owner: str, lang: Lang) -> str:
    """The per-owner sheet's name: at most 31 characters, none that Excel refuses.

    >>> owner_sheet_title("王伟", "zh"), owner_sheet_title("A/B: team", "en")
    ('跟进提醒 - 王伟', 'Follow-ups - A_B_ team')
    """
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in owner).strip("' ")
    return f"{say(OWN_SHEETS['followups'], lang)} - {cleaned}"[:31]


def is_followup_sheet(name: str) -> bool:
    """True for the Follow-ups sheet, the log and the per-owner sheets (either language)."""
    if own_sheet_key(name) in {"followups", "followup_log"}:
        return True
    prefixes = tuple(f"{label} - ".casefold() for label in OWN_SHEETS["followups"])
    return name.strip().casefold().startswith(prefixes)


def read_marks(
    raw: RawWorkbook, *, as_of: date, day_first: bool = False, lang: Lang = "en"
) -> tuple[tuple[DoneMark, ...], tuple[Finding, ...]]:
    """Every done mark on our follow-up sheets, one per reminder (the earliest done date).

    A Done cell holding something other than a date ("✓", "是", 1) counts as done on `as_of`.
    Example: a Follow-ups row (C001, Ann Lee, Wang, Birthday, 2025-07-03, ..., Done 2025-06-30)
    gives DoneMark("c001", "birthday", date(2025, 7, 3), date(2025, 6, 30), ...).
    """
    marks: dict[tuple[str, Reason, date], DoneMark] = {}
    findings: list[Finding] = []
    for sheet in raw.sheets:
        if not is_followup_sheet(sheet.name) or not sheet.rows:
            continue
        for mark in _sheet_marks(sheet, as_of, day_first, lang, findings):
            kept = marks.get(mark.key)
            if kept is None or mark.done < kept.done:
                marks[mark.key] = mark
    ordered = sorted(marks.values(), key=lambda m: (m.done, m.customer, REASONS.index(m.reason)))
    return tuple(ordered), tuple(findings)


def log_rows(
    marks: Iterable[DoneMark], lang: Lang, *, with_id: bool
) -> tuple[tuple[CellValue, ...], ...]:
    """Rows of the Follow-up Log sheet (columns as `log_header`).

    >>> log_rows([DoneMark("li", "birthday", date(2025, 7, 3), date(2025, 7, 1), "", "Li")],
    ...          "en", with_id=False)[0][2:]
    ('Birthday', datetime.date(2025, 7, 3), datetime.date(2025, 7, 1))
    """
    rows: list[tuple[CellValue, ...]] = []
    for m in marks:
        who: tuple[CellValue, ...] = (m.customer_id, m.name) if with_id else (m.name,)
        rows.append((*who, m.owner, say(REASON_LABELS[m.reason], lang), m.due, m.done))
    return tuple(rows)


def log_header(lang: Lang, *, with_id: bool) -> tuple[str, ...]:
    """Columns of the Follow-up Log sheet.

    >>> log_header("zh", with_id=False)
    ('客户', '负责人', '提醒原因', '到期日', '已跟进')
    """
    roles = ("customer_id",) * with_id + ("customer", "owner", "reason", "due", "done")
    return tuple(say(COLUMNS[role], lang) for role in roles)


def _sheet_marks(
    sheet: RawSheet, as_of: date, day_first: bool, lang: Lang, findings: list[Finding]
) -> Iterable[DoneMark]:
    roles = _header_roles(sheet.rows[0])
    if "done" not in roles:
        return
    for number, row in enumerate(sheet.rows[1:], start=2):
        done_value = _cell(row, roles.get("done"))
        if is_blank(done_value):
            continue
        mark = _mark(row, roles, done_value, as_of, day_first)
        if mark is None:
            message = say(UNREADABLE_MARK, lang)
            findings.append(
                Finding(sheet.name, number, roles["done"], "done", done_value,
                        "followup_mark_unreadable", message, None, "warning")
            )  # fmt: skip
            continue
        yield mark


def _mark(
    row: Sequence[CellValue],
    roles: dict[str, int],
    done_value: CellValue,
    as_of: date,
    day_first: bool,
) -> DoneMark | None:
    reason = _REASON_OF_LABEL.get(text_of(_cell(row, roles.get("reason"))).casefold())
    due = date_of(_cell(row, roles.get("due")), day_first=day_first)
    customer_id = text_of(_cell(row, roles.get("customer_id")))
    name = text_of(_cell(row, roles.get("customer")))
    if reason is None or due is None or not (customer_id or name):
        return None
    # A number in Done is a tick ("1"), not an Excel serial: date cells arrive as dates.
    written = done_value if isinstance(done_value, str | date) else None
    done = date_of(written, day_first=day_first) or as_of
    owner = text_of(_cell(row, roles.get("owner")))
    return DoneMark(customer_key(customer_id, name), reason, due, done, customer_id, name, owner)


def _header_roles(header: Sequence[CellValue]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, value in enumerate(header, start=1):
        role = _ROLE_OF_HEADER.get(text_of(value).casefold())
        if role is not None:
            roles.setdefault(role, index)
    return roles


def _cell(row: Sequence[CellValue], column: int | None) -> CellValue:
    if column is None or column > len(row):
        return None
    return row[column - 1]
