"""Grouping: a row joins a group only if it matches the group's fields as one record."""

# ruff: noqa: E501  (tables of test data read best one record per line)
from __future__ import annotations

import math

import numpy as np
import pytest

from tests.routines.dedupe.test_find import FILLER, groups_of
from tests.routines.dedupe.test_weights import bench_data
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.routines.dedupe.blocking import candidate_pairs
from toolkit.routines.dedupe.cluster import Scores, cluster
from toolkit.routines.dedupe.compare import compare_pairs
from toolkit.routines.dedupe.features import extract
from toolkit.routines.dedupe.weights import fit

NAN = math.nan
# Field weights (bits) of pairs: name, phone, e-mail, company, city, address. Row 0 is a
# customer with a phone and an e-mail, row 1 a bare copy of them (name, company, city and an
# address), row 2 the row that may join them.
FULL = {(0, 1): (6.0, NAN, NAN, 6.0, 2.0, NAN)}
PRIOR, MATCH = -12.0, 2.0


def _scorer(fields: dict[tuple[int, int], tuple[float, ...]], identified: set[tuple[int, int]]):  # type: ignore[no-untyped-def]
    def score(a: np.ndarray, b: np.ndarray) -> Scores:
        pairs = [(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist(), strict=True)]
        table = np.array([fields[p] for p in pairs])
        weights = PRIOR + np.where(np.isnan(table), 0.0, table).sum(axis=1)
        return Scores(weights, table, np.array([p in identified for p in pairs], dtype=bool))

    return score


@pytest.mark.parametrize(
    ("row_2", "identified", "joins"),
    [
        # A namesake: matches the bare copy (name, company, city), and row 0's phone and e-mail
        # differ: the bare copy's silence must not hide them.
        ({(0, 2): (6.0, -2.5, -3.0, 6.0, 2.0, NAN), (1, 2): (6.0, NAN, NAN, 6.0, 2.0, NAN)}, set(), False),
        # The same shape, but row 2 shares its e-mail with row 0: a copy.
        ({(0, 2): (6.0, -2.5, 14.0, 6.0, 2.0, NAN), (1, 2): (6.0, NAN, NAN, 6.0, 2.0, NAN)}, {(0, 2)}, True),
        # Sharing an identifier outright (a phone, an e-mail, an address) is enough on its own.
        ({(0, 2): (6.0, -2.5, -3.0, 6.0, 2.0, NAN), (1, 2): (6.0, NAN, NAN, 6.0, 2.0, NAN)}, {(0, 2)}, True),
        # A copy with a new phone whose address, shared with the bare copy, carries the match.
        ({(0, 2): (6.0, -2.5, NAN, 6.0, 2.0, NAN), (1, 2): (6.0, NAN, NAN, 6.0, 2.0, 10.0)}, set(), True),
    ],
)  # fmt: skip
def test_a_row_joins_only_if_it_matches_the_group_as_one_record(
    row_2: dict[tuple[int, int], tuple[float, ...]], identified: set[tuple[int, int]], joins: bool
) -> None:
    fields = {**FULL, **row_2}
    a, b = np.array([0, 1]), np.array([1, 2])
    weights = np.array([PRIOR + 14.0, PRIOR + 14.0])  # 0 ~ 1 and 1 ~ 2 both match
    found = cluster(
        3, a, b, weights, match_weight=MATCH, prior_weight=PRIOR, min_evidence=0.0,
        max_disagreement=10.0, score=_scorer(fields, identified),
    )  # fmt: skip
    together = any({0, 1, 2} <= set(c.rows) for c in found)
    assert together == joins
    assert any({0, 1} <= set(c.rows) for c in found) or any({1, 2} <= set(c.rows) for c in found)


def test_a_forced_pair_joins_whatever_the_group_says() -> None:
    fields = {**FULL, (0, 2): (6.0, -2.5, -3.0, 6.0, 2.0, NAN), (1, 2): (6.0, NAN, NAN, 6.0, 2.0, NAN)}  # fmt: skip
    a, b = np.array([0, 1]), np.array([1, 2])
    found = cluster(
        3, a, b, np.array([9.0, 9.0]), match_weight=MATCH, prior_weight=PRIOR, min_evidence=0.0,
        max_disagreement=10.0, score=_scorer(fields, set()), forced=[(0, 2)],
    )  # fmt: skip
    assert [sorted(c.rows) for c in found] == [[0, 1, 2]]


NAME = "王伟"
CUSTOMER = (NAME, "13800138000", "a@163.com", "华信科技有限公司", "北京", "1980-01-02")
BARE_COPY = (NAME, None, None, "华信科技有限公司", "北京", None)


@pytest.mark.parametrize(
    ("third", "grouped"),
    [
        # A namesake colleague: phone, e-mail and birthday all differ from the customer's.
        ((NAME, "13912345678", "b@126.com", "华信科技有限公司", "北京", "1975-05-06"), {0, 1}),
        # A copy of the same shape (new phone, birthday mistyped) that kept the e-mail.
        ((NAME, "13912345678", "a@163.com", "华信科技有限公司", "北京", "1975-05-06"), {0, 1, 2}),
        # A copy with a new phone and nothing else to contradict the customer.
        ((NAME, "13912345678", None, "华信科技有限公司", "北京", "1980-01-02"), {0, 1, 2}),
    ],
)  # fmt: skip
def test_a_chain_through_a_bare_copy(third: tuple[object, ...], grouped: set[int]) -> None:
    found = groups_of([CUSTOMER, BARE_COPY, third, *FILLER])
    assert [g for g in found if g & {0, 1, 2}] == [grouped]


@pytest.mark.parametrize("rows", [2_000, 8_000])
def test_the_prior_matches_the_labels_at_any_size(rows: int) -> None:
    # Estimated over candidates, the prior once grew too high with the table (x2.3 at 10,000
    # rows, x6.5 at 100,000): EM over all pairs keeps it within a factor 1.5 of the truth.
    data = bench_data().generate("en", rows, population="narrow")
    features = extract(data.table(), default_region="US")
    settings = DedupeSettings()
    candidates = candidate_pairs(features, settings)
    comparison = compare_pairs(features, candidates.a, candidates.b, settings)
    model = fit(features, candidates, comparison, settings)
    people: dict[int, int] = {}
    for entity in data.entity:
        people[entity] = people.get(entity, 0) + 1
    matches = sum(n * (n - 1) // 2 for n in people.values())
    population = features.size + model.pseudo_rows(features.size)
    truth = matches / (features.size * (population - 1) / 2)
    assert abs(math.log2(model.prior / truth)) < math.log2(1.5), (model.prior, truth)
