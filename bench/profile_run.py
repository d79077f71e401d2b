"""Where the wall seconds of one `custkit run` go, phase by phase, from py-spy's samples.

    python bench/profile_run.py --size 1m --lang zh [--tree DIR] [--keep DIR]

A fresh copy of the generated workbook (bench/perf_data.py, cached) is run in place, as a user
would: `custkit run <copy> --json --as-of 2025-06-30`, under `/usr/bin/time` (wall, CPU, peak
RSS of the custkit process alone) with `py-spy record --idle` attached (every 1/rate s of the main
thread is one sample, waiting or not, so the phases add up to the wall time). Each sample of
the main thread is given to the first phase its stack names (the read, each step, the write,
the summary render; lock, backup, digests, journal, Run Log; start-up before the run and exit
after it), and the table shows wall seconds per phase and what the other threads (calamine)
did meanwhile. `--tree` runs another checkout's code (e.g. an export of the base commit) for a
before/after pair; `--keep` keeps the samples (speedscope JSON, and collapsed stacks for
/tmp/prof1m/agg.py-style tools) and the program's output.

At a million rows run it under the shared lock: `flock /tmp/custkit-heavy.lock python ...`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from perf_data import SIZES, workbook_path  # noqa: E402

CLI = "from toolkit.cli import main; main()"
AS_OF = "2025-06-30"

# The first of these a stack names (root first) decides its phase; a step is the frame under
# `_plan_steps` whose name ends in "_step". Order matters: the journal's digests and backup
# happen inside the write, the lock wraps the read.
NAMED = (
    ("XlsxBackend.__enter__", "lock"),
    ("XlsxBackend.__exit__", "lock (release)"),
    ("_fingerprint", "digests (read, unchanged checks)"),
    ("Journal.backup", "backup copy"),
    ("file_digest", "digests (journal)"),
    ("Journal.record", "journal record"),
    ("clear_leftovers", "journal record"),
    ("_fsync", "fsync"),
    ("fsync_folder", "fsync"),
    ("check_workbook_file", "read: package checks"),
    ("XlsxBackend.read", "read"),
    ("XlsxBackend.apply", "write"),
    ("_log_entry", "Run Log"),
    ("run_log_sheet", "Run Log"),
    ("understand", "understand (detect tables)"),
    ("load_settings", "settings"),
    ("load_step", "step imports"),
    ("_render", "summary render"),
)


@dataclass(frozen=True)
class Whole:
    """What /usr/bin/time says of the custkit process."""

    wall: float
    cpu_user: float
    cpu_system: float
    peak_mb: float


def phase_of(names: Sequence[str], *, started: bool) -> str:
    """The phase of one main-thread sample, from its frames' names (root first).

    >>> phase_of(["main", "run", "_plan_steps", "dedupe_step", "compare"], started=True)
    'step: dedupe'
    >>> phase_of(["main", "run", "XlsxBackend.apply", "Journal.backup", "copy2"], started=True)
    'backup copy'
    >>> phase_of(["<module>", "_find_and_load"], started=False)
    'start-up (interpreter, imports, options)'
    """
    for position, name in enumerate(names):
        if name == "_plan_steps" and position + 1 < len(names):
            below = names[position + 1]
            if below.endswith("_step") and below != "load_step":
                return "step: " + below.removesuffix("_step")
    for wanted, phase in NAMED:
        if wanted in names:
            return phase
    if "run" in names and "_read_plan_apply" not in names:
        return "run: outside read/plan/apply"
    if "_outcome" in names or "_execute" in names or "run_command" in names:
        return "command: outside run (teardown of the outcome)"
    return "start-up (interpreter, imports, options)" if not started else "exit (teardown)"


def phases(profile: dict[str, object], pid: int) -> tuple[Counter[str], Counter[str], float]:
    """Seconds per phase of the main thread, per thread of the others, and the sampled total.

    The main thread's id is the process id `pid` (py-spy names threads 'Thread 123 "name"').
    """
    frames = [f["name"] for f in profile["shared"]["frames"]]  # type: ignore[index]
    main: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for thread in profile["profiles"]:  # type: ignore[attr-defined]
        name = thread["name"]
        words = name.split()
        is_main = words[words.index("Thread") + 1] == str(pid)
        started = False
        for sample, weight in zip(thread["samples"], thread["weights"], strict=True):
            names = [frames[i] for i in sample]
            if not is_main:
                others[name.split('"')[1] or name] += weight
                continue
            phase = phase_of(names, started=started)
            started = started or phase not in ("start-up (interpreter, imports, options)",)
            main[phase] += weight
    return main, others, sum(main.values())


def collapsed(profile: dict[str, object]) -> str:
    """The samples as py-spy's raw format: one line of frames per stack, then a count."""
    frames = profile["shared"]["frames"]  # type: ignore[index]
    lines: Counter[str] = Counter()
    for thread in profile["profiles"]:  # type: ignore[attr-defined]
        for sample in thread["samples"]:
            lines[
                ";".join(
                    f"{frames[i]['name']} ({frames[i]['file']}:{frames[i]['line']})" for i in sample
                )
            ] += 1
    return "".join(f"{stack} {count}\n" for stack, count in lines.items())


