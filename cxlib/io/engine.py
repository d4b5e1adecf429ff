"""`load(DIR, engine="duckdb")`: the canonical tables as lazy, validated DuckDB tables (Ibis).

Method: DuckDB reads the folder's files where they lie (``read_parquet``, ``read_csv``; out of
core, spilling to a temporary folder), and every table becomes three views, built from the
pandera schemas so that the rules stay in one place:

- ``typed_<table>``: each column in its canonical type (ids and labels trimmed, whole numbers
  only from whole-number text, ISO or DD-MM-YYYY dates at local midnight, datetimes with or
  without offset in Europe/Amsterdam) plus the row's position in its file;
- ``checked_<table>``: the typed columns and ``_rule``, the first rule the row breaks in the
  loader's order
  (unreadable values in column order, then the schema's column checks, duplicate keys, row
  checks, then references to every id read in customers and teams), with the loader's words.
  This one is a table, written once when the data is opened (DuckDB keeps it on disk in a
  private temporary folder, ``cxlib.private_temp``: removed when the open fails or the LazyData
  is closed or collected, and by the next load when a killed process left it), so that the
  rules run once and every KPI query after that reads typed columns;
- ``<table>``: the accepted rows, which the KPI engine aggregates.

Row checks are translated from their error text ("x before y", "no answer", "status done
without done_on"); a check the engine cannot translate stops the load rather than being
skipped. Files in other layouts (value maps, renamed columns, decimal commas, .xlsx) are read
by the pandas engine; `cx convert` turns them into Parquet that this engine reads. A converted
copy brings its carried rejected rows and the ids of rejected customers and teams.
Reference: DuckDB documentation (Parquet and CSV import, out-of-core processing); Ibis,
"DuckDB backend".
"""

from __future__ import annotations

import os
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxlib.io.convert import KNOWN_IDS_FILE, REJECTED_FILE
from cxlib.io.cxdata import rejected_frame, summary_frame
from cxlib.io.errors import SourceError
from cxlib.io.parse import INVISIBLE_REASON, PLANNED, WHOLE_REASON, implausible_reason
from cxlib.io.readers import find_file
from cxlib.io.schemas import REFERENCES, SCHEMAS, canonical_dtype, derived, kind
from cxlib.io.source import FALSE_TOKENS, TRUE_TOKENS, TableSource
from cxlib.paths import TIMEZONE
from cxlib.private_temp import PrivateRunDir

__all__ = ["ENGINES", "EXTRA", "LazyData", "open_lazy"]

ENGINES = ("pandas", "duckdb")
MEMORY_LIMIT = "2GB"
"""DuckDB's memory limit unless CX_DUCKDB_MEMORY_LIMIT says otherwise; beyond it DuckDB spills
to its temporary folder (out of core)."""
EXTRA = "pip install 'cxlib[duckdb]'"
_INVISIBLE_RE2 = (
    r"[\x00-\x1f\x7f-\x9f\x{00ad}\x{061c}\x{180e}\x{200b}-\x{200f}\x{202a}-\x{202e}"
    r"\x{2028}\x{2029}\x{2060}-\x{2064}\x{2066}-\x{2069}\x{feff}]"
)
_WHITESPACE = " || ".join(f"chr({ord(c)})" for c in map(chr, range(0x3001)) if c.isspace())
"""The characters Python's str.strip removes from ids and labels (every Unicode space), as SQL."""
_SPACE_RE2 = (
    r"[\s\x0b\x1c-\x1f\x{0085}\x{00a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}]"
)
"""Every character Python's str.isspace() accepts, as an RE2 class."""
_BEFORE = re.compile(r"^(\w+) before (\w+)$")


