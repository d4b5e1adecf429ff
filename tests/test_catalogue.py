"""The KPI catalogue: keys, units and directions as pinned in docs/architecture.md; docs in step."""

import inspect

import pytest

import cxlib.kpi as kpi
from cxlib.catalogue import kpi_catalogue, kpi_info, kpi_keys, kpis_markdown, load_catalogue
from cxlib.io.schemas import TIME_COLUMNS
from cxlib.paths import DOCS

# docs/architecture.md, "KPI catalogue keys": key → (function, unit, direction)
ARCHITECTURE = {
    "nps": ("nps", "points", "higher"),
    "csat": ("csat", "percent", "higher"),
    "ces": ("ces", "score", "higher"),
    "churn_rate": ("churn_rate", "percent", "lower"),
    "complaint_rate": ("complaints", "per_1000", "lower"),
    "first_response_time": ("response_times", "hours", "lower"),
    "sla_attainment": ("response_times", "percent", "higher"),
    "compliance": ("compliance", "percent", "higher"),
    "behaviour": ("behaviour", "percent", "higher"),
    "actions_done": ("action_progress", "percent", "higher"),
}


def test_keys_functions_units_directions_match_the_architecture():
    assert kpi_keys() == tuple(ARCHITECTURE)
    for key, (function, unit, direction) in ARCHITECTURE.items():
        info = kpi_info(key)
        assert (info.function, info.unit, info.direction) == (function, unit, direction), key


def test_every_function_exists_and_documents_its_direction():
    for info in load_catalogue().values():
        func = getattr(kpi, info.function)
        doc = " ".join(inspect.getdoc(func).split())
        assert f"{info.direction} is better" in doc, (info.key, "docstring must state the direction")
        params = inspect.signature(func).parameters
        names = list(params)
        # one signature for every KPI function: tables, by, period (a label), freq (the grain), confidence, min_n
        assert names[len(info.tables) : len(info.tables) + 5] == ["by", "period", "freq", "confidence", "min_n"]
        for name, default in (
            ("by", None),
            ("period", None),
            ("freq", "quarter"),
            ("confidence", 0.95),
            ("min_n", None),
        ):
            assert params[name].default == default, (info.function, name)
        # the options cx.measure_many passes on are real keyword parameters of the function
        assert set(info.options) <= set(names), (info.key, set(info.options) - set(names))
        # every column argument ends in _col; the time column is the one the schema declares
        assert all(not n.endswith(("_column", "time")) for n in names), (info.function, names)
        assert params["time_col" if "time_col" in params else "signup_col"].default == TIME_COLUMNS[info.tables[0]], (
            info.key
        )
        # issue 14 item 1: sampled KPIs need 30 observations; actions are counted, not sampled
        assert info.min_n == (1 if info.key == "actions_done" else 30), info.key


def test_both_languages_have_every_text():
    for language in ("en", "nl"):
        frame = kpi_catalogue(language)
        assert len(frame) == len(ARCHITECTURE)
        for col in ("label", "unit_label", "measures", "read", "pitfalls"):
            assert frame[col].str.len().min() > 10 or col == "label", (language, col)
    assert kpi_info("churn_rate").text("label", "nl") == "Opzegpercentage"
    with pytest.raises(ValueError, match="language"):
        kpi_catalogue("de")


def test_unknown_key_names_the_known_ones():
    with pytest.raises(KeyError, match="nps, csat"):
        kpi_info("loyalty")


def test_docs_kpis_md_is_generated_from_the_catalogue():
    text = (DOCS / "kpis.md").read_text(encoding="utf-8")
    assert text == kpis_markdown(), "docs/kpis.md is stale: run python -m cxlib.catalogue > docs/kpis.md"
    for key in ARCHITECTURE:
        assert f"## `{key}`" in text


def test_every_kpi_names_formula_interval_and_reference():
    for info in load_catalogue().values():
        assert info.formula and info.interval_method and info.reference, info.key
        assert info.extras, info.key
