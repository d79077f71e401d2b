"""Labelled customer tables for the deduplication benchmark, in Chinese and in English.

Each table is a list of customers where some customers appear two to four times, every copy
corrupted the way copies are in real workbooks: typos and homophones in names (张伟/章伟,
王/汪), traditional characters (張偉), surname-only names (张先生), phone formats (+86, dashes,
full-width digits), one-digit phone typos, a new phone number, e-mail case and absence,
company suffixes (有限公司/有限责任公司/（北京）/Inc./LLC), city with and without province,
birthday formats and day-month swaps, missing fields. Namesakes come for free from common
names (王伟 in 北京) and are added on purpose (same name and city, everything else different),
and a few families share one phone. `entity[i]` says which customer row i really is.

Two populations. "census" (the default) draws names, cities and employers with the skew of
real ones: English surnames from a list of about 10,000 (the 200 most common US surnames in
census order, then a long tail built from name syllables) with Zipf weights that give Smith
about 0.8% of people as in the US census, first names from about 1,100 (James about 2.5%),
Chinese surnames with 王 about 6% (real: 7%), cities weighted by their population, and
employers of Zipf-distributed size (the largest holds about 1% of employed customers). Half
of the planted namesakes also work for the namesake's employer, so the hard case (same name,
company and city; different phone and e-mail) is kept on purpose. "narrow" is the first
generator, kept to compare with earlier figures: every name, city and employer drawn with
`_pick` (the first of ~100 first names and ~200 surnames about 37% of the time, so one
customer in seven is a James Smith) and a tenth of employees sent to 20 companies.

    python bench/dedupe_data.py zh 10000 [census|narrow] > /tmp/zh.tsv
"""

# ruff: noqa: E501  (tables of test data read best one record per line)
from __future__ import annotations

import itertools
import pickle
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import opencc

from toolkit.fields import match_header
from toolkit.table import CellValue, Column, Table

HEADERS = {
    "zh": ("客户编号", "姓名", "性别", "手机", "邮箱", "公司", "城市", "地址", "生日",
           "注册日期", "购买次数", "累计消费"),
    "en": ("Customer ID", "Name", "Gender", "Phone", "Email", "Company", "City", "Address",
           "Birthday", "Signup Date", "Orders", "Total Spent"),
}  # fmt: skip

ZH_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
ZH_COMPOUND = ("欧阳", "司马", "上官", "诸葛")
ZH_COMMON_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"
ZH_GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚秀英华玉兰桂红建国志文斌宇浩然子轩梓涵欣怡佳琪"
    "雨萱思远嘉懿俊杰晨曦婷婷雪梅海波春燕小龙凤霖毅鹏飞宏亮德胜永利新民晓东玲珊莹琳瑶璐颖"
    "慧慈瑞祥福贵宝鑫淼森林泽润清源金鹏翔云天昊辰博文韬睿哲凯鸿彬振宁安康乐怡诗涵语嫣若溪"
)
HOMOPHONES = {
    "伟": "玮炜韦", "静": "婧晶", "丽": "莉俪", "明": "鸣铭", "华": "桦骅", "娜": "纳",
    "敏": "旻闽", "杰": "洁捷", "军": "君钧", "芳": "方", "涛": "韬", "磊": "蕾", "婷": "亭",
    "玲": "铃", "琳": "林霖", "晨": "辰", "宇": "羽雨", "浩": "昊", "轩": "萱", "凯": "楷",
    "张": "章", "王": "汪", "李": "黎", "刘": "柳", "黄": "皇", "徐": "许", "杨": "阳",
    "吴": "伍武", "林": "琳", "周": "邹", "陈": "程",
}  # fmt: skip
ZH_CITIES = (
    "北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆", "天津",
    "苏州", "长沙", "郑州", "青岛", "厦门", "宁波", "合肥", "福州", "昆明", "济南", "大连",
)  # fmt: skip
ZH_PROVINCE = {"广州": "广东省", "深圳": "广东省", "杭州": "浙江省", "成都": "四川省",
               "武汉": "湖北省", "南京": "江苏省", "苏州": "江苏省", "西安": "陕西省"}  # fmt: skip
