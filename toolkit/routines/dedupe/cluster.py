"""Groups of duplicates from matched pairs, without chaining strangers together.

Transitive closure is where precision is lost at scale: 王伟 (phone A) matches a bare 王伟
row with no phone, which matches another 王伟 (phone B), and two namesakes end up in one
group. So connected components of the matched pairs are only a first cut. Inside each
component of three or more rows every pair is scored, and groups are grown from a core: the
row with the strongest links starts a group, and a row joins only if it matches a member
and no member already in the group speaks against it: with each member, the fields both
have must agree more than they disagree (evidence, the match weight without the prior, at
least `min_evidence`) and must not disagree strongly (the disagreeing fields' weights summed
no lower than `-max_disagreement`). Two copies that share little (one has the old phone,
the other the new address) are not held against each other; 王伟 with phone A, e-mail A and
one birthday, and 王伟 with phone B, e-mail B and another birthday are.
And the row must match the group as one record: each field at its best agreement with a
member that has it, prior included, must reach the match threshold. A bare copy (name,
company, city; no phone, e-mail, birthday or address) matches its customer and any namesake
colleague alike; the namesake used to join through it as long as the customer's phone and
e-mail differing from theirs stayed under `max_disagreement`. Against the group, those
differences count. A row that shares a phone, an e-mail or an address outright with a member
is exempt: namesakes do not share those by chance (a birthday they do, by the hundred in a
million rows). Rows left over start groups of their own.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.routines.dedupe.features import Codes

Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Scores:
    """Pairs (a[i], b[i]) scored: match weight (log2 odds), each field's weight (a column per
    field, NaN where either row is blank), and whether they share an identifier outright (the
    same phone, e-mail or address: what a namesake does not share by chance)."""

    weights: Floats
    fields: Floats
    identified: Mask


PairScorer = Callable[[Codes, Codes], Scores]
CERTAIN = 1_000.0  # the weight of a pair staff decided to merge
DENSE_LIMIT = 60  # components up to this size get every pair scored


@dataclass(frozen=True)
class Cluster:
    """Rows of one customer, core first; each row's best-linked partner and P(match) with it."""

    rows: tuple[int, ...]
    scores: tuple[float, ...]
    partners: tuple[int, ...]


def components(size: int, a: Codes, b: Codes) -> list[npt.NDArray[np.int64]]:
    """Connected components of two rows or more, each as sorted row positions.

    Union-find over the rows that have an edge (a few per cent of a table), not all rows.

    >>> [c.tolist() for c in components(5, np.array([0, 1, 3]), np.array([1, 2, 4]))]
    [[0, 1, 2], [3, 4]]
    """
    if a.size == 0:
        return []
    nodes, compact = np.unique(np.concatenate([a, b]), return_inverse=True)
    parent = list(range(nodes.size))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    half = a.size
    for x, y in zip(compact[:half].tolist(), compact[half:].tolist(), strict=True):
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    labels = np.array([root(x) for x in range(nodes.size)], dtype=np.int64)
    order = np.argsort(labels, kind="stable")
    starts = np.flatnonzero(np.r_[True, labels[order][1:] != labels[order][:-1]])
    return [nodes[group] for group in np.split(order, starts[1:]) if group.size >= 2]


