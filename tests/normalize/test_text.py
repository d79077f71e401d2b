"""Width folding, spaces, names and Chinese detection."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.normalize.strategies import texts
from toolkit.normalize import Parsed, clean_name, clean_text, fold_width, is_chinese
from toolkit.normalize.text import _t2s, _t2s_triggers, arabic_numerals, cell_text, to_simplified
from toolkit.table import CellValue


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("１３８００１３８０００", "13800138000"),
        ("ＡＢＣ ａｂｃ", "ABC abc"),
        ("（北京）", "(北京)"),
        ("ｊｏｈｎ＠ｑｑ．ｃｏｍ", "john@qq.com"),
        ("张　三", "张 三"),  # ideographic space
        ("￥１，２３４", "¥1,234"),
        ("、。「」【】〇", "、。「」【】〇"),  # CJK punctuation has no ASCII twin
        ("張偉", "張偉"),  # characters are not touched
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold_width(written: str, folded: str) -> None:
    assert fold_width(written) == folded


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Acme", Parsed("Acme", None, None)),
        ("  Acme ", Parsed("Acme", "text_spaces", "Acme")),
        ("Acme  Trading", Parsed("Acme Trading", "text_spaces", "Acme Trading")),
        ("Acme\u00a0Trading", Parsed("Acme Trading", "text_spaces", "Acme Trading")),
        ("Ac\u200bme", Parsed("Acme", "text_spaces", "Acme")),
        ("\ufeffAcme", Parsed("Acme", "text_spaces", "Acme")),
        ("Acme\tTrading", Parsed("Acme Trading", "text_spaces", "Acme Trading")),
        ("科技　公司", Parsed("科技 公司", "text_spaces", "科技 公司")),
        ("ＡＢＣ公司", Parsed("ABC公司", "text_fullwidth", "ABC公司")),
        ("２号楼", Parsed("2号楼", "text_fullwidth", "2号楼")),
        (" ＡＢＣ ", Parsed("ABC", "text_spaces", "ABC")),  # spaces are named first
        (
            "中文，标点（）：",
            Parsed("中文，标点（）：", None, None),
        ),  # Chinese punctuation is right
        ("line one\nline two", Parsed("line one\nline two", None, None)),
        (
            "line one  \r\n  line two",
            Parsed("line one\nline two", "text_spaces", "line one\nline two"),
        ),
        ("\u200b", Parsed(None, "text_spaces", "")),  # only invisible characters: empty the cell
        (12, Parsed("12", None, None)),
        (3.0, Parsed("3", None, None)),
        (date(2024, 3, 5), Parsed("2024-03-05", None, None)),
    ],
)
def test_clean_text(value: CellValue, expected: Parsed[str]) -> None:
    assert clean_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三", Parsed("张三", None, None)),
        ("张 三", Parsed("张三", "name_spaces", "张三")),
        ("张　三", Parsed("张三", "name_spaces", "张三")),
        (" 张 三 ", Parsed("张三", "name_spaces", "张三")),
        ("欧阳 娜娜", Parsed("欧阳娜娜", "name_spaces", "欧阳娜娜")),
        ("John Smith", Parsed("John Smith", None, None)),
        ("John  Smith", Parsed("John Smith", "text_spaces", "John Smith")),
        ("张三 John", Parsed("张三 John", None, None)),  # space between scripts is kept
        ("张三\nJohn", Parsed("张三 John", "text_spaces", "张三 John")),  # names are one line
        ("Ｊｏｈｎ", Parsed("John", "text_fullwidth", "John")),
    ],
)
def test_clean_name(value: CellValue, expected: Parsed[str]) -> None:
    assert clean_name(value) == expected


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        ("张伟", True),
        ("Zhang 伟", True),
        ("〇", True),
        ("𠀋", True),
        ("Zhang Wei", False),
        ("、。", False),
        ("", False),
        ("１２３", False),
    ],
)
def test_is_chinese(text: str, chinese: bool) -> None:
    assert is_chinese(text) is chinese


@pytest.mark.parametrize(
    ("text", "simplified"),
    [
        ("張偉", "张伟"),
        ("陳先生", "陈先生"),
        ("廣東省", "广东省"),
        ("张伟", "张伟"),
        ("薴", "苎"),  # t2s chains 薴 -> 苧 -> 苎: converted to the end
        ("Zhang", "Zhang"),
    ],
)
def test_to_simplified(text: str, simplified: str) -> None:
    assert to_simplified(text) == simplified


@pytest.mark.parametrize(
    ("text", "arabic"),
    [
        ("二〇二四年", "2024年"),
        ("二零二四", "2024"),
        ("十", "10"),
        ("十二", "12"),
        ("二十", "20"),
        ("三十一", "31"),
        ("两次", "2次"),
        ("十十", "十十"),
        ("一百", "1百"),
    ],
)
def test_arabic_numerals(text: str, arabic: str) -> None:
    assert arabic_numerals(text) == arabic


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", ""),
        (13800138000.0, "13800138000"),
        (2.5, "2.5"),
        (float("nan"), "nan"),
        (7, "7"),
        (True, "True"),
    ],
)
def test_cell_text(value: CellValue, text: str) -> None:
    assert cell_text(value) == text


@settings(max_examples=300)
@given(text=texts)
def test_fold_width_is_idempotent_and_keeps_length(text: str) -> None:
    assert fold_width(fold_width(text)) == fold_width(text)
    assert len(fold_width(text)) == len(text)


@settings(max_examples=300)
@given(text=texts)
def test_cleaned_text_has_no_stray_spaces(text: str) -> None:
    cleaned = clean_text(text).value
    if cleaned is not None:
        assert cleaned == cleaned.strip()
        assert "  " not in cleaned
        assert "\u200b" not in cleaned and "\u00a0" not in cleaned


@given(text=st.text(alphabet="张王李赵 陈 欧阳", min_size=1))
def test_clean_name_leaves_no_space_between_chinese_characters(text: str) -> None:
    cleaned = clean_name(text).value
    assert cleaned is None or " " not in cleaned


def _opencc_t2s(text: str) -> str:
    """to_simplified as it was before its shortcut: OpenCC on every Chinese text."""
    converter = _t2s()
    for _ in range(3):
        converted: str = converter.convert(text)
        if converted == text:
            break
        text = converted
    return text


def _dictionary_entries() -> list[str]:
    return [key for group in _t2s()._dict_chain_data for _, _, table in group for key in table]


def test_the_t2s_shortcut_reads_the_dictionaries() -> None:
    triggers = _t2s_triggers()
    assert triggers is not None and "陳" in triggers and "陈" not in triggers
    assert {"序", "默"} <= triggers  # phrases of simplified characters that t2s maps anyway


@pytest.mark.parametrize(("before", "after"), [("", ""), ("王", "伟"), ("北京市", "路1号")])
def test_to_simplified_agrees_with_opencc_on_each_entry(before: str, after: str) -> None:
    for entry in _dictionary_entries():
        text = f"{before}{entry}{after}"
        assert to_simplified(text) == _opencc_t2s(text), text


@settings(max_examples=500)
@given(text=st.one_of(texts, st.text(alphabet="张王李陳偉沈默有序船东廣华國 1-", max_size=12)))
def test_to_simplified_agrees_with_opencc(text: str) -> None:
    assert to_simplified(text) == (_opencc_t2s(text) if is_chinese(text) else text)
