"""The theme taxonomy: load (default, file or data folder), merge, validate and compile.

The taxonomy itself is data: cxlib/data/taxonomy.yaml (format documented in that file).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from cxlib.paths import package_file
from cxlib.yaml_files import read_config, read_mapping

__all__ = [
    "TAXONOMY_FILE",
    "compile_evidence",
    "compile_taxonomy",
    "fold_accents",
    "keyword_regex",
    "load_taxonomy",
    "theme_examples",
    "theme_labels",
    "theme_languages",
]

TAXONOMY_FILE = "taxonomy.yaml"
_RULE_KINDS = ("keywords", "regex", "examples")
_THEME_FIELDS = ("label", "threshold")


def fold_accents(text: str) -> str:
    """Text without diacritics (NFKD, combining marks dropped): geïnstalleerd -> geinstalleerd."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def keyword_regex(keyword: str) -> str:
    """Regex body of one keyword, for lower-cased, accent-folded text: ``*`` = any letters,
    a space = any whitespace. Word boundaries are added around the whole keyword list."""
    parts = re.split(r"(\*|\s+)", fold_accents(keyword.strip().lower()))
    return "".join(r"\w*" if p == "*" else r"\s+" if p.isspace() else re.escape(p) for p in parts if p)


def _merge(base: dict, extra: dict) -> dict:
    """``extra`` themes merged into ``base``: lists appended, labels replaced, new themes added."""
    merged = copy.deepcopy(base)
    for key, spec in extra["themes"].items():
        target = merged["themes"].setdefault(key, {})
        for field, value in (spec or {}).items():
            if field == "label":
                target.setdefault("label", {}).update(value or {})
            elif field == "threshold":
                target["threshold"] = value
            else:
                lang = target.setdefault(field, {})
                for kind, items in (value or {}).items():
                    lang[kind] = list(lang.get(kind, [])) + list(items or [])
    return merged


def load_taxonomy(taxonomy: str | Path | Mapping | None = None) -> dict:
    """The taxonomy as a dict: the shipped default, a YAML file, a data folder or a mapping.

    A folder uses its ``taxonomy.yaml`` when present, else the default; loaded data (``CXData``,
    anything with a ``path`` folder) uses the taxonomy of the folder it was loaded from. A file
    with ``extends: default`` is merged into the default; otherwise it replaces it.
    """
    if isinstance(taxonomy, dict) and "source" in taxonomy and "themes" in taxonomy:
        return taxonomy  # already loaded and validated
    folder = getattr(taxonomy, "path", None)
    if folder is not None and not isinstance(taxonomy, (str, Path)):
        taxonomy = Path(folder)
    default_path = package_file(TAXONOMY_FILE)
    source, data = read_config(taxonomy, default_path, "themes")
    if data.get("extends") == "default":
        data = _merge(read_mapping(default_path, "themes"), data)
    _validate(data, source)
    data["source"] = str(source)
    return data


def _validate(data: dict, source) -> None:
    themes = data.get("themes")
    if not isinstance(themes, dict) or not themes:
        raise ValueError(f"{source}: 'themes' must be a non-empty mapping")
    for key, spec in themes.items():
        where = f"{source}: theme {key!r}"
        if not isinstance(spec, dict):
            raise ValueError(f"{where}: expected a mapping with label and per-language patterns")
        label = spec.get("label", {})
        if not isinstance(label, dict):
            raise ValueError(f"{where}: label must map language to text, got {label!r}")
        threshold = spec.get("threshold")
        if threshold is not None and (
            isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold < 1
        ):
            raise ValueError(
                f"{where}: threshold must be a number between 0 and 1 (cosine similarity), got {threshold!r}"
            )
        langs = {k: v for k, v in spec.items() if k not in _THEME_FIELDS}
        if not langs:
            raise ValueError(f"{where}: no patterns (expected e.g. nl: {{keywords: [...]}})")
        for lang, rules in langs.items():
            if not isinstance(rules, dict) or set(rules) - set(_RULE_KINDS):
                raise ValueError(f"{where}, language {lang!r}: expected keys {_RULE_KINDS}, got {rules!r}")
            for kind in _RULE_KINDS:
                items = rules.get(kind) or []
                if not isinstance(items, list):
                    raise ValueError(f"{where}, {lang} {kind}: expected a list, got {items!r}")
                for i, item in enumerate(items, start=1):
                    if not isinstance(item, str) or not item.strip():
                        raise ValueError(f"{where}, {lang} {kind} #{i}: expected text, got {item!r}")
                    if kind == "regex":
                        try:
                            re.compile(f"(?i:{item})")
                        except re.error as err:
                            raise ValueError(
                                f"{where}, {lang} regex #{i} {item!r}: not a valid regex ({err})"
                            ) from None


