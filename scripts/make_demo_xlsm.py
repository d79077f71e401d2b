"""Rebuild the demo button workbooks: `python scripts/make_demo_xlsm.py [--out DIR]`.

Writes workbooks/demo_zh.xlsm and demo_en.xlsm with `custkit excel add-buttons` from the
demo .xlsx files beside them (Chinese and English captions). The output is the same, byte for
byte, on every run with the same xlwings and pyOpenVBA (new zip entries carry fixed times);
tests/excel_buttons/test_demo_xlsm.py checks that the shipped files equal a fresh build, so
rebuild them after changing BUTTONS, the buttons sheet, or upgrading xlwings.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from toolkit.excel_buttons import add_buttons

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
DEMOS = {"demo_zh": "zh", "demo_en": "en"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=WORKBOOKS, help="directory to write to")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for stem, lang in DEMOS.items():
        made = add_buttons(WORKBOOKS / f"{stem}.xlsx", args.out / f"{stem}.xlsm", lang=lang)
        print(f"{made.path}: {made.buttons} buttons, modules {', '.join(made.modules)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
