"""Read the canonical tables from a PostgreSQL database named in source.yaml (through Ibis).

Method: ``database: postgresql://user@host:port/db`` in source.yaml, the password from the
environment variable ``password_env`` (default PGPASSWORD; never in the file). Per table a
``table`` (or view; default the table's canonical name) or a ``query``; ``columns`` and
``values`` map names and labels as for files. A table is read ordered by its key column, so a
record's ``line`` (its position in the result, first row = 1) is stable; give a query an
ORDER BY for the same. The result travels as Arrow, is written to Parquet bytes in memory and
read by the Parquet reader: typed columns stay typed, and the same parsing, validation and
quarantine follow. The fingerprint covers those bytes, that is the data itself.

Connection problems are one ``DatabaseError`` line (a SourceError): the server cannot be
reached, the password is refused, a table or query does not exist.
Reference: Ibis, "PostgreSQL backend"; psycopg 3; PostgreSQL 15 documentation, libpq.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cxlib.io.errors import SourceError
from cxlib.io.schemas import SCHEMAS, kind

__all__ = ["Database", "DatabaseError", "open_database"]

EXTRA = "pip install 'cxlib[postgres]'"


class DatabaseError(SourceError):
    """The database cannot be used: unreachable, password refused, table or query missing."""


class Database:
    """A connection to the database of a Source; ``fetch`` reads one table as Parquet bytes."""

    def __init__(self, url: str, password_env: str):
        try:
            import ibis
        except ImportError:
            raise DatabaseError(url, "reading a database needs Ibis with its PostgreSQL driver", EXTRA) from None
        self.url = url
        parts = urlsplit(url)
        self.label = f"{parts.hostname or 'localhost'}:{parts.port or 5432}/{parts.path.lstrip('/')}"
        password = os.environ.get(password_env)
        try:
            self.con = ibis.postgres.connect(
                host=parts.hostname or "localhost",
                port=parts.port or 5432,
                user=unquote(parts.username) if parts.username else None,
                password=password,
                database=unquote(parts.path.lstrip("/")) or None,
                connect_timeout=10,
            )
        except Exception as exc:  # noqa: BLE001 - psycopg's errors, whatever the driver version
            raise self._connect_error(exc, password_env, password is not None) from None

    def _connect_error(self, exc: Exception, password_env: str, has_password: bool) -> DatabaseError:
        text = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        low = str(exc).lower()
        if "password authentication failed" in low or "no password supplied" in low:
            where = f"the environment variable {password_env}" + ("" if has_password else " (not set)")
            return DatabaseError(self.label, "the server refused the password", f"the password of this user in {where}")
        if "does not exist" in low and "database" in low:
            return DatabaseError(
                self.label, "the database does not exist", "an existing database (the path of the database URL)"
            )
        return DatabaseError(
            self.label, f"cannot connect ({_first_line(text)})", "a PostgreSQL server accepting connections there"
        )

    def fetch(self, name: str, table) -> tuple[Path, bytes] | None:
        """(label, Parquet bytes) of table ``name`` (a TableSource), None when a default-named
        table does not exist. DatabaseError for a named table or query that fails."""
        import pyarrow.parquet as pq

        named = table.db_table or table.query
        try:
            if table.query:
                expr = self.con.sql(table.query)
                label = f"query:{name}"
            else:
                target = table.db_table or name
                schema_name, _, table_name = target.rpartition(".")
                if not named and table_name not in self.con.list_tables(database=schema_name or None):
                    return None
                expr = self.con.table(table_name, database=schema_name or None)
                label = target
                key = _key_column(name, table, expr.columns)
                if key is not None:
                    expr = expr.order_by(key)
            data = expr.to_pyarrow()
        except DatabaseError:
            raise
        except Exception as exc:  # noqa: BLE001 - Ibis and psycopg raise many kinds
            what = f"query of tables.{name}" if table.query else f"table {table.db_table or name!r}"
            low = str(exc).lower()
            missing = (
                type(exc).__name__ in ("TableNotFound", "UndefinedTable")
                or "does not exist" in low
                or "not found" in low
            )
            problem = "does not exist" if missing else f"cannot be read ({_first_line(str(exc))})"
            raise DatabaseError(
                self.label,
                f"{what}: {problem}",
                f"a table, view or SELECT that exists in the database (tables.{name} in source.yaml)",
            ) from None
        out = io.BytesIO()
        pq.write_table(_plain(data), out, compression="none")
        return Path(label), out.getvalue()


def _key_column(name: str, table, columns) -> str | None:
    """The database column that maps to the table's key (its id), if any."""
    schema = SCHEMAS[name]
    key = next((c for c in schema.columns if kind(schema, c) in ("key",)), None)
    if key is None:
        return None
    for column in columns:
        if table.columns.get(column, column.casefold()) == key:
            return column
    return None


def _plain(data):
    """Arrow types the readers take: decimals as float64, dates as timestamps at midnight."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for col in data.columns:
        if pa.types.is_decimal(col.type):
            col = pc.cast(col, pa.float64())
        elif pa.types.is_date(col.type):
            col = pc.cast(col, pa.timestamp("us"))
        columns.append(col)
    return pa.table(columns, names=data.column_names)


def _first_line(text: str) -> str:
    line = next((x.strip() for x in str(text).splitlines() if x.strip()), "")
    return line[:160]


def open_database(source) -> Database | None:
    """The Database of a Source with ``database``, else None."""
    if source.database is None:
        return None
    return Database(source.database, source.password_env)