def theme_labels(taxonomy: dict, lang: str = "en") -> dict[str, str]:
    """theme -> label in ``lang`` (falling back to the theme key)."""
    themes = taxonomy["themes"]
    return {key: (spec.get("label") or {}).get(lang, key) for key, spec in themes.items()}


def theme_languages(taxonomy: dict) -> list[str]:
    """The comment languages the taxonomy has lists for (e.g. ``["en", "nl"]``), sorted."""
    return sorted({str(lang) for spec in taxonomy["themes"].values() for lang in spec if lang not in _THEME_FIELDS})


def theme_examples(taxonomy: dict) -> tuple[list[str], list[str]]:
    """(theme of each example, example phrase): every language's ``examples``, theme order."""
    themes, phrases = [], []
    for key, spec in taxonomy["themes"].items():
        for lang, rules in spec.items():
            if lang in _THEME_FIELDS:
                continue
            for phrase in rules.get("examples") or []:
                themes.append(key)
                phrases.append(phrase.strip())
    return themes, phrases


def _language_regex(keywords: list[str], regexes: list[str]) -> str:
    """Keywords as one whole-word alternation, then each regex case-insensitively."""
    parts = []
    if keywords:
        parts.append(r"(?<!\w)(?:" + "|".join(keyword_regex(k) for k in keywords) + r")(?!\w)")
    parts += [f"(?i:{fold_accents(r)})" for r in regexes]
    return "|".join(parts)


def compile_taxonomy(taxonomy: dict) -> dict[str, dict[str | None, re.Pattern[str]]]:
    """theme -> {language: one compiled regex, None: all languages together}.

    Match against lower-cased, accent-folded text (see :func:`cxlib.actions.themes.theme_hits`).
    """
    compiled: dict[str, dict[str | None, re.Pattern[str]]] = {}
    for key, spec in taxonomy["themes"].items():
        rules = {str(lang): r for lang, r in spec.items() if lang not in _THEME_FIELDS}
        keywords = {lang: list(r.get("keywords") or []) for lang, r in rules.items()}
        regexes = {lang: list(r.get("regex") or []) for lang, r in rules.items()}
        keywords[None] = [k for ks in list(keywords.values()) for k in ks]
        regexes[None] = [x for xs in list(regexes.values()) for x in xs]
        compiled[key] = {
            lang: re.compile(_language_regex(keywords[lang], regexes[lang]) or r"(?!)") for lang in keywords
        }
    return compiled


def compile_evidence(taxonomy: dict) -> dict[str, dict[str | None, tuple[re.Pattern[str], list[str]]]]:
    """theme -> {language: (regex with one named group per keyword or regex, their audit texts)}.

    Group ``k<i>`` matches the i-th entry; its audit text is ``"keyword: <keyword>"`` or
    ``"regex: <regex>"`` as written in the taxonomy. Used to say which entry found a theme.
    """
    out: dict[str, dict[str | None, tuple[re.Pattern[str], list[str]]]] = {}
    for key, spec in taxonomy["themes"].items():
        rules = {str(lang): r for lang, r in spec.items() if lang not in _THEME_FIELDS}
        entries = {
            lang: [("keyword", k) for k in r.get("keywords") or []] + [("regex", x) for x in r.get("regex") or []]
            for lang, r in rules.items()
        }
        entries[None] = [e for es in list(entries.values()) for e in es]
        out[key] = {}
        for lang, items in entries.items():
            parts = []
            for i, (kind, item) in enumerate(items):
                if kind == "keyword":
                    parts.append(rf"(?<!\w)(?P<k{i}>{keyword_regex(item)})(?!\w)")
                else:
                    parts.append(f"(?P<k{i}>(?i:{fold_accents(item)}))")
            audit = [f"{kind}: {item}" for kind, item in items]
            out[key][lang] = (re.compile("|".join(parts) or r"(?P<k0>(?!))"), audit or ["-"])
    return out
