"""Segment maps: which RFM cell belongs to which customer segment, checked to be a partition.

A map names segments by ranges of R, F and (optionally) M. On the "scores" basis the levels are
the RFM scores 1-5; on the "high_low" basis each of R, F, M is only "low" or "high" against a
split (mean, median or a quantile), as in the Chinese 8-class scheme. Every cell of the grid
(25 cells for R×F, 125 for R×F×M, 8 for high/low) must land in exactly one segment: a map
with overlapping or missing cells is refused when settings load, naming the cells.

In custkit.toml:

    [scoring]
    scheme = "custom"
    [scoring.segment_map]
    basis = "scores"
    segments = [
      {key = "best", en = "Best", zh = "最佳", r = "4-5", f = "4-5"},
      {key = "rest", en = "Others", zh = "其他", r = "1-3"},
      {key = "new", en = "New", zh = "新客", r = "4-5", f = "1-3"},
    ]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Literal

from pydantic import Field, field_validator, model_validator

from toolkit.models.section import Section

Basis = Literal["scores", "high_low"]
Dimension = Literal["r", "f", "m"]
DIMENSIONS: tuple[Dimension, ...] = ("r", "f", "m")
LOW, HIGH = 1, 2  # levels of the high_low basis
_WORDS = {"low": "low", "high": "high", "低": "low", "高": "high"}
_WORD_LEVELS = {"low": LOW, "high": HIGH}
_ANY = {"any", "*", "all", "1-5", "任意", "全部"}


def _parse_levels(value: object) -> tuple[int | str, ...] | None:
    """Levels from "4-5", "5", "1,3", [4, 5], "high" or "any" (None: every level)."""
    if value is None:
        return None
    items = list(value) if isinstance(value, list | tuple) else [value]
    levels: set[int | str] = set()
    for item in items:
        text = str(item).strip().casefold().replace("，", ",")
        if text in _ANY and len(items) == 1:
            return None
        for part in filter(None, (p.strip() for p in text.split(","))):
            levels.update(_parse_part(part))
    return tuple(sorted(levels, key=str))


def _parse_part(part: str) -> list[int | str]:
    if part in _WORDS:
        return [_WORDS[part]]
    low, _, high = part.partition("-")
    try:
        first, last = int(low), int(high or low)
    except ValueError:
        raise ValueError(f"level {part!r} is not a score like 5 or 4-5, nor high/low") from None
    if first > last:
        raise ValueError(f"range {part!r} runs backwards; write {last}-{first}")
    return list(range(first, last + 1))


class Segment(Section):
    """One segment: a stable key, its names in English and Chinese, and the cells it takes.

    >>> Segment(key="champions", en="Champions", zh="冠军客户", r="5", f="4-5").f
    (4, 5)
    """

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    r: tuple[int | str, ...] | None = None  # None: any level
    f: tuple[int | str, ...] | None = None
    m: tuple[int | str, ...] | None = None

    @field_validator("r", "f", "m", mode="before")
    @classmethod
    def _levels(cls, value: object) -> tuple[int | str, ...] | None:
        return _parse_levels(value)

    def label(self, lang: str) -> str:
        """The segment's name in `lang` ("en" or "zh")."""
        return self.zh if lang == "zh" else self.en


