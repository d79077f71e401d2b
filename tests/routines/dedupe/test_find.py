"""The whole matching pipeline on small tables: who is grouped, who stays apart."""

# ruff: noqa: E501  (tables of test data read best one record per line)
from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest

from tests.routines.dedupe.builders import table
from tests.routines.dedupe.test_weights import bench_data
from toolkit.models.dedupe_settings import DedupeSettings
from toolkit.routines.dedupe.cluster import Scores, cluster, components
from toolkit.routines.dedupe.find import find_duplicates

HEADER = ("姓名", "手机", "邮箱", "公司", "城市", "生日")
EN = ("Name", "Phone", "Email", "Company", "City", "Birthday")
FILLER = [  # other customers, so the table is not all duplicates
    (f"{s}{g}", f"1390013{i:04d}", None, None, "上海", None)
    for i, (s, g) in enumerate(itertools.product("赵钱孙李周吴郑", "一二三四五"))
]


def groups_of(
    rows: list[tuple[object, ...]], header: tuple[str, ...] = HEADER, region: str = "CN"
) -> list[set[int]]:
    found = find_duplicates(table(header, rows), DedupeSettings(), default_region=region)
    return [set(g.rows) for g in found.groups]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("张伟", "13800138000", None, None, "北京", None), ("章伟", "+86 138 0013 8000", None, None, None, None)),
        (("張偉", "13800138000", "zw@163.com", None, None, None), ("张伟", None, "ZW@163.com", None, None, None)),
        (("陈先生", "13800138000", None, "华信科技有限公司", None, None), ("陈建国", "138-0013-8000", None, "华信科技有限责任公司", None, None)),
        (("王芳", "13800138001", None, "华信科技有限公司", "北京", "1990-03-05"), ("王芳", "13800138000", None, "华信科技", "北京市", "1990年3月5日")),
    ],
)  # fmt: skip
def test_copies_are_grouped(first: tuple[object, ...], second: tuple[object, ...]) -> None:
    rows = [first, *FILLER, second]
    assert groups_of(rows) == [{0, len(rows) - 1}]


def test_namesakes_stay_apart() -> None:
    # Same common name, same city, different phone, e-mail, company and birthday.
    rows = [
        ("王伟", "13800138000", "wangwei@163.com", "华信科技有限公司", "北京", "1980-01-02"),
        *FILLER,
        ("王伟", "13912345678", "wangwei@126.com", "天宇贸易有限公司", "北京", "1992-07-30"),
    ]
    assert groups_of(rows) == []


def test_a_bare_namesake_does_not_chain_two_customers() -> None:
    # Row 1 shares an e-mail with row 0 and a phone with row 2; rows 0 and 2 are namesakes
    # who disagree on everything else, so the chain 0 ~ 1 ~ 2 must not make one group.
    rows = [
        ("王伟", "13800138000", "a@163.com", "华信科技有限公司", "北京", "1980-01-02"),
        ("王伟", "13912345678", "a@163.com", None, "北京", None),
        ("王伟", "13912345678", "b@126.com", "天宇贸易有限公司", "北京", "1992-07-30"),
        *FILLER,
    ]
    found = groups_of(rows)
    assert not any({0, 2} <= g for g in found)
    assert len(found) == 1 and 1 in found[0]


def test_english_names_in_any_order_and_case() -> None:
    rows = [
        ("Smith, John", "+1 212 479 0123", None, "Acme Trading Inc.", "New York", None),
        *[(f"Person {i}", f"+1 212 479 1{i:03d}", None, None, "Boston", None) for i in range(30)],
        ("JOHN SMITH", "(212) 479-0123", None, "Acme Trading LLC", None, None),
    ]
    assert groups_of(rows, EN, region="US") == [{0, 31}]


def test_empty_and_single_row_tables() -> None:
    assert groups_of([]) == []
    assert groups_of([("张伟", "13800138000", None, None, None, None)]) == []


def test_forced_pairs_are_grouped_whatever_their_score() -> None:
    rows = [("张伟", "13800138000"), *[r[:2] for r in FILLER], ("李娜", "13912345678")]
    found = find_duplicates(table(HEADER[:2], rows), DedupeSettings(), forced=[(0, len(rows) - 1)])
    assert [set(g.rows) for g in found.groups] == [{0, len(rows) - 1}]


