"""The tag step: rules on any field, several tags per customer, built-in rules on day one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.detect import understand
from toolkit.models.settings import Settings
from toolkit.normalize import clean_text
from toolkit.plan import Plan, SetColumn
from toolkit.routines.tag_fields import categories
from toolkit.routines.tagging import tag_step
from toolkit.steps import StepContext
from toolkit.table import CellValue, Lang, RawSheet, RawWorkbook

AS_OF = date(2025, 6, 30)


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


CUSTOMERS = RawSheet(
    "Customers",
    [
        [
            "Customer ID",
            "Name",
            "Region",
            "Email",
            "Birthday",
            "Signup Date",
            "Last Purchase",
            "Purchase Count",
            "Total Amount",
            "Notes",
            "兴趣爱好",
        ],
        [
            "C1",
            "Ann",
            "北京",
            "ann@qq.com",
            date(1990, 6, 12),
            ago(20),
            ago(2),
            12,
            80000,
            "VIP 老客户",
            "摄影, 旅游",
        ],
        ["C2", "Bo", "上海", "bo@163.com", "1985/1/3", ago(800), ago(400), 2, "¥1,200", None, None],
        [None, None, None, None, None, None, None, None, None, None, None],
        [
            "C3",
            "Cy",
            " 北京 ",
            "CY@QQ.COM",
            None,
            "坏日期",
            ago(100),
            "3次",
            500,
            "big fish",
            "摄影",
        ],
        ["C4", "Di", None, None, date(2000, 6, 30), ago(5), None, 0, 0, None, None],
    ],
)
COMPLAINTS = RawSheet(
    "Complaints",
    [
        ["Ticket ID", "Customer ID", "Date", "Category", "Description", "Status"],
        ["T1", "C2", ago(10), "Delivery", "late", "Investigating"],
        ["T2", "C3", ago(200), "Quality", "broken", "Resolved"],
    ],
)


def tag(
    rules: dict[str, Any] | None = None,
    *,
    lang: Lang = "en",
    builtin: bool = False,
    sheets: tuple[RawSheet, ...] = (CUSTOMERS,),
    **tagging: Any,
) -> Plan:
    workbook = understand(RawWorkbook("t.xlsx", sheets), Settings())
    settings = Settings.model_validate(
        {"tagging": {"builtin": builtin, "rules": rules or {}, **tagging}}
    )
    return tag_step(StepContext(workbook, settings, AS_OF, lang))


def tags_of(plan: Plan) -> tuple[object, ...]:
    [column] = [c for c in plan.changes if isinstance(c, SetColumn)]
    return column.values


@pytest.mark.parametrize(
    ("rule", "tagged"),
    [
        ("region = 北京", ("C1", "C3")),  # spaces around a value do not matter
        ("region != 北京", ("C2", "C4")),
        ("地区 in 上海, 广州", ("C2",)),
        ("notes contains vip", ("C1",)),  # case does not matter for contains
        ("email matches (?i)@qq\\.com$", ("C1", "C3")),
        ("email matches @qq\\.com$", ("C1",)),  # case matters for a plain pattern
        ("total_amount >= 1200", ("C1", "C2")),  # "¥1,200" is read as 1200
        ({"field": "total_amount", "above": 100, "below": 2000}, ("C2", "C3")),  # a range
        ("purchase_count = 3", ("C3",)),  # "3次" is 3
        ("purchase_count in 0, 12", ("C1", "C4")),
        ("signup_date within 30 days", ("C1", "C4")),
        ("last_purchase_date older than 180 days", ("C2",)),
        ({"field": "last_purchase_date", "within_days": 120, "older_than_days": 30}, ("C3",)),
        ("birthday this month", ("C1", "C4")),
        ("last_purchase_date is blank", ("C4",)),
        ("notes is not blank", ("C1", "C3")),
        ("[兴趣爱好] contains 摄影", ("C1", "C3")),
        ("tier = high", ("C1",)),
        ("segment in Champions, 沉睡客户", ("C1", "C2", "C4")),
        ("m_score >= 5", ("C1",)),
        ("churn_level = 低", ("C1", "C2", "C3", "C4")),
        ("churn_risk >= 1", ("C1",)),
    ],
)
def test_each_kind_of_condition(rule: object, tagged: tuple[str, ...]) -> None:
    values = tags_of(tag({"X": [rule]}))
    ids = ("C1", "C2", None, "C3", "C4")
    assert tuple(i for i, v in zip(ids, values, strict=True) if v == "X") == tagged
    assert values[2] is None  # the blank row gets nothing


def test_all_and_any_and_several_tags_per_customer() -> None:
    plan = tag(
        {
            "Beijing VIP": ["region = 北京", "total_amount >= 10000"],
            "Lapsed": {
                "match": "any",
                "conditions": ["last_purchase_date older than 365 days", "purchase_count <= 0"],
            },
            "QQ": "email matches (?i)qq",
        }
    )
    assert tags_of(plan) == ("Beijing VIP, QQ", "Lapsed", None, "QQ", "Lapsed")
    assert plan.counts["tag.Lapsed"] == 2 and plan.counts["tag.customers_tagged"] == 4


def test_builtin_rules_are_useful_on_day_one_in_chinese() -> None:
    plan = tag(builtin=True, lang="zh", sheets=(CUSTOMERS, COMPLAINTS))
    assert tags_of(plan) == (
        "新客户、高消费、常客、本月生日",
        "沉睡、近期投诉",
        None,
        None,
        "新客户、本月生日",
    )
    assert plan.findings == ()


def test_builtin_rules_stay_quiet_when_a_column_or_sheet_is_missing() -> None:
    bare = RawSheet("Customers", [["Name", "Phone"], ["Ann", "13800138000"]])
    plan = tag(builtin=True, sheets=(bare,))
    assert tags_of(plan) == (None,) and plan.findings == ()


def test_own_rule_on_a_missing_column_is_a_warning_and_never_holds() -> None:
    plan = tag(
        {
            "Rich": "industry = 金融",
            "Hobby": "[爱好] = 钓鱼",
            "Either": {"match": "any", "conditions": ["industry = 金融", "region = 上海"]},
        }
    )
    assert tags_of(plan) == (None, "Either", None, None, None)
    assert [(f.problem, f.field, f.severity, f.row) for f in plan.findings] == [
        ("tag_field_missing", "industry", "warning", 1),
        ("tag_field_missing", "[爱好]", "warning", 1),
        ("tag_field_missing", "industry", "warning", 1),
    ]
    assert "Tag rule 'Rich': sheet 'Customers' has no industry" in plan.findings[0].message


def test_purchase_conditions_read_the_orders_sheet_when_there_is_one() -> None:
    orders = RawSheet(
        "Orders",
        [
            ["Order ID", "Customer ID", "Order Date", "Amount"],
            *[[f"O{n}", "C2", ago(n), 10] for n in range(1, 6)],
        ],
    )
    values = tags_of(tag({"Busy": "purchase_count >= 5"}, sheets=(CUSTOMERS, orders)))
    assert values == (None, "Busy", None, None, None)


def test_separator_can_be_set() -> None:
    plan = tag({"A": "region = 北京", "B": "total_amount > 0"}, separator=" | ")
    assert tags_of(plan)[0] == "A | B"


def test_column_header_follows_the_language() -> None:
    [column] = tag({"A": "region = 北京"}, lang="zh").changes
    assert isinstance(column, SetColumn) and (column.key, column.header) == ("tags", "标签")
    assert (column.header_row, column.first_row) == (1, 2)


def reference_categories(values: list[CellValue]) -> tuple[list[int], list[tuple[str, ...]]]:
    """Categories as they were given row by row, each (type, value) cleaned once."""
    index: dict[str, int] = {}
    cleaned: dict[tuple[type, CellValue], int] = {}
    codes = []
    for value in values:
        key = (type(value), value)
        if key not in cleaned:
            cleaned[key] = index.setdefault(clean_text(value).value or "", len(index))
        codes.append(cleaned[key])
    return codes, [(text,) for text in index]


category_cells = st.one_of(
    st.sampled_from([None, "", " 北京 ", "北京", 1, 1.0, True, False, 0, -0.0, 2.5, "1", "True"]),
    st.text(max_size=4),
    st.integers(),
    st.floats(allow_nan=False),
)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(category_cells, max_size=20))
def test_categories_equal_cleaning_row_by_row(values: list[CellValue]) -> None:
    codes, names = categories(values)
    assert (codes.tolist(), names) == reference_categories(values)