ZH_INDUSTRY = ("科技", "贸易", "电子", "网络", "咨询", "文化传媒", "食品", "物流", "医药", "建材")
ZH_ROADS = [
    "中山",
    "人民",
    "解放",
    "建设",
    "和平",
    "长江",
    "黄河",
    "南京",
    "北京",
    "延安",
    "新华",
    "文化",
    "青年",
    "光明",
]
ZH_SUFFIX = ("有限公司", "有限责任公司", "股份有限公司")
EN_FIRST = [
    "James",
    "John",
    "Robert",
    "Michael",
    "William",
    "David",
    "Richard",
    "Joseph",
    "Thomas",
    "Charles",
    "Christopher",
    "Daniel",
    "Matthew",
    "Anthony",
    "Mark",
    "Donald",
    "Steven",
    "Paul",
    "Andrew",
    "Joshua",
    "Kenneth",
    "Kevin",
    "Brian",
    "George",
    "Timothy",
    "Ronald",
    "Edward",
    "Jason",
    "Jeffrey",
    "Ryan",
    "Jacob",
    "Gary",
    "Nicholas",
    "Eric",
    "Jonathan",
    "Stephen",
    "Larry",
    "Justin",
    "Scott",
    "Brandon",
    "Benjamin",
    "Samuel",
    "Gregory",
    "Frank",
    "Alexander",
    "Raymond",
    "Patrick",
    "Jack",
    "Dennis",
    "Jerry",
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Barbara",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Lisa",
    "Nancy",
    "Betty",
    "Margaret",
    "Sandra",
    "Ashley",
    "Kimberly",
    "Emily",
    "Donna",
    "Michelle",
    "Carol",
    "Amanda",
    "Dorothy",
    "Melissa",
    "Deborah",
    "Stephanie",
    "Rebecca",
    "Sharon",
    "Laura",
    "Cynthia",
    "Kathleen",
    "Amy",
    "Angela",
    "Shirley",
    "Anna",
    "Brenda",
    "Pamela",
    "Emma",
    "Nicole",
    "Helen",
    "Samantha",
    "Katherine",
    "Christine",
    "Debra",
    "Rachel",
    "Carolyn",
    "Janet",
    "Catherine",
    "Maria",
    "Heather",
    "José",
    "Zoë",
    "Chloé",
    "Renée",
]
EN_LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Gomez",
    "Phillips",
    "Evans",
    "Turner",
    "Diaz",
    "Parker",
    "Cruz",
    "Edwards",
    "Collins",
    "Reyes",
    "Stewart",
    "Morris",
    "Morales",
    "Murphy",
    "Cook",
    "Rogers",
    "Gutierrez",
    "Ortiz",
    "Morgan",
    "Cooper",
    "Peterson",
    "Bailey",
    "Reed",
    "Kelly",
    "Howard",
    "Ramos",
    "Kim",
    "Cox",
    "Ward",
    "Richardson",
    "Watson",
    "Brooks",
    "Chavez",
    "Wood",
    "James",
    "Bennett",
    "Gray",
    "Mendoza",
    "Ruiz",
    "Hughes",
    "Price",
    "Alvarez",
    "Castillo",
    "Sanders",
    "Patel",
    "Myers",
    "Long",
    "Ross",
    "Foster",
    "Jimenez",
    "Powell",
    "Jenkins",
    "Perry",
    "Russell",
    "Sullivan",
    "Bell",
    "Coleman",
    "Butler",
    "Henderson",
    "Barnes",
    "Gonzales",
    "Fisher",
    "Vasquez",
    "Simmons",
    "Romero",
    "Jordan",
    "Patterson",
    "Alexander",
    "Hamilton",
    "Graham",
    "Reynolds",
    "Griffin",
    "Wallace",
    "Moreno",
    "West",
    "Cole",
    "Hayes",
    "Bryant",
    "Herrera",
    "Gibson",
    "Ellis",
    "Tran",
    "Medina",
    "Aguilar",
    "Stevens",
    "Murray",
    "Ford",
    "Castro",
    "Marshall",
    "Owens",
    "Harrison",
    "Fernandez",
    "McDonald",
    "Woods",
    "Washington",
    "Kennedy",
    "Wells",
    "Vargas",
    "Henry",
    "Chen",
    "Freeman",
    "Webb",
    "Tucker",
    "Guzman",
    "Burns",
    "Crawford",
    "Olson",
    "Simpson",
    "Porter",
    "Hunter",
    "Gordon",
    "Mendez",
    "Silva",
    "Shaw",
    "Snyder",
    "Mason",
    "Dixon",
    "Munoz",
    "Hunt",
    "Hicks",
    "Holmes",
    "Palmer",
    "Wagner",
    "Black",
    "Robertson",
    "Boyd",
    "Rose",
    "Stone",
    "Salazar",
    "Fox",
]
NICKNAMES = {"Robert": "Bob", "William": "Bill", "Elizabeth": "Liz", "Michael": "Mike",
             "James": "Jim", "Jennifer": "Jen", "Richard": "Rick", "Katherine": "Kate",
             "Christopher": "Chris", "Anthony": "Tony", "Daniel": "Dan", "Samantha": "Sam"}  # fmt: skip
