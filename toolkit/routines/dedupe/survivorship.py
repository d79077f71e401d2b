"""Which row of a group survives, and which value each field of the survivor keeps.

The survivor is chosen by the settings' rules in order (most complete, most recent activity,
earliest customer id, first row) unless staff marked one keep. Each field then follows its
rule: sums for purchase counts and amounts, earliest signup, latest purchase and contact,
longest address, notes joined, the most recent non-empty value for the rest. Every distinct
phone and e-mail is kept: extra phones go to phone2 when it is free, and whatever has no cell
of its own is written into the notes. The merged rows themselves go whole to the Merged
sheet, so no value is ever lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from toolkit.i18n import Text, say
from toolkit.models.dedupe_settings import DedupeSettings, FieldRule, SurvivorRule
from toolkit.normalize import parse_amount, parse_count, parse_date
from toolkit.normalize.text import cell_text
from toolkit.routines.dedupe.features import Features
from toolkit.table import CellValue, Column, Lang, Table, is_blank

ACTIVITY_FIELDS = ("last_purchase_date", "last_contact_date", "signup_date")
CONTACT_FIELDS = ("phone", "phone2", "email")
OTHER_PHONES = Text("Other phones: {values}", "其他电话：{values}")
OTHER_EMAILS = Text("Other emails: {values}", "其他邮箱：{values}")
LIST_SEPARATOR = Text(", ", "、")
NOTE_SEPARATOR = "; "


def survivor_of(customers: Table, members: Sequence[int], rules: Sequence[SurvivorRule]) -> int:
    """The member (table position) that survives under the rules.

    >>> from toolkit.table import Column
    >>> cols = (Column(1, "Name", "name"), Column(2, "Email", "email"))
    >>> t = Table("C", "customers", 1, cols, (("Li", None), ("Li", "li@x.cn")))
    >>> survivor_of(t, [0, 1], ["most_complete"]), survivor_of(t, [0, 1], ["first_row"])
    (1, 0)
    """

    def rank(position: int) -> tuple[object, ...]:
        return (*(_rank(customers, position, rule) for rule in rules), position)

    return min(members, key=rank)


def _rank(customers: Table, position: int, rule: SurvivorRule) -> object:
    row = customers.rows[position]
    if rule == "most_complete":
        return -sum(1 for c in customers.columns if c.field and not is_blank(row[c.index - 1]))
    if rule == "most_recent":
        return -recency(customers, position).toordinal()
    if rule == "earliest_id":
        column = customers.column("customer_id")
        value = cell_text(row[column.index - 1]).strip() if column is not None else ""
        return (not value, len(value), value)  # C9 before C10; blank ids last
    return position


def recency(customers: Table, position: int) -> date:
    """The latest activity date of a row (purchase, contact, signup); date.min when none.

    >>> from toolkit.table import Column
    >>> column = Column(1, "注册日期", "signup_date")
    >>> t = Table("C", "customers", 1, (column,), (("2024年3月5日",),))
    >>> recency(t, 0)
    datetime.date(2024, 3, 5)
    """
    found = [_date(customers, position, f) for f in ACTIVITY_FIELDS]
    return max((d for d in found if d is not None), default=date.min)


def _date(customers: Table, position: int, field: str) -> date | None:
    column = customers.column(field)
    if column is None:
        return None
    return parse_date(customers.rows[position][column.index - 1]).value


def merged_values(
    customers: Table,
    features: Features,
    survivor: int,
    merged: Sequence[int],
    settings: DedupeSettings,
    lang: Lang,
) -> dict[int, CellValue]:
    """New values of the survivor's cells, by 0-based column index (unchanged ones left out).

    Example: survivor 3 orders + copies 2 and 1 -> {purchase_count column: 6}; a copy's
    second phone goes to phone2 when the survivor's is empty, else into the notes.
    """
    members = [survivor, *sorted(merged, key=lambda p: recency(customers, p), reverse=True)]
    result: dict[int, CellValue] = {}
    for column in customers.columns:
        if column.field is None or column.field in CONTACT_FIELDS or column.field == "notes":
            continue
        cells = [customers.rows[p][column.index - 1] for p in members]
        value = combine(cells, settings.rule_for(column.field))
        if value != cells[0]:
            result[column.index - 1] = value
    result.update(_contacts(customers, features, members, settings, lang))
    return result


def combine(cells: Sequence[CellValue], rule: FieldRule) -> CellValue:
    """One value from the members' cells (survivor first, then most recent first).

    >>> combine([None, "b", "c"], "survivor"), combine(["ab", "abc"], "longest")
    ('b', 'abc')
    >>> combine(["¥1,000", 250.5], "sum"), combine(["2024-03-01", "2023-01-05"], "earliest")
    (1250.5, '2023-01-05')
    """
    present = [c for c in cells if not is_blank(c)]
    if not present:
        return cells[0]
    if rule in ("survivor", "most_recent"):
        return present[0]
    if rule == "longest":
        return max(present, key=lambda c: len(cell_text(c).strip()))
    if rule == "join":
        texts = list(dict.fromkeys(cell_text(c).strip() for c in present))
        return NOTE_SEPARATOR.join(texts)
    if rule in ("sum", "max"):
        return _numeric(cells[0], present, rule)
    dated = [(d, c) for c in present if (d := parse_date(c).value) is not None]
    if not dated:
        return present[0]
    pick = min if rule == "earliest" else max
    return pick(dated, key=lambda pair: pair[0])[1]


def _numeric(first: CellValue, present: list[CellValue], rule: FieldRule) -> CellValue:
    """Sum or max of numbers written any usual way.

    The survivor's own value stays when any member's cannot be read as a number.
    """
    counts = [parse_count(c).value for c in present]
    if all(v is not None for v in counts) and not any(isinstance(c, float) for c in present):
        whole = [int(v) for v in counts if v is not None]
        return sum(whole) if rule == "sum" else max(whole)
    amounts = [parse_amount(c).value for c in present]
    if any(v is None for v in amounts):
        return first
    numbers = [float(v) for v in amounts if v is not None]
    total = round(sum(numbers), 2) if rule == "sum" else max(numbers)
    return int(total) if total.is_integer() else total


def _contacts(
    customers: Table,
    features: Features,
    members: list[int],
    settings: DedupeSettings,
    lang: Lang,
) -> dict[int, CellValue]:
    """Phones, e-mails and notes: every distinct number and address kept somewhere."""
    phone, phone2, email, notes = (
        customers.column(f) for f in ("phone", "phone2", "email", "notes")
    )
    phones = _distinct(customers, members, [phone, phone2], features, is_phone=True)
    emails = _distinct(customers, members, [email], features, is_phone=False)
    result: dict[int, CellValue] = {}
    extra_phones = _place(customers, members[0], [phone, phone2], phones, result)
    extra_emails = _place(customers, members[0], [email], emails, result)
    if notes is not None:
        cells = [customers.rows[p][notes.index - 1] for p in members]
        lines = [combine(cells, settings.rule_for("notes"))]
        separator = say(LIST_SEPARATOR, lang)
        if extra_phones:
            lines.append(say(OTHER_PHONES, lang, values=separator.join(extra_phones)))
        if extra_emails:
            lines.append(say(OTHER_EMAILS, lang, values=separator.join(extra_emails)))
        text = NOTE_SEPARATOR.join(cell_text(v).strip() for v in lines if not is_blank(v))
        if text != cell_text(cells[0]).strip():
            result[notes.index - 1] = text or None
    return result


def _distinct(
    customers: Table,
    members: list[int],
    columns: Sequence[Column | None],
    features: Features,
    *,
    is_phone: bool,
) -> list[str]:
    """Distinct values as written, in member order; one spelling per matching key."""
    seen: dict[str, str] = {}
    for position in members:
        for slot, column in enumerate(columns):
            if column is None:
                continue
            value = customers.rows[position][column.index - 1]
            if is_blank(value):
                continue
            key = _contact_key(features, position, slot, is_phone) or cell_text(value).strip()
            seen.setdefault(key, cell_text(value).strip())
    return list(seen.values())


def _contact_key(features: Features, position: int, slot: int, is_phone: bool) -> str:
    if is_phone:
        return features.phones.key(position + slot * features.size)
    return features.email.key(position)


def _place(
    customers: Table,
    survivor: int,
    columns: Sequence[Column | None],
    values: list[str],
    result: dict[int, CellValue],
) -> list[str]:
    """Fill the survivor's empty contact cells with values it lacks; return what is left."""
    own = {
        cell_text(customers.rows[survivor][c.index - 1]).strip() for c in columns if c is not None
    }
    left = [v for v in values if v not in own]
    for column in columns:
        if column is None or not left:
            continue
        index = column.index - 1
        if is_blank(customers.rows[survivor][index]):
            result[index] = left.pop(0)
    return left
