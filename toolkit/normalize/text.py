"""The result type every parser returns, and the text primitives the other parsers build on.

Spreadsheet text arrives with full-width digits typed on a Chinese IME, non-breaking and
zero-width spaces pasted from web pages and chat apps, and traditional characters from Hong
Kong and Taiwan. Everything here is cached by input: a column of a million cells holds far fewer
distinct values, and each distinct value is cleaned once.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from toolkit.table import CellValue

if TYPE_CHECKING:
    import opencc

T = TypeVar("T")
R = TypeVar("R")

CACHE_SIZE = 1 << 17  # distinct values remembered per function (about 30 MB in all when full)
# Longer text is no phone, date, amount or count: refused before any pattern runs, since a
# pattern can backtrack for seconds on a cell of 30,000 spaces. Keys read this much of a cell.
LONGEST_VALUE = 80
LONGEST_KEY_TEXT = 256


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """What a cell means, what is wrong with it, and the value to write when fixing it.

    >>> Parsed(3, "count_format", 3)
    Parsed(value=3, problem='count_format', fix=3)
    """

    value: T | None  # the meaning; None when blank or unusable
    problem: str | None  # a problem code, or None when the cell is fine as written
    fix: CellValue = None  # the canonical value to write with --fix; None when no safe fix


BLANK: Parsed[Any] = Parsed(None, None, None)  # every parser's answer for an empty cell
_MISSING: Any = object()


def per_distinct(function: Callable[[CellValue], R], values: Iterable[CellValue]) -> list[R]:
    """`function` of every value of a column, computed once per distinct value.

    The functions here cache CACHE_SIZE values; a column with more distinct values than that
    would thrash the cache when read in order, while this holds every distinct one for the
    length of the call. 3, 3.0 and True stay apart, as they do in the caches.

    >>> per_distinct(len, ["ab", "ab", "c"])
    [2, 2, 1]
    """
    known: dict[tuple[type, CellValue], R] = {}
    results: list[R] = []
    for value in values:
        key = (type(value), value)
        result = known.get(key, _MISSING)
        if result is _MISSING:
            result = known[key] = function(value)
        results.append(result)
    return results


# Full-width forms U+FF01..U+FF5E are ASCII U+0021..U+007E shifted; the ideographic space and
# full-width currency signs fold too. CJK punctuation (、。「」【】) has no ASCII twin: it stays.
_FOLD_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {
    0x3000: 0x20,
    0xFFE0: 0xA2,
    0xFFE1: 0xA3,
    0xFFE5: 0xA5,
    0xFFE6: 0x20A9,
}
# Only letters and digits: in Chinese prose ，：（） are the right punctuation, not typos.
_FOLD_ALNUM = {
    code: target
    for code, target in _FOLD_WIDTH.items()
    if chr(target).isascii() and chr(target).isalnum()
}

_CJK_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK = f"[{_CJK_CLASS}]"  # one Chinese character, for other modules' patterns
_HAS_CJK = re.compile(CJK)
_SPACE_BETWEEN_CJK = re.compile(f"(?<={CJK})[ ]+(?={CJK})")

_ZERO_WIDTH: dict[int, str | None] = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad")
)
# Every other space-like or control character becomes a plain space (line breaks handled apart).
_ODD_SPACES = (
    "".join(map(chr, [*range(0x00, 0x0A), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x2000, 0x200B)]))
    + "\x7f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
)
_SPACING = _ZERO_WIDTH | dict.fromkeys(map(ord, _ODD_SPACES), " ")
# What cleaning deletes or replaces, and the full-width letters and digits it folds: a text
# holding none of them (and no doubled or end spaces) is clean as written (see screens.py).
SPACING_CHARACTERS = frozenset(map(chr, _SPACING))
FOLD_ALNUM_CHARACTERS = frozenset(map(chr, _FOLD_ALNUM))
_LINE_BREAKS = re.compile(r"\r\n?")
_SPACE_RUN = re.compile(r" {2,}")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    """The OpenCC converter, built on first use (it reads its dictionaries then)."""
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_triggers() -> frozenset[str] | None:
    """Characters without which no t2s dictionary entry can match: a text holding none of
    them is simplified already, and OpenCC (pure Python, ~30 µs a name) is not asked.

    An entry matches only where all its characters are, so one character of each entry is
    enough here: single traditional characters (TSCharacters) whole, and for a phrase that
    holds none of them (有序, 沈默: simplified already, mapped all the same) its last
    character. Read from the converter's own dictionaries; None (no shortcut) when their
    layout is not the one known (a future opencc).
    """
    chains: Any = getattr(_t2s(), "_dict_chain_data", None)
    try:
        entries = [key for group in chains for _, _, table in group for key in table]
    except (TypeError, ValueError):
        return None
    if not entries or not all(isinstance(key, str) and key for key in entries):
        return None
    single = frozenset(key for key in entries if len(key) == 1)
    return single | {key[-1] for key in entries if len(key) > 1 and single.isdisjoint(key)}


def fold_width(text: str) -> str:
    """Full-width ASCII forms and the ideographic space as their half-width twins.

    CJK characters and CJK punctuation without an ASCII twin (、。【】) are left alone.

    >>> fold_width("ＴＥＬ：１３８　（北京）、")
    'TEL:138 (北京)、'
    """
    # Every folded character is outside ASCII, and isascii() reads a flag CPython keeps on
    # the string: most cells skip the translation (a second per million e-mails and phones).
    return text if text.isascii() else text.translate(_FOLD_WIDTH)


def is_chinese(text: str) -> bool:
    """True when the text holds at least one Chinese character.

    >>> is_chinese("Zhang 伟"), is_chinese("Zhang Wei")
    (True, False)
    """
    return _HAS_CJK.search(text) is not None


def to_simplified(text: str) -> str:
    """Traditional Chinese characters as simplified ones (OpenCC t2s); other text unchanged.

    >>> to_simplified("陳偉 字節跳動")
    '陈伟 字节跳动'
    """
    if not is_chinese(text):
        return text
    triggers = _t2s_triggers()
    if triggers is not None and triggers.isdisjoint(text):
        return text
    converter = _t2s()
    # A few t2s mappings chain (薴 -> 苧 -> 苎): convert until nothing changes, so keys are stable.
    for _ in range(3):
        converted: str = converter.convert(text)
        if converted == text:
            break
        text = converted
    return text


def strip_accents(text: str) -> str:
    """Latin letters without their accents: 'José Müller' -> 'Jose Muller'.

    >>> strip_accents("José Müller")
    'Jose Muller'
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


