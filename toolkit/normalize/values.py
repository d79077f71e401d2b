"""E-mail addresses, amounts of money, counts and gender, as staff type them.

Each parser says what the cell means, whether it is written canonically, and the value to
write with --fix. Negative amounts and counts keep their value but get no fix: a negative
total is a question for a person, not a typo.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from toolkit.normalize.text import (
    BLANK,
    CACHE_SIZE,
    LONGEST_VALUE,
    Parsed,
    arabic_numerals,
    fold_width,
)
from toolkit.table import CellValue

Gender = Literal["M", "F"]

# ---------------------------------------------------------------- e-mail

LONGEST_EMAIL = 320  # with room for spaces and "mailto:" around the 254 SMTP allows
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_INNER_SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_LOCAL = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# A canonical address: lower-case ASCII only, so a full match is an address as written.
EMAIL_PATTERN = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})")


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def parse_email(value: CellValue) -> Parsed[str]:
    """An e-mail address, lowercased, with spaces, full-width forms and "mailto:" removed.

    Addresses are compared case-insensitively in practice, so the value is lowercase.
    Non-ASCII addresses (a Chinese local part, "。" in the domain) are "email_invalid".

    >>> parse_email("mailto:Zhang.San＠QQ.com ")
    Parsed(value='zhang.san@qq.com', problem='email_format', fix='zhang.san@qq.com')
    >>> parse_email("zhangsan@qq。com").problem
    'email_invalid'
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return BLANK
    if not isinstance(value, str) or len(value) > LONGEST_EMAIL:
        return Parsed(None, "email_invalid", None)
    address = _INNER_SPACES.sub("", _MAILTO.sub("", fold_width(value).strip())).lower()
    if not EMAIL_PATTERN.fullmatch(address):
        return Parsed(None, "email_invalid", None)
    if address == value:
        return Parsed(address, None, None)
    return Parsed(address, "email_format", address)


def email_key(value: CellValue) -> str | None:
    """The cleaned address of a valid e-mail, for matching; None when blank or invalid.

    >>> email_key(" Wang.Wei@163.COM"), email_key("wang.wei@163")
    ('wang.wei@163.com', None)
    """
    return parse_email(value).value


def email_keys(values: Iterable[CellValue]) -> list[str | None]:
    """`email_key` of each of a column's distinct values, past the cache.

    Distinct values never hit the cache, and a million of them would only churn it: each
    miss cost as much as a third of reading the address.

    >>> email_keys(["Wang.Wei@163.COM", "wang.wei@163"])
    ['wang.wei@163.com', None]
    """
    read = parse_email.__wrapped__
    return [read(value).value for value in values]


# ---------------------------------------------------------------- amounts and counts

_CURRENCY = r"(?:rmb|cny|usd|hkd|eur|gbp|jpy|us\$|hk\$|[¥$€£]|人民币|美元|港币|港元|欧元|元|块)"
_AMOUNT = re.compile(
    rf"(?P<sign>[-+])?\s*(?:{_CURRENCY}\s*)?(?P<sign2>-)?\s*"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    rf"(?P<unit>百万|千万|万|千|亿|百|k|w)?\s*(?:{_CURRENCY})?"
)
_UNITS = {
    "百": 100,
    "千": 1_000,
    "k": 1_000,
    "万": 10_000,
    "w": 10_000,  # "1.2w": Chinese shorthand for 万
    "百万": 1_000_000,
    "千万": 10_000_000,
    "亿": 100_000_000,
}
_MINUS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-"})
_ACCOUNTING_NEGATIVE = re.compile(r"\((.*)\)")


def _number_cell(value: CellValue) -> float | None:
    """A real number cell's value; None for booleans, dates, NaN and infinities."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int beyond any float
        return None
    return number if math.isfinite(number) else None


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def parse_amount(value: CellValue) -> Parsed[float]:
    """An amount of money from a number, or from text with symbols, separators and 万/千/亿.

    >>> parse_amount("¥1,234.50"), parse_amount("1.2万").value, parse_amount("(123.00)").problem
    (Parsed(value=1234.5, problem='amount_format', fix=1234.5), 12000.0, 'amount_negative')
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return BLANK
    if not isinstance(value, str):
        number = _number_cell(value)
        if number is None:
            return Parsed(None, "amount_invalid", None)
        return Parsed(number, "amount_negative", None) if number < 0 else Parsed(number, None, None)
    if len(value) > LONGEST_VALUE:
        return Parsed(None, "amount_invalid", None)
    amount = _amount_text(fold_width(value).translate(_MINUS).strip().lower())
    if amount is None:
        return Parsed(None, "amount_invalid", None)
    if amount < 0:
        return Parsed(amount, "amount_negative", None)
    return Parsed(amount, "amount_format", amount)


