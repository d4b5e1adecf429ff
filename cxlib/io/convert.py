"""`cx convert DIR --to parquet --out DIR2`: a validated Parquet copy of a data folder.

Method: the folder is loaded and validated as usual; every table that has a file is written
as ``<table>.parquet`` with its canonical columns and dtypes (Arrow types: string,
dictionary, int64, bool, timestamp[us, Europe/Amsterdam]), the rejected rows as
``_rejected.parquet``, the ids of rejected customers and teams as ``_known_ids.parquet`` (a
reference to a customer whose own record was rejected is still a known customer), goals.yaml
is copied and ``convert.json`` records where the copy came from (folder, fingerprint,
summary). The copy needs no source.yaml: names and values are already canonical. Loading the
copy validates it again (the same contract), and carries what the original's load knew
(``carry``, ``known_ids``): accepted + rejected still equals the records of the original
files, ``data.rejected`` still names their lines, and references are judged as before.

A verified copy is not validated twice: when convert.json lists the sha256 of every file it
wrote and the cxlib version and contract digest (``contract_digest``) it was validated
under, and all of them still match, ``open_copy`` returns the copy as it was validated.
Any change to a file, a source.yaml beside it, or another version of the rules sends the load
down the full path again.
Reference: Apache Parquet format specification.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cxlib import __version__
from cxlib.io.cxdata import CXData, summary_frame
from cxlib.io.errors import SourceError

__all__ = [
    "KNOWN_IDS_FILE",
    "MANIFEST",
    "REJECTED_FILE",
    "carry",
    "contract_digest",
    "convert",
    "known_ids",
    "open_copy",
]

REJECTED_FILE = "_rejected.parquet"
"""Rejected rows of the original folder, kept beside a converted copy."""
KNOWN_IDS_FILE = "_known_ids.parquet"
"""(table, id) of records read but rejected in tables that others refer to."""
MANIFEST = "convert.json"
_FORMATS = ("parquet",)


def convert(path, out, to: str = "parquet", source=None) -> dict[str, Path]:
    """Write a validated copy of the data folder ``path`` into ``out``; return table → file.

    ``out`` must be another folder, new or empty or an earlier copy (it has convert.json).
    Raises SourceError for whole-file problems of the original, ValueError for bad arguments.
    """
    from cxlib.io.loader import load

    if to not in _FORMATS:
        raise ValueError(f"--to must be one of {', '.join(_FORMATS)}, got {to!r}")
    folder, out = Path(path), Path(out)
    if out.exists() and out.resolve() == folder.resolve():
        raise ValueError(f"--out {out} is the data folder itself; expected another folder")
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file; expected a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise ValueError(
            f"--out {out} holds other files; expected a new or empty folder, or an earlier copy made by cx convert"
        )
    data = load(folder, source)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.iterdir():  # an earlier copy: its tables may no longer exist
        if stale.suffix == ".parquet" or stale.name in (MANIFEST, "goals.yaml"):
            stale.unlink()
    written = {}
    for name in data.files:
        written[name] = _write(data.tables[name], out / f"{name}.parquet")
    _write(data.rejected, out / REJECTED_FILE)
    _write(_rejected_ids(data, folder, source), out / KNOWN_IDS_FILE)
    if data.goals_path is not None:
        shutil.copyfile(data.goals_path, out / "goals.yaml")
    summary = data.summary.copy()
    summary["file"] = [f"{t}.parquet" if t in written else pd.NA for t in summary["table"]]
    files = {p.name: _sha256(p.read_bytes()) for p in sorted(out.iterdir()) if p.is_file()}
    manifest = {
        "converted_from": str(folder.resolve()),
        "fingerprint": data.fingerprint,
        "converted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cxlib": __version__,
        "contract": contract_digest(),
        "files": files,
        "summary": summary.astype(object).where(summary.notna(), None).to_dict("records"),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    return written


def contract_digest() -> str:
    """sha256 of the rules a load enforces: the schemas (columns, kinds, dtypes, checks) and
    the reader's limits. A copy validated under other rules is validated again."""
    from cxlib.io import csvread, parse
    from cxlib.io.schemas import SCHEMAS

    rules = [
        repr(SCHEMAS),
        csvread.MAX_FIELD_BYTES,
        str(parse.EARLIEST),
        sorted(parse.PLANNED),
        parse.INVISIBLE,
        parse.WHOLE_REASON,
    ]
    return _sha256(repr(rules).encode())


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_copy(folder: Path, src) -> CXData | None:
    """The CXData of a verified converted copy in ``folder`` (see the module docstring), or None."""
    from cxlib.io.loader import GOALS_FILE, fingerprint
    from cxlib.io.schemas import SCHEMAS, canonical_dtype

    manifest_path = folder / MANIFEST
    if src.path is not None or not manifest_path.is_file():
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if manifest.get("cxlib") != __version__ or manifest.get("contract") != contract_digest():
        return None
    listed = manifest.get("files") or {}
    present = {p.name for p in folder.iterdir() if p.is_file()}
    if present != set(listed) | {MANIFEST}:
        return None
    contents = {}
    for name, digest in listed.items():
        raw = (folder / name).read_bytes()
        if _sha256(raw) != digest:
            return None
        contents[name] = raw
    tables, files = {}, {}
    for name, schema in SCHEMAS.items():
        file = f"{name}.parquet"
        if file in contents:
            frame = pq.read_table(pa.BufferReader(contents[file])).to_pandas()
            tables[name], files[name] = frame, folder / file
        else:
            tables[name] = pd.DataFrame({c: pd.Series(dtype=canonical_dtype(col)) for c, col in schema.columns.items()})
    rejected = pq.read_table(pa.BufferReader(contents[REJECTED_FILE])).to_pandas()
    summary = summary_frame(manifest["summary"])
    goals = folder / GOALS_FILE
    read = {n: b for n, b in contents.items() if n != KNOWN_IDS_FILE}  # as the full path reads
    return CXData(
        **tables,
        rejected=rejected,
        summary=summary,
        path=folder,
        fingerprint=fingerprint(read),
        goals_path=goals if goals.is_file() else None,
        files=files,
    )


