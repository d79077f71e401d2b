"""bench_steps.py's phases with each phase's CPU seconds beside its wall seconds.

    python bench/bench_followups.py --rows 100000 --langs zh --repeat 3
    python bench/bench_followups.py --rows 1000000 --langs zh --repeat 1

Same workbooks, same phases, same forked child per repeat as bench/bench_steps.py (whose
functions it uses); CPU seconds are the child's `time.process_time()` over the phase, which
the other jobs on a shared machine disturb less than wall seconds. Medians of the repeats.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_steps import DEFAULT_STEPS, machine, peak_mb, phases, workbook_of

from toolkit.steps import STEPS
from toolkit.table import RawWorkbook

Timing = dict[str, tuple[float, float, float]]  # phase -> (wall s, cpu s, peak MB)


def _child(raw: RawWorkbook, steps: tuple[str, ...], out: Connection) -> None:
    result: Timing = {}
    for name, action in phases(raw, steps).items():
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        result[name] = (time.perf_counter() - wall, time.process_time() - cpu, peak_mb())
    out.send(result)
    out.close()


def measure(raw: RawWorkbook, steps: tuple[str, ...], repeat: int) -> Timing:
    """Median wall and CPU seconds and the largest peak MB of every phase over `repeat` runs."""
    runs: list[Timing] = []
    context = multiprocessing.get_context("fork")
    for _ in range(repeat):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(raw, steps, send))
        child.start()
        runs.append(receive.recv())
        child.join()
    return {
        name: (
            statistics.median(run[name][0] for run in runs),
            statistics.median(run[name][1] for run in runs),
            max(run[name][2] for run in runs),
        )
        for name in runs[0]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--langs", default="zh")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--steps", default=",".join(DEFAULT_STEPS))
    options = parser.parse_args()
    steps = tuple(s for s in STEPS if s in options.steps.split(","))
    print(machine())
    for lang in options.langs.split(","):
        raw = workbook_of(lang, options.rows)  # type: ignore[arg-type]
        print(f"\n{lang}, {options.rows:,} customers, median of {options.repeat}")
        print("| phase | wall s | cpu s | peak MB |\n| --- | ---: | ---: | ---: |")
        results = measure(raw, steps, options.repeat)
        for name, (wall, cpu, peak) in results.items():
            print(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.0f} |")
        wall = sum(w for w, _, _ in results.values())
        cpu = sum(c for _, c, _ in results.values())
        print(f"| total | {wall:.2f} | {cpu:.2f} | {max(p for *_, p in results.values()):.0f} |")


if __name__ == "__main__":
    main()
