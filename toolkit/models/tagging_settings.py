"""Settings of the tag step: tag rules, each a set of conditions on customer fields.

A rule is written as one condition, a list of conditions (all must hold), or a table:

    [tagging.rules]
    "VIP" = ["total_amount >= 50000", "region in 北京, 上海"]
    "大客户" = "累计消费 >= 100000"                  # header aliases work as field names
    "QQ mail" = "email matches (?i)@qq\\.com$"
    "Photography" = "[兴趣爱好] contains 摄影"       # [..]: a column that is no known field
    [tagging.rules.lapsed]
    label = "Lapsed"
    match = "any"
    conditions = [
      {field = "last_purchase_date", older_than_days = 365},
      {field = "purchase_count", at_most = 0},
    ]

Conditions are described in toolkit.models.tag_conditions. In the settings sheet: key
`tagging.rules.VIP`, value `total_amount >= 50000`.
Built-in rules (new customer, high spender, frequent buyer, dormant, complained recently,
birthday this month) apply unless `builtin = false`; `disabled` drops some of them, and a
rule under a built-in's key replaces it. Every problem in every rule is reported at once.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from toolkit.i18n import Text, say
from toolkit.models.section import Section
from toolkit.models.tag_conditions import TagCondition
from toolkit.table import Lang


class TagRule(Section):
    """A tag and when it applies: all (or any) of its conditions hold.

    >>> TagRule.model_validate(["purchase_count >= 5", "region = 北京"]).match
    'all'
    """

    label: str | None = None  # the tag as written; default: the rule's name
    match: Literal["all", "any"] = "all"
    conditions: tuple[TagCondition, ...]

    @field_validator("conditions")
    @classmethod
    def _not_empty(cls, value: tuple[TagCondition, ...]) -> tuple[TagCondition, ...]:
        if not value:
            raise ValueError("a rule needs at least one condition")
        return value

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"conditions": [data]}
        if isinstance(data, list | tuple):
            return {"conditions": list(data)}
        return data


def _builtin(en: str, zh: str, *conditions: str) -> tuple[Text, TagRule]:
    return Text(en, zh), TagRule(conditions=tuple(map(TagCondition.model_validate, conditions)))


BUILTIN_RULES: dict[str, tuple[Text, TagRule]] = {
    "new_customer": _builtin("New customer", "新客户", "signup_date within 90 days"),
    "high_spender": _builtin("High spender", "高消费", "m_score >= 5"),
    "frequent_buyer": _builtin("Frequent buyer", "常客", "purchase_count >= 5"),
    "dormant": _builtin("Dormant", "沉睡", "last_purchase_date older than 180 days"),
    "complained_recently": _builtin(
        "Complained recently", "近期投诉", "last_complaint_date within 90 days"
    ),
    "birthday_this_month": _builtin("Birthday this month", "本月生日", "birthday this month"),
}


class TaggingSettings(Section):
    """Tag rules: the built-in ones (unless switched off) and your own.

    >>> [name for name, _, _ in TaggingSettings(disabled=("dormant",)).active_rules("en")][:2]
    ['new_customer', 'high_spender']
    """

    builtin: bool = True
    disabled: tuple[str, ...] = ()  # built-in rules to leave out
    rules: dict[str, TagRule] = Field(default_factory=dict)
    separator: str | None = None  # between tags in one cell; default "、" in Chinese, ", "

    @field_validator("disabled")
    @classmethod
    def _known_builtins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in BUILTIN_RULES]
        if unknown:
            raise ValueError(f"no built-in rule {unknown}; built-in: {', '.join(BUILTIN_RULES)}")
        return value

    @field_validator("rules")
    @classmethod
    def _named(cls, value: dict[str, TagRule]) -> dict[str, TagRule]:
        if any(not name.strip() for name in value):
            raise ValueError("a tag rule needs a name")
        return value

    def joiner(self, lang: Lang) -> str:
        """What goes between two tags in one cell."""
        if self.separator is not None:
            return self.separator
        return "、" if lang == "zh" else ", "

    def active_rules(self, lang: Lang) -> list[tuple[str, str, TagRule]]:
        """(name, tag as written, rule) of every rule in force, built-in ones first."""
        active: list[tuple[str, str, TagRule]] = []
        if self.builtin:
            for name, (text, rule) in BUILTIN_RULES.items():
                if name not in self.disabled:
                    rule = self.rules.get(name, rule)
                    active.append((name, rule.label or say(text, lang), rule))
        for name, rule in self.rules.items():
            if name not in BUILTIN_RULES or not self.builtin:
                active.append((name, rule.label or name.strip(), rule))
        return active
