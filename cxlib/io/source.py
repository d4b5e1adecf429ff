"""source.yaml: how a folder of exports maps to the canonical tables.

Every reading option may be set at the top level (a default for all tables) or under a table
(wins for that table; missing-value tokens add up). Mapping keys (``file``, ``columns``,
``values``, ``constants``, ``formats``, ``snapshot``, ``durations``, ``ratings``, ``events``)
are per table. Mistakes raise SourceError naming the source.yaml line (PyYAML node marks).
See docs/data.md for the format and an example of every key.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import yaml

from cxlib.io.errors import SourceError
from cxlib.io.schemas import SCHEMAS, derived, kind

__all__ = [
    "DELIMITERS",
    "EMPTY",
    "EVENT_KIND",
    "EVENT_TIME",
    "FALSE_TOKENS",
    "OTHER",
    "RATING_PREFIX",
    "SOURCE_FILE",
    "TRUE_TOKENS",
    "UNITS",
    "EventLog",
    "Marked",
    "Source",
    "TableSource",
    "header_names",
    "load_yaml",
    "map_header",
    "parse_source",
    "read_source",
    "token",
]

SOURCE_FILE = "source.yaml"

DELIMITERS = (",", ";", "\t", "|")
TRUE_TOKENS = ("true", "yes", "y", "ja", "j", "waar", "1")
FALSE_TOKENS = ("false", "no", "n", "nee", "onwaar", "0")

EMPTY, OTHER = "", "*"
"""Special keys of a value map: the empty (missing) value, and every value not listed."""
UNITS = ("days", "weeks", "months", "years")
"""Units of ``durations``."""
RATING_PREFIX = "rating_"
EVENT_TIME, EVENT_KIND = "_event_time", "_event_kind"
"""Internal column names of an event log's time and kind (never canonical names)."""

