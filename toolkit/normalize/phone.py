"""Phone numbers: mainland mobiles and landlines as people write them, and international ones.

Validity comes from phonenumbers (its metadata knows which mobile prefixes exist: 199 and 166
are numbers, 12x and 194 are not). The canonical written forms are the ones Chinese staff
expect: a mainland mobile as its 11 digits, a mainland landline as "010-12345678", anything
else as E.164 ("+14155552671"); an extension is appended as " ext. 123".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
)

from toolkit.normalize.text import BLANK, CACHE_SIZE, LONGEST_VALUE, Parsed, fold_width
from toolkit.table import CellValue

PhoneKind = Literal["mobile", "landline", "other"]

_INVALID: Parsed[Phone] = Parsed(None, "phone_invalid", None)
# "转" and "分机" are how extensions are written in Chinese; phonenumbers knows only the Latin ones.
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|extension|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
# Letters are refused here: phonenumbers would read "138-CALL-NOW" as keypad digits.
_DIALLABLE = re.compile(r"[(\s]*\+?[\d\s().\-]+")
_NON_GEOGRAPHIC = {"001", "ZZ"}


def cn_mobile_pattern() -> str:
    """phonenumbers' pattern of a mainland mobile's 11 digits (one that never matches when
    its metadata is missing, so that every number takes the full path).

    >>> re.fullmatch(cn_mobile_pattern(), "13800138000") is not None
    True
    """
    metadata = PhoneMetadata.metadata_for_region("CN")
    mobile = metadata.mobile if metadata is not None else None
    pattern = mobile.national_number_pattern if mobile is not None else None
    return pattern or r"(?!)"


_NANP_REGIONS = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(1, ()))
_NANP_NATIONAL = re.compile(r"[2-9][0-9]{9}")


def _us_decides_first() -> bool:
    """Whether phonenumbers' region search for +1 numbers starts with a full US type check
    (the US listed first, without a leading-digits shortcut).

    `is_valid_number` on a +1 number tries the ~25 NANP regions in turn, the US first, with a
    full type check, then runs the same check again for the region found; when the US check
    succeeds, that second check is the first one again. So `is_valid_number_for_region(number,
    "US")` answering True settles validity alone (a test holds it on every shape of number).
    """
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(1, ())
    metadata = PhoneMetadata.metadata_for_region("US")
    first = bool(regions) and regions[0] == "US"
    return first and metadata is not None and metadata.leading_digits is None


_US_FIRST = _us_decides_first()

# Most cells are 11 plain digits of a mainland mobile: phonenumbers' own mobile pattern answers
# them in about a microsecond instead of twenty (a test holds the two paths equal).
_CN_MOBILE = re.compile(cn_mobile_pattern())


@dataclass(frozen=True)
class Phone:
    """A valid phone number.

    >>> parse_phone("+86 138 0013 8000").value
    Phone(e164='+8613800138000', region='CN', kind='mobile', national='13800138000', extension=None)
    """

    e164: str  # "+8613800138000": the same for every spelling of the number
    region: str | None  # ISO country code, None for non-geographic numbers (+800 ...)
    kind: PhoneKind
    national: str  # national significant number, digits only: "13800138000", "1012345678"
    extension: str | None = None  # digits of an extension: "123"


def parse_phone(value: CellValue, *, default_region: str = "CN") -> Parsed[Phone]:
    """A phone number written any usual way, with its canonical form as the fix.

    Numbers without a country code are read as `default_region` numbers. A phone kept in a
    number cell is "phone_format": the fix writes it as text, which keeps a leading 0 or +.

    >>> parse_phone("+86(138)0013-8000").fix, parse_phone("(021) 6123 4567").fix
    ('13800138000', '021-61234567')
    >>> parse_phone("1380013800").problem
    'phone_invalid'
    """
    return _parse_phone(value, default_region.upper())


def phone_key(value: CellValue, *, default_region: str = "CN") -> str | None:
    """E.164 of a valid number, for matching; None when blank or invalid.

    >>> phone_key("138-0013-8000"), phone_key(13800138000), phone_key("１３８")
    ('+8613800138000', '+8613800138000', None)
    """
    return _phone_key(value, default_region.upper())


def phone_keys(values: Iterable[CellValue], *, default_region: str = "CN") -> list[str | None]:
    """`phone_key` of each of a column's distinct values, past the cache.

    Distinct values never hit the cache, and a million of them would only churn it: each
    miss cost as much as keying a plain mobile number.

    >>> phone_keys(["138-0013-8000", "138"])
    ['+8613800138000', None]
    """
    region = default_region.upper()
    read = _phone_key.__wrapped__
    return [read(value, region) for value in values]


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def _phone_key(value: CellValue, region: str) -> str | None:
    """`_parse_phone(value, region).value.e164`, without the parts a key does not need.

    Matching a million rows keys as many distinct numbers; the region, kind and written form
    (`_phone_of`, `_written_form`) would cost as much again, so only the validity and the
    E.164 form are computed, by the same phonenumbers calls (a test holds both paths equal).
    """
    if value is None:
        return None
    written = value if isinstance(value, str) else _number_digits(value)
    if written is None or not written.strip():
        return None
    if region == "CN" and written.isascii() and _CN_MOBILE.fullmatch(written):
        return f"+86{written}"
    if region in _NANP_REGIONS and _NANP_NATIONAL.fullmatch(written):
        # phonenumbers.parse reads ten plain digits of a +1 region as exactly this number (a
        # test holds it); parsing was a third of the time of keying a million numbers.
        plain = PhoneNumber(country_code=1, national_number=int(written))
        us = _US_FIRST and phonenumbers.is_valid_number_for_region(plain, "US")
        return f"+1{written}" if us or phonenumbers.is_valid_number(plain) else None
    if len(written) > LONGEST_VALUE:
        return None
    number = _valid_number(_without_extension(written)[0], region)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164) if number else None


def _without_extension(written: str) -> tuple[str, str | None]:
    """The dialled part of a number as written, and the digits of its extension."""
    text = fold_width(written).strip()
    marker = _EXTENSION.search(text)
    if marker is None:
        return text, None
    return text[: marker.start()], marker.group(1)


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def _parse_phone(value: CellValue, region: str) -> Parsed[Phone]:
    if value is None:
        return BLANK
    if isinstance(value, str):
        return _parse_text(value, region) if value.strip() else BLANK
    digits = _number_digits(value)
    if digits is None:
        return _INVALID
    parsed = _parse_text(digits, region)
    if parsed.value is None:
        return parsed
    # A number cell is never canonical: the fix writes the same number as text.
    return Parsed(parsed.value, "phone_format", parsed.fix if parsed.fix is not None else digits)


def _number_digits(value: CellValue) -> str | None:
    """The digits of a phone kept in a number cell (13800138000.0 included)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer()):
            return None
        value = int(value)
    return str(value) if value > 0 else None


