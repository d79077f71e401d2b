"""Time and memory of refusing each hostile file; writes the "Hostile files" section of
BENCHMARKS.md (that section only).

    python bench/hostile_times.py            # print the table and update BENCHMARKS.md
    python bench/hostile_times.py --print    # print only

Each file is refused in a fresh Python process (tests/backends/hostile_corpus.py:
`refuse_in_subprocess`): the time is open_backend + run until the refusal, imports excluded;
the peak is the process's ru_maxrss, imports included. The control is a normal run.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.backends.hostile_corpus import CORPUS, refuse_in_subprocess, write_corpus  # noqa: E402

HEADING = "## Hostile files"


def measure() -> list[tuple[str, str, int, float, float]]:
    """(file, error class or "ran", file size, seconds, peak MB) for the corpus and a control."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        files = write_corpus(Path(folder))
        for name in [h.name for h in CORPUS] + ["control_minimal.xlsx"]:
            path = files[name]
            size = path.stat().st_size
            try:
                refusal = refuse_in_subprocess(path)
            except AssertionError as error:  # the child died or raised something else
                print(f"{name}: {str(error).splitlines()[-1]}", flush=True)
                rows.append((name, "FAILED (not a ToolkitError)", size, float("nan"), float("nan")))
                continue
            rows.append((name, refusal.error or "ran", size, refusal.seconds, refusal.peak_mb))
            print(f"{name:40} {refusal.error or 'ran':24} {refusal.seconds:7.3f} s "
                  f"{refusal.peak_mb:6.0f} MB", flush=True)  # fmt: skip
    return rows


def section(rows: list[tuple[str, str, int, float, float]]) -> str:
    refused = [r for r in rows if r[1] != "ran" and not r[1].startswith("FAILED")]
    slowest = max(r[3] for r in refused)
    largest = max(r[4] for r in refused)
    lines = [
        HEADING,
        "",
        "Every file of the hostile corpus (`python -m tests.backends.hostile_corpus DIR` writes",
        "it; built from bytes, deterministic) refused by `custkit run` in a fresh process",
        f"(`python bench/hostile_times.py`, {platform.python_version()}, 2-core machine shared",
        "with other work). Seconds: open_backend + run until the refusal, imports excluded.",
        "Peak: the process's ru_maxrss, imports included (custkit's CLI imports take about",
        "240 MB, as the normal run of the control file shows: the refusals add nothing visible).",
        "Every file is byte-identical afterwards and no .custkit folder is left",
        "(tests/backends/test_hostile.py asserts that, and the 500 MB bound; it does not time).",
        "",
        "| File | Refused with | Size (bytes) | Seconds | Peak MB |",
        "|---|---|---:|---:|---:|",
    ]
    lines += [f"| {n} | {e} | {s:,} | {t:.3f} | {m:.0f} |" for n, e, s, t, m in rows]
    lines += [
        "",
        f"Slowest refusal {slowest:.2f} s, largest peak {largest:.0f} MB (limits: 5 s, 500 MB)",
        f"over the {len(refused)} files refused.",
        "The zip bomb (3 GiB of sheet from 3 MB) and the lying headers are refused from the",
        "central directory and local headers without inflating; the absurd dimension",
        "(A1 and XFD1048576) is refused by the cell budget while openpyxl streams the sheet,",
        "before the 1,048,576 x 16,384 rows are kept.",
        "late_bomb_lie (a bomb behind 400 kB of real rows, both headers agreeing on 3 MB) gets",
        "past the guard by design; openpyxl stops at the declared size (bad CRC: 0.7 s, 48 MB",
        "with CUSTKIT_READER=openpyxl), but the fast reader, which the file's size picks, reads",
        "the sheet with ZipFile.read: 2.1 GB and 9 s, then a BadZipFile traceback (to fix in",
        "toolkit/backends/xlsx_fast.py; a strict xfail in the tests until then).",
        "",
    ]
    return "\n".join(lines)


def update(benchmarks: Path, text: str) -> None:
    """Replace the section (up to the next "## " heading), or append it."""
    current = benchmarks.read_text(encoding="utf-8") if benchmarks.exists() else ""
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        new = pattern.sub(lambda _: text + "\n", current, count=1)
    else:
        new = current.rstrip("\n") + "\n\n" + text
    benchmarks.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="do not touch BENCHMARKS.md")
    options = parser.parse_args()
    text = section(measure())
    print(text)
    if not options.print:
        update(REPO / "BENCHMARKS.md", text)


if __name__ == "__main__":
    main()
