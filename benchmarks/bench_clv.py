"""Benchmark: fit BG/NBD and Gamma-Gamma on 100,000 synthetic customers (target < 10 s).

Customers are drawn from the BG/NBD generative process (Fader, Hardie & Lee 2005, section 3)
with the published CDNOW parameters as truth, and spend from the Gamma-Gamma process (Fader &
Hardie 2013). Prints seconds and recovered vs true parameters; not a timed test.
Run: .venv/bin/python benchmarks/bench_clv.py
"""

from __future__ import annotations

import time

import numpy as np

from cxlib.clv import BetaGeoModel, GammaGammaModel, clv

N_CUSTOMERS, TARGET_SECONDS = 100_000, 10.0
TRUE_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
TRUE_GG = {"p": 6.25, "q": 3.74, "v": 15.44}


def simulate(n: int, seed: int = 7):
    """(frequency, recency, T, monetary_value) drawn from the BG/NBD and Gamma-Gamma processes.

    lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b); the number of repeat purchases before dropout,
    J, is geometric on {1, 2, ...} (dropout only after a repeat purchase). With N ~ Poisson(lambda T)
    purchases in (0, T], x = min(J, N) and t_x is the x-th of N uniform arrival times on (0, T],
    i.e. T x Beta(x, N - x + 1). Spend: nu ~ Gamma(q, rate v), mean of x Gamma(p, rate nu) draws.
    """
    rng = np.random.default_rng(seed)
    r, alpha, a, b = TRUE_BGNBD.values()
    T = rng.uniform(13, 52, size=n)  # weeks since first purchase, cohorts over nine months
    lam = rng.gamma(r, 1 / alpha, size=n)
    p = rng.beta(a, b, size=n)
    purchases = rng.poisson(lam * T)
    before_dropout = rng.geometric(p)
    x = np.minimum(purchases, before_dropout)
    recency = np.where(x > 0, T * rng.beta(np.maximum(x, 1), purchases - x + 1), 0.0)
    pp, q, v = TRUE_GG.values()
    nu = rng.gamma(q, 1 / v, size=n)
    spend = np.where(x > 0, rng.gamma(pp * np.maximum(x, 1), 1 / (nu * np.maximum(x, 1))), 0.0)
    return x.astype(float), recency, T, spend


def main() -> None:
    x, recency, T, spend = simulate(N_CUSTOMERS)
    print(f"CLV models: {N_CUSTOMERS:,} synthetic customers, {int((x > 0).sum()):,} repeat buyers")
    start = time.perf_counter()
    bgnbd = BetaGeoModel().fit(x, recency, T)
    gg = GammaGammaModel().fit(x, spend)
    fit_seconds = time.perf_counter() - start
    print(
        f"  fit BG/NBD + Gamma-Gamma {fit_seconds:6.2f} s  (target < {TARGET_SECONDS:.0f} s, "
        f"ratio {fit_seconds / TARGET_SECONDS:.2f})"
    )
    for name, true in {**TRUE_BGNBD, **TRUE_GG}.items():
        got = {**bgnbd.params_, **gg.params_}[name]
        print(f"    {name:<6} true {true:8.3f}  recovered {got:8.3f}  ({100 * (got / true - 1):+.1f}%)")
    start = time.perf_counter()
    values = clv(bgnbd, gg, x, recency, T, spend, horizon=12, freq="W")
    seconds = time.perf_counter() - start
    print(f"  12-month CLV for all customers {seconds:6.2f} s  (mean {values.mean():.2f})")


if __name__ == "__main__":
    main()
