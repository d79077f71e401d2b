"""Which customer a transaction or complaint row belongs to.

Orders and complaints name their customer by id (客户编号) when the sheet has one, else by
name, else by phone. `CustomerIndex` resolves any of these to the customer's sheet row, so
RFM from orders, complaint counts and follow-ups all agree on who is who.
"""

from __future__ import annotations

import unicodedata
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from itertools import compress, count, repeat
from operator import and_, not_
from typing import Any, TypeVar

from toolkit.table import CellValue, Table, is_blank

T = TypeVar("T")


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


class CustomerIndex:
    """Customer sheet rows by id, by name and by phone key.

    Each of the three maps is made from its whole column on first use: orders and complaints
    that name their customer by id never need the name and phone maps, which at a million
    customers cost seconds to make.
    """

    def __init__(self, customers: Table) -> None:
        # The rows and where each field is, not the table: an index kept in `_BUILT` must not
        # keep its table alive. A column is read when its map is first needed.
        self._first_row = customers.first_row
        self._rows = customers.rows
        self._at = {
            field: None if column is None else column.index - 1
            for field in ("customer_id", "name", "phone")
            for column in (customers.column(field),)
        }
        self._linked: dict[tuple[int, int | None], tuple[object, list[int]]] = {}

    def _values(self, field: str) -> list[CellValue]:
        """Every data row's cell of a field, as `Table.values` reads it."""
        at = self._at[field]
        if at is None:
            return [None] * len(self._rows)
        return [row[at] for row in self._rows]

    @classmethod
    def build(cls, customers: Table) -> CustomerIndex:
        """Index a customer table; a name shared by two customers is left out of `by_name`.

        >>> from toolkit.table import Column
        >>> t = Table("C", "customers", 1, (Column(1, "ID", "customer_id"),), (("A1",),))
        >>> CustomerIndex.build(t).by_id
        {'a1': 2}
        """
        return cls(customers)

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

    @cached_property
    def by_id(self) -> Mapping[str, int]:
        """`reference_key` of each customer id -> the first sheet row holding it."""
        return _first_rows(reference_keys(self._values("customer_id")), self._first_row)

    @cached_property
    def by_name(self) -> Mapping[str, int]:
        """`reference_key` of each name no other customer has -> its sheet row."""
        keys = reference_keys(self._values("name"))
        times = Counter(keys)
        rows = range(self._first_row, self._first_row + len(keys))
        unique = (key is not None and times[key] == 1 for key in keys)
        return dict(compress(zip(keys, rows, strict=True), unique))  # type: ignore[arg-type]

    @cached_property
    def by_phone(self) -> Mapping[str, int]:
        """`phone_digits` of each phone -> the first sheet row holding it."""
        digits = _each_distinct(self._values("phone"), phone_digits)
        return _first_rows([d or None for d in digits], self._first_row)

    def id_rows(self, ids: list[CellValue]) -> list[int]:
        """The customer row of each id, as `find` answers a record naming only that id
        (-1: none); each distinct id is folded once.

        >>> from toolkit.table import Column
        >>> t = Table("C", "customers", 1, (Column(1, "ID", "customer_id"),), (("A1",),))
        >>> CustomerIndex.of(t).id_rows(["a1", "A1 ", None, "B2"])
        [2, 2, -1, -1]
        """
        by_id = self.by_id
        # 1, 1.0 and True are one dict key but fold apart ("1", "1", "true"): keyed by type.
        numeric = bool(set(map(type, ids)) & {int, float, bool})
        keyed: list[Any] = list(zip(map(type, ids), ids, strict=True)) if numeric else ids
        distinct = list(dict.fromkeys(keyed))
        keys = reference_keys([cell for _, cell in distinct] if numeric else distinct)
        if "" in by_id:  # an id that folds to nothing: `find` never looks it up
            rows: Iterable[int] = (by_id.get(key, -1) if key else -1 for key in keys)
        else:
            rows = map(by_id.get, keys, repeat(-1))  # type: ignore[arg-type]  # None: -1
        found = dict(zip(distinct, rows, strict=True))
        return list(map(found.__getitem__, keyed))

    def rows_of_column(self, table: Table, at: int | None) -> list[int]:
        """`id_rows` of the ids in a column of another table (0-based position; None: no
        column), worked out once per column: purchases and follow-ups both link the orders.

        >>> from toolkit.table import Column
        >>> t = Table("C", "customers", 1, (Column(1, "ID", "customer_id"),), (("A1",),))
        >>> orders = Table("O", "transactions", 1, (Column(1, "ID", "customer_id"),), (("a1",),))
        >>> CustomerIndex.of(t).rows_of_column(orders, 0)
        [2]
        """
        key = (id(table.rows), at)
        known = self._linked.get(key)
        if known is not None and known[0] is table.rows:  # the same rows, not a reused id
            return known[1]
        cells: list[CellValue] = (
            [None] * len(table.rows) if at is None else [row[at] for row in table.rows]
        )
        rows = self.id_rows(cells)
        self._linked[key] = (table.rows, rows)
        return rows

    def find(self, record: Mapping[str, CellValue]) -> int | None:
        """The customer row a transaction/complaint record points at, or None."""
        key = reference_key(record.get("customer_id"))
        if key and key in self.by_id:
            return self.by_id[key]
        key = reference_key(record.get("customer_name"))
        if key and key in self.by_name:
            return self.by_name[key]
        digits = phone_digits(record.get("phone"))
        return self.by_phone.get(digits) if digits else None


