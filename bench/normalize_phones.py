"""How long parse_phone takes on a column of a million cells with 50,000 distinct values.

Run: python bench/normalize_phones.py [cells] [distinct]
The values mix spellings (+86, separators, full width, number cells, landlines, invalid ones),
as a real column does. The first pass pays one parse per distinct value; later passes are
cache hits.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

from toolkit.normalize import parse_phone, per_distinct, phone_key
from toolkit.normalize.phone import _parse_phone
from toolkit.table import CellValue

FULL_WIDTH = str.maketrans("0123456789+-() ", "０１２３４５６７８９＋－（）　")


def spelling(rng: random.Random) -> CellValue:
    """One phone cell as people write them."""
    mobile = rng.choice(["138", "139", "186", "199", "166", "150"]) + f"{rng.randrange(10**8):08d}"
    choice = rng.randrange(10)
    if choice < 4:
        return mobile
    if choice == 4:
        return int(mobile)
    if choice == 5:
        return f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    if choice == 6:
        return f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}".translate(FULL_WIDTH)
    if choice == 7:
        return f"0{rng.choice(['10', '21', '755', '571'])}-{rng.randrange(2 * 10**7, 9 * 10**7)}"
    if choice == 8:
        return mobile[:-1]  # a digit short: invalid
    return f"+1 415 {rng.randrange(200, 999)} {rng.randrange(1000, 9999)}"


def timed(label: str, work: Callable[[], object]) -> None:
    """Run `work` once from a cold cache and print its time and the cache's hit rate."""
    _parse_phone.cache_clear()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    info = _parse_phone.cache_info()
    print(f"{label:<42} {seconds:6.2f} s  ({info.misses:,} parses, {info.hits:,} cache hits)")


def main(cells: int = 1_000_000, distinct: int = 50_000) -> None:
    rng = random.Random(20240305)
    values = [spelling(rng) for _ in range(distinct)]
    column = [rng.choice(values) for _ in range(cells)]
    print(f"{cells:,} cells drawn from {len(set(values)):,} distinct values")
    timed("parse_phone per cell (lru cache)", lambda: [parse_phone(v) for v in column])
    timed("phone_key per cell (lru cache)", lambda: [phone_key(v) for v in column])
    timed("per_distinct(phone_key, column)", lambda: per_distinct(phone_key, column))

    started = time.perf_counter()
    for value in values:
        _parse_phone.__wrapped__(value, "CN")
    each = (time.perf_counter() - started) / len(values) * 1e6
    print(f"{'one uncached parse, on average':<42} {each:6.1f} us")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
