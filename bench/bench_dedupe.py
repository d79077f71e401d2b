"""Deduplication benchmark: custkit's dedupe routine against splink (DuckDB) on the same data.

Labelled tables come from bench/dedupe_data.py (Chinese and English, corrupted copies,
namesakes). Each system runs in its own child process, so time and peak memory are its own:
time is the routine (normalization, blocking, scoring, grouping; data generation excluded),
memory is the peak resident size during the routine above the process's size before it.
Quality is pairwise precision, recall and F1 of the groups (every pair of rows put in one
group, against every pair of rows that are one customer).

splink gets the same normalized keys our routine uses (name, pinyin, phone, e-mail, company,
city, birthday, address, computed by toolkit.normalize) and the same blocking keys; its
normalization time is counted in its total. u by random sampling, the prior from
deterministic rules (phone, e-mail; recall 0.7), m by EM on two blocking rules, groups by
connected components at the same 0.95 threshold.

    pip install -r bench/requirements.txt
    python bench/bench_dedupe.py --sizes 10000,100000 --langs zh,en --repeat 3 --write
    python bench/bench_dedupe.py --sizes 1000000 --systems custkit --write --append
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from dedupe_data import Labelled, generate  # noqa: E402

THRESHOLD = 0.95


# ---------------------------------------------------------------- measuring
class PeakMemory:
    """Peak resident size of this process while in the `with` block, above its size before."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.base = self.process.memory_info().rss
        self.peak = self.base
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.02)

    def __enter__(self) -> PeakMemory:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def extra_mb(self) -> float:
        return (self.peak - self.base) / 2**20


