"""bench_steps.py's phases with CPU seconds (user+sys of the child) beside wall seconds.

    python bench/bench_steps_cpu.py --rows 100000 --langs zh --repeat 3 --steps validate,tag

Same workbooks, same phases and the same forked child per repeat as bench/bench_steps.py
(the normalizers' caches start cold); CPU time suffers less from other people's load on a
shared machine than wall time does. Reported per phase: median wall, median CPU, and the
child's peak resident size after the phase.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_steps import machine, peak_mb, phases, workbook_of

from toolkit.steps import STEPS
from toolkit.table import RawWorkbook

Timing = tuple[float, float, float]  # wall s, CPU s, peak MB


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child(raw: RawWorkbook, steps: tuple[str, ...], out: Connection) -> None:
    result: dict[str, Timing] = {}
    for name, action in phases(raw, steps).items():
        wall, cpu = time.perf_counter(), _cpu()
        action()
        result[name] = (time.perf_counter() - wall, _cpu() - cpu, peak_mb())
    out.send(result)
    out.close()


def measure(raw: RawWorkbook, steps: tuple[str, ...], repeat: int) -> dict[str, Timing]:
    """Median wall and CPU seconds and the largest peak of every phase over `repeat` children."""
    context = multiprocessing.get_context("fork")
    runs: list[dict[str, Timing]] = []
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
    parser.add_argument("--steps", default="validate,tag")
    options = parser.parse_args()
    steps = tuple(s for s in STEPS if s in options.steps.split(","))
    print(machine())
    for lang in options.langs.split(","):
        raw = workbook_of(lang, options.rows)  # type: ignore[arg-type]
        print(f"\n{lang}, {options.rows:,} customers, median of {options.repeat}")
        print("| phase | wall s | CPU s | peak MB |\n| --- | ---: | ---: | ---: |")
        for name, (wall, cpu, peak) in measure(raw, steps, options.repeat).items():
            print(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
