"""Personal data masking for reminders, calendars, messages and logs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.models.settings import Settings
from toolkit.normalize.phone import cn_mobile_pattern, parse_phone
from toolkit.routines.masking import (
    mask_address,
    mask_digits,
    mask_email,
    mask_id,
    mask_phone,
    mask_text,
    mask_value,
    reminder_contact,
    reminder_contacts,
)
from toolkit.table import CellValue


@pytest.mark.parametrize(
    "phone, masked",
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("１３８１２３４５６７８", "138****5678"),
        (13812345678, "138****5678"),
        ("010-12345678", "101***5678"),  # a Beijing landline: national digits
        ("+1 415 555 2671", "+1 415***2671"),
        ("+44 20 7946 0958", "+44 207***0958"),
        ("12345", "***45"),  # not a valid number: digits masked all the same
        (None, ""),
        ("  ", ""),
    ],
)
def test_mask_phone(phone: CellValue, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    "email, masked",
    [
        ("wang.wei@example.com", "w***@example.com"),
        (" Ann@Example.com ", "A***@Example.com"),
        ("ｗａｎｇ@qq.com", "w***@qq.com"),
        ("not an email", "n***"),
        (None, ""),
    ],
)
def test_mask_email(email: CellValue, masked: str) -> None:
    assert mask_email(email) == masked


def test_masks_never_reveal_the_middle_digits() -> None:
    assert "1234" not in mask_phone("13812345678")


@pytest.mark.parametrize("number, masked", [
    ("110101199003071234", "1101**********1234"),
    ("11010119900307123X", "1101**********123X"),
    ("１１０１０１１９９００３０７１２３４", "1101**********1234"),
    (110101199003071234, "1101**********1234"),
    ("G12345678", "G123*5678"),
    ("A1234", "***34"),
    (None, ""),
])  # fmt: skip
def test_mask_id(number: CellValue, masked: str) -> None:
    assert mask_id(number) == masked


def test_an_id_mask_hides_the_birth_date() -> None:
    assert "19900307" not in mask_id("110101199003071234")


@pytest.mark.parametrize("address, masked", [
    ("北京市朝阳区建国路88号", "北京市朝阳区***"),
    ("广东省深圳市南山区科技园南区8栋", "广东省深圳市南山区***"),
    ("上海浦东新区张江路100弄", "上海浦东新区***"),
    ("浙江省杭州市西湖区", "浙江省杭州市西湖区"),  # nothing beyond the district to hide
    ("中国四川省成都市武侯区人民南路四段1号", "中国四川省成都市武侯区***"),
    ("建国路88号", "***"),
    ("Flat 4, 12 King St, Leeds LS1 2AB", "***, Leeds"),
    ("349 Oak Ave, Springfield, IL 62704", "***, Springfield, IL"),
    ("349 Oak Ave", "***"),
    (None, ""),
])  # fmt: skip
def test_mask_address_keeps_the_place_not_the_door(address: CellValue, masked: str) -> None:
    assert mask_address(address) == masked


@pytest.mark.parametrize("field, value, masked", [
    ("phone", "138 1234 5678", "138****5678"),
    ("phone2", "010-12345678", "101***5678"),
    ("email", "wang@qq.com", "w***@qq.com"),
    ("id_number", "110101199003071234", "1101**********1234"),
    ("address", "北京市朝阳区建国路88号", "北京市朝阳区***"),
    ("wechat", "wxid_abc123", "w***"),
    ("birthday", "1990-03-07", "1***"),
])  # fmt: skip
def test_mask_value_by_field(field: str, value: CellValue, masked: str) -> None:
    assert mask_value(field, value) == masked
    assert mask_text(value)[-3:] == "***"


@pytest.mark.parametrize("privacy, followups, shown", [
    ({}, {}, "138****5678"),
    ({"show_in_followups": True}, {}, "13812345678"),
    ({}, {"mask_contacts": False}, "13812345678"),
    ({"personal": ["email"]}, {}, "13812345678"),
])  # fmt: skip
def test_reminder_contact_follows_the_settings(
    privacy: dict[str, object], followups: dict[str, object], shown: str
) -> None:
    settings = Settings.model_validate({"privacy": privacy, "followups": followups})
    assert reminder_contact(settings, "phone", 13812345678.0) == shown


@given(st.from_regex(cn_mobile_pattern(), fullmatch=True).filter(str.isascii))
def test_a_mobile_written_as_its_digits_masks_as_parsed(digits: str) -> None:
    phone = parse_phone(digits, default_region="CN").value
    assert phone is not None and phone.region == "CN"
    assert mask_phone(digits) == mask_digits(phone.national)


@pytest.mark.parametrize(
    ("phone", "region", "masked"),
    [
        ("１３８１２３４５６７８", "CN", "138****5678"),  # full width: parsed, ASCII digits
        ("+86 13812345678", "US", "+86 138****5678"),  # not the default region: its +code
    ],
)
def test_mobiles_the_shortcut_leaves_to_the_parser(phone: str, region: str, masked: str) -> None:
    assert mask_phone(phone, default_region=region) == masked


CONTACTS = [
    "13812345678",
    "13812345678",
    "１３８１２３４５６７８",
    " 13812345678 ",
    "+86 138-1234-5678",
    "+1 415 555 2671",
    "19912345678",
    "12",
    "",
    "  ",
    None,
    "wang.wei@example.com",
]
SETTINGS = [
    {},
    {"privacy": {"show_in_followups": True}},
    {"followups": {"mask_contacts": False}},
    {"validation": {"default_region": "US"}},
]


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize("field", ["phone", "phone2", "email", "address", "name"])
@pytest.mark.parametrize(
    "cells",
    [CONTACTS, [c for c in CONTACTS if c != "+1 415 555 2671"], [13812345678.0, 1, True, "1"]],
)
def test_a_column_of_contacts_shows_as_each_cell_alone(
    settings: dict[str, object], field: str, cells: list[CellValue]
) -> None:
    loaded = Settings.model_validate(settings)
    expected = [reminder_contact(loaded, field, cell) for cell in cells]
    assert reminder_contacts(loaded, field, cells) == expected


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.from_regex(cn_mobile_pattern(), fullmatch=True),
            st.text(alphabet="1３8 +-", max_size=13),
        ),
        max_size=8,
    )
)
def test_masked_mobiles_equal_the_one_by_one_masks(cells: list[CellValue]) -> None:
    settings = Settings()
    expected = [reminder_contact(settings, "phone", cell) for cell in cells]
    assert reminder_contacts(settings, "phone", cells) == expected


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.from_regex(r"[A-Za-z0-9._ ]{0,6}@?[a-zA-Z0-9.]{0,5}", fullmatch=True),
            st.text(alphabet="ａ@＠ 　\tx.", max_size=8),
            st.sampled_from([1, 1.0, True, 0]),
        ),
        max_size=8,
    )
)
def test_masked_emails_equal_the_one_by_one_masks(cells: list[CellValue]) -> None:
    settings = Settings()
    expected = [reminder_contact(settings, "email", cell) for cell in cells]
    assert reminder_contacts(settings, "email", cells) == expected
