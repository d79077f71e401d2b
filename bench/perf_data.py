"""Big customer workbooks for the full-run benchmark: 10k to 1,048,575 customer rows.

    python bench/perf_data.py zh 100k     # prints the cached file's path (writes it once)

A workbook has three sheets: customers (17 columns, header on row 1: id, name, gender, phone,
second phone, e-mail, company, city, address, birthday, signup, first and last purchase,
purchase count, total spent, source, owner, notes), orders (about 2.5 per customer; at the 1M
size capped at Excel's 1,048,575 data rows) and complaints (2 % of customers). Values come
from the demo pools (toolkit.demo_pools); planted mess from the demo's MessMaker (phones and
e-mails written differently, impossible or future dates, amounts as text, ...) on 1 % of the
rows; 3 % of the rows are second entries of an earlier customer (traditional characters, a
homophone surname or a nickname, another company suffix, the phone or e-mail written another
way, a new phone). Everything is drawn from a seeded random.Random: the same size and language
give the same cells on every run. Files are written once with openpyxl's write-only mode into
bench/.cache/ (git-ignored), named by language, size and GENERATOR_VERSION.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from toolkit import demo_pools as pools  # noqa: E402
from toolkit.demo_mess import AS_OF, QUOTAS, MessMaker, can_plant  # noqa: E402
from toolkit.demo_people import _CN_MOBILE_PREFIXES  # noqa: E402
from toolkit.table import CellValue, Lang  # noqa: E402

GENERATOR_VERSION = 2
CACHE = Path(__file__).resolve().parent / ".cache"
EXCEL_ROWS = 1_048_575  # data rows under one header row
SIZES = {"10k": 10_000, "100k": 100_000, "300k": 300_000, "1m": EXCEL_ROWS}
SEEDS: dict[Lang, int] = {"zh": 8_2025, "en": 8_2026}
DUPLICATE_SHARE = 0.03
MESS_SHARE = 0.01
COMPLAINT_SHARE = 0.02
ORDERS_PER_CUSTOMER = 2.5

HEADERS: dict[Lang, tuple[str, ...]] = {
    "zh": ("客户编号", "姓名", "性别", "手机", "备用电话", "邮箱", "公司", "城市", "地址", "生日",
           "注册日期", "首次购买日期", "最近购买日期", "购买次数", "累计消费", "客户来源", "负责人",
           "备注"),
    "en": ("Customer ID", "Name", "Gender", "Phone", "Phone 2", "Email", "Company", "City",
           "Address", "Birthday", "Signup Date", "First Purchase Date", "Last Purchase Date",
           "Purchase Count", "Total Spent", "Source", "Account Manager", "Notes"),
}  # fmt: skip
FIELDS = ("customer_id", "name", "gender", "phone", "phone2", "email", "company", "city",
          "address", "birthday", "signup_date", "first_purchase", "last_purchase_date",
          "purchase_count", "total_amount", "source", "owner", "notes")  # fmt: skip
SOURCES: dict[Lang, tuple[str, ...]] = {
    "zh": ("官网", "门店", "微信", "老客户介绍", "展会", "电话营销"),
    "en": ("Website", "Store", "Referral", "Trade show", "Ads", "Cold call"),
}


@dataclass(frozen=True)
class PerfManifest:
    """What a generated workbook holds, written beside it as JSON."""

    lang: str
    customers: int
    orders: int
    complaints: int
    second_entries: int
    planted_cells: int
    generator_version: int = GENERATOR_VERSION


def workbook_path(lang: Lang, size: str) -> Path:
    """The cached workbook of a language and size ("10k", "100k", "300k", "1m"), made once."""
    path = CACHE / f"perf-{lang}-{size}-v{GENERATOR_VERSION}.xlsx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        manifest = write_workbook(temporary, lang, SIZES[size])
        path.with_suffix(".json").write_text(json.dumps(asdict(manifest), indent=2))
        temporary.replace(path)
    return path


# ---------------------------------------------------------------- drawing customers


class _Drawer:
    """Draws clean customer rows; pools are flattened once so each row costs few calls."""

    def __init__(self, lang: Lang, rng: random.Random) -> None:
        self.lang, self.rng = lang, rng
        if lang == "zh":
            self.surnames = [(s, p) for s, p, _ in pools.ZH_SURNAMES]
            self.surname_weights = list(itertools.accumulate(w for *_, w in pools.ZH_SURNAMES))
            self.cities = [c[0] for c in pools.ZH_CITIES]
            self.city_weights = list(itertools.accumulate(c[3] for c in pools.ZH_CITIES))
        else:
            self.cities = [c[0] for c in pools.EN_CITIES]
            self.city_weights = list(itertools.accumulate(c[3] for c in pools.EN_CITIES))
        self.owners = pools.ZH_OWNERS if lang == "zh" else pools.EN_OWNERS
        self.notes = pools.ZH_NOTES if lang == "zh" else pools.EN_NOTES

    def phone(self, number: int, city: int) -> str:
        """A distinct phone per `number` (a bijection on 8 digits), in the city's plan."""
        digits = (number * 7_919 + 12_345) % 10**8
        if self.lang == "zh":
            return _CN_MOBILE_PREFIXES[number % len(_CN_MOBILE_PREFIXES)] + f"{digits:08d}"
        _, country, prefix, _ = pools.EN_CITIES[city]
        if country == "US":
            return f"{prefix[:5]}{200 + digits % 800}{digits // 800 % 10_000:04d}"
        if country == "UK":
            return f"+4420{7000_0000 + digits % 1000_0000}"
        return "+86" + _CN_MOBILE_PREFIXES[number % len(_CN_MOBILE_PREFIXES)] + f"{digits:08d}"

    def customer(self, number: int) -> dict[str, CellValue]:
        rng = self.rng
        city = rng.choices(range(len(self.cities)), cum_weights=self.city_weights)[0]
        name, local, gender = self._name(city)
        signup = AS_OF - timedelta(days=int(rng.triangular(7, 2_700, 300)))
        return {
            "customer_id": f"{'KH' if self.lang == 'zh' else 'C'}{number:07d}",
            "name": name, "gender": gender, "phone": self.phone(number, city),
            "phone2": self.phone(number + 50_000_000, city) if rng.random() < 0.15 else None,
            "email": f"{local}{number:x}@{rng.choice(self._domains())}",
            "company": self._company(city) if rng.random() < 0.9 else None,
            "city": self.cities[city], "address": self._address(city),
            "birthday": (date(1962, 1, 1) + timedelta(days=rng.randrange(15_330))
                         if rng.random() < 0.92 else None),
            "signup_date": signup, "first_purchase": None, "last_purchase_date": None,
            "purchase_count": 0, "total_amount": 0.0,
            "source": rng.choice(SOURCES[self.lang]), "owner": rng.choice(self.owners),
            "notes": rng.choice(self.notes) if rng.random() < 0.12 else None,
        }  # fmt: skip

    def _name(self, city: int) -> tuple[str, str, str]:
        rng = self.rng
        if self.lang == "zh":
            surname, pinyin = rng.choices(self.surnames, cum_weights=self.surname_weights)[0]
            gender = "男" if rng.random() < 0.5 else "女"
            pool = pools.ZH_GIVEN_MALE if gender == "男" else pools.ZH_GIVEN_FEMALE
            given = rng.sample(pool + pools.ZH_GIVEN_NEUTRAL, 1 if rng.random() < 0.3 else 2)
            return surname + "".join(c for c, _ in given), pinyin + given[0][1], gender
        gender = "M" if rng.random() < 0.5 else "F"
        if pools.EN_CITIES[city][1] == "CN":
            first, last = rng.choice(pools.EN_CHINESE_GIVEN), rng.choice(pools.EN_CHINESE_SURNAMES)
        else:
            first = rng.choice(pools.EN_FIRST_MALE if gender == "M" else pools.EN_FIRST_FEMALE)
            last = rng.choice(pools.EN_LAST)
        return f"{first} {last}", f"{first}.{last}".lower().replace("'", ""), gender

    def _domains(self) -> tuple[str, ...]:
        return pools.ZH_EMAIL_DOMAINS if self.lang == "zh" else pools.EN_EMAIL_DOMAINS

    def _company(self, city: int) -> str:
        rng = self.rng
        if self.lang == "zh":
            suffix = rng.choices(pools.ZH_COMPANY_SUFFIXES, weights=(8, 1, 1))[0][0]
            brand, trade = rng.choice(pools.ZH_BRANDS)[0], rng.choice(pools.ZH_TRADES)[0]
            return self.cities[city] + brand + trade + suffix
        country = pools.EN_CITIES[city][1]
        suffix = rng.choice(next(s for c, s, _ in pools.EN_SUFFIXES if c == country))
        return f"{rng.choice(pools.EN_BRANDS)} {rng.choice(pools.EN_TRADES)[0]} {suffix}"

    def _address(self, city: int) -> str | None:
        rng = self.rng
        if rng.random() >= 0.92:
            return None
        if self.lang == "zh":
            name, districts, roads, _ = pools.ZH_CITIES[city]
            return f"{name}市{rng.choice(districts)}{rng.choice(roads)}{rng.randint(1, 399)}号"
        country = pools.EN_CITIES[city][1]
        streets = next(s for c, s in pools.EN_STREETS if c == country)
        return f"{rng.randint(1, 999)} {rng.choice(streets)}"