def _rejected_ids(data, folder: Path, source) -> pd.DataFrame:
    """(table, id) of the ids read in tables others refer to, minus the accepted ones."""
    from cxlib.io.csvread import read_raw
    from cxlib.io.mapping import type_columns
    from cxlib.io.schemas import REFERENCES, SCHEMAS, kind
    from cxlib.io.source import read_source

    src = read_source(folder, source)
    parts = []
    for name in dict.fromkeys(REFERENCES.values()):
        if name not in data.files:
            continue
        schema = SCHEMAS[name]
        key = next(c for c in schema.columns if kind(schema, c) == "key")
        path = data.files[name]
        table = src.tables[name]
        rt = read_raw(path, path.read_bytes(), table, set())
        ids = type_columns(schema, table, rt.frame, rt.lines).frame[key]  # as the load maps them
        extra = pd.Index(ids.dropna().unique()).difference(pd.Index(data.tables[name][key]))
        parts.append(pd.DataFrame({"table": name, "id": pd.Series(extra, dtype="string")}))
    if not parts:
        return pd.DataFrame({"table": pd.Series(dtype="string"), "id": pd.Series(dtype="string")})
    return pd.concat(parts, ignore_index=True).astype({"table": "string", "id": "string"})


def known_ids(folder: Path) -> dict[str, pd.Index]:
    """Table → ids read but rejected in the original of a converted copy (empty otherwise)."""
    path = folder / KNOWN_IDS_FILE
    if not path.is_file():
        return {}
    frame = pq.read_table(path).to_pandas()
    return {name: pd.Index(group["id"].astype("string")) for name, group in frame.groupby("table")}


def _write(frame: pd.DataFrame, target: Path) -> Path:
    """``frame`` as Parquet (zstd), written beside ``target`` and renamed into place."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a copy has the usual mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def carry(folder: Path, summary: list[tuple], rejected: list[pd.DataFrame], read: dict[str, bytes]) -> None:
    """Add the rejected rows a converted copy keeps (``_rejected.parquet``) to a load.

    ``summary`` rows (table, file, read, accepted, rejected, ignored, defaults, rows) get the
    carried rows in ``read``, ``rejected`` and ``rows``; the file's bytes join ``read`` (the fingerprint).
    """
    path = folder / REJECTED_FILE
    if not path.is_file():
        return
    raw = path.read_bytes()
    try:
        carried = pq.read_table(pa.BufferReader(raw)).to_pandas()
    except (pa.ArrowInvalid, OSError) as exc:
        raise SourceError(REJECTED_FILE, f"cannot be read ({exc})", "the rejected rows written by cx convert") from None
    read[REJECTED_FILE] = raw
    rejected.insert(0, carried)
    counts = carried.groupby("table").size()
    for i, row in enumerate(summary):
        n = int(counts.get(row[0], 0))
        if n:
            summary[i] = row[:2] + (row[2] + n, row[3], row[4] + n) + row[5:7] + (row[7] + n,)
