"""Suggested new themes: clusters of the comments that no theme covers, as a draft taxonomy."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import yaml

from cxlib.actions.redact import as_text, redact
from cxlib.actions.textmodels import EXTRA_HINT, MissingExtraError, embed_texts
from cxlib.actions.themes import Taxonomy, theme_hits
from cxlib.i18n import LANGUAGES, text
from cxlib.kpi.measure import measure

__all__ = ["ThemeSuggestions", "draft_taxonomy", "suggest_themes"]

# Function words left out of the distinctive words (scikit-learn's English list plus these Dutch).
DUTCH_STOP_WORDS = frozenset(
    {
        "aan",
        "al",
        "alle",
        "alles",
        "als",
        "ben",
        "bij",
        "dan",
        "dat",
        "de",
        "der",
        "deze",
        "die",
        "dit",
        "doen",
        "door",
        "dus",
        "een",
        "eens",
        "en",
        "er",
        "erg",
        "geen",
        "had",
        "heb",
        "hebben",
        "heeft",
        "het",
        "hier",
        "hij",
        "hoe",
        "hun",
        "ik",
        "in",
        "is",
        "ja",
        "je",
        "jullie",
        "kan",
        "kon",
        "maar",
        "me",
        "meer",
        "men",
        "met",
        "mij",
        "mijn",
        "na",
        "naar",
        "niet",
        "niets",
        "nog",
        "nu",
        "of",
        "om",
        "omdat",
        "ons",
        "onze",
        "ook",
        "op",
        "over",
        "te",
        "toch",
        "tot",
        "u",
        "uw",
        "van",
        "veel",
        "voor",
        "waren",
        "was",
        "wat",
        "we",
        "wel",
        "werd",
        "wij",
        "wil",
        "worden",
        "wordt",
        "zal",
        "ze",
        "zeer",
        "zich",
        "zij",
        "zijn",
        "zo",
        "zonder",
        "zou",
    }
)
_TOKEN = r"(?u)\b[^\W\d_][^\W\d_]{2,}\b"  # words of 3+ letters (no digits, no placeholders)


class ThemeSuggestions(NamedTuple):
    """``members``: one row per (suggestion, response); ``summary``: one row per suggestion;
    ``uncovered``: the number of non-empty comments no theme covered (the ones clustered)."""

    members: pd.DataFrame
    summary: pd.DataFrame
    uncovered: int = 0


def _require_sklearn():
    try:
        from sklearn.cluster import KMeans
        from sklearn.decomposition import PCA
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
        from sklearn.metrics import silhouette_score
    except ImportError:
        raise MissingExtraError(f"Suggesting themes needs scikit-learn: {EXTRA_HINT}") from None
    return KMeans, CountVectorizer, ENGLISH_STOP_WORDS, silhouette_score, PCA


def _class_tfidf(texts: pd.Series, labels: np.ndarray, k: int, top: int) -> list[list[str]]:
    """Distinctive words per cluster: class-based TF-IDF, W(t, c) = tf(t, c) · log(1 + A / f(t))
    with A the mean number of words per cluster and f(t) the frequency of t over all clusters
    (Grootendorst 2022, BERTopic, arXiv:2203.05794)."""
    _, CountVectorizer, english, _, _ = _require_sklearn()
    stop = sorted(set(english) | DUTCH_STOP_WORDS | {"email", "phone", "iban", "address"})
    docs = pd.Series(texts.to_numpy(), dtype="string").groupby(labels).agg(" ".join)
    docs = docs.reindex(range(k), fill_value="")
    vectorizer = CountVectorizer(token_pattern=_TOKEN, lowercase=True, stop_words=stop)
    try:
        counts = vectorizer.fit_transform(docs.tolist()).toarray().astype("float64")
    except ValueError:  # no words at all
        return [[] for _ in range(k)]
    words = vectorizer.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    weight = tf * np.log1p(counts.sum(axis=1).mean() / np.maximum(counts.sum(axis=0), 1.0))
    order = np.argsort(-weight, axis=1, kind="stable")[:, :top]
    return [[str(words[j]) for j in row if weight[i, j] > 0] for i, row in enumerate(order)]


def _cluster(vectors: np.ndarray, ks: range, seed: int) -> tuple[int, np.ndarray]:
    """PCA to at most 32 dimensions (``random_state=seed``), then k-means (scikit-learn,
    k-means++, 10 starts, ``random_state=seed``) for each k in ``ks``; the k with the highest
    cosine silhouette (on at most 2,000 seeded points) wins. One BLAS/OpenMP thread: identical
    results on any machine load."""
    from threadpoolctl import threadpool_limits

    KMeans, _, _, silhouette_score, PCA = _require_sklearn()
    best = (-2.0, 0, None)
    with threadpool_limits(limits=1):
        reduced = PCA(n_components=min(32, *vectors.shape), random_state=seed).fit_transform(vectors)
        for k in ks:
            model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(reduced)
            if len(ks) == 1:
                return k, model.labels_
            score = silhouette_score(
                reduced, model.labels_, metric="cosine", sample_size=min(len(reduced), 2000), random_state=seed
            )
            if score > best[0] + 1e-12:
                best = (score, k, model.labels_)
    return best[1], best[2]


def suggest_themes(
    responses: pd.DataFrame,
    taxonomy: Taxonomy = None,
    *,
    n_suggestions: int | None = None,
    min_size: int = 10,
    typical: int = 3,
    words: int = 8,
    seed: int = 0,
    confidence: float = 0.95,
    text_col: str = "comment",
    id_col: str = "response_id",
    language_col: str = "language",
) -> ThemeSuggestions:
    """Suggest new themes: cluster the non-empty comments that no theme of ``taxonomy`` covers.

    Method: comments with no keyword or semantic theme are embedded (multilingual USE, unit
    vectors) and clustered with k-means (scikit-learn; ``n_suggestions`` clusters, or the k in
    2..10 with the best cosine silhouette); clusters smaller than ``min_size`` are dropped.
    Suggestions are numbered by size (1 = largest); everything is fixed by ``seed``.

    ``members``: suggestion, id_col, typicality (cosine similarity to the cluster centre).
    ``summary``: suggestion, size, share (percent of uncovered comments), typical (the
    ``typical`` comments closest to the centre, redacted, joined by " | "), words (distinctive
    words by class-based TF-IDF, ", "-joined), language (most common comment language), nps with
    nps_n, nps_low, nps_high (adjusted Wald) and csat (percent 4-5) with csat_n, csat_low,
    csat_high (Wilson) of its members. Needs ``pip install 'cxlib[text]'``.
    """
    _require_sklearn()
    text = as_text(responses[text_col]).str.strip()
    present = text.fillna("").str.len().gt(0).to_numpy(dtype=bool)
    covered = theme_hits(responses, taxonomy, text_col, language_col, semantic=True).to_numpy().any(axis=1)
    pool = responses.loc[present & ~covered].reset_index(drop=True)
    pool_text = text[present & ~covered].reset_index(drop=True)
    members_cols = ["suggestion", id_col, "typicality"]
    if len(pool) < max(2 * min_size, 3):
        return ThemeSuggestions(pd.DataFrame(columns=members_cols), pd.DataFrame(), len(pool))
    vectors = embed_texts(pool_text).astype("float64")
    ks = (
        range(2, max(2, min(10, len(pool) // min_size)) + 1)
        if n_suggestions is None
        else range(int(n_suggestions), int(n_suggestions) + 1)
    )
    k, labels = _cluster(vectors, ks, seed)
    sizes = np.bincount(labels, minlength=k)
    centres = np.stack([vectors[labels == c].mean(axis=0) for c in range(k)])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    typicality = np.einsum("ij,ij->i", vectors, centres[labels])
    # number by size (ties: by the smallest id in the cluster), drop small clusters
    first_id = pd.Series(pool[id_col].astype("string").to_numpy()).groupby(labels).min()
    rank = pd.DataFrame({"size": sizes, "first": first_id.reindex(range(k)).to_numpy()})
    rank = rank[rank["size"] >= min_size].sort_values(["size", "first"], ascending=[False, True])
    number = np.zeros(k, dtype="int64")
    number[rank.index.to_numpy()] = np.arange(1, len(rank) + 1)
    keep = number[labels] > 0

    members = pd.DataFrame(
        {"suggestion": number[labels], id_col: pool[id_col].astype("string"), "typicality": typicality}
    )[keep]
    members = members.sort_values(
        ["suggestion", "typicality", id_col], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)

    redacted = redact(pool_text)
    words_of = _class_tfidf(redacted, labels, k, words)
    order = np.lexsort((pool[id_col].astype("string").to_numpy(), -typicality, labels))
    ranked = pd.DataFrame({"cluster": labels[order], "text": redacted.to_numpy()[order]})
    ranked = ranked.drop_duplicates(["cluster", "text"])
    top = ranked.groupby("cluster").head(typical).groupby("cluster")["text"].agg(" | ".join)
    language = (
        pool[language_col].astype("string")
        if language_col in pool
        else pd.Series(pd.NA, index=pool.index, dtype="string")
    )
    main_language = language.groupby(labels).agg(lambda s: s.mode().iloc[0] if s.notna().any() else pd.NA)

    scored = pool.assign(suggestion=number[labels])[keep]
    kpi_n = measure({"responses": scored}, "nps", by="suggestion", freq=None, confidence=confidence, min_n=1)
    kpi_c = (
        measure({"responses": scored}, "csat", by="suggestion", freq=None, confidence=confidence, min_n=1)
        if "csat" in scored
        else None
    )
    clusters = rank.index.to_numpy()
    summary = pd.DataFrame(
        {
            "suggestion": number[clusters],
            "size": sizes[clusters],
            "share": 100.0 * sizes[clusters] / len(pool),
            "typical": top.reindex(clusters).to_numpy(),
            "words": [", ".join(words_of[c]) for c in clusters],
            "language": main_language.reindex(clusters).to_numpy(),
        }
    )
    n_frame = kpi_n.set_index("suggestion")[["value", "n", "ci_low", "ci_high"]].reindex(summary["suggestion"])
    summary["nps"], summary["nps_n"] = n_frame["value"].to_numpy(), n_frame["n"].fillna(0).to_numpy("int64")
    summary["nps_low"], summary["nps_high"] = n_frame["ci_low"].to_numpy(), n_frame["ci_high"].to_numpy()
    if kpi_c is not None:
        c_frame = kpi_c.set_index("suggestion")[["value", "n", "ci_low", "ci_high"]].reindex(summary["suggestion"])
        summary["csat"], summary["csat_n"] = c_frame["value"].to_numpy(), c_frame["n"].fillna(0).to_numpy("int64")
        summary["csat_low"], summary["csat_high"] = c_frame["ci_low"].to_numpy(), c_frame["ci_high"].to_numpy()
    summary = summary.astype({"typical": "string", "words": "string", "language": "string"})
    return ThemeSuggestions(members, summary.reset_index(drop=True), len(pool))


def draft_taxonomy(summary: pd.DataFrame, examples: int = 3, keywords: int = 5) -> str:
    """The suggestions as a draft ``taxonomy.yaml`` block (``extends: default``) to name, check
    and add: per suggestion a placeholder key and label, the distinctive words as keywords and
    the typical (redacted) comments as examples, under the suggestion's main language."""
    themes = {}
    notes = []
    for row in summary.itertuples(index=False):  # one per suggestion (at most 10)
        key = f"suggested_{row.suggestion}"
        language = str(row.language) if isinstance(row.language, str) and row.language else "en"
        themes[key] = {
            "label": {lang: text("suggest.label", lang, n=row.suggestion) for lang in LANGUAGES},
            language: {
                "keywords": [w for w in str(row.words or "").split(", ") if w][:keywords],
                "examples": [t for t in str(row.typical or "").split(" | ") if t][:examples],
            },
        }
        notes.append(
            f"# {key}: {row.size} comments ({row.share:.1f}% of those without a theme), "
            f"NPS {row.nps:.0f} [{row.nps_low:.0f}, {row.nps_high:.0f}], n = {row.nps_n}"
        )
    head = (
        "# Draft themes from `cx themes suggest`: comments no theme covered, clustered.\n"
        "# Rename each suggested_N key and its label, keep the keywords and examples that say\n"
        "# what the theme is, delete what is not a theme, then merge into your data folder's\n"
        "# taxonomy.yaml (extends: default). Examples are redacted customer comments.\n"
    )
    if not themes:
        return head + "# No suggestions: too few comments without a theme to cluster.\n"
    body = yaml.safe_dump({"extends": "default", "themes": themes}, allow_unicode=True, sort_keys=False, width=100)
    return head + "\n".join(notes) + "\n" + body
