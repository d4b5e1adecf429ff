"""source.yaml: how a folder of CSV exports maps to the canonical tables.

Every reading option may be set at the top level (a default for all tables) or under a table
(wins for that table; missing-value tokens add up). ``file``, ``columns`` and ``values`` are
per table. See docs/data.md for the format and an example.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from cxlib.io.errors import SourceError
from cxlib.io.schemas import SCHEMAS

__all__ = ["SOURCE_FILE", "DELIMITERS", "TRUE_TOKENS", "FALSE_TOKENS", "token", "TableSource", "Source",
           "parse_source", "read_source", "map_header"]

SOURCE_FILE = "source.yaml"

DELIMITERS = (",", ";", "\t", "|")
TRUE_TOKENS = ("true", "yes", "y", "ja", "j", "waar", "1")
FALSE_TOKENS = ("false", "no", "n", "nee", "onwaar", "0")

_OPTIONS = ("encoding", "delimiter", "decimal", "missing", "booleans", "date_format",
            "datetime_format")
_TABLE_KEYS = ("file", "columns", "values") + _OPTIONS


def token(value) -> str:
    """Normal form of a label for matching: text, stripped, case-folded."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    return str(value).strip().casefold()


@dataclass(frozen=True)
class TableSource:
    """How to read one table's file. Defaults read the sample format (docs/architecture.md)."""

    table: str
    file: str
    columns: Mapping[str, str] = field(default_factory=dict)
    """Export column name → canonical name."""
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Canonical column → {export value (token form) → canonical value as text}."""
    encoding: str = "auto"
    """``auto`` (UTF-8, with or without BOM; UTF-16 with BOM; else cp1252) or a codec name."""
    delimiter: str = "auto"
    """``auto`` (sniffed from the header: ',' ';' tab '|') or the delimiter itself."""
    decimal: str = "auto"
    """``auto`` (',' when the delimiter is ';', else '.'), '.' or ','."""
    missing: tuple[str, ...] = ("",)
    """Field values read as missing (exact match); the empty field always is."""
    true: tuple[str, ...] = TRUE_TOKENS
    false: tuple[str, ...] = FALSE_TOKENS
    date_format: str | None = None
    """strptime format of date-only columns; None: ISO 8601 or dd-mm-yyyy (also dd/mm/yyyy)."""
    datetime_format: str | None = None
    """strptime format of datetime columns; None: ISO 8601 or 'dd-mm-yyyy HH:MM[:SS]'."""


@dataclass(frozen=True)
class Source:
    """The reading instructions for a folder; ``path`` is the source.yaml used, if any."""

    tables: Mapping[str, TableSource]
    path: Path | None = None


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false are booleans, so ja/nee/yes/no/on/off stay text."""


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _fail(where: str, problem: str, expected: str, found=None) -> SourceError:
    return SourceError(where, problem, expected, found=None if found is None else repr(found))


def _check_mapping(mapping, where: str, context: str) -> None:
    if not isinstance(mapping, dict):
        raise _fail(where, f"{context} is not a mapping", "key: value pairs", mapping)


def _check_keys(mapping, allowed, where: str, context: str) -> None:
    _check_mapping(mapping, where, context)
    for k in mapping:
        if k not in allowed:
            raise _fail(where, f"unknown key '{k}' in {context}", "one of " + ", ".join(allowed))


def _options(raw: dict, where: str, context: str) -> dict:
    """Validated reading options of one level (top or table)."""
    out = {}
    for k in ("encoding", "date_format", "datetime_format"):
        if k in raw:
            if not isinstance(raw[k], str) or not raw[k]:
                raise _fail(where, f"{context}.{k} is not text", "a non-empty string", raw[k])
            out[k] = raw[k]
    if "encoding" in out and out["encoding"] != "auto":
        try:
            codecs.lookup(out["encoding"])
        except LookupError:
            raise _fail(where, f"{context}.encoding is unknown", "auto or a Python codec name",
                        out["encoding"]) from None
    if "delimiter" in raw:
        if raw["delimiter"] not in ("auto",) + DELIMITERS:
            raise _fail(where, f"{context}.delimiter is not supported",
                        "auto or one of , ; | and a tab", raw["delimiter"])
        out["delimiter"] = raw["delimiter"]
    if "decimal" in raw:
        if raw["decimal"] not in ("auto", ".", ","):
            raise _fail(where, f"{context}.decimal is not supported", "auto, '.' or ','",
                        raw["decimal"])
        out["decimal"] = raw["decimal"]
    if "missing" in raw:
        tokens = raw["missing"]
        if not isinstance(tokens, list):
            raise _fail(where, f"{context}.missing is not a list", "a list of tokens", tokens)
        out["missing"] = tuple(str(t) for t in tokens)
    if "booleans" in raw:
        b = raw["booleans"]
        _check_keys(b, (True, False, "true", "false"), where, f"{context}.booleans")
        true = b.get(True, b.get("true"))
        false = b.get(False, b.get("false"))
        if not isinstance(true, list) or not isinstance(false, list):
            raise _fail(where, f"{context}.booleans needs both lists", "true: [...] and false: [...]", b)
        out["true"] = tuple(token(t) for t in true)
        out["false"] = tuple(token(t) for t in false)
    return out


