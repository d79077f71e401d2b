"""Deduplication in place, end to end: `custkit dedupe FILE.xlsx --json` on a generated workbook.

    python bench/dedupe_in_place.py --rows 100000 --langs zh,en --populations census,narrow

Each workbook is written once from bench/dedupe_data.generate (header on row 1) into
bench/.cache/; every run works on a fresh copy in a fresh process (read, plan, write the three
columns, the Duplicates sheet and highlights, backup, journal, Run Log). Prints the median of
the runs and the peak resident size (`/usr/bin/time -f %M`) as rows of the BENCHMARKS.md table.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from dedupe_data import generate  # noqa: E402

CACHE = BENCH / ".cache"


def workbook(lang: str, rows: int, population: str) -> Path:
    """The generated workbook, written once (openpyxl write-only)."""
    import openpyxl

    path = CACHE / f"dedupe-{population}-{lang}-{rows}.xlsx"
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    data = generate(lang, rows, population=population)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("客户" if lang == "zh" else "Customers")
    sheet.append(list(data.header))
    for row in data.rows:
        sheet.append(list(row))
    book.save(path)
    return path


def one_run(source: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one `custkit dedupe --json` on a fresh copy."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / source.name
        shutil.copy(source, copy)
        command = ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "toolkit.cli", "dedupe"]
        start = time.perf_counter()
        done = subprocess.run([*command, str(copy), "--json"], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
        return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--langs", default="zh,en")
    parser.add_argument("--populations", default="census,narrow")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for population in args.populations.split(","):
        for lang in args.langs.split(","):
            source = workbook(lang, args.rows, population)
            runs = [one_run(source) for _ in range(args.repeat)]
            times = ", ".join(f"{seconds:.1f}" for seconds, _ in runs)
            median = statistics.median(seconds for seconds, _ in runs)
            peak = max(mb for _, mb in runs)
            print(f"| {population} {lang} | {args.rows:,} | {median:.1f} | {times} | {peak:.0f} |")


if __name__ == "__main__":
    main()
