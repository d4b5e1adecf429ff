"""Every text a reader sees, in Dutch and English: the i18n catalogues and locale formatting.

The catalogues are YAML files under ``cxlib/data/`` (``CATALOGUES``): report, chart and table
labels (labels.yaml), monitoring sentences and words (monitor.yaml) and the workshop feedback
(workshop.yaml). Nested mappings give dotted keys (``alert.target_missed``,
``workshop.title.intro_nps``); every entry has exactly the texts of ``LANGUAGES``. KPI names and
descriptions live in the KPI catalogue (kpis.yaml), the proposal texts with their rules
(rules.yaml); both are read through :func:`pick` and filled with :func:`fill`.

Codes are data, texts are for readers: a translated text is never used as a key. Placeholders
``{name}`` are filled by name (:func:`fill`), never evaluated, so untrusted values stay inert.
This module is a leaf: only the standard library and PyYAML at import (babel when formatting).

Examples
--------
>>> label("whole_company", "nl"), label("goal_status.at_risk", "en")
('Hele bedrijf', 'at risk')
>>> number(1234.5, "nl"), number(1234.5, "en"), signed(-2.5, "nl")
('1.234,5', '1,234.5', '−2,5')
>>> fill("{kpi} in {period}", {"kpi": "NPS", "period": "2026-Q3", "unused": "x"})
'NPS in 2026-Q3'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache

from cxlib.paths import TIMEZONE, package_file

__all__ = [
    "LANGUAGES",
    "LOCALES",
    "CATALOGUES",
    "check_language",
    "label",
    "text",
    "fill",
    "pick",
    "keys",
    "status_label",
    "code_label",
    "CODED_COLUMNS",
    "number",
    "signed",
    "date",
    "datetime",
    "month_name",
    "date_range",
    "value_text",
    "change_text",
    "rules_text",
]

LANGUAGES = ("nl", "en")
"""The languages a reader can choose (``lang``); the first is the default of reports."""
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
CATALOGUES = ("labels.yaml", "monitor.yaml", "workshop.yaml")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def check_language(lang: str) -> str:
    """Return ``lang`` if it is a report language, else raise a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported; expected one of {', '.join(LANGUAGES)}")
    return lang


def _flatten(node: Mapping, prefix: str, source: str, out: dict) -> None:
    for key, value in node.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and set(value) & set(LANGUAGES):
            if set(value) != set(LANGUAGES) or not all(isinstance(value[lg], str) for lg in LANGUAGES):
                raise ValueError(f"cxlib/data/{source}: {name!r} needs a text in each of {LANGUAGES}, got {value!r}")
            if name in out:
                raise ValueError(f"cxlib/data/{source}: {name!r} is also defined in {out[name][0]}")
            out[name] = (source, dict(value))
        elif isinstance(value, Mapping):
            _flatten(value, f"{name}.", source, out)
        else:
            raise ValueError(f"cxlib/data/{source}: {name!r} is neither a text nor a group of texts")


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, tuple[str, dict[str, str]]]:
    """Dotted key → (file, {lang: text}) over every catalogue (read once)."""
    import yaml

    out: dict[str, tuple[str, dict[str, str]]] = {}
    for source in CATALOGUES:
        raw = yaml.safe_load(package_file(source).read_text(encoding="utf-8")) or {}
        _flatten(raw, "", source, out)
    return out


def keys(prefix: str = "") -> list[str]:
    """Every catalogue key starting with ``prefix`` (e.g. ``"workshop.title."``), in file order."""
    return [k for k in _catalogue() if k.startswith(prefix)]


def label(key: str, lang: str) -> str:
    """The text for ``key`` in ``lang`` (KeyError names the key and the catalogues)."""
    check_language(lang)
    try:
        return _catalogue()[key][1][lang]
    except KeyError:
        raise KeyError(f"no {lang} text for {key!r} in cxlib/data/{{{','.join(CATALOGUES)}}}") from None


def fill(template: str, values: Mapping[str, object] | None = None, /, **fields) -> str:
    """``template`` with each ``{name}`` replaced by the value of ``name``; unknown names stay as written.

    No ``str.format``: values are inserted as text, never evaluated or formatted further.
    """
    given = {**(values or {}), **fields}
    return _PLACEHOLDER.sub(lambda m: str(given[m.group(1)]) if m.group(1) in given else m.group(0), template)