def test_cluster_splits_a_chain_around_its_core() -> None:
    a, b = np.array([0, 1, 2]), np.array([1, 2, 3])
    weights = np.array([20.0, 20.0, 20.0])

    def score(x: np.ndarray, y: np.ndarray) -> Scores:
        far = np.abs(x - y) > 1  # rows two apart disagree on everything
        fields = np.where(far, -40.0, 30.0)[:, None]
        return Scores(np.where(far, -30.0, 20.0), fields, np.zeros(x.size, dtype=bool))

    found = cluster(
        4,
        a,
        b,
        weights,
        match_weight=4.3,
        prior_weight=-10.0,
        min_evidence=0.0,
        max_disagreement=7.0,
        score=score,
    )
    assert all(len(c.rows) == 2 for c in found)
    assert components(4, a, b)[0].tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("name", "phone", "email", "birthday", "grouped"),
    [
        (
            "James Whitford",
            "(212) 555-0199",
            "jsmith@acme.com",
            None,
            False,
        ),  # both contacts differ
        ("James Whitford", "(212) 555-0199", None, "1980-05-02", True),  # rare name: a copy
        ("James Whitford", "(212) 555-0199", None, None, True),
        ("James Smith", "(212) 555-0199", None, None, False),  # 20 James Smiths: colleagues?
        ("James Smith", "(212) 555-0199", "james.smith@gmail.com", None, True),  # same e-mail
        ("James Smith", None, None, None, True),  # nothing differs
    ],
)
def test_namesake_colleagues_are_for_review_not_merged(
    name: str, phone: str | None, email: str | None, birthday: str | None, grouped: bool
) -> None:
    first = (
        name,
        "(212) 555-0101",
        "james.smith@gmail.com",
        "Acme Labs Inc.",
        "Boston",
        "1975-01-09",
    )
    second = (name, phone, email, "Acme Labs LLC", "Boston", birthday)
    others = [("James Smith", f"(312) 555-{i:04d}", None, None, "Chicago", None) for i in range(20)]
    filler = [(f"Person {i}", f"(617) 555-{i:04d}", None, None, "Denver", None) for i in range(40)]
    rows = [first, second, *others, *filler]
    found = find_duplicates(table(EN, rows), DedupeSettings(), default_region="US")
    assert any(set(g.rows) == {0, 1} for g in found.groups) == grouped
    assert grouped or any({p.a, p.b} == {0, 1} for p in found.review)


@pytest.mark.parametrize("population", ["census", "narrow"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_quality_on_generated_data(lang: str, population: str) -> None:
    data = bench_data().generate(lang, 3000, population=population)
    region = "CN" if lang == "zh" else "US"
    found = find_duplicates(data.table(), DedupeSettings(), default_region=region)
    predicted = {p for g in found.groups for p in itertools.combinations(sorted(g.rows), 2)}
    members: dict[int, list[int]] = defaultdict(list)
    for row, entity in enumerate(data.entity):
        members[entity].append(row)
    truth = {p for rows in members.values() for p in itertools.combinations(rows, 2)}
    precision = len(predicted & truth) / len(predicted)
    recall = len(predicted & truth) / len(truth)
    assert precision >= 0.98 and recall >= 0.93, (precision, recall)
    assert all(g.evidence and len(g.evidence) == len(g.rows) for g in found.groups)


@pytest.mark.parametrize(("floor", "together"), [(0.0, True), (0.9, False)])
def test_min_link_probability_keeps_weakly_linked_rows_apart(floor: float, together: bool) -> None:
    # 0 ~ 1 share a phone, 1 ~ 2 an e-mail; 0 and 2 share only the (rare) name.
    rows = [
        ("欧阳淼语", "13800138000", None, "华信科技有限公司", "北京", None),
        ("欧阳淼语", "13800138000", "oy@163.com", None, None, None),
        ("欧阳淼语", "13912345678", "oy@163.com", None, None, None),
        *FILLER,
    ]
    settings = DedupeSettings(min_link_probability=floor)
    found = find_duplicates(table(HEADER, rows), settings)
    assert any({0, 2} <= set(g.rows) for g in found.groups) == together
