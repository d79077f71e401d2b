"""Phone numbers: every spelling of a number meets the same key and canonical form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.normalize.strategies import cells
from toolkit.normalize import Phone, canonical_phone, parse_phone, phone_key
from toolkit.normalize.phone import phone_keys
from toolkit.table import CellValue

MOBILE = "+8613800138000"
SAME_MOBILE = [
    "13800138000",
    13800138000,
    13800138000.0,
    "+86 138 0013 8000",
    "86-13800138000",
    "8613800138000",
    "0086 13800138000",
    "+86(138)0013-8000",
    "(+86) 138-0013-8000",
    "１３８００１３８０００",
    "＋８６ １３８ ００１３ ８０００",
    "138-0013-8000",
    "138 0013 8000",
    "138.0013.8000",
    " 13800138000 ",
    "138\u00a00013\u00a08000",
]


@pytest.mark.parametrize("written", SAME_MOBILE)
def test_spellings_of_a_mobile_meet(written: CellValue) -> None:
    parsed = parse_phone(written)
    assert parsed.value == Phone(MOBILE, "CN", "mobile", "13800138000")
    assert phone_key(written) == MOBILE
    if written == "13800138000":
        assert (parsed.problem, parsed.fix) == (None, None)
    else:
        assert (parsed.problem, parsed.fix) == ("phone_format", "13800138000")


@pytest.mark.parametrize(
    ("written", "e164", "kind", "region", "canonical"),
    [
        ("010-12345678", "+861012345678", "landline", "CN", "010-12345678"),
        ("01012345678", "+861012345678", "landline", "CN", "010-12345678"),
        ("(010) 1234 5678", "+861012345678", "landline", "CN", "010-12345678"),
        (1012345678, "+861012345678", "landline", "CN", "010-12345678"),  # lost its 0 in a number
        ("(021) 6123 4567", "+862161234567", "landline", "CN", "021-61234567"),
        ("0755 8888 6666", "+8675588886666", "landline", "CN", "0755-88886666"),
        ("+86 755 8888 6666", "+8675588886666", "landline", "CN", "0755-88886666"),
        ("400-810-8888", "+864008108888", "other", "CN", "400-810-8888"),
        ("+1 415 555 2671", "+14155552671", "other", "US", "+14155552671"),
        ("+1 (415) 555-2671", "+14155552671", "other", "US", "+14155552671"),
        ("+852 9123 4567", "+85291234567", "mobile", "HK", "+85291234567"),
        ("00852 9123 4567", "+85291234567", "mobile", "HK", "+85291234567"),
        ("+44 20 7946 0958", "+442079460958", "landline", "GB", "+442079460958"),
        ("+886 912 345 678", "+886912345678", "mobile", "TW", "+886912345678"),
        ("19912345678", "+8619912345678", "mobile", "CN", "19912345678"),  # new 19x prefix
        ("16612345678", "+8616612345678", "mobile", "CN", "16612345678"),  # new 16x prefix
        ("17012345678", "+8617012345678", "mobile", "CN", "17012345678"),
        ("14712345678", "+8614712345678", "mobile", "CN", "14712345678"),
    ],
)
def test_valid_numbers(
    written: CellValue, e164: str, kind: str, region: str, canonical: str
) -> None:
    parsed = parse_phone(written)
    assert parsed.value is not None
    assert (parsed.value.e164, parsed.value.kind, parsed.value.region) == (e164, kind, region)
    assert canonical_phone(parsed.value) == canonical
    assert parsed.fix == (None if written == canonical else canonical)
    assert parsed.problem == (None if written == canonical else "phone_format")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("010-12345678转123", "010-12345678 ext. 123"),
        ("010-12345678 转 123", "010-12345678 ext. 123"),
        ("010-12345678分机123", "010-12345678 ext. 123"),
        ("010-12345678 ext. 123", "010-12345678 ext. 123"),
        ("010-12345678 EXT 123", "010-12345678 ext. 123"),
        ("010-12345678 x123", "010-12345678 ext. 123"),
        ("010-12345678#123", "010-12345678 ext. 123"),
        ("+1 415 555 2671 ext. 9", "+14155552671 ext. 9"),
    ],
)
def test_extensions_are_kept_apart(written: str, canonical: str) -> None:
    parsed = parse_phone(written)
    assert parsed.value is not None
    assert parsed.value.extension == canonical.rsplit(" ", 1)[1]
    assert parsed.fix == (None if written == canonical else canonical)
    assert phone_key(written) == "+861012345678" or phone_key(written) == "+14155552671"


@pytest.mark.parametrize(
    "written",
    [
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "12800138000",  # no 12x mobiles
        "11012345678",
        "19412345678",  # 194 is not issued
        "10012345678",
        "13800138000abc",  # letters would be read as keypad digits otherwise
        "138-CALL-8000",
        "手机13800138000",
        "13800138000/13900139000",  # two numbers in one cell
        "13800138000，13900139000",
        "95588",  # a short service number, not a customer's phone
        "+",
        "-",
        "0",
        "abc",
        True,
        -13800138000,
        13800138000.5,
        float("inf"),
    ],
)
def test_invalid_numbers(written: CellValue) -> None:
    assert parse_phone(written).problem == "phone_invalid"
    assert parse_phone(written).value is None
    assert phone_key(written) is None


def test_default_region_reads_numbers_without_a_country_code() -> None:
    assert phone_key("(415) 555-2671", default_region="US") == "+14155552671"
    assert phone_key("(415) 555-2671") == "+864155552671"  # 0415 is Dandong
    # Outside a CN sheet a mainland number is written with its country code, to read back.
    us_sheet = parse_phone("+86 138 0013 8000", default_region="us")
    assert us_sheet.fix == "+8613800138000"
    assert parse_phone("+8613800138000", default_region="US").problem is None


# Mobile prefixes in use (phonenumbers' metadata: 14x, 16x, 17x and 19x only in part).
MOBILE_PREFIXES = [
    f"1{second}{third}"
    for second, thirds in {
        "3": "0123456789",
        "4": "57",
        "5": "012356789",
        "6": "2567",
        "7": "0123578",
        "8": "0123456789",
        "9": "012356789",
    }.items()
    for third in thirds
]
COUNTRY_CODES = ["", "+86", "+86 ", "86-", "86", "0086 ", "0086", "(+86)", "+86-"]
SEPARATORS = st.sampled_from(["", "", " ", "-", "  ", ".", "\u00a0", "\u3000"])
FULL_WIDTH = str.maketrans("0123456789+-().", "０１２３４５６７８９＋－（）．")


@settings(max_examples=500)
@given(
    prefix=st.sampled_from(MOBILE_PREFIXES),
    rest=st.text(alphabet="0123456789", min_size=8, max_size=8),
    separators=st.lists(SEPARATORS, min_size=10, max_size=10),
    country=st.sampled_from(COUNTRY_CODES),
    full_width=st.booleans(),
    padding=st.sampled_from(["", " ", "\u3000"]),
)
def test_mobile_key_ignores_spacing_country_code_and_width(
    prefix: str, rest: str, separators: list[str], country: str, full_width: bool, padding: str
) -> None:
    number = prefix + rest
    written = country + "".join(d + s for d, s in zip(number, [*separators, ""], strict=True))
    written = padding + (written.translate(FULL_WIDTH) if full_width else written) + padding
    parsed = parse_phone(written)
    assert phone_key(written) == "+86" + number
    assert parsed.value is not None and parsed.value.kind == "mobile"
    assert parsed.fix == (None if written == number else number)


@settings(max_examples=200)
@given(
    area=st.sampled_from(["010", "021", "020", "0755", "0571", "028"]),
    local=st.text(alphabet="0123456789", min_size=8, max_size=8).filter(lambda s: s[0] in "2-8"),
    separator=st.sampled_from(["-", " ", "", ")", "—"]),
)
def test_landline_key_ignores_separators(area: str, local: str, separator: str) -> None:
    written = f"({area}{separator}{local}" if separator == ")" else f"{area}{separator}{local}"
    expected = phone_key(f"{area}-{local}")
    if separator == "—":  # an em dash is not a phone separator
        assert phone_key(written) is None
    elif expected is not None:  # not every 8-digit local number exists
        assert phone_key(written) == expected
        assert parse_phone(written).fix in (None, f"{area}-{local}")


@settings(max_examples=1000)
@given(digits=st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_plain_mobile_shortcut_agrees_with_phonenumbers(digits: str) -> None:
    plain = "1" + digits
    # A leading space sends the same number down the full phonenumbers path.
    assert parse_phone(plain).value == parse_phone(" " + plain).value


@pytest.mark.parametrize("prefix", [f"1{n:03d}" for n in range(1000)])
def test_plain_mobile_shortcut_agrees_on_every_prefix(prefix: str) -> None:
    for tail in ("0000000", "5555555", "9999999"):
        plain = prefix + tail
        assert parse_phone(plain).value == parse_phone(" " + plain).value


@settings(max_examples=500)
@given(
    written=st.one_of(
        st.text(alphabet="0123456789 +-().", min_size=0, max_size=18),
        st.text(alphabet="0123456789", min_size=7, max_size=13).map(lambda d: "+" + d),
        st.integers(min_value=-1, max_value=10**13),
        st.sampled_from(["(415) 555-2671 x9", "138 0013 8000转12", "+86 10 1234 5678", " ", None]),
    ),
    region=st.sampled_from(["CN", "US", "GB"]),
)
def test_phone_key_is_the_parsed_numbers_e164(written: str | int | None, region: str) -> None:
    parsed = parse_phone(written, default_region=region).value
    assert phone_key(written, default_region=region) == (parsed.e164 if parsed else None)


@settings(max_examples=1000)
@given(
    digits=st.text(alphabet="0123456789", min_size=9, max_size=9),
    first=st.sampled_from("23456789"),
    region=st.sampled_from(["US", "CA", "JM"]),
)
def test_plain_nanp_shortcut_agrees_with_phonenumbers(digits: str, first: str, region: str) -> None:
    plain = first + digits
    # A leading space sends the same number down the full phonenumbers path.
    assert phone_key(plain, default_region=region) == phone_key(" " + plain, default_region=region)


@settings(max_examples=300)
@given(
    values=st.lists(st.one_of(cells, st.from_regex(r"\+?(86|1)?[ -]?1[3-9]\d{9}", fullmatch=True))),
    region=st.sampled_from(["CN", "US", "cn", "GB"]),
)
def test_phone_keys_are_each_values_phone_key(values: list[CellValue], region: str) -> None:
    expected = [phone_key(value, default_region=region) for value in values]
    assert phone_keys(values, default_region=region) == expected