def cell_text(value: CellValue) -> str:
    """A cell's value as text: '' for blanks, 13800138000.0 -> '13800138000'.

    >>> cell_text(None), cell_text(3.0), cell_text(" a ")
    ('', '3', ' a ')
    """
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def words(text: str) -> tuple[str, ...]:
    """The space-separated words of a table written as one string.

    >>> words("先生 女士")
    ('先生', '女士')
    """
    return tuple(text.split())


def remove_cjk_spaces(text: str) -> str:
    """Spaces between two Chinese characters removed: '张 三' -> '张三'.

    >>> remove_cjk_spaces("张 三 John Smith")
    '张三 John Smith'
    """
    return _SPACE_BETWEEN_CJK.sub("", text)


def _tidy_spaces(text: str, *, single_line: bool) -> str:
    """Zero-width characters removed, odd spaces made plain, runs collapsed, ends stripped."""
    text = _LINE_BREAKS.sub("\n", text.translate(_SPACING))
    if single_line:
        text = text.replace("\n", " ")
    # Line breaks inside notes are the writer's layout: keep them, trim spaces around them.
    lines = (_SPACE_RUN.sub(" ", line).strip(" ") for line in text.split("\n"))
    return "\n".join(lines).strip("\n ")


def _clean(text: str, *, single_line: bool) -> tuple[str, str | None]:
    """The cleaned text and the first problem found (spaces before full-width)."""
    spaced = _tidy_spaces(text, single_line=single_line)
    folded = spaced.translate(_FOLD_ALNUM)
    if spaced != text:
        return folded, "text_spaces"
    return folded, "text_fullwidth" if folded != spaced else None


def _non_text(value: CellValue) -> Parsed[str]:
    """Numbers, booleans and dates in a text column are fine as they are."""
    return Parsed(cell_text(value), None, None)


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def clean_text(value: CellValue) -> Parsed[str]:
    """Text with stray, doubled, zero-width and non-breaking spaces and full-width letters fixed.

    Line breaks are kept (notes have layout); spaces around them are trimmed. The problem is
    "text_spaces" when spacing changed, else "text_fullwidth" when full-width letters or
    digits were folded; the fix covers both.

    >>> clean_text(" ＡＢＣ  公司 ")
    Parsed(value='ABC 公司', problem='text_spaces', fix='ABC 公司')
    """
    if not isinstance(value, str):
        return BLANK if value is None else _non_text(value)
    if not value.strip():
        return BLANK
    cleaned, problem = _clean(value, single_line=False)
    return _cleaned(cleaned, problem)


def _cleaned(cleaned: str, problem: str | None) -> Parsed[str]:
    if problem is None:
        return Parsed(cleaned, None, None)
    # Only invisible characters: the fix is an empty cell.
    return Parsed(cleaned or None, problem, cleaned)


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def clean_name(value: CellValue) -> Parsed[str]:
    """A person's name on one line, with no spaces between Chinese characters.

    >>> clean_name("张 三").fix, clean_name("John  Smith").fix
    ('张三', 'John Smith')
    """
    if not isinstance(value, str):
        return BLANK if value is None else _non_text(value)
    if not value.strip():
        return BLANK
    cleaned, problem = _clean(value, single_line=True)
    joined = remove_cjk_spaces(cleaned)
    return _cleaned(joined, "name_spaces" if joined != cleaned else problem)


_CHINESE_DIGITS = dict(zip("〇零○一二两三四五六七八九", "0001223456789", strict=True))
_CHINESE_NUMBER = re.compile("[〇零○一二两三四五六七八九十]+")


def _chinese_number(match: re.Match[str]) -> str:
    run = match.group()
    if "十" not in run:
        return "".join(_CHINESE_DIGITS[c] for c in run)  # 二〇二四 is read digit by digit
    tens, _, units = run.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return run  # not a number below 100: leave it for the caller to reject
    value = int(_CHINESE_DIGITS.get(tens, "1")) * 10 + int(_CHINESE_DIGITS.get(units, "0"))
    return str(value)


def arabic_numerals(text: str) -> str:
    """Chinese numerals below 100 and digit-by-digit years as Arabic digits.

    >>> arabic_numerals("二〇二四年三月二十五日"), arabic_numerals("十二次")
    ('2024年3月25日', '12次')
    """
    return _CHINESE_NUMBER.sub(_chinese_number, text)