_TRADITIONAL = dict(pools.ZH_TRADITIONAL)
_HOMOPHONES = dict(pools.ZH_HOMOPHONE_SURNAMES)
_NICKNAMES = dict(pools.EN_NICKNAMES)


def _second_entry(
    rng: random.Random, maker: MessMaker, drawer: _Drawer, source: dict[str, CellValue], number: int
) -> dict[str, CellValue]:
    """Another row of the customer in `source`: the identity or the contact written otherwise."""
    prefix = "KH" if drawer.lang == "zh" else "C"
    twin = dict(source, customer_id=f"{prefix}{number:07d}", notes=None)
    name = str(source["name"])
    how = rng.randrange(4)
    if how == 0 and drawer.lang == "zh":
        twin["name"] = "".join(_TRADITIONAL.get(char, char) for char in name)
    elif how == 0:
        first, _, last = name.partition(" ")
        twin["name"] = f"{_NICKNAMES.get(first, first)} {last}"
    elif how == 1 and drawer.lang == "zh":
        twin["name"] = _HOMOPHONES.get(name[0], name[0]) + name[1:]
    contact = rng.randrange(3)
    if contact == 0:
        twin["phone"] = maker.make("phone_format", source["phone"])
    elif contact == 1:
        twin["email"] = maker.make("email_format", source["email"])
    else:
        twin["phone"] = drawer.phone(number + 90_000_000, drawer.cities.index(str(source["city"])))
    return twin


