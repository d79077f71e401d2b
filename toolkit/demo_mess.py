"""Realistic mess planted in demo customer rows, one known cell at a time.

Every planted value is made from the cell's clean value, so a fixer can be measured against
it: a phone written "+86 138-0013-8000" is the clean "13800138000" formatted differently, a
"¥1,234.50" is the clean 1234.5 as text. The problem codes are the ones the validator emits.

Clean (canonical) forms the mess departs from: phones as text, 11 digits in the Chinese
workbook and E.164 ("+14155550123") in the English one; e-mails in lower case; dates as real
date cells; amounts as numbers; counts as whole numbers; gender 男/女 and M/F.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from toolkit.table import CellValue, Lang

AS_OF = date(2025, 6, 30)  # the demo's "today": dates after it are in the future

PROBLEM_KINDS: tuple[str, ...] = (
    "required_missing", "phone_invalid", "phone_format", "email_invalid", "email_format",
    "date_invalid", "date_impossible", "date_future", "date_format", "amount_invalid",
    "amount_format", "amount_negative", "count_invalid", "count_format", "gender_invalid",
    "gender_format", "text_spaces", "name_spaces", "text_fullwidth",
)  # fmt: skip

# How many of each problem the quota planting puts where: one planting per field listed.
_COMMON_QUOTA: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("required_missing", ("name", "phone")),
    ("phone_invalid", ("phone", "phone")),
    ("phone_format", ("phone", "phone")),
    ("email_invalid", ("email", "email")),
    ("email_format", ("email",)),
    ("date_invalid", ("last_contact_date", "birthday")),
    ("date_impossible", ("birthday", "signup_date")),
    ("date_future", ("signup_date", "last_purchase_date")),
    ("date_format", ("birthday", "signup_date", "last_purchase_date", "last_contact_date")),
    ("amount_invalid", ("total_amount", "total_amount")),
    ("amount_format", ("total_amount", "total_amount")),
    ("amount_negative", ("total_amount",)),
    ("count_invalid", ("purchase_count",)),
    ("count_format", ("purchase_count", "purchase_count")),
    ("gender_invalid", ("gender",)),
    ("gender_format", ("gender", "gender")),
    ("text_spaces", ("name", "company")),
    ("text_fullwidth", ("company", "company")),
)
QUOTAS: dict[Lang, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "zh": (*_COMMON_QUOTA, ("name_spaces", ("name", "name"))),
    # An English name has a space between its parts: "name_spaces" is a Chinese problem.
    "en": _COMMON_QUOTA,
}
SHARE_SECOND = 0.3  # share of quota plantings that land on a row already carrying one


@dataclass(frozen=True)
class Planting:
    """A planted value for one field of one customer row, and the problem it is."""

    field: str
    problem: str
    value: CellValue


def fullwidth(text: str, *, alnum_only: bool = False) -> str:
    """ASCII turned into its full-width form, as a Chinese input method types it.

    >>> fullwidth("Abc 12"), fullwidth("a@b.cn", alnum_only=True)
    ('Ａｂｃ １２', 'ａ@ｂ.ｃｎ')
    """
    chars = []
    for char in text:
        wanted = char.isascii() and (char.isalnum() if alnum_only else "!" <= char <= "~")
        chars.append(chr(ord(char) + 0xFEE0) if wanted else char)
    return "".join(chars)


def excel_serial(day: date) -> int:
    """The serial number Excel shows for a date in a General cell.

    >>> excel_serial(date(2024, 3, 5))
    45356
    """
    return (day - date(1899, 12, 30)).days


_ZH_DATE_WORDS = ("上个月", "待定", "去年底", "年初")
_EN_DATE_WORDS = ("soon", "last month", "TBD", "ASAP")
# Only forms that no convention takes as canonical: some accept M/F or Male in any sheet.
_GENDER_FORMATS = {
    "zh": {"男": ("男性", "male", "男士"), "女": ("女性", "female", "女士")},
    "en": {"M": ("male", "m", "man"), "F": ("female", "f", "woman")},
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


class MessMaker:
    """Makes the planted value of a problem from a clean value, cycling through its forms.

    >>> maker = MessMaker("zh", random.Random(1))
    >>> maker.make("phone_format", "13800138000"), maker.make("phone_format", "13800138000")
    ('+86 138-0013-8000', '138 0013 8000')
    """

    def __init__(self, lang: Lang, rng: random.Random) -> None:
        self.lang = lang
        self.rng = rng
        self._made: dict[str, int] = {}

    def make(self, problem: str, clean: CellValue) -> CellValue:
        """The next planted value of `problem` for a cell whose clean value is `clean`."""
        index = self._made.get(problem, 0)
        self._made[problem] = index + 1
        return _MAKERS[problem](self, clean, index)

    def _phone_format(self, clean: CellValue, index: int) -> CellValue:
        phone = str(clean)
        if self.lang == "zh":
            a, b, c = phone[:3], phone[3:7], phone[7:]
            forms: tuple[CellValue, ...] = (
                f"+86 {a}-{b}-{c}", f"{a} {b} {c}", fullwidth(phone), "86" + phone,
                int(phone), f"{a}-{b}-{c}",
            )  # fmt: skip
        elif phone.startswith("+1"):
            a, b, c = phone[2:5], phone[5:8], phone[8:]
            forms = (f"+1 ({a}) {b}-{c}", f"+1 {a}-{b}-{c}", f"+1.{a}.{b}.{c}")
        elif phone.startswith("+44"):
            national = phone[3:]
            cut = 2 if national.startswith("20") else 3
            grouped = f"{national[:cut]} {national[cut:-4]} {national[-4:]}"
            forms = (f"+44 {grouped}", f"+44 (0){grouped}", f"0044 {grouped}")
        else:
            mobile = phone[3:]
            a, b, c = mobile[:3], mobile[3:7], mobile[7:]
            forms = (f"+86 {a} {b} {c}", f"+86-{a}-{b}-{c}", f"0086 {mobile}")
        return forms[index % len(forms)]

    def _phone_invalid(self, clean: CellValue, index: int) -> CellValue:
        phone = str(clean)
        # One letter only: three or more would be read as a vanity number (1-800-FLOWERS).
        forms = (phone[:-1], phone + str(self.rng.randint(0, 9)), phone[:-1] + "O")
        return forms[index % len(forms)]

    def _email_invalid(self, clean: CellValue, index: int) -> CellValue:
        local, domain = str(clean).split("@")
        forms = (f"{local}@", f"{local}.{domain}", f"{local}@@{domain}", f"{local}@{domain[:-4]}")
        return forms[index % len(forms)]

    def _email_format(self, clean: CellValue, index: int) -> CellValue:
        email = str(clean)
        local, domain = email.split("@")
        capitalised = ".".join(part.capitalize() for part in local.split("."))
        forms = (f"{capitalised}@{domain}", f" {email} ", fullwidth(email), email.upper())
        return forms[index % len(forms)]

    def _date_invalid(self, clean: CellValue, index: int) -> CellValue:
        words = _ZH_DATE_WORDS if self.lang == "zh" else _EN_DATE_WORDS
        return words[index % len(words)]

    def _date_impossible(self, clean: CellValue, index: int) -> CellValue:
        day = _as_date(clean)
        forms = (f"{day.year}-02-30", f"{day.year}-04-31", f"{day.year}-13-{day.day:02d}",
                 f"{day.year}-{day.month:02d}-32")  # fmt: skip
        return forms[index % len(forms)]

    def _date_future(self, clean: CellValue, index: int) -> CellValue:
        return AS_OF + timedelta(days=self.rng.randint(20, 400))

    def _date_format(self, clean: CellValue, index: int) -> CellValue:
        d = _as_date(clean)
        slashed, compact = f"{d.year}/{d.month}/{d.day}", f"{d:%Y%m%d}"
        if self.lang == "zh":
            forms: tuple[CellValue, ...] = (
                slashed,
                f"{d.year}年{d.month}月{d.day}日",
                compact,
                excel_serial(d),
            )
        else:
            forms = (f"{_MONTHS[d.month - 1]} {d.day}, {d.year}", slashed, compact,
                     excel_serial(d), f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year}")  # fmt: skip
        return forms[index % len(forms)]

    def _amount_invalid(self, clean: CellValue, index: int) -> CellValue:
        rough = max(100, round(_as_number(clean), -2))
        forms = (f"约{rough:.0f}", "待确认", "abc") if self.lang == "zh" else (
            f"~{rough:.0f}", "TBD", "abc")  # fmt: skip
        return forms[index % len(forms)]

    def _amount_format(self, clean: CellValue, index: int) -> CellValue:
        amount = _as_number(clean)
        if self.lang == "en":
            forms = (f"${amount:,.2f}", f"{amount:,.2f}", f"USD {amount:.2f}")
            return forms[index % len(forms)]
        wan = f"{amount / 10000:.2f}".rstrip("0").rstrip(".") + "万"
        forms = (f"¥{amount:,.2f}", wan if amount >= 10000 else f"{amount:.2f}元",
                 f"{amount:,.2f}")  # fmt: skip
        return forms[index % len(forms)]

    def _amount_negative(self, clean: CellValue, index: int) -> CellValue:
        return -_as_number(clean)

    def _count_invalid(self, clean: CellValue, index: int) -> CellValue:
        forms: tuple[CellValue, ...] = ("多次" if self.lang == "zh" else "several",
                                        _as_number(clean) + 0.5)  # fmt: skip
        return forms[index % len(forms)]

    def _count_format(self, clean: CellValue, index: int) -> CellValue:
        n = int(_as_number(clean))
        forms = (f"{n}次", f"{n} 次", str(n)) if self.lang == "zh" else (
            f"{n} orders", str(n), f"{n} times")  # fmt: skip
        return forms[index % len(forms)]

    def _gender_invalid(self, clean: CellValue, index: int) -> CellValue:
        return ("X", "?")[index % 2]

    def _gender_format(self, clean: CellValue, index: int) -> CellValue:
        forms = _GENDER_FORMATS[self.lang][str(clean)]
        return forms[index % len(forms)]

    def _text_spaces(self, clean: CellValue, index: int) -> CellValue:
        text = str(clean)
        forms = (" " + text, text + " ", text.replace(" ", "  ", 1) if " " in text else text + "  ")
        return forms[index % len(forms)]

    def _name_spaces(self, clean: CellValue, index: int) -> CellValue:
        name = str(clean)
        cut = 2 if name[:2] in ("欧阳",) else 1
        return f"{name[:cut]} {name[cut:]}"

    def _text_fullwidth(self, clean: CellValue, index: int) -> CellValue:
        text = str(clean)
        if self.lang == "zh":
            return fullwidth(text, alnum_only=True)
        first, _, rest = text.partition(" ")
        return f"{fullwidth(first)} {rest}"

    def _required_missing(self, clean: CellValue, index: int) -> CellValue:
        return None


_MAKERS: dict[str, Callable[[MessMaker, CellValue, int], CellValue]] = {
    kind: getattr(MessMaker, f"_{kind}") for kind in PROBLEM_KINDS
}


def _as_date(value: CellValue) -> date:
    if not isinstance(value, date):
        raise TypeError(f"a date problem needs a clean date, not {value!r}")
    return value


def _as_number(value: CellValue) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"an amount or count problem needs a clean number, not {value!r}")
    return float(value)


def can_plant(problem: str, clean: CellValue, lang: Lang) -> bool:
    """Whether `problem` can be planted over a cell holding `clean`.

    >>> can_plant("amount_negative", 0.0, "zh"), can_plant("text_fullwidth", "北京星辰科技", "zh")
    (False, False)
    """
    if clean is None or clean == "":
        return False
    if problem.startswith(("amount_", "count_")):
        return isinstance(clean, int | float) and clean > 0
    if problem == "text_fullwidth" and lang == "zh":
        return any(char.isascii() and char.isalnum() for char in str(clean))
    return True


def plant_quota(
    rows: Sequence[Mapping[str, CellValue]],
    *,
    lang: Lang,
    maker: MessMaker,
    reserved: Collection[int],
) -> list[tuple[int, Planting]]:
    """(row position, planting) for every problem of the language's quota.

    Most plantings take a fresh row; the last `SHARE_SECOND` of them join a row that already
    has one problem (in another field), so some rows carry two. Positions in `reserved`
    (planted duplicates and namesakes) are left clean so that dedupe truth stays simple.
    """
    rng = maker.rng
    jobs = [(problem, field) for problem, fields in QUOTAS[lang] for field in fields]
    rng.shuffle(jobs)
    seconds = round(len(jobs) * SHARE_SECOND)
    taken: dict[int, list[str]] = {}  # row position -> fields already planted
    planted: list[tuple[int, Planting]] = []
    for number, (problem, field) in enumerate(jobs):
        wanted = 1 if number >= len(jobs) - seconds else 0  # problems the row has already
        candidates = [
            position
            for position, row in enumerate(rows)
            if position not in reserved
            and field not in taken.get(position, [])
            and len(taken.get(position, [])) == wanted
            and can_plant(problem, row[field], lang)
        ]
        if not candidates:  # no messy row fits: fall back to a fresh one
            candidates = [
                position
                for position, row in enumerate(rows)
                if position not in reserved
                and position not in taken
                and can_plant(problem, row[field], lang)
            ]
        position = rng.choice(candidates)
        taken.setdefault(position, []).append(field)
        value = maker.make(problem, rows[position][field])
        planted.append((position, Planting(field, problem, value)))
    return planted
