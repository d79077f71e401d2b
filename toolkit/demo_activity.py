"""What demo customers did: signing up, ordering, being contacted, complaining.

Orders are drawn first and the customer columns are derived from them (purchase count, total
amount, last purchase date), so the clean customer rows agree with the 订单 / Orders sheet.
Some customers stop buying long before the demo's `AS_OF` (churn), some never buy.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from toolkit import demo_pools as pools
from toolkit.demo_mess import AS_OF
from toolkit.table import Lang

FIRST_SIGNUP = date(2018, 1, 1)


@dataclass(frozen=True)
class Order:
    """One row of the orders sheet."""

    order_id: str
    customer_id: str
    day: date
    product: str
    quantity: int
    amount: float


@dataclass(frozen=True)
class Complaint:
    """One row of the complaints sheet."""

    complaint_id: str
    customer_id: str
    day: date
    category: str | None  # left empty on some rows, for category inference
    description: str
    status: str
    resolved: date | None
    channel: str
    owner: str


@dataclass(frozen=True)
class Purchase:
    """An order before it is numbered: orders are numbered by date across all customers."""

    day: date
    product: str
    quantity: int
    amount: float


def signup_day(rng: random.Random, *, after: date | None = None) -> date:
    """A signup date, more of them recent; a second entry signs up again `after` the first."""
    if after is not None:
        return min(after + timedelta(days=rng.randint(20, 700)), AS_OF - timedelta(days=3))
    span = (AS_OF - timedelta(days=7) - FIRST_SIGNUP).days
    return FIRST_SIGNUP + timedelta(days=int(rng.triangular(0, span, span * 0.75)))


def purchases(rng: random.Random, lang: Lang, signup: date) -> list[Purchase]:
    """The orders of one customer, oldest first; churned customers stop buying early."""
    kind = rng.random()  # 8 % never buy, 8 % of the rest are heavy buyers
    count = 0 if kind < 0.08 else rng.randint(10, 24) if kind > 0.92 else rng.randint(1, 8)
    last_active = AS_OF if rng.random() < 0.7 else signup + (AS_OF - signup) * rng.random()
    span = max((last_active - signup).days, 1)
    products = pools.ZH_PRODUCTS if lang == "zh" else pools.EN_PRODUCTS
    bought = []
    for _ in range(count):
        product, price = rng.choice(products)
        most = 1 if price >= 1000 else 3 if price >= 300 else 10
        quantity = rng.randint(1, most)
        discount = rng.choice((1.0, 1.0, 1.0, 0.95, 0.9, 0.85))
        day = signup + timedelta(days=rng.randrange(span + 1))
        bought.append(Purchase(day, product, quantity, round(price * quantity * discount, 2)))
    return sorted(bought, key=lambda p: (p.day, p.product, p.quantity, p.amount))


def last_contact(rng: random.Random, signup: date, bought: Sequence[Purchase]) -> date | None:
    """When the owner last talked to the customer: mostly around the last order, or later."""
    if rng.random() < 0.1:
        return None
    start = bought[-1].day if bought and rng.random() < 0.6 else signup
    return start + timedelta(days=rng.randrange((AS_OF - start).days + 1))


def number_orders(
    lang: Lang, bought: Sequence[tuple[str, Sequence[Purchase]]]
) -> tuple[Order, ...]:
    """Every customer's purchases as numbered orders, numbered in date order.

    >>> number_orders("zh", [("KH00001", [Purchase(date(2024, 3, 5), "咖啡机", 1, 2399.0)])])[0]
    Order(order_id='DD000001', customer_id='KH00001', day=datetime.date(2024, 3, 5), \
product='咖啡机', quantity=1, amount=2399.0)
    """
    flat = sorted(
        (
            (p.day, customer_id, index, p)
            for customer_id, ps in bought
            for index, p in enumerate(ps)
        ),
        key=lambda item: item[:3],
    )
    prefix = "DD" if lang == "zh" else "SO-"
    return tuple(
        Order(f"{prefix}{n:06d}", customer_id, p.day, p.product, p.quantity, p.amount)
        for n, (_, customer_id, _, p) in enumerate(flat, start=1)
    )


def complaints(
    rng: random.Random,
    lang: Lang,
    orders: Sequence[Order],
    owners: dict[str, str],
    *,
    count: int,
) -> tuple[Complaint, ...]:
    """`count` complaints about real orders, with statuses that fit their age."""
    texts = pools.ZH_COMPLAINTS if lang == "zh" else pools.EN_COMPLAINTS
    statuses = pools.ZH_STATUSES if lang == "zh" else pools.EN_STATUSES
    channels = pools.ZH_CHANNELS if lang == "zh" else pools.EN_CHANNELS
    services = pools.ZH_SERVICES if lang == "zh" else pools.EN_SERVICES
    recent = [
        o for o in orders if o.day >= AS_OF - timedelta(days=540) and o.product not in services
    ]
    drawn = []
    for order in rng.sample(recent, count):
        category, templates = rng.choice(texts)
        day = min(order.day + timedelta(days=rng.randint(1, 20)), AS_OF)
        # Young complaints are still open; older ones mostly resolved or followed up.
        weights = (4, 6, 0, 0) if (AS_OF - day).days < 10 else (1, 2, 5, 4)
        status = rng.choices(statuses, weights)[0]
        resolved = None
        if status in statuses[2:]:
            resolved = min(day + timedelta(days=rng.randint(0, 21)), AS_OF)
        description = rng.choice(templates).format(product=order.product)
        drawn.append(
            Complaint(
                "", order.customer_id, day, category if rng.random() < 0.8 else None,
                description, status, resolved, rng.choice(channels), owners[order.customer_id],
            )
        )  # fmt: skip
    drawn.sort(key=lambda c: (c.day, c.customer_id, c.description))
    prefix = "TS" if lang == "zh" else "CMP-"
    return tuple(replace(c, complaint_id=f"{prefix}{n:05d}") for n, c in enumerate(drawn, 1))