def _table(name: str, raw: dict, defaults: dict, where: str) -> TableSource:
    schema = SCHEMAS[name]
    context = f"tables.{name}"
    _check_keys(raw, _TABLE_KEYS, where, context)
    opts = dict(defaults)
    own = _options(raw, where, context)
    if "missing" in own:
        own["missing"] = opts.get("missing", ("",)) + own["missing"]
    opts.update(own)
    file = raw.get("file", schema.metadata["file"])
    if not isinstance(file, str) or not file or Path(file).name != file:
        raise _fail(where, f"{context}.file is not a file name", "a file name in the same folder", file)
    canonical = list(schema.columns)
    columns = raw.get("columns", {}) or {}
    _check_mapping(columns, where, f"{context}.columns")
    for export, target in columns.items():
        if target not in canonical:
            raise _fail(where, f"{context}.columns maps '{export}' to an unknown column",
                        f"one of {', '.join(canonical)}", target)
    values = raw.get("values", {}) or {}
    _check_keys(values, canonical, where, f"{context}.values")
    maps = {}
    for column, mapping in values.items():
        _check_mapping(mapping, where, f"{context}.values.{column}")
        maps[column] = {token(k): token(v) if isinstance(v, bool) else str(v).strip()
                        for k, v in mapping.items()}
    opts["missing"] = tuple(dict.fromkeys(("",) + opts.get("missing", ())))
    return TableSource(table=name, file=file, columns={str(k).strip(): v for k, v in columns.items()},
                       values=maps, **opts)


def parse_source(raw: dict | None, where: str = SOURCE_FILE) -> Source:
    """Validate a source.yaml mapping (already parsed) into a Source."""
    raw = raw or {}
    _check_keys(raw, ("tables",) + _OPTIONS, where, "source.yaml")
    defaults = _options(raw, where, "source.yaml")
    tables_raw = raw.get("tables", {}) or {}
    _check_keys(tables_raw, list(SCHEMAS), where, "tables")
    tables = {name: _table(name, tables_raw.get(name) or {}, defaults, where) for name in SCHEMAS}
    files = [t.file for t in tables.values()]
    dup = {f for f in files if files.count(f) > 1}
    if dup:
        raise _fail(where, "two tables read the same file", "one file per table", sorted(dup))
    return Source(tables=tables)


def read_source(folder: Path, source=None) -> Source:
    """The Source for ``folder``: ``source`` (Source, mapping or yaml path), else folder/source.yaml,
    else the defaults."""
    if isinstance(source, Source):
        return source
    if isinstance(source, dict):
        return parse_source(source, "source mapping")
    path = Path(source) if source is not None else folder / SOURCE_FILE
    if source is None and not path.exists():
        return parse_source({})
    if not path.is_file():
        raise SourceError(path, "source file not found", "a source.yaml file")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"not valid YAML ({exc})", "a UTF-8 YAML mapping") from None
    return replace(parse_source(raw, str(path)), path=path)


def map_header(header: list[str], table: TableSource, file: str) -> list[str | None]:
    """Canonical name of each header field (None: not part of the table).

    A field is renamed through ``columns`` first; otherwise it counts when it equals a canonical
    name, ignoring case. Raises SourceError for a required column that is missing or a canonical
    column that appears twice.
    """
    schema = SCHEMAS[table.table]
    canonical = {name.casefold(): name for name in schema.columns}
    names = [table.columns.get(h, canonical.get(h.casefold())) for h in header]
    seen = [n for n in names if n is not None]
    for name in dict.fromkeys(seen):
        if seen.count(name) > 1:
            fields = [h for h, n in zip(header, names) if n == name]
            raise SourceError(file, "column appears more than once", "each column once",
                              column=name, found=", ".join(fields))
    for name, column in schema.columns.items():
        if column.required and name not in seen:
            wanted = [n for n, c in schema.columns.items() if c.required]
            hint = "" if table.columns else " (map other names in source.yaml under columns)"
            raise SourceError(file, "required column missing",
                              f"columns {', '.join(wanted)}{hint}", column=name,
                              found=", ".join(header) or "no columns", line=None)
    return names
