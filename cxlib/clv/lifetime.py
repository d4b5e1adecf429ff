"""One customer lifetime value per customer, from the model the data support.

``customer_lifetime_value(data, horizon=36, discount=0.10)`` picks, says which and why:

- **Retention** (where churn dates are recorded: a contractual setting, Fader & Hardie 2007):
  the shifted-beta-geometric model of ``cxlib.clv.sbg`` on whole periods of tenure, with left
  truncation for customers who joined before the data start. When its fit is degenerate
  (parameters on a bound, or running off to alpha, beta -> infinity) or its heterogeneity is
  not significant (likelihood-ratio test against one churn probability, p >= 0.05), the
  homogeneous geometric model with one retention rate is used instead, and the reason is given.
- **Purchases while active**: repeat orders per year follow a Poisson process whose rate varies
  across customers as a Gamma distribution (the NBD; Ehrenberg 1959, JRSS C 8(1)), with the
  customer segment as a covariate: statsmodels' ``NegativeBinomial`` (NB2) with exposure = the
  years the customer was active in the data. A customer's expected rate is the posterior mean
  (r + x)/(r/mu + T). The first order on the signup day is the acquisition, not a repeat.
- **Spend per order**: the Gamma-Gamma model (Fader, Hardie & Lee 2005, JMR 42(4)) when it fits
  (not degenerate, q > 1) and spend does not correlate with frequency (Spearman |rho| < 0.1 or
  not significant at 5%); otherwise the mean amount of the repeat orders of the customer's
  segment (the whole base when a segment has fewer than 30). The correlation is always reported.

CLV = margin x expected spend per period x sum_{k=1..H} P(active k more periods | active now)
/ (1 + d)^k: margin received at the end of each period survived, d the per-period rate of the
yearly ``discount``. The interval is that of the *expected* value given the data: 400 draws of
every parameter from its maximum-likelihood normal approximation (log scale), percentiles. It
is not a prediction interval of what one customer will spend. Churned customers have value 0.
Without churn dates the BG/NBD model (``cxlib.clv.bgnbd``) is used, with a point value only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cxlib.clv._common import DegenerateFitError
from cxlib.clv.gamma_gamma import GammaGammaModel
from cxlib.clv.sbg import ShiftedBetaGeometricModel
from cxlib.i18n import fill, label, text
from cxlib.io.cxdata import table
from cxlib.paths import TIMEZONE

__all__ = ["DAYS_PER_YEAR", "customer_lifetime_value"]

DAYS_PER_YEAR = 365.2425
MIN_SEGMENT_ORDERS = 30
N_DRAWS = 400


def _days(times) -> np.ndarray:
    """Local (Europe/Amsterdam) wall-clock days since 1970 as floats; NaT -> NaN."""
    s = pd.to_datetime(pd.Series(times))
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return (s - pd.Timestamp("1970-01-01")).dt.total_seconds().to_numpy(dtype=float) / 86400.0


def _text(key: str, lang: str, **fields) -> str:
    return text(f"clv.{key}", lang, **fields)


def _fmt(params: dict) -> str:
    return ", ".join(f"{k} = {v:.3g}" for k, v in params.items())


def _retention(signup, churn, start, end, period_days, rng, lang):
    """Fit sBG (or geometric); return (model key, per-customer factor draws function, rows, reasons)."""
    active_end = np.where(np.isnan(churn) | (churn > end), end, churn)
    churned = ~np.isnan(churn) & (churn <= end)
    tenure_end = (active_end - signup) / period_days
    lifetime = np.where(churned, np.floor(tenure_end) + 1, np.floor(tenure_end))
    entry = np.minimum(np.floor(np.clip(start - signup, 0, None) / period_days), lifetime - churned)
    reasons = []
    try:
        model = ShiftedBetaGeometricModel().fit(lifetime, churned, entry)
        if model.heterogeneity_p_ >= 0.05:
            raise DegenerateFitError(
                "no evidence of heterogeneity", params={"LR": model.heterogeneity_lr_, "p": model.heterogeneity_p_}
            )
        draws = np.exp(rng.multivariate_normal(np.log(list(model.params_.values())), model.cov_, N_DRAWS))
        params = [(model.params_["alpha"], model.params_["beta"])] + [tuple(d) for d in draws]
        info = {
            "model": "sbg",
            "alpha": model.params_["alpha"],
            "beta": model.params_["beta"],
            "heterogeneity_p": model.heterogeneity_p_,
        }

        def factor(n, horizon, d):
            a = np.array([p[0] for p in params])[:, None]
            b = np.array([p[1] for p in params])[:, None]
            return model.expected_value(n, horizon, d, params=(a, b))
    except DegenerateFitError as error:
        reasons.append(("retention", "sbg_degenerate", _text("sbg_degenerate", lang, params=_fmt(error.params))))
        events = churned.sum()
        at_risk = np.sum(lifetime - entry)
        theta = events / at_risk
        se = np.sqrt(theta * (1 - theta) / at_risk)
        thetas = np.concatenate([[theta], np.clip(rng.normal(theta, se, N_DRAWS), 1e-9, 1 - 1e-9)])
        info = {"model": "geometric", "churn_per_period": theta}

        def factor(n, horizon, d):
            k = np.arange(1, horizon + 1)
            per = np.sum(((1 - thetas[:, None]) / (1 + d)) ** k[None, :], axis=1)
            return np.broadcast_to(per[:, None], (len(thetas), len(n)))

    return info, factor, lifetime, churned, reasons


def _purchase_rate(frame, exposure_years, repeats, rng):
    """NB2 regression of repeat orders on segment with exposure; posterior mean rate draws (D+1, N)."""
    from statsmodels.discrete.discrete_model import NegativeBinomial

    if "segment" in frame.columns and frame["segment"].nunique(dropna=True) > 1:
        seg = frame["segment"].astype("string").fillna("(none)")
        exog = pd.get_dummies(seg, drop_first=True, dtype=float)
        exog.insert(0, "const", 1.0)
    else:
        exog = pd.DataFrame({"const": np.ones(len(frame))})
    keep = exposure_years > 0
    model = NegativeBinomial(repeats[keep], exog.to_numpy()[keep], exposure=exposure_years[keep])
    fit = model.fit(disp=0, maxiter=200)
    coef, cov = np.asarray(fit.params), np.asarray(fit.cov_params())
    draws = np.vstack([coef, rng.multivariate_normal(coef, cov, N_DRAWS)])
    alpha = np.clip(draws[:, -1], 1e-8, None)  # NB2 dispersion: Var = mu + alpha mu^2
    mu = np.exp(draws[:, :-1] @ exog.to_numpy().T)  # orders per year of a customer like i
    r = 1.0 / alpha[:, None]
    rate = (r + repeats[None, :]) / (r / mu + exposure_years[None, :])
    info = {"model": "nbd", "r": float(1.0 / alpha[0]), "orders_per_year": float(np.mean(mu[0]))}
    return rate, info


def _amount(frame, orders_rep, repeats, rng, lang):
    """Expected amount per order draws (D+1, N), spend-frequency correlation and the model used."""
    reasons = []
    per_customer = orders_rep.groupby("customer_id")["amount"].mean()
    mean_amount = per_customer.reindex(frame["customer_id"]).to_numpy(dtype=float)
    buyers = repeats > 0
    rho, p_rho = stats.spearmanr(repeats[buyers], mean_amount[buyers]) if buyers.sum() > 2 else (np.nan, np.nan)
    info = {"spend_frequency_rho": float(rho), "spend_frequency_p": float(p_rho)}
    gg_ok = False
    if buyers.sum() >= 3:
        try:
            gg = GammaGammaModel().fit(repeats, np.where(buyers, mean_amount, 0.0))
            correlated = abs(rho) >= 0.1 and p_rho < 0.05
            if correlated:
                reasons.append(("amount", "spend_frequency", _text("spend_frequency_reason", lang, rho=f"{rho:.2f}")))
            else:
                gg_ok = True
        except DegenerateFitError as error:
            reasons.append(("amount", "gg_degenerate", _text("gg_degenerate", lang, params=_fmt(error.params))))
    if gg_ok:
        values = np.asarray(gg.expected_spend(repeats, np.where(buyers, mean_amount, 0.0)))
        info.update(model="gamma_gamma", **gg.params_)
        return np.broadcast_to(values, (N_DRAWS + 1, len(values))), info, reasons
    # Segment means of the repeat orders (the whole base where a segment has too few).
    seg = (
        frame["segment"].astype("string").fillna("(none)")
        if "segment" in frame.columns
        else pd.Series("(all)", index=frame.index)
    )
    seg_of = dict(zip(frame["customer_id"], seg))
    order_seg = orders_rep["customer_id"].map(seg_of)
    stats_seg = orders_rep.groupby(order_seg)["amount"].agg(["mean", "std", "count"])
    overall = orders_rep["amount"].agg(["mean", "std", "count"])
    small = stats_seg["count"] < MIN_SEGMENT_ORDERS
    stats_seg.loc[small, ["mean", "std", "count"]] = overall.to_numpy()
    se = stats_seg["std"] / np.sqrt(stats_seg["count"])
    draws = np.vstack(
        [stats_seg["mean"].to_numpy(), rng.normal(stats_seg["mean"].to_numpy(), se.to_numpy(), (N_DRAWS, len(se)))]
    )
    index = stats_seg.index.get_indexer(seg.to_numpy())
    fallback = np.nanmean(draws, axis=1, keepdims=True)
    values = np.where(index[None, :] >= 0, draws[:, np.maximum(index, 0)], fallback)
    info.update(model="segment_mean")
    return values, info, reasons


def customer_lifetime_value(
    data,
    horizon: int = 36,
    discount: float = 0.10,
    *,
    margin: float = 1.0,
    as_of=None,
    period_months: int = 3,
    confidence: float = 0.95,
    seed: int = 0,
    lang: str = "en",
) -> pd.DataFrame:
    """Expected discounted value of each customer over the next ``horizon`` months (EUR).

    ``data``: a CXData or a mapping with ``customers`` (customer_id, signup_date, churn_date,
    optional segment) and ``orders`` (customer_id, order_date, amount). ``discount``: yearly
    rate (0.10 = 10% a year); ``margin``: share of spend that is profit (1.0 = revenue);
    ``period_months``: the length of one renewal period of the retention model.

    One row per customer: customer_id, status (active / churned), periods_survived, retention
    (probability of staying one more period), orders_per_year (expected repeat orders),
    amount (expected EUR per order), clv, ci_low, ci_high (EUR, the interval of the expected
    value at ``confidence``), model (retention model used: sbg, geometric, bgnbd), note (in
    ``lang``: why a value is 0 or missing). ``attrs["model"]``: a frame with one row per model
    component (retention, purchase_rate, amount): model, parameters, reason, message.
    """
    customers, orders = table(data, "customers"), table(data, "orders")
    if customers is None or orders is None or customers.empty:
        raise ValueError("customer_lifetime_value needs the customers and orders tables")
    if int(horizon) != horizon or horizon < period_months:
        raise ValueError(f"horizon must be whole months >= period_months ({period_months}), got {horizon!r}")
    rng = np.random.default_rng(seed)
    signup = _days(customers["signup_date"])
    churn = _days(customers["churn_date"]) if "churn_date" in customers.columns else np.full(len(customers), np.nan)
    order_day = _days(orders["order_date"])
    end = (
        _days(pd.Series([pd.Timestamp(as_of)]))[0]
        if as_of is not None
        else np.nanmax(np.concatenate([signup, churn, order_day]))
    )
    if not np.any(churn <= end):
        raise NotImplementedError(
            "customer_lifetime_value: no churn dates recorded; use cxlib.clv.BetaGeoModel with "
            "cxlib.clv.clv for a non-contractual setting"
        )
    start = np.nanmin(np.concatenate([churn, order_day]))
    period_days = period_months * DAYS_PER_YEAR / 12
    ret_info, factor, lifetime, churned, reasons = _retention(signup, churn, start, end, period_days, rng, lang)

    # Repeat orders in the window while active; the order on the signup day is the acquisition.
    ids = pd.Index(customers["customer_id"])
    pos = ids.get_indexer(orders["customer_id"])
    known = pos >= 0
    in_window = known & (order_day >= start) & (order_day <= end)
    acquisition = known & (np.floor(order_day) == np.floor(signup[np.maximum(pos, 0)]))
    rep = in_window & ~acquisition
    repeats = np.bincount(pos[rep], minlength=len(ids)).astype(float)
    active_to = np.where(churned, churn, end)
    exposure = np.clip(active_to - np.maximum(signup, start), 0, None) / DAYS_PER_YEAR
    rate, rate_info = _purchase_rate(customers, exposure, repeats, rng)
    orders_rep = orders.loc[rep, ["customer_id", "amount"]]
    amount, amt_info, amt_reasons = _amount(customers, orders_rep, repeats, rng, lang)
    reasons += amt_reasons

    h = int(horizon) // period_months
    d = (1.0 + discount) ** (period_months / 12.0) - 1.0
    n = np.where(churned, 0.0, lifetime)
    tenures, back = np.unique(n, return_inverse=True)
    fac = factor(tenures, h, d)[:, back.ravel()]  # (D+1, N), computed once per tenure
    per_period = margin * rate * amount * period_months / 12.0
    value = np.where(churned[None, :], 0.0, per_period * fac)
    tail = (1 - confidence) / 2
    low, high = np.quantile(value[1:], [tail, 1 - tail], axis=0)
    if ret_info["model"] == "sbg":
        a, b = ret_info["alpha"], ret_info["beta"]
        retention = (b + n) / (a + b + n)
    else:
        retention = np.full(len(n), 1 - ret_info["churn_per_period"])
    note = np.full(len(n), "", dtype=object)
    if churned.any():
        dates = pd.Series(customers["churn_date"]).dt.strftime("%Y-%m-%d").to_numpy()[churned]
        template = label("clv.churned", lang)
        note[churned] = [fill(template, date=t) for t in dates]
    out = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy(),
            "status": pd.Categorical(np.where(churned, "churned", "active"), categories=["active", "churned"]),
            "periods_survived": np.where(churned, np.nan, lifetime),
            "retention": np.where(churned, np.nan, retention),
            "orders_per_year": np.where(churned, np.nan, rate[0]),
            "amount": np.where(churned, np.nan, amount[0]),
            "clv": value[0],
            "ci_low": low,
            "ci_high": high,
            "model": ret_info["model"],
            "note": pd.array(note, dtype="string"),
        }
    )
    if "segment" in customers.columns:
        out.insert(1, "segment", customers["segment"].to_numpy())
    components = [
        ("retention", ret_info["model"], {k: v for k, v in ret_info.items() if k != "model"}),
        ("purchase_rate", rate_info["model"], {k: v for k, v in rate_info.items() if k != "model"}),
        ("amount", amt_info["model"], {k: v for k, v in amt_info.items() if k != "model"}),
    ]
    rows = []
    for component, model, params in components:
        mine = [r for r in reasons if r[0] == component]
        rows.append(
            {
                "component": component,
                "model": model,
                "parameters": ", ".join(f"{k} = {v:.4g}" for k, v in params.items()),
                "reason": mine[0][1] if mine else pd.NA,
                "message": _text(f"model_{model}", lang) + (" " + mine[0][2] if mine else ""),
            }
        )
    out.attrs["model"] = pd.DataFrame(rows)
    out.attrs.update(
        horizon=int(horizon),
        discount=discount,
        margin=margin,
        period_months=period_months,
        as_of=pd.Timestamp("1970-01-01") + pd.Timedelta(days=float(end)),
    )
    return out