_OPTIONS = ("encoding", "delimiter", "decimal", "missing", "booleans", "date_format", "datetime_format", "header_rows")
_TABLE_KEYS = (
    "file",
    "columns",
    "values",
    "constants",
    "formats",
    "snapshot",
    "durations",
    "ratings",
    "events",
    "table",
    "query",
) + _OPTIONS
_DATABASE_KEYS = ("database", "password_env")
_RATING_KEYS = ("columns", "scale", "not_applicable")
_EVENT_KEYS = ("time", "kind", "first_response", "resolved", "escalated")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def token(value) -> str:
    """Normal form of a label for matching: text, stripped, case-folded."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    return str(value).strip().casefold()


@dataclass(frozen=True)
class EventLog:
    """How an event log (one row per state change) collapses to one ticket per id.

    ``time`` and ``kind`` are export column names. created_at = the first event (or the first
    value of a mapped created_at column); first_response_at = the first event of a kind in
    ``first_response``; resolved_at = the first of ``resolved``; escalated = any of ``escalated``.
    Kinds are matched as tokens (case and surrounding spaces ignored).
    """

    time: str
    kind: str
    first_response: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()
    escalated: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSource:
    """How to read one table's file. Defaults read the sample format (docs/architecture.md)."""

    table: str
    file: str
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Export column name → the names it is read as (canonical, rating_…, or event internals)."""
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Column → {export value (token form) → value as text}; key ``""`` maps the empty value."""
    value_defaults: Mapping[str, str] = field(default_factory=dict)
    """Column → value for export values not in its map (the ``"*"`` entry)."""
    constants: Mapping[str, str] = field(default_factory=dict)
    """Canonical column → one value for every record (text, read as the column's type)."""
    formats: Mapping[str, str] = field(default_factory=dict)
    """Date or datetime column → strptime format for that column alone (``%Y`` for a year)."""
    snapshot: str | None = None
    """ISO date the export was taken; ``durations`` count back from it."""
    durations: Mapping[str, str] = field(default_factory=dict)
    """Date column → unit (days, weeks, months, years): the file holds time before ``snapshot``."""
    ratings: tuple[str, ...] = ()
    """Rating column names (``rating_…``) read from the file (attribute ratings, responses only)."""
    rating_scale: tuple[int, int] = (0, 10)
    not_applicable: tuple[str, ...] = ()
    """Rating values that mean 'not applicable' (read as missing)."""
    events: EventLog | None = None
    """Set when the file is an event log to collapse to one ticket per id (tickets only)."""
    header_rows: int = 1
    """Lines at the top that are header; column names come from the first."""
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
    db_table: str | None = None
    """With ``database``: the table or view to read (source.yaml ``table``); default the table's name."""
    query: str | None = None
    """With ``database``: a SELECT to read instead of a table (source.yaml ``query``)."""
    source_file: str | None = None
    """The source.yaml this came from (for error messages), None for defaults or a mapping."""
    lines: Mapping[str, int] = field(default_factory=dict)
    """Dotted key (``columns.Datum``) → its line in source.yaml, for error messages."""

    def line(self, key: str) -> int | None:
        """The source.yaml line of ``key`` (``columns.Datum``), or of the nearest enclosing key."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return self.lines.get("")

    def fail(self, key: str, problem: str, expected: str, found=None) -> SourceError:
        """A SourceError about ``tables.<table>.<key>`` naming the source.yaml line."""
        return SourceError(self.source_file or SOURCE_FILE, problem, expected, line=self.line(key), found=found)


@dataclass(frozen=True)
class Source:
    """The reading instructions for a folder; ``path`` is the source.yaml used, if any."""

    tables: Mapping[str, TableSource]
    path: Path | None = None
    database: str | None = None
    """A database URL (``postgresql://user@host:port/db``, no password) to read instead of files."""
    password_env: str = "PGPASSWORD"
    """The environment variable holding the database password."""
    named: frozenset[str] = frozenset()
    """Tables that source.yaml names (their file must exist); others are read when present."""


# --- YAML with line numbers ---------------------------------------------------------------


class Marked(dict):
    """A mapping from source.yaml that remembers its own line and the line of each key."""

    line: int | None = None
    key_lines: dict


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans (ja/nee/yes/no/on/off stay text); mappings remember their lines."""


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Marked:
    loader.flatten_mapping(node)
    out = Marked()
    out.line, out.key_lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise SourceError(loader.name, "a key is not a single value", "text as key", line=line) from None
        if key in out:
            raise SourceError(loader.name, f"key {key!r} appears twice in one mapping", "each key once", line=line)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load_yaml(text: str, name: str):
    """Parse source.yaml text (YAML 1.2 booleans; mappings carry their lines)."""
    loader = _Loader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(
            name, f"not valid YAML ({problem})", "a UTF-8 YAML mapping", line=None if mark is None else mark.line + 1
        ) from None
    finally:
        loader.dispose()


# --- validation ------------------------------------------------------------------------------


class _Where:
    """Where a mapping sits: the file, its dotted path, and line lookups for errors."""

    def __init__(self, file: str, lines: dict[str, int]):
        self.file, self.lines = file, lines

    def record(self, mapping, path: str) -> None:
        """Remember the line of ``mapping`` and of each of its keys under ``path``."""
        if isinstance(mapping, Marked):
            self.lines.setdefault(path, mapping.line)
            for k, line in mapping.key_lines.items():
                self.lines[f"{path}.{k}" if path else str(k)] = line

    def fail(self, path: str, problem: str, expected: str, found=None) -> SourceError:
        key = path
        while key and key not in self.lines:
            key = key.rpartition(".")[0]
        return SourceError(
            self.file, problem, expected, line=self.lines.get(key), found=None if found is None else repr(_plain(found))
        )


def _plain(value):
    """A value as plain Python (Marked → dict) for messages."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _mapping(raw, where: _Where, path: str, allowed=None) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise where.fail(path, f"{path or 'source.yaml'} is not a mapping", "key: value pairs", raw)
    where.record(raw, path)
    if allowed is not None:
        for k in raw:
            if k not in allowed:
                raise where.fail(
                    f"{path}.{k}" if path else str(k),
                    f"unknown key '{k}' in {path or 'source.yaml'}",
                    "one of " + ", ".join(str(a) for a in allowed),
                )
    return raw


def _tokens(raw, where: _Where, path: str) -> tuple[str, ...]:
    """A list of tokens (a single value is a list of one)."""
    if isinstance(raw, (str, int, float, bool)):
        raw = [raw]
    if not isinstance(raw, list) or any(isinstance(t, (list, dict)) for t in raw):
        raise where.fail(path, f"{path} is not a list", "a list of values", raw)
    return tuple(token(t) for t in raw)


def _text(value) -> str:
    """A YAML scalar as the text a file would hold (dates ISO, booleans true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _options(raw: dict, where: _Where, path: str) -> dict:
    """Validated reading options of one level (top or table)."""

    def at(k):
        return f"{path}.{k}" if path else k

    out = {}
    for k in ("encoding", "date_format", "datetime_format"):
        if k in raw:
            if not isinstance(raw[k], str) or not raw[k]:
                raise where.fail(at(k), f"{at(k)} is not text", "a non-empty string", raw[k])
            out[k] = raw[k]
    if "encoding" in out and out["encoding"] != "auto":
        try:
            codecs.lookup(out["encoding"])
        except LookupError:
            raise where.fail(
                at("encoding"), f"{at('encoding')} is unknown", "auto or a Python codec name", out["encoding"]
            ) from None
    if "delimiter" in raw:
        if raw["delimiter"] not in ("auto",) + DELIMITERS:
            raise where.fail(
                at("delimiter"),
                f"{at('delimiter')} is not supported",
                "auto or one of , ; | and a tab",
                raw["delimiter"],
            )
        out["delimiter"] = raw["delimiter"]
    if "decimal" in raw:
        if raw["decimal"] not in ("auto", ".", ","):
            raise where.fail(at("decimal"), f"{at('decimal')} is not supported", "auto, '.' or ','", raw["decimal"])
        out["decimal"] = raw["decimal"]
    if "header_rows" in raw:
        n = raw["header_rows"]
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 20:
            raise where.fail(
                at("header_rows"), f"{at('header_rows')} is not a line count", "a whole number from 1 to 20", n
            )
        out["header_rows"] = n
    if "missing" in raw:
        tokens = raw["missing"]
        if not isinstance(tokens, list):
            raise where.fail(at("missing"), f"{at('missing')} is not a list", "a list of tokens", tokens)
        out["missing"] = tuple(_text(t) for t in tokens)
    if "booleans" in raw:
        b = _mapping(raw["booleans"], where, at("booleans"), (True, False, "true", "false"))
        true = b.get(True, b.get("true"))
        false = b.get(False, b.get("false"))
        if not isinstance(true, list) or not isinstance(false, list):
            raise where.fail(at("booleans"), f"{at('booleans')} needs both lists", "true: [...] and false: [...]", b)
        out["true"] = tuple(token(t) for t in true)
        out["false"] = tuple(token(t) for t in false)
    return out


def _date_text(value, where: _Where, path: str) -> str:
    """An ISO date from a YAML date or text; SourceError naming the line otherwise."""
    text = _text(value)
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if isinstance(value, (bool, int, float)) or pd.isna(stamp) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise where.fail(path, f"{path} is not a date", "an ISO date such as 2026-03-31", value)
    return text


def _ratings(raw, where: _Where, path: str) -> tuple[dict[str, str], dict]:
    """(export column → rating column name, options) of a ``ratings`` block."""
    raw = _mapping(raw, where, path, _RATING_KEYS)
    names = {}
    for export, name in _mapping(raw.get("columns"), where, f"{path}.columns").items():
        name = _text(name)
        if not _NAME.fullmatch(name):
            raise where.fail(
                f"{path}.columns.{export}",
                f"rating name {name!r} is not a name",
                "lower-case letters, digits and _ (seat_comfort)",
                name,
            )
        names[str(export).strip()] = name if name.startswith(RATING_PREFIX) else RATING_PREFIX + name
    dup = [n for n in set(names.values()) if list(names.values()).count(n) > 1]
    if dup:
        raise where.fail(f"{path}.columns", "two ratings have the same name", "distinct names", sorted(dup))
    opts = {}
    if "scale" in raw:
        scale = raw["scale"]
        if (
            not isinstance(scale, list)
            or len(scale) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in scale)
            or scale[0] >= scale[1]
        ):
            raise where.fail(
                f"{path}.scale", f"{path}.scale is not a range", "[low, high], whole numbers such as [1, 5]", scale
            )
        opts["rating_scale"] = (scale[0], scale[1])
    if "not_applicable" in raw:
        opts["not_applicable"] = _tokens(raw["not_applicable"], where, f"{path}.not_applicable")
    return names, opts


def _events(raw, where: _Where, path: str) -> EventLog:
    raw = _mapping(raw, where, path, _EVENT_KEYS)
    for k in ("time", "kind"):
        if not isinstance(raw.get(k), str) or not raw[k].strip():
            raise where.fail(
                f"{path}.{k}" if k in raw else path,
                f"{path}.{k} is missing",
                f"the export column with the event's {k}",
                raw.get(k),
            )
    kinds = {k: _tokens(raw[k], where, f"{path}.{k}") for k in _EVENT_KEYS[2:] if k in raw}
    return EventLog(time=raw["time"].strip(), kind=raw["kind"].strip(), **kinds)


def _table(name: str, raw, defaults: dict, where: _Where) -> TableSource:
    schema = SCHEMAS[name]
    path = f"tables.{name}"
    raw = _mapping(raw, where, path, _TABLE_KEYS)
    opts = dict(defaults)
    own = _options(raw, where, path)
    if "missing" in own:
        own["missing"] = opts.get("missing", ("",)) + own["missing"]
    opts.update(own)
    file = raw.get("file", schema.metadata["file"])
    if not isinstance(file, str) or not file or Path(file).name != file:
        raise where.fail(f"{path}.file", f"{path}.file is not a file name", "a file name in the same folder", file)
    canonical = list(schema.columns)
    columns: dict[str, list[str]] = {}
    for export, target in _mapping(raw.get("columns"), where, f"{path}.columns").items():
        targets = target if isinstance(target, list) else [target]
        for t in targets:
            if t not in canonical:
                raise where.fail(
                    f"{path}.columns.{export}",
                    f"{path}.columns maps '{export}' to an unknown column",
                    f"one of {', '.join(canonical)}",
                    t,
                )
        columns[str(export).strip()] = list(dict.fromkeys(targets))

    ratings, rating_opts = {}, {}
    if "ratings" in raw:
        if name != "responses":
            raise where.fail(f"{path}.ratings", f"ratings under {path}", "ratings under tables.responses only")
        ratings, rating_opts = _ratings(raw["ratings"], where, f"{path}.ratings")
    for export, rating in ratings.items():
        columns.setdefault(export, []).append(rating)
    events = None
    if "events" in raw:
        if name != "tickets":
            raise where.fail(
                f"{path}.events",
                f"events under {path}",
                "events under tables.tickets only (an event log becomes tickets)",
            )
        events = _events(raw["events"], where, f"{path}.events")
        columns.setdefault(events.time, []).append(EVENT_TIME)
        columns.setdefault(events.kind, []).append(EVENT_KIND)

    produced = [t for targets in columns.values() for t in targets]
    for t in dict.fromkeys(produced):
        if produced.count(t) > 1:
            exports = [e for e, targets in columns.items() if t in targets]
            raise where.fail(
                f"{path}.columns.{exports[1]}",
                f"two export columns map to '{t}'",
                "one export column per column",
                exports,
            )
    known = canonical + list(ratings.values())

    constants = {}
    for column, value in _mapping(raw.get("constants"), where, f"{path}.constants").items():
        at = f"{path}.constants.{column}"
        if column not in canonical:
            raise where.fail(at, f"unknown column '{column}' in {path}.constants", f"one of {', '.join(canonical)}")
        if column in produced:
            raise where.fail(at, f"'{column}' is both a constant and a mapped column", "one or the other")
        if isinstance(value, (list, dict)):
            raise where.fail(at, f"{at} is not a single value", "one value for every record", value)
        constants[column] = _text(value)

    maps, value_defaults = {}, {}
    values = _mapping(raw.get("values"), where, f"{path}.values", known)
    for column, mapping in values.items():
        at = f"{path}.values.{column}"
        mapping = _mapping(mapping, where, at)
        table_map = {}
        for k, v in mapping.items():
            if isinstance(v, (list, dict)):
                raise where.fail(
                    f"{at}.{k}", f"{at}: the value for {k!r} is not a single value", "one value (or '' for empty)", v
                )
            if k == OTHER:
                value_defaults[column] = _text(v)
            else:
                table_map[EMPTY if k is None else token(_text(k) if not isinstance(k, bool) else k)] = _text(v)
        maps[column] = table_map
    for rating in ratings.values():
        na = rating_opts.get("not_applicable", ())
        if na:
            maps[rating] = {**{t: "" for t in na}, **maps.get(rating, {})}

    formats = {}
    for column, fmt in _mapping(raw.get("formats"), where, f"{path}.formats").items():
        at = f"{path}.formats.{column}"
        if column not in canonical or kind(schema, column) not in ("date", "datetime"):
            dates = [c for c in canonical if kind(schema, c) in ("date", "datetime")]
            raise where.fail(at, f"'{column}' in {path}.formats is not a date column", f"one of {', '.join(dates)}")
        if not isinstance(fmt, str) or "%" not in fmt:
            raise where.fail(at, f"{at} is not a strptime format", "a format such as %Y or %Y-%m", fmt)
        formats[column] = fmt

    snapshot = None
    if "snapshot" in raw:
        snapshot = _date_text(raw["snapshot"], where, f"{path}.snapshot")
    durations = {}
    for column, unit in _mapping(raw.get("durations"), where, f"{path}.durations").items():
        at = f"{path}.durations.{column}"
        if column not in canonical or kind(schema, column) not in ("date", "datetime"):
            raise where.fail(
                at,
                f"'{column}' in {path}.durations is not a date column",
                "a date column mapped from a duration (signup_date)",
            )
        if unit not in UNITS:
            raise where.fail(at, f"{at} is not a unit", f"one of {', '.join(UNITS)}", unit)
        if column not in produced:
            raise where.fail(
                at,
                f"'{column}' in {path}.durations is not mapped from a column",
                f"an entry '<export column>: {column}' under columns",
            )
        if snapshot is None:
            raise where.fail(
                at, f"{path}.durations without a snapshot", f"{path}.snapshot: the date the durations count back from"
            )
        durations[column] = unit

    opts["missing"] = tuple(dict.fromkeys(("",) + opts.get("missing", ())))
    lines = {k[len(path) + 1 :]: v for k, v in where.lines.items() if k.startswith(path + ".")}
    lines[""] = where.lines.get(path)
    for key in ("table", "query"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
            raise where.fail(f"{path}.{key}", f"{path}.{key} is not text", "a non-empty string", raw[key])
    if "table" in raw and "query" in raw:
        raise where.fail(f"{path}.query", f"{path} names both a table and a query", "one of table, query")
    return TableSource(
        table=name,
        file=file,
        columns={e: tuple(t) for e, t in columns.items()},
        values=maps,
        value_defaults=value_defaults,
        constants=constants,
        formats=formats,
        snapshot=snapshot,
        durations=durations,
        ratings=tuple(ratings.values()),
        events=events,
        db_table=raw.get("table"),
        query=raw.get("query"),
        source_file=where.file,
        lines=lines,
        **rating_opts,
        **opts,
    )


def parse_source(raw: dict | None, where: str = SOURCE_FILE) -> Source:
    """Validate a source.yaml mapping (already parsed) into a Source."""
    w = _Where(where, {})
    raw = _mapping(raw, w, "", ("tables",) + _DATABASE_KEYS + _OPTIONS)
    defaults = _options(raw, w, "")
    tables_raw = _mapping(raw.get("tables"), w, "tables", list(SCHEMAS))
    tables = {name: _table(name, tables_raw.get(name), defaults, w) for name in SCHEMAS}
    database, password_env = _database(raw, tables, w)
    return Source(tables=tables, database=database, password_env=password_env, named=frozenset(tables_raw))


def _database(raw: dict, tables: Mapping[str, TableSource], where: _Where):
    """(database URL or None, password variable): checked, never holding a password."""
    from urllib.parse import urlsplit

    database = raw.get("database")
    password_env = raw.get("password_env", "PGPASSWORD")
    if not isinstance(password_env, str) or not password_env.strip():
        raise where.fail(
            "password_env", "password_env is not text", "the name of an environment variable", password_env
        )
    if database is None:
        named = [t.table for t in tables.values() if t.db_table or t.query]
        if named:
            key = "table" if tables[named[0]].db_table else "query"
            raise where.fail(
                f"tables.{named[0]}.{key}",
                f"tables.{named[0]} names a database table or query, but there is no database",
                "database: postgresql://user@host/db at the top level",
            )
        return None, password_env
    if not isinstance(database, str) or not database.startswith(("postgresql://", "postgres://")):
        raise where.fail(
            "database", "database is not a PostgreSQL URL", "postgresql://user@host:port/database", database
        )
    try:
        parts = urlsplit(database)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise where.fail(
            "database", "database is not a valid URL", "postgresql://user@host:port/database", database
        ) from None
    if parts.password is not None:
        raise where.fail(
            "database",
            "database URL holds a password",
            f"the password in an environment variable (password_env, now {password_env})",
        )
    return database, password_env


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
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(path, "not UTF-8 text", "a UTF-8 YAML mapping") from None
    return replace(parse_source(load_yaml(text, str(path)), str(path)), path=path)


# --- the header -------------------------------------------------------------------------------


def header_names(rows: list[list[str]]) -> list[str]:
    """Column names from the header lines: the first line's fields, stripped.

    With several header lines (SurveyMonkey: question, then answer option), a question that
    spans several columns (a blank name follows it) names each of them
    '<question> / <the first text below it>', so the columns of one matrix question get
    distinct names; a blank name with nothing below stays blank.
    """
    names = [n.strip() for n in rows[0]]
    below = [next((r[i].strip() for r in rows[1:] if i < len(r) and r[i].strip()), "") for i in range(len(names))]
    last = ""
    for i, name in enumerate(list(names)):
        if name:
            last = name
            spans = i + 1 < len(names) and not names[i + 1] and below[i + 1]
            if spans and below[i]:
                names[i] = f"{name} / {below[i]}"
        elif below[i]:
            names[i] = f"{last} / {below[i]}" if last else below[i]
    return names


def map_header(header: list[str], table: TableSource, file: str) -> list[str | None]:
    """The name each header field is read as (None: not part of the table).

    A field is renamed through ``columns`` (the first of its names; the loader copies it to
    the others) or counts when it equals a canonical name, ignoring case. Raises SourceError
    for a column source.yaml names that the file lacks (naming the source.yaml line), a
    required column that is missing, or a column that appears twice.
    """
    schema = SCHEMAS[table.table]
    present = set(header)
    for export in table.columns:
        if export not in present:
            close = [h for h in header if h.casefold() == export.casefold()]
            hint = f"; the header has {close[0]!r}" if close else ""
            where = "events" if table.events and export in (table.events.time, table.events.kind) else "columns"
            raise table.fail(
                f"{where}.{export}" if where == "columns" else "events",
                f"column {export!r} of tables.{table.table} is not in {file}{hint}",
                "a column of the file's header",
                ", ".join(header) or "no columns",
            )
    canonical = {name.casefold(): name for name in schema.columns}
    mapped = {t for targets in table.columns.values() for t in targets}
    names = []
    for h in header:
        if h in table.columns:
            names.append(table.columns[h][0])
        else:
            name = canonical.get(h.casefold())
            names.append(None if name in mapped or name in table.constants else name)
    seen = [n for n in names if n is not None]
    for name in dict.fromkeys(seen):
        if seen.count(name) > 1:
            fields = [h for h, n in zip(header, names) if n == name]
            raise SourceError(
                file, "column appears more than once", "each column once", column=name, found=", ".join(fields)
            )
    provided = set(seen) | mapped | set(table.constants) | derived(table.table)
    if table.events:
        provided |= {"created_at", "first_response_at", "resolved_at", "escalated"}
    for name, column in schema.columns.items():
        if column.required and name not in provided:
            wanted = [n for n, c in schema.columns.items() if c.required and n not in derived(table.table)]
            hint = "" if table.columns else " (map other names in source.yaml under columns)"
            raise SourceError(
                file,
                "required column missing",
                f"columns {', '.join(wanted)}{hint}",
                column=name,
                found=", ".join(header) or "no columns",
                line=None,
            )
    return names
