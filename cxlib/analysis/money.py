"""The link to money: churn after NPS answers, customer value by NPS group, revenue at risk.

Churn is counted per answer with equal follow-up (``answer_followups``: churn within 180 days
after an answer, before the next one), clustered by customer; time to churn with Kaplan-Meier
and Cox (statsmodels). Customer value uses each customer's latest NPS group
(``segments.nps_groups``: promoter 9-10, passive 7-8, detractor 0-6). Differences between
groups come from ``cxlib.stats`` (Newcombe interval, two-proportion z-test). Every result is an
association between an answer and later churn, not the effect of the answer.

References
- Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review 81(12);
  Reichheld, F. F. & Markey, R. (2011). The Ultimate Question 2.0, ch. 3 (the economics of
  promoters and detractors: detractors defect more often and take revenue with them).
- Katz, D., Baptista, J., Azen, S. P. & Pike, M. C. (1978). Obtaining confidence intervals for the
  risk ratio in cohort studies. Biometrics 34(3):469-474 (log interval of a ratio of proportions,
  as scipy.stats.contingency.relative_risk).
- Student (1908), Biometrika 6:1-25 (t interval of a mean).
- Cox, D. R. (1972). Regression models and life-tables. JRSS B 34(2):187-220; Kaplan, E. L. &
  Meier, P. (1958). JASA 53:457-481; Lin, D. Y. & Wei, L. J. (1989). The robust inference for
  the Cox proportional hazards model. JASA 84:1074-1078.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.analysis.segments import _as_of, _value, nps_groups
from cxlib.business_hours import local_wall_time
from cxlib.kpi.nps_groups import NPS_GROUP_DTYPE, NPS_GROUPS, nps_group
from cxlib.stats.clustered import design_effect
from cxlib.stats.intervals import t_interval, wilson, z_value
from cxlib.stats.twosample import proportion_difference

__all__ = [
    "answer_followups",
    "churn_by_nps_group",
    "churn_hazard_ratio",
    "churn_ratio",
    "churn_survival",
    "value_at_stake",
    "value_by_nps_group",
]


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


def answer_followups(
    customers: pd.DataFrame, responses: pd.DataFrame, as_of=None, *, window_days: int = 180
) -> pd.DataFrame:
    """One row per NPS answer with equal follow-up: did the customer leave within ``window_days``
    after it, before answering again?

    Columns: customer_id, submitted_at, nps_group, followed (the answer's ``window_days`` lie
    before ``as_of``, so its outcome is known), time (days from the answer to churn, to the next
    answer or to the end of the window, whichever comes first; capped at ``as_of``), churned
    (churn in that span). A customer's next answer ends the follow-up of the previous one, so
    each churn is attributed to the latest answer before it. Answers without a customer or
    without an NPS score are left out (they have no group or no follow-up).
    """
    as_of = _default_as_of(customers, responses, as_of)
    end = local_wall_time(pd.Series([as_of]))[0]
    rows = responses.loc[
        responses["nps"].notna() & responses["customer_id"].notna(), ["customer_id", "submitted_at", "nps"]
    ]
    at = local_wall_time(rows["submitted_at"])
    rows = rows.assign(_at=at).loc[at <= end].sort_values(["customer_id", "_at"], kind="stable")
    nxt = rows.groupby("customer_id", sort=False)["_at"].shift(-1).to_numpy(dtype="datetime64[ns]")
    churn_of = (
        pd.Series(local_wall_time(customers["churn_date"]), index=pd.Index(customers["customer_id"]))
        if "churn_date" in customers.columns
        else pd.Series(dtype="datetime64[ns]")
    )
    churn = churn_of.reindex(pd.Index(rows["customer_id"])).to_numpy(dtype="datetime64[ns]")
    at = rows["_at"].to_numpy(dtype="datetime64[ns]")
    window = np.timedelta64(int(window_days), "D")
    stop = np.minimum(at + window, end)
    has_next = ~np.isnat(nxt)
    stop = np.where(has_next & (nxt < stop), nxt, stop)
    churned = ~np.isnat(churn) & (churn > at) & (churn <= stop)
    stop = np.where(churned, churn, stop)
    return pd.DataFrame(
        {
            "customer_id": rows["customer_id"].to_numpy(),
            "submitted_at": rows["submitted_at"].to_numpy(),
            "nps_group": nps_group(rows["nps"]).array,
            "followed": at + window <= end,
            "time": (stop - at) / np.timedelta64(1, "D"),
            "churned": churned,
        }
    )


def churn_by_nps_group(
    customers: pd.DataFrame,
    responses: pd.DataFrame,
    as_of=None,
    confidence: float = 0.95,
    min_n: int = 30,
    *,
    window_days: int = 180,
) -> pd.DataFrame:
    """Churn within ``window_days`` after an NPS answer, per NPS group of that answer (tidy frame).

    Method: ``answer_followups``: every answer whose follow-up window is complete by ``as_of``
    counts once; it is a churn when the customer left within ``window_days``, before answering
    again. So every answer has the same follow-up, and a customer's later answers are not
    credited to an earlier one (grouping customers by their *latest* answer and counting churn
    over unequal follow-up biased the detractor/promoter ratio; issue 13). Customers who answer
    repeatedly are clusters: the Wilson (1927) interval uses the effective n = n/deff, with the
    design effect deff of the cluster-robust variance by customer (Kish 1965, Survey Sampling;
    Korn & Graubard 1998, Survey Methodology 24(2)).

    Columns: nps_group, period ("all"), kpi ("churn_after_answer"), n (answers followed up),
    value (percent), ci_low, ci_high, suppressed (n < min_n), successes (answers followed by
    churn), customers, deff, window_days. This is an association: detractors may leave for the
    same reasons that made them detractors.
    """
    answers = answer_followups(customers, responses, as_of, window_days=window_days)
    answers = answers[answers["followed"].to_numpy()]
    per = design_effect(
        answers["churned"].to_numpy(),
        answers["nps_group"].to_numpy(),
        answers["customer_id"].astype("string").to_numpy(),
    )
    per = per.reindex(pd.CategoricalIndex(list(NPS_GROUPS), dtype=NPS_GROUP_DTYPE)).fillna(
        {"n": 0, "events": 0, "customers": 0, "deff": 1.0}
    )
    n, x, deff = (per[c].to_numpy(dtype="float64") for c in ("n", "events", "deff"))
    low, high = wilson(x / deff, n / deff, confidence)
    suppressed = n < min_n
    with np.errstate(invalid="ignore", divide="ignore"):
        value = 100.0 * x / n
    return pd.DataFrame(
        {
            "nps_group": pd.Categorical(list(NPS_GROUPS), dtype=NPS_GROUP_DTYPE),
            "period": "all",
            "kpi": "churn_after_answer",
            "n": n.astype("int64"),
            "value": np.where(suppressed, np.nan, value),
            "ci_low": np.where(suppressed, np.nan, 100.0 * np.asarray(low)),
            "ci_high": np.where(suppressed, np.nan, 100.0 * np.asarray(high)),
            "suppressed": suppressed,
            "successes": x.astype("int64"),
            "customers": per["customers"].to_numpy(dtype="int64"),
            "deff": deff,
            "window_days": int(window_days),
        }
    )


def churn_hazard_ratio(
    customers: pd.DataFrame,
    responses: pd.DataFrame,
    as_of=None,
    confidence: float = 0.95,
    *,
    window_days: int = 180,
    reference: str = "promoter",
) -> pd.DataFrame:
    """Time to churn after an NPS answer: Cox hazard ratios of the NPS groups (statsmodels PHReg).

    Each answer is followed from its date until churn (event), the customer's next answer, the end
    of the window or ``as_of`` (censored): ``answer_followups``, including answers whose window is
    not complete yet. Cox proportional hazards with the group as covariate (``reference`` = 1),
    Breslow ties, robust (sandwich) covariance clustered by customer (Lin & Wei 1989, JASA
    84:1074). Returns one row per other group: nps_group, reference, hazard_ratio, ci_low,
    ci_high, p_value, answers, events. Kaplan-Meier curves: ``churn_survival``.
    """
    from statsmodels.duration.hazard_regression import PHReg

    answers = answer_followups(customers, responses, as_of, window_days=window_days)
    # Answers censored before the first churn time are in no risk set at an event: they add
    # nothing to the partial likelihood or its score (statsmodels gives NaN score residuals
    # for them, which would spoil the robust covariance), so they are left out exactly.
    first = answers.loc[answers["churned"], "time"].min()
    answers = answers[answers["churned"] | (answers["time"] >= first)]
    others = [g for g in NPS_GROUPS if g != reference]
    exog = np.column_stack([(answers["nps_group"] == g).to_numpy(dtype=float) for g in others])
    groups = pd.factorize(answers["customer_id"].astype("string"))[0]
    time = np.maximum(answers["time"].to_numpy(dtype=float), 1e-6)
    fit = PHReg(time, exog, status=answers["churned"].to_numpy(dtype=float), ties="breslow").fit(groups=groups)
    z = z_value(confidence)
    coef, se = np.asarray(fit.params), np.asarray(fit.bse)
    counts = answers.groupby("nps_group", observed=False)["churned"].agg(["size", "sum"])
    return pd.DataFrame(
        {
            "nps_group": others,
            "reference": reference,
            "hazard_ratio": np.exp(coef),
            "ci_low": np.exp(coef - z * se),
            "ci_high": np.exp(coef + z * se),
            "p_value": np.asarray(fit.pvalues),
            "answers": counts.loc[others, "size"].to_numpy(),
            "events": counts.loc[others, "sum"].to_numpy(dtype=int),
        }
    )


def churn_survival(
    customers: pd.DataFrame, responses: pd.DataFrame, as_of=None, confidence: float = 0.95, *, window_days: int = 180
) -> pd.DataFrame:
    """Kaplan-Meier share still a customer t days after an NPS answer, per NPS group (statsmodels).

    Same follow-up as ``churn_hazard_ratio``. One row per group and event time: nps_group, time
    (days), survival (0..1), ci_low, ci_high (statsmodels ``SurvfuncRight``, log-log interval),
    at_risk. An answer's follow-up ends at the customer's next answer, so the curve is "still a
    customer, not having answered again"; the log-log interval does not account for customers
    who answer repeatedly.
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    answers = answer_followups(customers, responses, as_of, window_days=window_days)
    parts = []
    for group in NPS_GROUPS:  # three groups
        sub = answers[answers["nps_group"] == group]
        if sub.empty or not sub["churned"].any():
            continue
        sf = SurvfuncRight(sub["time"].to_numpy(dtype=float), sub["churned"].to_numpy(dtype=float))
        z = z_value(confidence)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = sf.surv_prob
            lls = np.log(-np.log(s))
            half = z * sf.surv_prob_se / (s * np.abs(np.log(s)))
            ci_low, ci_high = np.exp(-np.exp(lls + half)), np.exp(-np.exp(lls - half))
        parts.append(
            pd.DataFrame(
                {
                    "nps_group": group,
                    "time": sf.surv_times,
                    "survival": s,
                    "ci_low": ci_low,
                    "ci_high": ci_high,
                    "at_risk": sf.n_risk,
                }
            )
        )
    out = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["nps_group", "time", "survival", "ci_low", "ci_high", "at_risk"])
    )
    out["nps_group"] = pd.Categorical(out["nps_group"], dtype=NPS_GROUP_DTYPE)
    return out


