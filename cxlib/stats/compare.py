"""compare(): differences between consecutive periods or between groups of a tidy KPI frame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalogue import kpi_info
from .intervals import z_value
from .multiple import benjamini_hochberg, fcr_confidence
from .twosample import median_difference, nps_difference, proportion_difference, rate_difference, welch_difference

__all__ = ["compare"]

_SCALE = {"percent": 100.0, "per_1000": 1000.0}


def _pairs(sub: pd.DataFrame, groups: list[str], between: str, reference) -> pd.DataFrame:
    """One row per comparison with the columns of both sides suffixed ``_a`` and ``_b``."""
    if between == "period":
        sub = sub.sort_values(groups + ["period"], kind="stable").reset_index(drop=True)
        if groups:
            prev = sub.groupby(groups, observed=True, dropna=False, sort=False).shift(1)
        else:
            prev = sub.shift(1)
        a = prev.drop(columns=groups, errors="ignore").add_suffix("_a")
        b = sub.drop(columns=groups).add_suffix("_b")
        out = pd.concat([sub[groups], a, b], axis=1)
        return out[out["period_a"].notna()].reset_index(drop=True)
    keys = [c for c in groups if c != between] + ["period"]
    levels = sub[between]
    if isinstance(levels.dtype, pd.CategoricalDtype):
        rank = levels.cat.codes.astype("int64")
    else:
        rank = pd.Series(pd.factorize(levels, sort=True)[0], index=sub.index)
    sub = sub.assign(_rank=rank)
    left = sub.rename(columns={c: f"{c}_a" for c in sub.columns if c not in keys})
    right = sub.rename(columns={c: f"{c}_b" for c in sub.columns if c not in keys})
    out = left.merge(right, on=keys, how="inner")
    if reference is None:
        out = out[out["_rank_a"] < out["_rank_b"]]
    else:
        if not (levels == reference).any():
            raise ValueError(f"reference {reference!r} is not a value of {between!r}")
        out = out[(out[f"{between}_a"] == reference) & (out[f"{between}_b"] != reference)]
    return out.drop(columns=["_rank_a", "_rank_b"]).reset_index(drop=True)


def _test(kpi: str, p: pd.DataFrame, confidence: float, frame_confidence: float = 0.95):
    info = kpi_info(kpi)

    def col(name, side):
        return p[f"{name}_{side}"].to_numpy(dtype="float64", na_value=np.nan)

    scale = _SCALE.get(info.unit, 1.0)
    if info.test == "nps_z":
        r = nps_difference(
            *(col(c, "a") for c in ("promoters", "passives", "detractors")),
            *(col(c, "b") for c in ("promoters", "passives", "detractors")),
            confidence,
        )
        return r, "value", 1.0, "z-test on adjusted-Wald standard errors"
    if info.test == "two_proportion_z":
        r = proportion_difference(
            col("successes", "a"), col("n", "a"), col("successes", "b"), col("n", "b"), confidence
        )
        return r, "value", scale, "two-proportion z-test, Newcombe interval"
    if info.test == "welch":
        on = info.compare_on
        r = welch_difference(
            col(on, "a"), col("sd", "a"), col("n", "a"), col(on, "b"), col("sd", "b"), col("n", "b"), confidence
        )
        return r, on, 1.0, f"Welch t-test on the {'mean' if on == 'value' else on}"
    if info.test == "median_z":
        # Difference of two medians; each se from its percentile-bootstrap interval at
        # ``confidence`` (half-width / z), independent samples: z-test and normal interval
        # (Bonett & Price 2002, Psychological Methods 7(3):370-383, on linear functions of medians).
        z_conf = z_value(frame_confidence)
        se_a = (col("ci_high", "a") - col("ci_low", "a")) / (2.0 * z_conf)
        se_b = (col("ci_high", "b") - col("ci_low", "b")) / (2.0 * z_conf)
        r = median_difference(col("value", "a"), se_a, col("value", "b"), se_b, confidence)
        return r, "value", 1.0, "z-test on the medians (bootstrap standard errors)"
    if info.test == "poisson_z":
        r = rate_difference(col("complaints", "a"), col("n", "a"), col("complaints", "b"), col("n", "b"), confidence)
        return r, "value", scale, "Poisson rate z-test, Wald interval"
    raise ValueError(f"{kpi}: no comparison for test {info.test!r}")  # pragma: no cover


def compare(
    frame: pd.DataFrame,
    between: str = "period",
    confidence: float = 0.95,
    alpha: float | None = None,
    *,
    reference=None,
) -> pd.DataFrame:
    """Differences (b − a) between consecutive periods or between groups, with interval and p-value.

    ``frame`` is a tidy KPI frame (one or more KPIs); its group columns are those before
    ``period``. ``between="period"``: each period against the one before it, within each group.
    ``between=<group column>``: every pair of its values (a before b in category or sorted
    order), or each value against ``reference``, within each period and the other groups.
    Test per KPI from the catalogue: NPS z-test on adjusted-Wald standard errors (difference in
    points); proportions: pooled two-proportion z-test with Newcombe's hybrid score interval
    (percentage points); means: Welch t-test and interval; medians (first_response_time): z-test
    on the bootstrap standard errors of the two medians; complaint rates: Poisson z-test.

    One adjustment for the whole result (``alpha``, default 1 − ``confidence``): p_adjusted is
    Benjamini–Hochberg over all comparisons (Benjamini & Hochberg 1995), and every interval is
    shown at the false-coverage-rate level ``ci_level`` = 1 − R·alpha/m of Benjamini & Yekutieli
    (2005) (``cxlib.stats.fcr_confidence``; R = comparisons with p_adjusted ≤ alpha). A single
    comparison keeps its plain 1 − alpha interval. ``significant`` means the shown interval
    excludes 0, so the interval and the word always agree (for the score-type Newcombe interval
    this can differ from p_adjusted ≤ alpha in rare borderline cases; the interval decides).
    Rows with a suppressed side are NaN and not flagged.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> quarters = cx.nps(data.responses, freq="quarter")
    >>> change = cx.compare(quarters[quarters["period"].isin(["2026-Q2", "2026-Q3"])])
    >>> print(change[["period_a", "period_b", "difference", "ci_low", "ci_high", "significant"]].round(1)
    ...       .to_string(index=False))
    period_a period_b  difference  ci_low  ci_high  significant
     2026-Q2  2026-Q3         0.4    -3.3      4.2        False
    """
    alpha = 1.0 - confidence if alpha is None else float(alpha)
    cols = list(frame.columns)
    if "period" not in cols or "kpi" not in cols:
        raise KeyError("compare() needs a tidy KPI frame with 'period' and 'kpi' columns")
    groups = cols[: cols.index("period")]
    if between != "period" and between not in groups:
        raise KeyError(f"between={between!r} is not a group column of this frame; group columns: {groups}")
    keys = groups if between == "period" else [c for c in groups if c != between] + ["period"]
    blocks = []
    for kpi in pd.unique(frame["kpi"]):  # one block per KPI (a handful), each vectorised
        sub = frame[frame["kpi"] == kpi].reset_index(drop=True)
        p = _pairs(sub, groups, between, reference)
        if p.empty:
            continue
        blocked = (p["suppressed_a"].astype(bool) | p["suppressed_b"].astype(bool)).to_numpy()
        r, on, scale, test = _test(kpi, p, 1.0 - alpha, confidence)
        blocks.append((kpi, p, blocked, r, on, scale, test))
    if not blocks:
        return pd.DataFrame(
            columns=keys
            + [
                "kpi",
                f"{between}_a",
                f"{between}_b",
                "n_a",
                "n_b",
                "value_a",
                "value_b",
                "difference",
                "ci_low",
                "ci_high",
                "ci_level",
                "statistic",
                "df",
                "p_value",
                "p_adjusted",
                "significant",
                "test",
            ]
        )
    p_all = np.concatenate([np.where(b[2], np.nan, np.asarray(b[3].p_value, dtype="float64")) for b in blocks])
    level = fcr_confidence(p_all, alpha)
    parts = []
    for kpi, p, blocked, r, on, scale, test in blocks:
        ci = _test(kpi, p, level, confidence)[0] if level != 1.0 - alpha else r
        res = pd.DataFrame({c: p[c] for c in keys})
        res["kpi"] = pd.Series([kpi] * len(p), dtype="string")
        res[f"{between}_a"], res[f"{between}_b"] = p[f"{between}_a"], p[f"{between}_b"]
        res["n_a"], res["n_b"] = p["n_a"].astype("Int64"), p["n_b"].astype("Int64")
        res["value_a"] = p[f"{on}_a"].to_numpy(dtype="float64", na_value=np.nan)
        res["value_b"] = p[f"{on}_b"].to_numpy(dtype="float64", na_value=np.nan)
        for name, arr, s in (
            ("difference", r.difference, scale),
            ("ci_low", ci.ci_low, scale),
            ("ci_high", ci.ci_high, scale),
            ("statistic", r.statistic, 1.0),
            ("df", r.df, 1.0),
            ("p_value", r.p_value, 1.0),
        ):
            res[name] = np.where(blocked, np.nan, np.asarray(arr, dtype="float64") * s)
        res.insert(res.columns.get_loc("ci_high") + 1, "ci_level", level)
        res["test"] = pd.Series([test] * len(p), dtype="string")
        parts.append(res)
    out = pd.concat(parts, ignore_index=True)
    out["p_adjusted"] = benjamini_hochberg(out["p_value"].to_numpy())
    low, high = out["ci_low"].to_numpy(), out["ci_high"].to_numpy()
    sig = pd.array((low > 0) | (high < 0), dtype="boolean")
    sig[np.isnan(low) | np.isnan(high)] = pd.NA
    out["significant"] = sig
    return out[[c for c in out.columns if c != "test"] + ["test"]]
