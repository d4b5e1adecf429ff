"""Theme tagging of comments (deterministic, keyword/regex taxonomy) and the theme summary."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from cxlib.actions.redact import as_text, replace_rows
from cxlib.actions.taxonomy import compile_taxonomy, load_taxonomy, theme_labels
from cxlib.kpi.nps_groups import nps_group
from cxlib.stats import wilson

__all__ = ["Taxonomy", "theme_hits", "tag_themes", "themes"]

Taxonomy = str | Path | Mapping | None
_COMBINING = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


def _fold(text: pd.Series) -> pd.Series:
    """Lower-cased, accent-folded text (only rows with non-ASCII characters are folded)."""
    text = text.str.lower()
    special = text.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False).astype(bool)
    if not special.any():
        return text
    folded = text[special].str.normalize("NFKD").str.replace(_COMBINING, "", regex=True)
    return replace_rows(text, special.to_numpy(), folded)


def theme_hits(
    responses: pd.DataFrame, taxonomy: Taxonomy = None, text_col: str = "comment",
    language_col: str = "language",
) -> pd.DataFrame:
    """Boolean frame (responses' index x theme): does the comment mention the theme?

    Comments in a taxonomy language (nl, en) are matched with that language's patterns; other
    or missing languages with all patterns of the theme.
    """
    tax = load_taxonomy(taxonomy)
    compiled = compile_taxonomy(tax)
    comments = _fold(as_text(responses[text_col]))
    if language_col in responses:
        lang = responses[language_col].astype("string").str.strip().str.lower()
    else:
        lang = pd.Series(pd.NA, index=responses.index, dtype="string")
    langs = sorted({k for pats in compiled.values() for k in pats if k is not None})
    masks = {k: lang.eq(k).fillna(False).to_numpy(dtype=bool) for k in langs}
    known = np.zeros(len(responses), dtype=bool)
    for mask in masks.values():
        known |= mask
    masks[None] = ~known  # missing or other language: all patterns
    hits = {}
    for key, pats in compiled.items():
        col = np.zeros(len(responses), dtype=bool)
        for k, mask in masks.items():
            if mask.any() and k in pats:
                found = comments[mask].str.contains(pats[k], regex=True)
                col[mask] = found.fillna(False).to_numpy(dtype=bool)
        hits[key] = col
    return pd.DataFrame(hits, index=responses.index, columns=list(compiled))


def tag_themes(
    responses: pd.DataFrame, taxonomy: Taxonomy = None, text_col: str = "comment",
    language_col: str = "language", id_col: str = "response_id",
) -> pd.DataFrame:
    """Long tidy frame of theme tags: one row per (response_id, theme) mentioned.

    A response can carry several themes; responses without a theme have no row. Rows follow
    the input order, themes the taxonomy order (``theme`` is categorical in that order).
    """
    hits = theme_hits(responses, taxonomy, text_col, language_col)
    rows, cols = np.nonzero(hits.to_numpy())
    return pd.DataFrame(
        {
            id_col: responses[id_col].astype("string").to_numpy()[rows],
            "theme": pd.Categorical.from_codes(cols, categories=list(hits.columns)),
        }
    ).astype({id_col: "string"})


def _score(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")


def themes(
    responses: pd.DataFrame, taxonomy: Taxonomy = None, text_col: str = "comment",
    language_col: str = "language", by: str | list[str] | None = None, confidence: float = 0.95,
    lang: str = "en",
) -> pd.DataFrame:
    """Theme summary per group: how often each theme is mentioned and how mentioners score.

    Columns: the ``by`` columns, theme, label (in ``lang``), n_mentions (comments mentioning
    the theme), n_comments (non-empty comments in the group), share (percent of comments) with
    its Wilson interval ci_low/ci_high, nps (points: % promoters - % detractors among
    mentioners with an NPS score) with nps_n, mean_nps (0-10), mean_csat (1-5) with csat_n;
    scores are those of the responses that carry the comment.
    Every theme gets a row in every group (zero mentions included), in taxonomy order.
    """
    tax = load_taxonomy(taxonomy)
    keys = list(tax["themes"])
    by = [] if by is None else [by] if isinstance(by, str) else list(by)
    has_text = as_text(responses[text_col]).str.strip().str.len().gt(0).fillna(False).astype(bool)
    df = responses.loc[has_text.to_numpy()]
    hits = theme_hits(df, tax, text_col, language_col).to_numpy()
    rows, cols = np.nonzero(hits)

    nps, csat = _score(df, "nps"), _score(df, "csat")
    group = nps_group(nps)
    long = pd.DataFrame({c: df[c].to_numpy()[rows] for c in by})
    long["theme"] = np.asarray(keys, dtype=object)[cols]
    long["nps"] = nps.to_numpy()[rows]
    long["csat"] = csat.to_numpy()[rows]
    long["promoter"] = (group == "promoter").to_numpy()[rows]
    long["detractor"] = (group == "detractor").to_numpy()[rows]
    stats = long.groupby(by + ["theme"], observed=True, sort=False).agg(
        n_mentions=("theme", "size"), nps_n=("nps", "count"), promoters=("promoter", "sum"),
        detractors=("detractor", "sum"), mean_nps=("nps", "mean"), csat_n=("csat", "count"),
        mean_csat=("csat", "mean"),
    )

    if by:
        sizes = df.groupby(by, observed=True).size()
        n_comments = sizes.to_numpy(dtype="int64")
        group_keys = [k if isinstance(k, tuple) else (k,) for k in sizes.index]
        grid = pd.MultiIndex.from_tuples([(*g, t) for g in group_keys for t in keys],
                                         names=by + ["theme"])
    else:
        n_comments = np.array([len(df)], dtype="int64")
        grid = pd.Index(keys, name="theme")
    out = stats.reindex(grid).reset_index()
    counts = ["n_mentions", "nps_n", "promoters", "detractors", "csat_n"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out["n_comments"] = np.repeat(n_comments, len(keys))

    low, high = wilson(out["n_mentions"].to_numpy(), out["n_comments"].to_numpy(), confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["n_comments"] > 0,
                                100.0 * out["n_mentions"] / out["n_comments"], np.nan)
        out["nps"] = np.where(out["nps_n"] > 0,
                              100.0 * (out["promoters"] - out["detractors"]) / out["nps_n"], np.nan)
    out["ci_low"], out["ci_high"] = 100.0 * low, 100.0 * high
    out["theme"] = pd.Categorical(out["theme"], categories=keys)
    for c in by:
        out[c] = out[c].astype(df[c].dtype)
    out["label"] = out["theme"].map(theme_labels(tax, lang)).astype("string")
    columns = by + ["theme", "label", "n_mentions", "n_comments", "share", "ci_low", "ci_high",
                    "nps", "nps_n", "mean_nps", "mean_csat", "csat_n"]
    return out[columns]