def pairwise(groups: Iterable[Iterable[int]], entity: list[int]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of predicted groups against the labels."""
    predicted = {p for g in groups for p in itertools.combinations(sorted(g), 2)}
    members: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(entity):
        members[label].append(row)
    truth = {p for rows in members.values() for p in itertools.combinations(rows, 2)}
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": len(truth)}


# ---------------------------------------------------------------- the two systems
def run_custkit(data: Labelled, region: str) -> list[list[int]]:
    from toolkit.models.dedupe_settings import DedupeSettings
    from toolkit.routines.dedupe.find import find_duplicates

    found = find_duplicates(data.table(), DedupeSettings(), default_region=region)
    return [list(g.rows) for g in found.groups]


def splink_columns(data: Labelled, region: str) -> dict[str, list[object]]:
    """The normalized keys our routine compares, as splink input columns."""
    from toolkit.routines.dedupe.features import extract

    f = extract(data.table(), default_region=region)
    columns: dict[str, list[object]] = {"unique_id": list(range(f.size))}
    for name, coded in (("name", f.name), ("pinyin", f.pinyin), ("email", f.email),
                        ("company", f.company), ("city", f.city), ("birthday", f.birthday),
                        ("address", f.address)):  # fmt: skip
        columns[name] = [coded.keys[c] if c >= 0 else None for c in coded.codes.tolist()]
    phones = [f.phones.keys[c].lstrip("+#") if c >= 0 else None for c in f.phone.tolist()]
    columns["phone"] = phones
    columns["phone_head"] = [p[:-4] if p else None for p in phones]
    columns["phone_tail"] = [p[-4:] if p else None for p in phones]
    columns["initials"] = [p[:2] if p else None for p in columns["pinyin"]]  # type: ignore[index]
    return columns


def run_splink(data: Labelled, region: str) -> list[list[int]]:
    import duckdb
    import pyarrow as pa
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    connection = duckdb.connect()
    arrow = pa.table(splink_columns(data, region))  # noqa: F841  (read by DuckDB by name)
    connection.execute("create table customers as select * from arrow")
    db_api = DuckDBAPI(connection)
    frame = db_api.register("customers")

    def fuzzy(column: str, threshold: float, tf: bool = True) -> cl.CustomComparison:
        return cl.CustomComparison(
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(column, term_frequency_adjustments=tf),
                cll.JaroWinklerLevel(column, threshold),
                cll.ElseLevel(),
            ],
            output_column_name=column,
        )

    name = cl.CustomComparison(
        comparison_levels=[
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name", term_frequency_adjustments=True),
            cll.ExactMatchLevel("pinyin", term_frequency_adjustments=True),
            cll.JaroWinklerLevel("pinyin", 0.88),
            cll.ElseLevel(),
        ],
        output_column_name="name",
    )
    phone = cl.CustomComparison(
        comparison_levels=[
            cll.NullLevel("phone"),
            cll.ExactMatchLevel("phone", term_frequency_adjustments=True),
            cll.DamerauLevenshteinLevel("phone", 1),
            cll.ElseLevel(),
        ],
        output_column_name="phone",
    )
    birthday = cl.CustomComparison(
        comparison_levels=[
            cll.NullLevel("birthday"),
            cll.ExactMatchLevel("birthday"),
            cll.LevenshteinLevel("birthday", 1),
            cll.ElseLevel(),
        ],
        output_column_name="birthday",
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            name,
            phone,
            cl.ExactMatch("email").configure(term_frequency_adjustments=True),
            fuzzy("company", 0.9),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            birthday,
            fuzzy("address", 0.85, tf=False),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("phone"),
            block_on("email"),
            block_on("name", "city"),
            block_on("pinyin", "city"),
            block_on("company", "initials"),
            block_on("name", "birthday"),
            block_on("pinyin", "birthday"),
            block_on("initials", "birthday"),
            block_on("address"),
            block_on("pinyin", "phone_head"),
            block_on("pinyin", "phone_tail"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(frame, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("phone"), block_on("email")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name", "city"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, THRESHOLD)
    rows = clusters.as_duckdbpyrelation().select("cluster_id, unique_id").fetchall()
    by_cluster: dict[object, list[int]] = defaultdict(list)
    for cluster_id, unique_id in rows:
        by_cluster[cluster_id].append(int(unique_id))
    return [g for g in by_cluster.values() if len(g) > 1]


SYSTEMS: dict[str, Callable[[Labelled, str], list[list[int]]]] = {
    "custkit": run_custkit,
    "splink": run_splink,
}


def child(system: str, lang: str, size: int, population: str) -> dict[str, object]:
    """One measured run, in this process (libraries imported before the clock starts)."""
    import toolkit.routines.dedupe.find  # noqa: F401

    if system == "splink":
        import splink.comparison_library  # noqa: F401
    data = generate(lang, size, population=population)
    region = "CN" if lang == "zh" else "US"
    with PeakMemory() as memory:
        started = time.perf_counter()
        groups = SYSTEMS[system](data, region)
        seconds = time.perf_counter() - started
    result: dict[str, object] = {"system": system, "lang": lang, "rows": len(data.rows)}
    result["population"] = population
    result.update(pairwise(groups, data.entity))
    result.update({"seconds": seconds, "peak_mb": memory.extra_mb, "groups": len(groups)})
    return result


def measure(system: str, lang: str, size: int, population: str) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", system, "--langs", lang, "--sizes", str(size)]
    command += ["--populations", population]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


# ---------------------------------------------------------------- reporting
def table_lines(results: list[dict[str, object]]) -> list[str]:
    lines = [
        "| data | names | rows | system | precision | recall | F1 | time (s, median) | runs "
        "| peak memory (MB) |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['lang']} | {r['population']} | {r['rows']:,} | {r['system']} | "
            f"{r['precision']:.4f} | "
            f"{r['recall']:.4f} | {r['f1']:.4f} | {r['seconds']:.1f} | {r['runs']} | "
            f"{r['peak_mb']:.0f} |"
        )
    return lines


def machine() -> str:
    cores = os.cpu_count()
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    total = memory[1].split()[1] if len(memory) > 1 else "?"
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"Machine: `nproc` {cores}, `free -h` total {total}, {platform.python_implementation()} "
        f"{platform.python_version()}; date {date.today().isoformat()}; commit {commit}."
    )


def write_section(lines: list[str], *, append: bool = False) -> None:
    """Replace (or add) the Deduplication section of BENCHMARKS.md; other sections stay.

    With `append`, the lines are added at the end of the existing section instead.
    """
    path = REPO / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = text.find("## Deduplication")
    section = "\n".join(lines) + "\n"
    if append and start >= 0:
        end = text.find("\n## ", start + 3)
        end = len(text) if end < 0 else end + 1
        text = (
            text[:end].rstrip("\n")
            + "\n"
            + section
            + ("\n" + text[end:] if end < len(text) else "")
        )
    elif start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 3)
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    path.write_text(text, encoding="utf-8")


SECTION_HEAD = """## Deduplication

`python bench/bench_dedupe.py --sizes {sizes} --langs {langs} --repeat {repeat} --write`
(bench-only requirements: `pip install -r bench/requirements.txt`). Data: bench/dedupe_data.py,
labelled customer tables with corrupted copies (homophones, traditional characters, surname-only
names, phone formats and one-digit typos, new phones and e-mails, company suffixes, birthday
formats and day-month swaps, missing fields) and namesakes (same name and city, different
person). Two populations (column "names"): census (Zipf-distributed names from ~10,000
surnames and ~1,100 first names, Smith ~0.8% as in the US census; cities by population;
employers of Zipf size; half of the planted namesakes share the employer) and narrow (the
first generator: ~100 first and ~200 last names, one row in eight a James Smith, a tenth of
employees at 20 companies). Pairwise precision/recall/F1 of the groups; time is the routine
alone (normalization included, data generation excluded), median of the runs; peak memory is
the resident size the routine added. splink {splink} (DuckDB) gets the same normalized keys
and blocking keys, u by random sampling, the prior from phone/e-mail rules, m by EM,
connected components at 0.95.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--langs", default="zh,en")
    parser.add_argument("--populations", default="census,narrow", help="see dedupe_data.py")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--systems", default="custkit,splink")
    parser.add_argument("--splink-max-rows", type=int, default=100_000)
    parser.add_argument("--repeat-max-rows", type=int, default=100_000, help="larger: one run")
    parser.add_argument("--write", action="store_true", help="write the BENCHMARKS.md section")
    parser.add_argument("--append", action="store_true", help="add rows to the written section")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    langs = args.langs.split(",")
    populations = args.populations.split(",")
    if args.child:
        print(json.dumps(child(args.child, langs[0], sizes[0], populations[0])))
        return
    results = []
    combinations = itertools.product(sizes, populations, langs, args.systems.split(","))
    for size, population, lang, system in combinations:
        if system == "splink" and size > args.splink_max_rows:
            continue
        repeat = args.repeat if system == "custkit" and size <= args.repeat_max_rows else 1
        runs = [measure(system, lang, size, population) for _ in range(repeat)]
        best = dict(runs[0])
        best["seconds"] = statistics.median(float(r["seconds"]) for r in runs)  # type: ignore[arg-type]
        best["peak_mb"] = max(float(r["peak_mb"]) for r in runs)  # type: ignore[arg-type]
        best["runs"] = len(runs)
        results.append(best)
        print(table_lines([best])[-1], flush=True)
    lines = table_lines(results)
    if args.write and args.append:
        note = f"The last {len(results)} row(s) of the table come from a later run. {machine()}"
        write_section([*lines[2:], "", note], append=True)
    elif args.write:
        import splink

        head = SECTION_HEAD.format(sizes=args.sizes, langs=args.langs, repeat=args.repeat,
                                   splink=splink.__version__)  # fmt: skip
        write_section([head, machine(), "", *lines])
    print("\n".join(lines))


if __name__ == "__main__":
    main()
