"""Hold a speed-up to "same results": every step's Plan before and after, compared whole.

    python bench/compare_plans.py --save     # before a change: store the plans of this tree
    python bench/compare_plans.py            # after it: the plans now must equal the stored ones

For each language the 10k workbook of bench/perf_data.py (as bench/bench_steps.py reads it) is
understood and every step planned in one StepContext, as `custkit run` does; validate is planned
a second time with --fix. Also stored: what the run's Redactor makes of a text naming some of
the customers' phones and e-mails, and the combined plan's summary. Plans are compared with ==
(a float NaN, which == never equals, is compared by its repr). Stored in bench/.cache/
(git-ignored) as plans-<lang>-<rows>.pickle together with the workbook they were made from;
`--rows N` uses the 10k workbook scaled to N rows (see bench_steps.scaled) instead.
Exit status 1 when anything differs, with the first difference of each step printed.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import fields, is_dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_steps import AS_OF, CACHE, read_workbook, scaled

from toolkit.detect import understand
from toolkit.plan import Plan
from toolkit.privacy import Redactor
from toolkit.settings_io import load_settings
from toolkit.steps import STEPS, StepContext, load_step
from toolkit.table import CellValue, RawWorkbook


def _sample_text(raw: RawWorkbook) -> str:
    """A message quoting the phones and e-mails of a few customers in several forms."""
    rows = raw.sheets[0].rows
    header = [str(h) for h in rows[0]]
    picked: list[str] = []
    for row in rows[1:4000:97]:
        for at, value in enumerate(row):
            if value is not None and header[at] in (
                "Phone",
                "Email",
                "手机",
                "邮箱",
                "Address",
                "地址",
            ):
                text = str(value)
                picked.extend(
                    [text, text.upper(), "-".join(text[i : i + 3] for i in range(0, len(text), 3))]
                )
    return "; ".join(picked)


def plans_of(raw: RawWorkbook, steps: tuple[str, ...]) -> dict[str, object]:
    """Each step's plan, validate --fix's plan, the Redactor's text and the run summary."""
    settings = load_settings(raw=raw)
    book = understand(raw, settings)
    context = StepContext(book, settings, AS_OF, book.lang)
    results: dict[str, object] = {name: load_step(name)(context) for name in steps}
    fixing = StepContext(book, settings, AS_OF, book.lang, fix=True)
    results["validate --fix"] = load_step("validate")(fixing)
    redactor = Redactor.for_workbook(book, settings)
    results["redactor"] = redactor.text(_sample_text(raw))
    combined = Plan.combine(p for p in results.values() if isinstance(p, Plan))
    results["summary"] = combined.summary()
    results["tables"] = {kind: (t.header_row, t.columns, t.rows) for kind, t in book.tables.items()}
    return results


def first_difference(before: object, after: object, where: str = "") -> str | None:
    """Where two results first differ ("changes[3].values[120]: 'a' != 'b'"), None if equal."""
    if before == after:
        return None
    if type(before) is not type(after):
        return f"{where}: {type(before).__name__} != {type(after).__name__}"
    if is_dataclass(before) and not isinstance(before, type):
        for item in fields(before):
            found = first_difference(
                getattr(before, item.name), getattr(after, item.name), f"{where}.{item.name}"
            )
            if found:
                return found
        return None
    if isinstance(before, tuple | list):
        assert isinstance(after, tuple | list)
        if len(before) != len(after):
            return f"{where}: {len(before)} items != {len(after)}"
        for at, (b, a) in enumerate(zip(before, after, strict=True)):
            found = first_difference(b, a, f"{where}[{at}]")
            if found:
                return found
        return None
    if isinstance(before, dict):
        assert isinstance(after, dict)
        if list(before) != list(after):
            return f"{where}: keys {list(before)[:5]}... != {list(after)[:5]}..."
        for key in before:
            found = first_difference(before[key], after[key], f"{where}[{key!r}]")
            if found:
                return found
        return None
    if repr(before) == repr(after):  # NaN
        return None
    return f"{where}: {_short(before)} != {_short(after)}"


def _short(value: CellValue | object) -> str:
    text = repr(value)
    return text if len(text) < 120 else text[:117] + "..."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--save", action="store_true", help="store the plans of this tree")
    parser.add_argument("--langs", default="en,zh")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--steps", default="validate,tag,score,followups,complaints")
    options = parser.parse_args()
    steps = tuple(s for s in STEPS if s in options.steps.split(","))
    failed = False
    for lang in options.langs.split(","):
        stored = CACHE / f"plans-{lang}-{options.rows}.pickle"
        if options.save:
            raw = read_workbook(lang)  # type: ignore[arg-type]
            raw = scaled(raw, options.rows) if options.rows != 10_000 else raw
            results = plans_of(raw, steps)
            saved = {"raw": raw, "results": results}
            stored.write_bytes(pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL))
            print(f"{lang}: saved {', '.join(results)} to {stored}")
            continue
        # The workbook is stored with its plans: a new generator version changes no baseline.
        saved = pickle.loads(stored.read_bytes())
        before, results = saved["results"], plans_of(saved["raw"], steps)
        for name, result in results.items():
            found = first_difference(before.get(name), result, name)
            print(f"{lang} {name}: {'same' if found is None else 'DIFFERENT ' + found}")
            failed = failed or found is not None
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
