"""Matching keys per row: spellings of one value meet, blanks never do."""

from __future__ import annotations

import pytest

from tests.routines.dedupe.builders import ZH_HEADER, table
from tests.routines.dedupe.test_weights import bench_data
from toolkit.normalize import fold_width, phone_key
from toolkit.routines.dedupe.features import Distinct, _phone_key, encode, extract, keys_by_value


@pytest.mark.parametrize(
    ("field", "first", "second"),
    [
        ("name", "張偉", "张伟"),
        ("name", "Smith, John", "JOHN SMITH"),
        ("name", "Wei Zhang", "Zhang Wei"),
        ("phone", "+86 138-0013-8000", "１３８００１３８０００"),
        ("phone", "1380013800", "138 0013 800"),  # invalid, still the same digits
        ("email", "Wang.Wei@163.COM", " wang.wei@163.com"),
        ("company", "北京字节跳动科技有限公司", "字節跳動科技（北京）有限公司"),
        ("city", "广东省深圳市", "深圳"),
    ],
)
def test_spellings_of_one_value_share_a_code(field: str, first: str, second: str) -> None:
    header = ("姓名", "手机", "邮箱", "公司", "城市")
    at = {"name": 0, "phone": 1, "email": 2, "company": 3, "city": 4}[field]
    rows = [[None] * 5, [None] * 5]
    rows[0][at], rows[1][at] = first, second
    features = extract(table(header, rows))
    codes = features.phone if field == "phone" else features.coded(field).codes
    assert codes[0] == codes[1] >= 0


def test_homophones_share_a_pinyin_code_but_not_a_name_code() -> None:
    features = extract(table(("姓名",), [("张伟",), ("章伟",), ("陈先生",)]))
    assert features.pinyin.codes[0] == features.pinyin.codes[1]
    assert features.name.codes[0] != features.name.codes[1]
    assert features.pinyin.codes[2] == -1  # a surname with a title is no full name
    assert features.surname.key(2) == "陈"


def test_blanks_and_invalid_values_are_minus_one() -> None:
    header = ("姓名", "手机", "邮箱")
    features = extract(table(header, [("", "12", "not-an-email"), (None, None, None)]))
    assert features.name.codes.tolist() == [-1, -1]
    assert features.phone.tolist() == [-1, -1]
    assert features.email.codes.tolist() == [-1, -1]


def test_phone_counts_people_not_copies() -> None:
    rows = [("张伟", "13800138000"), ("张伟", "13800138000"), ("李娜", "13800138000")]
    features = extract(table(("姓名", "手机"), rows))
    code = int(features.phone[0])
    assert features.phones.counts[code] == 2  # two people, three rows


def test_keys_are_computed_once_per_distinct_value() -> None:
    calls: list[object] = []

    def key(value: object) -> str:
        calls.append(value)
        return str(value)

    assert keys_by_value(["a", "b", "a", "a"], key) == ["a", "b", "a", "a"]
    assert calls == ["a", "b"]


def test_phone2_shares_the_phone_code_space() -> None:
    header = ZH_HEADER
    rows = [("C1", "王芳", "13900139000", "13800138000"), ("C2", "王芳", "13800138000")]
    features = extract(table(header, rows))
    assert features.phone2[0] == features.phone[1]


def test_encode_counts() -> None:
    coded = encode(["x", "", None, "x"])
    assert coded.codes.tolist() == [0, -1, -1, 0]
    assert coded.present == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("region", ["CN", "US"])
def test_phone_spelling_keys_as_the_cell_itself(lang: str, region: str) -> None:
    data = bench_data().generate(lang, 2000)
    written = {row[3] for row in data.rows}
    written |= {"+86 10 1234 5678", "+8617951234567", "1-212-555-0101"}
    for value in written:
        plain = phone_key(value, default_region=region)
        digits = "".join(ch for ch in fold_width(str(value or "")) if ch.isdigit())
        expected = plain or (f"#{digits}" if len(digits) >= 7 else None)
        assert _phone_key(value, region) == expected, value


@pytest.mark.parametrize(
    "column",
    [
        ["张伟", None, "張偉", "张伟", "", "李娜"],
        [True, 1, 1.0, "1", None],  # equal cells of different types (True == 1 == 1.0)
        [],
    ],
)
def test_distinct_codes_equal_keying_every_row(column: list[object]) -> None:
    def key(value: object) -> str | None:
        return None if value is None else f"k{value}"

    coded = Distinct.of(column).keyed(key)  # type: ignore[arg-type]
    every_row = encode(keys_by_value(column, key))  # type: ignore[arg-type]
    assert coded.codes.tolist() == every_row.codes.tolist()
    assert coded.keys == every_row.keys
    assert coded.counts.tolist() == every_row.counts.tolist()


def test_names_as_written_are_per_row_even_when_cells_are_equal() -> None:
    features = extract(table(("姓名",), [(True,), (1,), (" 张伟 ",), ("张伟",)]))
    assert features.names == ("True", "1", "张伟", "张伟")
