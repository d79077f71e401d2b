"""Bulk screens: every value a screen passes is one its parser finds fine as written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.normalize.strategies import MEANINGFUL, cells
from toolkit.normalize import Parsed, clean_name, clean_text, parse_email, parse_phone
from toolkit.normalize.screens import needs_parsing
from toolkit.normalize.text import FOLD_ALNUM_CHARACTERS, SPACING_CHARACTERS
from toolkit.table import CellValue

PARSERS: dict[str, Callable[[CellValue], Parsed[Any]]] = {
    "id": clean_text,
    "text": clean_text,
    "name": clean_name,
    "phone": parse_phone,
    "email": parse_email,
}
# Text built from what the screens look at: every character cleaning changes, spaces, line
# breaks, digits, e-mail punctuation, letters of both cases and width, Chinese.
SCREEN_ALPHABET = (
    "".join(sorted(SPACING_CHARACTERS | FOLD_ALNUM_CHARACTERS))
    + " \n\r\t01389@.-_+aZzé公司"
    + MEANINGFUL
)
screen_texts = st.one_of(
    st.text(alphabet=SCREEN_ALPHABET, max_size=24),
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.from_regex(r"[a-z0-9._+-]{1,12}@[a-z0-9-]{1,8}\.[a-z]{2,4}", fullmatch=True),
    st.text(max_size=12),
)


@pytest.mark.parametrize("kind", sorted(PARSERS))
@settings(max_examples=400, deadline=None)
@given(values=st.lists(st.one_of(screen_texts, cells), max_size=8))
@example(values=["13800138000", "１３８００１３８０００", "1380013800０", "\u0661" * 11])
@example(values=["li@qq.com", "Li@qq.com", "li@qq", " li@qq.com", "a@b.c" + "a" * 320])
@example(values=["", " ", "a\n", "\na", "a \nb", "a  b", "a\r\nb", "ＡＢＣ", "a\u200bb", 7, None])
@example(values=["张 三", "王伟", "Li Lei", "韩晓洋\n", "Ｌｉ", "a\u3000b", 1.5])
def test_a_passed_value_is_fine_as_written(kind: str, values: list[CellValue]) -> None:
    judged = needs_parsing(kind, values)
    for value in values:
        if value not in judged:
            assert PARSERS[kind](value).problem is None, value


@settings(max_examples=300, deadline=None)
@given(values=st.lists(screen_texts, max_size=8))
@example(values=["a`b", "a `", "x", " y"])  # the separator of the joined search
@example(values=["ab", "a  b", "KH0001", "c\u3000", "d"])
def test_text_screen_passes_exactly_the_clean_texts(values: list[str]) -> None:
    """For text the screen is exact: it sends to clean_text only what cleaning changes (blank
    text of odd spaces included: cleaning empties it)."""
    judged = needs_parsing("text", values)
    for value in values:
        unchanged = value == "" or clean_text(value) == Parsed(value, None, None)
        assert (value not in judged) == unchanged, value


@pytest.mark.parametrize(
    ("kind", "values", "judged"),
    [
        ("phone", ["13800138000", "138-0013-8000", 13800138000], {"138-0013-8000", 13800138000}),
        ("phone", ["１３８００１３８０００"], {"１３８００１３８０００"}),
        ("email", ["wang@163.com", "Wang@163.com", None], {"Wang@163.com", None}),
        ("text", ["北京", "北京 ", "a  b", 3.5, None], {"北京 ", "a  b"}),
        ("id", ["KH0000001", "KH０００1"], {"KH０００1"}),
        ("date", ["2024-01-01", None], {"2024-01-01", None}),
    ],
)
def test_screens(kind: str, values: list[CellValue], judged: set[CellValue]) -> None:
    assert needs_parsing(kind, values) == judged


def test_mobiles_are_screened_only_for_a_mainland_default_region() -> None:
    assert needs_parsing("phone", ["13800138000"], default_region="US") == {"13800138000"}
    assert needs_parsing("phone", ["13800138000"], default_region="cn") == set()
