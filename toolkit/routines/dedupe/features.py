"""Matching keys of every customer row, as integer codes, computed once per distinct value.

A column of a million cells holds far fewer distinct values (cities, companies, common
names), so each key function runs once per distinct value and rows carry small integer codes:
blocking and exact comparison are then numpy work on whole columns, and only pairs of distinct
strings ever reach a fuzzy comparison. Code -1 means blank (or unusable, such as an invalid
e-mail): a blank never agrees with anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import compress
from typing import Any

import numpy as np
import numpy.typing as npt
from phonenumbers import country_code_for_region

from toolkit.normalize import (
    address_key,
    company_key,
    fold_width,
    is_chinese,
    name_key,
    name_tokens,
    parse_date,
    pinyin_key,
    surname_only,
)
from toolkit.normalize.phone import phone_keys
from toolkit.normalize.text import cell_text
from toolkit.normalize.values import email_keys
from toolkit.routines.dedupe.digits import DigitMatrix
from toolkit.table import CellValue, Table, is_blank

# Codes of keys are int64; row positions of candidate pairs (blocking.Candidates) are int32,
# half the memory of tens of millions of pairs: both index arrays alike.
Codes = npt.NDArray[np.signedinteger[Any]]
KeyFunction = Callable[[CellValue], str | None]


@dataclass(frozen=True)
class Coded:
    """One key per row as a code into `keys`; `counts[code]` rows carry that key.

    >>> coded = encode(["a", None, "a", "b"])
    >>> coded.codes.tolist(), coded.keys, coded.counts.tolist()
    ([0, -1, 0, 1], ('a', 'b'), [2, 1])
    """

    codes: Codes
    keys: tuple[str, ...]
    counts: npt.NDArray[np.int64]

    @property
    def present(self) -> int:
        """How many rows have a key."""
        return int(self.counts.sum())

    def key(self, row: int) -> str:
        code = int(self.codes[row])
        return self.keys[code] if code >= 0 else ""


def encode(keys: Sequence[str | None]) -> Coded:
    """Integer codes for a column of keys, in order of first appearance; "" and None are -1."""
    index: dict[str, int] = {}
    codes = np.fromiter(
        (index.setdefault(k, len(index)) if k else -1 for k in keys),
        dtype=np.int64,
        count=len(keys),
    )
    counts = np.bincount(codes[codes >= 0], minlength=len(index)).astype(np.int64)
    return Coded(codes, tuple(index), counts)


def keys_by_value(values: Sequence[CellValue], key: KeyFunction) -> list[str | None]:
    """`key(v)` for every value, calling `key` once per distinct value."""
    distinct = {v: key(v) for v in dict.fromkeys(values)}
    return [distinct[v] for v in values]


@dataclass(frozen=True)
class Distinct:
    """A column as codes into its distinct values, in order of first appearance.

    The per-row work of keying a column is then one C-level dict lookup per row; every key
    function runs on `values` only, and rows take their key's code through numpy indexing.

    >>> column = Distinct.of(["b", None, "b", "a"])
    >>> column.rows.tolist(), column.values
    ([0, 1, 0, 2], ['b', None, 'a'])
    """

    rows: Codes  # rows[i]: position of row i's value in `values`
    values: list[CellValue]

    @classmethod
    def of(cls, column: Sequence[CellValue]) -> Distinct:
        # One dict lookup a row: a million cells of e-mails or phones are nearly all distinct,
        # and each lookup is a cache miss on the cell's string, so dict.fromkeys and then a
        # lookup of every row cost twice as much. setdefault keeps the first of equal values
        # (1 == 1.0), as dict.fromkeys and keys_by_value do.
        position: dict[CellValue, int] = {}
        first = position.setdefault
        rows = np.fromiter(
            [first(v, len(position)) for v in column], dtype=np.int64, count=len(column)
        )
        return cls(rows, list(position))

    def encode(self, keys: Sequence[str | None]) -> Coded:
        """`encode` of the rows' keys, from one key per distinct value (`keys[j]` of values[j]).

        The same codes as `encode([keys[rows[i]] ...])`: distinct values come in order of
        first appearance, so their keys do too.
        """
        index: dict[str, int] = {}
        of_value = np.fromiter(
            (index.setdefault(k, len(index)) if k else -1 for k in keys),
            dtype=np.int64,
            count=len(keys),
        )
        codes: Codes = of_value[self.rows] if of_value.size else np.full(self.rows.size, -1)
        counts = np.bincount(codes[codes >= 0], minlength=len(index)).astype(np.int64)
        return Coded(codes, tuple(index), counts)

    def keyed(self, key: KeyFunction) -> Coded:
        """The column's keys under `key`, called once per distinct value."""
        return self.encode([key(v) for v in self.values])


