"""Full-run benchmark: `custkit run` end to end and step by step, against the usual baselines.

    pip install -r bench/requirements.txt
    python bench/bench_run.py --sizes 10k,100k --langs zh --repeat 3 --write
    python bench/bench_run.py --sizes 100k --langs zh --profile     # top costs of every step

Workbooks come from bench/perf_data.py (cached in bench/.cache/). Every measurement runs in a
fresh child process on a fresh copy of the workbook, so time and peak memory are its own:
- end to end: `custkit run COPY --json --as-of 2025-06-30`, in place, with the reader custkit
  chooses (auto) and with openpyxl forced (CUSTKIT_READER=openpyxl), peak resident size from
  /usr/bin/time -f %M;
- per step: the same run done by hand in one child (backend.read, understand, each step of
  toolkit.steps.STEPS through load_step with one StepContext, as toolkit.runner.plan_run does,
  then backend.apply), each phase timed, peak resident size after each phase;
- baselines on the same file in the same session: openpyxl load_workbook + save, pandas
  read_excel (openpyxl engine, calamine engine) + to_excel, python-calamine reading alone.
splink for the dedupe step is measured by bench/bench_dedupe.py (Deduplication section).
Cells per second = the workbook's cells (rows x columns of its three sheets) / wall time.
`--write` replaces the "Full run" section of BENCHMARKS.md (no other section).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from perf_data import SIZES, workbook_path  # noqa: E402

AS_OF = "2025-06-30"
SECTION = "## Full run"
CHILD_ENV = {**os.environ, "PYTHONPATH": str(REPO)}
CLI = "from toolkit.cli import main; main()"

# Children: each prints one JSON line with its timings.
STEPS_CHILD = r"""
import json, resource, sys, time
from datetime import date
from pathlib import Path
from toolkit.backends.xlsx import XlsxBackend
from toolkit.backends.base import RunInfo
from toolkit.detect import understand
from toolkit.plan import Plan
from toolkit.settings_io import load_settings
from toolkit.steps import STEPS, StepContext, load_step

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

path, profile = Path(sys.argv[1]), sys.argv[2]
phases = {}
def timed(name, action):
    if profile:
        import cProfile, io, pstats
        profiler = cProfile.Profile()
        started = time.perf_counter()
        result = profiler.runcall(action)
        phases[name] = (time.perf_counter() - started, peak())
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
        with open(profile, "a") as out:
            out.write(f"\n===== {name}: {phases[name][0]:.2f} s\n" + text.getvalue())
        return result
    started = time.perf_counter()
    result = action()
    phases[name] = (time.perf_counter() - started, peak())
    return result

backend = XlsxBackend(path)
raw = timed("read", backend.read)
settings = timed("settings", lambda: load_settings(raw=raw))
workbook = timed("understand", lambda: understand(raw, settings))
context = StepContext(workbook, settings, date(2025, 6, 30), workbook.lang)
plans = [timed(name, lambda name=name: load_step(name)(context)) for name in STEPS]
plan = Plan.combine(plans)
info = RunInfo(tuple(STEPS), "2025-06-30T09:00:00", "bench", dict(plan.counts))
timed("write", lambda: backend.apply(plan, run=info))
print(json.dumps({"phases": phases}))
"""

BASELINES = {
    "openpyxl load + save": """
import openpyxl, sys
book = openpyxl.load_workbook(sys.argv[1])
book.save(sys.argv[2])
""",
    "pandas read_excel (openpyxl) + to_excel": """
import pandas, sys
frames = pandas.read_excel(sys.argv[1], sheet_name=None, engine="openpyxl")
with pandas.ExcelWriter(sys.argv[2], engine="openpyxl") as writer:
    for name, frame in frames.items():
        frame.to_excel(writer, sheet_name=name, index=False)
""",
    "pandas read_excel (calamine) + to_excel": """
import pandas, sys
frames = pandas.read_excel(sys.argv[1], sheet_name=None, engine="calamine")
with pandas.ExcelWriter(sys.argv[2], engine="openpyxl") as writer:
    for name, frame in frames.items():
        frame.to_excel(writer, sheet_name=name, index=False)
