"""Weights learnt without labels: EM on candidates, u from random pairs, term frequencies."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from tests.routines.dedupe.builders import table
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.routines.dedupe.blocking import candidate_pairs
from toolkit.routines.dedupe.compare import compare_pairs
from toolkit.routines.dedupe.features import extract
from toolkit.routines.dedupe.weights import (
    DEFAULT_M,
    field_weights,
    fit,
    settings_or,
    shared_value_weights,
)

BENCH = Path(__file__).resolve().parents[3] / "bench" / "dedupe_data.py"


def bench_data() -> ModuleType:
    """bench/dedupe_data.py, the labelled-table generator."""
    spec = importlib.util.spec_from_file_location("dedupe_data", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dedupe_data"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def learnt() -> tuple[object, ...]:
    # The narrow population: names common enough in 3,000 rows for their weight to show.
    data = bench_data().generate("zh", 3000, population="narrow")
    features = extract(data.table())
    settings = DedupeSettings()
    candidates = candidate_pairs(features, settings)
    comparison = compare_pairs(features, candidates.a, candidates.b, settings)
    return features, comparison, fit(features, candidates, comparison, settings)


def test_em_learns_that_duplicates_agree(learnt: tuple[object, ...]) -> None:
    _, _, model = learnt
    for field in ("phone", "email", "name", "birthday"):
        m, u = model.m[field], model.u[field]  # type: ignore[attr-defined]
        assert m[0] > 0.5 > u[0], field  # most duplicates agree exactly; strangers do not
        assert m[-1] < u[-1], field  # "different" speaks against a match
    assert 0 < model.prior < 0.01  # type: ignore[attr-defined]


def test_a_common_name_weighs_less_than_a_rare_one(learnt: tuple[object, ...]) -> None:
    features, comparison, model = learnt
    weights = field_weights(features, comparison, model, "name")  # type: ignore[arg-type]
    exact = comparison.levels["name"] == 0  # type: ignore[attr-defined]
    codes = features.name.codes[comparison.a[exact]]  # type: ignore[attr-defined]
    counts = features.name.counts[codes]  # type: ignore[attr-defined]
    common, rare = weights[exact][counts == counts.max()], weights[exact][counts == counts.min()]
    assert common.size and rare.size
    assert common.max() < rare.min() - 2


def test_small_tables_keep_default_m() -> None:
    features = extract(table(("姓名", "手机"), [("张伟", "13800138000"), ("章伟", "13800138000")]))
    settings = DedupeSettings()
    candidates = candidate_pairs(features, settings)
    comparison = compare_pairs(features, candidates.a, candidates.b, settings)
    model = fit(features, candidates, comparison, settings)
    assert model.m["phone"] == DEFAULT_M["phone"]


def test_settings_pin_probabilities() -> None:
    pinned = {"phone": {"exact": 0.9, "typo": 0.05, "different": 0.05}}
    settings = DedupeSettings(m_probabilities=pinned, estimate=False)
    assert settings_or(settings.m_probabilities, "phone", DEFAULT_M["phone"]) == (0.9, 0.05, 0.05)
    features = extract(table(("姓名",), [("a",), ("b",)]))
    candidates = candidate_pairs(features, settings)
    comparison = compare_pairs(features, candidates.a, candidates.b, settings)
    assert fit(features, candidates, comparison, settings).m["phone"] == (0.9, 0.05, 0.05)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"fields": ("name", "shoe_size")}, "unknown field"),
        ({"fields": ("phone",)}, "'name' must be compared"),
        ({"blocking": ("zodiac",)}, "unknown blocking key"),
        ({"review_threshold": 0.99, "match_threshold": 0.9}, "above match_threshold"),
        ({"m_probabilities": {"phone": {"close": 0.5}}}, "unknown level"),
        ({"m_probabilities": {"phone": {"exact": 1.5}}}, "not in (0, 1]"),
        ({"field_rules": {"name": "average"}}, "field_rules"),
    ],
)
def test_bad_settings_are_refused(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("]", r"\]")):
        DedupeSettings.model_validate(settings)


def test_weights_are_finite(learnt: tuple[object, ...]) -> None:
    features, comparison, model = learnt
    for field in DedupeSettings().fields:
        assert np.isfinite(field_weights(features, comparison, model, field)).all()  # type: ignore[arg-type]


@examples(max_examples=200, deadline=None)
@given(
    counts=st.lists(st.integers(0, 10_000), min_size=1, max_size=30),
    data=st.data(),
    m=st.floats(1e-6, 1.0),
    u=st.floats(1e-9, 1.0),
)
def test_value_weights_per_value_are_those_per_pair(
    counts: list[int], data: st.DataObject, m: float, u: float
) -> None:
    # field_weights weighs each value once when pairs outnumber values: bit for bit the same.
    held = np.array(counts, dtype=np.int64)
    codes = np.array(data.draw(st.lists(st.integers(0, len(counts) - 1), max_size=50)), np.int64)
    present = int(held.sum()) + 1
    per_value = shared_value_weights(held, present, m, u, 1_000)[codes]
    per_pair = shared_value_weights(held[codes], present, m, u, 1_000)
    assert per_value.tobytes() == per_pair.tobytes()
