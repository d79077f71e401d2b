"""The word pools: spelled-out traditional characters agree with OpenCC."""

from __future__ import annotations

import pytest

from toolkit import demo_pools as pools


def test_traditional_table_agrees_with_opencc() -> None:
    opencc = pytest.importorskip("opencc")
    convert = opencc.OpenCC("s2t").convert
    assert [(s, t) for s, t in pools.ZH_TRADITIONAL if convert(s) != t] == []


def test_every_name_character_that_opencc_changes_is_in_the_table() -> None:
    opencc = pytest.importorskip("opencc")
    convert = opencc.OpenCC("s2t").convert
    table = dict(pools.ZH_TRADITIONAL)
    chars = "".join(s for s, _, _ in pools.ZH_SURNAMES) + "".join(
        c for c, _ in pools.ZH_GIVEN_MALE + pools.ZH_GIVEN_FEMALE + pools.ZH_GIVEN_NEUTRAL
    )
    assert [c for c in chars if convert(c) != c and c not in table] == []


@pytest.mark.parametrize(
    "pool",
    [pools.ZH_SURNAMES, pools.ZH_GIVEN_MALE + pools.ZH_GIVEN_FEMALE + pools.ZH_GIVEN_NEUTRAL,
     pools.EN_FIRST_MALE + pools.EN_FIRST_FEMALE, pools.EN_LAST, pools.ZH_BRANDS, pools.EN_BRANDS],
)  # fmt: skip
def test_pools_hold_no_repeats(pool: tuple[object, ...]) -> None:
    firsts = [item[0] if isinstance(item, tuple) else item for item in pool]
    assert len(firsts) == len(set(firsts))
