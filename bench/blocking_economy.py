"""Which blocking keys earn their candidate pairs: a study on the labelled benchmark tables.

Every later dedupe phase (comparison, EM, weights, clustering) costs time and memory per
candidate pair, so a key whose pairs find no duplicate that another key does not find too is
pure cost. On one table of bench/dedupe_data.py (cached in bench/.cache) this prints:

- per blocking key: its pairs, the true duplicate pairs among them, the true pairs ONLY it
  finds, and how many of those end up in one group in the full run (the key's real worth:
  a true pair only one key finds may still be lost to a low score);
- the same per block size (2, 3-5, ..., windowed blocks above `max_block_size`), which says
  where a per-key size cap (`DedupeSettings.skip_blocks_over`) would cut pairs, not duplicates;
- the recall of true pairs by the candidate set;
- for every `--variant` (settings changed from the defaults): candidate pairs and pairwise
  precision, recall and F1 of the groups, beside the defaults' run.

A variant is `field=value` pairs joined by ";" over DedupeSettings (JSON values), or the
shorthands `-key` (drop a blocking key) and `key<=N` (skip_blocks_over[key] = N):

    PYTHONPATH=$PWD python bench/blocking_economy.py zh 10000 census \\
        --variant=-company --variant="company<=20;address<=10" \\
        --variant="max_block_size=50" --variant="window=6"
    flock /tmp/custkit-heavy.lock env PYTHONPATH=$PWD \\
        python bench/blocking_economy.py en 1000000 narrow --candidates-only --variant=""
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from dedupe_data import Labelled, cached  # noqa: E402

from toolkit.models.dedupe_settings import DedupeSettings  # noqa: E402
from toolkit.routines.dedupe.blocking import candidate_pairs, key_entries  # noqa: E402
from toolkit.routines.dedupe.features import Features, extract  # noqa: E402
from toolkit.routines.dedupe.find import Duplicates, find_duplicates  # noqa: E402

CACHE = REPO / "bench" / ".cache"
# Upper bounds of the block-size buckets; a block above max_block_size is windowed.
BUCKETS = (2, 5, 10, 20, 50, 100)


def true_pair_count(entity: np.ndarray) -> int:
    """Pairs of rows that are one customer.

    >>> true_pair_count(np.array([0, 0, 0, 1, 2, 2]))
    4
    """
    sizes = np.bincount(entity)
    return int((sizes * (sizes - 1) // 2).sum())


def quality(found: Duplicates, entity: np.ndarray) -> dict[str, float]:
    """Pairwise precision, recall and F1 of the groups (as bench/bench_dedupe.py counts them)."""
    predicted = hits = 0
    for group in found.groups:
        labels = entity[list(group.rows)]
        predicted += labels.size * (labels.size - 1) // 2
        same = np.bincount(np.unique(labels, return_inverse=True)[1])
        hits += int((same * (same - 1) // 2).sum())
    truth = true_pair_count(entity)
    precision = hits / predicted if predicted else 1.0
    recall = hits / truth if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def group_of(found: Duplicates, size: int) -> np.ndarray:
    """Per row, the number of its group, or -1."""
    result = np.full(size, -1, dtype=np.int64)
    for number, group in enumerate(found.groups):
        result[list(group.rows)] = number
    return result


def block_size_of_pairs(features: Features, key: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Size of the block (of `key`) that put each pair together; for phone, the bigger block
    the two rows share (a row has up to two phones)."""
    _rows, codes = key_entries(features, key)
    sizes = np.bincount(codes[codes >= 0])
    n = features.size
    first, second = codes[:n], codes[n:] if codes.size > n else np.full(n, -1)
    best = np.zeros(a.size, dtype=np.int64)
    for left in (first, second):
        for right in (first, second):
            shared = (left[a] >= 0) & (left[a] == right[b])
            best = np.where(shared, np.maximum(best, sizes[np.maximum(left[a], 0)]), best)
    return best