""",
    "python-calamine read (all sheets)": """
import python_calamine, sys
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python()
""",
    "openpyxl read_values (read-only: custkit normal reader)": """
import sys
from pathlib import Path
from toolkit.backends.xlsx import read_values
read_values(Path(sys.argv[1]))
""",
    "custkit read_values_fast (calamine + checks)": """
import sys
from pathlib import Path
from toolkit.backends.xlsx_fast import read_values_fast
read_values_fast(Path(sys.argv[1]))
""",
}


@dataclass
class Measure:
    """Runs of one thing: wall seconds and peak resident megabytes of each."""

    what: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def timed_child(argv: list[str], *, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak MB, stdout) of one child under /usr/bin/time."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *argv], capture_output=True, text=True,
        env=env or CHILD_ENV, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{argv[:4]} failed:\n{done.stderr[-3000:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024, done.stdout


def fresh_copy(source: Path, folder: Path, name: str) -> Path:
    target = folder / name / source.name
    if target.parent.exists():
        shutil.rmtree(target.parent)
    target.parent.mkdir(parents=True)
    shutil.copy(source, target)
    return target


def end_to_end(source: Path, folder: Path, repeat: int, reader: str) -> Measure:
    measure = Measure(f"custkit run, reader {reader}")
    env = {**CHILD_ENV, "CUSTKIT_READER": reader}
    for number in range(repeat):
        copy = fresh_copy(source, folder, f"run-{reader}-{number}")
        argv = [sys.executable, "-c", CLI, "run", str(copy), "--json", "--as-of", AS_OF]
        seconds, peak, out = timed_child(argv, env=env)
        json.loads(out)  # a run that printed no summary did not finish
        measure.seconds.append(seconds)
        measure.peak_mb.append(peak)
    return measure


def per_step(source: Path, folder: Path, repeat: int, profile: str = "") -> dict[str, Measure]:
    phases: dict[str, Measure] = {}
    for number in range(repeat):
        copy = fresh_copy(source, folder, f"steps-{number}")
        argv = [sys.executable, "-c", STEPS_CHILD, str(copy), profile]
        _, _, out = timed_child(argv)
        for name, (seconds, peak) in json.loads(out.splitlines()[-1])["phases"].items():
            phases.setdefault(name, Measure(name)).seconds.append(seconds)
            phases[name].peak_mb.append(peak)
    return phases


def baselines(source: Path, folder: Path, repeat: int, names: list[str]) -> list[Measure]:
    measures = []
    for name in names:
        measure = Measure(name)
        for number in range(repeat):
            copy = fresh_copy(source, folder, f"base-{number}")
            argv = [sys.executable, "-c", BASELINES[name], str(copy), str(copy) + ".out.xlsx"]
            try:
                seconds, peak, _ = timed_child(argv)
            except RuntimeError as error:  # e.g. pandas missing: say so in the table
                print(f"  {name}: {str(error).splitlines()[-1]}", file=sys.stderr)
                break
            measure.seconds.append(seconds)
            measure.peak_mb.append(peak)
        if measure.seconds:
            measures.append(measure)
    return measures


def workbook_cells(source: Path) -> int:
    manifest = json.loads(source.with_suffix(".json").read_text())
    return (
        (manifest["customers"] + 1) * 18 + (manifest["orders"] + 1) * 6
        + (manifest["complaints"] + 1) * 9
    )  # fmt: skip


# ---------------------------------------------------------------- reporting


def machine() -> str:
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.split()
    total = memory[memory.index("Mem:") + 1] if "Mem:" in memory else "?"
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    load = os.getloadavg()[0]
    return (
        f"Machine: `nproc` {os.cpu_count()}, `free -h` total {total}, CPython "
        f"{platform.python_version()}, load {load:.1f} at the end (shared with other "
        f"benchmarks); date {date.today().isoformat()}; commit {commit}."
    )


def table_rows(label: str, cells: int, measures: list[Measure]) -> list[str]:
    rows = []
    for m in measures:
        runs = ", ".join(f"{s:.1f}" for s in m.seconds)
        rate = cells / m.median
        rows.append(
            f"| {label} | {m.what} | {m.median:.1f} | {runs} | {max(m.peak_mb):,.0f} | "
            f"{rate:,.0f} |"
        )
    return rows


def step_rows(label: str, phases: dict[str, Measure]) -> list[str]:
    return [
        f"| {label} | {name} | {m.median:.2f} | {', '.join(f'{s:.2f}' for s in m.seconds)} | "
        f"{max(m.peak_mb):,.0f} |"
        for name, m in phases.items()
    ]


def section(results: list[str], steps: list[str], command: str) -> str:
    head = (
        f"{SECTION}\n\n`{command}` (bench-only requirements: `pip install -r "
        "bench/requirements.txt`). Workbooks from bench/perf_data.py: customers (18 columns, "
        "header on row 1, 3 % second entries, 1 % planted bad cells), orders (2.5 per customer, "
        "at most 1,048,575) and complaints (2 % of customers). Every run in a fresh process on a "
        "fresh copy, in place; time is wall time, median of the runs; peak memory is the "
        "process's maximum resident size (`/usr/bin/time -f %M`); cells/s = the workbook's "
        "cells / median time. Baselines run in the same session on the same file. splink: see "
        "Deduplication.\n\n" + machine() + "\n\n"
        "| workbook | what | median (s) | runs (s) | peak memory (MB) | cells/s |\n"
        "| --- | --- | ---: | --- | ---: | ---: |\n"
    )
    per_step_head = (
        "\n\nPer step (one process does read, settings, header detection, each step through "
        "toolkit.steps with one StepContext, and the write; peak = resident size at the end of "
        "the phase, so it only grows):\n\n"
        "| workbook | phase | median (s) | runs (s) | peak so far (MB) |\n"
        "| --- | --- | ---: | --- | ---: |\n"
    )
    return head + "\n".join(results) + per_step_head + "\n".join(steps) + "\n"


def write_section(text: str) -> None:
    path = REPO / "BENCHMARKS.md"
    content = path.read_text()
    start = content.find(SECTION + "\n")
    if start < 0:
        content = content.rstrip("\n") + "\n\n" + text
    else:
        after = content.find("\n## ", start + len(SECTION))
        content = content[:start] + text + ("\n" + content[after + 1 :] if after >= 0 else "")
    path.write_text(content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help=f"of {', '.join(SIZES)}")
    parser.add_argument("--langs", default="zh")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-repeat", type=int, default=1)
    parser.add_argument("--baselines", default=",".join(BASELINES), help="names, comma-separated")
    parser.add_argument("--no-openpyxl-run", action="store_true", help="skip the forced run")
    parser.add_argument("--profile", action="store_true", help="cProfile each step, top 15")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    results: list[str] = []
    steps: list[str] = []
    with tempfile.TemporaryDirectory(prefix="custkit-bench-") as tmp:
        folder = Path(tmp)
        for lang in args.langs.split(","):
            for size in args.sizes.split(","):
                source = workbook_path(lang, size)  # type: ignore[arg-type]
                label = f"{lang} {SIZES[size]:,}"
                cells = workbook_cells(source)
                if args.profile:
                    out = source.with_name(f"profile-{lang}-{size}.txt")
                    out.unlink(missing_ok=True)
                    per_step(source, folder, 1, str(out))
                    print(f"profile written to {out}")
                    continue
                measures = [end_to_end(source, folder, args.repeat, "auto")]
                if not args.no_openpyxl_run:
                    measures.append(end_to_end(source, folder, args.repeat, "openpyxl"))
                names = [n for n in args.baselines.split(",") if n]
                measures += baselines(source, folder, args.baseline_repeat, names)
                results += table_rows(label, cells, measures)
                steps += step_rows(label, per_step(source, folder, args.repeat))
                print("\n".join(results[-len(measures) :]), flush=True)
    if args.profile:
        return
    command = "python bench/bench_run.py " + " ".join(sys.argv[1:])
    text = section(results, steps, command.replace(" --write", ""))
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
