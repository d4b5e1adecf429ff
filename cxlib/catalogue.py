"""The KPI catalogue: one place for each KPI's definition, unit, direction and nl/en labels.

Everything that needs a KPI fact (KPI frames, compare(), goals, reports, docs/kpis.md) reads it
from here; the facts themselves live in ``cxlib/data/kpis.yaml``.
Regenerate the docs with ``python -m cxlib.catalogue > docs/kpis.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import yaml

from cxlib.i18n import LANGUAGES, change_text, check_language, text, value_text
from cxlib.paths import package_file

__all__ = [
    "KPI",
    "load_catalogue",
    "kpi_info",
    "kpi_keys",
    "kpi_catalogue",
    "kpis_markdown",
    "UNITS",
    "DIRECTIONS",
    "INTERVALS",
    "TESTS",
    "TABLES",
    "report_sections",
    "missing_inputs",
    "kpi_inputs_missing",
]

UNITS = ("points", "percent", "score", "per_1000", "hours")
DIRECTIONS = ("higher", "lower")
INTERVALS = ("adjusted_wald", "wilson", "t", "poisson_exact", "bootstrap")
TESTS = ("nps_z", "two_proportion_z", "welch", "poisson_z", "median_z")
TABLES = ("responses", "customers", "tickets", "observations", "actions", "orders", "pulse")
_REQUIRED = (
    "function",
    "tables",
    "columns",
    "min_n",
    "unit",
    "direction",
    "interval",
    "test",
    "decimals",
    "label",
    "unit_label",
    "formula",
    "interval_method",
    "reference",
    "description",
    "extras",
)
EXTRA_KINDS = ("count", "statistic")


@dataclass(frozen=True)
class KPI:
    """One catalogue entry (see ``cxlib/data/kpis.yaml`` for the meaning of each field)."""

    key: str
    function: str
    tables: tuple[str, ...]
    groups: str
    columns: Mapping[str, tuple[str, ...]]
    options: tuple[str, ...]
    min_n: int
    unit: str
    range: tuple[float | None, float | None]
    direction: str
    interval: str
    test: str
    compare_on: str
    decimals: int
    label: Mapping[str, str]
    unit_label: Mapping[str, str]
    formula: str
    interval_method: str
    reference: str
    description: Mapping[str, Mapping[str, str]]
    extras: Mapping[str, Mapping[str, str]]
    sampled: bool = True
    """False for a KPI that counts every case (actions): no sampling error, so no test of its changes."""

    @property
    def extra_columns(self) -> tuple[str, ...]:
        """The KPI's own columns in the tidy frame, in order."""
        return tuple(self.extras)

    @property
    def statistic_extras(self) -> tuple[str, ...]:
        """Extras that are statistics: NaN when the row is suppressed (counts are kept)."""
        return tuple(k for k, v in self.extras.items() if v["kind"] == "statistic")

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    def name(self, lang: str, on_mean: bool = False) -> str:
        """The KPI's label in ``lang``; ``on_mean``: marked as the mean (a median KPI compared on its mean)."""
        shown = self.label[check_language(lang)]
        return text("kpi_on_mean", lang, kpi=shown) if on_mean else shown

    def value_text(self, value: float, lang: str) -> str:
        """A value of this KPI as in a sentence: its decimals and unit, e.g. '62,3%' or '1.4 h'."""
        return value_text(value, self.unit, self.decimals, lang)

    def change_text(self, change: float, lang: str) -> str:
        """A signed change of this KPI with its unit, e.g. '−12,4 procentpunt'."""
        return change_text(change, self.unit, self.decimals, lang)

    def text(self, field: str, lang: str = "en") -> str:
        """A language-dependent text: ``label``, ``unit_label``, ``measures``, ``read``, ``pitfalls``."""
        check_language(lang)
        if field in ("label", "unit_label"):
            return getattr(self, field)[lang]
        return self.description[lang][field]


