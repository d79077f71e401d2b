"""Normalizers shared by validation, deduplication, scoring and follow-ups: one implementation.

Parsers (`parse_*`, `clean_*`) take any cell value and return a `Parsed`: the meaning, a
problem code (see `PROBLEM_CODES`) and the canonical value to write with --fix. A blank cell
(None, "", spaces) is `Parsed(None, None, None)` for every parser: whether a field is
required is the caller's business. Keys (`*_key`) are for matching: total, deterministic,
"" or None for blanks. Everything is cached by input, so a column of a million cells costs
one parse per distinct value; `per_distinct` guarantees that for columns with more distinct
values than the caches hold.

>>> parse_phone("+86 138 0013 8000").fix, phone_key("１３８-0013-8000")
('13800138000', '+8613800138000')
"""

from __future__ import annotations

from toolkit.normalize.dates import excel_serial, parse_date
from toolkit.normalize.names import name_key, name_tokens, pinyin_key, surname_only
from toolkit.normalize.phone import Phone, PhoneKind, canonical_phone, parse_phone, phone_key
from toolkit.normalize.places import address_key, company_key
from toolkit.normalize.text import (
    Parsed,
    clean_name,
    clean_text,
    fold_width,
    is_chinese,
    per_distinct,
    to_simplified,
)
from toolkit.normalize.values import (
    Gender,
    email_key,
    parse_amount,
    parse_count,
    parse_email,
    parse_gender,
)

# Every problem code a parser here can return; messages for them live with validation.
PROBLEM_CODES = frozenset(
    {
        "text_spaces",
        "text_fullwidth",
        "name_spaces",
        "phone_invalid",
        "phone_format",
        "email_invalid",
        "email_format",
        "date_invalid",
        "date_impossible",
        "date_format",
        "date_ambiguous",
        "amount_invalid",
        "amount_format",
        "amount_negative",
        "count_invalid",
        "count_format",
        "count_negative",
        "gender_invalid",
        "gender_format",
    }
)

__all__ = [
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
