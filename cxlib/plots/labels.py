"""Chart texts: axis, column and group names in the reader's language (``lang``).

KPI names, units and directions come from the KPI catalogue; every other text from the i18n
catalogue (keys ``dim.<column>`` for column names, ``<column>.<value>`` for values, ``chart.*``
for chart texts). Used by every chart and by the widgets.
"""

from __future__ import annotations

import pandas as pd

from cxlib.catalogue import kpi_info
from cxlib.i18n import check_language, label

__all__ = ["kpi_axis_label", "dimension_label", "level_label", "label_or"]


def label_or(key: str, lang: str, default: str | None = None) -> str:
    """The label for ``key`` in ``lang``; ``default`` when the catalogue has none (KeyError without a default)."""
    try:
        return label(key, lang)
    except KeyError:
        if default is None:
            raise
        return default


def kpi_axis_label(kpi: str, lang: str = "en") -> str:
    """'<unit> · higher is better': unit and direction from the catalogue (the KPI name is the title).

    For CES this reads "mean on 1–7 (7 = easiest) · higher is better".
    """
    info = kpi_info(kpi)
    direction = label_or("higher_is_better" if info.higher_is_better else "lower_is_better", lang)
    return f"{info.text('unit_label', lang)} · {direction}"


def dimension_label(column: str, lang: str = "en") -> str:
    """A column's display name (``dim.<column>`` in labels.yaml; the column name otherwise)."""
    return label_or(f"dim.{column}", check_language(lang), column)


def level_label(column: str, value, lang: str = "en") -> str:
    """A group value's display name (``<column>.<value>`` in labels.yaml; the value otherwise)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return label_or("chart.missing_group", lang)
    return label_or(f"{column}.{value}", check_language(lang), str(value))
