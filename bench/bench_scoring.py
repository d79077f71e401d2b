"""Benchmark: scoring (RFM, segments, tiers, churn) and tagging a million customers.

Workbook I/O is not counted: the customer table is built in memory as a backend would read it
(dates mostly as date cells, some as text; amounts as numbers, some as "¥1,234.50"). Each run
happens in a fresh forked process, so the normalizers' caches start cold as in a real run.
Prints the machine and the median of the runs.

    python bench/bench_scoring.py                 # 1,000,000 customers, 3 runs
    python bench/bench_scoring.py --customers 200000 --orders 1000000 --runs 5
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

from toolkit.models.settings import Settings
from toolkit.plan import Plan
from toolkit.routines.scores import score_step
from toolkit.routines.tagging import tag_step
from toolkit.steps import StepContext
from toolkit.table import CellValue, Column, RawWorkbook, Table, Workbook

AS_OF = date(2025, 6, 30)
REGIONS = ("北京", "上海", "广东", "浙江", "江苏", "四川", "Hong Kong", "Singapore")
CUSTOMER_COLUMNS = (
    ("客户编号", "customer_id"),
    ("姓名", "name"),
    ("手机", "phone"),
    ("地区", "region"),
    ("生日", "birthday"),
    ("注册日期", "signup_date"),
    ("最近购买日期", "last_purchase_date"),
    ("购买次数", "purchase_count"),
    ("累计消费", "total_amount"),
    ("最近联系日期", "last_contact_date"),
    ("备注", "notes"),
)


def make_customers(size: int, seed: int = 7) -> Table:
    """A customer table of `size` rows with realistic, partly messy values."""
    rng = random.Random(seed)
    rows: list[tuple[CellValue, ...]] = []
    for n in range(size):
        signup = AS_OF - timedelta(days=rng.randint(30, 2000))
        last = signup + timedelta(days=rng.randint(0, (AS_OF - signup).days))
        amount = round(rng.lognormvariate(7, 1.2), 2)
        rows.append(
            (
                f"C{n:07d}",
                f"客户{n}",
                f"138{n:08d}",
                rng.choice(REGIONS),
                date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
                signup,
                last if rng.random() > 0.05 else last.strftime("%Y/%m/%d"),
                rng.randint(1, 40) if rng.random() > 0.02 else "3次",
                amount if rng.random() > 0.03 else f"¥{amount:,.2f}",
                AS_OF - timedelta(days=rng.randint(0, 400)) if rng.random() > 0.1 else None,
                None if rng.random() > 0.01 else "VIP 老客户",
            )
        )
    columns = tuple(
        Column(i, header, field) for i, (header, field) in enumerate(CUSTOMER_COLUMNS, 1)
    )
    return Table("客户", "customers", 1, columns, tuple(rows), "zh")


def make_orders(customers: int, size: int, seed: int = 11) -> Table:
    """An orders table: `size` order rows spread over `customers` customer ids."""
    rng = random.Random(seed)
    rows = [
        (
            f"O{n:08d}",
            f"C{rng.randrange(customers):07d}",
            AS_OF - timedelta(days=rng.randint(0, 1500)),
            round(rng.lognormvariate(5, 1), 2),
        )
        for n in range(size)
    ]
    headers = (
        ("订单号", "order_id"),
        ("客户编号", "customer_id"),
        ("下单日期", "order_date"),
        ("金额", "amount"),
    )
    columns = tuple(Column(i, header, field) for i, (header, field) in enumerate(headers, 1))
    return Table("订单", "transactions", 1, columns, tuple(rows), "zh")


def context(tables: dict[str, Table]) -> StepContext:
    workbook = Workbook(RawWorkbook("bench", ()), tables, "zh")  # type: ignore[arg-type]
    return StepContext(workbook, Settings(), AS_OF, "zh")


def _timed(tables: dict[str, Table], steps: tuple[Callable[[StepContext], Plan], ...]) -> float:
    ctx = context(tables)
    started = time.perf_counter()
    for step in steps:
        step(ctx)
    return time.perf_counter() - started


def _child(
    queue: multiprocessing.Queue[float],
    tables: dict[str, Table],
    steps: tuple[Callable[[StepContext], Plan], ...],
) -> None:
    queue.put(_timed(tables, steps))


def median_seconds(
    tables: dict[str, Table], steps: tuple[Callable[[StepContext], Plan], ...], runs: int
) -> tuple[float, list[float]]:
    """Median wall time of `runs` cold runs, each in a forked process."""
    forked = multiprocessing.get_context("fork")
    times = []
    for _ in range(runs):
        queue: multiprocessing.Queue[float] = forked.Queue()
        process = forked.Process(target=_child, args=(queue, tables, steps))
        process.start()
        times.append(queue.get())
        process.join()
    return statistics.median(times), times


def machine() -> str:
    cpu = platform.processor() or "unknown cpu"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=0, help="also bench RFM from an orders sheet")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    started = time.perf_counter()
    customers = make_customers(args.customers)
    print(
        f"built {args.customers:,} customers in {time.perf_counter() - started:.1f} s (not timed)"
    )
    cases: list[tuple[str, dict[str, Table], tuple[Callable[[StepContext], Plan], ...]]] = [
        ("score (columns)", {"customers": customers}, (score_step,)),
        ("tag (built-in rules)", {"customers": customers}, (tag_step,)),
        ("tag + score", {"customers": customers}, (tag_step, score_step)),
    ]
    if args.orders:
        orders = make_orders(args.customers, args.orders)
        tables = {"customers": customers, "transactions": orders}
        cases.append((f"score ({args.orders:,} orders)", tables, (score_step,)))
    for name, tables, steps in cases:
        median, times = median_seconds(tables, steps, args.runs)
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name:<28} {args.customers:>9,} customers: median {median:.2f} s  (runs: {runs})")


if __name__ == "__main__":
    main()