@dataclass(frozen=True)
class Features:
    """Every matching key of every row of a customer table (row i is table row i)."""

    size: int
    name: Coded  # name words sorted: "Wei Zhang" meets "Zhang, Wei"
    pinyin: Coded  # homophones and Chinese/pinyin spellings meet
    surname: Coded  # surname of a name that is only a surname with a title (陈先生), else -1
    initials: Coded  # first two letters of the surname's pinyin: 王伟, 汪伟, 王女士 -> "wa"
    phones: Coded  # phone and phone2 share one code space: codes of rows, then of phone2
    email: Coded
    company: Coded
    city: Coded
    birthday: Coded  # ISO date
    address: Coded
    names: tuple[str, ...]  # names as written (cleaned), for explanations

    @property
    def phone(self) -> Codes:
        return self.phones.codes[: self.size]

    @property
    def phone2(self) -> Codes:
        return self.phones.codes[self.size :]

    @cached_property
    def phone_digits(self) -> DigitMatrix:
        """The digits of every phone key as a character matrix, built on first use only."""
        return DigitMatrix.of(self.phones.keys)

    def coded(self, field: str) -> Coded:
        """The codes of a compared field ("phone" gives the first phone)."""
        return {
            "name": self.name,
            "email": self.email,
            "company": self.company,
            "city": self.city,
            "birthday": self.birthday,
            "address": self.address,
        }.get(field, self.phones)


def extract(customers: Table, *, default_region: str = "CN", day_first: bool = False) -> Features:
    """The matching keys of a customer table.

    >>> from toolkit.table import Column
    >>> cols = (Column(1, "姓名", "name"), Column(2, "手机", "phone"))
    >>> t = Table("客户", "customers", 1, cols, (("張偉", "138 0013 8000"), ("章伟", None)))
    >>> f = extract(t)
    >>> f.name.keys, f.pinyin.codes.tolist(), f.phone.tolist(), f.initials.keys
    (('张伟', '章伟'), [0, 0], [0, -1], ('zh',))
    """
    written_names = _names(customers)
    names = Distinct.of(written_names)
    name, pinyin, surname, initials = _name_columns(names)
    phones = _phones(customers, default_region)
    emails = Distinct.of(customers.values("email"))
    email = emails.encode(email_keys(emails.values))
    first_phone = phones.codes[: len(customers.rows)]

    def birthday(value: CellValue) -> str | None:
        parsed = parse_date(value, day_first=day_first).value
        return parsed.isoformat() if parsed is not None else None

    return Features(
        size=len(customers.rows),
        name=people_counts(name, first_phone),
        pinyin=people_counts(pinyin, first_phone),
        surname=surname,
        initials=initials,
        phones=people_counts(phones, np.concatenate([pinyin.codes, pinyin.codes])),
        email=people_counts(email, pinyin.codes),
        company=Distinct.of(customers.values("company")).keyed(company_key),
        # address_key folds a city too: 广东省深圳市 / 深圳市 / 深圳 -> 深圳
        city=Distinct.of(customers.values("city")).keyed(address_key),
        birthday=Distinct.of(customers.values("birthday")).keyed(birthday),
        address=Distinct.of(customers.values("address")).keyed(address_key),
        names=_written_names(written_names, names),
    )


