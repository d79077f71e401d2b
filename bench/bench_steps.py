"""The steps of a run in memory: understand, each step's plan, combining, the Redactor.

    python bench/bench_steps.py --rows 100000 --langs en,zh --repeat 3
    python bench/bench_steps.py --rows 100000 --langs en --profile step.prof   # cProfile, 1 run
    python bench/bench_steps.py --rows 1000000 --langs zh --repeat 1 --steps validate,tag

No workbook I/O is timed: the workbook of bench/perf_data.py of that size (10k, 100k, 300k,
1,048,575 rows) is read once and pickled to bench/.cache/; any other `--rows` scales the 10k one
in memory by repeating its rows with varied ids, phones, e-mails and order/complaint ids (so
distinct values grow with the rows, as in a real book).
Each repeat runs in a forked child (the normalizers' caches start cold, as in a real run), from
a fresh `understand` and a fresh StepContext, and runs the steps in run order in that context
(later steps reuse what earlier ones remembered, as in `custkit run`).
The dedupe step is not run unless `--steps` names it (it has its own benchmark). Reported per
phase: median wall seconds and median CPU seconds (user+sys, which suffer less from other
people's load on a shared machine) of the repeats, and the child's peak resident size (MB)
after it (ru_maxrss: the workbook as read, shared with the parent, is counted in it).
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import pickle
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from perf_data import CACHE, GENERATOR_VERSION, SIZES, workbook_path  # noqa: E402

from toolkit.detect import understand  # noqa: E402
from toolkit.plan import Plan  # noqa: E402
from toolkit.privacy import Redactor  # noqa: E402
from toolkit.settings_io import load_settings  # noqa: E402
from toolkit.steps import STEPS, StepContext, load_step  # noqa: E402
from toolkit.table import CellValue, Lang, RawSheet, RawWorkbook  # noqa: E402

AS_OF = date(2025, 6, 30)
BASE_ROWS = 10_000
DEFAULT_STEPS = ("validate", "tag", "score", "followups", "complaints")
_TRAILING_DIGITS = re.compile(r"(\d+)$")


def read_workbook(lang: Lang, size: str = "10k") -> RawWorkbook:
    """A workbook of bench/perf_data.py as read (toolkit.backends.xlsx.read_values), pickled
    to bench/.cache/ on first use so that later runs skip reading it."""
    cached = CACHE / f"raw-{lang}-{size}-v{GENERATOR_VERSION}.pickle"
    if cached.exists():
        raw: RawWorkbook = pickle.loads(cached.read_bytes())
        return raw
    from toolkit.backends.xlsx import read_values

    raw = read_values(workbook_path(lang, size))
    cached.write_bytes(pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL))
    return raw


def workbook_of(lang: Lang, rows: int) -> RawWorkbook:
    """The generated workbook of that many rows when perf_data makes one, else the 10k one
    scaled (see `scaled`)."""
    size = next((name for name, count in SIZES.items() if count == rows), None)
    if size is not None:
        return read_workbook(lang, size)
    return scaled(read_workbook(lang), rows)


def _shift_id(value: CellValue, copy: int) -> CellValue:
    """An id of the copy: its trailing number moved up by copy * 10,000,000 (prefix kept)."""
    if not isinstance(value, str) or copy == 0:
        return value
    match = _TRAILING_DIGITS.search(value)
    if match is None:
        return f"{value}-{copy}"
    digits = match.group(1)
    return value[: match.start()] + str(int(digits) + copy * 10_000_000).zfill(len(digits))


def _shift_contact(value: CellValue, copy: int) -> CellValue:
    """A phone or e-mail of the copy: other digits at the end, the copy number in the local part."""
    if copy == 0 or not isinstance(value, str) or not value:
        return value
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local}{copy}@{domain}"
    match = _TRAILING_DIGITS.search(value)
    if match is None or len(match.group(1)) < 4:
        return value
    start = match.end() - 4
    return value[:start] + f"{(int(value[start:]) + copy * 37) % 10_000:04d}"


def scaled(raw: RawWorkbook, rows: int) -> RawWorkbook:
    """The workbook with `rows` customers: copies of the 10k rows, ids and contacts varied."""
    copies = -(-rows // BASE_ROWS)
    sheets = []
    for sheet in raw.sheets:
        header, body = sheet.rows[0], sheet.rows[1:]
        id_columns = {i for i, h in enumerate(header) if isinstance(h, str) and "ID" in h.upper()}
        id_columns |= {i for i, h in enumerate(header) if h in ("客户编号", "订单编号", "投诉编号")}
        contacts = {
            i
            for i, h in enumerate(header)
            if h in ("Phone", "Phone 2", "Email", "手机", "备用电话", "邮箱")
        }
        limit = rows if sheet is raw.sheets[0] else len(body) * rows // BASE_ROWS
        grown: list[tuple[CellValue, ...]] = [tuple(header)]
        for copy in range(copies):
            for row in body:
                if len(grown) > limit:
                    break
                grown.append(
                    tuple(
                        _shift_id(v, copy)
                        if i in id_columns
                        else _shift_contact(v, copy)
                        if i in contacts
                        else v
                        for i, v in enumerate(row)
                    )
                )
        sheets.append(RawSheet(sheet.name, grown, sheet.hidden))
    return RawWorkbook(f"{raw.source} x{rows}", tuple(sheets))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _redactor_phase(context: StepContext) -> str:
    """What a run's summary costs the Redactor: built for the workbook, one message masked."""
    redactor = Redactor.for_workbook(context.workbook, context.settings)
    return redactor.text("row 7: 13812345678 wrote to li.lei@example.com about 2025-06-30")