# ---------------------------------------------------------------- sheets


def customer_rows(
    lang: Lang, rows: int
) -> tuple[list[dict[str, CellValue]], list[tuple[CellValue, ...]], int, int]:
    """Customers (clean, before mess), their orders, and counts of twins and planted cells."""
    rng = random.Random(SEEDS[lang])
    maker = MessMaker(lang, rng)
    drawer = _Drawer(lang, rng)
    customers: list[dict[str, CellValue]] = []
    originals: list[int] = []  # second entries are made from first entries only
    for number in range(1, rows + 1):
        if number > 100 and rng.random() < DUPLICATE_SHARE:
            source = customers[originals[rng.randrange(len(originals))]]
            customers.append(_second_entry(rng, maker, drawer, source, number))
        else:
            originals.append(len(customers))
            customers.append(drawer.customer(number))
    twins = len(customers) - len(originals)
    orders = _orders(rng, lang, customers, min(EXCEL_ROWS, int(rows * ORDERS_PER_CUSTOMER)))
    planted = _plant_mess(rng, lang, maker, [customers[i] for i in originals])
    return customers, orders, twins, planted


def _orders(
    rng: random.Random, lang: Lang, customers: list[dict[str, CellValue]], total: int
) -> list[tuple[CellValue, ...]]:
    """`total` orders spread over the customers; their count, sum and dates agree with them."""
    products = pools.ZH_PRODUCTS if lang == "zh" else pools.EN_PRODUCTS
    prefix = "DD" if lang == "zh" else "SO-"
    buyers = [rng.randrange(len(customers)) for _ in range(total)]
    buyers.sort()
    orders: list[tuple[CellValue, ...]] = []
    for number, position in enumerate(buyers, start=1):
        customer = customers[position]
        signup = customer["signup_date"]
        assert isinstance(signup, date)
        day = signup + timedelta(days=rng.randrange(max((AS_OF - signup).days, 1)))
        product, price = rng.choice(products)
        quantity = 1 if price >= 300 else rng.randint(1, 5)
        amount = round(price * quantity * rng.choice((1.0, 1.0, 0.95, 0.9)), 2)
        orders.append((f"{prefix}{number:07d}", customer["customer_id"], day, product, quantity,
                       amount))  # fmt: skip
        customer["purchase_count"] = int(customer["purchase_count"] or 0) + 1
        customer["total_amount"] = round(float(customer["total_amount"] or 0) + amount, 2)
        first, last = customer["first_purchase"], customer["last_purchase_date"]
        customer["first_purchase"] = day if not isinstance(first, date) else min(first, day)
        customer["last_purchase_date"] = day if not isinstance(last, date) else max(last, day)
    return orders


