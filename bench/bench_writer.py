"""Time and peak memory of the part-preserving writer on a big customer sheet.

    python bench/bench_writer.py [--rows 100000] [--data /tmp/custkit-bench]

Generates (once, with openpyxl's write-only mode) a workbook of ROWS x 15 columns, then
applies, each in a fresh process so peak RSS is the writer's own:
  1. first run:  SetColumn "issues" on every data row + Highlight of 10% of the phone cells
  2. re-run:     the same plan on the result (the column exists, highlights are reset)
Reading the workbook (the caller's job) is not measured: positions are given directly.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time
from datetime import date, timedelta
from pathlib import Path

HEADER = (
    "姓名", "手机", "邮箱", "公司", "职位", "行业", "城市", "地址", "负责人", "注册日期",
    "最近购买", "购买次数", "消费总额", "最近联系", "备注",
)  # fmt: skip


def generate(path: Path, rows: int) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    sheet.append(HEADER)
    start = date(2020, 1, 1)
    for i in range(rows):
        sheet.append(
            (
                f"客户{i}", f"138{i:08d}", f"user{i}@example.com", f"公司{i % 977}有限公司",
                "经理", "零售", "北京", f"朝阳区{i}号", f"员工{i % 20}",
                start + timedelta(days=i % 1500), start + timedelta(days=i % 900),
                i % 40, round(i * 1.37, 2), start + timedelta(days=i % 700), "",
            )
        )  # fmt: skip
    book.save(path)


def plan_for(rows: int):  # type: ignore[no-untyped-def]
    from toolkit.plan import Highlight, Plan, SetColumn

    issues = tuple("phone_invalid" if i % 7 == 0 else None for i in range(rows))
    flagged = tuple((2 + i, 2) for i in range(0, rows, 10))
    return Plan(
        (SetColumn("客户", "issues", "数据问题", 1, 2, issues), Highlight("客户", "error", flagged))
    )


def run(source: str, target: str, rows: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from toolkit.backends.ooxml import write_plan

    started = time.perf_counter()
    stats = write_plan(
        Path(source), Path(target), plan_for(rows), positions={("客户", "issues"): 16}
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(
        {"seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb), "cells": stats.cells_written}
    )


def measure(source: Path, target: Path, rows: int) -> dict[str, object]:
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    process = multiprocessing.Process(target=run, args=(str(source), str(target), rows, queue))
    process.start()
    result = queue.get()
    process.join()
    result["output_mb"] = round(target.stat().st_size / 1e6, 1)
    return dict(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=Path("/tmp/custkit-bench"))
    options = parser.parse_args()
    options.data.mkdir(parents=True, exist_ok=True)
    source = options.data / f"customers-{options.rows}.xlsx"
    if not source.exists():
        started = time.perf_counter()
        generate(source, options.rows)
        print(f"generated {source} in {time.perf_counter() - started:.1f} s")
    print(
        f"source: {source.stat().st_size / 1e6:.1f} MB, {options.rows} rows x {len(HEADER)} columns"
    )
    first, second = options.data / "first.xlsx", options.data / "second.xlsx"
    print("first run:", json.dumps(measure(source, first, options.rows)))
    print("re-run:   ", json.dumps(measure(first, second, options.rows)))


if __name__ == "__main__":
    main()