def _first_rows(keys: list[str | None], first_row: int) -> dict[str, int]:
    """Each key's first sheet row (None keys left out)."""
    # Built backwards so that the first row of a key is the one kept, without a call per row.
    rows = range(first_row, first_row + len(keys))
    first: dict[str | None, int] = dict(zip(reversed(keys), reversed(rows), strict=True))
    first.pop(None, None)
    return first  # type: ignore[return-value]  # None left out


def reference_keys(values: list[CellValue]) -> list[str | None]:
    """`reference_key` of each value, None for a blank one (see `is_blank`).

    Ids such as KH0000001 (ASCII letters and digits) fold by lower() column-wise; other
    values are folded once per distinct value.

    >>> reference_keys(["KH01", " ", None, "张 三", 7.0])
    ['kh01', None, None, '张三', '7']
    """

    def key_of(value: CellValue) -> str | None:
        return None if is_blank(value) else reference_key(value)

    if not set(map(type, values)) <= {str}:
        return _each_distinct(values, key_of)
    texts: list[str] = values  # type: ignore[assignment]
    keys: list[str | None] = list(map(str.lower, texts))
    plain = map(and_, map(str.isascii, texts), map(str.isalnum, texts))
    for at in compress(count(), map(not_, plain)):
        keys[at] = key_of(texts[at])
    return keys


def _each_distinct(values: list[CellValue], fold: Callable[[CellValue], T]) -> list[T]:
    """`fold` of each value, called once per distinct value; 1, 1.0 and True (one dict key,
    three cells) are told apart by their types.

    >>> _each_distinct([1, 1.0, True, 1], repr)
    ['1', '1.0', 'True', '1']
    """
    if set(map(type, values)) & {int, float, bool}:
        typed = list(zip(map(type, values), values, strict=True))
        known = {key: fold(key[1]) for key in dict.fromkeys(typed)}
        return list(map(known.__getitem__, typed))
    folded = {value: fold(value) for value in dict.fromkeys(values)}
    return list(map(folded.__getitem__, values))


# Indexes by the id of the table they index; an entry leaves with its table.
_BUILT: dict[int, tuple[weakref.ref[Table], CustomerIndex]] = {}


def phone_digits(value: CellValue) -> str:
    """The last 11 digits of a value with at least 7 digits, else '' (how phones link).

    >>> phone_digits("+86 138-0013-8000"), phone_digits(13800138000.0), phone_digits("12")
    ('13800138000', '13800138000', '')
    """
    digits = "".join(ch for ch in reference_key(value) if ch.isdigit())
    return digits[-11:] if len(digits) >= 7 else ""
