"""Hypothesis strategies shared by the normalizer tests: any cell value, and likely-looking text."""

from __future__ import annotations

from hypothesis import strategies as st

from toolkit.table import CellValue

# Characters the parsers give meaning to, so random text reaches past the first check.
MEANINGFUL = (
    "0123456789０１２３４５６７８９+-()（）./:@ 　\u00a0\u200b,，。、年月日号转ext#"
    "¥￥$元万千亿RMBmarchMAYabcz张王陈先生女士男女未知有限公司（北京）省市区"
    "〇一二三十曾單"
)

texts = st.one_of(st.text(), st.text(alphabet=MEANINGFUL, max_size=30))

cells: st.SearchStrategy[CellValue] = st.one_of(
    st.none(),
    texts,
    st.integers(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
