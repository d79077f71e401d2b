"""Personal data masked for lists that travel: reminder sheets, calendars, messages, logs.

A reminder list is printed, forwarded and synced to phones; the full number stays in the
customer sheet. Masks keep just enough to tell two customers apart and to recognize the number
on a caller display: the first three and last four digits of a phone (138****5678), the first
letter and the domain of an e-mail (w***@example.com), the first and last four characters of
an ID number (1101**********1234: region and check digits, never the birth date), and of an
address the province, city and district only (北京市朝阳区***), which is what a route or a
regional report needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from itertools import compress, repeat
from operator import and_, not_

import numpy as np

from toolkit.fields import field_spec
from toolkit.models.settings import Settings
from toolkit.normalize.phone import cn_mobile_pattern, parse_phone
from toolkit.normalize.text import CJK, cell_text, fold_width, is_chinese
from toolkit.table import CellValue, is_blank

MASK = "*"
_KEPT_HEAD, _KEPT_TAIL = 3, 4
# A mainland mobile written as its 11 digits is its own national form: masked without parsing
# (a reminder list masks every customer's phone, most of them written this way).
_CN_MOBILE = re.compile(cn_mobile_pattern())


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
    mainland = default_region.upper() == "CN"
    if mainland and isinstance(value, str) and value.isascii() and _CN_MOBILE.fullmatch(value):
        return mask_digits(value)
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


_ID_KEPT = 4
# Province, city and district of a Chinese address; a district name is short ("浦东新区"),
# so a longer run before 区 is a street or an estate and stays masked.
_CN_PLACE = re.compile(
    rf"^(?:中国)?(?:{CJK}{{2,7}}?(?:省|自治区|特别行政区))?"
    rf"(?:{CJK}{{2,6}}?(?:市|自治州|地区|盟))?(?:{CJK}{{1,5}}?(?:区|县|旗))?"
)
_DIGITS = re.compile(r"\d+")


def mask_id(value: CellValue) -> str:
    """An ID number with all but its first and last four characters masked.

    >>> mask_id("110101199003071234"), mask_id(" 11010119900307123x "), mask_id("A123")
    ('1101**********1234', '1101**********123x', '**23')
    """
    if is_blank(value):
        return ""
    text = fold_width(cell_text(value)).strip()
    if len(text) > 2 * _ID_KEPT:
        return text[:_ID_KEPT] + MASK * (len(text) - 2 * _ID_KEPT) + text[-_ID_KEPT:]
    return MASK * max(len(text) - 2, 0) + text[-2:]


def mask_address(value: CellValue) -> str:
    """An address cut to its province, city and district; street and number masked.

    >>> mask_address("北京市海淀区建国路105号"), mask_address("上海浦东新区张江路88弄")
    ('北京市海淀区***', '上海浦东新区***')
    >>> mask_address("349 Oak Ave, Springfield, IL 62704"), mask_address("349 Oak Ave")
    ('***, Springfield, IL', '***')
    """
    if is_blank(value):
        return ""
    text = fold_width(cell_text(value)).strip()
    if is_chinese(text):
        place = _CN_PLACE.match(text)
        kept = place.group(0) if place else ""
        return kept if kept == text else kept + MASK * 3
    # The first part is the street line, and so is any later part opening with a number
    # ("Flat 4, 12 King St, ..."); postcodes are dropped from what is left.
    places = (part.strip() for part in text.split(",")[1:])
    towns = (
        " ".join(word for word in part.split() if not _DIGITS.search(word))
        for part in places
        if part and not part[0].isdigit()
    )
    return ", ".join([MASK * 3, *(town for town in towns if town)])


def mask_text(value: CellValue) -> str:
    """Any other personal text: its first character, then a fixed mask.

    >>> mask_text("wxid_abc123"), mask_text(None)
    ('w***', '')
    """
    if is_blank(value):
        return ""
    return fold_width(cell_text(value)).strip()[:1] + MASK * 3


def mask_value(field: str, value: CellValue, *, default_region: str = "CN") -> str:
    """A customer field's value masked the way its kind of data is masked.

    >>> mask_value("phone2", "13812345678"), mask_value("id_number", "110101199003071234")
    ('138****5678', '1101**********1234')
    """
    if field == "address":
        return mask_address(value)
    if field == "id_number":
        return mask_id(value)
    kind = field_spec("customers", field).type
    if kind == "phone":
        return mask_phone(value, default_region=default_region)
    if kind == "email":
        return mask_email(value)
    return mask_text(value)


def reminder_contact(settings: Settings, field: str, value: CellValue) -> str:
    """A phone or e-mail as a reminder sheet or calendar shows it: masked when the field is
    personal, unless `[privacy] show_in_followups` (or the older `[followups] mask_contacts =
    false`) lets reminders show it in full.

    >>> reminder_contact(Settings(), "phone", "13812345678")
    '138****5678'
    >>> shown = Settings.model_validate({"privacy": {"show_in_followups": True}})
    >>> reminder_contact(shown, "phone", " 13812345678 ")
    '13812345678'
    """
    if _masks_contacts(settings, field):
        return mask_value(field, value, default_region=settings.validation.default_region)
    return "" if value is None else cell_text(value).strip()


def reminder_contacts(settings: Settings, field: str, cells: Sequence[CellValue]) -> list[str]:
    """`reminder_contact` of each cell, worked out once per distinct cell; mainland mobiles
    written as their 11 digits and ASCII e-mails are masked column-wise (a reminder list at a
    million customers masks a million phones and e-mails, nearly all written that way).

    >>> reminder_contacts(Settings(), "phone", ["13812345678", None, "+1 415 555 2671"])
    ['138****5678', '', '+1 415***2671']
    """
    region = settings.validation.default_region
    masked = _masks_contacts(settings, field)
    kind = field_spec("customers", field).type if field not in ("address", "id_number") else ""
    # The masking function is picked once for the column, not once per cell.
    shown: Callable[[CellValue], str]
    if not masked:
        shown = partial(reminder_contact, settings, field)
    elif kind == "email":
        shown = mask_email
    else:
        shown = partial(mask_value, field, default_region=region)
    if not masked or kind not in ("phone", "email"):
        return _each_distinct(cells, shown)
    # Text cells column-wise (no 1 == True among them), any others one by one.
    is_text = list(map(isinstance, cells, repeat(str)))
    texts: list[str] = list(compress(cells, is_text))  # type: ignore[arg-type]
    distinct = list(dict.fromkeys(texts))
    if kind == "email":
        known = dict(zip(distinct, _masked_emails(distinct), strict=True))
    else:
        known = _masked_mobiles(distinct) if region.upper() == "CN" else {}
    for text in distinct:
        if text not in known:
            known[text] = shown(text)
    masked_texts = map(known.__getitem__, texts)
    if len(texts) == len(cells):
        return list(masked_texts)
    others = iter(_each_distinct(list(compress(cells, map(not_, is_text))), shown))
    return [next(masked_texts) if text else next(others) for text in is_text]


def _masked_mobiles(texts: list[str]) -> dict[str, str]:
    """The masks of the texts that are a mainland mobile's 11 ASCII digits (see mask_phone)."""
    mobile = map(and_, map(str.isascii, texts), map(bool, map(_CN_MOBILE.fullmatch, texts)))
    mobiles = list(compress(texts, mobile))
    if mobiles and set(map(len, mobiles)) <= {11}:
        # All 11 ASCII digits: masked as rows of a byte matrix, no string built per number.
        lines = ("\n".join(mobiles) + "\n").encode("ascii")
        digits = np.frombuffer(lines, dtype=np.uint8).copy()
        digits.reshape(len(mobiles), 12)[:, 3:7] = ord(MASK)
        masked = digits.tobytes().decode("ascii").split("\n")[:-1]
        return dict(zip(mobiles, masked, strict=True))
    return {text: f"{text[:3]}{MASK * (len(text) - 7)}{text[-4:]}" for text in mobiles}