@dataclass
class LazyData:
    """Lazy canonical tables: ``data.responses`` is an Ibis table of the accepted rows.

    ``con`` is the Ibis DuckDB backend; ``summary`` and ``rejected`` run their queries when
    read; ``collect()`` materialises everything as a CXData (for data that fits in memory).
    """

    con: object
    path: Path
    files: dict[str, Path]
    goals_path: Path | None
    present: tuple[str, ...]
    ignored: dict[str, list[str]] = field(default_factory=dict)
    carried: pd.DataFrame | None = None
    absent: dict[str, list[str]] = field(default_factory=dict)
    """Table → the columns its file lacks (they get their documented default, or are derived)."""

    _finalizer: object = None
    cache: dict = field(default_factory=dict)
    """Results of statistics queries, for the KPI layer (the data do not change once opened)."""

    def close(self) -> None:
        """Close the engine and remove its temporary folder (also done when collected)."""
        if self._finalizer is not None:
            self._finalizer()

    def __getattr__(self, name: str):
        if name in SCHEMAS:
            return self.con.table(name)
        raise AttributeError(name)

    def __getitem__(self, name: str):
        return self.con.table(name)

    def sql(self, query: str) -> pd.DataFrame:
        """Run ``query`` on the engine (hand-written SQL, for benchmarks and checks)."""
        return self.con.raw_sql(query).df()

    @property
    def summary(self) -> pd.DataFrame:
        """table, file, read, accepted, rejected, ignored_columns, defaults, rows (queries the
        engine; defaults in the words of ``cxlib.io.mapping``)."""
        rows = []
        carried = self.carried.groupby("table").size() if self.carried is not None else {}
        for name in SCHEMAS:
            if name not in self.present:
                rows.append((name, pd.NA, 0, 0, 0, "", "", 0))
                continue
            schema, absent = SCHEMAS[name], self.absent.get(name, [])
            filled = [c for c, spec in schema.columns.items() if spec.metadata["fill"] and c not in absent]
            counts = "".join(f', count(*) FILTER (WHERE "_empty_{c}")' for c in filled)
            read, bad, *empty = self.con.raw_sql(
                f"SELECT count(*), count(_rule){counts} FROM checked_{name}"
            ).fetchall()[0]
            empty = dict(zip(filled, empty))
            notes = []
            for c, spec in schema.columns.items():
                meta = spec.metadata
                if empty.get(c):
                    notes.append(f"{c}: {meta['fill']} where empty ({int(empty[c]):,})")
                elif c not in absent:
                    continue
                elif meta["fill"]:
                    notes.append(f"{c}: {meta['fill']} (not in the file)")
                elif meta["derive"] == "line":
                    notes.append(f"{c}: the record's line number (not in the file)")
                elif meta["derive"]:
                    notes.append(f"{c}: {meta['derive']} (not in the file; one per record)")
            extra = int(carried.get(name, 0)) if len(carried) else 0
            rows.append(
                (
                    name,
                    self.files[name].name,
                    read + extra,
                    read - bad,
                    bad + extra,
                    ", ".join(self.ignored.get(name, [])),
                    "; ".join(notes),
                    read + extra,
                )
            )
        return summary_frame(rows)

    @property
    def rejected(self) -> pd.DataFrame:
        """One row per rejected record: table, file, line, column, value, reason."""
        parts = [] if self.carried is None else [self.carried]
        for name in self.present:
            part = self.con.raw_sql(
                f"SELECT '{name}' AS \"table\", '{_quote(self.files[name].name)}' AS file, "
                f'_line AS line, _column AS "column", _value AS value, _reason AS reason '
                f"FROM rejected_{name} ORDER BY _line"
            ).df()
            parts.append(part)
        return rejected_frame(parts)

    def frame(self, name: str) -> pd.DataFrame:
        """The accepted rows of table ``name`` as a pandas frame with canonical dtypes."""
        schema = SCHEMAS[name]
        frame = self.con.raw_sql(f"SELECT * FROM {name} ORDER BY _line").df().drop(columns="_line")
        out = {}
        for column, spec in schema.columns.items():
            s = frame[column]
            dtype = canonical_dtype(spec)
            if isinstance(dtype, pd.CategoricalDtype) and dtype.categories is None:
                s = s.astype("string")
                dtype = pd.CategoricalDtype(sorted(s.dropna().unique()))
            elif str(dtype).startswith("datetime64"):
                s = pd.to_datetime(s, utc=True).dt.tz_convert(TIMEZONE)
            out[column] = s.astype(dtype)
        return pd.DataFrame(out)

    def collect(self):
        """Everything in memory, as the CXData the pandas engine would return."""
        from cxlib.io.cxdata import CXData

        tables = {name: self.frame(name) for name in SCHEMAS}
        return CXData(
            **tables,
            rejected=self.rejected,
            summary=self.summary,
            path=self.path,
            fingerprint="",
            goals_path=self.goals_path,
            files=self.files,
        )


