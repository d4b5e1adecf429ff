"""Report language: labels (nl/en) from cxlib/data/labels.yaml and locale formatting with babel.

KPI names and descriptions live in the KPI catalogue; this module holds every other label.
"""
from __future__ import annotations

import math
from functools import lru_cache

import yaml
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from cxlib.paths import TIMEZONE, package_file

LANGUAGES = ("nl", "en")
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def check_language(lang: str) -> str:
    """Return ``lang`` if it is a report language, else raise a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported; expected one of {', '.join(LANGUAGES)}")
    return lang


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    return yaml.safe_load(package_file("labels.yaml").read_text(encoding="utf-8"))


def label(key: str, lang: str) -> str:
    """The label for ``key`` in ``lang`` (KeyError names the missing key)."""
    check_language(lang)
    try:
        return _labels()[key][lang]
    except KeyError:
        raise KeyError(f"no {lang} label for {key!r} in cxlib/data/labels.yaml") from None


def number(value: float, lang: str, decimals: int = 1) -> str:
    """A number in the report locale, e.g. 1234.5 → '1.234,5' (nl) or '1,234.5' (en); NaN → '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALES[check_language(lang)])


def signed(value: float, lang: str, decimals: int = 1) -> str:
    """A change with its sign, e.g. +2,5 or −1,0 (true minus sign)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = number(abs(value), lang, decimals)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def date(value, lang: str, fmt: str = "medium") -> str:
    """A date in the report locale (babel formats: short, medium, long)."""
    return format_date(value, format=fmt, locale=LOCALES[check_language(lang)])


def datetime(value, lang: str, fmt: str = "medium") -> str:
    """A date and time in the report locale, shown in Europe/Amsterdam."""
    return format_datetime(value, format=fmt, tzinfo=TIMEZONE, locale=LOCALES[check_language(lang)])
