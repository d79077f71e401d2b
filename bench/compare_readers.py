"""The fast reader and the normal reader give the same cells on the generated workbooks.

    python bench/compare_readers.py --sizes 10k,100k --langs zh,en [--run]
    python bench/compare_readers.py --sizes 1m --langs zh --digest save|check

For each workbook (bench/perf_data.py, cached): `read_values` (openpyxl, read-only) and
`read_values_fast` (python-calamine with openpyxl's rules where they differ) are compared cell
by cell with `same_cells` (trailing empty cells and rows aside, which no reader of a RawSheet
tells apart). With `--run`, `custkit run` is done on two fresh copies, one per reader
(CUSTKIT_READER), and the written workbooks are compared the same way (the run log's start
time aside). Exit status 1 when anything differs. Each read is timed (one run, not a median).

At a million rows openpyxl takes over ten minutes, so `--digest save` keeps a digest of what
the fast reader reads now (sha256 of each sheet's rows, trailing empty cells and rows aside,
with each value's type), in bench/.cache, and `--digest check`, after a change, compares the
fast reader's new read with it, without openpyxl.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from perf_data import SIZES, workbook_path  # noqa: E402

from toolkit.backends.xlsx import read_values  # noqa: E402
from toolkit.backends.xlsx_fast import read_values_fast, same_cells  # noqa: E402
from toolkit.i18n import label  # noqa: E402
from toolkit.table import Lang, RawSheet, RawWorkbook  # noqa: E402

CLI = "from toolkit.cli import main; main()"


def compare_reads(path: Path) -> list[str]:
    started = time.perf_counter()
    slow = read_values(path)
    middle = time.perf_counter()
    fast = read_values_fast(path)
    ended = time.perf_counter()
    cells = sum(len(row) for sheet in slow.sheets for row in sheet.rows)
    print(
        f"{path.name}: {cells:,} cells; openpyxl {middle - started:.1f} s, "
        f"calamine path {ended - middle:.1f} s"
    )
    return same_cells(fast, slow)


def digest(book: RawWorkbook) -> dict[str, str]:
    """Each sheet's rows as same_cells sees them (values and their types), hashed."""
    sheets = {}
    for sheet in book.sheets:
        hashed = hashlib.sha256(repr(sheet.hidden).encode())
        rows = list(sheet.rows)
        while rows and not any(v is not None for v in rows[-1]):
            rows.pop()
        for row in rows:
            cells = list(row)
            while cells and cells[-1] is None:
                cells.pop()
            hashed.update(repr([(type(v).__name__, v) for v in cells]).encode() + b"\n")
        sheets[sheet.name] = hashed.hexdigest()
    return sheets


def compare_digest(path: Path, mode: str) -> list[str]:
    stored = REPO / "bench" / ".cache" / f"reader-digest-{path.stem}.json"
    started = time.perf_counter()
    now = digest(read_values_fast(path))
    print(f"{path.name}: calamine path {time.perf_counter() - started:.1f} s (with the digest)")
    if mode == "save":
        stored.write_text(json.dumps(now, indent=1, ensure_ascii=False))
        print(f"  saved {stored.name}")
        return []
    before = json.loads(stored.read_text())
    return [
        f"sheet {name!r} differs from {stored.name}"
        for name in before
        if before[name] != now.get(name)
    ] + [f"sheet {name!r} is new" for name in now if name not in before]


def compare_runs(path: Path, lang: Lang, folder: Path) -> list[str]:
    written = []
    for reader in ("openpyxl", "calamine"):
        copy = folder / reader / path.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, copy)
        env = {**os.environ, "PYTHONPATH": str(REPO), "CUSTKIT_READER": reader}
        argv = [sys.executable, "-c", CLI, "run", str(copy), "--json", "--as-of", "2025-06-30"]
        started = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        print(f"  custkit run, reader {reader}: {time.perf_counter() - started:.1f} s")
        written.append(_without_started(read_values(copy), label("run_log", lang)))
    return same_cells(written[1], written[0])


def _without_started(book: RawWorkbook, log: str) -> RawWorkbook:
    sheets = tuple(
        RawSheet(s.name, [row[1:] for row in s.rows], hidden=s.hidden) if s.name == log else s
        for s in book.sheets
    )
    return RawWorkbook(book.source, sheets)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help=f"of {', '.join(SIZES)}")
    parser.add_argument("--langs", default="zh,en")
    parser.add_argument("--run", action="store_true", help="also compare whole custkit runs")
    parser.add_argument(
        "--digest", choices=("save", "check"), help="no openpyxl: save or check a digest"
    )
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="custkit-compare-") as tmp:
        for lang in args.langs.split(","):
            for size in args.sizes.split(","):
                path = workbook_path(lang, size)  # type: ignore[arg-type]
                if args.digest:
                    problems = compare_digest(path, args.digest)
                    print("  same digest" if not problems else "\n".join(problems))
                    failed = failed or bool(problems)
                    continue
                problems = compare_reads(path)
                if args.run:
                    problems += compare_runs(path, lang, Path(tmp) / f"{lang}-{size}")  # type: ignore[arg-type]
                print("  identical cells" if not problems else "\n".join(problems[:20]))
                failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