def _run(con, statement: str) -> None:
    """Run a statement to completion (DuckDB keeps an unfetched result open otherwise)."""
    con.raw_sql(statement).fetchall()


def _quote(text: str) -> str:
    return str(text).replace("'", "''")


def open_lazy(
    folder: Path, src, *, memory_limit: str | None = None, threads: int | None = None, temp_directory: str | None = None
) -> LazyData:
    """The LazyData of ``folder`` (see the module docstring)."""
    try:
        import ibis  # noqa: F401 - fail early, naming the extra to install
    except ImportError:
        raise SourceError(folder, "engine='duckdb' needs DuckDB and Ibis", EXTRA) from None
    if src.database is not None or src.path is not None:
        raise SourceError(
            src.path or folder,
            "engine='duckdb' reads files in the canonical layout",
            "no source.yaml: write a canonical copy first with `cx convert DIR --to parquet --out DIR2`",
        )
    run = PrivateRunDir(temp_directory, purpose="cx-duckdb")  # stale folders of killed processes go first
    try:
        data = _open(folder, run.path, memory_limit, threads)
    except BaseException:
        run.close()
        raise
    data._finalizer = weakref.finalize(data, _close, data.con, run)
    return data


def _open(folder: Path, home: Path, memory_limit: str | None, threads: int | None) -> LazyData:
    """Connect DuckDB with its database in ``home`` and define every table's checked views."""
    import ibis

    config = {
        "database": str(home / "cx.duckdb"),
        "temp_directory": str(home / "spill"),
        "memory_limit": memory_limit or os.environ.get("CX_DUCKDB_MEMORY_LIMIT", MEMORY_LIMIT),
    }
    if threads:
        config["threads"] = threads
    con = ibis.duckdb.connect(**config)
    try:
        _run(con, "LOAD icu")  # time zones: periods are Europe/Amsterdam calendar periods
        _run(con, f"SET TimeZone = '{TIMEZONE}'")
        _run(con, "SET enable_progress_bar = false")
        known = _known_ids(folder)
        files, ignored, present, absent = {}, {}, [], {}
        for name, schema in SCHEMAS.items():
            table = TableSource(table=name, file=schema.metadata["file"])
            path = find_file(folder, table, schema.metadata["file"])
            if path is None:
                _empty_view(con, name, schema)
                continue
            ignored[name], absent[name], numbered = _raw_view(con, name, path)
            files[name] = path
            present.append(name)
            parse_reasons = _typed_view(con, name, schema)
            _checked_view(con, name, schema, present, known, parse_reasons, set(absent[name]) & derived(name), numbered)
            cols = ", ".join(f'"{c}"' for c in schema.columns)
            _run(con, f"CREATE VIEW {name} AS SELECT {cols}, _line FROM checked_{name} WHERE _rule IS NULL")
        if not files:
            wanted = ", ".join(s.metadata["file"] for s in SCHEMAS.values())
            raise SourceError(folder, "no data files found", f"at least one of {wanted}, or files named in source.yaml")
        carried = pd.read_parquet(folder / REJECTED_FILE) if (folder / REJECTED_FILE).is_file() else None
    except BaseException:
        con.disconnect()
        raise
    goals = folder / "goals.yaml"
    return LazyData(con, folder, files, goals if goals.is_file() else None, tuple(present), ignored, carried, absent)


def _close(con, run: PrivateRunDir) -> None:
    try:
        con.disconnect()
    finally:
        run.close()


def _known_ids(folder: Path) -> dict[str, str]:
    """Table → SQL of the ids a converted copy's original read but rejected."""
    path = folder / KNOWN_IDS_FILE
    if not path.is_file():
        return {}
    ids = pd.read_parquet(path)
    return {
        name: f"SELECT id FROM read_parquet('{_quote(path)}') WHERE \"table\" = '{name}'"
        for name in ids["table"].unique()
    }


