"""phone_key's shortcuts for ten plain digits of a +1 region (one US validity check first)
answer exactly what parsing the number does (`parse_phone(...).value.e164`)."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.normalize import parse_phone, phone_key
from toolkit.table import CellValue

NANP = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])


def parsed_key(value: CellValue, *, default_region: str) -> str | None:
    """The key by the full path: the number parsed, validated and formatted."""
    phone = parse_phone(value, default_region=default_region).value
    return phone.e164 if phone is not None else None


def _example_numbers() -> list[str]:
    """phonenumbers' own example number of every type in every +1 region, as ten digits."""
    found = []
    for region in NANP:
        for kind in range(12):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                found.append(str(number.national_number))
    return sorted(set(found))


@pytest.mark.parametrize("national", _example_numbers())
@pytest.mark.parametrize("region", ["US", "CA", "JM", "CN"])
def test_example_numbers_of_every_nanp_region(national: str, region: str) -> None:
    assert phone_key(national, default_region=region) == parsed_key(national, default_region=region)


@pytest.mark.parametrize(
    "value",
    ["2125550101", "+1 212 555 0101", "(212) 555-0101", "1234567890", "2125550101 x12",
     "６５０２５３００００", 2125550101, 2125550101.0, None, "", "13800138000", "4165550101"],
)  # fmt: skip
def test_written_forms(value: object) -> None:
    for region in ("US", "us", "CA", "CN"):
        assert phone_key(value, default_region=region) == parsed_key(  # type: ignore[arg-type]
            value,  # type: ignore[arg-type]
            default_region=region,
        )


@settings(max_examples=500, deadline=None)
@given(national=st.from_regex(r"[2-9][0-9]{9}", fullmatch=True), region=st.sampled_from(NANP))
def test_any_ten_digit_number_in_any_nanp_region(national: str, region: str) -> None:
    assert phone_key(national, default_region=region) == parsed_key(national, default_region=region)