def study(
    data: Labelled, features: Features, settings: DedupeSettings, *, run: bool = True
) -> None:
    """Per key and per block size: pairs, true pairs, true pairs only that key finds (and
    of those, how many one group holds after the full run; without `run`, all of them)."""
    entity = np.asarray(data.entity, dtype=np.int64)
    started = time.perf_counter()
    candidates = candidate_pairs(features, settings)
    a, b, keys = candidates.a, candidates.b, candidates.keys
    true = entity[a] == entity[b]
    total = true_pair_count(entity)
    print(f"candidate pairs {a.size:,}; true pairs {total:,}; found by the candidates "
          f"{int(true.sum()):,} (recall {true.sum() / total:.4f})", flush=True)  # fmt: skip
    grouped = np.ones(a.size, dtype=bool)
    if run:
        found = find_duplicates(data.table(), settings, default_region=region(data.lang))
        groups = group_of(found, features.size)
        grouped = (groups[a] == groups[b]) & (groups[a] >= 0)
        seconds = time.perf_counter() - started
        print(f"run {seconds:.1f} s; {_quality_line(quality(found, entity))}")
    print("key\tpairs\ttrue\tonly\tonly+grouped\t| per block size: pairs/only+grouped")
    for bit, key in enumerate(candidates.key_names):
        mine = (keys & np.uint16(1 << bit)) != 0
        only = mine & (keys == np.uint16(1 << bit)) & true
        sizes = block_size_of_pairs(features, key, a[mine], b[mine])
        bucket_of = np.searchsorted(np.array(BUCKETS), sizes)  # len(BUCKETS): windowed
        only_grouped = (only & grouped)[mine]
        cells = []
        for i, upper in enumerate((*BUCKETS, None)):
            inside = bucket_of == i
            label = f"<={upper}" if upper else f">{BUCKETS[-1]}"
            cells.append(f"{label}:{int(inside.sum()):,}/{int((inside & only_grouped).sum())}")
        print(f"{key}\t{int(mine.sum()):,}\t{int((mine & true).sum()):,}\t{int(only.sum()):,}"
              f"\t{int((only & grouped).sum()):,}\t| {' '.join(cells)}")  # fmt: skip


def _quality_line(q: dict[str, float]) -> str:
    return f"P {q['precision']:.4f} R {q['recall']:.4f} F1 {q['f1']:.4f}"


def region(lang: str) -> str:
    return "CN" if lang == "zh" else "US"


def variant_settings(text: str, base: DedupeSettings) -> DedupeSettings:
    """Settings changed by a variant (see the module docstring).

    >>> s = variant_settings("-company;address<=10;window=6", DedupeSettings())
    >>> "company" in s.blocking, s.skip_blocks_over["address"], s.window
    (False, 10, 6)
    """
    changes: dict[str, Any] = {}
    blocking = list(base.blocking)
    limits = dict(base.skip_blocks_over)
    for part in filter(None, (p.strip() for p in text.split(";"))):
        if part.startswith("-"):
            blocking.remove(part[1:])
        elif part.startswith("+"):
            blocking.append(part[1:])
        elif "<=" in part:
            key, limit = part.split("<=")
            limits[key.strip()] = int(limit)
        else:
            field, value = part.split("=", 1)
            changes[field.strip()] = json.loads(value)
    changes.setdefault("blocking", tuple(blocking))
    changes.setdefault("skip_blocks_over", limits)
    return DedupeSettings.model_validate({**base.model_dump(), **changes})  # validated


def run_variant(data: Labelled, settings: DedupeSettings, label: str) -> None:
    """One full run under `settings`: candidate pairs, quality and time."""
    entity = np.asarray(data.entity, dtype=np.int64)
    started = time.perf_counter()
    found = find_duplicates(data.table(), settings, default_region=region(data.lang))
    seconds = time.perf_counter() - started
    print(f"{label or '(defaults)'}\tpairs {found.counts['dedupe.pairs']:,}\t"
          f"{_quality_line(quality(found, entity))}\t{seconds:.1f} s", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lang", choices=("zh", "en"))
    parser.add_argument("rows", type=int)
    parser.add_argument("population", choices=("census", "narrow"))
    parser.add_argument("--variant", action="append", default=[], help="see the docstring")
    parser.add_argument("--no-study", action="store_true", help="variants only")
    parser.add_argument(
        "--candidates-only", action="store_true", help="study the candidates, skip the full run"
    )
    parser.add_argument("--base", default="", help="a variant every other one starts from")
    args = parser.parse_args()
    data = cached(args.lang, args.rows, args.population, CACHE)
    base = variant_settings(args.base, DedupeSettings())
    print(f"== {args.lang} {args.population} {len(data.rows):,} rows", flush=True)
    if not args.no_study:
        features = extract(data.table(), default_region=region(args.lang))
        study(data, features, base, run=not args.candidates_only)
        del features
    for text in args.variant:
        run_variant(data, variant_settings(text, base), text)


if __name__ == "__main__":
    main()