def _written_names(column: Sequence[CellValue], names: Distinct) -> tuple[str, ...]:
    """Each row's name as written (cleaned), computed per distinct name when that is exact.

    Distinct values merge equal cells of different types (True and 1), whose texts differ:
    a column with any non-text name is cleaned row by row.
    """
    if all(type(v) is str or v is None for v in names.values):
        texts = [cell_text(v).strip() for v in names.values]
        return tuple(map(texts.__getitem__, names.rows.tolist()))
    return tuple(cell_text(v).strip() for v in column)


def _name_columns(names: Distinct) -> tuple[Coded, Coded, Coded, Coded]:
    """Name, pinyin, surname-only and initials keys, all four computed per distinct name.

    One name at a time: the four share `name_key`, whose cache then always holds the name
    (a million rows hold more distinct names than the cache, so four passes over all of
    them would compute each name key four times).
    """
    keys = [_name_keys(v) for v in names.values]
    return (
        names.encode([k[0] for k in keys]),
        names.encode([k[1] for k in keys]),
        names.encode([k[2] for k in keys]),
        names.encode([k[3] for k in keys]),
    )


def _name_keys(value: CellValue) -> tuple[str, str | None, str | None, str | None]:
    """(sorted name words, pinyin key, bare surname, surname initials) of one name."""
    surname = surname_only(value)
    pinyin = None if surname is not None else pinyin_key(value) or None
    return " ".join(name_tokens(value)), pinyin, surname, _initials(value, surname)


def _phones(customers: Table, region: str) -> Coded:
    """Codes of phone and phone2 in one code space: codes of rows, then of phone2.

    A cell is spelt (`phone_spelling`) once per distinct cell and keyed once per distinct
    spelling: "(212) 555-0101" and "212.555.0101" cost one phonenumbers call.
    """
    written = Distinct.of(customers.values("phone") + customers.values("phone2"))
    spelt = Distinct.of(list(map(phone_spelling, written.values)))
    keys = _spelt_phone_keys(spelt.values, region)
    return written.encode(list(map(keys.__getitem__, spelt.rows.tolist())))


