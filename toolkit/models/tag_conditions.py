"""Conditions of tag rules: one test on one customer field, written as text or as a table.

Text is `field op value`, op one of = != in "not in" contains matches >= > <= < within
"older than" "this month" "is blank" "is not blank" (also 包含 属于 匹配 为空 不为空 本月):

    累计消费 >= 10000            region in 北京, 上海          email matches (?i)@qq\\.com$
    signup_date within 90 days   birthday this month          [兴趣爱好] contains 摄影

Fields are named by their canonical name or any header alias (累计消费 = total_amount); a
column that is no known field goes in brackets and is looked up by its header at run time.
Each condition is checked when settings load: unknown fields (with a "did you mean"), tests
that do not fit the field's type, empty ranges and broken regular expressions.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from toolkit.fields import FieldType, field_names, field_spec, match_header
from toolkit.models.section import Section

# Fields a rule may name besides the customer sheet's: complaint facts and scores.
DERIVED_FIELDS: dict[str, FieldType] = {
    "complaint_count": "count",
    "open_complaint_count": "count",
    "last_complaint_date": "date",
    "r_score": "count",
    "f_score": "count",
    "m_score": "count",
    "churn_risk": "count",
    "rfm": "text",
    "segment": "text",
    "tier": "text",
    "churn_level": "text",
}
TEXT_OPS = ("equals", "in_", "contains", "matches")
NUMBER_OPS = ("at_least", "above", "at_most", "below")

_OPERATOR = re.compile(
    r"(?:(?<=\s)|^)(?P<word>is not blank|is blank|this month|older than|within|not in|in"
    r"|contains|matches)(?=\s|$)|(?P<symbol>>=|<=|!=|==|=|>|<|不为空|为空|包含|属于|匹配|本月)",
    re.IGNORECASE,
)
_OPERATOR_KEYS = {
    "is not blank": "not_blank",
    "不为空": "not_blank",
    "is blank": "blank",
    "为空": "blank",
    "this month": "this_month",
    "本月": "this_month",
    "older than": "older_than_days",
    "within": "within_days",
    "not in": "not_in",
    "in": "in",
    "属于": "in",
    "contains": "contains",
    "包含": "contains",
    "matches": "matches",
    "匹配": "matches",
    ">=": "at_least",
    "<=": "at_most",
    ">": "above",
    "<": "below",
    "=": "equals",
    "==": "equals",
    "!=": "not_equals",
}
_DAYS = re.compile(r"(?P<days>\d+)\s*(?:days?|d|天)?", re.IGNORECASE)


def field_type(name: str) -> FieldType:
    """The type of a canonical customer field or a derived one.

    >>> field_type("total_amount"), field_type("m_score"), field_type("region")
    ('amount', 'count', 'text')
    """
    if name in DERIVED_FIELDS:
        return DERIVED_FIELDS[name]
    return field_spec("customers", name).type


def parse_condition(text: str) -> dict[str, Any]:
    """A condition written as text, as the fields of a TagCondition.

    >>> parse_condition("累计消费 >= 10000")
    {'field': '累计消费', 'at_least': '10000'}
    >>> parse_condition("[兴趣] contains 摄影")
    {'column': '兴趣', 'contains': ['摄影']}
    """
    text = text.strip()
    subject, rest = _subject(text)
    match = _OPERATOR.search(rest) if subject else _OPERATOR.search(text)
    if match is None:
        raise ValueError(f"no operator in {text!r}; write e.g. 'total_amount >= 10000'")
    if not subject:
        subject, rest = text[: match.start()].strip(), text
    if not subject:
        raise ValueError(f"no field before the operator in {text!r}")
    operator = _OPERATOR_KEYS[(match["word"] or match["symbol"]).lower()]
    value = rest[match.end() :].strip()
    condition: dict[str, Any] = (
        {"column": subject[1:-1]} if subject.startswith("[") else {"field": subject}
    )
    condition.update(_operand(operator, value, text))
    return condition


def _subject(text: str) -> tuple[str, str]:
    if text.startswith("["):
        end = text.find("]")
        if end > 1:
            return text[: end + 1], text[end + 1 :]
    return "", text


def _operand(operator: str, value: str, text: str) -> dict[str, Any]:
    if operator in ("blank", "not_blank", "this_month"):
        if value:
            raise ValueError(f"nothing may follow '{operator.replace('_', ' ')}' in {text!r}")
        return {"blank": operator == "blank"} if operator != "this_month" else {"this_month": True}
    if not value:
        raise ValueError(f"no value after the operator in {text!r}")
    if operator in ("within_days", "older_than_days"):
        days = _DAYS.fullmatch(value)
        if days is None:
            raise ValueError(f"{value!r} is not a number of days in {text!r}; write '90 days'")
        return {operator: int(days["days"])}
    if operator in ("in", "not_in"):
        items = [_unquote(part) for part in value.replace("，", ",").split(",") if part.strip()]
        return {"in": items, "negate": operator == "not_in"}
    if operator in ("equals", "not_equals"):
        return {"equals": _unquote(value), "negate": operator == "not_equals"}
    if operator == "contains":
        return {"contains": [_unquote(value)]}
    return {operator: value if operator == "matches" else _unquote(value)}


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def resolve_field(name: str) -> str:
    """The canonical or derived field a rule names, by name or by any header alias.

    >>> resolve_field("累计消费"), resolve_field("Tier")
    ('total_amount', 'tier')
    """
    folded = name.strip()
    if folded in DERIVED_FIELDS or folded in field_names("customers"):
        return folded
    lowered = folded.casefold().replace(" ", "_")
    if lowered in DERIVED_FIELDS or lowered in field_names("customers"):
        return lowered
    canonical = match_header(folded, "customers")
    if canonical is not None:
        return canonical
    known = [*field_names("customers"), *DERIVED_FIELDS]
    close = difflib.get_close_matches(lowered, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ValueError(
        f"unknown field {name!r}{hint} (a column that is no known field is written in "
        f"brackets: '[{name}] contains ...', or column = {name!r})"
    )


class TagCondition(Section):
    """One test on one field of a customer; numeric bounds and day windows may combine.

    >>> TagCondition.model_validate("purchase_count >= 5").at_least
    5.0
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True)

    field: str | None = None  # canonical/derived field (aliases resolved when loaded)
    column: str | None = None  # a header as written, for a column that is no known field
    equals: str | float | None = None
    in_: tuple[str | float, ...] | None = Field(None, alias="in", min_length=1)
    contains: tuple[str, ...] | None = Field(None, min_length=1)
    matches: str | None = None
    at_least: float | None = None
    above: float | None = None
    at_most: float | None = None
    below: float | None = None
    within_days: int | None = Field(None, ge=0)
    older_than_days: int | None = Field(None, ge=0)
    this_month: bool = False  # the date's month is the run's month, any year (birthdays)
    blank: bool | None = None  # True: the cell is empty; False: it is not
    negate: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            data = parse_condition(data)
        if isinstance(data, dict):
            data = dict(data)
            if isinstance(data.get("contains"), str):
                data["contains"] = [data["contains"]]
            if isinstance(data.get("field"), str):
                data["field"] = resolve_field(data["field"])
        return data

    @field_validator("matches")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as error:
                raise ValueError(f"regular expression {value!r} is invalid: {error}") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> TagCondition:
        problems = _subject_problems(self) + _operator_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def kind(self) -> Literal["text", "number", "date", "blank"]:
        """Which family of test this is."""
        if any(getattr(self, op) is not None for op in NUMBER_OPS):
            return "number"
        if self.within_days is not None or self.older_than_days is not None or self.this_month:
            return "date"
        if self.blank is not None and not any(getattr(self, op) is not None for op in TEXT_OPS):
            return "blank"
        return "text"

    @property
    def subject(self) -> str:
        """The field, or the bracketed column, as written in messages."""
        return self.field or f"[{self.column}]"


