"""Blocks too common to pay for their pairs (`skip_blocks_over`): skipped, counted, and the
duplicates inside them still met under another key."""

from __future__ import annotations

import numpy as np
import pytest

from tests.routines.dedupe.builders import table
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.routines.dedupe.blocking import candidate_pairs, skip_common_blocks
from toolkit.routines.dedupe.features import extract

HEADER = ("姓名", "手机", "邮箱", "公司", "城市")


@pytest.mark.parametrize(
    ("codes", "limit", "kept", "skipped"),
    [
        ([0, 0, 0, 1, 1, -1], 2, [-1, -1, -1, 1, 1, -1], 1),
        ([0, 0, 0, 1, 1, -1], 3, [0, 0, 0, 1, 1, -1], 0),  # a block at the limit stays
        ([0, 0, 0, 1, 1, -1], None, [0, 0, 0, 1, 1, -1], 0),  # no limit for this key
        ([0, 1, 0, 1, 2], 1, [-1, -1, -1, -1, 2], 2),
        ([], 2, [], 0),
    ],
)
def test_blocks_over_the_limit_are_blanked(
    codes: list[int], limit: int | None, kept: list[int], skipped: int
) -> None:
    result, count = skip_common_blocks(np.array(codes, dtype=np.int64), limit)
    assert result.tolist() == kept and count == skipped


def colleagues(count: int) -> list[tuple[str | None, ...]]:
    """`count` staff of one company, all surnamed 王 (one company + initials block)."""
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏"
    return [
        ("王" + given[i], f"1380013{i:04d}", None, "华信科技有限公司", None) for i in range(count)
    ]


@pytest.mark.parametrize(("staff", "limit", "pairs"), [(6, 5, 0), (5, 5, 10), (6, None, 15)])
def test_a_common_company_block_gives_no_pairs_over_its_limit(
    staff: int, limit: int | None, pairs: int
) -> None:
    skips = {} if limit is None else {"company": limit}
    settings = DedupeSettings(blocking=("company",), skip_blocks_over=skips)
    candidates = candidate_pairs(extract(table(HEADER, colleagues(staff))), settings)
    assert candidates.counts["dedupe.pairs.company"] == pairs
    assert candidates.counts.get("dedupe.skipped_blocks.company", 0) == (pairs == 0)


def test_a_duplicate_in_a_skipped_block_still_meets_its_twin_by_phone() -> None:
    rows = colleagues(8)
    rows.append(("王伟", "138 0013 0000", None, "华信科技", None))  # row 0 again
    settings = DedupeSettings(blocking=("phone", "company"), skip_blocks_over={"company": 5})
    candidates = candidate_pairs(extract(table(HEADER, rows)), settings)
    assert list(zip(candidates.a.tolist(), candidates.b.tolist(), strict=True)) == [(0, 8)]
    assert candidates.counts["dedupe.skipped_blocks.company"] == 1


def test_the_default_limits_leave_a_small_table_all_its_pairs() -> None:
    rows = colleagues(12)
    skipping = candidate_pairs(extract(table(HEADER, rows)), DedupeSettings())
    keeping = candidate_pairs(extract(table(HEADER, rows)), DedupeSettings(skip_blocks_over={}))
    assert skipping.counts["dedupe.pairs"] == keeping.counts["dedupe.pairs"] == 66


def test_by_default_a_crowd_of_namesakes_in_one_city_gives_no_name_city_pairs() -> None:
    # 400 namesakes 王伟 in 北京 would make 79,800 pairs, or a window of them: neither pays.
    rows = [("王伟", f"1380013{i:04d}", None, None, "北京") for i in range(400)]
    settings = DedupeSettings(blocking=("phone", "name_city"))
    candidates = candidate_pairs(extract(table(HEADER, rows)), settings)
    assert candidates.counts["dedupe.pairs.name_city"] == candidates.counts["dedupe.pairs"] == 0
    assert candidates.counts["dedupe.skipped_blocks.name_city"] == 1
