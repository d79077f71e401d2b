"""Personal data masked for lists that travel: reminder sheets, calendars, logs.

A reminder list is printed, forwarded and synced to phones; the full number stays in the
customer sheet. Masks keep just enough to tell two customers apart and to recognize the number
on a caller display: the first three and last four digits of a phone (138****5678), the first
letter and the domain of an e-mail (w***@example.com).
"""

from __future__ import annotations

from toolkit.normalize.phone import parse_phone
from toolkit.normalize.text import cell_text, fold_width
from toolkit.table import CellValue, is_blank

MASK = "*"
_KEPT_HEAD, _KEPT_TAIL = 3, 4


def mask_digits(digits: str) -> str:
    """Digits with all but the first three and last four masked; short ones keep two.

    >>> mask_digits("13812345678"), mask_digits("12345")
    ('138****5678', '***45')
    """
    if len(digits) > _KEPT_HEAD + _KEPT_TAIL:
        middle = len(digits) - _KEPT_HEAD - _KEPT_TAIL
        return digits[:_KEPT_HEAD] + MASK * middle + digits[-_KEPT_TAIL:]
    return MASK * max(len(digits) - 2, 0) + digits[-2:]


def mask_phone(value: CellValue, *, default_region: str = "CN") -> str:
    """A phone number masked: mainland numbers as national digits, others with their +code.

    >>> mask_phone("+86 138-1234-5678"), mask_phone(13812345678.0)
    ('138****5678', '138****5678')
    >>> mask_phone("+1 415 555 2671"), mask_phone(None)
    ('+1 415***2671', '')
    >>> mask_phone("call me 555-12")  # not a number we can read: its digits, masked
    '***12'
    """
    if is_blank(value):
        return ""
    phone = parse_phone(value, default_region=default_region).value
    if phone is None:
        digits = "".join(ch for ch in fold_width(cell_text(value)) if ch.isdigit())
        return mask_digits(digits)
    masked = mask_digits(phone.national)
    if phone.region == default_region.upper():
        return masked
    country_code = phone.e164[1 : len(phone.e164) - len(phone.national)]
    return f"+{country_code} {masked}"


def mask_email(value: CellValue) -> str:
    """An e-mail address with its local part masked after the first character.

    >>> mask_email(" wang.wei@example.com "), mask_email("x@qq.com"), mask_email("no-at-sign")
    ('w***@example.com', 'x***@qq.com', 'n***')
    """
    if is_blank(value):
        return ""
    text = fold_width(cell_text(value)).strip()
    local, at, domain = text.partition("@")
    return f"{local[:1]}{MASK * 3}{at}{domain}"
