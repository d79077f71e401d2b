"""Candidate pairs: every one-field difference still meets, pair counts stay near-linear."""

from __future__ import annotations

import numpy as np
import pytest

from tests.routines.dedupe.builders import table
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.routines.dedupe.blocking import (
    _union,
    block_pairs,
    candidate_pairs,
    random_pairs,
    row_bits,
)
from toolkit.routines.dedupe.features import extract

HEADER = ("姓名", "手机", "邮箱", "公司", "城市", "生日", "地址")
ORIGINAL = ("张伟华", "13800138000", "zwh@163.com", "华信科技有限公司", "北京", "1990-03-05",
            "北京市朝阳区建国路1号")  # fmt: skip


@pytest.mark.parametrize(
    ("field", "changed"),
    [
        (0, "李明"),  # another name: phone, e-mail, address still meet
        (1, "13900139000"),  # another phone
        (1, "13800138001"),  # a typo in the phone
        (1, None),
        (2, "other@qq.com"),
        (3, None),
        (4, None),
        (5, None),
    ],
)
def test_a_copy_differing_in_one_field_is_a_candidate(field: int, changed: str | None) -> None:
    copy = list(ORIGINAL)
    copy[field] = changed
    candidates = candidate_pairs(extract(table(HEADER, [ORIGINAL, copy])), DedupeSettings())
    assert list(zip(candidates.a.tolist(), candidates.b.tolist(), strict=True)) == [(0, 1)]


def test_a_phone_typo_meets_its_twin_without_any_other_key() -> None:
    rows = [("王芳", "13700137000"), ("王芳", "13700137001"), ("王芳", "13900137000")]
    settings = DedupeSettings()
    candidates = candidate_pairs(extract(table(HEADER, rows)), settings)
    pairs = set(zip(candidates.a.tolist(), candidates.b.tolist(), strict=True))
    assert {(0, 1), (0, 2)} <= pairs


def test_pairs_are_counted_per_key() -> None:
    rows = [ORIGINAL, ORIGINAL, ("李娜", "13700137000")]
    candidates = candidate_pairs(extract(table(HEADER, rows)), DedupeSettings())
    assert candidates.counts["dedupe.pairs.phone"] == 1
    assert candidates.counts["dedupe.pairs.name_city"] == 1
    assert candidates.counts["dedupe.pairs"] == 1


def test_a_huge_block_is_windowed_and_counted() -> None:
    # 400 namesakes 王伟 in 北京: all pairs would be 79,800.
    rows = [("王伟", f"1380013{i:04d}", None, None, "北京") for i in range(400)]
    # skip_blocks_over={}: by default name + city skips a block this big rather than window it
    settings = DedupeSettings(
        blocking=("name_city",), max_block_size=50, window=5, skip_blocks_over={}
    )
    candidates = candidate_pairs(extract(table(HEADER, rows)), settings)
    assert candidates.counts["dedupe.big_blocks.name_city"] == 1
    assert 0 < candidates.counts["dedupe.pairs.name_city"] <= 400 * 4 * 4


@pytest.mark.parametrize(
    ("rows", "codes", "pairs"),
    [
        ([0, 1, 2, 3, 4, 5], [1, 1, 1, 2, 2, -1], [(0, 1), (0, 2), (1, 2), (3, 4)]),
        # rows out of order, and row 3 twice in a block (both its phones): no self-pair
        ([3, 1, 3, 0, 2], [5, 5, 5, 5, 6], [(0, 1), (0, 3), (1, 3)]),
        ([4, 2], [7, 7], [(2, 4)]),
        ([1, 1], [7, 7], []),
    ],
)
def test_block_pairs_small_blocks_give_all_pairs(
    rows: list[int], codes: list[int], pairs: list[tuple[int, int]]
) -> None:
    (a, b), big = block_pairs(np.array(rows), np.array(codes), [], max_block_size=10, window=2)
    assert sorted(zip(a.tolist(), b.tolist(), strict=True)) == pairs
    assert big == 0


def test_random_pairs_never_pair_a_row_with_itself() -> None:
    a, b = random_pairs(50, 500)
    assert (a < b).all() and a.size == 500
    small_a, _ = random_pairs(4, 500)
    assert small_a.size == 6  # every pair of a small table


