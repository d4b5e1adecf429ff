"""Measuring theme tagging against human labels: labelled sets, precision/recall, thresholds.

A labelled set is a CSV with one row per comment: ``themes`` (``;``-separated theme keys, empty
for none), ``split`` (``calibration`` / ``holdout``) and either the comment ``text`` or a ``row``
reference into a texts export (with the first 16 hex digits of the text's SHA-256 in
``sha256``, so that a changed export is noticed). Method: docs/themes.md.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from cxlib.stats import wilson

__all__ = ["calibrate_thresholds", "label_matrix", "load_labelled_comments", "precision_recall"]


def load_labelled_comments(
    labels_csv: str | Path, texts_csv: str | Path | None = None, text_col: str = "text"
) -> pd.DataFrame:
    """The labelled comments: response_id, comment, language, themes, split (one row each).

    With ``texts_csv`` the labels reference its data rows (``row``, 0-based) and each text's hash
    is checked; a mismatch raises a ValueError naming the file, the row and both hashes.
    """
    labels = pd.read_csv(labels_csv, dtype="string", keep_default_na=False)
    if texts_csv is None:
        text = labels["text"]
        ids = labels["id"]
    else:
        export = pd.read_csv(texts_csv, dtype=str, keep_default_na=False)
        rows = labels["row"].astype("int64").to_numpy()
        text = pd.Series(export[text_col].to_numpy()[rows], dtype="string")
        digest = [hashlib.sha256(t.encode("utf-8")).hexdigest()[:16] for t in text.tolist()]
        bad = np.flatnonzero(np.asarray(digest, dtype=object) != labels["sha256"].to_numpy(dtype=object))
        if len(bad):
            i = int(bad[0])
            raise ValueError(
                f"{texts_csv}: data row {rows[i]}, column {text_col!r}: SHA-256 starts "
                f"{digest[i]}, the labels in {labels_csv} expect {labels['sha256'].iloc[i]} "
                f"({len(bad)} rows differ): the export changed"
            )
        ids = "row-" + labels["row"]
    language = labels["language"].replace("", pd.NA) if "language" in labels else pd.NA
    return pd.DataFrame(
        {
            "response_id": ids.to_numpy(),
            "comment": text.to_numpy(),
            "language": language,
            "themes": labels["themes"].to_numpy(),
            "split": labels["split"].to_numpy(),
        }
    ).astype({"response_id": "string", "comment": "string", "language": "string", "themes": "string"})


def label_matrix(themes: pd.Series, keys: list[str]) -> pd.DataFrame:
    """Boolean frame (comments x theme keys) from ``;``-separated labels; unknown keys raise."""
    split = themes.fillna("").str.split(";").explode().str.strip()
    split = split[split.ne("")]
    unknown = sorted(set(split) - set(keys))
    if unknown:
        raise ValueError(f"labels name themes that are not in the taxonomy: {unknown}; expected {keys}")
    dummies = pd.crosstab(split.index, split).reindex(index=themes.index, columns=keys, fill_value=0)
    return dummies.fillna(0).astype(bool)


def precision_recall(tagged: pd.DataFrame, labels: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per theme: labelled (human positives), tagged, agreed (both), precision and recall (0-1)
    with Wilson intervals (precision_low/high, recall_low/high) and F1."""
    t = tagged.to_numpy(dtype=bool)
    y = labels[tagged.columns].to_numpy(dtype=bool)
    agreed, n_tag, n_lab = (t & y).sum(0), t.sum(0), y.sum(0)
    p_low, p_high = wilson(agreed, n_tag, confidence)
    r_low, r_high = wilson(agreed, n_lab, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(n_tag > 0, agreed / n_tag, np.nan)
        recall = np.where(n_lab > 0, agreed / n_lab, np.nan)
        f1 = 2 * precision * recall / (precision + recall)
    return pd.DataFrame(
        {
            "theme": list(tagged.columns),
            "labelled": n_lab,
            "tagged": n_tag,
            "agreed": agreed,
            "precision": precision,
            "precision_low": p_low,
            "precision_high": p_high,
            "recall": recall,
            "recall_low": r_low,
            "recall_high": r_high,
            "f1": f1,
        }
    )


def calibrate_thresholds(
    similarity: pd.DataFrame, keyword_hits: pd.DataFrame, labels: pd.DataFrame, grid=None
) -> pd.DataFrame:
    """Semantic threshold per theme that maximises F1 of (keyword OR similarity >= threshold)
    against the labels; ties go to the higher threshold (fewer semantic tags).

    ``grid``: candidate thresholds (default 0.25, 0.26, ..., 0.80). Returns theme, threshold,
    precision, recall and f1 at that threshold (on the data given: use a calibration split).
    """
    grid = np.round(np.arange(0.25, 0.8001, 0.01), 2) if grid is None else np.asarray(grid, dtype=float)
    s = similarity.to_numpy(dtype=float)[:, :, None]
    k = keyword_hits[similarity.columns].to_numpy(dtype=bool)[:, :, None]
    y = labels[similarity.columns].to_numpy(dtype=bool)[:, :, None]
    with np.errstate(invalid="ignore"):
        t = k | (s >= grid[None, None, :])  # comments x themes x thresholds
    tp, n_tag, n_lab = (t & y).sum(0), t.sum(0), y.sum(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(n_tag > 0, tp / n_tag, 0.0)
        recall = np.where(n_lab > 0, tp / n_lab, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    best = f1.shape[1] - 1 - np.argmax(f1[:, ::-1], axis=1)  # last maximum = highest threshold
    pick = np.arange(f1.shape[0])
    return pd.DataFrame(
        {
            "theme": list(similarity.columns),
            "threshold": grid[best],
            "precision": precision[pick, best],
            "recall": recall[pick, best],
            "f1": f1[pick, best],
        }
    )
