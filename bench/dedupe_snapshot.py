"""Snapshot of everything find_duplicates returns, to prove a speed-up changes no result.

    PYTHONPATH=$PWD python bench/dedupe_snapshot.py --lang en --size 100000 --population narrow \
        --save
    PYTHONPATH=$PWD python bench/dedupe_snapshot.py --lang en --size 100000 --population narrow

`--save` stores the snapshot in bench/.cache/dedupe-snapshot-<population>-<lang>-<size>.pickle;
without it the current code's result is compared with the stored one and every difference is
listed (exit code 1 when there is any). The snapshot holds the groups (id, rows, scores and
each member's evidence: partner, probability, field levels), the review pairs, the counts
(candidate pairs per blocking key, big blocks, groups), the learnt model (m, u, prior) and a
digest of every feature column (codes, keys, counts). The generated table is cached as a
pickle beside it (generation takes minutes at 1M rows).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import resource
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# DEDUPE_SNAPSHOT_CACHE: where snapshots and generated tables live (a base-commit checkout
# elsewhere saves into this worktree's cache).
CACHE = Path(os.environ.get("DEDUPE_SNAPSHOT_CACHE", REPO / "bench" / ".cache"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from bench_dedupe import PeakMemory  # noqa: E402
from dedupe_data import Labelled, cached  # noqa: E402


def labelled(lang: str, size: int, population: str) -> Labelled:
    """The generated table, from the cache when it was generated before."""
    return cached(lang, size, population, CACHE)


CODED = ("name", "pinyin", "surname", "initials", "phones", "email", "company", "city")
CODED += ("birthday", "address")


def _digest(*arrays: Any) -> str:
    sha = hashlib.sha256()
    for item in arrays:
        sha.update(repr(item).encode() if not hasattr(item, "tobytes") else item.tobytes())
    return sha.hexdigest()[:16]


def snapshot(lang: str, size: int, population: str) -> tuple[dict[str, Any], str]:
    """What find_duplicates returns, as plain data; and its wall and CPU seconds and the
    peak resident size it added (as bench_dedupe.py measures it)."""
    from toolkit.models.dedupe_settings import DedupeSettings
    from toolkit.routines.dedupe.find import find_duplicates

    table = labelled(lang, size, population).table()
    region = "CN" if lang == "zh" else "US"
    with PeakMemory() as memory:
        started, cpu = time.perf_counter(), time.process_time()
        found = find_duplicates(table, DedupeSettings(), default_region=region)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    took = f"{wall:.1f} s wall, {cpu:.1f} s CPU, {memory.extra_mb:.0f} MB added"

    def evidence(e: Any) -> tuple[Any, ...]:
        return (e.a, e.b, e.probability, e.levels)

    features = found.features
    coded = {
        name: _digest(c.codes, tuple(c.keys), c.counts)
        for name in CODED
        for c in [getattr(features, name)]
    }
    result = {
        "groups": [
            (g.group_id, g.rows, g.scores, tuple(evidence(e) for e in g.evidence))
            for g in found.groups
        ],
        "review": [evidence(e) for e in found.review],
        "counts": dict(sorted(found.counts.items())),
        "model": (found.model.m, found.model.u, found.model.prior, found.model.tf_prior_rows),
        "features": coded | {"names": _digest(features.names), "size": features.size},
    }
    return result, took


def differences(saved: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Readable differences between two snapshots (at most a few per part)."""
    found: list[str] = []
    for part in saved:
        old, new = saved[part], now.get(part)
        if old == new:
            continue
        if isinstance(old, list) and isinstance(new, list):
            found.append(f"{part}: {len(old)} saved, {len(new)} now")
            wrong = [i for i, (x, y) in enumerate(zip(old, new, strict=False)) if x != y]
            found += [f"  {part}[{i}]: {old[i]!r} != {new[i]!r}" for i in wrong[:3]]
        elif isinstance(old, dict) and isinstance(new, dict):
            keys = sorted(set(old) | set(new))
            found += [
                f"{part}.{k}: {old.get(k)!r} != {new.get(k)!r}"
                for k in keys
                if old.get(k) != new.get(k)
            ]
        else:
            found.append(f"{part}: {old!r} != {new!r}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("zh", "en"), required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--population", choices=("census", "narrow"), default="census")
    parser.add_argument("--save", action="store_true", help="store instead of compare")
    args = parser.parse_args()
    path = CACHE / f"dedupe-snapshot-{args.population}-{args.lang}-{args.size}.pickle"
    labelled(args.lang, args.size, args.population)  # generated before the clock starts
    result, took = snapshot(args.lang, args.size, args.population)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary = (
        f"{args.population} {args.lang} {args.size}: {len(result['groups'])} groups, "
        f"{len(result['review'])} review pairs, {result['counts']['dedupe.pairs']} pairs; "
        f"find_duplicates {took}; process peak {peak_mb:.0f} MB"
    )
    if args.save:
        with path.open("wb") as file:
            pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
        print(f"saved {path.name}: {summary}")
        return 0
    with path.open("rb") as file:
        saved = pickle.load(file)
    found = differences(saved, result)
    print(("DIFFERENT" if found else "same") + f": {summary}")
    for line in found[:40]:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
