"""Regenerate the demo workbooks: `python scripts/make_demo.py [--out DIR]`.

Writes workbooks/demo_zh.xlsx, demo_en.xlsx and their .expected.json manifests (what mess was
planted where). The output is the same, byte for byte, on every run; tests/test_demo_data.py
checks that the shipped files equal a fresh generation, so edit toolkit/demo_*.py, not them.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from toolkit.demo_data import write_demo_files

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=WORKBOOKS, help="directory to write to")
    args = parser.parse_args(argv)
    for path in write_demo_files(args.out):
        if path.suffix == ".json":
            manifest = json.loads(path.read_text(encoding="utf-8"))
            kinds = Counter(p["problem"] for p in manifest["problems"])
            print(
                f"{path}: {len(manifest['problems'])} problems in "
                f"{len({p['row'] for p in manifest['problems']})} rows, "
                f"{len(manifest['duplicate_groups'])} duplicate groups, "
                f"{len(manifest['namesakes'])} namesake pairs; "
                + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
            )
        else:
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
