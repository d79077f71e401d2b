"""Everything a workbook holds on one customer (a data subject), for access and erasure requests.

`resolve_customer` turns what staff type (a customer id, or a phone or e-mail that names exactly
one customer) into the customer's sheet row. `subject_keys` collects the identifiers of that
person: their own row's id, phones, e-mail and (when no other customer shares it) name, plus the
rows merged into them earlier (the Merged sheet keeps those whole). `find_holdings` then finds,
in any snapshot of the workbook (the current file or an older backup, whose rows may sit
elsewhere), every row that belongs to the person: their customer row, their orders and
complaints (through `CustomerIndex`, as every step links them), and rows of our own sheets and
of staff's other sheets that name them by id, phone, e-mail or unique name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal

from toolkit.errors import ToolkitError
from toolkit.i18n import is_own_sheet, own_sheet_key
from toolkit.routines.dedupe.merge import MERGED_INTO
from toolkit.routines.linking import CustomerIndex, phone_digits, reference_key
from toolkit.routines.masking import mask_email, mask_phone
from toolkit.settings_io import settings_sheet
from toolkit.table import (
    CellValue,
    RawSheet,
    RawWorkbook,
    Table,
    TableKind,
    Workbook,
    is_blank,
)

SheetRole = Literal["customers", "transactions", "complaints", "ours", "other"]
PHONE_FIELDS = ("phone", "phone2")
# The fields of an order or complaint row that may name its customer.
REFERENCE_FIELDS = ("customer_id", "customer_name", "phone", "email", "description")
# Order facts that stay, without anything naming the customer, so that sales totals still add
# up after an erasure; every other cell of the person's order rows is blanked.
ANONYMOUS_ORDER_FIELDS = frozenset({"order_date", "amount", "quantity", "product"})
_PHONE_RUN = re.compile(r"\+?\d[\d\s\-().]{5,}\d")


class SubjectError(ToolkitError):
    """The customer asked for cannot be told apart: not found, or several match."""


@dataclass(frozen=True)
class SubjectKeys:
    """The identifiers of one person, folded for matching.

    >>> no = frozenset()
    >>> keys = SubjectKeys(frozenset({"kh001"}), frozenset({"13800138000"}), no, no)
    >>> keys.names_cell("KH001"), keys.names_cell("tel 138-0013-8000"), keys.names_cell("KH0012")
    (True, True, False)
    """

    ids: frozenset[str]
    phones: frozenset[str]  # the last 11 digits
    emails: frozenset[str]  # NFKC, casefolded, stripped
    names: frozenset[str]  # reference_key of names no other customer has
    all_names: frozenset[str] = frozenset()  # every name they had, shared ones too

    def names_cell(self, value: CellValue) -> bool:
        """True when a cell holds one of the identifiers (whole, or inside longer text).

        Answers are remembered per value: products, dates and staff names repeat on every
        row of a large sheet.
        """
        if is_blank(value) or isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return False
        known = self._answers.get(value)
        if known is None:
            known = self._answers[value] = self._names(value)
        return known

    @cached_property
    def _answers(self) -> dict[CellValue, bool]:
        return {}

    def _names(self, value: str | int | float) -> bool:
        key = reference_key(value)
        if key in self.ids or key in self.names or key in self.emails:
            return True
        if phone_digits(value) in self.phones:
            return True
        return isinstance(value, str) and self._inside(unicodedata.normalize("NFKC", value))

    def _inside(self, text: str) -> bool:
        folded = text.casefold()
        if any(email in folded for email in self.emails):
            return True
        if any(phone_digits(run) in self.phones for run in _PHONE_RUN.findall(text)):
            return True
        return self._words is not None and self._words.search(folded) is not None

    @cached_property
    def _words(self) -> re.Pattern[str] | None:
        """Ids, and names of three characters or more, not touching another letter or digit.

        A two-character Chinese name is too often part of other words to erase a staff note
        for it; spaces may sit inside a name ("Wang Fang" for wangfang).
        """
        bodies = [re.escape(i) for i in self.ids]
        bodies += [r"\s*".join(map(re.escape, n)) for n in self.names if len(n) >= 3]
        if not bodies:
            return None
        return re.compile(rf"(?<![0-9a-z])(?:{'|'.join(bodies)})(?![0-9a-z])")


@dataclass(frozen=True)
class HeldRow:
    """One row held on the person: its values as read and the columns an erasure blanks."""

    row: int
    values: tuple[CellValue, ...]
    erase: tuple[int, ...]  # 1-based columns with a value to blank


@dataclass(frozen=True)
class HeldSheet:
    """The rows of one sheet that belong to the person."""

    sheet: str
    role: SheetRole
    header_row: int
    header: tuple[CellValue, ...]
    rows: tuple[HeldRow, ...]


@dataclass(frozen=True)
class Holdings:
    """Everything one snapshot of a workbook holds on the person, sheet by sheet."""

    keys: SubjectKeys
    sheets: tuple[HeldSheet, ...]

    @property
    def rows(self) -> int:
        return sum(len(s.rows) for s in self.sheets)

    @property
    def cells(self) -> int:
        return sum(len(r.erase) for s in self.sheets for r in s.rows)


def resolve_customer(workbook: Workbook, query: str) -> int:
    """The customer sheet row that `query` (an id, or a phone or e-mail of one customer) names.

    An id merged into another customer (the Merged sheet says into whom) names the survivor.
    Raises SubjectError, listing candidates masked, when nobody or several customers match.
    Example: `resolve_customer(book, "KH00015")` -> 18, and so does "KH00016", merged into it.
    """
    customers = workbook.customers
    key, digits = reference_key(query), phone_digits(query)
    by_id = [r for r, rec in customers.records() if reference_key(rec.get("customer_id")) == key]
    if len(by_id) == 1:
        return by_id[0]
    matches = by_id or [
        row
        for row, record in customers.records()
        if (digits and any(phone_digits(record.get(f)) == digits for f in PHONE_FIELDS))
        or ("@" in key and reference_key(record.get("email")) == key)
    ]
    if len(matches) == 1:
        return matches[0]
    survivor = _survivor_of_merged(workbook, key)
    if not matches and survivor and survivor != key:
        return resolve_customer(workbook, survivor)  # an id merged into another customer
    where = f"sheet '{customers.sheet}'"
    if not matches:
        raise SubjectError(
            f"No customer in {where} has the id, phone or e-mail '{_mask_query(query)}'. "
            "Give the customer id (the customer_id column) as it is written."
        )
    listed = "; ".join(_describe(customers, row) for row in matches[:10])
    raise SubjectError(
        f"{len(matches)} customers in {where} match '{_mask_query(query)}': {listed}. "
        "Give the customer id of the one meant."
    )


def subject_keys(workbook: Workbook, row: int) -> SubjectKeys:
    """The identifiers of the customer on sheet row `row` and of the rows merged into them."""
    customers = workbook.customers
    record = dict(customers.records()).get(row, {})
    records = [record, *_merged_into(workbook, record)]
    all_names = frozenset(_keys(r.get("name") for r in records))
    names = set(all_names)
    # A name shared with another customer identifies nobody: matching on it would erase them.
    for other, rec in customers.records():
        if other != row:
            names.discard(reference_key(rec.get("name")))
    return SubjectKeys(
        ids=frozenset(_keys(r.get("customer_id") for r in records)),
        phones=frozenset(phone_digits(r.get(f)) for r in records for f in PHONE_FIELDS) - {""},
        emails=frozenset(_keys(r.get("email") for r in records)),
        names=frozenset(names),
        all_names=all_names,
    )


def find_holdings(workbook: Workbook, keys: SubjectKeys, *, rows: Iterable[int] = ()) -> Holdings:
    """Every row of `workbook` that belongs to the person with `keys`.

    `rows` are customer sheet rows known to be the person (the resolved row); others are
    found by id (by phone, e-mail or unique name when the sheet has no id column). Our own
    and staff's sheets are searched for the person's identifiers and for the ids of their
    orders and complaints (the Complaint Summary lists open complaints by id).
    """
    customers = workbook.customers
    own_rows = set(rows) | set(_customer_rows(customers, keys))
    held = [_held_table(customers, "customers", sorted(own_rows), workbook)]
    index = CustomerIndex.of(customers)
    record_ids: set[str] = set()  # their order and complaint ids, which our sheets quote
    kinds: tuple[tuple[TableKind, str], ...] = (
        ("transactions", "order_id"),
        ("complaints", "complaint_id"),
    )
    for kind, id_field in kinds:
        table = workbook.table(kind)
        if table is not None:
            linked = {
                r: rec
                for r, rec in table.records()
                if index.find(rec) in own_rows
                or any(keys.names_cell(rec.get(f)) for f in REFERENCE_FIELDS)
            }
            held.append(_held_table(table, kind, list(linked), workbook))
            record_ids |= _keys(rec.get(id_field) for rec in linked.values())
    tables = {t.sheet for t in workbook.tables.values()}
    places = {(s.sheet, r.row) for s in held for r in s.rows}
    quoted = replace(keys, ids=keys.ids | record_ids)
    held.extend(_held_elsewhere(workbook.raw, quoted, tables, places))
    return Holdings(keys, tuple(s for s in held if s.rows))


def unlinked_holdings(raw: RawWorkbook, keys: SubjectKeys) -> Holdings:
    """Rows of any sheet naming the person, for a snapshot whose tables cannot be understood
    (an old backup with another layout): every sheet is searched cell by cell.

    >>> from toolkit.table import RawSheet
    >>> keys = SubjectKeys(frozenset({"c7"}), frozenset(), frozenset(), frozenset())
    >>> raw = RawWorkbook("x", (RawSheet("S", [["id", "n"], ["C7", "Li"], ["C8", "Wu"]]),))
    >>> [r.row for r in unlinked_holdings(raw, keys).sheets[0].rows]
    [2]
    """
    return Holdings(keys, tuple(_held_elsewhere(raw, keys, set(), set())))


def _customer_rows(customers: Table, keys: SubjectKeys) -> Iterator[int]:
    """Customer rows of the person: by id; without ids, by name together with phone or e-mail
    (a family sharing a phone, or two people of one name, are not one person)."""
    has_id = customers.has("customer_id")
    for row, record in customers.records():
        if has_id:
            if reference_key(record.get("customer_id")) in keys.ids:
                yield row
        elif reference_key(record.get("name")) in keys.all_names and _reached(record, keys):
            yield row


def _reached(record: dict[str, CellValue], keys: SubjectKeys) -> bool:
    """The record has one of the person's phones or e-mails."""
    phones = {phone_digits(record.get(f)) for f in PHONE_FIELDS} - {""}
    return bool(phones & keys.phones) or reference_key(record.get("email")) in keys.emails


