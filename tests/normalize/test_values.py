"""E-mail addresses, amounts, counts and gender."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.normalize.strategies import cells
from toolkit.normalize import (
    Parsed,
    email_key,
    parse_amount,
    parse_count,
    parse_email,
    parse_gender,
)
from toolkit.normalize.values import email_keys
from toolkit.table import CellValue


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("wang.wei@163.com", Parsed("wang.wei@163.com", None, None)),
        (
            "first.last+tag@sub.example.co.uk",
            Parsed("first.last+tag@sub.example.co.uk", None, None),
        ),
        ("o'neil@example.com", Parsed("o'neil@example.com", None, None)),
        ("x@xn--fiqs8s.cn", Parsed("x@xn--fiqs8s.cn", None, None)),
        ("Wang.Wei@163.COM", Parsed("wang.wei@163.com", "email_format", "wang.wei@163.com")),
        (" wang.wei@163.com ", Parsed("wang.wei@163.com", "email_format", "wang.wei@163.com")),
        ("wang wei@163.com", Parsed("wangwei@163.com", "email_format", "wangwei@163.com")),
        ("mailto:wang@qq.com", Parsed("wang@qq.com", "email_format", "wang@qq.com")),
        ("MAILTO:wang@qq.com", Parsed("wang@qq.com", "email_format", "wang@qq.com")),
        ("ｗａｎｇ＠ｑｑ．ｃｏｍ", Parsed("wang@qq.com", "email_format", "wang@qq.com")),
        ("wang＠qq.com", Parsed("wang@qq.com", "email_format", "wang@qq.com")),
        ("wang@qq.com\u200b", Parsed("wang@qq.com", "email_format", "wang@qq.com")),
    ],
)
def test_valid_addresses(written: str, expected: Parsed[str]) -> None:
    assert parse_email(written) == expected
    assert email_key(written) == expected.value


@pytest.mark.parametrize(
    "written",
    [
        "wang.wei163.com",  # no @
        "wang@@163.com",
        "wang@wei@163.com",
        "wang@163",  # no dot in the domain
        "wang@163。com",  # Chinese full stop
        "wang@163,com",
        "wang@163.com.",
        "wang@.163.com",
        "wang@163..com",
        ".wang@163.com",
        "wang.@163.com",
        "wang..wei@163.com",
        "王伟@163.com",
        "wang@邮箱.中国",
        "wang(at)163.com",
        "<wang@163.com>",
        "wang@163.c",
        "wang@-163.com",
        "@163.com",
        "wang@",
        12345,
        True,
        date(2024, 3, 5),
    ],
)
def test_invalid_addresses(written: CellValue) -> None:
    assert parse_email(written) == Parsed(None, "email_invalid", None)
    assert email_key(written) is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (1234.5, Parsed(1234.5, None, None)),
        (1234, Parsed(1234.0, None, None)),
        (0, Parsed(0.0, None, None)),
        (-12.5, Parsed(-12.5, "amount_negative", None)),
        ("¥1,234.50", Parsed(1234.5, "amount_format", 1234.5)),
        ("￥1234", Parsed(1234.0, "amount_format", 1234.0)),
        ("RMB 1,234", Parsed(1234.0, "amount_format", 1234.0)),
        ("CNY 1234", Parsed(1234.0, "amount_format", 1234.0)),
        ("1,234元", Parsed(1234.0, "amount_format", 1234.0)),
        ("人民币1234元", Parsed(1234.0, "amount_format", 1234.0)),
        ("$1,234.50", Parsed(1234.5, "amount_format", 1234.5)),
        ("USD 12", Parsed(12.0, "amount_format", 12.0)),
        ("1234", Parsed(1234.0, "amount_format", 1234.0)),
        ("1234.5", Parsed(1234.5, "amount_format", 1234.5)),
        (".5", Parsed(0.5, "amount_format", 0.5)),
        ("1.2万", Parsed(12000.0, "amount_format", 12000.0)),
        ("1.2万元", Parsed(12000.0, "amount_format", 12000.0)),
        ("1.2w", Parsed(12000.0, "amount_format", 12000.0)),
        ("3千", Parsed(3000.0, "amount_format", 3000.0)),
        ("10k", Parsed(10000.0, "amount_format", 10000.0)),
        ("1.5亿", Parsed(150000000.0, "amount_format", 150000000.0)),
        ("2百万", Parsed(2000000.0, "amount_format", 2000000.0)),
        ("0.1万", Parsed(1000.0, "amount_format", 1000.0)),
        ("１２３４", Parsed(1234.0, "amount_format", 1234.0)),
        ("１，２３４．５", Parsed(1234.5, "amount_format", 1234.5)),
        ("(123.00)", Parsed(-123.0, "amount_negative", None)),
        ("（123.00）", Parsed(-123.0, "amount_negative", None)),
        ("−123", Parsed(-123.0, "amount_negative", None)),
        ("-123", Parsed(-123.0, "amount_negative", None)),
        ("-¥5", Parsed(-5.0, "amount_negative", None)),
        ("¥-5", Parsed(-5.0, "amount_negative", None)),
    ],
)
def test_amounts(written: CellValue, expected: Parsed[float]) -> None:
    assert parse_amount(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "abc",
        "约100?",
        "100左右",
        "1,23",
        "12,3456",
        "1.2.3",
        "(-5)",
        "--5",
        "¥",
        "万",
        "1e5",
        "5%",
        "100-200",
        float("nan"),
        float("inf"),
        True,
        date(2024, 3, 5),
        10**400,
    ],
)
def test_invalid_amounts(written: CellValue) -> None:
    assert parse_amount(written) == Parsed(None, "amount_invalid", None)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (3, Parsed(3, None, None)),
        (0, Parsed(0, None, None)),
        (3.0, Parsed(3, None, None)),
        (10**30, Parsed(10**30, None, None)),
        ("3", Parsed(3, "count_format", 3)),
        ("3次", Parsed(3, "count_format", 3)),
        ("3 次", Parsed(3, "count_format", 3)),
        ("3单", Parsed(3, "count_format", 3)),
        ("3 orders", Parsed(3, "count_format", 3)),
        ("1 order", Parsed(1, "count_format", 1)),
        ("3 times", Parsed(3, "count_format", 3)),
        ("3.0", Parsed(3, "count_format", 3)),
        ("1,200", Parsed(1200, "count_format", 1200)),
        ("３", Parsed(3, "count_format", 3)),
        ("三次", Parsed(3, "count_format", 3)),
        ("十二次", Parsed(12, "count_format", 12)),
        (-2, Parsed(-2, "count_negative", None)),
        (-2.0, Parsed(-2, "count_negative", None)),
        ("-2", Parsed(-2, "count_negative", None)),
    ],
)
def test_counts(written: CellValue, expected: Parsed[int]) -> None:
    assert parse_count(written) == expected


@pytest.mark.parametrize(
    "written",
    [2.5, "2.5", "abc", "几次", "3-4", "约3次", float("nan"), float("inf"), True, date(2024, 3, 5)],
)
def test_invalid_counts(written: CellValue) -> None:
    assert parse_count(written) == Parsed(None, "count_invalid", None)


@pytest.mark.parametrize("written", ["男", "M", "Male"])
def test_canonical_male(written: str) -> None:
    assert parse_gender(written) == Parsed("M", None, None)


@pytest.mark.parametrize("written", ["女", "F", "Female"])
def test_canonical_female(written: str) -> None:
    assert parse_gender(written) == Parsed("F", None, None)


@pytest.mark.parametrize(
    ("written", "gender"),
    [
        ("男性", "M"),
        ("先生", "M"),
        ("男士", "M"),
        ("m", "M"),
        ("male", "M"),
        ("MALE", "M"),
        ("male ", "M"),
        (" 男", "M"),
        ("Man", "M"),
        ("Ｍ", "M"),
        ("ｍａｌｅ", "M"),
        ("Mr.", "M"),
        ("女性", "F"),
        ("女士", "F"),
        ("小姐", "F"),
        ("f", "F"),
        ("female", "F"),
        ("Woman", "F"),
        ("Ms", "F"),
        ("Miss", "F"),
        ("女 ", "F"),
    ],
)
def test_gender_spellings_need_the_sheet_language_to_fix(written: str, gender: str) -> None:
    assert parse_gender(written) == Parsed(gender, "gender_format", None)


@pytest.mark.parametrize(
    "written", ["未知", "unknown", "Unknown", "不详", "保密", "-", "N/A", "n/a"]
)
def test_unknown_gender_is_blank(written: str) -> None:
    assert parse_gender(written) == Parsed(None, None, None)


@pytest.mark.parametrize("written", ["x", "男女", "other", "1", 1, 0, True, 2.0])
def test_invalid_gender(written: CellValue) -> None:
    assert parse_gender(written) == Parsed(None, "gender_invalid", None)


@settings(max_examples=300)
@given(
    amount=st.decimals(min_value=0, max_value=10**9, places=2),
    symbol=st.sampled_from(["", "¥", "￥", "$", "RMB ", "CNY"]),
    unit=st.sampled_from(["", "元"]),
    grouped=st.booleans(),
)
def test_written_amounts_read_back_their_number(
    amount: object, symbol: str, unit: str, grouped: bool
) -> None:
    number = f"{amount:,}" if grouped else f"{amount}"
    parsed = parse_amount(f"{symbol}{number}{unit}")
    assert parsed.value == float(str(amount))
    assert parsed.problem == "amount_format"


@given(
    count=st.integers(min_value=0, max_value=10**12), unit=st.sampled_from(["", "次", " orders"])
)
def test_written_counts_read_back_their_number(count: int, unit: str) -> None:
    assert parse_count(f"{count}{unit}") == Parsed(count, "count_format", count)


@settings(max_examples=300)
@given(values=st.lists(st.one_of(cells, st.emails(), st.emails().map(str.upper))))
def test_email_keys_are_each_values_email_key(values: list[CellValue]) -> None:
    assert email_keys(values) == [email_key(value) for value in values]
