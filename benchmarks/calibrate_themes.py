"""Calibrate the semantic thresholds of the default themes and measure precision and recall.

Reads the hand-labelled set in tests/data/themes_eval/ (labels written before any calibration;
verbatim texts from ../shared/real-exports/nps-verbatims/text_data.csv). Thresholds are chosen on
the ``calibration`` split only (max F1 of keyword OR semantic, ties to the higher threshold);
precision and recall are then measured on the ``holdout`` split. Prints both; the thresholds go
into cxlib/data/taxonomy.yaml by hand. Run: PYTHONPATH=$PWD .venv/bin/python benchmarks/calibrate_themes.py
"""

from __future__ import annotations

import sys

import pandas as pd

from cxlib.actions.taxonomy import load_taxonomy
from cxlib.actions.theme_eval import (
    calibrate_thresholds,
    label_matrix,
    load_labelled_comments,
    precision_recall,
)
from cxlib.actions.themes import theme_hits, theme_similarity
from cxlib.paths import PROJECT_ROOT, real_exports

EVAL = PROJECT_ROOT / "tests" / "data" / "themes_eval"
EXPORT = real_exports("nps-verbatims", "text_data.csv")


def evaluation_set() -> pd.DataFrame:
    verbatims = load_labelled_comments(EVAL / "verbatim_labels.csv", EXPORT)
    written = load_labelled_comments(EVAL / "written_comments.csv")
    return pd.concat([verbatims.assign(source="verbatims"), written.assign(source="written")], ignore_index=True)


def main() -> int:
    data = evaluation_set()
    tax = load_taxonomy()
    keys = list(tax["themes"])
    labels = label_matrix(data["themes"], keys)
    keyword = theme_hits(data, tax, semantic=False, detect=True)
    sims = theme_similarity(data, tax)
    cal = data["split"].eq("calibration").to_numpy()
    chosen = calibrate_thresholds(sims[cal], keyword[cal], labels[cal])
    pd.set_option("display.width", 200)
    print(f"thresholds chosen on the calibration split (n={cal.sum()}):")
    print(chosen.round(3).to_string(index=False))
    shipped = pd.Series({k: v.get("threshold") for k, v in tax["themes"].items()}, name="shipped")
    if not shipped.equals(chosen.set_index("theme")["threshold"].rename("shipped")):
        print("\nNOTE: the shipped thresholds differ from these:\n" + shipped.to_string())
    semantic = theme_hits(data, tax, semantic=True, detect=True)  # with the shipped thresholds
    for name, mask in (("holdout", ~cal), ("calibration", cal)):
        for source in ("all", "verbatims", "written"):
            sub = mask & (data["source"].eq(source).to_numpy() if source != "all" else True)
            kw = precision_recall(keyword[sub], labels[sub])
            both = precision_recall(semantic[sub], labels[sub])
            table = kw[["theme", "labelled"]].assign(
                kw_precision=kw["precision"],
                kw_recall=kw["recall"],
                sem_precision=both["precision"],
                sem_recall=both["recall"],
                sem_f1=both["f1"],
            )
            print(f"\n{name}, {source} (n={sub.sum()}):")
            print(table.round(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