def sharing_contacts(workbook: Workbook, holdings: Holdings) -> tuple[int, ...]:
    """Customer rows not held on the person that share a phone or e-mail with them.

    They may be a duplicate nobody merged, or a family member: staff decide, so they are
    listed, never erased on their own.
    """
    held = {r.row for s in holdings.sheets if s.role == "customers" for r in s.rows}
    return tuple(
        row
        for row, record in workbook.customers.records()
        if row not in held and _reached(record, holdings.keys)
    )


def _held_table(table: Table, role: SheetRole, rows: list[int], workbook: Workbook) -> HeldSheet:
    raw = workbook.raw.sheet(table.sheet)
    assert raw is not None
    kept = set()
    if role == "transactions":
        kept = {c.index for c in table.columns if c.field in ANONYMOUS_ORDER_FIELDS}
    held = tuple(_held_row(raw, row, kept) for row in rows)
    header = tuple(raw.rows[table.header_row - 1]) if len(raw.rows) >= table.header_row else ()
    return HeldSheet(table.sheet, role, table.header_row, header, held)


def _held_row(raw: RawSheet, row: int, kept: set[int]) -> HeldRow:
    values = tuple(raw.rows[row - 1]) if row <= len(raw.rows) else ()
    erase = tuple(c for c, v in enumerate(values, start=1) if v is not None and c not in kept)
    return HeldRow(row, values, erase)


