"""Hold the writer to "same results" and time it on whole-run plans.

    python bench/writer_snapshot.py --sizes 10k,100k --langs zh,en --save   # at the base commit
    python bench/writer_snapshot.py --sizes 10k,100k --langs zh,en          # after a change
    python bench/writer_snapshot.py --sizes 100k --langs zh --time 3        # wall, CPU, peak

The plan of a full run is built once per workbook of bench/perf_data.py, as bench/bench_run.py's
per-step child does (read, settings, understand, every step of toolkit.steps, Plan.combine), and
pickled in bench/.cache/writer-plan-<lang>-<size>.pickle with its RunInfo and the column
positions (`place_columns`), so only the write is repeated. The snapshot is the sha256 of every
zip entry's uncompressed bytes of the written copy (bench/.cache/writer-snap-<lang>-<size>.json);
without --save the new output must match it entry for entry (exit status 1 otherwise).
`--time N` runs the write alone N times, each in a fresh process under /usr/bin/time: wall and
CPU seconds, peak resident size, and the resident size once the plan was loaded (the write's
own memory is the difference).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from perf_data import CACHE, EXCEL_ROWS, SIZES, workbook_path  # noqa: E402

from toolkit.plan import Change, Highlight, Plan, SetColumn, WriteSheet  # noqa: E402

CHILD_ENV = {**os.environ, "PYTHONPATH": str(REPO)}

PLAN_CHILD = r"""
import pickle, sys
from datetime import date
from pathlib import Path
from toolkit.backends.base import RunInfo, place_columns
from toolkit.backends.xlsx import XlsxBackend
from toolkit.detect import understand
from toolkit.plan import Plan
from toolkit.settings_io import load_settings
from toolkit.steps import STEPS, StepContext, load_step

backend = XlsxBackend(Path(sys.argv[1]))
raw = backend.read()
settings = load_settings(raw=raw)
workbook = understand(raw, settings)
context = StepContext(workbook, settings, date(2025, 6, 30), workbook.lang)
plan = Plan.combine([load_step(name)(context) for name in STEPS])
info = RunInfo(tuple(STEPS), "2025-06-30T09:00:00", "bench", dict(plan.counts))
positions = place_columns(raw, plan)
with open(sys.argv[2], "wb") as out:
    pickle.dump({"plan": plan, "info": info, "positions": positions}, out, protocol=5)
"""

WRITE_CHILD = r"""
import json, pickle, resource, sys, time
from pathlib import Path
from toolkit.backends.ooxml import write_plan

with open(sys.argv[1], "rb") as source:
    saved = pickle.load(source)
loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started, cpu = time.perf_counter(), time.process_time()
plan, positions = saved["plan"], saved["positions"]
stats = write_plan(Path(sys.argv[2]), Path(sys.argv[3]), plan, positions=positions)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                  "loaded_mb": loaded, "cells": stats.cells_written}))
"""


def plan_path(lang: str, size: str) -> Path:
    return CACHE / f"writer-plan-{lang}-{size}.pickle"


def snapshot_path(lang: str, size: str) -> Path:
    return CACHE / f"writer-snap-{lang}-{size}.json"


def ensure_plan(lang: str, size: str) -> Path:
    """The pickled plan of a full run on the perf workbook, built once ("1m-scaled": see
    `scaled_plan`)."""
    if size == "1m-scaled":
        return scaled_plan(lang, "100k")
    path = plan_path(lang, size)
    if not path.exists():
        source = workbook_path(lang, size)  # type: ignore[arg-type]
        with tempfile.TemporaryDirectory(dir=CACHE) as folder:
            copy = Path(folder) / source.name
            shutil.copy(source, copy)
            partial = path.with_suffix(".partial")
            subprocess.run(
                [sys.executable, "-c", PLAN_CHILD, str(copy), str(partial)],
                env=CHILD_ENV, check=True,
            )  # fmt: skip
            partial.rename(path)
    return path


def scaled_plan(lang: str, size: str, rows: int = EXCEL_ROWS) -> Path:
    """The plan of `size` tiled to `rows` customer rows, for the 1M workbook (whose own plan
    needs more memory and time than a shared machine allows: dedupe alone takes 5-9 GB).

    Every SetColumn's values, the customer sheet's highlighted cells and our sheets' rows (at
    most `rows`) repeat the smaller run's; the column positions are the same.
    """
    path = CACHE / f"writer-plan-{lang}-1m-scaled.pickle"
    if path.exists():
        return path
    with ensure_plan(lang, size).open("rb") as source:
        saved = pickle.load(source)
    plan: Plan = saved["plan"]
    changes: list[Change] = []
    for change in plan.changes:
        if isinstance(change, SetColumn):
            values = change.values
            tiled = tuple(values[i % len(values)] for i in range(rows))
            changes.append(dataclasses.replace(change, values=tiled))
        elif isinstance(change, Highlight) and change.cells:
            step = SIZES[size]
            copies = [(r + k * step, c) for k in range(rows // step + 1) for r, c in change.cells]
            cells = tuple((r, c) for r, c in copies if r <= rows + 1)
            changes.append(dataclasses.replace(change, cells=cells))
        elif isinstance(change, WriteSheet) and change.rows:
            count = min(rows, len(change.rows) * (rows // SIZES[size] + 1))
            tiled_rows = tuple(change.rows[i % len(change.rows)] for i in range(count))
            period = len(change.rows)
            styles = tuple(
                (i + k * period, style)
                for k in range(count // period + 1)
                for i, style in change.row_styles
                if i + k * period < count
            )
            changes.append(dataclasses.replace(change, rows=tiled_rows, row_styles=styles))
        else:
            changes.append(change)
    saved["plan"] = dataclasses.replace(plan, changes=tuple(changes))
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        pickle.dump(saved, out, protocol=5)
    partial.rename(path)
    return path


def write_once(lang: str, size: str, target: Path, code: Path = REPO) -> dict[str, float]:
    """Write the plan into a fresh copy under /usr/bin/time with the toolkit of `code`."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S %M", sys.executable, "-c", WRITE_CHILD,
         str(ensure_plan(lang, size)), str(workbook_path(lang, size.split("-")[0])), str(target)],  # type: ignore[arg-type]
        capture_output=True, text=True, env={**CHILD_ENV, "PYTHONPATH": str(code)}, check=False,
        cwd="/",  # python -c puts the working folder first on sys.path
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"write failed:\n{done.stderr[-3000:]}")
    wall, user, system, peak_kb = done.stderr.strip().splitlines()[-1].split()
    found = json.loads(done.stdout.strip().splitlines()[-1])
    found.update(
        wall=float(wall), process_cpu=float(user) + float(system), peak_mb=int(peak_kb) / 1024
    )
    return found


