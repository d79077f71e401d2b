"""Categories, statuses and recurring phrases read from complaint text."""

from __future__ import annotations

import pytest

from toolkit.models.complaint_settings import DEFAULT_KEYWORDS, DEFAULT_STATUS_WORDS
from toolkit.routines.complaint_text import (
    category_label,
    infer_category,
    match_status,
    recorded_category,
    top_phrases,
)


@pytest.mark.parametrize(
    "description, expected",
    [
        ("收到的杯子有裂缝，质量太差", "product_quality"),
        ("客服态度恶劣，敷衍了事", "service_quality"),
        ("价格比上次贵，乱收费", "price"),
        ("打了三次电话没人接，也不回复", "communication"),
        ("快递延迟一周才到货", "delivery"),
        ("The parcel was delayed and the courier lost it", "delivery"),
        ("Item arrived broken, poor quality", "product_quality"),
        ("I was overcharged on my invoice", "price"),
        ("Nobody gave a reply to my emails", "communication"),
        ("The staff were rude", "service_quality"),
        ("please translate the manual", None),  # "late" is not a word here
        ("", None),
        ("一切都好", None),
        ("質量問題，東西壞了", "product_quality"),  # traditional characters
    ],
)
def test_default_keywords_infer_the_category(description: str, expected: str | None) -> None:
    assert infer_category(description, DEFAULT_KEYWORDS) == expected


@pytest.mark.parametrize(
    "written, expected",
    [
        ("产品质量", "product_quality"),
        ("Product quality", "product_quality"),
        ("product_quality", "product_quality"),
        ("物流配送", "delivery"),
        ("快递问题", "delivery"),
        ("其他", "other"),
        ("包装  设计", "包装 设计"),  # a custom category stays as written
    ],
)
def test_recorded_category(written: str, expected: str) -> None:
    assert recorded_category(written, DEFAULT_KEYWORDS) == expected


@pytest.mark.parametrize(
    "written, expected",
    [
        ("已接收", "received"),
        ("调查中", "investigating"),
        ("已解决", "resolved"),
        ("已回访", "followed_up"),
        ("Followed up", "followed_up"),
        ("IN PROGRESS", "investigating"),
        ("处理中", "investigating"),
        ("closed", "resolved"),
        ("挂起", None),
        ("?", None),
    ],
)
def test_status_words(written: str, expected: str | None) -> None:
    assert match_status(written, DEFAULT_STATUS_WORDS) == expected


@pytest.mark.parametrize(
    "category, lang, inferred, expected",
    [
        ("product_quality", "zh", True, "产品质量（推断）"),
        ("product_quality", "en", True, "Product quality (inferred)"),
        ("delivery", "zh", False, "物流配送"),
        ("包装", "en", True, "包装 (inferred)"),
    ],
)
def test_category_labels(category: str, lang: str, inferred: bool, expected: str) -> None:
    assert category_label(category, lang, inferred=inferred) == expected  # type: ignore[arg-type]


def test_phrases_count_each_complaint_once_and_need_two() -> None:
    texts = [
        "快递太慢，快递员态度差",
        "快递又慢了",
        "The delivery was late, late, late",
        "Late delivery again",
        "unique words here",
    ]
    phrases = dict(top_phrases(texts, keywords=DEFAULT_KEYWORDS["delivery"], limit=20))
    assert phrases == {"delivery": 2, "late": 2, "快递": 2}


def test_bigram_inside_a_keyword_listed_as_often_is_dropped() -> None:
    texts = ["产品质量不好", "产品质量差", "质量还行"]
    phrases = dict(top_phrases(texts, keywords=["产品质量"], limit=20))
    assert phrases == {"质量": 3, "产品质量": 2}  # 产品 and 品质 sit inside 产品质量 (2 each)


def test_extra_stop_words_and_limit() -> None:
    texts = ["order order shipping", "order shipping"]
    assert top_phrases(texts, keywords=[], stop_words=["order"], limit=5) == [("shipping", 2)]
    assert top_phrases(texts, keywords=[], limit=1) == [("shipping", 2)]