def _masked_emails(texts: list[str]) -> list[str]:
    """`mask_email` of each text; ASCII ones (width folding changes nothing) without a call."""
    stripped = [text.strip() if text.isascii() else fold_width(text).strip() for text in texts]
    parts = map(str.partition, stripped, repeat("@"))
    return [
        f"{local[:1]}{MASK * 3}{at}{domain}" if text else ""
        for text, (local, at, domain) in zip(stripped, parts, strict=True)
    ]


def _masks_contacts(settings: Settings, field: str) -> bool:
    """Whether reminders show this field masked (see `reminder_contact`)."""
    return (
        field in settings.privacy.personal
        and settings.followups.mask_contacts
        and not settings.privacy.show_in_followups
    )


def _each_distinct(cells: Sequence[CellValue], shown: Callable[[CellValue], str]) -> list[str]:
    """`shown` of each cell, called once per distinct cell (1, 1.0 and True told apart)."""
    if set(map(type, cells)) & {int, float, bool}:
        typed = list(zip(map(type, cells), cells, strict=True))
        known = {key: shown(key[1]) for key in dict.fromkeys(typed)}
        return list(map(known.__getitem__, typed))
    once = {cell: shown(cell) for cell in dict.fromkeys(cells)}
    return list(map(once.__getitem__, cells))
