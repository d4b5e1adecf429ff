"""Theme impact: how those who mention a theme score against those who do not, and how many
points of the overall score each theme costs or adds, with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.actions.redact import as_text
from cxlib.actions.taxonomy import load_taxonomy, theme_labels
from cxlib.actions.themes import Taxonomy, theme_hits
from cxlib.kpi.measure import measure
from cxlib.stats import nps_difference, proportion_difference

__all__ = ["theme_impact"]

_KPIS = ("nps", "csat")


def theme_impact(
    responses: pd.DataFrame,
    taxonomy: Taxonomy = None,
    kpi: str = "nps",
    confidence: float = 0.95,
    *,
    adjust: str | None = "bonferroni",
    min_n: int = 10,
    lang: str = "en",
    text_col: str = "comment",
    language_col: str = "language",
    semantic: bool | None = None,
    detect: bool | None = None,
) -> pd.DataFrame:
    """Per theme: the score of the comments that mention it against the other comments, and the
    points of the overall score the theme costs (negative) or adds (positive), with intervals.

    ``kpi``: ``nps`` (points) or ``csat`` (percent 4-5). Mentioners and others are the responses
    with a non-empty comment that do / do not carry the theme (:func:`theme_hits`).

    - difference = score(mentioners) − score(others), with a two-sample interval and p-value from
      cxlib.stats: NPS z-test on adjusted-Wald standard errors (Rocks 2016), CSAT Newcombe
      interval and pooled z-test (Newcombe 1998).
    - impact = w · difference, with w = mentioners / all responses with a score: the overall
      score now minus the overall score if the mentioners had scored like the others (everyone
      else unchanged). Interval: w · the difference's interval (delta method with w taken as
      fixed, i.e. conditional on how many mentioned the theme), so impact and difference share
      their p-value and verdict.
    - ``adjust="bonferroni"`` widens every interval to confidence 1 − α/m over the m themes
      shown (α = 1 − confidence) and compares p·m with α; ``significant`` is true exactly when
      the shown interval excludes 0. ``adjust=None``: per-theme intervals.
      TODO(stats #13): switch to cxlib.stats' adjustment convention once it is on main.
    - A theme with fewer than ``min_n`` scored mentioners or others is suppressed (NaN).

    Columns: theme, label (in ``lang``), n_mentions, n_others (scored), score_mentions,
    score_others, difference, ci_low, ci_high, p_value, p_adjusted, significant, share
    (mentioners in percent of scored responses), impact, impact_low, impact_high, kpi, ci_level
    (the confidence level of the shown intervals), adjustment (``bonferroni`` or ``none``),
    suppressed. Sorted by impact, most costly first. Reference for the counterfactual: the
    shift-share idea of Kitagawa (1955), JASA 50:1168.
    """
    if kpi not in _KPIS:
        raise ValueError(f"kpi must be one of {_KPIS}, got {kpi!r}")
    if adjust not in (None, "bonferroni"):
        raise ValueError(f"adjust must be 'bonferroni' or None, got {adjust!r}")
    tax = load_taxonomy(taxonomy)
    keys = list(tax["themes"])
    has_text = as_text(responses[text_col]).str.strip().fillna("").str.len().gt(0).to_numpy(dtype=bool)
    commented = responses.loc[has_text]
    hits = theme_hits(commented, tax, text_col, language_col, semantic=semantic, detect=detect)
    m = len(keys)
    level = 1.0 - (1.0 - confidence) / m if adjust == "bonferroni" else confidence
    # one row per (comment, theme): the comment's score and whether it mentions the theme
    long = pd.DataFrame(
        {
            "theme": pd.Categorical(np.tile(keys, len(commented)), categories=keys),
            "mentions": hits.to_numpy().reshape(-1),
            kpi: np.repeat(commented[kpi].to_numpy(), m) if kpi in commented else pd.NA,
        }
    )
    long[kpi] = pd.array(long[kpi], dtype="Int64")
    per = measure({"responses": long}, kpi, by=["theme", "mentions"], freq=None, confidence=level, min_n=1)
    total = measure({"responses": responses}, kpi, freq=None, min_n=1)["n"].iloc[0] if kpi in responses else 0
    per["mentions"] = per["mentions"].astype(bool)
    side = {flag: per[per["mentions"] == flag].set_index("theme").reindex(keys) for flag in (True, False)}
    a, b = side[False], side[True]  # difference = b − a = mentioners − others

    def col(frame, name):
        return frame[name].to_numpy(dtype="float64", na_value=np.nan)

    if kpi == "nps":
        diff = nps_difference(
            *(col(a, c) for c in ("promoters", "passives", "detractors")),
            *(col(b, c) for c in ("promoters", "passives", "detractors")),
            level,
        )
        scale = 1.0
    else:
        diff = proportion_difference(col(a, "successes"), col(a, "n"), col(b, "successes"), col(b, "n"), level)
        scale = 100.0
    n_m, n_o = np.nan_to_num(col(b, "n")).astype("int64"), np.nan_to_num(col(a, "n")).astype("int64")
    suppressed = (n_m < min_n) | (n_o < min_n)
    w = n_m / total if total else np.full(m, np.nan)
    p = np.asarray(diff.p_value, dtype="float64")
    p_adj = np.minimum(p * m, 1.0) if adjust == "bonferroni" else p

    def keep(values):
        return np.where(suppressed, np.nan, values)

    out = pd.DataFrame(
        {
            "theme": pd.Categorical(keys, categories=keys),
            "label": pd.array([theme_labels(tax, lang)[k] for k in keys], dtype="string"),
            "n_mentions": n_m,
            "n_others": n_o,
            "score_mentions": keep(col(b, "value")),
            "score_others": keep(col(a, "value")),
            "difference": keep(scale * diff.difference),
            "ci_low": keep(scale * diff.ci_low),
            "ci_high": keep(scale * diff.ci_high),
            "p_value": keep(p),
            "p_adjusted": keep(p_adj),
            "share": 100.0 * w,
            "impact": keep(w * scale * diff.difference),
            "impact_low": keep(w * scale * diff.ci_low),
            "impact_high": keep(w * scale * diff.ci_high),
        }
    )
    out["significant"] = ~suppressed & ((out["ci_low"] > 0) | (out["ci_high"] < 0)).to_numpy()
    out["kpi"], out["ci_level"], out["suppressed"] = kpi, level, suppressed
    out["adjustment"] = adjust or "none"
    order = [
        "theme",
        "label",
        "n_mentions",
        "n_others",
        "score_mentions",
        "score_others",
        "difference",
        "ci_low",
        "ci_high",
        "p_value",
        "p_adjusted",
        "significant",
        "share",
        "impact",
        "impact_low",
        "impact_high",
        "kpi",
        "ci_level",
        "adjustment",
        "suppressed",
    ]
    return out[order].sort_values("impact", na_position="last", kind="stable").reset_index(drop=True)
