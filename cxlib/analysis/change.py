"""Change explained: split an NPS change into change within segments and mix shift.

The overall NPS is the respondent-weighted mean of the segment NPS: NPS = Σ_s w_s·NPS_s, with
w_s the segment's share of the respondents. Between two periods (0 → 1) the change splits
exactly, per segment, into (symmetric shift-share, Kitagawa 1955):

    within_s = (w_s0 + w_s1)/2 · (NPS_s1 − NPS_s0)      the segment's own NPS moved
    mix_s    = (w_s1 − w_s0) · (NPS_s0 + NPS_s1)/2      the segment's share of respondents moved

and Σ_s (within_s + mix_s) = NPS_1 − NPS_0 with no remainder (using the average of the two
periods' weights and scores instead of one period as the base is what removes the interaction
term). A segment seen in one period only has no NPS in the other: its within part is 0 and its
whole contribution w·NPS is mix.

References
- Kitagawa, E. M. (1955). Components of a difference between two rates. JASA 50(272):1168-1194.
- Das Gupta, P. (1993). Standardization and Decomposition of Rates: A User's Manual. U.S. Bureau
  of the Census, Current Population Reports P23-186.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.kpi import nps
from cxlib.kpi.frame import as_list, kpi_min_n
from cxlib.periods import parse_period
from cxlib.stats.compare import compare

__all__ = ["nps_change"]

_OUT = [
    "level",
    "n_from",
    "n_to",
    "share_from",
    "share_to",
    "nps_from",
    "ci_low_from",
    "ci_high_from",
    "nps_to",
    "ci_low_to",
    "ci_high_to",
    "change",
    "change_ci_low",
    "change_ci_high",
    "p_value",
    "p_adjusted",
    "significant",
    "within",
    "mix",
    "contribution",
    "suppressed",
]


def _two_periods(responses: pd.DataFrame, labels: tuple[str, str], by: list[str], **options) -> pd.DataFrame:
    """``cxlib.nps`` of the two periods only (one call per label), rows by group and period."""
    frame = pd.concat([nps(responses, by=by or None, period=label, **options) for label in labels], ignore_index=True)
    return frame.sort_values([*by, "period"], kind="stable", na_position="last").reset_index(drop=True)


def nps_change(
    responses: pd.DataFrame,
    from_period: str,
    to_period: str,
    by=("segment", "touchpoint"),
    customers: pd.DataFrame | None = None,
    confidence: float = 0.95,
    min_n: int | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """NPS change from ``from_period`` to ``to_period`` split into within-segment change and mix shift.

    Segments are the combinations of the ``by`` columns (customer columns are attached from
    ``customers``). Method: symmetric shift-share (Kitagawa 1955; module docstring), so
    ``within + mix = contribution`` per segment and the contributions add up exactly to the
    total change. Segment NPS and counts come from ``cxlib.kpi.nps`` (adjusted-Wald intervals);
    each change is tested with ``cxlib.stats.compare`` (z-test on adjusted-Wald standard
    errors, Benjamini–Hochberg over the segments).

    Periods are labels of one kind: ``"2024-Q4"``, ``"2025-03"`` or ``"2025"``.
    Returns one row per segment (``level = "segment"``) plus one ``level = "total"`` row (by
    columns missing): by columns, n_from, n_to, share_from, share_to (percent of respondents),
    nps_from, ci_low_from, ci_high_from, nps_to, ci_low_to, ci_high_to, change (points) with
    change_ci_low, change_ci_high, p_value, p_adjusted, significant, then within, mix and
    contribution (points of the total NPS), and suppressed (a period has n < min_n: NPS,
    intervals and test blanked; the decomposition still uses every response, so the parts
    always add up). Sorted by contribution, most negative first; the total row last.
    """
    by = as_list(by)
    if not by:
        raise ValueError("nps_change needs by= columns to define the segments")
    kind, code_from = parse_period(from_period)
    kind_to, code_to = parse_period(to_period)
    if kind != kind_to:
        raise ValueError(f"from_period {from_period!r} and to_period {to_period!r} are different kinds of period")
    if code_from >= code_to:
        raise ValueError(f"from_period {from_period!r} must come before to_period {to_period!r}")
    labels = (str(from_period), str(to_period))
    min_n = kpi_min_n("nps", min_n)

    exact = _two_periods(responses, labels, by, min_n=0, customers=customers)
    shown = _two_periods(responses, labels, by, confidence=confidence, min_n=min_n, customers=customers)
    total = _two_periods(responses, labels, [], confidence=confidence, min_n=min_n)
    if set(total["period"]) != set(labels):
        raise ValueError(f"no NPS answers in {sorted(set(labels) - set(total['period']))}")

    def wide(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        out = frame.pivot(index=by, columns="period", values=columns).astype("float64")
        out.columns = [f"{c}_{'from' if p == labels[0] else 'to'}" for c, p in out.columns]
        return out

    w = wide(exact, ["n", "value"]).join(wide(shown, ["value", "ci_low", "ci_high"]).add_suffix("_shown"))
    for side in ("from", "to"):
        if f"n_{side}" not in w:  # no segment answered in that period
            w[f"n_{side}"] = np.nan
    n0, n1 = w["n_from"].fillna(0).to_numpy(float), w["n_to"].fillna(0).to_numpy(float)
    s0, s1 = n0 / n0.sum(), n1 / n1.sum()
    v0, v1 = w["value_from"].to_numpy(float), w["value_to"].to_numpy(float)
    v0, v1 = np.where(n0 > 0, v0, v1), np.where(n1 > 0, v1, v0)  # one-sided segment: all mix
    within = (s0 + s1) / 2.0 * (v1 - v0)
    mix = (s1 - s0) * (v0 + v1) / 2.0

    test = compare(shown, between="period", confidence=confidence, alpha=alpha)
    test = test[(test["period_a"] == labels[0]) & (test["period_b"] == labels[1])].set_index(by)

    seg = pd.DataFrame(index=w.index)
    seg["level"] = "segment"
    seg["n_from"], seg["n_to"] = n0.astype("int64"), n1.astype("int64")
    seg["share_from"], seg["share_to"] = 100.0 * s0, 100.0 * s1
    for side in ("from", "to"):
        seg[f"nps_{side}"] = w.get(f"value_{side}_shown")
        seg[f"ci_low_{side}"] = w.get(f"ci_low_{side}_shown")
        seg[f"ci_high_{side}"] = w.get(f"ci_high_{side}_shown")
    seg = seg.join(
        test[["difference", "ci_low", "ci_high", "p_value", "p_adjusted", "significant"]].rename(
            columns={"difference": "change", "ci_low": "change_ci_low", "ci_high": "change_ci_high"}
        )
    )
    seg["within"], seg["mix"] = within, mix
    seg["contribution"] = within + mix
    seg["suppressed"] = (n0 < min_n) | (n1 < min_n)
    seg = seg.sort_values("contribution", kind="stable").reset_index()

    tot_test = compare(total, between="period", confidence=confidence, alpha=alpha)
    t0, t1 = (total.set_index("period").loc[label] for label in labels)
    row = {c: pd.NA for c in by}
    row.update(
        {
            "level": "total",
            "n_from": int(t0["n"]),
            "n_to": int(t1["n"]),
            "share_from": 100.0,
            "share_to": 100.0,
            "nps_from": t0["value"],
            "ci_low_from": t0["ci_low"],
            "ci_high_from": t0["ci_high"],
            "nps_to": t1["value"],
            "ci_low_to": t1["ci_low"],
            "ci_high_to": t1["ci_high"],
            "change": tot_test["difference"].iloc[0],
            "change_ci_low": tot_test["ci_low"].iloc[0],
            "change_ci_high": tot_test["ci_high"].iloc[0],
            "p_value": tot_test["p_value"].iloc[0],
            "p_adjusted": tot_test["p_value"].iloc[0],
            "significant": tot_test["significant"].iloc[0],
            "within": float(np.sum(within)),
            "mix": float(np.sum(mix)),
            "contribution": float(np.sum(within + mix)),
            "suppressed": bool(t0["suppressed"] or t1["suppressed"]),
        }
    )
    out = pd.concat([seg, pd.DataFrame([row])], ignore_index=True)
    for c in by:  # keep the segment columns' dtype (categories) with the total row's gap
        out[c] = out[c].astype(seg[c].dtype)
    out["level"] = out["level"].astype(pd.CategoricalDtype(["segment", "total"]))
    out["significant"] = out["significant"].astype("boolean")
    out["suppressed"] = out["suppressed"].astype(bool)
    out.attrs = {"from_period": labels[0], "to_period": labels[1], "by": by}
    return out[by + _OUT]
