"""Demo customers as people: clean identities, namesakes, and second entries of one person.

A `Person` holds the identity columns of a customer row. Every person gets a unique name,
phone and e-mail, except on purpose: namesakes share a common name and a city (and are
different people), and a second entry of a person (a planted duplicate) carries the same
`key` with a variant of the identity: traditional characters, a homophone surname, a nickname,
another company suffix, the phone or e-mail written differently, a new phone or a new e-mail.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from toolkit import demo_pools as pools
from toolkit.demo_mess import MessMaker, Planting
from toolkit.table import Lang


@dataclass(frozen=True)
class Person:
    """The identity columns of one customer row (clean values)."""

    key: int  # rows with the same key are the same person (a planted duplicate)
    name: str
    gender: str
    birthday: date | None
    phone: str
    email: str
    company: str | None
    title: str | None
    industry: str | None
    city: str
    address: str | None
    interests: str | None
    notes: str | None
    namesake: bool = False
    second_entry: bool = False
    planted: tuple[Planting, ...] = ()  # format mess a second entry carries


T = TypeVar("T")


def _weighted(rng: random.Random, items: tuple[tuple[T, int], ...]) -> T:
    return rng.choices([item for item, _ in items], [weight for _, weight in items])[0]


def _birthday(rng: random.Random) -> date | None:
    if rng.random() < 0.08:
        return None
    return date(1962, 1, 1) + timedelta(days=rng.randrange(42 * 365))


class Registry:
    """Names, phones and e-mails already given out, so that none is reused by chance."""

    def __init__(self, rng: random.Random, lang: Lang) -> None:
        self.rng, self.lang = rng, lang
        self.names: set[str] = set()  # membership only: never iterated
        self.phones: set[str] = set()
        self.emails: set[str] = set()

    def phone(self, prefix: str = "") -> str:
        """A phone nobody has: a mainland mobile, or one of a fictional range after `prefix`."""
        while True:
            if not prefix or prefix == "+86":
                head = self.rng.choice(_CN_MOBILE_PREFIXES)
                number = head + f"{self.rng.randrange(10**8):08d}"
                number = number if self.lang == "zh" else "+86" + number
            elif prefix.startswith("+1"):
                number = f"{prefix}01{self.rng.randrange(100):02d}"
            else:
                number = f"{prefix}0{self.rng.randrange(1000):03d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def email(self, locals_: list[str], domains: tuple[str, ...]) -> str:
        """An e-mail nobody has, from the first free local part (a number is added if need be)."""
        domain = self.rng.choice(domains)
        if domain == "qq.com":  # QQ mail addresses are QQ numbers
            locals_ = [str(self.rng.randint(10_000_000, 2_999_999_999))]
        candidates = [*locals_, *(f"{locals_[0]}{self.rng.randint(1, 999)}" for _ in range(50))]
        for local in candidates:
            email = f"{local}@{domain}"
            if email not in self.emails:
                self.emails.add(email)
                return email
        raise RuntimeError("no free e-mail address")  # 50 random suffixes never all collide


_CN_MOBILE_PREFIXES = (
    *(f"13{d}" for d in range(10)), "150", "151", "152", "153", "155", "156", "157", "158",
    "159", "176", "177", "178", *(f"18{d}" for d in range(10)), "198", "199",
)  # fmt: skip
_TRADITIONAL = dict(pools.ZH_TRADITIONAL)
_HOMOPHONES = dict(pools.ZH_HOMOPHONE_SURNAMES)
_NICKNAMES = dict(pools.EN_NICKNAMES)


def _zh_name(rng: random.Random, gender: str) -> tuple[str, str]:
    surname, surname_py = _weighted(rng, tuple(((s, p), w) for s, p, w in pools.ZH_SURNAMES))
    given_pool = pools.ZH_GIVEN_MALE if gender == "男" else pools.ZH_GIVEN_FEMALE
    given_pool += pools.ZH_GIVEN_NEUTRAL
    chars = rng.sample(given_pool, 1 if rng.random() < 0.3 else 2)
    return surname + "".join(c for c, _ in chars), surname_py + "".join(p for _, p in chars)


def _zh_company(rng: random.Random, city: str) -> tuple[str, str, str]:
    brand, brand_py = rng.choice(pools.ZH_BRANDS)
    trade, industry = rng.choice(pools.ZH_TRADES)
    place = city + "市" if city == "深圳" else city
    return place + brand + trade + _weighted(rng, pools.ZH_COMPANY_SUFFIXES), industry, brand_py


def zh_person(
    rng: random.Random,
    key: int,
    registry: Registry,
    *,
    common: tuple[str, ...] | None = None,
    city: str | None = None,
) -> Person:
    """A Chinese customer; `common` (name, pinyin, gender) makes a namesake of a common name."""
    gender = common[2] if common else rng.choice(("男", "女"))
    name, pinyin = (common[0], common[1]) if common else _zh_name(rng, gender)
    while not common and name in registry.names:
        name, pinyin = _zh_name(rng, gender)
    registry.names.add(name)
    cities = tuple((c, c[3]) for c in pools.ZH_CITIES if city in (None, c[0]))
    city, districts, roads, _ = _weighted(rng, cities)
    company = industry = title = None
    domains = pools.ZH_EMAIL_DOMAINS
    if rng.random() < 0.9:
        company, industry, brand_py = _zh_company(rng, city)
        title = rng.choice(pools.ZH_TITLES)
        if rng.random() < 0.2:
            domains = (f"{brand_py}.com.cn",)
    birthday = _birthday(rng)
    locals_ = [pinyin, f"{pinyin}{rng.randint(1, 99)}", f"{pinyin}{rng.randint(100, 999)}"]
    if birthday:
        locals_.append(f"{pinyin}{birthday.year}")
    email = registry.email([rng.choice(locals_)], domains)
    address = f"{city}市{rng.choice(districts)}{rng.choice(roads)}{rng.randint(1, 399)}号"
    return Person(
        key, name, gender, birthday, registry.phone(), email,
        company, title, industry, city, address if rng.random() < 0.92 else None,
        _interests(rng, pools.ZH_INTERESTS, "、"), _note(rng, pools.ZH_NOTES), bool(common),
    )  # fmt: skip


def _interests(rng: random.Random, pool: tuple[str, ...], joiner: str) -> str | None:
    count = rng.choice((0, 0, 1, 1, 2))
    return joiner.join(rng.sample(pool, count)) if count else None


def _note(rng: random.Random, pool: tuple[str, ...]) -> str | None:
    return rng.choice(pool) if rng.random() < 0.12 else None


def _en_name(rng: random.Random, gender: str, country: str) -> str:
    if country == "CN":
        return f"{rng.choice(pools.EN_CHINESE_GIVEN)} {rng.choice(pools.EN_CHINESE_SURNAMES)}"
    first = rng.choice(pools.EN_FIRST_MALE if gender == "M" else pools.EN_FIRST_FEMALE)
    return f"{first} {rng.choice(pools.EN_LAST)}"


def _en_company(rng: random.Random, country: str, city: str) -> tuple[str, str, str]:
    trade, industry = rng.choice(pools.EN_TRADES)
    suffix = rng.choice(next(s for c, s, _ in pools.EN_SUFFIXES if c == country))
    if country == "CN":
        brand = rng.choice(pools.EN_CHINESE_BRANDS)
        return f"{city} {brand} {trade} {suffix}", industry, f"{brand}{trade}".lower()
    brand = rng.choice(pools.EN_BRANDS)
    return f"{brand} {trade} {suffix}", industry, f"{brand}{trade}".lower()


def en_person(
    rng: random.Random,
    key: int,
    registry: Registry,
    *,
    common: tuple[str, ...] | None = None,
    city: str | None = None,
) -> Person:
    """An English-workbook customer in the US, the UK or China; `common` makes a namesake."""
    cities = tuple(
        (c, c[3]) for c in pools.EN_CITIES if city in (None, c[0]) and not (common and c[1] == "CN")
    )
    city, country, prefix, _ = _weighted(rng, cities)
    gender = common[1] if common else rng.choice(("M", "F"))
    name = common[0] if common else _en_name(rng, gender, country)
    while not common and name in registry.names:
        name = _en_name(rng, gender, country)
    registry.names.add(name)
    first, last = (part.lower().replace("'", "") for part in name.split(" "))
    locals_ = [f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}{rng.randint(1, 99)}"]
    company = industry = title = None
    domains = pools.EN_EMAIL_DOMAINS
    if rng.random() < 0.9:
        company, industry, domain = _en_company(rng, country, city)
        title = rng.choice(pools.EN_TITLES)
        if rng.random() < 0.4:
            domains = (f"{domain}.com",)
    streets = next(s for c, s in pools.EN_STREETS if c == country)
    address = f"{rng.randint(1, 999)} {rng.choice(streets)}"
    return Person(
        key, name, gender, _birthday(rng), registry.phone(prefix),
        registry.email([rng.choice(locals_)], domains), company, title, industry, city,
        address if rng.random() < 0.92 else None, _interests(rng, pools.EN_INTERESTS, ", "),
        _note(rng, pools.EN_NOTES), bool(common),
    )  # fmt: skip


# What a second entry of a person changes: (identity change, contact change). Identity
# changes: "traditional", "homophone" (Chinese), "nickname" (English), "company", "" (none).
# Contact changes: "phone_format", "email_format" (planted problems as well), "new_phone",
# "new_email", "" (same contacts). Every entry changes at least one thing.
# fmt: off
SECOND_ENTRY_PLAN: dict[Lang, tuple[tuple[str, str], ...]] = {
    "zh": (
        ("traditional", ""), ("homophone", ""), ("company", ""), ("", "phone_format"),
        ("", "email_format"), ("traditional", "new_email"), ("homophone", "phone_format"),
        ("company", "new_phone"), ("", "new_email"), ("", "new_phone"), ("traditional", ""),
        ("homophone", "new_email"), ("company", "phone_format"), ("company", "email_format"),
        ("", "new_phone"),  # the last entry is a third row of the first person
    ),
    "en": (
        ("nickname", ""), ("company", ""), ("", "phone_format"), ("", "email_format"),
        ("nickname", "new_email"), ("company", "new_phone"), ("", "new_email"),
        ("", "new_phone"), ("nickname", "phone_format"), ("company", "email_format"),
        ("nickname", ""), ("", "phone_format"), ("company", ""), ("nickname", "new_phone"),
        ("", "new_email"),  # the last entry is a third row of the first person
    ),
}
# fmt: on


def second_entry(
    person: Person, change: tuple[str, str], *, registry: Registry, maker: MessMaker
) -> Person | None:
    """Another row for `person` changed as `change` says, or None when it cannot apply."""
    name, company = person.name, person.company
    identity, contact = change
    if identity in ("traditional", "homophone", "nickname"):
        name = _renamed(person.name, identity)
        if name == person.name or name in registry.names:
            return None
        registry.names.add(name)
    elif identity == "company":
        rng = maker.rng
        if company is None or (company := _company_variant(rng, company, person.city)) is None:
            return None
    rng = maker.rng
    twin = replace(
        person, name=name, company=company, second_entry=True, notes=None,
        birthday=person.birthday if rng.random() < 0.6 else None,
        interests=person.interests if rng.random() < 0.5 else None,
    )  # fmt: skip
    if contact == "new_phone":
        prefix = "" if maker.lang == "zh" else person.phone[:-4]
        prefix = "+86" if prefix.startswith("+86") else prefix
        return replace(twin, phone=registry.phone(prefix))
    if contact == "new_email":
        local = person.email.split("@")[0]
        domains = pools.ZH_EMAIL_DOMAINS if maker.lang == "zh" else pools.EN_EMAIL_DOMAINS
        return replace(twin, email=registry.email([local], domains))
    if contact in ("phone_format", "email_format"):
        field = contact.split("_")[0]
        planting = Planting(field, contact, maker.make(contact, getattr(person, field)))
        return replace(twin, planted=(planting,))
    return twin


def _renamed(name: str, how: str) -> str:
    if how == "traditional":
        return "".join(_TRADITIONAL.get(char, char) for char in name)
    if how == "homophone":
        return _HOMOPHONES.get(name[0], name[0]) + name[1:]
    first, _, last = name.partition(" ")
    return f"{_NICKNAMES.get(first, first)} {last}"


def _company_variant(rng: random.Random, company: str, city: str) -> str | None:
    """The same company written another way: another legal suffix, or its short name."""
    pairs = [pair for _, s, v in pools.EN_SUFFIXES for pair in zip(s, v, strict=True)]
    for suffix, variant in sorted(pairs, key=lambda pair: -len(pair[0])):  # "Co., Ltd." first
        if company.endswith(" " + suffix):
            return company.removesuffix(suffix) + variant
    if company.endswith("有限责任公司") or company.endswith("股份有限公司"):
        return company.removesuffix(company[-6:]) + "有限公司"
    if company.endswith("有限公司"):
        short = company.removeprefix(city + "市").removeprefix(city).removesuffix("有限公司")
        return short if rng.random() < 0.5 else company.removesuffix("有限公司") + "有限责任公司"
    return None


NAMESAKE_PAIRS: dict[Lang, int] = {"zh": 4, "en": 3}


def make_people(rng: random.Random, lang: Lang, maker: MessMaker, *, persons: int) -> list[Person]:
    """`persons` people (namesake pairs first), then the second entries of some of them.

    >>> rng = random.Random(7)
    >>> people = make_people(rng, "zh", MessMaker("zh", rng), persons=40)
    >>> len({p.key for p in people}), sum(p.second_entry for p in people)
    (40, 15)
    """
    registry = Registry(rng, lang)
    make = zh_person if lang == "zh" else en_person
    commons = pools.ZH_COMMON_NAMES if lang == "zh" else pools.EN_COMMON_NAMES
    people: list[Person] = []
    for common in rng.sample(commons, NAMESAKE_PAIRS[lang]):
        first = make(rng, len(people), registry, common=common)
        people += [first, make(rng, len(people) + 1, registry, common=common, city=first.city)]
    while len(people) < persons:
        people.append(make(rng, len(people), registry))
    return people + _second_entries(people, lang, registry, maker)


def _second_entries(
    people: list[Person], lang: Lang, registry: Registry, maker: MessMaker
) -> list[Person]:
    originals = [p for p in people if not p.namesake]
    plan = SECOND_ENTRY_PLAN[lang]
    sources: list[Person] = []
    twins: list[Person] = []
    for number, change in enumerate(plan):
        third_row = number == len(plan) - 1
        used = {p.key for p in sources}  # membership only
        candidates = sources[:1] if third_row else maker.rng.sample(originals, len(originals))
        for source in candidates:
            if source.key in used and not third_row:
                continue
            twin = second_entry(source, change, registry=registry, maker=maker)
            if twin is not None:
                sources.append(source)
                twins.append(twin)
                break
    return twins
