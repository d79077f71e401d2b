"""Name keys, pinyin keys and surname-only names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import lazy_pinyin

from tests.normalize.strategies import texts
from toolkit.normalize import name_key, name_tokens, pinyin_key, surname_only
from toolkit.normalize.names import SURNAME_PINYIN
from toolkit.table import CellValue


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("张伟", "张伟"),
        ("張偉", "张伟"),
        ("张 伟", "张伟"),
        ("张　伟", "张伟"),
        (" 欧阳 娜娜 ", "欧阳娜娜"),
        ("约翰·史密斯", "约翰史密斯"),
        ("陈先生", "陈先生"),  # kept whole; surname_only says what it is
        ("John Smith", "john smith"),
        ("JOHN  SMITH", "john smith"),
        ("Ｊｏｈｎ Ｓｍｉｔｈ", "john smith"),
        ("Smith, John", "john smith"),
        ("José Müller", "jose muller"),
        ("O'Brien", "obrien"),
        ("Jean-Pierre Dupont", "jean pierre dupont"),
        ("J. R. R. Tolkien", "j r r tolkien"),  # initials kept
        ("张三 John", "张三 john"),
        (None, ""),
        ("", ""),
        (42, "42"),
    ],
)
def test_name_key(written: CellValue, key: str) -> None:
    assert name_key(written) == key


@pytest.mark.parametrize(
    ("left", "right"),
    [("John Smith", "Smith John"), ("Smith, John", "john smith"), ("Wei Zhang", "ZHANG Wei")],
)
def test_name_tokens_ignore_order(left: str, right: str) -> None:
    assert name_tokens(left) == name_tokens(right)


def test_name_tokens_are_sorted_words() -> None:
    assert name_tokens("Tolkien, J. R. R.") == ("j", "r", "r", "tolkien")
    assert name_tokens("张伟") == ("张伟",)
    assert name_tokens(None) == ()


@pytest.mark.parametrize(
    ("written", "surname"),
    [
        ("陈先生", "陈"),
        ("張女士", "张"),
        ("王总", "王"),
        ("李经理", "李"),
        ("李总经理", "李"),
        ("刘小姐", "刘"),
        ("赵老师", "赵"),
        ("欧阳先生", "欧阳"),
        ("司马 女士", "司马"),
        ("Mr. Smith", "smith"),
        ("Mrs Smith", "smith"),
        ("陈伟", None),
        ("张三先生", None),  # a full name with a title is a full name
        ("先生", None),
        ("总经理", None),
        ("John Smith", None),
        ("Mr. John Smith", None),
        (None, None),
        ("", None),
    ],
)
def test_surname_only(written: CellValue, surname: str | None) -> None:
    assert surname_only(written) == surname


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("张伟", "zhangwei"),
        ("章伟", "zhangwei"),  # homophones meet
        ("張偉", "zhangwei"),
        ("张 伟", "zhangwei"),
        ("吕布", "lvbu"),
        ("曾伟", "zengwei"),
        ("单田芳", "shantianfang"),
        ("解晓东", "xiexiaodong"),
        ("仇英", "qiuying"),
        ("区志明", "ouzhiming"),
        ("朴槿惠", "piaojinhui"),
        ("查良镛", "zhaliangyong"),
        ("盖聂", "genie"),
        ("乐嘉", "yuejia"),
        ("尉迟恭", "yuchigong"),
        ("万俟卨", "moqixie"),
        ("长孙无忌", "zhangsunwuji"),
        ("覃海", "qinhai"),
        ("缪杰", "miaojie"),
        ("翟天临", "zhaitianlin"),
        ("欧阳娜娜", "ouyangnana"),
        ("Zhang Wei", "zhangwei"),  # pinyin written out meets the characters
        ("John Smith", "johnsmith"),
        ("", ""),
    ],
)
def test_pinyin_key(written: CellValue, key: str) -> None:
    assert pinyin_key(written) == key


@pytest.mark.parametrize("surname", sorted(SURNAME_PINYIN))
def test_surname_table_lists_only_what_pypinyin_reads_otherwise(surname: str) -> None:
    assert "".join(lazy_pinyin(surname)) != SURNAME_PINYIN[surname]
    assert pinyin_key(surname + "伟") == SURNAME_PINYIN[surname] + "wei"


@pytest.mark.parametrize("surname", ["华", "任", "沈", "曹", "柏", "贾"])
def test_surnames_pypinyin_already_reads_right(surname: str) -> None:
    assert surname not in SURNAME_PINYIN
    assert pinyin_key(surname + "伟").endswith("wei")


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_name_key_is_idempotent(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)


@settings(deadline=None)
@given(name=st.text(alphabet="张王李赵陈刘杨黄周吴伟芳娜敏静丽强磊军洋", min_size=2, max_size=4))
def test_pinyin_key_of_chinese_names_is_lowercase_ascii(name: str) -> None:
    key = pinyin_key(name)
    assert key.isascii() and key.isalpha() and key == key.lower()
    assert pinyin_key(" ".join(name)) == key
