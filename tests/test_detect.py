"""Header detection: tables found by content, in Chinese and English, without configuration."""

from __future__ import annotations

import pytest

from toolkit.detect import understand
from toolkit.errors import ConfigError, HeaderNotFoundError
from toolkit.models.settings import Settings
from toolkit.table import RawSheet, RawWorkbook


def book(*sheets: RawSheet) -> RawWorkbook:
    return RawWorkbook("test.xlsx", sheets)


CHINESE = RawSheet(
    "客户名单",
    [
        ["2025年客户名单", None, None, None],
        [None, None, None, None],
        ["客户名称", "联系电话", "电子邮箱", "所属行业", "兴趣爱好"],
        ["张三", "13800138000", "zs@example.com", "制造", "钓鱼"],
        ["李四", "13900139000", None, None, None],
        [None, None, None, None],
    ],
)
ENGLISH = RawSheet(
    "Leads",
    [
        ["Customer list", None],
        ["Full Name", "Mobile", "E-mail Address", "Company Name", "Last Order Date"],
        ["Ann Lee", "+1 415 555 2671", "ann@example.com", "Acme Inc.", "2024-03-05"],
    ],
)
ORDERS = RawSheet(
    "订单", [["订单号", "客户编号", "下单日期", "金额"], ["O1", "C1", "2024-01-01", 10]]
)
COMPLAINTS = RawSheet(
    "Tickets",
    [
        ["Ticket ID", "Customer", "Date", "Category", "Description", "Status"],
        ["T1", "Ann Lee", "2024-02-01", None, "parcel arrived broken", "open"],
    ],
)


def test_chinese_header_below_title_rows_is_found() -> None:
    customers = understand(book(CHINESE), Settings()).customers
    assert customers.header_row == 3
    assert [c.field for c in customers.columns] == ["name", "phone", "email", "industry", None]
    assert customers.first_row == 4 and customers.last_row == 5  # trailing blank row dropped
    assert understand(book(CHINESE), Settings()).lang == "zh"


def test_english_header_and_language() -> None:
    workbook = understand(book(ENGLISH), Settings())
    assert workbook.lang == "en"
    assert workbook.customers.column("last_purchase_date").letter == "E"  # type: ignore[union-attr]


def test_sheets_found_by_content_whatever_their_order_and_names() -> None:
    workbook = understand(book(ORDERS, COMPLAINTS, ENGLISH), Settings())
    assert {k: t.sheet for k, t in workbook.tables.items()} == {
        "customers": "Leads",
        "transactions": "订单",
        "complaints": "Tickets",
    }


@pytest.mark.parametrize(
    "headers, expected",
    [
        (["Name", "Phone", "Phone"], ["name", "phone", "phone2"]),  # a second phone column
        (
            ["Name", "Email", "Email"],
            ["name", "email", None],
        ),  # a duplicate keeps its data, unmapped
        (["Name", None, "Phone"], ["name", None, "phone"]),  # a blank header
        (["姓", "名", "手机"], ["last_name", "first_name", "phone"]),  # first/last name pair
    ],
)
def test_blank_duplicate_and_paired_headers(
    headers: list[str | None], expected: list[str | None]
) -> None:
    sheet = RawSheet("S", [headers, ["a", "b", "c"]])
    assert [c.field for c in understand(book(sheet), Settings()).customers.columns] == expected


def test_our_own_columns_are_recognized_not_mapped() -> None:
    sheet = RawSheet("S", [["Name", "Phone", "数据问题"], ["Li", "1", "old text"]])
    customers = understand(book(sheet), Settings()).customers
    assert "issues" in customers.own_columns
    assert [c.header for c in customers.columns] == ["Name", "Phone"]


def test_explicit_mapping_wins() -> None:
    sheet = RawSheet("S", [["Who", "Reach me", "Phone"], ["Li", "li@x.cn", "1"]])
    settings = Settings(columns={"name": "Who", "email": "Reach me"})
    fields = [c.field for c in understand(book(sheet), settings).customers.columns]
    assert fields == ["name", "email", "phone"]


def test_explicit_mapping_errors_are_reported_together() -> None:
    settings = Settings(columns={"email": "E-mail"}, sheets={"transactions": "Orders"})
    with pytest.raises(ConfigError) as caught:
        understand(book(ENGLISH), settings)
    text = str(caught.value)
    assert "sheets.transactions" in text and "'Orders' not found" in text and "Leads" in text


def test_no_header_is_refused_with_what_was_seen() -> None:
    sheet = RawSheet("Sheet1", [["foo", "bar"], [1, 2]])
    with pytest.raises(HeaderNotFoundError, match=r"'Sheet1' \(foo, bar\).*\[columns\]"):
        understand(book(sheet), Settings())


def test_settings_and_our_sheets_are_not_taken_for_tables() -> None:
    ours = RawSheet("数据校验", [["姓名", "手机"], ["x", "y"]])
    settings_sheet = RawSheet("设置", [["columns.name", "客户"]])
    customers = RawSheet("C", [["客户", "联系方式"], ["张三", "13800138000"]])
    workbook = understand(
        book(ours, settings_sheet, customers),
        Settings(columns={"name": "客户", "phone": "联系方式"}),
    )
    assert workbook.customers.sheet == "C"