EN_CITIES = (
    "New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "Philadelphia", "San Antonio",
    "San Diego", "Dallas", "Austin", "Seattle", "Denver", "Boston", "Atlanta", "Miami",
)  # fmt: skip
EN_AREA = ("212", "646", "213", "312", "713", "602", "215", "210", "619", "214", "512",
           "206", "303", "617", "404", "305")  # fmt: skip
EN_WORDS = [
    "Acme",
    "Global",
    "Summit",
    "Pioneer",
    "Apex",
    "Northern",
    "Blue",
    "River",
    "Golden",
    "Harbor",
    "Silver",
    "Oak",
    "Evergreen",
    "Liberty",
    "Cascade",
    "Vertex",
    "Horizon",
    "Keystone",
    "Redwood",
    "Atlas",
    "Beacon",
    "Crescent",
    "Prime",
    "Sterling",
]
EN_TRADE = ("Trading", "Logistics", "Software", "Consulting", "Foods", "Media", "Labs", "Health")
EN_SUFFIX = ("Inc.", "LLC", "Co., Ltd.", "Corp.", "Ltd")
EN_STREETS = [
    "Main",
    "Oak",
    "Pine",
    "Maple",
    "Cedar",
    "Elm",
    "Washington",
    "Lake",
    "Hill",
    "Park",
    "Sunset",
    "Lincoln",
]
CN_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "176", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199"]  # fmt: skip
EMAIL_DOMAINS = {"zh": ("163.com", "126.com", "qq.com", "sina.com", "gmail.com"),
                 "en": ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com")}  # fmt: skip

# Cities with their population (thousands, city proper, about 2020): customers live where people do.
EN_CITY_PEOPLE = {
    "New York": 8336, "Los Angeles": 3979, "Chicago": 2693, "Houston": 2320, "Phoenix": 1680,
    "Philadelphia": 1584, "San Antonio": 1547, "San Diego": 1423, "Dallas": 1343, "Austin": 999,
    "Jacksonville": 950, "Fort Worth": 935, "Columbus": 905, "Charlotte": 885,
    "San Francisco": 873, "Indianapolis": 876, "Seattle": 753, "Denver": 727, "Washington": 705,
    "Boston": 692, "El Paso": 681, "Nashville": 670, "Detroit": 670, "Oklahoma City": 655,
    "Portland": 654, "Las Vegas": 651, "Memphis": 651, "Louisville": 617, "Baltimore": 593,
    "Milwaukee": 590, "Albuquerque": 560, "Tucson": 548, "Fresno": 531, "Mesa": 518,
    "Sacramento": 513, "Atlanta": 498, "Kansas City": 495, "Omaha": 478,
    "Colorado Springs": 478, "Raleigh": 474, "Miami": 467,
}  # fmt: skip
ZH_CITY_PEOPLE = {
    "北京": 21.9, "上海": 24.9, "广州": 18.7, "深圳": 17.6, "杭州": 12.2, "成都": 21.0,
    "武汉": 13.6, "南京": 9.3, "西安": 13.0, "重庆": 32.1, "天津": 13.9, "苏州": 12.7,
    "长沙": 10.0, "郑州": 12.6, "青岛": 10.1, "厦门": 5.2, "宁波": 9.4, "合肥": 9.4,
    "福州": 8.3, "昆明": 8.5, "济南": 9.2, "大连": 7.5,
}  # fmt: skip
# The long tail of English names, from syllables: real lists run to tens of thousands of
# surnames and thousands of first names, each rare, which is what keeps namesakes rare.
_SURNAME_HEADS = ("Ash", "Bel", "Brad", "Brook", "Car", "Dal", "Dun", "Fair", "Gar", "Hal",
                  "Har", "Kings", "Lang", "Mar", "Mor", "Nor", "Pem", "Ray", "Red", "Stan",
                  "Thorn", "Wal", "Wes", "Whit", "Ald", "Bar", "Cole", "Craw", "Ed", "Fen",
                  "Gil", "Hen", "Kel", "Lind", "Mel", "Pel", "Rad", "Sel", "Tal", "Wen")  # fmt: skip
_SURNAME_MIDDLES = ("", "a", "en", "er", "in", "el", "ow", "ing", "is", "ham")
_SURNAME_TAILS = ("ford", "ley", "ton", "wood", "man", "son", "field", "well", "by", "worth",
                  "ridge", "den", "more", "land", "stone", "brook", "hurst", "wick", "dale",
                  "combe", "thorpe", "shaw", "croft", "berg", "ski")  # fmt: skip
_GIVEN_HEADS = ("Al", "Bri", "Ca", "Da", "El", "Ja", "Ka", "Le", "Ma", "Na", "Ro", "Sa", "Ta",
                "Tre", "Za", "Ber", "Cor", "Der", "Fi", "Gra", "Har", "Jo", "Lu", "Mi", "Ne",
                "Or", "Pe", "Qui", "Ri", "Si", "Va", "Wy", "Ad", "Ev", "Is", "Ky")  # fmt: skip
_GIVEN_TAILS = ("den", "lyn", "ra", "son", "na", "ton", "ley", "ric", "lie", "vin", "ette",
                "issa", "iel", "an", "en", "ia", "der", "mond", "ah", "ella", "us", "ard",
                "ine", "el", "o", "ie", "ina", "ias", "rick", "on")  # fmt: skip


def _long_tail(head: list[str], parts: tuple[tuple[str, ...], ...], size: int) -> list[str]:
    """`head` (most common first) and then invented names from `parts`, `size` in all."""
    seen = set(head)
    names = list(head)
    for combination in itertools.product(*parts):
        name = "".join(combination)
        if name not in seen and len(name) > 2:
            seen.add(name)
            names.append(name)
        if len(names) >= size:
            break
    return names


def _zipf(count: int, offset: float, exponent: float = 1.0) -> list[float]:
    """Cumulative weights 1/(rank + offset)^exponent, rank from 0: for random.choices."""
    weights = [1.0 / (rank + offset) ** exponent for rank in range(count)]
    return list(itertools.accumulate(weights))


_TO_TRADITIONAL = opencc.OpenCC("s2t")


@dataclass
class Person:
    """One real customer."""

    name: str
    surname: str
    given: str
    gender: str
    phone: str
    email: str | None
    company: str | None
    city: str
    address: str | None
    birthday: date | None
    signup: date
    orders: int
    spent: float


@dataclass(frozen=True)
class Labelled:
    """A generated table and, for each row, the customer it really is."""

    lang: str
    header: tuple[str, ...]
    rows: list[tuple[CellValue, ...]]
    entity: list[int]

    def table(self) -> Table:
        """The rows as a customer Table (header on row 1)."""
        columns = tuple(
            Column(i, h, match_header(h, "customers")) for i, h in enumerate(self.header, 1)
        )
        return Table("customers", "customers", 1, columns, tuple(self.rows), self.lang)  # type: ignore[arg-type]


class Generator:
    """Deterministic generator of labelled customer tables."""

    def __init__(
        self, lang: str, seed: int = 7, rows: int = 10_000, population: str = "census"
    ) -> None:
        if population not in POPULATIONS:
            raise ValueError(f"population {population!r}: one of {', '.join(POPULATIONS)}")
        self.lang = lang
        self.census = population == "census"
        self.rng = random.Random(seed)
        self.used_phones: set[str] = set()
        self.used_emails: set[str] = set()
        # About six customers per company on average; a few big employers.
        self.companies = [self._company() for _ in range(max(300, rows // 6))]
        self.company_weights = _zipf(len(self.companies), 10.0)
        if lang == "en":
            self.surnames = _long_tail(
                EN_LAST, (_SURNAME_HEADS, _SURNAME_MIDDLES, _SURNAME_TAILS), 10_000
            )
            self.given_names = _long_tail(EN_FIRST, (_GIVEN_HEADS, _GIVEN_TAILS), 1_100)
            self.surname_weights = _zipf(len(self.surnames), 20.0)
            self.given_weights = _zipf(len(self.given_names), 8.0)
            self.cities, people = list(EN_CITY_PEOPLE), list(EN_CITY_PEOPLE.values())
        else:
            self.surnames = list(ZH_SURNAMES)
            self.surname_weights = _zipf(len(self.surnames), 5.0)
            self.given_weights = _zipf(len(ZH_COMMON_GIVEN), 3.0)
            self.cities, people = list(ZH_CITY_PEOPLE), list(ZH_CITY_PEOPLE.values())
        self.city_weights = list(itertools.accumulate(float(p) for p in people))

    # ---------------------------------------------------------------- people
    def person(self, name: tuple[str, str] | None = None, city: str | None = None) -> Person:
        rng = self.rng
        gender = rng.choice("MF")
        surname, given = name or self._name()
        full = surname + given if self.lang == "zh" else f"{given} {surname}"
        city = city or self._city()
        birthday = date(1960, 1, 1) + timedelta(days=rng.randrange(16000))
        return Person(
            name=full,
            surname=surname,
            given=given,
            gender=gender,
            phone=self._phone(),
            email=self._email(surname, given) if rng.random() < 0.75 else None,
            company=self._employer() if rng.random() < 0.7 else None,
            city=city,
            address=self._address(city) if rng.random() < 0.6 else None,
            birthday=birthday if rng.random() < 0.7 else None,
            signup=date(2018, 1, 1) + timedelta(days=rng.randrange(2500)),
            orders=rng.randrange(1, 40),
            spent=round(rng.uniform(50, 50000), 2),
        )

    def _city(self) -> str:
        if self.census:
            return self.rng.choices(self.cities, cum_weights=self.city_weights)[0]
        return self._pick(ZH_CITIES if self.lang == "zh" else EN_CITIES)

    def _employer(self) -> str:
        if self.census:
            return self.rng.choices(self.companies, cum_weights=self.company_weights)[0]
        if self.rng.random() < 0.1:
            return self.companies[min(int(self.rng.paretovariate(1.2)) - 1, 19)]
        return self.rng.choice(self.companies)

    def _pick(self, options: tuple[str, ...] | list[str]) -> str:
        """Zipf-like choice: early options are much more common."""
        index = min(int(self.rng.paretovariate(1.1)) - 1, len(options) - 1)
        return options[index] if self.rng.random() < 0.7 else self.rng.choice(options)

    def _name(self) -> tuple[str, str]:
        if self.census:
            return self._census_name()
        rng = self.rng
        if self.lang == "en":
            return self._pick(EN_LAST), self._pick(EN_FIRST)
        surname = rng.choice(ZH_COMPOUND) if rng.random() < 0.01 else self._pick(ZH_SURNAMES)
        if rng.random() < 0.3:
            return surname, self._pick(ZH_COMMON_GIVEN)  # 王伟, 李娜: namesakes galore
        return surname, "".join(rng.choice(ZH_GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))

    def _census_name(self) -> tuple[str, str]:
        rng = self.rng
        surname = rng.choices(self.surnames, cum_weights=self.surname_weights)[0]
        if self.lang == "en":
            return surname, rng.choices(self.given_names, cum_weights=self.given_weights)[0]
        if rng.random() < 0.01:
            surname = rng.choice(ZH_COMPOUND)
        if rng.random() < 0.1:  # 王伟, 李娜: the common one-character given names
            return surname, rng.choices(ZH_COMMON_GIVEN, cum_weights=self.given_weights)[0]
        return surname, "".join(rng.choice(ZH_GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))

    def _phone(self) -> str:
        while True:
            if self.lang == "zh":
                number = self.rng.choice(CN_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            else:
                number = self.rng.choice(EN_AREA) + f"{self.rng.randrange(200, 1000)}"
                number += f"{self.rng.randrange(10**4):04d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def _email(self, surname: str, given: str) -> str:
        rng = self.rng
        if self.lang == "zh":
            from pypinyin import lazy_pinyin

            last, first = "".join(lazy_pinyin(surname)), "".join(lazy_pinyin(given))
        else:
            last, first = surname.lower(), given.lower().replace("é", "e").replace("ë", "e")
        local = rng.choice(
            (f"{last}{first}", f"{first}.{last}", f"{last}.{first}", f"{first[0]}{last}")
        )
        domains = EMAIL_DOMAINS[self.lang]
        while True:
            if self.lang == "zh" and rng.random() < 0.2:
                address = f"{rng.randrange(10**5, 10**10)}@qq.com"
            else:
                address = f"{local}@{rng.choice(domains)}"
            if address not in self.used_emails:
                self.used_emails.add(address)
                return address
            local += str(rng.randrange(10))

    def _company(self) -> str:
        rng = self.rng
        if self.lang == "zh":
            brand = "".join(rng.choice(ZH_GIVEN_CHARS) for _ in range(2))
            city = rng.choice(ZH_CITIES)
            return f"{city}{brand}{rng.choice(ZH_INDUSTRY)}{rng.choice(ZH_SUFFIX)}"
        return f"{rng.choice(EN_WORDS)} {rng.choice(EN_WORDS)} {rng.choice(EN_TRADE)} {rng.choice(EN_SUFFIX)}"

    def _address(self, city: str) -> str:
        rng = self.rng
        if self.lang == "zh":
            return f"{city}市{rng.choice('东西南北')}城区{rng.choice(ZH_ROADS)}路{rng.randrange(1, 999)}号"
        return f"{rng.randrange(1, 9999)} {rng.choice(EN_STREETS)} St, {city}"

    # ---------------------------------------------------------------- writing a record
    def record(self, p: Person, number: int, corrupt: bool) -> tuple[CellValue, ...]:
        """One row for a person; a copy (`corrupt`) has one to three fields changed."""
        name, phone, phone_text, email = p.name, p.phone, self._phone_text(p.phone), p.email
        company, city, address, birthday = p.company, p.city, p.address, p.birthday
        birthday_cell: CellValue = birthday
        if corrupt:
            for what in self.rng.sample(_CORRUPTIONS, self.rng.choice((1, 2, 2, 3))):
                if what == "name":
                    name = self._name_variant(p)
                elif what == "phone":
                    phone = self._phone_variant(p.phone)
                    phone_text = self._phone_text(phone) if phone else None
                elif what == "email":
                    email = self._email_variant(p)
                elif what == "company":
                    company = self._company_variant(company)
                elif what == "city":
                    city = self._city_variant(city)
                elif what == "address":
                    address = None if self.rng.random() < 0.5 else self._address_variant(address)
                elif what == "birthday":
                    birthday_cell = self._birthday_variant(birthday)
        if isinstance(birthday_cell, date) and self.rng.random() < 0.4:
            birthday_cell = self._date_text(birthday_cell)
        return (
            f"C{number:07d}", name, ("男" if p.gender == "M" else "女") if self.lang == "zh" else p.gender,
            phone_text, email, company, city, address, birthday_cell,
            p.signup + timedelta(days=self.rng.randrange(400)) if corrupt else p.signup,
            p.orders if not corrupt else self.rng.randrange(1, 10),
            p.spent if not corrupt else round(self.rng.uniform(10, 5000), 2),
        )  # fmt: skip

    def _phone_text(self, number: str | None) -> str | None:
        if number is None:
            return None
        rng = self.rng
        if self.lang == "en":
            a, b, c = number[:3], number[3:6], number[6:]
            return rng.choice(
                (f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"+1 {a} {b} {c}", number, f"{a}.{b}.{c}")
            )
        a, b, c = number[:3], number[3:7], number[7:]
        forms = (number, number, f"{a}-{b}-{c}", f"+86 {a} {b} {c}", f"+86{number}", f"{a} {b} {c}",
                 number.translate(str.maketrans("0123456789", "０１２３４５６７８９")))  # fmt: skip
        return rng.choice(forms)

    def _name_variant(self, p: Person) -> str:
        rng = self.rng
        roll = rng.random()
        if self.lang == "zh":
            if roll < 0.35:
                chars = list(p.name)
                spots = [i for i, ch in enumerate(chars) if ch in HOMOPHONES]
                if spots:
                    i = rng.choice(spots)
                    chars[i] = rng.choice(HOMOPHONES[chars[i]])
                    return "".join(chars)
                return _TO_TRADITIONAL.convert(p.name)
            if roll < 0.6:
                return _TO_TRADITIONAL.convert(p.name)
            if roll < 0.75:
                return " ".join(p.name) if len(p.name) == 2 else p.name[0] + " " + p.name[1:]
            if roll < 0.87:
                return p.surname + ("先生" if p.gender == "M" else "女士")
            return p.name + " " if roll < 0.93 else p.name[:-1] if len(p.given) > 1 else p.name
        if roll < 0.25:
            return f"{p.surname}, {p.given}"
        if roll < 0.45:
            return p.name.upper() if rng.random() < 0.5 else p.name.lower()
        if roll < 0.7:
            return _typo(rng, p.name)
        if roll < 0.8 and p.given in NICKNAMES:
            return f"{NICKNAMES[p.given]} {p.surname}"
        if roll < 0.9:
            return f"{p.given} {rng.choice('ABCDEJKLMRS')}. {p.surname}"
        return ("Mr. " if p.gender == "M" else "Ms. ") + p.surname

    def _phone_variant(self, number: str) -> str | None:
        roll = self.rng.random()
        if roll < 0.35:
            return None
        if roll < 0.65:
            return self._phone()  # a new number
        digits = list(number)
        i = self.rng.randrange(3, len(digits))
        digits[i] = str((int(digits[i]) + self.rng.randrange(1, 10)) % 10)
        return "".join(digits)

    def _email_variant(self, p: Person) -> str | None:
        if p.email is None or self.rng.random() < 0.5:
            return None
        if self.rng.random() < 0.5:
            return p.email.upper() if self.rng.random() < 0.5 else " " + p.email.capitalize()
        return self._email(p.surname, p.given)  # a second address

    def _company_variant(self, company: str | None) -> str | None:
        rng = self.rng
        if company is None or rng.random() < 0.3:
            return None
        if rng.random() < 0.15:
            return self._employer()  # changed job
        if self.lang == "en":
            base = company.rsplit(" ", 1)[0] if not company.endswith("Ltd.") else company[:-11]
            return rng.choice((base, f"{base} {rng.choice(EN_SUFFIX)}", company.upper()))
        for suffix in ZH_SUFFIX[::-1]:
            if company.endswith(suffix):
                stem = company[: -len(suffix)]
                city, rest = stem[:2], stem[2:]
                return rng.choice((stem + rng.choice(ZH_SUFFIX), f"{rest}（{city}）{suffix}",
                                   stem, _TO_TRADITIONAL.convert(company)))  # fmt: skip
        return company

    def _city_variant(self, city: str) -> str | None:
        if self.rng.random() < 0.4:
            return None
        if self.lang == "en":
            return city.upper()
        return f"{ZH_PROVINCE.get(city, '')}{city}市"

    def _address_variant(self, address: str | None) -> str | None:
        if address is None:
            return None
        if self.lang == "en":
            return address.replace(" St,", " Street,")
        return address.replace("市", "市 ").translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        )

    def _birthday_variant(self, birthday: date | None) -> CellValue:
        rng = self.rng
        if birthday is None or rng.random() < 0.4:
            return None
        if rng.random() < 0.5 and birthday.day <= 12 and birthday.day != birthday.month:
            return date(birthday.year, birthday.day, birthday.month)
        return birthday.replace(day=min(28, (birthday.day % 27) + 1))

    def _date_text(self, day: date) -> str:
        if self.lang == "zh":
            return self.rng.choice(
                (f"{day.year}年{day.month}月{day.day}日", f"{day:%Y/%m/%d}", f"{day:%Y%m%d}")
            )
        return self.rng.choice((f"{day:%Y-%m-%d}", f"{day.month}/{day.day}/{day.year}"))


_CORRUPTIONS = ("name", "phone", "email", "company", "city", "address", "birthday")


def _typo(rng: random.Random, text: str) -> str:
    chars = list(text)
    i = rng.randrange(1, len(chars) - 1)
    kind = rng.random()
    if kind < 0.4:
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif kind < 0.7:
        del chars[i]
    else:
        chars[i] = rng.choice("aeiourstln")
    return "".join(chars)


POPULATIONS = ("census", "narrow")


def generate(
    lang: str,
    rows: int,
    *,
    seed: int = 7,
    duplicate_share: float = 0.3,
    population: str = "census",
) -> Labelled:
    """About `rows` rows: customers, their corrupted copies, namesakes and shared phones.

    `population` "census" (realistic skew) or "narrow" (the first generator); see above.

    >>> data = generate("zh", 200)
    >>> len(data.rows) == len(data.entity) >= 190, len(set(data.entity)) < len(data.entity)
    (True, True)
    """
    gen = Generator(lang, seed, rows, population)
    records: list[tuple[CellValue, ...]] = []
    entity: list[int] = []
    people: list[Person] = []
    while len(records) < rows:
        number = len(people)
        roll = gen.rng.random()
        if people and roll < 0.03:  # a namesake: same name and city, different person
            other = gen.rng.choice(people)
            person = gen.person((other.surname, other.given), other.city)
            if gen.census and other.company and gen.rng.random() < 0.5:
                person.company = other.company  # colleagues of one name: the hard case
        else:
            person = gen.person()
        if people and roll > 0.99:  # family members sharing one phone
            person.phone = gen.rng.choice(people).phone
        people.append(person)
        copies = 0
        if gen.rng.random() < duplicate_share:
            copies = gen.rng.choice((1, 1, 1, 2, 2, 3))
        for copy in range(copies + 1):
            records.append(gen.record(person, len(records) + 1, corrupt=copy > 0))
            entity.append(number)
    order = list(range(len(records)))
    gen.rng.shuffle(order)
    return Labelled(lang, HEADERS[lang], [records[i] for i in order], [entity[i] for i in order])


if __name__ == "__main__":
    data = generate(sys.argv[1], int(sys.argv[2]), population=(sys.argv[3:] or ["census"])[0])
    print("\t".join(("entity", *data.header)))
    for label, row in zip(data.entity, data.rows, strict=True):
        print("\t".join(str(v) if v is not None else "" for v in (label, *row)))


def cached(lang: str, rows: int, population: str, cache: Path) -> Labelled:
    """`generate(lang, rows, population=population)`, pickled in `cache` the first time (a
    million rows take minutes to generate); a symlinked pickle is another tree's, not read.

    Example: `cached("en", 1_000_000, "narrow", Path("bench/.cache"))`.
    """
    path = cache / f"dedupe-{population}-{lang}-{rows}.pickle"
    if path.exists() and not path.is_symlink():
        with path.open("rb") as handle:
            data: Labelled = pickle.load(handle)
        return data
    data = generate(lang, rows, population=population)
    cache.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return data