def _held_elsewhere(
    raw: RawWorkbook, keys: SubjectKeys, tables: set[str], places: set[tuple[str, int]]
) -> Iterator[HeldSheet]:
    """Rows of our own sheets and of staff's other sheets that name the person."""
    skip = settings_sheet(raw)
    for sheet in raw.sheets:
        if sheet is skip or sheet.name in tables or sheet.name.startswith("_custkit"):
            continue
        ours = is_own_sheet(sheet.name)
        rows = [
            number
            for number, values in enumerate(sheet.rows, start=1)
            if number > 1 or not ours
            if any(keys.names_cell(v) for v in values) or _points_at(values, places, ours)
        ]
        if rows:
            header = tuple(sheet.rows[0]) if ours and sheet.rows else ()
            found = tuple(_held_row(sheet, r, set()) for r in rows)
            yield HeldSheet(
                sheet.name, "ours" if ours else "other", 1 if ours else 0, header, found
            )


def _points_at(values: Iterable[CellValue], places: set[tuple[str, int]], ours: bool) -> bool:
    """A row of our Validation sheet names a held cell by (sheet, row) in its first columns."""
    cells = list(values)[:2]
    if not ours or len(cells) < 2 or not isinstance(cells[1], (int, float)):
        return False
    return (str(cells[0]), int(cells[1])) in places