def profile_run(
    workbook: Path, folder: Path, *, tree: Path, rate: int
) -> tuple[dict[str, object], int, Whole]:
    """Run custkit on a copy of `workbook` in `folder` under /usr/bin/time, py-spy attached."""
    copy = folder / workbook.name
    shutil.copyfile(workbook, copy)  # never through the cache's symlink: a run writes in place
    samples, timing = folder / "samples.json", folder / "time.txt"
    program = [sys.executable, "-c", CLI, "run", str(copy), "--json", "--as-of", AS_OF]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    with (folder / "stdout.txt").open("wb") as out, (folder / "stderr.txt").open("wb") as err:
        timed = subprocess.Popen(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(timing), *program],
            env=env,
            stdout=out,
            stderr=err,
        )
        # py-spy attaches to custkit rather than starting it: started by py-spy, the program
        # is sometimes orphaned before its end (and time's figures lost); the few milliseconds
        # before it attaches show as "wall minus sampled".
        pid = _child(timed.pid)
        spy = subprocess.Popen(
            ["py-spy", "record", "--pid", str(pid), "--rate", str(rate),
             "--format", "speedscope", "--idle", "--threads", "-o", str(samples)],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )  # fmt: skip
        code = timed.wait()
        spy.wait()
    if code != 0:
        raise SystemExit(f"custkit run failed ({code}); see {folder}/stderr.txt")
    wall, user, system, peak_kb = timing.read_text().split()[-4:]
    whole = Whole(float(wall), float(user), float(system), int(peak_kb) / 1024)
    return json.loads(samples.read_text()), pid, whole


def _child(parent: int) -> int:
    """The process id of `parent`'s child (custkit under /usr/bin/time), once it exists."""
    children = Path(f"/proc/{parent}/task/{parent}/children")
    while not (found := children.read_text().split()):
        time.sleep(0.001)
    return int(found[0])


def report(main: Counter[str], others: Counter[str], sampled: float, whole: Whole) -> str:
    """The per-phase table, largest first, with the whole run's wall, CPU and peak."""
    lines = [f"{'phase (main thread)':48} {'wall s':>8} {'share':>6}"]
    for phase, seconds in main.most_common():
        lines.append(f"{phase:48} {seconds:8.1f} {seconds / whole.wall:6.1%}")
    # py-spy starts the program and stops when it ends: what it did not sample (or sampled
    # more, its clock against time's) is the interpreter's start and end outside its view.
    lines.append(f"{'wall (time) minus sampled (py-spy)':48} {whole.wall - sampled:8.1f}")
    for thread, seconds in others.most_common():
        lines.append(f"{'other thread: ' + thread + ' (idle included)':48} {seconds:8.1f}")
    lines.append(
        f"whole: {whole.wall:.1f} s wall, {whole.cpu_user + whole.cpu_system:.1f} s CPU "
        f"({whole.cpu_user:.1f} user + {whole.cpu_system:.1f} sys), peak {whole.peak_mb:,.0f} MB"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", choices=sorted(SIZES))
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--rate", type=int, default=25, help="samples per second")
    parser.add_argument("--tree", type=Path, default=REPO, help="the checkout whose code runs")
    parser.add_argument("--keep", type=Path, help="keep samples and output in this folder")
    args = parser.parse_args()
    workbook = workbook_path(args.lang, args.size)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="custkit-profile-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        profile, pid, whole = profile_run(
            workbook, folder, tree=args.tree.resolve(), rate=args.rate
        )
        main_thread, others, sampled = phases(profile, pid)
        print(f"custkit run {workbook.name} ({args.tree}), py-spy {args.rate}/s")
        print(report(main_thread, others, sampled, whole))
        if args.keep:
            (folder / "samples.txt").write_text(collapsed(profile))
            # The written copy and its backup: hundreds of MB each at a million rows.
            (folder / workbook.name).unlink(missing_ok=True)
            shutil.rmtree(folder / ".custkit", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