def _parse_text(written: str, region: str) -> Parsed[Phone]:
    if region == "CN" and written.isascii() and _CN_MOBILE.fullmatch(written):
        return Parsed(Phone(f"+86{written}", "CN", "mobile", written), None, None)
    if len(written) > LONGEST_VALUE:
        return _INVALID
    text, extension = _without_extension(written)
    number = _valid_number(text, region)
    if number is None:
        return _INVALID
    phone = _phone_of(number, extension)
    canonical = _written_form(phone, region, number)
    if written in (canonical, phone.e164 if extension is None else None):
        return Parsed(phone, None, None)  # exact E.164 is a standard form in any sheet
    return Parsed(phone, "phone_format", canonical)


def _valid_number(text: str, region: str) -> PhoneNumber | None:
    if not _DIALLABLE.fullmatch(text):
        return None
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _phone_of(number: PhoneNumber, extension: str | None) -> Phone:
    region = phonenumbers.region_code_for_number(number)
    kind = _KINDS.get(phonenumbers.number_type(number), "other")
    return Phone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        region=None if region in _NON_GEOGRAPHIC else region,
        kind=kind,
        national=phonenumbers.national_significant_number(number),
        extension=extension,
    )


_KINDS: dict[int, PhoneKind] = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
}


def canonical_phone(phone: Phone, default_region: str = "CN") -> str:
    """How a valid number is written in a clean sheet.

    Mainland forms are used only when the sheet's default region is CN too, so that the
    written form reads back as the same number.

    >>> canonical_phone(parse_phone("0755 8888 6666").value)
    '0755-88886666'
    >>> canonical_phone(parse_phone("+1 415 555 2671 x9").value)
    '+14155552671 ext. 9'
    """
    return _written_form(phone, default_region, phonenumbers.parse(phone.e164, None))


def _written_form(phone: Phone, default_region: str, number: PhoneNumber) -> str:
    written = phone.e164
    if phone.region == "CN" and default_region == "CN":
        written = _mainland_form(phone, number)
    return f"{written} ext. {phone.extension}" if phone.extension else written


def _mainland_form(phone: Phone, number: PhoneNumber) -> str:
    if phone.kind == "mobile":
        return phone.national
    area = phonenumbers.length_of_geographical_area_code(number)
    if phone.kind == "landline" and area:
        return f"0{phone.national[:area]}-{phone.national[area:]}"
    # 400/800 service numbers and the like: grouped as phonenumbers groups them.
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return "-".join(national.split())