def _merged_into(workbook: Workbook, record: dict[str, CellValue]) -> list[dict[str, CellValue]]:
    """Rows of the Merged sheet that were merged into this customer, as {field: value}."""
    identities = {reference_key(record.get(f)) for f in ("customer_id", "name")} - {""}
    return [fields for into, fields in _merged_rows(workbook) if reference_key(into) in identities]


def _survivor_of_merged(workbook: Workbook, key: str) -> str | None:
    """The id (or name) a merged-away customer id was merged into, from the Merged sheet."""
    for into, fields in _merged_rows(workbook):
        if reference_key(fields.get("customer_id")) == key and not is_blank(into):
            return str(into)
    return None


def _merged_rows(workbook: Workbook) -> Iterator[tuple[CellValue, dict[str, CellValue]]]:
    """(merged into, {field: value}) for each row of the Merged sheet."""
    merged = next((s for s in workbook.raw.sheets if own_sheet_key(s.name) == "merged"), None)
    if merged is None or not merged.rows:
        return
    header = [str(h).strip() if h is not None else "" for h in merged.rows[0]]
    by_header = {c.header: c.field for c in workbook.customers.columns if c.field}
    into = next((i for i, h in enumerate(header) if h in MERGED_INTO), None)
    if into is None:
        return
    for values in merged.rows[1:]:
        fields = {by_header[h]: v for h, v in zip(header, values, strict=False) if h in by_header}
        yield (values[into] if into < len(values) else None), fields


def _keys(values: Iterable[CellValue]) -> set[str]:
    return {reference_key(v) for v in values} - {""}


def _describe(customers: Table, row: int) -> str:
    record = dict(customers.records())[row]
    parts = [f"row {row}"]
    if not is_blank(record.get("customer_id")):
        parts.append(str(record["customer_id"]))
    if not is_blank(record.get("phone")):
        parts.append(mask_phone(record["phone"]))
    if not is_blank(record.get("email")):
        parts.append(mask_email(record["email"]))
    return " ".join(parts)


def _mask_query(query: str) -> str:
    if "@" in query:
        return mask_email(query)
    if phone_digits(query):
        return mask_phone(query)
    return query


__all__ = [
    "ANONYMOUS_ORDER_FIELDS",
    "HeldRow",
    "HeldSheet",
    "Holdings",
    "SubjectError",
    "SubjectKeys",
    "find_holdings",
    "resolve_customer",
    "sharing_contacts",
    "subject_keys",
    "unlinked_holdings",
]
