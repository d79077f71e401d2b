"""Which customer a transaction or complaint row belongs to.

Orders and complaints name their customer by id (客户编号) when the sheet has one, else by
name, else by phone. `CustomerIndex` resolves any of these to the customer's sheet row, so
RFM from orders, complaint counts and follow-ups all agree on who is who.
"""

from __future__ import annotations

import unicodedata
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from toolkit.table import CellValue, Table, has_value, is_blank


def reference_key(value: CellValue) -> str:
    """A customer id or name folded for lookup: width, case, spaces; numbers as integers.

    >>> reference_key(" C０01 "), reference_key(1001.0), reference_key("张 三")
    ('c001', '1001', '张三')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    # ASCII text is its own NFKC form and folds by lower(): ids like "C0001234" skip the
    # Unicode tables (every order and complaint row is looked up this way).
    text = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return "".join(text.split())


@dataclass(frozen=True)
class CustomerIndex:
    """Customer sheet rows by id, by name and by phone key."""

    by_id: Mapping[str, int]
    by_name: Mapping[str, int]
    by_phone: Mapping[str, int]

    @classmethod
    def build(cls, customers: Table) -> CustomerIndex:
        """Index a customer table; a name shared by two customers is left out of `by_name`.

        >>> from toolkit.table import Column
        >>> t = Table("C", "customers", 1, (Column(1, "ID", "customer_id"),), (("A1",),))
        >>> CustomerIndex.build(t).by_id
        {'a1': 2}
        """
        by_id: dict[str, int] = {}
        names: dict[str, list[int]] = {}
        by_phone: dict[str, int] = {}
        name_key = _memo(reference_key)  # names repeat (王伟, James Smith): folded once each
        columns = zip(
            customers.values("customer_id"),
            customers.values("name"),
            customers.values("phone"),
            strict=True,
        )
        for offset, (customer_id, name, phone) in enumerate(columns):
            if not has_value(customers.rows[offset]):
                continue
            row = customers.first_row + offset
            if not is_blank(customer_id):
                by_id.setdefault(reference_key(customer_id), row)
            if not is_blank(name):
                names.setdefault(name_key(name), []).append(row)
            digits = phone_digits(phone)
            if digits:
                by_phone.setdefault(digits, row)
        by_name = {key: rows[0] for key, rows in names.items() if len(rows) == 1}
        return cls(by_id, by_name, by_phone)

    @classmethod
    def of(cls, customers: Table) -> CustomerIndex:
        """The index of a customer table, built once per table object and then shared.

        Scores, complaint counts and follow-ups all link rows to customers within one run;
        the same index serves them all.

        >>> from toolkit.table import Column
        >>> t = Table("C", "customers", 1, (Column(1, "ID", "customer_id"),), (("A1",),))
        >>> CustomerIndex.of(t) is CustomerIndex.of(t)
        True
        """
        entry = _BUILT.get(id(customers))
        if entry is not None and entry[0]() is customers:
            return entry[1]
        index = cls.build(customers)
        _BUILT[id(customers)] = (weakref.ref(customers), index)
        weakref.finalize(customers, _BUILT.pop, id(customers), None)
        return index

    def find(self, record: Mapping[str, CellValue]) -> int | None:
        """The customer row a transaction/complaint record points at, or None."""
        for field, index in (("customer_id", self.by_id), ("customer_name", self.by_name)):
            key = reference_key(record.get(field))
            if key and key in index:
                return index[key]
        digits = phone_digits(record.get("phone"))
        return self.by_phone.get(digits) if digits else None


def _memo(fold: Callable[[CellValue], str]) -> Callable[[CellValue], str]:
    """`fold` remembered per text cell (other cells, such as 1 and True, are folded each time)."""
    folded: dict[str, str] = {}

    def fold_once(value: CellValue) -> str:
        if type(value) is not str:
            return fold(value)
        text = folded.get(value)
        if text is None:
            text = folded[value] = fold(value)
        return text

    return fold_once


# Indexes by the id of the table they index; an entry leaves with its table.
_BUILT: dict[int, tuple[weakref.ref[Table], CustomerIndex]] = {}


def phone_digits(value: CellValue) -> str:
    """The last 11 digits of a value with at least 7 digits, else '' (how phones link).

    >>> phone_digits("+86 138-0013-8000"), phone_digits(13800138000.0), phone_digits("12")
    ('13800138000', '13800138000', '')
    """
    digits = "".join(ch for ch in reference_key(value) if ch.isdigit())
    return digits[-11:] if len(digits) >= 7 else ""
