"""The public surface of toolkit.normalize, and the promises every parser keeps."""

from __future__ import annotations

import doctest
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings

import toolkit.normalize as normalize
from tests.normalize.strategies import cells
from toolkit.normalize import (
    PROBLEM_CODES,
    Parsed,
    address_key,
    clean_name,
    clean_text,
    company_key,
    dates,
    email_key,
    name_key,
    name_tokens,
    names,
    parse_amount,
    parse_count,
    parse_date,
    parse_email,
    parse_gender,
    parse_phone,
    per_distinct,
    phone,
    phone_key,
    pinyin_key,
    places,
    surname_only,
    text,
    values,
)
from toolkit.table import CellValue

PARSERS: dict[str, Callable[[CellValue], Parsed[Any]]] = {
    "clean_text": clean_text,
    "clean_name": clean_name,
    "parse_phone": parse_phone,
    "parse_email": parse_email,
    "parse_date": parse_date,
    "parse_date_day_first": lambda v: parse_date(v, day_first=True),
    "parse_date_1904": lambda v: parse_date(v, date1904=True),
    "parse_amount": parse_amount,
    "parse_count": parse_count,
    "parse_gender": parse_gender,
}
STRING_KEYS: dict[str, Callable[[CellValue], str]] = {
    "name_key": name_key,
    "pinyin_key": pinyin_key,
    "company_key": company_key,
    "address_key": address_key,
}


def test_all_is_pinned() -> None:
    assert normalize.__all__ == [
        "PROBLEM_CODES",
        "Gender",
        "Parsed",
        "Phone",
        "PhoneKind",
        "address_key",
        "canonical_phone",
        "clean_name",
        "clean_text",
        "company_key",
        "email_key",
        "excel_serial",
        "fold_width",
        "is_chinese",
        "name_key",
        "name_tokens",
        "parse_amount",
        "parse_count",
        "parse_date",
        "parse_email",
        "parse_gender",
        "parse_phone",
        "per_distinct",
        "phone_key",
        "pinyin_key",
        "surname_only",
        "to_simplified",
    ]


@pytest.mark.parametrize("module", [normalize, text, phone, dates, values, names, places])
def test_docstring_examples_hold(module: Any) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
@pytest.mark.parametrize("blank", [None, "", "   ", "\t", "\u3000"])
def test_blank_cells_mean_nothing_and_are_fine(
    parse: Callable[[CellValue], Parsed[Any]], blank: CellValue
) -> None:
    assert parse(blank) == Parsed(None, None, None)


@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
@settings(max_examples=300, deadline=None)
@given(value=cells)
def test_parsers_never_raise_and_fixes_are_final(
    parse: Callable[[CellValue], Parsed[Any]], value: CellValue
) -> None:
    parsed = parse(value)
    assert parsed.problem is None or parsed.problem in PROBLEM_CODES
    if parsed.problem is None:
        assert parsed.fix is None
    if parsed.fix is not None:
        again = parse(parsed.fix)
        assert again.problem is None
        assert again.value == parsed.value


@pytest.mark.parametrize("key", STRING_KEYS.values(), ids=STRING_KEYS.keys())
@settings(max_examples=300, deadline=None)
@given(value=cells)
def test_string_keys_are_total_and_deterministic(
    key: Callable[[CellValue], str], value: CellValue
) -> None:
    first = key(value)
    assert isinstance(first, str)
    assert key(value) == first


@settings(max_examples=300, deadline=None)
@given(value=cells)
def test_other_keys_are_total(value: CellValue) -> None:
    assert isinstance(name_tokens(value), tuple)
    assert surname_only(value) is None or isinstance(surname_only(value), str)
    assert phone_key(value) is None or phone_key(value) == parse_phone(value).value.e164  # type: ignore[union-attr]
    assert email_key(value) == parse_email(value).value


def test_problem_codes_are_the_documented_ones() -> None:
    documented = (
        "text_spaces text_fullwidth name_spaces phone_invalid phone_format email_invalid "
        "email_format date_invalid date_impossible date_format date_ambiguous amount_invalid "
        "amount_format amount_negative count_invalid count_format count_negative "
        "gender_invalid gender_format"
    )
    assert sorted(PROBLEM_CODES) == sorted(documented.split(" "))


def test_per_distinct_computes_each_distinct_value_once() -> None:
    seen: list[CellValue] = []

    def record(value: CellValue) -> str:
        seen.append(value)
        return repr(value)

    column: list[CellValue] = ["a", "a", 1, 1.0, True, None, "a", 1, None]
    assert per_distinct(record, column) == [repr(v) for v in column]
    assert seen == ["a", 1, 1.0, True, None]  # 1, 1.0 and True are different cells
    assert per_distinct(phone_key, ["13800138000", 13800138000]) == ["+8613800138000"] * 2


LONG_CELLS = ["1" + " " * 30_000 + "x", "1" * 30_000, "-" * 30_000, ".,-" * 10_000, "(" * 30_000]


@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
@pytest.mark.parametrize(
    "cell", LONG_CELLS, ids=["spaces", "digits", "dashes", "punct", "brackets"]
)
def test_long_cells_are_refused_not_parsed(
    parse: Callable[[CellValue], Parsed[Any]], cell: str
) -> None:
    parsed = parse(cell)
    if parsed.problem in {"text_spaces", "text_fullwidth", "name_spaces", None}:
        assert parse in (clean_text, clean_name)
    else:
        assert parsed.value is None and parsed.problem.endswith("_invalid")


@pytest.mark.parametrize("key", STRING_KEYS.values(), ids=STRING_KEYS.keys())
@pytest.mark.parametrize(
    "cell", LONG_CELLS, ids=["spaces", "digits", "dashes", "punct", "brackets"]
)
def test_keys_read_a_bounded_prefix_of_long_cells(
    key: Callable[[CellValue], str], cell: str
) -> None:
    assert len(key(cell)) <= 256 * 6  # pinyin of 256 characters at most