def _raw_view(con, name: str, path: Path) -> tuple[list[str], list[str], bool]:
    """``raw_<name>``: the file as DuckDB reads it, with ``_line``, and ``mapped_<name>``:
    canonical names, absent ids derived (the line, or another id); returns (ignored columns,
    absent columns)."""
    from cxlib.io.decode import sniff_kind

    with open(path, "rb") as handle:
        fmt = sniff_kind(handle.read(65536))
    where = _quote(path)
    if fmt == "parquet":
        source = f"SELECT *, file_row_number + 1 AS _line FROM read_parquet('{where}', file_row_number = true)"
    elif fmt == "text":
        source = (
            f"SELECT *, row_number() OVER () + 1 AS _line FROM read_csv('{where}', "
            "all_varchar = true, header = true, quote = '\"', escape = '\"', "
            "strict_mode = true)"
        )
    else:
        raise SourceError(
            path.name,
            f"engine='duckdb' reads CSV and Parquet, not {fmt}",
            "a Parquet copy: cx convert DIR --to parquet --out DIR2",
        )
    _run(con, f"CREATE VIEW raw_{name} AS {source}")
    columns = [c for c in con.table(f"raw_{name}").columns if c not in ("_line", "file_row_number")]
    schema = SCHEMAS[name]
    canonical = {c.casefold(): c for c in schema.columns}
    renames = [f'"{c}" AS "{canonical[c.casefold()]}"' for c in columns if c.casefold() in canonical]
    missing = [c for c in schema.columns if c not in {canonical.get(x.casefold()) for x in columns}]
    made = derived(name)
    required = [c for c in missing if schema.columns[c].required and c not in made]
    if required:
        wanted = [n for n, c in schema.columns.items() if c.required and n not in made]
        raise SourceError(
            path.name,
            "required column missing",
            f"columns {', '.join(wanted)}",
            column=required[0],
            found=", ".join(columns),
        )
    nulls = []
    for c in missing:  # as cxlib.io.mapping: the line number, or a copy of another id
        derive = schema.columns[c].metadata["derive"]
        if derive == "line" or (derive and derive in missing):
            nulls.append(f'CAST(_line AS VARCHAR) AS "{c}"')
        elif derive:
            nulls.append(f'"{derive}" AS "{c}"')
        else:
            nulls.append(f'NULL AS "{c}"')
    _run(con, f"CREATE VIEW mapped_{name} AS SELECT {', '.join(renames + nulls)}, _line FROM raw_{name}")
    return [c for c in columns if c.casefold() not in canonical], missing, fmt == "parquet"


def _empty_view(con, name: str, schema) -> None:
    cols = ", ".join(f'CAST(NULL AS {_sql_type(kind(schema, c))}) AS "{c}"' for c in schema.columns)
    _run(con, f"CREATE VIEW {name} AS SELECT {cols}, CAST(NULL AS BIGINT) AS _line WHERE false")


def _sql_type(k: str) -> str:
    return {
        "int": "BIGINT",
        "float": "DOUBLE",
        "bool": "BOOLEAN",
        "date": "TIMESTAMPTZ",
        "datetime": "TIMESTAMPTZ",
    }.get(k, "VARCHAR")


def _typed_view(con, name: str, schema) -> dict[str, list[str]]:
    """``typed_<name>``: canonical types, and per column one boolean ``_bad_<col>_<j>`` per way
    its text can fail to parse; returns column → the reasons of those flags, in order."""
    types = dict(zip(con.table(f"mapped_{name}").columns, con.table(f"mapped_{name}").schema().types))
    parts, reasons = ["_line"], {}
    for column in schema.columns:
        lookup = None
        if kind(schema, column) in ("ref", "label") and types[column].is_string():
            # few distinct values per row: the pattern runs on each distinct value once
            lookup = f"odd_{name}_{column}"
            _run(
                con,
                f'CREATE TABLE {lookup} AS SELECT v FROM (SELECT DISTINCT "{column}" AS v '
                f"FROM mapped_{name}) WHERE {_odd('v')}",
            )
        value, problems = _typed(f'"{column}"', kind(schema, column), types[column], column, lookup)
        fill = schema.columns[column].metadata["fill"]
        if fill:  # an optional label: 'unknown' where empty (cxlib.io.mapping)
            parts.append(f'({value}) IS NULL AS "_empty_{column}"')
            value = f"coalesce({value}, '{_quote(fill)}')"
        parts.append(f'{value} AS "{column}"')
        reasons[column] = []
        for j, (condition, why) in enumerate(problems):
            parts.append(f'coalesce({condition}, false) AS "_bad_{column}_{j}"')
            reasons[column].append(why)
    _run(con, f"CREATE VIEW typed_{name} AS SELECT {', '.join(parts)} FROM mapped_{name}")
    return reasons


