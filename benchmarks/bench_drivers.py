"""Benchmark: key drivers with 1,000 bootstrap resamples on 20,000 survey responses (target < 10 s).

Run: .venv/bin/python benchmarks/bench_drivers.py  (prints seconds per method; not a timed test)
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from cxlib.analysis import drivers

N_ROWS, N_BOOT, TARGET_SECONDS = 20_000, 1_000, 10.0


def synthetic_responses(n: int = N_ROWS, seed: int = 1) -> pd.DataFrame:
    """Correlated 1-7 / 1-5 / 0-10 scores with effort (ces) as the strongest driver of nps."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=n)
    names = ("ces", "csat", "speed", "friendly", "price", "app")
    latent = {name: 0.6 * common + rng.normal(size=n) for name in names}
    nps = (
        5
        + 1.2 * latent["ces"]
        + 0.6 * latent["csat"]
        + 0.4 * latent["speed"]
        + 0.2 * latent["friendly"]
        + 0.1 * latent["price"]
        + rng.normal(scale=1.5, size=n)
    )
    frame = pd.DataFrame({k: np.clip(np.round(4 + v), 1, 7) for k, v in latent.items()})
    frame["csat"] = np.clip(np.round(3 + latent["csat"]), 1, 5)
    frame["nps"] = np.clip(np.round(nps), 0, 10)
    frame.loc[rng.random(n) < 0.05, "csat"] = np.nan  # some missing answers: complete cases only
    return frame


def main() -> None:
    data = synthetic_responses()
    features = ["ces", "csat", "speed", "friendly", "price", "app"]
    print(f"drivers: {N_ROWS:,} responses, {len(features)} features, {N_BOOT:,} bootstrap resamples")
    for method in ("relative_weights", "shapley"):
        start = time.perf_counter()
        result = drivers(data, "nps", features, method=method, n_boot=N_BOOT, seed=0)
        seconds = time.perf_counter() - start
        top = result.iloc[0]
        print(
            f"  {method:<17} {seconds:6.2f} s  (target < {TARGET_SECONDS:.0f} s, "
            f"ratio {seconds / TARGET_SECONDS:.2f})  top driver {top.driver} {top.weight:.1f}% "
            f"[{top.ci_low:.1f}, {top.ci_high:.1f}], n = {top.n:,}"
        )
    wide = data.assign(
        **{f"extra{i}": np.round(data["app"] + np.random.default_rng(i).normal(size=len(data))) for i in range(6)}
    )
    features12 = features + [f"extra{i}" for i in range(6)]
    start = time.perf_counter()
    drivers(wide, "nps", features12, method="shapley", n_boot=N_BOOT, seed=0)
    seconds = time.perf_counter() - start
    print(f"  shapley, 12 features (4,095 subsets) {seconds:6.2f} s  (ratio {seconds / TARGET_SECONDS:.2f})")


if __name__ == "__main__":
    main()
