"""Comparison levels, field by field."""

from __future__ import annotations

import numpy as np
import pytest

from tests.routines.dedupe.builders import table
from tests.routines.dedupe.test_weights import bench_data
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.routines.dedupe import compare
from toolkit.routines.dedupe.blocking import candidate_pairs
from toolkit.routines.dedupe.compare import compare_pairs
from toolkit.routines.dedupe.features import extract

HEADER = ("姓名", "手机", "备用电话", "邮箱", "公司", "城市", "生日", "地址")
FIELDS = {"name": 0, "phone": 1, "email": 3, "company": 4, "city": 5, "birthday": 6, "address": 7}


@pytest.mark.parametrize(
    ("field", "first", "second", "level"),
    [
        ("name", "张伟", "張偉", "exact"),
        ("name", "张伟", "章伟", "pinyin"),
        ("name", "张伟", "Zhang Wei", "pinyin"),
        ("name", "Jonathan Smith", "Jonathon Smith", "close"),
        ("name", "陈先生", "陈建国", "surname"),
        ("name", "陈先生", "陈先生", "surname"),  # two titles say only "both are 陈"
        ("name", "陈先生", "李建国", "different"),
        ("name", "张伟", "李娜", "different"),
        ("name", "张伟", None, "missing"),
        ("phone", "13800138000", "+86 138 0013 8000", "exact"),
        ("phone", "13800138000", "13800138001", "typo"),
        ("phone", "13800138000", "13800183000", "typo"),  # two digits swapped
        ("phone", "13800138000", "13912345678", "different"),
        ("phone", None, "13912345678", "missing"),
        ("email", "a@b.cn", "A@B.CN", "exact"),
        ("email", "wangwei@163.com", "wangwei@126.com", "different"),
        ("company", "华信科技有限公司", "华信科技有限责任公司", "exact"),
        ("company", "Acme Trading Co., Ltd.", "Acme Tradin Inc", "close"),
        ("company", "华信科技", "腾讯", "different"),
        ("city", "北京市", "北京", "exact"),
        ("city", "北京", "上海", "different"),
        ("birthday", "1990-03-05", "1990年3月5日", "exact"),
        ("birthday", "1990-03-05", "1990-05-03", "close"),
        ("birthday", "1990-03-05", "1991-03-05", "close"),
        ("birthday", "1990-03-05", "1975-11-20", "different"),
        ("address", "北京市朝阳区建国路1号", "北京 朝阳区建国路１号", "exact"),
        ("address", "北京市朝阳区建国路1号院", "北京市朝阳区建国路1号", "close"),
    ],
)
def test_levels(field: str, first: str | None, second: str | None, level: str) -> None:
    rows: list[list[str | None]] = [[None] * len(HEADER) for _ in range(2)]
    rows[0][FIELDS[field]], rows[1][FIELDS[field]] = first, second
    features = extract(table(HEADER, rows))
    comparison = compare_pairs(features, np.array([0]), np.array([1]), DedupeSettings())
    assert comparison.level_name(field, 0) == level


def test_a_phone_in_phone2_matches_the_other_rows_phone() -> None:
    rows = [("王芳", "13900139000", "13800138000"), ("王芳", "13800138000")]
    features = extract(table(HEADER, rows))
    comparison = compare_pairs(features, np.array([0]), np.array([1]), DedupeSettings())
    assert comparison.level_name("phone", 0) == "exact"
    shared = compare.shared_codes(features, "phone", 0, comparison.a, comparison.b)
    assert shared.tolist() == [features.phone[1]]


def test_fields_not_in_settings_are_not_compared() -> None:
    features = extract(table(HEADER, [("张伟",), ("张伟",)]))
    settings = DedupeSettings(fields=("name", "phone"))
    comparison = compare_pairs(features, np.array([0]), np.array([1]), settings)
    assert set(comparison.levels) == {"name", "phone"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pairs_compared_in_slices_give_the_levels_of_one_go(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = bench_data().generate(lang, 600, population="narrow")
    features = extract(data.table(), default_region="CN" if lang == "zh" else "US")
    settings = DedupeSettings()
    candidates = candidate_pairs(features, settings)
    whole = compare_pairs(features, candidates.a, candidates.b, settings)
    monkeypatch.setattr(compare, "CHUNK", 7)  # slices of 7 pairs, the last one shorter
    sliced = compare_pairs(features, candidates.a, candidates.b, settings)
    assert candidates.a.size > 7 * 3
    for field in settings.fields:
        assert sliced.levels[field].dtype == whole.levels[field].dtype
        assert np.array_equal(sliced.levels[field], whole.levels[field])


@pytest.mark.parametrize(
    ("field", "first", "second", "shared"),
    [
        ("name", ("张伟",), ("張偉",), "张伟"),  # exact: the name key
        ("name", ("张伟",), ("章伟",), "zhangwei"),  # pinyin: the pinyin key
        (
            "phone",
            ("王芳", "13900139000", "13800138000"),
            ("王芳", "13800138000"),
            "+8613800138000",
        ),
        (
            "phone",
            ("王芳", None, "13800138000"),
            ("王芳", "13900139000", "13800138000"),
            "+8613800138000",
        ),
        ("city", ("王芳", None, None, None, None, "北京市"), ("王芳", *[None] * 4, "北京"), "北京"),
    ],
)
def test_shared_codes_name_the_value_a_pair_agrees_on(
    field: str, first: tuple[str | None, ...], second: tuple[str | None, ...], shared: str
) -> None:
    features = extract(table(HEADER, [first, second]))
    comparison = compare_pairs(features, np.array([0]), np.array([1]), DedupeSettings())
    level = int(comparison.levels[field][0])
    source = compare.agreeing_sources(features, field)[level]
    codes = compare.shared_codes(features, field, level, comparison.a, comparison.b)
    assert [source.keys[c] for c in codes.tolist()] == [shared]
