"""Linking orders and complaints to customers: the index made from whole columns finds what a
row-by-row index finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.routines.linking import (
    CustomerIndex,
    phone_digits,
    reference_key,
    reference_keys,
)
from toolkit.table import CellValue, Column, Table, has_value, is_blank

COLUMNS = (
    Column(1, "ID", "customer_id"),
    Column(2, "Name", "name"),
    Column(3, "Phone", "phone"),
    Column(4, "City", "city"),
)

cells = st.one_of(
    st.none(),
    st.sampled_from(
        ["C001", "c001 ", "C０01", " ", "", 1001, 1001.0, True, "张 三", "张三", "\u00a0", "Ⅻ"]
    ),
    st.sampled_from(["13800138000", "+86 138-0013-8000", 13800138000.0, "12", "555 1234"]),
    st.from_regex(r"[A-Za-z0-9]{1,6}", fullmatch=True),
    st.text(max_size=6),
)
rows = st.lists(st.tuples(cells, cells, cells, cells), max_size=12)


def row_by_row_maps(table: Table) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The index as it was first written: one customer row at a time (the oracle)."""
    by_id: dict[str, int] = {}
    names: dict[str, list[int]] = {}
    by_phone: dict[str, int] = {}
    for offset, row in enumerate(table.rows):
        if not has_value(row):
            continue
        customer_id, name, phone = row[0], row[1], row[2]
        at = table.first_row + offset
        if not is_blank(customer_id):
            by_id.setdefault(reference_key(customer_id), at)
        if not is_blank(name):
            names.setdefault(reference_key(name), []).append(at)
        digits = phone_digits(phone)
        if digits:
            by_phone.setdefault(digits, at)
    by_name = {key: found[0] for key, found in names.items() if len(found) == 1}
    return by_id, by_name, by_phone


@settings(max_examples=400, deadline=None)
@given(customers=rows)
def test_maps_equal_the_row_by_row_index(customers: list[tuple[CellValue, ...]]) -> None:
    table = Table("C", "customers", 3, COLUMNS, tuple(customers))
    index = CustomerIndex.build(table)
    by_id, by_name, by_phone = row_by_row_maps(table)
    assert index.by_id == by_id
    assert list(index.by_name.items()) == list(by_name.items())
    assert index.by_phone == by_phone


@settings(max_examples=200, deadline=None)
@given(values=st.lists(cells, max_size=12))
def test_reference_keys_fold_each_value_as_reference_key(values: list[CellValue]) -> None:
    expected = [None if is_blank(v) else reference_key(v) for v in values]
    assert reference_keys(values) == expected


CUSTOMERS = (
    ("KH001", "王伟", "13800138000"),
    ("KH002", "王伟", "13900139000"),
    ("KH003", "Li Lei", None),
)


@pytest.mark.parametrize(
    ("record", "row"),
    [
        ({"customer_id": "kh002"}, 3),
        ({"customer_id": " KH003 "}, 4),
        ({"customer_id": "KH999", "customer_name": "li lei"}, 4),
        ({"customer_name": "王伟"}, None),  # two customers share the name
        ({"customer_name": "王伟", "phone": "+86 139 0013 9000"}, 3),
        ({"phone": 13800138000.0}, 2),
        ({"customer_id": None, "customer_name": " ", "phone": "12"}, None),
    ],
)
def test_find_tries_id_then_unique_name_then_phone(
    record: dict[str, CellValue], row: int | None
) -> None:
    columns = COLUMNS[:3]
    table = Table("C", "customers", 1, columns, CUSTOMERS)
    assert CustomerIndex.of(table).find(record) == row


@settings(max_examples=200, deadline=None)
@given(customers=rows, ids=st.lists(cells, max_size=12))
def test_id_rows_answer_as_find_does(
    customers: list[tuple[CellValue, ...]], ids: list[CellValue]
) -> None:
    index = CustomerIndex.build(Table("C", "customers", 3, COLUMNS, tuple(customers)))
    expected = [index.find({"customer_id": cid, "customer_name": None}) for cid in ids]
    assert index.id_rows(ids) == [-1 if row is None else row for row in expected]


@pytest.mark.parametrize(
    ("orders", "at", "expected"),
    [
        ((("x", "kh001"), ("y", " KH003 "), ("z", "KH9")), 1, [2, 4, -1]),
        ((("kh002",), (None,)), 0, [3, -1]),
        ((("kh002",),), None, [-1]),
    ],
)
def test_rows_of_a_column_are_its_id_rows_worked_out_once(
    orders: tuple[tuple[CellValue, ...], ...], at: int | None, expected: list[int]
) -> None:
    index = CustomerIndex.build(Table("C", "customers", 1, COLUMNS[:3], CUSTOMERS))
    table = Table("O", "transactions", 1, (Column(1, "ID", "customer_id"),), orders)
    first = index.rows_of_column(table, at)
    assert first == expected
    assert index.rows_of_column(table, at) is first
    other = Table("O", "transactions", 1, table.columns, tuple((None,) * 2 for _ in orders))
    assert index.rows_of_column(other, at) == [-1] * len(orders)
