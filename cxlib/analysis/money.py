"""The link to money: churn and customer value by NPS group, the churn ratio, revenue at risk.

Each customer's NPS group comes from their latest NPS answer (``segments.nps_groups``:
promoter 9-10, passive 7-8, detractor 0-6). Churn rates come from the KPI engine
(``cxlib.kpi.churn_rate`` with its Wilson interval), differences between groups from
``cxlib.stats`` (Newcombe interval, two-proportion z-test), so no formula is repeated here.

References
- Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review 81(12);
  Reichheld, F. F. & Markey, R. (2011). The Ultimate Question 2.0, ch. 3 (the economics of
  promoters and detractors: detractors defect more often and take revenue with them).
- Katz, D., Baptista, J., Azen, S. P. & Pike, M. C. (1978). Obtaining confidence intervals for the
  risk ratio in cohort studies. Biometrics 34(3):469-474 (log interval of a ratio of proportions,
  as scipy.stats.contingency.relative_risk).
- Student (1908), Biometrika 6:1-25 (t interval of a mean).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats.contingency import relative_risk

from cxlib.analysis.segments import _as_of, _value, nps_groups
from cxlib.business_hours import local_wall_time
from cxlib.kpi import churn_rate
from cxlib.kpi.nps_groups import NPS_GROUPS
from cxlib.stats.intervals import t_interval
from cxlib.stats.twosample import proportion_difference

__all__ = ["churn_by_nps_group", "value_by_nps_group", "churn_ratio", "value_at_stake"]


def _with_groups(customers: pd.DataFrame, responses: pd.DataFrame, as_of) -> pd.DataFrame:
    """Customers with ``nps_group`` as of ``as_of`` (an existing column, e.g. from ``segment``, is
    replaced, so that the groups always match ``as_of``)."""
    customers = customers.drop(columns="nps_group", errors="ignore")
    groups = nps_groups(responses, as_of).reindex(pd.Index(customers["customer_id"]))
    return customers.assign(nps_group=pd.Categorical(groups.to_numpy(), categories=list(NPS_GROUPS)))


def _default_as_of(customers: pd.DataFrame, responses: pd.DataFrame, as_of) -> pd.Timestamp:
    cols = [responses["submitted_at"], customers["signup_date"]]
    if "churn_date" in customers.columns:
        cols.append(customers["churn_date"])
    return _as_of(as_of, *cols)


def churn_by_nps_group(customers: pd.DataFrame, responses: pd.DataFrame, as_of=None, confidence: float = 0.95,
                       min_n: int = 30, *, start=None) -> pd.DataFrame:
    """Churn rate per NPS group (promoter / passive / detractor): a tidy ``churn_rate`` frame.

    Method: each customer's group is that of their latest NPS answer up to ``as_of``; the churn
    rate is ``cxlib.kpi.churn_rate(customers, by="nps_group", freq=None, start=start,
    as_of=as_of)``: the percent of the cohort active at ``start`` (signed up before it, not
    churned before it) that churned between ``start`` and ``as_of``, with a Wilson (1927)
    interval. ``start`` defaults, as in ``churn_rate``, to the first recorded churn (churn is
    observed only from there), so the rate covers the whole observed window.
    Customers who never answered the NPS question form the group <NA> (kept, never dropped).
    An ``nps_group`` column already in ``customers`` (from ``segment``) is recomputed for ``as_of``.
    ``as_of`` defaults to the latest response, signup or churn date.
    """
    as_of = _default_as_of(customers, responses, as_of)
    grouped = _with_groups(customers, responses, as_of)
    return churn_rate(grouped, by="nps_group", freq=None, confidence=confidence, min_n=min_n,
                      start=start, as_of=as_of)


def value_by_nps_group(customers: pd.DataFrame, responses: pd.DataFrame, orders: pd.DataFrame | None = None,
                       clv=None, as_of=None, confidence: float = 0.95, min_n: int = 30) -> pd.DataFrame:
    """Mean customer value (EUR) per NPS group with a Student t interval.

    Value: ``clv`` (a Series of CLV indexed by customer_id, e.g. from ``cxlib.clv.clv``) or else
    historic revenue from ``orders`` up to ``as_of`` (``cxlib.clv.historic_value``; 0 without
    orders). Interval: mean ± t(n − 1)·sd/√n (``cxlib.stats.t_interval``). Rows with n < min_n
    are suppressed (value and interval NaN, n kept). Returns nps_group, n, value (mean), sd,
    ci_low, ci_high, suppressed, total (EUR), basis ("clv" or "historic").
    """
    as_of = _default_as_of(customers, responses, as_of)
    grouped = _with_groups(customers, responses, as_of)
    value, basis = _value(customers, orders, clv, as_of)
    frame = pd.DataFrame({"nps_group": grouped["nps_group"].array, "v": value.to_numpy()})
    stats = (frame.groupby("nps_group", observed=True, dropna=False, sort=True)["v"]
             .agg(n="count", value="mean", sd="std", total="sum").reset_index())
    low, high = t_interval(stats["value"].to_numpy(), stats["sd"].to_numpy(), stats["n"].to_numpy(), confidence)
    suppressed = stats["n"].to_numpy() < min_n
    out = stats[["nps_group", "n"]].copy()
    for name, col in (("value", stats["value"]), ("sd", stats["sd"]), ("ci_low", low), ("ci_high", high)):
        out[name] = np.where(suppressed, np.nan, np.asarray(col, dtype="float64"))
    out["suppressed"] = suppressed
    out["total"] = stats["total"].to_numpy()
    out["basis"] = basis
    return out


def churn_ratio(churn: pd.DataFrame, numerator: str = "detractor", denominator: str = "promoter",
                confidence: float = 0.95) -> pd.DataFrame:
    """How many times as often ``numerator`` customers churn as ``denominator`` customers.

    ``churn``: a frame from ``churn_by_nps_group`` (columns nps_group, n, successes). Ratio of
    the two churn proportions with the Katz et al. (1978) log interval
    exp(ln RR ± z·√(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂)) (``scipy.stats.contingency.relative_risk``) and
    the p-value of the two-proportion z-test of equal churn (``cxlib.stats``). One row:
    numerator, denominator, churn_numerator, churn_denominator (percent), ratio, ci_low,
    ci_high, p_value, n_numerator, n_denominator.
    """
    rows = churn.set_index(churn["nps_group"].astype("string"))
    for level in (numerator, denominator):
        if level not in rows.index:
            raise KeyError(f"churn_ratio: no row for nps_group {level!r}; found {list(rows.index)}")
    x1, n1 = int(rows.at[numerator, "successes"]), int(rows.at[numerator, "n"])
    x0, n0 = int(rows.at[denominator, "successes"]), int(rows.at[denominator, "n"])
    if min(n0, n1) == 0 or x0 == 0:
        ratio, low, high = np.nan, np.nan, np.nan
    else:
        rr = relative_risk(x1, n1, x0, n0)
        ci = rr.confidence_interval(confidence)
        ratio, low, high = float(rr.relative_risk), float(ci.low), float(ci.high)
    test = proportion_difference(x0, n0, x1, n1, confidence)
    return pd.DataFrame({
        "numerator": [numerator], "denominator": [denominator],
        "churn_numerator": [100.0 * x1 / n1 if n1 else np.nan],
        "churn_denominator": [100.0 * x0 / n0 if n0 else np.nan],
        "ratio": [ratio], "ci_low": [low], "ci_high": [high],
        "p_value": [float(test.p_value)], "n_numerator": [n1], "n_denominator": [n0],
    })


def value_at_stake(customers: pd.DataFrame, responses: pd.DataFrame, orders: pd.DataFrame | None = None,
                   clv=None, as_of=None, confidence: float = 0.95, min_n: int = 30, *,
                   reference: str = "promoter") -> pd.DataFrame:
    """Churn, value and revenue at risk per NPS group, with intervals.

    Per NPS group (latest answer): churn_n (the cohort at risk, see ``churn_by_nps_group``),
    churned, churn_rate with its Wilson interval; value_n (all customers of the group),
    mean_value with its t interval (``value_by_nps_group``); active (customers not churned at
    ``as_of``) and active_value (EUR, their summed value); then

    - excess_churn = churn_rate(group) − churn_rate(``reference``), percentage points, with
      Newcombe's (1998) interval (``cxlib.stats.proportion_difference``);
    - revenue_at_risk = active_value × excess_churn / 100 (EUR): the value that the group's
      current customers are expected to take with them beyond what they would if they churned
      like promoters; risk_ci_low / risk_ci_high scale the excess_churn interval the same way
      (value treated as known). For detractors this is "the revenue at risk from detractors";
      the reference group has 0.

    The churn rates are shares churned over the whole history up to ``as_of``, so the risk is
    over a horizon of that length. With ``clv`` (predictive CLV, EUR) the risk is future value;
    with ``orders`` only it uses historic revenue as the proxy of what a customer is worth.
    Reference: Reichheld & Markey (2011), The Ultimate Question 2.0, ch. 3.
    """
    as_of = _default_as_of(customers, responses, as_of)
    churn = churn_by_nps_group(customers, responses, as_of, confidence, min_n)
    value = value_by_nps_group(customers, responses, orders, clv, as_of, confidence, min_n)
    grouped = _with_groups(customers, responses, as_of)
    v, _ = _value(customers, orders, clv, as_of)
    churned_by = local_wall_time(grouped["churn_date"]) <= local_wall_time(pd.Series([as_of]))[0] \
        if "churn_date" in grouped.columns else np.zeros(len(grouped), dtype=bool)
    act = (pd.DataFrame({"nps_group": grouped["nps_group"].array, "active": ~churned_by,
                         "active_value": np.where(churned_by, 0.0, v.fillna(0.0).to_numpy())})
           .groupby("nps_group", observed=True, dropna=False, sort=True).sum().reset_index())
    key = churn["nps_group"].astype("string").fillna("<NA>")
    ref = key == reference
    if not ref.any():
        raise KeyError(f"value_at_stake: no customers in the reference group {reference!r}")
    x_ref, n_ref = float(churn.loc[ref, "successes"].iloc[0]), float(churn.loc[ref, "n"].iloc[0])
    diff = proportion_difference(x_ref, n_ref, churn["successes"].to_numpy(dtype="float64"),
                                 churn["n"].to_numpy(dtype="float64"), confidence)
    out = pd.DataFrame({"nps_group": churn["nps_group"], "churn_n": churn["n"].to_numpy(),
                        "churned": churn["successes"].to_numpy(dtype="int64"),
                        "churn_rate": churn["value"], "churn_ci_low": churn["ci_low"],
                        "churn_ci_high": churn["ci_high"]})
    vk = value["nps_group"].astype("string").fillna("<NA>")
    ak = act["nps_group"].astype("string").fillna("<NA>")
    for name, col in (("value_n", "n"), ("mean_value", "value"), ("value_ci_low", "ci_low"),
                      ("value_ci_high", "ci_high")):
        out[name] = pd.Series(value[col].to_numpy(), index=vk).reindex(key).to_numpy()
    out["active"] = pd.Series(act["active"].to_numpy(), index=ak).reindex(key).fillna(0).astype("int64").to_numpy()
    out["active_value"] = pd.Series(act["active_value"].to_numpy(), index=ak).reindex(key).fillna(0.0).to_numpy()
    shown = ~churn["suppressed"].to_numpy(dtype=bool) & (n_ref >= min_n)
    for name, arr in (("excess_churn", diff.difference), ("excess_ci_low", diff.ci_low),
                      ("excess_ci_high", diff.ci_high)):
        out[name] = np.where(shown, 100.0 * np.asarray(arr), np.nan)
    for name, col in (("revenue_at_risk", "excess_churn"), ("risk_ci_low", "excess_ci_low"),
                      ("risk_ci_high", "excess_ci_high")):
        out[name] = out["active_value"] * out[col] / 100.0
    out.loc[ref.to_numpy(), ["excess_churn", "excess_ci_low", "excess_ci_high", "revenue_at_risk",
                             "risk_ci_low", "risk_ci_high"]] = 0.0
    out.attrs = {"as_of": as_of, "value_basis": value["basis"].iloc[0] if len(value) else None,
                 "reference": reference}
    return out