class SegmentMap(Section):
    """Segments that split the R×F (or R×F×M) grid into a complete partition.

    >>> RF10.segment_at(5, 5, 1).en, len(RF10.cells())
    ('Champions', 25)
    """

    basis: Basis = "scores"
    segments: tuple[Segment, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete_partition(self) -> SegmentMap:
        problems = self._level_problems()
        keys = [s.key for s in self.segments]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            problems.append(f"segment keys used twice: {', '.join(duplicates)}")
        if not problems:
            problems.extend(self._partition_problems())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def levels(self) -> tuple[int, ...]:
        """The levels of each dimension: 1-5 for scores, LOW and HIGH for high_low."""
        return (1, 2, 3, 4, 5) if self.basis == "scores" else (LOW, HIGH)

    @property
    def uses_m(self) -> bool:
        """Whether any segment names M levels (else M is ignored: an R×F map)."""
        return any(s.m is not None for s in self.segments)

    def cells(self) -> list[tuple[int, int, int]]:
        """Every (r, f, m) cell of the grid; m is 0 when the map ignores M."""
        m_levels = self.levels if self.uses_m else (0,)
        return list(itertools.product(self.levels, self.levels, m_levels))

    def segment_at(self, r: int, f: int, m: int) -> Segment:
        """The segment of one cell (the map is a partition, so there is exactly one)."""
        return next(self._covering(r, f, m))

    def cell_name(self, r: int, f: int, m: int) -> str:
        """A cell as people read it: "R5F4", "R5F4M2", or "R high, F low, M high"."""
        if self.basis == "high_low":
            word = {LOW: "low", HIGH: "high"}
            return f"R {word[r]}, F {word[f]}, M {word[m]}"
        return f"R{r}F{f}" + (f"M{m}" if self.uses_m else "")

    def _covering(self, r: int, f: int, m: int) -> Iterator[Segment]:
        for segment in self.segments:
            wanted = (self._numbers(segment.r), self._numbers(segment.f), self._numbers(segment.m))
            pairs = zip((r, f, m), wanted, strict=True)
            if all(levels is None or level in levels for level, levels in pairs):
                yield segment

    def _numbers(self, levels: tuple[int | str, ...] | None) -> set[int] | None:
        if levels is None:
            return None
        return {_WORD_LEVELS[x] if isinstance(x, str) else x for x in levels}

    def _level_problems(self) -> list[str]:
        problems = []
        for segment, dim in itertools.product(self.segments, DIMENSIONS):
            levels = getattr(segment, dim) or ()
            words = [x for x in levels if isinstance(x, str)]
            numbers = [x for x in levels if isinstance(x, int)]
            if self.basis == "scores" and (words or any(not 1 <= n <= 5 for n in numbers)):
                problems.append(f"segment {segment.key}: {dim} must be scores 1-5")
            if self.basis == "high_low" and numbers:
                problems.append(f"segment {segment.key}: {dim} must be high or low")
        return problems

    def _partition_problems(self) -> list[str]:
        overlaps, gaps = [], []
        for cell in self.cells():
            covering = [s.key for s in self._covering(*cell)]
            if len(covering) > 1:
                overlaps.append(f"{self.cell_name(*cell)} ({', '.join(covering)})")
            elif not covering:
                gaps.append(self.cell_name(*cell))
        problems = []
        if overlaps:
            problems.append(f"cells in more than one segment: {'; '.join(overlaps)}")
        if gaps:
            problems.append(f"cells in no segment: {', '.join(gaps)}")
        return problems


def _segment(key: str, en: str, zh: str, r: str, f: str, m: str | None = None) -> Segment:
    return Segment(key=key, en=en, zh=zh, r=r, f=f, m=m)


# The common 10-segment R×F map (R first, F second, scores 1-5).
RF10 = SegmentMap(
    basis="scores",
    segments=(
        _segment("champions", "Champions", "冠军客户", "5", "4-5"),
        _segment("loyal", "Loyal Customers", "忠诚客户", "3-4", "4-5"),
        _segment("potential_loyalists", "Potential Loyalists", "潜在忠诚客户", "4-5", "2-3"),
        _segment("new_customers", "New Customers", "新客户", "5", "1"),
        _segment("promising", "Promising", "有潜力客户", "4", "1"),
        _segment("need_attention", "Need Attention", "需要关注客户", "3", "3"),
        _segment("about_to_sleep", "About to Sleep", "即将沉睡客户", "3", "1-2"),
        _segment("at_risk", "At Risk", "有流失风险客户", "1-2", "3-4"),
        _segment("cant_lose", "Can't Lose", "不能失去的客户", "1-2", "5"),
        _segment("hibernating", "Hibernating", "沉睡客户", "1-2", "1-2"),
    ),
)

# The Chinese 8-class scheme: R, F and M each high or low against a split (R high = recent).
CN8 = SegmentMap(
    basis="high_low",
    segments=(
        _segment("important_value", "Important Value", "重要价值客户", "high", "high", "high"),
        _segment("important_retain", "Important Retain", "重要保持客户", "low", "high", "high"),
        _segment("important_develop", "Important Develop", "重要发展客户", "high", "low", "high"),
        _segment("important_winback", "Important Win-back", "重要挽留客户", "low", "low", "high"),
        _segment("general_value", "General Value", "一般价值客户", "high", "high", "low"),
        _segment("general_retain", "General Retain", "一般保持客户", "low", "high", "low"),
        _segment("general_develop", "General Develop", "一般发展客户", "high", "low", "low"),
        _segment("general_winback", "General Win-back", "一般挽留客户", "low", "low", "low"),
    ),
)

BUILTIN_MAPS: dict[str, SegmentMap] = {"rf10": RF10, "cn8": CN8}