@pytest.mark.parametrize(
    ("key", "pairs"),
    [
        ("phone", {(0, 1)}),  # 0 and 1 share a phone
        ("email", {(1, 2)}),  # 1 and 2 share an e-mail
        ("name_city", {(0, 1), (0, 2), (1, 2)}),  # all three are 张伟华 in 北京
    ],
)
def test_each_pair_remembers_the_keys_that_found_it(key: str, pairs: set[tuple[int, int]]) -> None:
    rows = [
        ("张伟华", "13800138000", None, None, "北京"),
        ("张伟华", "13800138000", "z@163.com", None, "北京"),
        ("张伟华", "13900139000", "z@163.com", None, "北京"),
    ]
    settings = DedupeSettings(blocking=("phone", "email", "name_city"))
    candidates = candidate_pairs(extract(table(HEADER, rows)), settings)
    found = candidates.of_key(key)
    assert (
        set(zip(candidates.a[found].tolist(), candidates.b[found].tolist(), strict=True)) == pairs
    )


def test_a_key_with_the_same_blocks_as_another_finds_the_same_pairs() -> None:
    # Latin names: pinyin + city puts the rows in the blocks name + city already paired.
    rows = [("John Smith", None, None, None, "Boston")] * 3 + [
        ("Ann Lee", None, None, None, "Boston")
    ]
    settings = DedupeSettings(blocking=("name_city", "pinyin_city"))
    candidates = candidate_pairs(extract(table(HEADER, rows)), settings)
    assert (
        candidates.counts["dedupe.pairs.pinyin_city"]
        == candidates.counts["dedupe.pairs.name_city"]
        == 3
    )
    assert candidates.of_key("pinyin_city").tolist() == candidates.of_key("name_city").tolist()


def test_a_key_with_the_blocks_of_an_earlier_one_finds_the_same_pairs() -> None:
    # Latin names: the pinyin key is the name key, so pinyin + city blocks as name + city.
    rows = [("John Smith", None, None, None, "Boston"),
            ("JOHN SMITH", None, None, None, "Boston"),
            ("Ann Lee", "13700137000", None, None, "Boston"),
            ("Ann Lee", None, None, None, "Boston"),
            ("Ann Lee", "13700137000", None, None, "Austin")]  # fmt: skip
    settings = DedupeSettings(blocking=("phone", "name_city", "pinyin_city"))
    candidates = candidate_pairs(extract(table(HEADER, rows)), settings)
    pairs = zip(candidates.a.tolist(), candidates.b.tolist(), strict=True)
    found = dict(zip(pairs, candidates.keys.tolist(), strict=True))
    assert found == {(0, 1): 0b110, (2, 3): 0b110, (2, 4): 0b001}
    assert candidates.counts["dedupe.pairs.pinyin_city"] == 2
    assert candidates.of_key("pinyin_city").tolist() == candidates.of_key("name_city").tolist()


def _reference_union(found: dict[int, set[tuple[int, int]]]) -> dict[tuple[int, int], int]:
    """Each pair any key found, with the OR of the bits of the keys that found it."""
    union: dict[tuple[int, int], int] = {}
    for bit, pairs in found.items():
        for pair in pairs:
            union[pair] = union.get(pair, 0) | 1 << bit
    return dict(sorted(union.items()))


@pytest.mark.parametrize("slice_size", [1, 2, 3, 7, 1 << 22])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_union_of_keys_is_every_pair_with_its_keys(slice_size: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    shift = 5  # 32 rows
    found = {
        bit: {(int(x), int(y)) for x, y in rng.integers(0, 32, (40, 2)) if x < y}
        for bit in range(int(rng.integers(1, 12)))
    }
    tagged = [
        np.array(sorted(x << shift | y for x, y in pairs), dtype=np.int64) << 4 | bit
        for bit, pairs in found.items()
    ]
    a, b, keys = _union(tagged, shift, slice_size=slice_size)
    assert a.dtype == b.dtype == np.int32
    got = dict(zip(zip(a.tolist(), b.tolist(), strict=True), keys.tolist(), strict=True))
    assert list(got.items()) == list(_reference_union(found).items())


@pytest.mark.parametrize(
    ("size", "bits"), [(1, 1), (2, 1), (3, 2), (1_048_575, 20), (1_048_577, 21), (1 << 29, 29)]
)
def test_row_bits_hold_every_row(size: int, bits: int) -> None:
    assert row_bits(size) == bits
    assert (size - 1) < 1 << row_bits(size)


def test_more_rows_than_pair_codes_hold_are_refused() -> None:
    with pytest.raises(ValueError, match="too many to pair"):
        row_bits((1 << 29) + 1)
