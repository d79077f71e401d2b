"""Validation of whole columns equals judging every cell on its own with its parser.

validate_table judges each distinct value once, keys columns by value where the parser reads
1 and 1.0 alike, and lets the normalizers' screens pass values without parsing; none of that
may change a finding. The reference here is the plain one: every cell, its parser, in order.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.normalize.strategies import cells
from tests.normalize.test_screens import screen_texts
from toolkit.models.records import parser_for
from toolkit.models.settings import ValidationSettings
from toolkit.normalize import (
    clean_name,
    clean_text,
    parse_amount,
    parse_count,
    parse_email,
    parse_gender,
    parse_phone,
)
from toolkit.routines.validate import validate_table
from toolkit.table import CellValue, Column, Table, has_value, is_blank

AS_OF = date(2025, 6, 30)
# (field, field type) of the customer columns checked here: every type but dates and gender,
# whose verdicts depend on more than the parser (range, the column's writing style).
FIELDS = (
    ("customer_id", "id"),
    ("name", "name"),
    ("phone", "phone"),
    ("email", "email"),
    ("company", "text"),
    ("purchase_count", "count"),
    ("total_amount", "amount"),
)
numbers = st.sampled_from([0, 1, 1.0, True, False, 0.0, -1, 2.5, 13800138000, 13800138000.0])
column_values = st.one_of(screen_texts, cells, numbers)


def expected_findings(table: Table) -> set[tuple[int, int, str, CellValue, CellValue]]:
    """(row, column, problem, value, suggestion) of every cell judged on its own."""
    found = set()
    for at, (field, kind) in enumerate(FIELDS):
        check = parser_for(kind)
        for offset, row in enumerate(table.rows):
            value = row[at]
            parsed = check(value)
            if not is_blank(value) and parsed.problem is not None:
                found.add((table.row_number(offset), at + 1, parsed.problem, value, parsed.fix))
            if field in ("name", "phone") and is_blank(value) and has_value(row):
                found.add((table.row_number(offset), at + 1, "required_missing", None, None))
    return found


def customers(rows: list[tuple[CellValue, ...]]) -> Table:
    columns = tuple(Column(at + 1, field, field) for at, (field, _) in enumerate(FIELDS))
    return Table("C", "customers", 1, columns, tuple(rows))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(*(column_values for _ in FIELDS)), max_size=12))
@example([(1, True, 1.0, 1, 1.0, True, 1), (True, 1, True, 1.0, True, 1, 1.0)])
@example([("13800138000", " ", "13800138000", "a@b.cn", "ＡＢＣ", "3次", "¥1,200")] * 2)
def test_findings_equal_judging_every_cell(rows: list[tuple[CellValue, ...]]) -> None:
    table = customers(rows)
    findings = validate_table(table, ValidationSettings(), as_of=AS_OF, lang="en")
    got = [(f.row, f.column, f.problem, f.value, f.suggestion) for f in findings]
    assert len(got) == len(set(got))
    assert {(r, c, p, type(v), v, type(s), s) for r, c, p, v, s in got} == {
        (r, c, p, type(v), v, type(s), s) for r, c, p, v, s in expected_findings(table)
    }
    assert got == sorted(got, key=lambda f: (f[0], f[1]))


@pytest.mark.parametrize(
    "parse",
    [clean_text, clean_name, parse_phone, parse_email, parse_amount, parse_count, parse_gender],
)
@settings(max_examples=200, deadline=None)
@given(
    number=st.one_of(
        st.integers(min_value=-(2**53), max_value=2**53),
        st.integers(min_value=13_000_000_000, max_value=19_999_999_999),
    )
)
def test_type_blind_parsers_read_an_int_and_its_float_alike(parse: object, number: int) -> None:
    """validate keys these columns by value, so 3 and 3.0 must get one verdict."""
    assert callable(parse)
    assert parse(number) == parse(float(number))