def entry_digests(path: Path) -> dict[str, str]:
    """sha256 of every zip entry's uncompressed bytes, in entry order."""
    digests = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            digest = hashlib.sha256()
            with zf.open(info) as stream:
                while block := stream.read(1 << 20):
                    digest.update(block)
            digests[info.filename] = digest.hexdigest()
    return digests


def check(lang: str, size: str, *, save: bool, code: Path = REPO) -> bool:
    """Write once and save or compare the entry digests; True when they match (or saved)."""
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        target = Path(folder) / "out.xlsx"
        numbers = write_once(lang, size, target, code)
        digests = entry_digests(target)
    print(
        f"{lang} {size}: write {numbers['seconds']:.2f} s, cpu {numbers['cpu']:.2f} s; process "
        f"{numbers['wall']:.2f} s wall, {numbers['process_cpu']:.2f} s cpu, peak "
        f"{numbers['peak_mb']:.0f} MB (plan loaded {numbers['loaded_mb']:.0f} MB)"
    )
    stored = snapshot_path(lang, size)
    if save:
        stored.write_text(json.dumps(digests, indent=1))
        print(f"  saved {len(digests)} entries in {stored.name}")
        return True
    before = json.loads(stored.read_text())
    differ = [n for n in sorted(set(before) | set(digests)) if before.get(n) != digests.get(n)]
    order = list(before) == list(digests)
    for name in differ:
        print(f"  DIFFERS: {name}")
    if not order:
        print("  DIFFERS: entry order")
    print(f"  {'same' if not differ and order else 'NOT the same'}: {len(digests)} entries")
    return not differ and order


def timing(lang: str, size: str, repeat: int, codes: list[Path]) -> None:
    """Each toolkit in turn, `repeat` rounds (interleaved, so load changes hit all alike)."""
    runs: dict[Path, list[dict[str, float]]] = {code: [] for code in codes}
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        for number in range(repeat):
            for code in codes:
                target = Path(folder) / f"out{number}.xlsx"
                runs[code].append(write_once(lang, size, target, code))
                target.unlink()
    for code in codes:
        for key in ("seconds", "cpu", "wall", "process_cpu", "peak_mb", "loaded_mb"):
            values = [r[key] for r in runs[code]]
            shown = ", ".join(f"{v:.2f}" for v in values)
            median = statistics.median(values)
            print(f"{code} {lang} {size} {key}: median {median:.2f} ({shown})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k")
    parser.add_argument("--langs", default="zh,en")
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--time", type=int, default=0, help="time the write N times instead")
    parser.add_argument(
        "--code",
        default=str(REPO),
        help="toolkit roots (--time: each, comma-separated; else the first)",
    )
    parser.add_argument("--plan-only", action="store_true", help="only build the plans")
    args = parser.parse_args()
    same = True
    for size in args.sizes.split(","):
        for lang in args.langs.split(","):
            if args.plan_only:
                print(ensure_plan(lang, size))
            elif args.time:
                timing(lang, size, args.time, [Path(c) for c in args.code.split(",")])
            else:
                same &= check(lang, size, save=args.save, code=Path(args.code.split(",")[0]))
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
