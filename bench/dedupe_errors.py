"""Where the dedupe routine goes wrong on a labelled benchmark table: a breakdown of its errors.

Runs `find_duplicates` once on bench/dedupe_data.py's table (cached as a pickle in
bench/.cache, since generating a million rows takes a while) and prints:

- precision, recall, F1 and the group size distribution;
- false-positive pairs by group size and by how many people a group mixes;
- for every wrongly merged row (a row whose customer is not the group's main customer): the
  link that brought it in (its best-scored member), as a pattern of field levels, and whether
  the row and that member are bare (no phone, e-mail, birthday or address), whether the pair
  fits the namesake rule, how many people share the name, and whether the member belongs to the
  main customer or to another intruder;
- false-negative pairs by cause: the two rows' own pair never matched (below the threshold,
  held as namesakes, or never a candidate), or it matched and grouping kept them apart.

    PYTHONPATH=$PWD python bench/dedupe_errors.py en 100000 narrow
    flock /tmp/custkit-heavy.lock env PYTHONPATH=$PWD \
        python bench/dedupe_errors.py en 1000000 narrow --no-candidates
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from dedupe_data import Labelled, cached  # noqa: E402

from toolkit.models.dedupe_settings import DedupeSettings  # noqa: E402
from toolkit.routines.dedupe.blocking import candidate_pairs  # noqa: E402
from toolkit.routines.dedupe.compare import compare_pairs  # noqa: E402
from toolkit.routines.dedupe.find import Duplicates, _guarded, _namesake_cap, find_duplicates  # noqa: E402
from toolkit.routines.dedupe.namesakes import namesake_pattern, shared_name_people  # noqa: E402
from toolkit.routines.dedupe.weights import total_weights  # noqa: E402

CACHE = REPO / "bench" / ".cache"
IDENTIFIERS = ("phone", "email", "birthday", "address")
SHORT = {"exact": "=", "pinyin": "~p", "close": "~", "surname": "~s", "typo": "~t",
         "different": "x", "missing": "."}  # fmt: skip


def labelled(lang: str, rows: int, population: str) -> Labelled:
    """The generated table, from the cache when it was generated before."""
    return cached(lang, rows, population, CACHE)


def bare_rows(found: Duplicates) -> np.ndarray:
    """Rows with no phone, e-mail, birthday or address."""
    f = found.features
    present = (f.phone >= 0) | (f.email.codes >= 0) | (f.birthday.codes >= 0)
    return ~(present | (f.address.codes >= 0))


def pattern(levels: tuple[tuple[str, str], ...]) -> str:
    return " ".join(f"{field[:2]}{SHORT[level]}" for field, level in levels)


def scored(found: Duplicates, a: list[int], b: list[int], settings: DedupeSettings) -> dict:
    """Weights (namesake rule applied), namesake flags and name people of pairs."""
    f, model = found.features, found.model
    comparison = compare_pairs(f, np.array(a, np.int64), np.array(b, np.int64), settings)
    raw = total_weights(f, comparison, model)
    guarded = _guarded(raw, f, comparison, _namesake_cap(settings))
    return {
        "raw": raw,
        "weight": guarded,
        "namesake": namesake_pattern(f, comparison),
        "people": shared_name_people(f, comparison),
        "comparison": comparison,
    }


def bucket(people: int) -> str:
    for limit in (1, 3, 15, 100, 1000, 10000):
        if people <= limit:
            return f"<={limit}"
    return ">10000"


def false_positives(found: Duplicates, entity: list[int], settings: DedupeSettings) -> None:
    bare = bare_rows(found)
    by_size: Counter[int] = Counter()
    fp_by_size: Counter[int] = Counter()
    fp_by_people: Counter[int] = Counter()
    intruders = []  # (group, row, partner index, main entity)
    for group in found.groups:
        size = len(group.rows)
        by_size[min(size, 10)] += 1
        people = Counter(entity[r] for r in group.rows)
        wrong = sum(x * y for x, y in itertools.combinations(people.values(), 2))
        fp_by_size[min(size, 10)] += wrong
        if wrong:
            fp_by_people[len(people)] += wrong
            main = people.most_common(1)[0][0]
            for i, row in enumerate(group.rows):
                if entity[row] != main:
                    intruders.append((group, i, main))
    total_fp = sum(fp_by_size.values())
    print(f"\ngroups by size (10 = 10+): {dict(sorted(by_size.items()))}")
    print(f"false-positive pairs: {total_fp}; by group size: {dict(sorted(fp_by_size.items()))}")
    print(f"  by people mixed in the group: {dict(sorted(fp_by_people.items()))}")
    if not intruders:
        return
    # The link that brought each intruder in: its evidence against its most-alike member.
    a = [g.evidence[i].a for g, i, _ in intruders]
    b = [g.evidence[i].b for g, i, _ in intruders]
    s = scored(found, a, b, settings)
    kinds: Counter[str] = Counter()
    patterns: Counter[str] = Counter()
    cause: Counter[str] = Counter()
    link_weights: Counter[str] = Counter()
    match_weight = math.log2(settings.match_threshold / (1 - settings.match_threshold))
    for k, (group, i, main) in enumerate(intruders):
        row, partner = a[k], b[k]
        kind = "row bare" if bare[row] else "row has ids"
        kind += ", member bare" if bare[partner] else ", member has ids"
        kind += ", member is main" if entity[partner] == main else ", member is intruder"
        kinds[kind] += 1
        patterns[pattern(group.evidence[i].levels)] += 1
        matched = "matched" if s["weight"][k] >= match_weight else "below match"
        step = math.floor(s["weight"][k] - match_weight)
        link_weights[f"+{step}..{step + 1} bits" if step < 8 else "+8 bits or more"] += 1
        ns = "namesake-pattern" if s["namesake"][k] else "not namesake-pattern"
        cause[f"{matched}, {ns}, name people {bucket(int(s['people'][k]))}"] += 1
    print(
        f"wrongly merged rows: {len(intruders)} (in {len({id(g) for g, _, _ in intruders})} groups)"
    )
    print("  by bareness of the row and of its most-alike member:")
    for text, n in kinds.most_common():
        print(f"    {n:7d}  {text}")
    print("  its link to that member:")
    for text, n in cause.most_common(12):
        print(f"    {n:7d}  {text}")
    print("  its weight above the match threshold:")
    for text, n in sorted(
        link_weights.items(), key=lambda item: float(item[0][1:].split(" ")[0].split(".")[0])
    ):
        print(f"    {n:7d}  {text}")
    print(
        "  field levels of that link (= exact, ~p pinyin, ~ close, ~t typo, x different, "
        ". missing):"
    )
    for text, n in patterns.most_common(15):
        print(f"    {n:7d}  {text}")
    print("  share of the intruder's entity in the group / size of the group, top:")
    shares = Counter(
        (sum(entity[r] == entity[g.rows[i]] for r in g.rows), len(g.rows)) for g, i, _ in intruders
    )
    print("    " + ", ".join(f"{k[0]}/{k[1]}: {n}" for k, n in shares.most_common(12)))


def false_negatives(
    found: Duplicates, entity: list[int], settings: DedupeSettings, with_candidates: bool
) -> None:
    group_of = np.full(found.features.size, -1, dtype=np.int64)
    for number, group in enumerate(found.groups):
        group_of[list(group.rows)] = number
    members: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(entity):
        members[label].append(row)
    missed_a, missed_b = [], []
    for rows in members.values():
        for x, y in itertools.combinations(rows, 2):
            if group_of[x] < 0 or group_of[x] != group_of[y]:
                missed_a.append(x)
                missed_b.append(y)
    print(f"\nfalse-negative pairs: {len(missed_a)}")
    if not missed_a:
        return
    s = scored(found, missed_a, missed_b, settings)
    match_weight = math.log2(settings.match_threshold / (1 - settings.match_threshold))
    candidate = None
    if with_candidates:
        c = candidate_pairs(found.features, settings)
        known = set(zip(c.a.tolist(), c.b.tolist(), strict=True))
        candidate = [
            (min(x, y), max(x, y)) in known for x, y in zip(missed_a, missed_b, strict=True)
        ]
        del c, known
    causes: Counter[str] = Counter()
    patterns: Counter[str] = Counter()
    comparison = s["comparison"]
    fields = settings.fields
    for k in range(len(missed_a)):
        if s["weight"][k] >= match_weight:
            text = "pair matched, kept apart by grouping"
        elif s["namesake"][k] and s["raw"][k] >= match_weight:
            text = "held by the namesake rule"
        else:
            text = "pair below the match threshold"
        if candidate is not None and not candidate[k]:
            text += " (not a candidate)"
        causes[text] += 1
        if text.startswith("pair below"):
            levels = tuple((f, comparison.level_name(f, k)) for f in fields)
            patterns[pattern(levels)] += 1
    for text, n in causes.most_common():
        print(f"    {n:7d}  {text}")
    print("  field levels of pairs below the threshold, top:")
    for text, n in patterns.most_common(8):
        print(f"    {n:7d}  {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lang", choices=("zh", "en"))
    parser.add_argument("rows", type=int)
    parser.add_argument("population", nargs="?", default="narrow")
    parser.add_argument("--no-candidates", action="store_true", help="skip the blocking check")
    args = parser.parse_args()
    data = labelled(args.lang, args.rows, args.population)
    settings = DedupeSettings()
    from bench_dedupe import PeakMemory  # the benchmark's own measure: resident size added

    with PeakMemory() as memory:
        started, cpu = time.perf_counter(), time.process_time()
        found = find_duplicates(
            data.table(), settings, default_region="CN" if args.lang == "zh" else "US"
        )
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    predicted = sum(len(g.rows) * (len(g.rows) - 1) // 2 for g in found.groups)
    sizes = Counter(data.entity)
    truth = sum(n * (n - 1) // 2 for n in sizes.values())
    wrong = 0
    for g in found.groups:
        people = Counter(data.entity[r] for r in g.rows)
        wrong += sum(x * y for x, y in itertools.combinations(people.values(), 2))
    hits = predicted - wrong
    precision, recall = hits / predicted, hits / truth
    f1 = 2 * precision * recall / (precision + recall)
    population = len(data.rows) + found.model.pseudo_rows(len(data.rows))
    ideal = math.log2(2 * truth / len(data.rows) / (population - 1))
    print(
        f"{args.population} {args.lang} {len(data.rows):,} rows: precision {precision:.4f} "
        f"recall {recall:.4f} F1 {f1:.4f} ({seconds:.1f} s, {cpu:.1f} s CPU, "
        f"{memory.extra_mb:.0f} MB added)"
    )
    per_row = found.counts.get("dedupe.pairs", 0) / len(data.rows)
    print(f"prior weight {found.model.prior_weight:.2f} (from the labels: {ideal:.2f}); "
          f"candidate pairs per row {per_row:.1f}")  # fmt: skip
    print("m:", {k: tuple(round(x, 4) for x in v) for k, v in found.model.m.items()})
    print("u:", {k: tuple(float(f"{x:.3g}") for x in v) for k, v in found.model.u.items()})
    false_positives(found, data.entity, settings)
    false_negatives(found, data.entity, settings, not args.no_candidates)


if __name__ == "__main__":
    main()