def _plant_mess(
    rng: random.Random, lang: Lang, maker: MessMaker, customers: list[dict[str, CellValue]]
) -> int:
    jobs = [(p, field) for p, fields in QUOTAS[lang] for field in fields if field in FIELDS]
    planted = 0
    """Mess on first entries only: their cells are clean, as MessMaker needs."""
    for position in rng.sample(range(len(customers)), int(len(customers) * MESS_SHARE)):
        problem, field = rng.choice(jobs)
        row = customers[position]
        if can_plant(problem, row[field], lang):
            row[field] = maker.make(problem, row[field])
            planted += 1
    return planted


def _complaints(
    rng: random.Random, lang: Lang, orders: list[tuple[CellValue, ...]], count: int
) -> Iterator[tuple[CellValue, ...]]:
    texts = pools.ZH_COMPLAINTS if lang == "zh" else pools.EN_COMPLAINTS
    statuses = pools.ZH_STATUSES if lang == "zh" else pools.EN_STATUSES
    channels = pools.ZH_CHANNELS if lang == "zh" else pools.EN_CHANNELS
    prefix = "TS" if lang == "zh" else "CMP-"
    picked = sorted(rng.sample(range(len(orders)), min(count, len(orders))))
    for number, position in enumerate(picked, start=1):
        _, customer_id, day, product, *_ = orders[position]
        assert isinstance(day, date)
        category, templates = rng.choice(texts)
        opened = min(day + timedelta(days=rng.randint(1, 20)), AS_OF)
        status = rng.choice(statuses)
        resolved = None
        if status in statuses[2:]:
            resolved = min(opened + timedelta(days=rng.randint(0, 21)), AS_OF)
        yield (f"{prefix}{number:07d}", customer_id, opened,
               category if rng.random() < 0.8 else None,
               rng.choice(templates).format(product=product), status, resolved,
               rng.choice(channels), None)  # fmt: skip


def write_workbook(path: Path, lang: Lang, rows: int) -> PerfManifest:
    """Write the workbook of `rows` customers with openpyxl's write-only mode."""
    import openpyxl

    customers, orders, twins, planted = customer_rows(lang, rows)
    book = openpyxl.Workbook(write_only=True)
    names = pools.SHEET_NAMES[lang]
    sheet = book.create_sheet(names[0])
    sheet.append(HEADERS[lang])
    for customer in customers:
        sheet.append([customer[field] for field in FIELDS])
    sheet = book.create_sheet(names[1])
    sheet.append(pools.ORDER_HEADERS[lang])
    for order in orders:
        sheet.append(order)
    sheet = book.create_sheet(names[2])
    sheet.append(pools.COMPLAINT_HEADERS[lang])
    rng = random.Random(SEEDS[lang] + 1)
    complaints = 0
    for complaint in _complaints(rng, lang, orders, int(rows * COMPLAINT_SHARE)):
        sheet.append(complaint)
        complaints += 1
    book.save(path)
    return PerfManifest(lang, rows, len(orders), complaints, twins, planted)


if __name__ == "__main__":
    print(workbook_path(sys.argv[1], sys.argv[2]))  # type: ignore[arg-type]
