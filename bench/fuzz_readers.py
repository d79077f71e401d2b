"""Fuzz the workbook readers and header detection for minutes (the tests do it for seconds).

    python bench/fuzz_readers.py --minutes 3

Runs the targets of tests/backends/fuzz_targets.py round after round, each round a fresh
hypothesis seed, until the time is up; prints every distinct failure (type and the last frame
in toolkit/) once, with the seed that found it. Exit code 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, seed, settings

from tests.backends.fuzz_targets import (
    READERS,
    detect_headers,
    flipped_package,
    mutated_part,
    random_sheet,
    raw_workbooks,
    read_package,
)

TARGETS: dict[str, tuple[Any, Callable[[Any], None]]] = {
    "flipped zip bytes": (flipped_package(), read_package),
    "mutated parts": (mutated_part(), read_package),
    "random sheet XML": (random_sheet(), read_package),
    "header detection": (raw_workbooks(), detect_headers),
}


def one_round(strategy: Any, target: Callable[[Any], None], number: int, examples: int) -> None:
    @seed(number)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value: Any) -> None:
        target(value)

    run()


def where(error: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "/toolkit/" in f.filename]
    last = frames[-1] if frames else None
    place = f"{Path(last.filename).name}:{last.lineno}" if last else "?"
    return f"{type(error).__name__} at {place}: {str(error).splitlines()[0][:160]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--examples", type=int, default=200, help="examples per round")
    options = parser.parse_args()
    stop = time.monotonic() + options.minutes * 60
    found: dict[str, str] = {}
    rounds = dict.fromkeys(TARGETS, 0)
    number = 0
    print(f"readers: {', '.join(READERS)}; {options.minutes:g} minutes")
    while time.monotonic() < stop:
        for name, (strategy, target) in TARGETS.items():
            number += 1
            try:
                one_round(strategy, target, number, options.examples)
            except BaseException as error:  # every failure is a finding; report and go on
                if isinstance(error, KeyboardInterrupt):
                    raise
                errors = getattr(error, "exceptions", [error])
                for each in errors:
                    found.setdefault(f"{name}: {where(each)}", f"seed {number}")
            rounds[name] += 1
    for name, count in rounds.items():
        print(f"{name}: {count} rounds of {options.examples} examples")
    for finding, first in found.items():
        print(f"FOUND {finding} ({first})")
    print("nothing found" if not found else f"{len(found)} distinct failures")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
