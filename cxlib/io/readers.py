"""Find and open one table's file in a data folder, whatever its format.

Method: the file named in source.yaml, or else the first of ``<table>.csv``,
``<table>.parquet`` and ``<table>.xlsx`` that exists. A file (or a link) whose real path
leaves the data folder is refused before a byte of it is read. The format is recognised from
the first bytes, not the name: Parquet (``PAR1``), an Excel workbook (a ZIP with ``xl/``),
else text read as CSV. Formats that cannot be read (.xls, other ZIP archives, PDF) are named
in the error.
"""

from __future__ import annotations

from pathlib import Path

from cxlib.io.decode import sniff_kind
from cxlib.io.errors import SourceError
from cxlib.io.source import TableSource

__all__ = ["EXTENSIONS", "find_file", "locate", "read_other", "safe_file"]

EXTENSIONS = (".csv", ".parquet", ".xlsx")
"""Default file names tried per table, in this order: ``<table><extension>``."""

_UNREADABLE = {
    "xls": (
        "this is an Excel 97-2003 workbook (.xls), not CSV text",
        "CSV text, an .xlsx workbook or Parquet (save it as .xlsx or CSV)",
    ),
    "zip": ("this is a ZIP archive, not CSV text", "CSV text, an .xlsx workbook or Parquet (unpack it)"),
    "pdf": ("this is a PDF document, not CSV text", "CSV text, an .xlsx workbook or Parquet"),
}


def safe_file(folder: Path, name: str) -> Path | None:
    """``folder/name`` if it is a file inside ``folder`` (links resolved), None if absent.

    Raises SourceError when the file, or a link to it, leads outside the folder: a data
    folder is never a way to read /etc/passwd.
    """
    path = folder / name
    if not (path.exists() or path.is_symlink()):
        return None
    real, home = path.resolve(), folder.resolve()
    if home not in real.parents:
        raise SourceError(name, "the file is a link that leads outside the data folder", f"a file inside {folder}")
    if not real.is_file():
        raise SourceError(name, "not a regular file", "a CSV, Parquet or .xlsx file")
    return path


def find_file(folder: Path, table: TableSource, default: str) -> Path | None:
    """The file of ``table``: the one source.yaml names, else ``<table>.csv|.parquet|.xlsx``."""
    if table.file != default:
        return safe_file(folder, table.file)
    stem = Path(default).stem
    for ext in EXTENSIONS:
        path = safe_file(folder, stem + ext)
        if path is not None:
            return path
    return None


def locate(folder: Path, db, name: str, table: TableSource, default: str):
    """(path, bytes) of table ``name``: from the database ``db`` when there is one (a label and
    Parquet bytes), else from its file in ``folder``; None when the table has neither."""
    if db is not None:
        return db.fetch(name, table)
    path = find_file(folder, table, default)
    return None if path is None else (path, path.read_bytes())


def read_other(path: Path, raw: bytes, table: TableSource, categorical: set[str]):
    """A RawTable for Parquet or .xlsx bytes, None for text (read as CSV by the caller).

    Raises SourceError naming formats that cannot be read (.xls, other ZIP archives, PDF).
    """
    fmt = sniff_kind(raw)
    if fmt == "parquet":
        from cxlib.io.parquetread import read_parquet

        return read_parquet(path, raw, table, categorical)
    if fmt == "xlsx":
        from cxlib.io.xlsxread import read_xlsx

        return read_xlsx(path, raw, table, categorical)
    if fmt in _UNREADABLE:
        problem, expected = _UNREADABLE[fmt]
        raise SourceError(path.name, problem, expected)
    return None
