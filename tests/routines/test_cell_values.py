"""Cells read as text and dates by follow-ups and complaints."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.routines.cell_values import text_of, texts_of
from toolkit.table import CellValue

cells = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.text(alphabet="KH0１ 　\t\n张三", max_size=6),
    st.integers(-3, 3),
    st.floats(allow_nan=False, min_value=-3, max_value=3),
    st.booleans(),
)


@pytest.mark.parametrize(
    ("values", "texts"),
    [
        (["KH01", "KH01"], ["KH01", "KH01"]),
        (
            ["韩晓洋", " 韩 晓洋 ", "James  Smith", "\u3000"],
            ["韩晓洋", "韩 晓洋", "James Smith", ""],
        ),
        ([1, 1.0, True, "1", None], ["1", "1", "True", "1", ""]),
        ([], []),
    ],
)
def test_texts_of(values: list[CellValue], texts: list[str]) -> None:
    assert texts_of(values) == texts


@given(st.lists(cells, max_size=10))
def test_texts_of_reads_each_cell_as_text_of(values: list[CellValue]) -> None:
    assert texts_of(values) == [text_of(v) for v in values]


@given(st.lists(st.text(max_size=4), max_size=10))
def test_texts_of_a_text_column_reads_each_cell_as_text_of(values: list[CellValue]) -> None:
    assert texts_of(values) == [text_of(v) for v in values]