def _parse(key: str, raw: Mapping, source: Path) -> KPI:
    def fail(msg: str):
        raise ValueError(f"{source}: KPI {key!r}: {msg}")

    missing = [f for f in _REQUIRED if f not in raw]
    if missing:
        fail(f"missing field(s) {missing}")
    for field, allowed in (("unit", UNITS), ("direction", DIRECTIONS), ("interval", INTERVALS), ("test", TESTS)):
        if raw[field] not in allowed:
            fail(f"{field} is {raw[field]!r}, expected one of {allowed}")
    if not raw["tables"] or not set(raw["tables"]) <= set(TABLES):
        fail(f"tables {raw['tables']} not all in {TABLES}")
    groups = raw.get("groups", raw["tables"][0])
    if groups not in raw["tables"]:
        fail(f"groups {groups!r} is not one of its tables {raw['tables']}")
    columns = raw["columns"] or {}
    if not isinstance(columns, Mapping) or not set(columns) <= set(raw["tables"]):
        fail(f"columns must map its tables {raw['tables']} to column lists, got {columns!r}")
    if isinstance(raw["min_n"], bool) or not isinstance(raw["min_n"], int) or raw["min_n"] < 0:
        fail(f"min_n must be a whole number ≥ 0, got {raw['min_n']!r}")
    for field in ("label", "unit_label", "description"):
        if set(raw[field]) != set(LANGUAGES):
            fail(f"{field} needs exactly the languages {LANGUAGES}, got {sorted(raw[field])}")
    for lang in LANGUAGES:
        gaps = {"measures", "read", "pitfalls"} - set(raw["description"][lang])
        if gaps:
            fail(f"description.{lang} lacks {sorted(gaps)}")
    for name, spec in (raw["extras"] or {}).items():
        if not isinstance(spec, Mapping) or spec.get("kind") not in EXTRA_KINDS or "en" not in spec:
            fail(f"extra {name!r} needs kind ({' or '.join(EXTRA_KINDS)}) and an en description")
    low, high = raw.get("range") or (None, None)
    return KPI(
        key=key,
        function=raw["function"],
        tables=tuple(raw["tables"]),
        groups=groups,
        columns={name: tuple(cols) for name, cols in columns.items()},
        options=tuple(raw.get("options") or ()),
        min_n=int(raw["min_n"]),
        unit=raw["unit"],
        range=(low, high),
        direction=raw["direction"],
        interval=raw["interval"],
        test=raw["test"],
        compare_on=raw.get("compare_on", "value"),
        decimals=int(raw["decimals"]),
        label=dict(raw["label"]),
        unit_label=dict(raw["unit_label"]),
        formula=" ".join(str(raw["formula"]).split()),
        interval_method=" ".join(str(raw["interval_method"]).split()),
        reference=" ".join(str(raw["reference"]).split()),
        description={
            lang: {k: " ".join(str(v).split()) for k, v in d.items()} for lang, d in raw["description"].items()
        },
        extras={name: dict(spec) for name, spec in (raw["extras"] or {}).items()},
        sampled=bool(raw.get("sampled", True)),
    )


@lru_cache(maxsize=4)
def load_catalogue(path: str | Path | None = None) -> Mapping[str, KPI]:
    """Read and validate the catalogue (default ``cxlib/data/kpis.yaml``): key → ``KPI`` (read-only)."""
    source = Path(path) if path is not None else package_file("kpis.yaml")
    with open(source, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("kpis"), Mapping):
        raise ValueError(f"{source}: expected a top-level mapping 'kpis:'")
    return MappingProxyType({key: _parse(key, entry, source) for key, entry in raw["kpis"].items()})


def kpi_keys() -> tuple[str, ...]:
    """The catalogue keys in catalogue order."""
    return tuple(load_catalogue())


def kpi_info(key: str) -> KPI:
    """The catalogue entry for ``key``; a KeyError names the known keys."""
    catalogue = load_catalogue()
    if key not in catalogue:
        raise KeyError(f"unknown KPI {key!r}; the catalogue knows {', '.join(catalogue)}")
    return catalogue[key]


@lru_cache(maxsize=1)
def report_sections() -> Mapping[str, tuple[tuple[str, ...], ...]]:
    """The report sections and what each needs (``cxlib/data/sections.yaml``): name → alternatives.

    Each alternative is a tuple of ``"table"`` or ``"table.column"`` inputs (``"responses.rating_*"``:
    any rating column); a section shows when the data holds every input of one alternative.
    """
    source = package_file("sections.yaml")
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    out = {}
    for name, spec in (raw.get("sections") or {}).items():
        needs = spec.get("needs") if isinstance(spec, Mapping) else None
        if not needs or not all(isinstance(alt, list) and alt for alt in needs):
            raise ValueError(f"{source}: section {name!r} needs a list of alternatives, each a list of inputs")
        for item in (i for alt in needs for i in alt):
            if str(item).split(".")[0] not in TABLES:
                raise ValueError(f"{source}: section {name!r}: {item!r} does not name a table of {TABLES}")
        out[name] = tuple(tuple(str(i) for i in alt) for alt in needs)
    return MappingProxyType(out)


def _holds(data, item: str) -> bool:
    """The data has rows in the table (``"tickets"``) or a value in the column (``"tickets.created_at"``)."""
    from cxlib.io.cxdata import table

    name, _, column = item.partition(".")
    frame = table(data, name)
    if frame is None or len(frame) == 0:
        return False
    if not column:
        return True
    if column.endswith("*"):
        return any(str(c).startswith(column[:-1]) and frame[c].notna().any() for c in frame.columns)
    return column in frame.columns and bool(frame[column].notna().any())