def _odd(raw: str) -> str:
    """SQL: ``raw`` needs work, a space at either end (trim(x, set) is slow in DuckDB, so only
    those values take it) or an invisible character (checked after the trim)."""
    return f"regexp_matches({raw}, '^{_SPACE_RE2}|{_SPACE_RE2}$|{_INVISIBLE_RE2}')"


def _typed(col: str, k: str, dtype, column: str, lookup: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    """(SQL of the canonical value, [(SQL condition, reason)] of its parse problems).

    ``lookup``: a table of the column's distinct values that need work (see _typed_view).
    """
    text = dtype.is_string() or dtype.is_null()
    raw = f"CAST({col} AS VARCHAR)"
    odd = _odd(raw) if lookup is None else f"({raw} IN (SELECT v FROM {lookup}))"
    trimmed = f"NULLIF(CASE WHEN {odd} THEN trim({raw}, {_WHITESPACE}) ELSE {raw} END, '')"
    if k == "text":
        return f"NULLIF(CAST({col} AS VARCHAR), '')", []
    if k in ("key", "ref", "label"):
        return trimmed, [(f"{odd} AND regexp_matches({trimmed}, '{_INVISIBLE_RE2}')", INVISIBLE_REASON)]
    if k == "int":
        if not text and dtype.is_integer():
            return col, []
        value = f"CASE WHEN regexp_full_match({trimmed}, '[+-]?[0-9]+') THEN TRY_CAST({trimmed} AS BIGINT) END"
        return value, [(f"{trimmed} IS NOT NULL AND ({value}) IS NULL", WHOLE_REASON)]
    if k == "float":
        if not text and dtype.is_numeric():
            return f"CAST({col} AS DOUBLE)", []
        value = (
            f"CASE WHEN regexp_full_match({trimmed}, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)') "
            f"THEN TRY_CAST({trimmed} AS DOUBLE) END"
        )
        why = "not a number (expected digits and a decimal point, such as 12.50)"
        return value, [(f"{trimmed} IS NOT NULL AND ({value}) IS NULL", why)]
    if k == "bool":
        if not text and dtype.is_boolean():
            return col, []
        true = ", ".join(f"'{t}'" for t in TRUE_TOKENS)
        false = ", ".join(f"'{t}'" for t in FALSE_TOKENS)
        value = f"CASE WHEN lower({trimmed}) IN ({true}) THEN true WHEN lower({trimmed}) IN ({false}) THEN false END"
        why = f"not a boolean (expected one of {', '.join(TRUE_TOKENS + FALSE_TOKENS)})"
        return value, [(f"{trimmed} IS NOT NULL AND ({value}) IS NULL", why)]
    if k in ("date", "datetime"):
        problems = []
        if text:
            if k == "date":
                moment = (
                    f"CAST(COALESCE(TRY_CAST({trimmed} AS DATE), "
                    f"CAST(TRY_STRPTIME({trimmed}, '%d-%m-%Y') AS DATE), "
                    f"CAST(TRY_STRPTIME({trimmed}, '%d/%m/%Y') AS DATE)) AS TIMESTAMPTZ)"
                )
                why = "unparseable date (expected YYYY-MM-DD or DD-MM-YYYY)"
            else:
                moment = (
                    f"COALESCE(TRY_CAST({trimmed} AS TIMESTAMPTZ), "
                    + ", ".join(
                        f"CAST(TRY_STRPTIME({trimmed}, '{f}') AS TIMESTAMPTZ)"
                        for f in ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")
                    )
                    + ")"
                )
                why = (
                    "unparseable datetime (expected ISO 8601 (YYYY-MM-DDTHH:MM[:SS][+HH:MM]) or DD-MM-YYYY HH:MM[:SS])"
                )
            problems.append((f"{trimmed} IS NOT NULL AND ({moment}) IS NULL", why))
        else:
            moment = f"CAST({col} AS TIMESTAMPTZ)"
            if k == "date":
                moment = f"date_trunc('day', {moment})"
        late = "false" if column in PLANNED else f"({moment}) > now()"
        problems.append(
            (f"({moment}) < TIMESTAMPTZ '1990-01-01 00:00:00 {TIMEZONE}' OR {late}", implausible_reason(k, column))
        )
        return moment, problems
    raise ValueError(f"unknown column kind {k!r}")


def _checked_view(
    con,
    name: str,
    schema,
    present: list[str],
    known: dict[str, str],
    parse_reasons: dict[str, list[str]],
    made: set[str] = frozenset(),
    numbered: bool = False,
) -> None:
    """``checked_<name>`` (typed columns, ``_rule``) and ``rejected_<name>`` (the reason, column
    and raw value of each rejected row's first problem). ``made``: derived ids, which refer to
    nothing and are not checked as references. ``numbered``: every row carries its line from the
    file itself (Parquet's ``file_row_number``), so the table is written without keeping the
    reader's order, which lets DuckDB write 200M rows within its memory limit; a CSV's line is
    the reader's row number and needs that order (DuckDB, "Tuning workloads")."""
    columns = list(schema.columns)
    cases = [(f'"_bad_{c}_{j}"', f"'{_quote(why)}'", c) for c in columns for j, why in enumerate(parse_reasons[c])]
    windows = []
    for c, spec in schema.columns.items():
        if not spec.nullable:
            cases.append((f'"{c}" IS NULL', "'missing value (required)'", c))
        if kind(schema, c) == "key":
            windows.append(([c], f"_first_{c}"))
            cases.append((f'_line > "_first_{c}"', f"'duplicate {c} (first occurrence kept)'", c))
        for check in spec.checks:
            cases.append((_column_check(c, check), f"'{check.error}'", c))
    if schema.unique:
        windows.append((list(schema.unique), "_first_unique"))
        label = ", ".join(schema.unique)
        cases.append(("_line > _first_unique", f"'duplicate ({label}) (first occurrence kept)'", label))
    for check in schema.checks:
        cases.append((_row_check(check), f"'{check.error}'", check.name))
    for column, target in REFERENCES.items():
        if column in schema.columns and target in present and kind(schema, column) == "ref" and column not in made:
            target_key = next(c for c in SCHEMAS[target].columns if kind(SCHEMAS[target], c) == "key")
            ids = f'SELECT "{target_key}" FROM checked_{target} WHERE "{target_key}" IS NOT NULL'
            if target in known:
                ids += f" UNION ALL {known[target]}"
            # the few ids not found, first: an anti join of the distinct values (spilled to disk
            # when large), so the pass over every row looks up a tiny table (a `NOT IN` over all
            # 12.5M customer ids is a join that must fit in memory: it did not within 2 GB)
            unknown = f"unknown_{name}_{column}"
            _run(
                con,
                f'CREATE TABLE {unknown} AS SELECT d.v FROM (SELECT DISTINCT "{column}" AS v FROM typed_{name} '
                f'WHERE "{column}" IS NOT NULL) d ANTI JOIN ({ids}) AS k(id) ON d.v = k.id',
            )
            file = _quote(SCHEMAS[target].metadata["file"])
            cases.append((f'"{column}" IN (SELECT v FROM {unknown})', f"'unknown {column} (not in {file})'", column))
    # the conditions are evaluated once: _rule is the first that holds, the rest are lookups
    rule = "CASE " + " ".join(f"WHEN {cond} THEN {i}" for i, (cond, _, _) in enumerate(cases, 1)) + " END"
    reasons = "[" + ", ".join(why for _, why, _ in cases) + "]"
    blamed = "[" + ", ".join(f"'{who}'" for _, _, who in cases) + "]"
    value = (
        "CASE c._rule "
        + " ".join(
            f"WHEN {i} THEN " + (f'CAST(m."{who}" AS VARCHAR)' if who in columns else "NULL")
            for i, (_, _, who) in enumerate(cases, 1)
        )
        + " END"
    )
    # duplicates: the first line of each id seen more than once, into a small table first, which
    # the pass over every row then joins. Two steps, because an aggregate over 200M distinct
    # typed text ids ran out of DuckDB's 2 GB limit where one over their 64-bit hashes did not:
    # the hashes seen more than once, then the exact ids among those rows only (a collision
    # adds a candidate, never a duplicate). A window over millions of one-row partitions is
    # far slower still.
    source = f"typed_{name}"
    for i, (keys, first) in enumerate(windows):
        cols = ", ".join(f'"{c}"' for c in keys)
        on = " AND ".join(f't."{c}" = d{i}."{c}"' for c in keys)
        present_keys = " AND ".join(f'"{c}" IS NOT NULL' for c in keys)
        hashes = f"{first}_hash_{name}"
        _run(
            con,
            f"CREATE TABLE {hashes} AS SELECT hash({cols}) AS h FROM typed_{name} "
            f"WHERE {present_keys} GROUP BY h HAVING count(*) > 1",
        )
        _run(
            con,
            f"CREATE TABLE {first}_{name} AS SELECT {cols}, min(_line) AS {first} FROM typed_{name} "
            f"WHERE {present_keys} AND hash({cols}) IN (SELECT h FROM {hashes}) GROUP BY {cols} HAVING count(*) > 1",
        )
        source = f"(SELECT t.*, d{i}.{first} FROM {source} t LEFT JOIN {first}_{name} d{i} ON {on})"
    # stored once: the typed columns, the line and the number of the first rule broken
    keep = ", ".join(
        [f'"{c}"' for c in columns] + [f'"_empty_{c}"' for c, spec in schema.columns.items() if spec.metadata["fill"]]
    )
    if numbered:
        _run(con, "SET preserve_insertion_order = false")
    try:
        _run(con, f"CREATE TABLE checked_{name} AS SELECT {keep}, _line, {rule} AS _rule FROM {source}")
    finally:
        _run(con, "SET preserve_insertion_order = true")  # CSV views number their rows in file order
    _run(
        con,
        f"CREATE VIEW rejected_{name} AS SELECT c._line, {reasons}[c._rule] AS _reason, "
        f"{blamed}[c._rule] AS _column, {value} AS _value FROM checked_{name} c "
        f"JOIN mapped_{name} m ON m._line = c._line WHERE c._rule IS NOT NULL",
    )


def _column_check(column: str, check) -> str:
    stats = check.statistics or {}
    col = f'"{column}"'
    if check.name == "isin":
        values = ", ".join(f"'{_quote(v)}'" for v in stats["allowed_values"])
        return f"{col} IS NOT NULL AND {col} NOT IN ({values})"
    if check.name == "in_range":
        return f"{col} IS NOT NULL AND ({col} < {stats['min_value']} OR {col} > {stats['max_value']})"
    if check.name == "greater_than_or_equal_to":
        return f"{col} IS NOT NULL AND {col} < {stats['min_value']}"
    raise NotImplementedError(
        f"engine='duckdb' cannot translate the check {check.name!r} of column {column!r}; load with the pandas engine"
    )


def _row_check(check) -> str:
    error = check.error
    match = _BEFORE.match(error)
    if match:
        a, b = match.groups()
        return f'"{a}" < "{b}"'
    if error.startswith("no score"):
        return "nps IS NULL AND csat IS NULL AND ces IS NULL"
    if error.startswith("no answer (expected at least one of nps, csat, ces, comment)"):
        return (
            "nps IS NULL AND csat IS NULL AND ces IS NULL AND (comment IS NULL OR "
            f"regexp_full_match(comment, '{_SPACE_RE2}*'))"
        )  # a blank comment is no answer
    if error == "status done without done_on":
        return "status = 'done' AND done_on IS NULL"
    raise NotImplementedError(f"engine='duckdb' cannot translate the row check {error!r}; load with the pandas engine")