def text(key: str, lang: str, /, **fields) -> str:
    """The text for ``key`` in ``lang`` with its ``{placeholders}`` filled from ``fields``."""
    return fill(label(key, lang), fields)


def pick(texts: Mapping[str, str], lang: str, where: str = "text") -> str:
    """One language of a ``{nl: ..., en: ...}`` mapping from another catalogue (rules, KPIs)."""
    check_language(lang)
    if not isinstance(texts, Mapping) or not isinstance(texts.get(lang), str):
        raise ValueError(f"{where} needs a text in {lang}, got {texts!r}")
    return texts[lang]


def status_label(status: str, lang: str) -> str:
    """A goal status key (met, at_risk, missed, no_data, no_target) as shown in ``lang``."""
    return label(f"goal_status.{status}", lang)


CODED_COLUMNS = (
    "segment",
    "touchpoint",
    "channel",
    "source",
    "item",
    "category",
    "status",
    "function",
    "language",
    "question",
    "driver",
)
"""Columns whose values are codes of the data contract, shown through ``<column>.<code>`` labels."""


def code_label(column: str, code, lang: str) -> str:
    """A code as a reader sees it: the ``<column>.<code>`` label in ``lang`` (``touchpoint.billing`` →
    'facturering'); a value without a label (a unit's own name, a user's own code) as written; missing → '–'."""
    check_language(lang)
    if code is None or str(code) in ("<NA>", "nan", "NaT", "None"):  # None, NaN, pd.NA, NaT
        return "–"
    try:
        return _catalogue()[f"{column}.{code}"][1][lang]
    except (KeyError, TypeError):
        return str(code)


def number(value: float, lang: str, decimals: int = 1) -> str:
    """A number in the report locale, e.g. 1234.5 → '1.234,5' (nl) or '1,234.5' (en); NaN → '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALES[check_language(lang)])


def signed(value: float, lang: str, decimals: int = 1) -> str:
    """A change with its sign, e.g. +2,5 or −1,0 (true minus sign)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    shown = number(abs(value), lang, decimals)
    return ("+" if value > 0 else "−" if value < 0 else "±") + shown


def value_text(value: float, unit: str, decimals: int, lang: str) -> str:
    """A value with its unit as in a sentence, e.g. '62,3%' or '1.4 h' (``sentence_unit.<unit>``)."""
    return number(value, lang, decimals) + label(f"sentence_unit.{unit}", lang)


def change_text(change: float, unit: str, decimals: int, lang: str) -> str:
    """A signed difference with its unit, e.g. '−12,4 procentpunt' (``difference_unit.<unit>``)."""
    return signed(change, lang, decimals) + label(f"difference_unit.{unit}", lang)


def rules_text(rule_numbers, lang: str) -> str:
    """'a point beyond 3σ and 8 points in a row on one side' for the control rules that fired."""
    return label("control_rule.and", lang).join(label(f"control_rule.{int(r)}", lang) for r in rule_numbers)


def date(value, lang: str, fmt: str = "medium") -> str:
    """A date in the report locale (babel formats: short, medium, long)."""
    from babel.dates import format_date

    return format_date(value, format=fmt, locale=LOCALES[check_language(lang)])


def month_name(value, lang: str, width: str = "abbreviated") -> str:
    """The month of a date in ``lang`` (babel): 'okt' / 'Oct' (abbreviated) or 'oktober' (wide)."""
    from babel.dates import format_date

    pattern = {"abbreviated": "LLL", "wide": "LLLL"}[width]
    return format_date(value, format=pattern, locale=LOCALES[check_language(lang)]).rstrip(".")


def date_range(start, end, lang: str) -> str:
    """Two dates (first and last day) as one range in ``lang``, month names from babel:
    '5–11 januari 2026', '13 oktober – 9 november 2025', '5–11 January 2026'."""
    from babel.dates import format_date

    locale = LOCALES[check_language(lang)]
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, 'd MMMM y', locale=locale)}"
    first = format_date(start, "d MMMM" if start.year == end.year else "d MMMM y", locale=locale)
    return f"{first} – {format_date(end, 'd MMMM y', locale=locale)}"


def datetime(value, lang: str, fmt: str = "medium") -> str:
    """A date and time in the report locale, shown in Europe/Amsterdam."""
    from babel.dates import format_datetime

    return format_datetime(value, format=fmt, tzinfo=TIMEZONE, locale=LOCALES[check_language(lang)])