def distinct_values(values: Codes) -> Codes:
    """Sorted distinct values, by sorting.

    numpy 2.4's `np.unique` without options hashes, and hashing millions of int64 pair codes
    took seconds where a sort takes tens of milliseconds.

    >>> distinct_values(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    result: Codes = ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if ordered.size else ordered
    return result


def people_counts(coded: Coded, others: Codes) -> Coded:
    """The same codes, counted once per distinct `others` code: how many people hold a value.

    Three copies of one customer share a phone (and a name) three times, which says nothing
    about the phone (or the name) being common; a switchboard number shared by fifty names
    does. A row whose other key is blank counts as a person of its own.

    >>> people_counts(encode(["1", "1", "2", "2"]), np.array([0, 0, -1, -1])).counts.tolist()
    [1, 2]
    """
    present = coded.codes >= 0
    # A row whose other key is blank gets a surrogate of its own, above every real code.
    span = int(others.max(initial=-1)) + 1
    surrogate = np.where(others >= 0, others, span + np.arange(others.size, dtype=np.int64))
    width = span + others.size
    # One int64 per (code, other) pair, sorted: numpy's np.unique(axis=1) sorted a structured
    # view, seconds at a million rows.
    distinct = distinct_values(coded.codes[present] * width + surrogate[present])
    counts = np.bincount(distinct // width, minlength=len(coded.keys)).astype(np.int64)
    return Coded(coded.codes, coded.keys, counts)


def _names(customers: Table) -> list[CellValue]:
    """The name of each row; "last first" from separate columns when there is no name."""
    if customers.has("name") or not (customers.has("last_name") or customers.has("first_name")):
        return customers.values("name")
    lasts, firsts = customers.values("last_name"), customers.values("first_name")
    return [_joined(last, first) for last, first in zip(lasts, firsts, strict=True)]


def _joined(last: CellValue, first: CellValue) -> CellValue:
    parts = [cell_text(p).strip() for p in (last, first) if not is_blank(p)]
    if len(parts) == 2 and not parts[0].isascii():
        return "".join(parts)  # 张 + 伟
    return ", ".join(parts) or None  # "Smith, John": name_key puts the given name first


def _initials(value: CellValue, surname: str | None) -> str | None:
    """First two letters of the surname's pinyin (of the last word for a Latin name).

    `surname` is `surname_only(value)`, which the caller has already computed.
    """
    if surname is None:
        key = name_key(value)
        if not key:
            return None
        surname = key if is_chinese(key) else key.split()[-1]
    return pinyin_key(surname)[:2] or None


# A number written with nothing but digits, spaces, brackets, dots, dashes and a leading +.
_PLAIN_PHONE = re.compile(r"[(\s]*(\+?)[\d\s().\-]+")
_NOT_DIGIT = re.compile(r"\D")


def phone_spelling(value: CellValue) -> CellValue:
    """One spelling per number for plainly written phones: "+" if dialled so, then the digits.

    "(212) 555-0101", "212.555.0101" and "２１２-555-0101" are one number, and `phone_key` reads
    all of them as it reads "2125550101" (tests hold this on generated sheets); keying each
    spelling once instead of each way of writing it halves the phonenumbers calls.

    >>> phone_spelling("+86 138-0013-8000"), phone_spelling("(212) 555 0101"), phone_spelling(7)
    ('+8613800138000', '2125550101', 7)
    """
    if not isinstance(value, str):
        return value
    if value.isdigit() and value.isascii():
        return value  # most cells: digits only are their own spelling, no pattern needed
    folded = fold_width(value)
    plain = _PLAIN_PHONE.fullmatch(folded)
    return plain.group(1) + _NOT_DIGIT.sub("", folded) if plain else value


def _phone_key(value: CellValue, region: str) -> str | None:
    """The phone's E.164 key; an invalid number still matches by its digits.

    A one-digit typo often makes a number invalid (10 digits), and the typo level must still
    see it, so invalid numbers with at least 7 digits keep their digits as the key.
    """
    return _spelt_phone_keys([phone_spelling(value)], region)[0]


def _spelt_phone_keys(spellings: Sequence[CellValue], region: str) -> list[str | None]:
    """`_phone_key` of each distinct spelling (`phone_spelling` of a cell, which keeps the
    cell's digits), past normalize's caches: distinct spellings never hit them."""
    home = _home_prefix(region)
    dialled = [isinstance(s, str) and s.startswith(home) for s in spellings]
    keys = phone_keys(
        [None if d else s for s, d in zip(spellings, dialled, strict=True)], default_region=region
    )
    for i in compress(range(len(spellings)), dialled):
        # "+86 138...", "+1 212...": the national digits take phone_key's plain-number
        # shortcut; kept only when read whole, as the +-number itself is read.
        spelling = str(spellings[i])
        national = phone_keys([spelling[len(home) :]], default_region=region)[0]
        keys[i] = (
            national if national == spelling else phone_keys([spelling], default_region=region)[0]
        )
    for i in [i for i, key in enumerate(keys) if key is None]:
        digits = "".join(ch for ch in fold_width(cell_text(spellings[i])) if ch.isdigit())
        keys[i] = f"#{digits}" if len(digits) >= 7 else None
    return keys


@lru_cache(maxsize=8)
def _home_prefix(region: str) -> str:
    """The dialling prefix of a region ("+86" for CN), looked up once, not once a phone."""
    return f"+{country_code_for_region(region)}"


__all__ = ["Coded", "Features", "encode", "extract", "keys_by_value"]