def value_by_nps_group(
    customers: pd.DataFrame,
    responses: pd.DataFrame,
    orders: pd.DataFrame | None = None,
    clv=None,
    as_of=None,
    confidence: float = 0.95,
    min_n: int = 30,
) -> pd.DataFrame:
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
    stats = (
        frame.groupby("nps_group", observed=True, dropna=False, sort=True)["v"]
        .agg(n="count", value="mean", sd="std", total="sum")
        .reset_index()
    )
    low, high = t_interval(stats["value"].to_numpy(), stats["sd"].to_numpy(), stats["n"].to_numpy(), confidence)
    suppressed = stats["n"].to_numpy() < min_n
    out = stats[["nps_group", "n"]].copy()
    for name, col in (("value", stats["value"]), ("sd", stats["sd"]), ("ci_low", low), ("ci_high", high)):
        out[name] = np.where(suppressed, np.nan, np.asarray(col, dtype="float64"))
    out["suppressed"] = suppressed
    out["total"] = stats["total"].to_numpy()
    out["basis"] = basis
    return out


def _effective(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Effective successes and n: counts divided by the design effect (1 without a deff column)."""
    deff = frame["deff"].to_numpy(dtype="float64") if "deff" in frame.columns else np.ones(len(frame))
    return frame["successes"].to_numpy(dtype="float64") / deff, frame["n"].to_numpy(dtype="float64") / deff


def churn_ratio(
    churn: pd.DataFrame, numerator: str = "detractor", denominator: str = "promoter", confidence: float = 0.95
) -> pd.DataFrame:
    """How many times as often answers of the ``numerator`` group are followed by churn.

    ``churn``: a frame from ``churn_by_nps_group`` (columns nps_group, n, successes and, for
    answers clustered by customer, deff). Ratio of the two churn proportions with the Katz et al.
    (1978) log interval exp(ln RR ± z·√(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂)) on the effective counts
    x/deff, n/deff (as ``scipy.stats.contingency.relative_risk`` on whole counts), and the
    p-value of the two-proportion z-test of equal churn (``cxlib.stats``) on the same counts.
    One row: numerator, denominator, churn_numerator, churn_denominator (percent), ratio,
    ci_low, ci_high, p_value, n_numerator, n_denominator. An association, not a cause.
    """
    rows = churn.set_index(churn["nps_group"].astype("string"))
    for level in (numerator, denominator):
        if level not in rows.index:
            raise KeyError(f"churn_ratio: no row for nps_group {level!r}; found {list(rows.index)}")
    x_eff, n_eff = _effective(rows)
    at = {k: i for i, k in enumerate(rows.index)}
    x1, n1 = x_eff[at[numerator]], n_eff[at[numerator]]
    x0, n0 = x_eff[at[denominator]], n_eff[at[denominator]]
    if min(n0, n1) == 0 or x0 == 0 or x1 == 0:
        ratio, low, high = np.nan, np.nan, np.nan
    else:
        ratio = (x1 / n1) / (x0 / n0)
        half = z_value(confidence) * np.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0)
        low, high = ratio * np.exp(-half), ratio * np.exp(half)
    test = proportion_difference(x0, n0, x1, n1, confidence)
    return pd.DataFrame(
        {
            "numerator": [numerator],
            "denominator": [denominator],
            "churn_numerator": [100.0 * x1 / n1 if n1 else np.nan],
            "churn_denominator": [100.0 * x0 / n0 if n0 else np.nan],
            "ratio": [ratio],
            "ci_low": [low],
            "ci_high": [high],
            "p_value": [float(test.p_value)],
            "n_numerator": [int(rows.at[numerator, "n"])],
            "n_denominator": [int(rows.at[denominator, "n"])],
        }
    )


def value_at_stake(
    customers: pd.DataFrame,
    responses: pd.DataFrame,
    orders: pd.DataFrame | None = None,
    clv=None,
    as_of=None,
    confidence: float = 0.95,
    min_n: int = 30,
    *,
    reference: str = "promoter",
) -> pd.DataFrame:
    """Churn, value and revenue at risk per NPS group, with intervals.

    Per NPS group: churn_n (answers followed up, see ``churn_by_nps_group``), churned, churn_rate
    (percent of answers followed by churn within the window) with its interval; value_n (all
    customers whose latest answer is in the group),
    mean_value with its t interval (``value_by_nps_group``); active (customers not churned at
    ``as_of``) and active_value (EUR, their summed value); then

    - excess_churn = churn_rate(group) − churn_rate(``reference``), percentage points, with
      Newcombe's (1998) interval (``cxlib.stats.proportion_difference``);
    - revenue_at_risk = active_value × excess_churn / 100 (EUR): the value of the group's current
      customers that goes with the excess churn in the next window, if they churn as answers of
      their group did; risk_ci_low / risk_ci_high scale the excess_churn interval the same way
      (value treated as known). The reference group has 0.

    This is an association, not an effect: detractors may leave for the same reasons that made
    them detractors, so turning a detractor into a promoter need not save this value. With
    ``clv`` (predictive CLV, EUR) the value is future value;
    with ``orders`` only it uses historic revenue as the proxy of what a customer is worth.
    Reference: Reichheld & Markey (2011), The Ultimate Question 2.0, ch. 3.
    """
    as_of = _default_as_of(customers, responses, as_of)
    churn = churn_by_nps_group(customers, responses, as_of, confidence, min_n)
    value = value_by_nps_group(customers, responses, orders, clv, as_of, confidence, min_n)
    grouped = _with_groups(customers, responses, as_of)
    v, _ = _value(customers, orders, clv, as_of)
    churned_by = (
        local_wall_time(grouped["churn_date"]) <= local_wall_time(pd.Series([as_of]))[0]
        if "churn_date" in grouped.columns
        else np.zeros(len(grouped), dtype=bool)
    )
    act = (
        pd.DataFrame(
            {
                "nps_group": grouped["nps_group"].array,
                "active": ~churned_by,
                "active_value": np.where(churned_by, 0.0, v.fillna(0.0).to_numpy()),
            }
        )
        .groupby("nps_group", observed=True, dropna=False, sort=True)
        .sum()
        .reset_index()
    )
    key = churn["nps_group"].astype("string").fillna("<NA>")
    ref = key == reference
    if not ref.any():
        raise KeyError(f"value_at_stake: no customers in the reference group {reference!r}")
    x_eff, n_eff = _effective(churn)
    x_ref, n_ref = float(x_eff[ref.to_numpy()][0]), float(n_eff[ref.to_numpy()][0])
    diff = proportion_difference(x_ref, n_ref, x_eff, n_eff, confidence)
    out = pd.DataFrame(
        {
            "nps_group": churn["nps_group"],
            "churn_n": churn["n"].to_numpy(),
            "churned": churn["successes"].to_numpy(dtype="int64"),
            "churn_rate": churn["value"],
            "churn_ci_low": churn["ci_low"],
            "churn_ci_high": churn["ci_high"],
        }
    )
    vk = value["nps_group"].astype("string").fillna("<NA>")
    ak = act["nps_group"].astype("string").fillna("<NA>")
    for name, col in (
        ("value_n", "n"),
        ("mean_value", "value"),
        ("value_ci_low", "ci_low"),
        ("value_ci_high", "ci_high"),
    ):
        out[name] = pd.Series(value[col].to_numpy(), index=vk).reindex(key).to_numpy()
    out["active"] = pd.Series(act["active"].to_numpy(), index=ak).reindex(key).fillna(0).astype("int64").to_numpy()
    out["active_value"] = pd.Series(act["active_value"].to_numpy(), index=ak).reindex(key).fillna(0.0).to_numpy()
    shown = ~churn["suppressed"].to_numpy(dtype=bool) & (float(churn.loc[ref, "n"].iloc[0]) >= min_n)
    for name, arr in (
        ("excess_churn", diff.difference),
        ("excess_ci_low", diff.ci_low),
        ("excess_ci_high", diff.ci_high),
    ):
        out[name] = np.where(shown, 100.0 * np.asarray(arr), np.nan)
    for name, col in (
        ("revenue_at_risk", "excess_churn"),
        ("risk_ci_low", "excess_ci_low"),
        ("risk_ci_high", "excess_ci_high"),
    ):
        out[name] = out["active_value"] * out[col] / 100.0
    out.loc[
        ref.to_numpy(),
        ["excess_churn", "excess_ci_low", "excess_ci_high", "revenue_at_risk", "risk_ci_low", "risk_ci_high"],
    ] = 0.0
    out.attrs = {"as_of": as_of, "value_basis": value["basis"].iloc[0] if len(value) else None, "reference": reference}
    return out