def _amount_text(text: str) -> float | None:
    negative = False
    accounting = _ACCOUNTING_NEGATIVE.fullmatch(text)
    if accounting is not None:
        negative, text = True, accounting.group(1).strip()
    match = _AMOUNT.fullmatch(text)
    if match is None or (match["sign"] and match["sign2"]):
        return None
    if negative and (match["sign"] or match["sign2"]):
        return None  # "(-5)" says minus twice: a person should look
    negative = negative or "-" in (match["sign"] or "", match["sign2"] or "")
    amount = Decimal(match["number"].replace(",", "")) * _UNITS.get(match["unit"] or "", 1)
    result = float(-amount if negative else amount)
    return result if math.isfinite(result) else None


_COUNT = re.compile(
    r"(?P<sign>-)?\s*(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?\s*"
    r"(?:次|单|笔|件|个|份|张|orders?|times?|purchases?|pcs|items?|x)?"
)


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def parse_count(value: CellValue) -> Parsed[int]:
    """A whole number of things (purchases, orders) from a number or text like "3次".

    >>> parse_count(3.0), parse_count("3 orders").fix, parse_count(2.5).problem
    (Parsed(value=3, problem=None, fix=None), 3, 'count_invalid')
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return BLANK
    if isinstance(value, str):
        if len(value) > LONGEST_VALUE:
            return Parsed(None, "count_invalid", None)
        text = arabic_numerals(fold_width(value).translate(_MINUS)).strip().lower()
        match = _COUNT.fullmatch(text)
        if match is None:
            return Parsed(None, "count_invalid", None)
        count = int(match["number"].replace(",", ""))
        if match["sign"] and count:
            return Parsed(-count, "count_negative", None)
        return Parsed(count, "count_format", count)
    if isinstance(value, int) and not isinstance(value, bool):
        count = value  # exact even beyond a float's 53 bits
    else:
        number = _number_cell(value)
        if number is None or not number.is_integer():
            return Parsed(None, "count_invalid", None)
        count = int(number)
    return Parsed(count, "count_negative", None) if count < 0 else Parsed(count, None, None)


# ---------------------------------------------------------------- gender

_CANONICAL_GENDER: dict[str, Gender] = {
    "男": "M",
    "女": "F",
    "M": "M",
    "F": "F",
    "Male": "M",
    "Female": "F",
}
_MALE_WORDS = ("男", "男性", "男士", "男生", "先生", "m", "male", "man", "mr")
_FEMALE_WORDS = ("女", "女性", "女士", "女生", "小姐", "太太", "f", "female", "woman", "mrs", "ms")
_MALE: Gender = "M"
_FEMALE: Gender = "F"
_GENDER_WORDS = dict.fromkeys(_MALE_WORDS, _MALE) | dict.fromkeys((*_FEMALE_WORDS, "miss"), _FEMALE)
# Written where the gender is not known: the same as an empty cell.
_UNKNOWN_GENDER = frozenset(
    ("未知", "不详", "保密", "无", "unknown", "-", "--", "—", "/", "n/a", "na", "none", "null")
)


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def parse_gender(value: CellValue) -> Parsed[Gender]:
    """M or F from 男/女/先生/女士/Male/F and the like; "未知" and "-" count as blank.

    Only 男, 女, M, F, Male and Female are canonical. The others have no fix here: whether to
    write 男 or Male depends on the sheet's language, which the caller knows.

    >>> parse_gender("男").value, parse_gender(" male ").problem, parse_gender("未知").problem
    ('M', 'gender_format', None)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return BLANK
    if not isinstance(value, str):
        return Parsed(None, "gender_invalid", None)
    if value in _CANONICAL_GENDER:
        return Parsed(_CANONICAL_GENDER[value], None, None)
    word = fold_width(value).strip().casefold().rstrip(".")
    if word in _UNKNOWN_GENDER:
        return BLANK
    gender = _GENDER_WORDS.get(word)
    return Parsed(gender, "gender_format", None) if gender else Parsed(None, "gender_invalid", None)
