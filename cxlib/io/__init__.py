"""cxlib.io: load a folder of CSV exports into validated, typed tables (CXData).

`load(path, source=None)` reads, maps (source.yaml), validates (pandera) and quarantines bad
rows; whole-file problems raise `SourceError`. The data contract is in docs/data.md.
"""

from __future__ import annotations

from cxlib.io.cxdata import CXData
from cxlib.io.errors import SourceError
from cxlib.io.loader import load
from cxlib.io.schemas import SCHEMAS, TABLES
from cxlib.io.source import Source, TableSource, read_source

__all__ = ["CXData", "SCHEMAS", "Source", "SourceError", "TABLES", "TableSource", "load", "read_source"]

from cxlib.io.snapshot import open_data, save_snapshot  # noqa: E402

__all__ += ["open_data", "save_snapshot"]