def missing_inputs(data, section: str) -> tuple[str, ...]:
    """What the data lacks for report section ``section``: () when it can show; else the inputs
    of the alternative that comes closest. Cheap: it looks at columns, computes nothing."""
    sections = report_sections()
    if section not in sections:
        raise KeyError(f"unknown report section {section!r}; known: {', '.join(sections)}")
    best: tuple[str, ...] | None = None
    for alternative in sections[section]:
        lacking = tuple(i for i in alternative if not _holds(data, i))
        if not lacking:
            return ()
        if best is None or len(lacking) < len(best):
            best = lacking
    return best or ()


def kpi_inputs_missing(data, key: str) -> tuple[str, ...]:
    """What the data lacks for KPI ``key``: its tables with rows, its columns and its tables' time
    columns with at least one value (the catalogue's declarations); () when it can be computed."""
    from cxlib.io.schemas import TIME_COLUMNS

    info = kpi_info(key)
    wanted = []
    for table in info.tables:
        columns = list(info.columns.get(table, ()))
        if table in TIME_COLUMNS and TIME_COLUMNS[table] not in columns:
            columns.append(TIME_COLUMNS[table])
        wanted += [f"{table}.{c}" for c in columns] or [table]
    return tuple(item for item in wanted if not _holds(data, item))


def kpi_catalogue(lang: str = "en") -> pd.DataFrame:
    """The catalogue as a frame, one row per KPI, texts in ``lang`` ("en" or "nl")."""
    check_language(lang)
    language = lang
    rows = [
        {
            "kpi": k.key,
            "label": k.label[language],
            "unit": k.unit,
            "unit_label": k.unit_label[language],
            "direction": k.direction,
            "interval": k.interval,
            "test": k.test,
            "function": k.function,
            "tables": ", ".join(k.tables),
            "min_n": str(k.min_n),
            "measures": k.description[language]["measures"],
            "read": k.description[language]["read"],
            "pitfalls": k.description[language]["pitfalls"],
            "formula": k.formula,
            "reference": k.reference,
        }
        for k in load_catalogue().values()
    ]
    return pd.DataFrame(rows).astype("string")


def kpis_markdown() -> str:
    """docs/kpis.md, generated from the catalogue so that the two cannot drift."""
    lines = [
        "# KPI catalogue",
        "",
        "<!-- Generated from cxlib/data/kpis.yaml by `python -m cxlib.catalogue > docs/kpis.md`;",
        "     tests/test_catalogue.py fails when this file and the catalogue differ. -->",
        "",
        "Every KPI function returns a tidy frame: the group columns, `period`, `kpi`, `n`, `value`,",
        "`ci_low`, `ci_high`, `suppressed` (n < min_n: value and interval NaN, n kept) and its",
        "extras. Intervals default to 95%; `compare()` tests differences between periods or groups",
        "with the test named below and flags them after a Benjamini–Hochberg adjustment.",
        "",
        "`response_times()` returns two rows per group and period, told apart by `kpi`:",
        "`first_response_time` and `sla_attainment`, each with its own n and interval.",
        "",
        "| key | function | unit | direction | interval | compare test |",
        "|---|---|---|---|---|---|",
    ]
    cat = load_catalogue()
    for k in cat.values():
        lines.append(
            f"| `{k.key}` | `{k.function}()` | {k.unit_label['en']} | {k.direction} is better "
            f"| {k.interval} | {k.test} |"
        )
    for k in cat.values():
        low, high = k.range
        rng = f"{_num(low)} to {_num(high)}" if high is not None else f"{_num(low)} and up"
        lines += [
            "",
            f"## `{k.key}`: {k.label['en']} ({k.label['nl']})",
            "",
            f'- **Function:** `cxlib.{k.function}({", ".join(k.tables)}, …)`; `cx.measure(data, "{k.key}", …)`',
            f"- **Minimum n:** {k.min_n} (smaller groups are suppressed)",
            f"- **Unit:** {k.unit_label['en']} (range {rng})",
            f"- **Direction:** {k.direction} is better",
            f"- **Formula:** {k.formula}",
            f"- **Interval:** {k.interval_method}",
            f"- **Compare test:** `{k.test}`" + (f" on `{k.compare_on}`" if k.compare_on != "value" else ""),
            f"- **Reference:** {k.reference}",
            "- **Extras:** " + "; ".join(f"`{name}` ({spec['en']})" for name, spec in k.extras.items()),
            "",
            f"*What it measures.* {k.description['en']['measures']}",
            "",
            f"*How to read it.* {k.description['en']['read']}",
            "",
            f"*Pitfalls.* {k.description['en']['pitfalls']}",
        ]
    return "\n".join(lines) + "\n"


def _num(x) -> str:
    return "open" if x is None else f"{x:g}".replace("-", "−")


if __name__ == "__main__":  # pragma: no cover - documentation generator
    print(kpis_markdown(), end="")
