"""Reasons in words, in the run's language."""

# ruff: noqa: E501  (tables of test data read best one record per line)
from __future__ import annotations

import pytest

from tests.routines.dedupe.builders import table
from toolkit.routines.dedupe.explain import explain, written_values
from toolkit.routines.dedupe.find import PairEvidence

ROWS = [
    ("張偉", "13800138000", "华信科技有限公司", "a@b.cn"),
    ("张伟", "138-0013-8000", "华信科技", "c@d.cn"),
]
HEADER = ("姓名", "手机", "公司", "邮箱")


@pytest.mark.parametrize(
    ("levels", "lang", "expected"),
    [
        ((("phone", "exact"), ("name", "pinyin")), "zh", "电话相同；姓名 張偉≈张伟（同音）"),
        ((("phone", "exact"), ("name", "pinyin")), "en", "phone equal; name 張偉≈张伟 (same sound)"),
        ((("name", "exact"),), "en", "name 張偉≈张伟"),
        ((("company", "exact"), ("email", "different")), "zh", "公司 华信科技有限公司≈华信科技；邮箱不同"),
        ((("email", "different"), ("phone", "typo")), "en", "phone one digit apart; email different"),
        ((("birthday", "close"), ("city", "missing")), "zh", "生日相近"),
        ((("name", "surname"),), "zh", "姓名 張偉≈张伟（仅姓氏）"),
    ],
)  # fmt: skip
def test_reasons(levels: tuple[tuple[str, str], ...], lang: str, expected: str) -> None:
    values = written_values(table(HEADER, ROWS))
    assert explain(PairEvidence(0, 1, 0.99, levels), values, lang) == expected  # type: ignore[arg-type]
