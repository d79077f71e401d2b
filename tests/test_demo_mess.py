"""Planted mess values, form by form, made from clean values."""

from __future__ import annotations

import random
from datetime import date

import pytest

from toolkit.demo_mess import MessMaker, can_plant, excel_serial, fullwidth, plant_quota
from toolkit.table import CellValue, Lang

DAY = date(2024, 3, 5)


@pytest.mark.parametrize(
    ("lang", "problem", "clean", "forms"),
    [
        ("zh", "phone_format", "13800138000",
         ["+86 138-0013-8000", "138 0013 8000", "１３８００１３８０００", "8613800138000",
          13800138000, "138-0013-8000"]),
        ("en", "phone_format", "+14155550123",
         ["+1 (415) 555-0123", "+1 415-555-0123", "+1.415.555.0123"]),
        ("en", "phone_format", "+442079460123",
         ["+44 20 7946 0123", "+44 (0)20 7946 0123", "0044 20 7946 0123"]),
        ("en", "phone_format", "+441614960123", ["+44 161 496 0123"]),
        ("en", "phone_format", "+8613800138000", ["+86 138 0013 8000", "+86-138-0013-8000"]),
        ("zh", "phone_invalid", "13800138000", ["1380013800"]),
        ("zh", "email_invalid", "wang@163.com",
         ["wang@", "wang.163.com", "wang@@163.com", "wang@163"]),
        ("en", "email_format", "john.smith@gmail.com",
         ["John.Smith@gmail.com", " john.smith@gmail.com ",
          "ｊｏｈｎ．ｓｍｉｔｈ＠ｇｍａｉｌ．ｃｏｍ", "JOHN.SMITH@GMAIL.COM"]),
        ("zh", "date_invalid", DAY, ["上个月", "待定"]),
        ("en", "date_invalid", DAY, ["soon", "last month"]),
        ("zh", "date_impossible", DAY, ["2024-02-30", "2024-04-31", "2024-13-05"]),
        ("zh", "date_format", DAY, ["2024/3/5", "2024年3月5日", "20240305", 45356]),
        ("en", "date_format", DAY, ["March 5, 2024", "2024/3/5", "20240305", 45356, "5 Mar 2024"]),
        ("zh", "amount_invalid", 1234.5, ["约1200", "待确认", "abc"]),
        ("zh", "amount_format", 12345.6, ["¥12,345.60", "1.23万", "12,345.60"]),
        ("zh", "amount_format", 1234.5, ["¥1,234.50", "1234.50元"]),
        ("en", "amount_format", 1234.5, ["$1,234.50", "1,234.50", "USD 1234.50"]),
        ("en", "amount_negative", 99.0, [-99.0]),
        ("zh", "count_invalid", 2, ["多次", 2.5]),
        ("zh", "count_format", 3, ["3次", "3 次", "3"]),
        ("en", "count_format", 3, ["3 orders", "3", "3 times"]),
        ("zh", "gender_invalid", "男", ["X", "?"]),
        ("zh", "gender_format", "女", ["女性", "female", "女士"]),
        ("en", "gender_format", "M", ["male", "m", "man"]),
        ("zh", "text_spaces", "王伟", [" 王伟", "王伟 ", "王伟  "]),
        ("en", "text_spaces", "John Smith", [" John Smith", "John Smith ", "John  Smith"]),
        ("zh", "name_spaces", "欧阳娜", ["欧阳 娜"]),
        ("zh", "name_spaces", "王小明", ["王 小明"]),
        ("zh", "text_fullwidth", "北京智云AI科技有限公司", ["北京智云ＡＩ科技有限公司"]),
        ("en", "text_fullwidth", "Acme Retail Inc.", ["Ａｃｍｅ Retail Inc."]),
        ("zh", "required_missing", "王伟", [None]),
    ],
)  # fmt: skip
def test_mess_forms_come_in_turn(
    lang: Lang, problem: str, clean: CellValue, forms: list[CellValue]
) -> None:
    maker = MessMaker(lang, random.Random(0))
    assert [maker.make(problem, clean) for _ in forms] == forms


def test_future_dates_fall_after_as_of() -> None:
    maker = MessMaker("zh", random.Random(0))
    futures = [maker.make("date_future", DAY) for _ in range(50)]
    assert all(isinstance(d, date) and d > date(2025, 6, 30) for d in futures)


@pytest.mark.parametrize(
    ("problem", "clean", "lang", "expected"),
    [
        ("amount_negative", 0.0, "zh", False),
        ("amount_format", 12.5, "zh", True),
        ("count_format", 0, "en", False),
        ("date_format", None, "zh", False),
        ("text_fullwidth", "北京星辰科技有限公司", "zh", False),
        ("text_fullwidth", "北京e路通科技有限公司", "zh", True),
        ("text_fullwidth", "Acme Inc.", "en", True),
        ("email_invalid", "", "en", False),
    ],
)
def test_can_plant(problem: str, clean: CellValue, lang: Lang, expected: bool) -> None:
    assert can_plant(problem, clean, lang) is expected


@pytest.mark.parametrize(
    ("text", "alnum_only", "expected"),
    [("Abc 12", False, "Ａｂｃ １２"), ("a@b.cn", True, "ａ@ｂ.ｃｎ"), ("王伟", False, "王伟")],
)
def test_fullwidth(text: str, alnum_only: bool, expected: str) -> None:
    assert fullwidth(text, alnum_only=alnum_only) == expected


@pytest.mark.parametrize(
    ("day", "serial"),
    [(date(1900, 3, 1), 61), (date(2024, 3, 5), 45356), (date(2025, 6, 30), 45838)],
)
def test_excel_serial(day: date, serial: int) -> None:
    assert excel_serial(day) == serial


def test_quota_spares_reserved_rows_and_puts_at_most_two_problems_on_a_row() -> None:
    rows = [
        {"name": "王伟", "phone": "13800138000", "email": "w@163.com", "gender": "男",
         "company": "北京e路通科技有限公司", "birthday": DAY, "signup_date": DAY,
         "last_purchase_date": DAY, "last_contact_date": DAY, "purchase_count": 3,
         "total_amount": 1234.5}
        for _ in range(60)
    ]  # fmt: skip
    reserved = set(range(0, 60, 2))
    planted = plant_quota(
        rows, lang="zh", maker=MessMaker("zh", random.Random(3)), reserved=reserved
    )
    positions = [position for position, _ in planted]
    assert not reserved & set(positions)
    assert max(positions.count(p) for p in positions) == 2
    assert len(planted) == len({(p, planting.field) for p, planting in planted})  # one per cell