def phases(raw: RawWorkbook, steps: tuple[str, ...]) -> dict[str, Callable[[], object]]:
    """The phases of one repeat, in order; each closes over the state the earlier ones made."""
    state: dict[str, object] = {}

    def settings() -> object:
        state["settings"] = load_settings(raw=raw)
        return state["settings"]

    def understood() -> object:
        book = understand(raw, state["settings"])  # type: ignore[arg-type]
        state["context"] = StepContext(book, state["settings"], AS_OF, book.lang)  # type: ignore[arg-type]
        state["plans"] = []
        return book

    def step(name: str) -> Callable[[], object]:
        def run() -> object:
            plan = load_step(name)(state["context"])  # type: ignore[arg-type]
            state["plans"].append(plan)  # type: ignore[attr-defined]
            return plan

        return run

    def combined() -> object:
        return Plan.combine(state["plans"])  # type: ignore[arg-type]

    def redactor() -> object:
        return _redactor_phase(state["context"])  # type: ignore[arg-type]

    table: dict[str, Callable[[], object]] = {"settings": settings, "understand": understood}
    table.update({name: step(name) for name in steps})
    table["combine"] = combined
    table["redactor"] = redactor
    return table


Timing = tuple[float, float, float]  # wall seconds, CPU seconds (user+sys), peak MB


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _one_run(raw: RawWorkbook, steps: tuple[str, ...]) -> dict[str, Timing]:
    """Wall and CPU seconds of each phase of one run, and the peak MB after it (CPU time
    suffers less from other people's load on a shared machine than wall time does)."""
    result: dict[str, Timing] = {}
    for name, action in phases(raw, steps).items():
        wall, cpu = time.perf_counter(), _cpu()
        action()
        result[name] = (time.perf_counter() - wall, _cpu() - cpu, peak_mb())
    return result


def _child(raw: RawWorkbook, steps: tuple[str, ...], out: Connection) -> None:
    out.send(_one_run(raw, steps))
    out.close()


def measure(raw: RawWorkbook, steps: tuple[str, ...], repeat: int) -> dict[str, Timing]:
    """Median wall and CPU seconds and the largest peak MB of every phase over `repeat` runs,
    each in a forked child so that the normalizers' caches start cold, as in a real run (the
    workbook is shared)."""
    runs = []
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


def profile(raw: RawWorkbook, steps: tuple[str, ...], out: Path) -> None:
    """One run under cProfile, every phase in one profile written to `out` (pstats format)."""
    profiler = cProfile.Profile()
    for action in phases(raw, steps).values():
        profiler.runcall(action)
    profiler.dump_stats(str(out))
    print(f"profile written to {out}; read it with: python -m pstats {out}")


def machine() -> str:
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"CPython {platform.python_version()}, {platform.machine()}, "
        f"date {date.today().isoformat()}, commit {commit}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--langs", default="en,zh")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--steps", default=",".join(DEFAULT_STEPS))
    parser.add_argument("--profile", type=Path, default=None)
    options = parser.parse_args()
    steps = tuple(s for s in STEPS if s in options.steps.split(","))
    print(machine())
    for lang in options.langs.split(","):
        raw = workbook_of(lang, options.rows)  # type: ignore[arg-type]
        if options.profile is not None:
            profile(raw, steps, options.profile)
            continue
        print(f"\n{lang}, {options.rows:,} customers, median of {options.repeat}")
        print("| phase | wall s | CPU s | peak MB |\n| --- | ---: | ---: | ---: |")
        results = measure(raw, steps, options.repeat)
        for name, (wall, cpu, peak) in results.items():
            print(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.0f} |")
        wall = sum(w for w, _, _ in results.values())
        cpu = sum(c for _, c, _ in results.values())
        print(f"| total | {wall:.2f} | {cpu:.2f} | {max(p for *_, p in results.values()):.0f} |")


if __name__ == "__main__":
    main()
