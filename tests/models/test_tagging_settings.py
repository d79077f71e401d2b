"""Tag rules in settings: written as text or tables, checked up front, every error at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from toolkit.errors import ConfigError
from toolkit.models.tag_conditions import TagCondition, resolve_field
from toolkit.models.tagging_settings import BUILTIN_RULES, TaggingSettings, TagRule
from toolkit.settings_io import load_settings
from toolkit.table import RawSheet, RawWorkbook


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("total_amount >= 10000", {"field": "total_amount", "at_least": 10000.0}),
        ("累计消费 > 5000", {"field": "total_amount", "above": 5000.0}),
        ("purchase_count <= 1", {"field": "purchase_count", "at_most": 1.0}),
        ("purchase_count < 2", {"field": "purchase_count", "below": 2.0}),
        ("地区=北京", {"field": "region", "equals": "北京"}),
        ("region != 北京", {"field": "region", "equals": "北京", "negate": True}),
        ("region in 北京, 上海，广东", {"field": "region", "in_": ("北京", "上海", "广东")}),
        ("region not in 北京", {"field": "region", "in_": ("北京",), "negate": True}),
        ("Region NOT IN 北京", {"field": "region", "in_": ("北京",), "negate": True}),
        ("备注包含VIP", {"field": "notes", "contains": ("VIP",)}),
        ('notes contains "big fish"', {"field": "notes", "contains": ("big fish",)}),
        ("email matches (?i)@qq\\.com$", {"field": "email", "matches": "(?i)@qq\\.com$"}),
        ("signup_date within 90 days", {"field": "signup_date", "within_days": 90}),
        ("注册日期 within 30天", {"field": "signup_date", "within_days": 30}),
        (
            "last_purchase_date older than 180 days",
            {"field": "last_purchase_date", "older_than_days": 180},
        ),
        ("birthday this month", {"field": "birthday", "this_month": True}),
        ("phone is blank", {"field": "phone", "blank": True}),
        ("Email is not blank", {"field": "email", "blank": False}),
        ("[兴趣爱好] contains 摄影", {"column": "兴趣爱好", "contains": ("摄影",)}),
        ("tier = high", {"field": "tier", "equals": "high"}),
        ("Customer ID in 1001, 1002", {"field": "customer_id", "in_": ("1001", "1002")}),
    ],
)
def test_conditions_are_read_from_text(text: str, fields: dict[str, Any]) -> None:
    condition = TagCondition.model_validate(text)
    for name, value in fields.items():
        assert getattr(condition, name) == value, name


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("total_amount 10000", "no operator"),
        (">= 5", "no field before the operator"),
        ("birthday this month please", "nothing may follow"),
        ("signup_date within soon", "not a number of days"),
        ("region =", "no value after the operator"),
        ("totl_amount >= 5", "unknown field 'totl_amount'; did you mean total_amount?"),
        ("region >= 5", "region is a text field; numeric bounds need an amount or a count"),
        ("signup_date = 2024", "signup_date is a date"),
        ("total_amount within 5 days", "not a date field"),
        ("purchase_count = many", "purchase_count is a number; 'many' is not"),
        ("total_amount contains 5", "total_amount is a number"),
        ("email matches (", "regular expression '(' is invalid"),
        ("total_amount >= lots", "valid number"),
    ],
)
def test_bad_conditions_are_refused_with_a_reason(text: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem.replace("(", "\\(").replace("?", "\\?")):
        TagCondition.model_validate(text)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"field": "region"}, "no test"),
        ({"field": "region", "column": "x", "equals": "a"}, "either field or column"),
        ({"field": "total_amount", "at_least": 10, "below": 5}, "the range is empty"),
        ({"field": "signup_date", "within_days": 30, "older_than_days": 60}, "is empty"),
        ({"field": "region", "equals": "a", "contains": "b"}, "one kind of test"),
        ({"field": "total_amount", "at_least": 1, "blank": True}, "one kind of test"),
        ({"field": "region", "in": []}, "at least 1 item"),
    ],
)
def test_inconsistent_tables_are_refused(fields: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        TagCondition.model_validate(fields)


def test_ranges_combine_bounds_in_one_condition() -> None:
    condition = TagCondition.model_validate(
        {"field": "total_amount", "at_least": 1000, "below": 5000}
    )
    assert condition.kind == "number" and (condition.at_least, condition.below) == (1000, 5000)


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("累计消费", "total_amount"),
        ("Last Purchase", "last_purchase_date"),
        ("Tier", "tier"),
        ("complaint_count", "complaint_count"),
        ("M Score", "m_score"),
    ],
)
def test_fields_are_named_by_canonical_name_or_header_alias(name: str, field: str) -> None:
    assert resolve_field(name) == field


def test_rules_accept_text_lists_and_tables() -> None:
    assert len(TagRule.model_validate("purchase_count >= 5").conditions) == 1
    assert TagRule.model_validate(["purchase_count >= 5", "region = 北京"]).match == "all"
    rule = TagRule.model_validate(
        {
            "label": "Lapsed",
            "match": "any",
            "conditions": [
                {"field": "last_purchase_date", "older_than_days": 365},
                "purchase_count <= 0",
            ],
        }
    )
    assert rule.match == "any" and rule.label == "Lapsed"


def test_builtin_rules_are_on_by_default_and_can_be_dropped_or_replaced() -> None:
    default = [name for name, _, _ in TaggingSettings().active_rules("en")]
    assert default == list(BUILTIN_RULES)
    settings = TaggingSettings.model_validate(
        {
            "disabled": ["birthday_this_month"],
            "rules": {"dormant": "last_purchase_date older than 365 days", "VIP": "tier = high"},
        }
    )
    active = {name: (tag, rule) for name, tag, rule in settings.active_rules("zh")}
    assert "birthday_this_month" not in active and active["VIP"][0] == "VIP"
    assert active["dormant"][0] == "沉睡"
    assert active["dormant"][1].conditions[0].older_than_days == 365
    assert [n for n, _, _ in TaggingSettings(builtin=False).active_rules("en")] == []


def test_separator_follows_the_language_unless_set() -> None:
    assert TaggingSettings().joiner("zh") == "、" and TaggingSettings().joiner("en") == ", "
    assert TaggingSettings(separator=" | ").joiner("zh") == " | "


def test_every_rule_problem_is_reported_at_once_with_its_source(tmp_path: Path) -> None:
    config = tmp_path / "custkit.toml"
    config.write_text(
        '[tagging]\ndisabled = ["nope"]\n[tagging.rules]\n'
        'A = "totl_amount >= 5"\n'
        'B = ["region >= 5", "signup_date within 30 days"]\n'
        '[tagging.rules.C]\nmatch = "some"\nconditions = ["email matches ("]\n',
        encoding="utf-8",
    )
    sheet = RawSheet(
        "设置",
        [["tagging.rules.D", "purchase_count = many"], ["tagging.rules.E", "累计消费 >= 10000"]],
    )
    with pytest.raises(ConfigError) as error:
        load_settings(config_file=config, raw=RawWorkbook("x.xlsx", (sheet,)))
    found = {(p.source, p.location) for p in error.value.problems}
    assert found == {
        ("custkit.toml", "tagging.disabled"),
        ("custkit.toml", "tagging.rules.A.conditions.0"),
        ("custkit.toml", "tagging.rules.B.conditions.0"),
        ("custkit.toml", "tagging.rules.C.match"),
        ("custkit.toml", "tagging.rules.C.conditions.0.matches"),
        ("sheet '设置' row 1", "tagging.rules.D.conditions.0"),
    }


def test_rules_from_the_settings_sheet_load() -> None:
    sheet = RawSheet(
        "Settings",
        [
            ["tagging.rules.VIP", '["累计消费 >= 50000", "地区 in 北京, 上海"]'],
            ["tagging.rules.Photography", "[兴趣爱好] contains 摄影"],
            ["tagging.disabled", "dormant, birthday_this_month"],
        ],
    )
    settings = load_settings(raw=RawWorkbook("x.xlsx", (sheet,))).tagging
    assert settings.disabled == ("dormant", "birthday_this_month")
    assert settings.rules["VIP"].conditions[1].in_ == ("北京", "上海")
    assert settings.rules["Photography"].conditions[0].column == "兴趣爱好"
