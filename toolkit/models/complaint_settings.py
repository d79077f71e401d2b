"""Settings of the complaints step: category keywords, SLA days, status words, summary shape.

Categories are keys (`product_quality`, `delivery`...). A complaint whose category cell is
empty gets the category whose keywords its description matches most often, marked as
inferred. Every dictionary here is merged over its defaults, so a settings sheet row
`complaints.sla_days.delivery = 2` changes one SLA and keeps the others; a category set to an
empty keyword list (`complaints.keywords.price = []`) is never inferred.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from toolkit.models.section import Section

ComplaintStatus = Literal["received", "investigating", "resolved", "followed_up"]
STATUS_FLOW: tuple[ComplaintStatus, ...] = ("received", "investigating", "resolved", "followed_up")
OTHER = "other"  # the category of a complaint no keyword matches
Days = Annotated[int, Field(ge=1, le=3650)]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


DEFAULT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "product_quality": _words(
        "质量|坏了|损坏|破损|故障|瑕疵|次品|不能用|无法使用|漏水|异味|做工|开裂|失灵|褪色|假货|"
        "quality|broken|defect|defective|damaged|faulty|crack|cracked|malfunction|leak|"
        "leaking|stopped working|fake"
    ),
    "service_quality": _words(
        "服务|态度|客服|不耐烦|敷衍|推诿|无人处理|不专业|售后|"
        "service|rude|attitude|unhelpful|unprofessional|ignored|staff"
    ),
    "price": _words(
        "价格|太贵|收费|多扣|扣款|乱收费|涨价|差价|发票|价钱|"
        "price|expensive|overcharged|charged|billing|invoice|fee|pricing"
    ),
    "communication": _words(
        "沟通|不回复|没回复|联系不上|打不通|没人接|通知|没有告知|说明不清|"
        "communication|reply|no response|unreachable|callback|not informed|no answer|never called"
    ),
    "delivery": _words(
        "物流|快递|发货|配送|送货|延迟|没收到|未收到|丢件|到货|"
        "delivery|shipping|shipment|delayed|late|courier|tracking|not arrived|never arrived|"
        "lost package"
    ),
    OTHER: (),
}

DEFAULT_SLA_DAYS: dict[str, int] = {
    "product_quality": 7,
    "service_quality": 3,
    "price": 5,
    "communication": 3,
    "delivery": 5,
    OTHER: 7,
}

DEFAULT_STATUS_WORDS: dict[ComplaintStatus, tuple[str, ...]] = {
    "received": ("已接收", "接收", "已受理", "受理", "待处理", "新建", "received", "new", "open"),
    "investigating": _words(
        "调查中|处理中|跟进中|核实中|investigating|in progress|processing|pending"
    ),
    "resolved": _words("已解决|已处理|已完成|已结案|解决|resolved|closed|done|fixed"),
    "followed_up": ("已回访", "回访完成", "已回访结案", "followed up", "follow-up done"),
}


class ComplaintSettings(Section):
    """How complaints are categorized, timed and summarized.

    >>> s = ComplaintSettings(sla_days={"delivery": 2})
    >>> s.sla_days["delivery"], s.sla_days["price"], s.sla_for("unheard of")
    (2, 5, 7)
    """

    keywords: dict[str, tuple[str, ...]] = Field(default_factory=lambda: dict(DEFAULT_KEYWORDS))
    sla_days: dict[str, Days] = Field(default_factory=lambda: dict(DEFAULT_SLA_DAYS))
    default_sla_days: int = Field(7, ge=1, le=3650)  # categories without an SLA of their own
    statuses: dict[ComplaintStatus, tuple[str, ...]] = Field(
        default_factory=lambda: dict(DEFAULT_STATUS_WORDS)
    )
    # Upper bounds (days) of the age buckets of open complaints; the last bucket is open-ended.
    age_buckets: tuple[int, ...] = (7, 30, 90)
    repeat_threshold: int = Field(2, ge=2, le=1000)  # complaints that make a repeat complainer
    top_phrases: int = Field(10, ge=0, le=100)
    stop_words: tuple[str, ...] = ()  # added to the built-in English stop words

    @field_validator("keywords", mode="before")
    @classmethod
    def _merge_keywords(cls, value: Any) -> Any:
        return _over_defaults(_word_lists(value), DEFAULT_KEYWORDS)

    @field_validator("sla_days", mode="before")
    @classmethod
    def _merge_sla(cls, value: Any) -> Any:
        return _over_defaults(value, DEFAULT_SLA_DAYS)

    @field_validator("statuses", mode="before")
    @classmethod
    def _merge_statuses(cls, value: Any) -> Any:
        return _over_defaults(_word_lists(value), DEFAULT_STATUS_WORDS)

    @field_validator("age_buckets")
    @classmethod
    def _rising_buckets(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(b <= a for a, b in itertools.pairwise(value)) or value[0] < 1:
            raise ValueError("age_buckets must be rising whole days from 1, e.g. [7, 30, 90]")
        return value

    @model_validator(mode="after")
    def _one_status_per_word(self) -> ComplaintSettings:
        seen: dict[str, str] = {}
        for status, words in self.statuses.items():
            for word in words:
                folded = word.strip().casefold()
                if seen.setdefault(folded, status) != status:
                    raise ValueError(f"status word {word!r} is in both {seen[folded]} and {status}")
        if OTHER not in self.keywords:
            raise ValueError(f"keywords must keep the {OTHER!r} category (it may be empty)")
        return self

    def sla_for(self, category: str) -> int:
        """SLA days of a category key (or of a category written as is)."""
        return self.sla_days.get(category, self.default_sla_days)

    @property
    def categories(self) -> tuple[str, ...]:
        """Category keys in rule order, `other` last."""
        return (*(key for key in self.keywords if key != OTHER), OTHER)


def _over_defaults(value: Any, defaults: dict[Any, Any]) -> Any:
    """A mapping given in settings, laid over the defaults so that unnamed keys keep theirs."""
    if isinstance(value, dict):
        return {**defaults, **value}
    return value


def _word_lists(value: Any) -> Any:
    """Word lists written in a settings-sheet cell as "价格, 太贵" split into words."""
    if not isinstance(value, dict):
        return value
    return {
        key: tuple(w.strip() for w in words.replace("，", ",").split(",") if w.strip())
        if isinstance(words, str)
        else words
        for key, words in value.items()
    }
