"""The texts of cxlib.monitor (cxlib/data/monitor.yaml) and locale-formatted KPI values."""
from __future__ import annotations

from functools import lru_cache

import yaml

from cxlib.catalogue import kpi_info
from cxlib.i18n import check_language, number, signed
from cxlib.paths import package_file



@lru_cache(maxsize=1)
def texts() -> dict:
    """cxlib/data/monitor.yaml as a dict (read once)."""
    return yaml.safe_load(package_file("monitor.yaml").read_text(encoding="utf-8"))


def word(key: str, lang: str) -> str:
    """A monitoring label (the ``labels:`` section) in ``lang``."""
    check_language(lang)
    try:
        return texts()["labels"][key][lang]
    except KeyError:
        raise KeyError(f"no {lang} label for {key!r} in cxlib/data/monitor.yaml") from None


def template(kind: str, lang: str) -> str:
    """The alert sentence template for ``kind`` in ``lang``."""
    return texts()["alerts"][kind][check_language(lang)]


def value_text(kpi: str, value: float, lang: str) -> str:
    """A KPI value with the catalogue's decimals and its unit, e.g. '62,3%' or '1.4 h'."""
    info = kpi_info(kpi)
    return number(value, lang, info.decimals) + texts()["units"][info.unit][lang]


def change_text(kpi: str, change: float, lang: str) -> str:
    """A signed difference with its unit, e.g. '−12,4 procentpunt'."""
    info = kpi_info(kpi)
    return signed(change, lang, info.decimals) + texts()["difference_units"][info.unit][lang]


def kpi_label(kpi: str, lang: str, on_mean: bool = False) -> str:
    """The catalogue label; with ``on_mean`` marked as the mean (a median KPI compared on its mean)."""
    label = kpi_info(kpi).label[check_language(lang)]
    return texts()["on_mean"][lang].format(kpi=label) if on_mean else label


def rules_text(rule_numbers, lang: str) -> str:
    """'a point beyond 3σ and 8 points in a row on one side' for the rules that fired."""
    rules = texts()["rules"]
    return rules["and"][lang].join(rules[int(r)][lang] for r in rule_numbers)
