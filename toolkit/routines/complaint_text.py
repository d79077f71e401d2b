"""What complaint text says: its category, its status, and the phrases that keep coming back.

Keyword rules come from settings (`[complaints.keywords]`), Chinese and English side by side.
Chinese keywords match as substrings (Chinese has no spaces between words); English ones match
whole words, so "late" does not fire inside "translate". Recurring phrases are counted once per
complaint: Chinese as known keywords plus character bigrams, English as words minus stop words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from toolkit.i18n import Text, say
from toolkit.models.complaint_settings import OTHER, ComplaintStatus
from toolkit.normalize.text import CJK, fold_width, is_chinese, to_simplified
from toolkit.table import Lang

CATEGORY_LABELS: dict[str, Text] = {
    "product_quality": Text("Product quality", "产品质量"),
    "service_quality": Text("Service quality", "服务质量"),
    "price": Text("Price", "价格"),
    "communication": Text("Communication", "沟通"),
    "delivery": Text("Delivery", "物流配送"),
    OTHER: Text("Other", "其他"),
}
INFERRED = Text("{category} (inferred)", "{category}（推断）")

STATUS_LABELS: dict[ComplaintStatus, Text] = {
    "received": Text("Received", "已接收"),
    "investigating": Text("Investigating", "调查中"),
    "resolved": Text("Resolved", "已解决"),
    "followed_up": Text("Followed up", "已回访"),
}

# Words that carry no complaint topic. Kept short on purpose: settings add more.
_STOP = """a about after again all am an and any are as at be been before being but by can could did
    do does doing for from had has have having he her here him his how i if in into is it its
    just me more most my no nor not now of off on once only or our out over same she should so
    some still such than that the their them then there these they this those through to too
    under until up very was we were what when where which while who why will with would you
    your yet also get got one two three again every very really please customer"""
ENGLISH_STOP_WORDS = frozenset(_STOP.split())
# Characters that make a Chinese bigram grammar rather than topic (的问, 了一, 我们).
CHINESE_STOP_CHARS = frozenset("的了是在我你他她它们这那有和就也都很不个一把被给对说还吗呢吧啊")

_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
_CJK_RUN = re.compile(f"{CJK}+")


def category_label(category: str, lang: Lang, *, inferred: bool = False) -> str:
    """The label of a category key (a custom category is shown as written).

    >>> category_label("product_quality", "zh", inferred=True)
    '产品质量（推断）'
    >>> category_label("Packaging", "en")
    'Packaging'
    """
    text = CATEGORY_LABELS.get(category)
    name = say(text, lang) if text else category
    return say(INFERRED, lang, category=name) if inferred else name


def status_label(status: ComplaintStatus, lang: Lang) -> str:
    """The label of a status in the flow.

    >>> status_label("followed_up", "zh")
    '已回访'
    """
    return say(STATUS_LABELS[status], lang)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Text folded for keyword matching: width, traditional characters, case, outer spaces.

    >>> fold(" ＱＵＡＬＩＴＹ 質量 ")
    'quality 质量'
    """
    return to_simplified(fold_width(text)).casefold().strip()


def infer_category(text: str, keywords: Mapping[str, Sequence[str]]) -> str | None:
    """The category whose keywords the text matches most (ties: the earlier rule), or None.

    >>> rules = {"delivery": ("快递", "late"), "price": ("太贵",)}
    >>> infer_category("快递太慢，而且太贵，快递员态度差", rules)
    'delivery'
    >>> infer_category("It arrived late", rules), infer_category("no idea", rules)
    ('delivery', None)
    """
    folded = fold(text)
    if not folded:
        return None
    best, best_hits = None, 0
    for category, words in keywords.items():
        hits = sum(1 for word in words if _matches(folded, fold(word)))
        if hits > best_hits:
            best, best_hits = category, hits
    return best


def recorded_category(text: str, keywords: Mapping[str, Sequence[str]]) -> str:
    """The category key a written category names: by label, key or keywords; else as written.

    >>> rules = {"product_quality": ("质量",), "other": ()}
    >>> recorded_category("产品质量", rules), recorded_category("质量问题", rules)
    ('product_quality', 'product_quality')
    >>> recorded_category("Other", rules), recorded_category("包装", rules)
    ('other', '包装')
    """
    folded = fold(text)
    by_label = _label_index(tuple(keywords))
    if folded in by_label:
        return by_label[folded]
    return infer_category(text, keywords) or " ".join(text.split())


def match_status(
    text: str, words: Mapping[ComplaintStatus, Sequence[str]]
) -> ComplaintStatus | None:
    """The status a status cell names (by its words or labels), or None when unknown.

    >>> match_status(" 已回访 ", {}), match_status("WIP", {"investigating": ["wip"]})
    ('followed_up', 'investigating')
    >>> match_status("挂起", {}) is None
    True
    """
    folded = fold(text)
    for status, label in STATUS_LABELS.items():
        if folded in (label.en.casefold(), label.zh):
            return status
    for status, status_words in words.items():
        if folded in {fold(word) for word in status_words}:
            return status
    return None


def top_phrases(
    texts: Iterable[str],
    *,
    keywords: Iterable[str],
    stop_words: Iterable[str] = (),
    limit: int = 10,
) -> list[tuple[str, int]]:
    """Phrases found in at least two texts, with how many texts hold each, most frequent first.

    A bigram inside a known keyword that is listed as often is left out ("质量" under "产品质量").

    >>> top_phrases(["屏幕坏了", "屏幕又坏了", "The screen cracked", "screen cracked again"],
    ...             keywords=["坏了"])
    [('cracked', 2), ('screen', 2), ('坏了', 2), ('屏幕', 2)]
    """
    known = tuple(k for k in (fold(word) for word in keywords) if is_chinese(k))
    stops = ENGLISH_STOP_WORDS | {fold(word) for word in stop_words}
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_phrases_of(fold(text), known, stops))
    recurring = {phrase: n for phrase, n in counts.items() if n >= 2}
    kept = [
        (phrase, n)
        for phrase, n in recurring.items()
        if not any(phrase != k and phrase in k and recurring.get(k, 0) >= n for k in known)
    ]
    kept.sort(key=lambda item: (-item[1], -len(item[0]), item[0]))
    return kept[:limit]


def _phrases_of(folded: str, known: Sequence[str], stops: frozenset[str]) -> set[str]:
    """The distinct phrases of one text (a phrase counts once per complaint)."""
    phrases = {word for word in _WORD.findall(folded) if len(word) > 2 and word not in stops}
    phrases.update(k for k in known if k in folded)
    for run in _CJK_RUN.findall(folded):
        phrases.update(
            run[i : i + 2]
            for i in range(len(run) - 1)
            if not (CHINESE_STOP_CHARS & set(run[i : i + 2]))
        )
    return phrases


def _matches(folded_text: str, folded_word: str) -> bool:
    if not folded_word:
        return False
    if is_chinese(folded_word):
        return folded_word in folded_text
    return _word_pattern(folded_word).search(folded_text) is not None


@lru_cache(maxsize=4096)
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])")


@lru_cache(maxsize=64)
def _label_index(categories: tuple[str, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for key in categories:
        index[key.casefold()] = key
        index[key.replace("_", " ").casefold()] = key
        label = CATEGORY_LABELS.get(key)
        if label:
            index[label.en.casefold()] = key
            index[label.zh] = key
    return index