def _subject_problems(condition: TagCondition) -> list[str]:
    if (condition.field is None) == (condition.column is None):
        return ["give either field or column"]
    return []


def _operator_problems(condition: TagCondition) -> list[str]:
    text_ops = [op for op in TEXT_OPS if getattr(condition, op) is not None]
    families = sum(
        (
            bool(text_ops),
            any(getattr(condition, op) is not None for op in NUMBER_OPS),
            condition.within_days is not None or condition.older_than_days is not None,
            condition.this_month,
            condition.blank is not None,
        )
    )
    if families == 0:
        return [f"{condition.subject}: no test; use e.g. equals, in, at_least, within_days"]
    if families > 1 or len(text_ops) > 1:
        return [f"{condition.subject}: one kind of test per condition; split it in two"]
    problems = _range_problems(condition)
    if condition.field is not None:
        problems += _type_problems(condition, field_type(condition.field))
    return problems


def _range_problems(condition: TagCondition) -> list[str]:
    lows = [v for v in (condition.at_least, condition.above) if v is not None]
    highs = [v for v in (condition.at_most, condition.below) if v is not None]
    if lows and highs and max(lows) > min(highs):
        return [f"{condition.subject}: the range is empty ({max(lows)} to {min(highs)})"]
    within, older = condition.within_days, condition.older_than_days
    if within is not None and older is not None and older >= within:
        return [f"{condition.subject}: older than {older} days and within {within} is empty"]
    return []


def _type_problems(condition: TagCondition, kind: FieldType) -> list[str]:
    name = condition.subject
    if condition.kind == "number" and kind not in ("amount", "count"):
        return [f"{name} is a {kind} field; numeric bounds need an amount or a count"]
    if condition.kind == "date" and kind != "date":
        return [f"{name} is not a date field; within/older than/this month need a date"]
    if condition.kind == "text" and kind == "date":
        return [f"{name} is a date; use within_days, older_than_days or this_month"]
    if kind in ("amount", "count") and condition.kind == "text":
        values = [condition.equals] if condition.equals is not None else list(condition.in_ or ())
        if condition.contains is not None or condition.matches is not None:
            return [f"{name} is a number; use equals, in, at_least, below..."]
        bad = [v for v in values if not _is_number(v)]
        if bad:
            return [f"{name} is a number; {', '.join(map(repr, bad))} is not"]
    return []


def _is_number(value: object) -> bool:
    try:
        float(str(value))
    except ValueError:
        return False
    return True