def cluster(
    size: int,
    a: Codes,
    b: Codes,
    weights: Floats,
    *,
    match_weight: float,
    prior_weight: float,
    min_evidence: float,
    max_disagreement: float,
    score: PairScorer,
    forced: Sequence[tuple[int, int]] = (),
) -> list[Cluster]:
    """Groups of rows from scored pairs; `forced` pairs (staff said "merge") count as certain.

    Weights are log2 odds of a match; `match_weight` is the threshold, `prior_weight` the
    prior's share of every weight.

    >>> a, b, w = np.array([0, 1]), np.array([1, 2]), np.array([9.0, 9.0])
    >>> far = lambda x, y: (x == 0) & (y == 2)
    >>> fields = lambda x, y: np.where(far(x, y), -9.0, 19.0)[:, None]
    >>> shared = lambda x, y: np.zeros(x.size, dtype=bool)
    >>> namesakes = lambda x, y: Scores(np.where(far(x, y), -15.0, 9.0), fields(x, y), shared(x, y))
    >>> found = cluster(3, a, b, w, match_weight=4.0, prior_weight=-10.0, min_evidence=0.0,
    ...                 max_disagreement=7.0, score=namesakes)
    >>> [c.rows for c in found]
    [(1, 0)]
    """
    matched = weights >= match_weight
    forced_a = np.array([min(p) for p in forced], dtype=np.int64)
    forced_b = np.array([max(p) for p in forced], dtype=np.int64)
    edge_a = np.concatenate([a[matched], forced_a])
    edge_b = np.concatenate([b[matched], forced_b])
    found = components(size, edge_a, edge_b)
    label = np.full(size, -1, dtype=np.int64)
    for number, component in enumerate(found):
        label[component] = number
    # Only pairs within one component are ever looked up: at a million rows, a dict of every
    # pair between grouped rows would hold millions of Python tuples.
    inside = (label[a] == label[b]) & (label[a] >= 0)
    known = _known_scores(a[inside], b[inside], weights[inside], forced_a, forced_b)
    rules = _Rules(match_weight, prior_weight + min_evidence, -max_disagreement, prior_weight)
    result: list[Cluster] = []
    big: list[npt.NDArray[np.int64]] = []
    for component in found:
        if component.size == 2:
            pair = (int(component[0]), int(component[1]))
            p = _probability(known.get(pair, CERTAIN))
            result.append(Cluster(pair, (p, p), (pair[1], pair[0])))
        else:
            big.append(component)
    result.extend(_split_all(big, known, score, rules))
    return sorted(result, key=lambda c: min(c.rows))


@dataclass(frozen=True)
class _Rules:
    match_weight: float  # a row joins when its weight with the core reaches this
    link_weight: float  # ...and its weight with every member reaches this
    link_disagreement: float  # ...and its disagreement with every member is no lower
    prior_weight: float  # ...and its weight against the group's fields reaches match_weight


def _probability(weight: float) -> float:
    bounded = min(max(weight, -1000.0), 1000.0)
    return 1.0 / (1.0 + math.pow(2.0, -bounded))


def _known_scores(
    a: Codes, b: Codes, weights: Floats, forced_a: Codes, forced_b: Codes
) -> dict[tuple[int, int], float]:
    known = dict(zip(zip(a.tolist(), b.tolist(), strict=True), weights.tolist(), strict=True))
    known.update(dict.fromkeys(zip(forced_a.tolist(), forced_b.tolist(), strict=True), CERTAIN))
    return known


def _split_all(
    big: list[npt.NDArray[np.int64]],
    known: dict[tuple[int, int], float],
    score: PairScorer,
    rules: _Rules,
) -> list[Cluster]:
    """Score every pair inside every dense-enough component at once, then split each.

    Bigger components (a chain of fifty 王伟) get their missing pairs scored on demand,
    when a row is about to join a group: a pair no one scored never waves a row through.
    """
    pair_a, pair_b = [], []
    for component in big:
        if component.size <= DENSE_LIMIT:
            i, j = np.triu_indices(component.size, k=1)
            pair_a.append(component[i])
            pair_b.append(component[j])
    links = _Links(score)
    if pair_a:
        links.add(np.concatenate(pair_a), np.concatenate(pair_b))
    for pair, weight in known.items():
        links.know(pair, weight, 0.0 if weight >= CERTAIN else None)
    result = []
    for component in big:
        result.extend(_grow_groups(component.tolist(), links, rules))
    return result


