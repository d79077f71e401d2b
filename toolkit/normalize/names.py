"""Matching keys for people's names: folded, simplified, romanized.

Keys are total (any cell value gives a string, "" for blanks) and deterministic, so the
deduplicator can block and compare on them. Two facts from measuring matchers on bilingual
data shape them: pypinyin has no surname readings (曾 is "ceng" to it, "zeng" as a surname),
and names like 陈先生 carry only a surname, so `surname_only` says so instead of letting them
match every 陈.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

from toolkit.normalize.text import (
    CACHE_SIZE,
    CJK,
    LONGEST_KEY_TEXT,
    cell_text,
    fold_width,
    is_chinese,
    remove_cjk_spaces,
    strip_accents,
    to_simplified,
    words,
)
from toolkit.table import CellValue

# Surname readings pypinyin (0.55) gets wrong when the character stands alone. Checked one by
# one: 尉迟 万俟 长孙 (read as a unit), 华 任 沈 曹 柏 贾 are right by default and not listed.
SURNAME_PINYIN: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "召": "shao",
    "折": "she",
    "繁": "po",
    "员": "yun",
    "秘": "bi",
    "种": "chong",
    "隗": "wei",
    "句": "gou",
    "黑": "he",
    "粘": "nian",
    "阚": "kan",
    "能": "nai",
    "都": "du",
    "重": "chong",
    "蕃": "pi",
}
# Two-character surnames, romanized as a unit ("万俟" is moqi, not wanqi).
COMPOUND_SURNAMES = frozenset(
    words(
        "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 万俟 钟离 "
        "端木 澹台 南宫 闻人 西门 呼延 独孤 申屠 太史 公羊 濮阳 淳于 赫连 拓跋 百里 东郭 第五 "
        "左丘 梁丘 司空"
    )
)
# What follows a bare surname in 陈先生, 王总, 李经理: longest first so 总经理 wins over 总.
HONORIFICS = tuple(
    sorted(
        words(
            "先生 女士 小姐 太太 夫人 老师 师傅 总 总经理 总监 经理 主任 主管 老板 董 董事长 博士 "
            "教授 医生 大夫 律师 工 局长 处长 科长 部长 院长 校长 厂长 店长 行长 书记 秘书 阿姨 "
            "叔叔 姐 哥 同学 会计 助理 专员"
        ),
        key=len,
        reverse=True,
    )
)
_SURNAME_WITH_TITLE = re.compile(
    rf"(?P<surname>{'|'.join(sorted(COMPOUND_SURNAMES))}|{CJK})"
    rf"(?:{'|'.join(HONORIFICS)})"
)
_TITLE_ALONE = frozenset(HONORIFICS)  # "总经理" alone is a title, not 总 + 经理
_STARTS_CJK = re.compile(CJK)
_LATIN_TITLE = re.compile(r"(?:mr|mrs|ms|miss|dr|prof|mx) (?P<surname>[^\s]+)")
_APOSTROPHES = re.compile(r"['’‘`]")
_PUNCTUATION = re.compile(r"[\W_]+")
_SURNAME_FIRST = re.compile(r"([^,]+),([^,]+)")


def name_key(value: CellValue) -> str:
    """A name folded for matching: width, traditional, case, accents and punctuation.

    Chinese characters are joined without spaces; Latin words keep their order, and
    "Smith, John" becomes "john smith".

    >>> name_key("張 偉"), name_key("Smith, José"), name_key("ＪＯＨＮ  A. Smith")
    ('张伟', 'jose smith', 'john a smith')
    """
    return _name_key(cell_text(value)[:LONGEST_KEY_TEXT])


@lru_cache(maxsize=CACHE_SIZE)
def _name_key(text: str) -> str:
    text = to_simplified(strip_accents(fold_width(text))).casefold()
    reordered = _SURNAME_FIRST.fullmatch(text)
    if reordered is not None and not is_chinese(text):
        text = f"{reordered.group(2)} {reordered.group(1)}"
    text = _PUNCTUATION.sub(" ", _APOSTROPHES.sub("", text)).strip()
    return remove_cjk_spaces(text)


def name_tokens(value: CellValue) -> tuple[str, ...]:
    """The words of a name key, sorted, for order-insensitive comparison.

    >>> name_tokens("Wei Zhang") == name_tokens("ZHANG Wei")
    True
    """
    return tuple(sorted(name_key(value).split()))


def surname_only(value: CellValue) -> str | None:
    """The surname when a name is only a surname with a title (陈先生, 王总, Mr Smith), else None.

    >>> surname_only("陳先生"), surname_only("欧阳女士"), surname_only("Mr. Smith")
    ('陈', '欧阳', 'smith')
    >>> surname_only("陈伟") is None
    True
    """
    key = name_key(value)
    if key in _TITLE_ALONE:
        return None
    match = _SURNAME_WITH_TITLE.fullmatch(key) or _LATIN_TITLE.fullmatch(key)
    return match.group("surname") if match is not None else None


def pinyin_key(value: CellValue) -> str:
    """The toneless pinyin of a name, without spaces, with surnames read as surnames.

    Homophones meet ("张伟" and "章伟" are both "zhangwei"). A Latin name gives its name key
    without spaces, so a name written in pinyin meets its characters: "Zhang Wei" -> "zhangwei".

    >>> pinyin_key("張偉"), pinyin_key("曾伟"), pinyin_key("Zhang Wei")
    ('zhangwei', 'zengwei', 'zhangwei')
    """
    return _pinyin_key(name_key(value))


@lru_cache(maxsize=CACHE_SIZE)
def _pinyin_key(key: str) -> str:
    text = key.replace(" ", "")
    if not is_chinese(text):
        return text
    surname, given = _split_surname(text)
    reading = SURNAME_PINYIN.get(surname) or _reading(surname)
    return reading + _reading(given).replace(" ", "")


@lru_cache(maxsize=CACHE_SIZE)
def _reading(text: str) -> str:
    """pypinyin's toneless reading, joined. Cached apart from whole names: a million rows
    hold hundreds of thousands of names but far fewer given names (伟 follows every surname),
    and pypinyin took 40 µs a call."""
    return "".join(lazy_pinyin(text))


def _split_surname(text: str) -> tuple[str, str]:
    """The leading surname (one character, or two for a compound one) and the rest."""
    if text[:2] in COMPOUND_SURNAMES:
        return text[:2], text[2:]
    if _STARTS_CJK.match(text):
        return text[:1], text[1:]
    return "", text
