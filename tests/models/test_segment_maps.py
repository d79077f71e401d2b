"""Segment maps: the shipped ones are complete partitions; broken ones are refused by cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from toolkit.errors import ConfigError
from toolkit.models.segment_maps import BUILTIN_MAPS, CN8, HIGH, LOW, RF10, Segment, SegmentMap
from toolkit.settings_io import load_settings


@pytest.mark.parametrize("name", sorted(BUILTIN_MAPS))
def test_shipped_maps_put_every_cell_in_exactly_one_segment(name: str) -> None:
    segment_map = BUILTIN_MAPS[name]
    SegmentMap.model_validate(segment_map.model_dump())  # the check runs again from data
    for cell in segment_map.cells():
        covering = [s.key for s in segment_map.segments if _covers(segment_map, s, cell)]
        assert len(covering) == 1, (cell, covering)


def _covers(segment_map: SegmentMap, segment: Segment, cell: tuple[int, int, int]) -> bool:
    words = {"low": LOW, "high": HIGH}
    for levels, level in zip((segment.r, segment.f, segment.m), cell, strict=True):
        if levels is not None and level not in {words.get(str(x), x) for x in levels}:
            return False
    return True


def test_rf10_has_the_ten_common_segments_in_both_languages() -> None:
    assert [s.en for s in RF10.segments] == [
        "Champions",
        "Loyal Customers",
        "Potential Loyalists",
        "New Customers",
        "Promising",
        "Need Attention",
        "About to Sleep",
        "At Risk",
        "Can't Lose",
        "Hibernating",
    ]
    assert RF10.segments[0].zh == "冠军客户" and len(RF10.cells()) == 25 and not RF10.uses_m


def test_cn8_is_the_chinese_eight_class_scheme() -> None:
    assert {s.zh for s in CN8.segments} == {
        "重要价值客户",
        "重要保持客户",
        "重要发展客户",
        "重要挽留客户",
        "一般价值客户",
        "一般保持客户",
        "一般发展客户",
        "一般挽留客户",
    }
    assert CN8.segment_at(HIGH, HIGH, HIGH).zh == "重要价值客户"
    assert CN8.segment_at(LOW, HIGH, HIGH).zh == "重要保持客户"
    assert CN8.segment_at(LOW, LOW, LOW).zh == "一般挽留客户"


@pytest.mark.parametrize(
    ("written", "levels"),
    [
        ("4-5", (4, 5)),
        ("5", (5,)),
        ("1,3", (1, 3)),
        ([4, 5], (4, 5)),
        ("any", None),
        ("高", ("high",)),
        (["low"], ("low",)),
        (3, (3,)),
    ],
)
def test_levels_are_read_from_ranges_lists_and_words(written: object, levels: object) -> None:
    segment = Segment.model_validate({"key": "x", "en": "X", "zh": "X", "r": written})
    assert segment.r == levels


def test_a_broken_map_is_refused_naming_overlapping_and_missing_cells() -> None:
    with pytest.raises(ValidationError) as error:
        SegmentMap(
            segments=(
                Segment(key="top", en="Top", zh="顶级", r="4-5", f="4-5"),  # type: ignore[arg-type]
                Segment(key="recent", en="Recent", zh="近期", r="5"),  # type: ignore[arg-type]
                Segment(key="rest", en="Rest", zh="其他", r="1-3", f="1-4"),  # type: ignore[arg-type]
            )
        )
    message = str(error.value)
    assert "cells in more than one segment: R5F4 (top, recent); R5F5 (top, recent)" in message
    assert "cells in no segment: R1F5, R2F5, R3F5, R4F1, R4F2, R4F3" in message


@pytest.mark.parametrize(
    ("basis", "segments", "problem"),
    [
        ("scores", [{"key": "a", "en": "A", "zh": "A", "r": "high"}], "r must be scores 1-5"),
        ("scores", [{"key": "a", "en": "A", "zh": "A", "f": "0-5"}], "f must be scores 1-5"),
        ("high_low", [{"key": "a", "en": "A", "zh": "A", "m": "5"}], "m must be high or low"),
        (
            "scores",
            [{"key": "a", "en": "A", "zh": "A"}, {"key": "a", "en": "B", "zh": "B"}],
            "segment keys used twice: a",
        ),
        ("scores", [{"key": "a", "en": "A", "zh": "A", "r": "5-4"}], "runs backwards"),
    ],
)
def test_bad_levels_and_keys_are_refused(
    basis: str, segments: list[dict[str, object]], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        SegmentMap.model_validate({"basis": basis, "segments": segments})


def test_a_custom_map_with_m_checks_all_125_cells(tmp_path: Path) -> None:
    config = tmp_path / "custkit.toml"
    config.write_text(
        '[scoring]\nscheme = "custom"\n[scoring.custom_map]\nsegments = [\n'
        '  {key = "big", en = "Big", zh = "大", m = "5"},\n'
        '  {key = "small", en = "Small", zh = "小", m = "1-3"},\n]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as error:
        load_settings(config_file=config)
    [problem] = error.value.problems
    assert problem.source == "custkit.toml" and problem.location == "scoring.custom_map"
    assert "cells in no segment: R1F1M4, R1F2M4" in problem.message
    assert problem.message.count("M4") == 25