class _Links:
    """Match weight, disagreement and field weights of scored pairs, and scored neighbours."""

    def __init__(self, score: PairScorer) -> None:
        self.score = score
        self.weights: dict[tuple[int, int], float] = {}
        self.against: dict[tuple[int, int], float] = {}
        # Field weights of scored pairs, as float32 rows of the scored batches: a tuple of
        # Python floats per pair would cost hundreds of MB at a million rows.
        self.field_rows: dict[tuple[int, int], int] = {}
        self.batches: list[npt.NDArray[np.float32]] = []
        self.starts: list[int] = []
        self.identified: set[tuple[int, int]] = set()
        self.neighbours: dict[int, list[int]] = defaultdict(list)

    def add(self, a: Codes, b: Codes) -> None:
        """Score pairs (a[i], b[i]) and remember them."""
        scores = self.score(a, b)
        fields = scores.fields
        against = np.where(np.isnan(fields), 0.0, np.minimum(fields, 0.0)).sum(axis=1)
        start = self.starts[-1] + len(self.batches[-1]) if self.batches else 0
        self.batches.append(fields.astype(np.float32))
        self.starts.append(start)
        for i, (x, y, weight, worst, identified) in enumerate(
            zip(
                a.tolist(),
                b.tolist(),
                scores.weights.tolist(),
                against.tolist(),
                scores.identified.tolist(),
                strict=True,
            )
        ):
            pair = (min(x, y), max(x, y))
            self.know(pair, weight, worst)
            self.field_rows[pair] = start + i
            if identified:
                self.identified.add(pair)

    def know(self, pair: tuple[int, int], weight: float, against: float | None) -> None:
        """Remember a pair; a forced pair (CERTAIN) overrides, a score never overrides one."""
        if pair not in self.weights:
            self.neighbours[pair[0]].append(pair[1])
            self.neighbours[pair[1]].append(pair[0])
        if weight >= CERTAIN or self.weights.get(pair, 0.0) < CERTAIN:
            self.weights[pair] = weight
        if against is not None:
            self.against[pair] = against

    def weight(self, x: int, y: int) -> float | None:
        return self.weights.get((x, y) if x < y else (y, x))

    def probability(self, x: int, y: int) -> float:
        weight = self.weight(x, y)
        return _probability(weight) if weight is not None else 0.0

    def linked_to_all(self, row: int, members: list[int], rules: _Rules) -> bool:
        """No member speaks against `row` (pairs not yet scored are scored now)."""
        unknown = [m for m in members if (min(row, m), max(row, m)) not in self.against]
        if unknown:
            self.add(np.full(len(unknown), row, dtype=np.int64), np.array(unknown, np.int64))
        for m in members:
            pair = (min(row, m), max(row, m))
            if (
                self.weights[pair] < rules.link_weight
                or self.against[pair] < rules.link_disagreement
            ):
                return False
        return self.matches_group(row, members, rules)

    def matches_group(self, row: int, members: list[int], rules: _Rules) -> bool:
        """`row` matches the group as one record: each field at its best agreement with a
        member that has it, so a bare member's silence does not hide another's conflict."""
        pairs = [(min(row, m), max(row, m)) for m in members]
        if any(self.weights[p] >= CERTAIN or p in self.identified for p in pairs):
            return True
        known = [self._fields(self.field_rows[p]) for p in pairs if p in self.field_rows]
        if not known:
            return True
        table = np.array(known, dtype=np.float64)
        present = ~np.isnan(table)
        best = np.where(present, table, -np.inf).max(axis=0)
        return bool(rules.prior_weight + best[present.any(axis=0)].sum() >= rules.match_weight)

    def _fields(self, row: int) -> npt.NDArray[np.float32]:
        batch = bisect.bisect_right(self.starts, row) - 1
        found: npt.NDArray[np.float32] = self.batches[batch][row - self.starts[batch]]
        return found


def _grow_groups(rows: list[int], links: _Links, rules: _Rules) -> list[Cluster]:
    """Groups grown from the strongest rows, each joiner the best-matching eligible row."""
    inside = set(rows)
    strength = {
        r: sum(links.probability(r, o) for o in links.neighbours[r] if o in inside) for r in rows
    }
    assigned: set[int] = set()
    groups = []
    for seed in sorted(rows, key=lambda r: (-strength[r], r)):
        if seed in assigned:
            continue
        members = [seed]
        assigned.add(seed)
        while (joiner := _best_joiner(members, inside - assigned, links, rules)) is not None:
            members.append(joiner)
            assigned.add(joiner)
        if len(members) >= 2:
            partners = tuple(
                max((m for m in members if m != r), key=lambda m: links.probability(r, m))
                for r in members
            )
            scores = tuple(links.probability(r, p) for r, p in zip(members, partners, strict=True))
            groups.append(Cluster(tuple(members), scores, partners))
    return groups


def _best_joiner(members: list[int], free: set[int], links: _Links, rules: _Rules) -> int | None:
    """The free row that matches a member best, if it matches one and contradicts none."""
    best: dict[int, float] = {}
    for member in members:
        for other in links.neighbours[member]:
            weight = links.weight(member, other)
            if other in free and weight is not None and weight >= rules.match_weight:
                best[other] = max(best.get(other, weight), weight)
    for row in sorted(best, key=lambda r: (-best[r], r)):
        if links.linked_to_all(row, members, rules):
            return row
    return None
