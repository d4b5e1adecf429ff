"""Orders: a first purchase at signup and repeat purchases while the customer is active.

Repeat purchases per customer follow a Poisson process whose yearly rate is Gamma distributed
(shape 0.6, mean 0.5 per year; x1.5 for smb, x3 for enterprise), as in the BG/NBD world.
Amounts are lognormal around the product price (sigma 0.25) times the segment multiplier, EUR.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxlib.sample.company import END, FIRST_PRODUCT_P, PRODUCT_PRICE, REPEAT_PRODUCT_P, SEGMENT_SPEND, START
from cxlib.sample.customers import Customers

__all__ = ["REPEAT_RATE_SHAPE", "REPEAT_RATE_MEAN", "SEGMENT_RATE", "AMOUNT_SIGMA", "Orders", "make_orders"]

REPEAT_RATE_SHAPE = 0.6
REPEAT_RATE_MEAN = 0.5  # orders per year
SEGMENT_RATE = np.array([1.0, 1.5, 3.0])
AMOUNT_SIGMA = 0.25


@dataclass
class Orders:
    """One entry per order, sorted by date."""

    day: np.ndarray
    customer: np.ndarray
    product: np.ndarray
    amount: np.ndarray  # EUR, rounded to cents


def make_orders(rng: np.random.Generator, c: Customers) -> Orders:
    """Orders within each customer's active part of the eight quarters."""
    first = np.maximum(c.signup, START)
    last = np.where(np.isnat(c.churn), END, c.churn)
    years = np.maximum((last - first).astype(np.int64), 0) / 365.25
    rate = rng.gamma(REPEAT_RATE_SHAPE, REPEAT_RATE_MEAN / REPEAT_RATE_SHAPE, len(c))
    repeats = rng.poisson(rate * SEGMENT_RATE[c.segment] * years)
    who_repeat = np.repeat(np.arange(len(c)), repeats)
    span = (last - first).astype(np.int64)[who_repeat]
    repeat_day = first[who_repeat] + np.floor(rng.random(len(who_repeat)) * span).astype("timedelta64[D]")
    who_new = np.flatnonzero(c.signup >= START)

    customer = np.concatenate([who_new, who_repeat])
    day = np.concatenate([c.signup[who_new], repeat_day])
    product = np.concatenate(
        [
            rng.choice(len(PRODUCT_PRICE), len(who_new), p=FIRST_PRODUCT_P),
            rng.choice(len(PRODUCT_PRICE), len(who_repeat), p=REPEAT_PRODUCT_P),
        ]
    ).astype(np.int8)
    amount = (
        np.array(PRODUCT_PRICE)[product]
        * np.array(SEGMENT_SPEND)[c.segment[customer]]
        * np.exp(AMOUNT_SIGMA * rng.standard_normal(len(customer)))
    )
    order = np.lexsort((customer, day))
    return Orders(day=day[order], customer=customer[order], product=product[order], amount=np.round(amount[order], 2))
