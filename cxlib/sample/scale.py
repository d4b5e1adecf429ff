"""Scaled benchmark data (`cx sample --scale`): the sample company's tables at any size, written
straight to Parquet in chunks.

Method: every column is drawn with numpy for one chunk of rows at a time (default 5 million)
and written as an Arrow record batch to one Parquet file per table (zstd), so memory stays at a
chunk whatever the size. Ids are formatted by Arrow compute (no Python strings per row);
labels are dictionary arrays; times are int64 microseconds typed as Europe/Amsterdam
timestamps. The shapes follow the sample (eight teams, four regions, two years of
2024-Q4..2026-Q3, NPS/CSAT/CES with their usual spread, ~95% of tickets answered) but the
planted truths of the real sample are not there: this is data for timing, not for teaching.
A few invalid rows are planted per chunk (an out-of-range NPS, a duplicate ticket id) so that
validation has something to find. Deterministic for a seed.
Reference: Apache Arrow, "Writing Parquet files in batches" (pyarrow.parquet.ParquetWriter).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cxlib.paths import TIMEZONE
from cxlib.sample import DEFAULT_SEED
from cxlib.sample.company import LANGUAGES

__all__ = ["CHUNK", "write_scaled"]

CHUNK = 5_000_000
TEAMS = (
    "service-noord",
    "service-oost",
    "service-zuid",
    "service-west",
    "field-noord",
    "field-oost",
    "field-zuid",
    "field-west",
)
REGIONS = ("Noord", "Oost", "Zuid", "West")
FIRST, LAST = pd.Timestamp("2024-10-01", tz=TIMEZONE), pd.Timestamp("2026-10-01", tz=TIMEZONE)
_US = 1_000_000


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded numbers, formatted by Arrow (C001234567)."""
    text = pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(text, width, "0"), "")


def _labels(rng, values: tuple[str, ...], n: int, p=None) -> pa.DictionaryArray:
    codes = rng.choice(len(values), size=n, p=p).astype(np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(values))


def _scores(rng, n: int, low: int, high: int, p, missing: float) -> pa.Array:
    values = rng.choice(np.arange(low, high + 1), size=n, p=p)
    return pa.array(values, mask=rng.random(n) < missing, type=pa.int64())


def _moments(rng, n: int) -> np.ndarray:
    """Microseconds since the epoch, uniform over the two sample years."""
    lo, hi = FIRST.value // 1000, LAST.value // 1000
    return rng.integers(lo, hi, size=n, dtype=np.int64)


def _stamp(us: np.ndarray, mask=None) -> pa.Array:
    return pa.array(us, type=pa.timestamp("us", tz=TIMEZONE), mask=mask)


def _midnights(days: np.ndarray) -> np.ndarray:
    """Local (Amsterdam) midnight, in UTC microseconds, of day numbers since 1970-01-01."""
    unique, inverse = np.unique(days, return_inverse=True)
    local = pd.to_datetime(unique, unit="D").tz_localize(TIMEZONE)
    return local.as_unit("us").asi8[inverse]


def _teams() -> pa.Table:
    return pa.table(
        {
            "team": pa.array(TEAMS),
            "region": pa.array([t.split("-")[1].capitalize() for t in TEAMS]),
            "function": pa.array([t.split("-")[0] for t in TEAMS]),
        }
    )


def _customers(rng, start: int, stop: int) -> pa.Table:
    n = stop - start
    signup = rng.integers(17_500, 20_450, size=n)  # days: 2017-12 .. 2025-12
    churned = rng.random(n) < 0.12
    churn = signup + rng.integers(30, 900, size=n)
    return pa.table(
        {
            "customer_id": _ids("C", np.arange(start, stop), 9),
            "segment": _labels(rng, ("consumer", "smb", "enterprise"), n, [0.7, 0.22, 0.08]),
            "region": _labels(rng, REGIONS, n),
            "signup_date": _stamp(_midnights(signup)),
            "churn_date": _stamp(_midnights(churn), mask=~churned | (churn > 20_600)),
        }
    )


def _responses(rng, start: int, stop: int, customers: int) -> pa.Table:
    n = stop - start
    nps_p = np.array([2, 1, 1, 2, 2, 4, 6, 12, 22, 24, 24], float)
    nps = rng.choice(11, size=n, p=nps_p / nps_p.sum())
    if n:
        nps[rng.integers(n)] = 11  # planted: out of range
    return pa.table(
        {
            "response_id": _ids("R", np.arange(start, stop), 10),
            "customer_id": _ids("C", rng.integers(0, customers, size=n), 9),
            "submitted_at": _stamp(_moments(rng, n)),
            "touchpoint": _labels(rng, ("purchase", "delivery", "installation", "support", "billing"), n),
            "channel": _labels(rng, ("email", "phone", "web", "app"), n),
            "team": _labels(rng, TEAMS, n),
            "nps": pa.array(nps, mask=rng.random(n) < 0.08, type=pa.int64()),
            "csat": _scores(rng, n, 1, 5, [0.05, 0.08, 0.17, 0.35, 0.35], 0.3),
            "ces": _scores(rng, n, 1, 7, [0.04, 0.05, 0.08, 0.13, 0.2, 0.25, 0.25], 0.35),
            "comment": pa.DictionaryArray.from_arrays(
                pa.array(rng.integers(0, 4, size=n).astype(np.int32), mask=rng.random(n) < 0.8),
                pa.array(["Snel geholpen", "Lang gewacht", "Monteur was vriendelijk", "Factuur klopte niet"]),
            ),
            "language": _labels(rng, LANGUAGES, n, [0.85, 0.15]),  # as the sample: nl, then en
        }
    )


def _tickets(rng, start: int, stop: int, customers: int) -> pa.Table:
    n = stop - start
    created = _moments(rng, n)
    first = created + (rng.exponential(4.0, size=n) * 3600 * _US).astype(np.int64)
    resolved = first + (rng.exponential(30.0, size=n) * 3600 * _US).astype(np.int64)
    unanswered = rng.random(n) < 0.05
    ids = _ids("T", np.arange(start, stop), 10)
    if n > 1:
        ids = pc.if_else(pa.array(np.arange(n) == n - 1), ids[0], ids)  # planted: a duplicate id
    return pa.table(
        {
            "ticket_id": ids,
            "customer_id": _ids("C", rng.integers(0, customers, size=n), 9),
            "team": _labels(rng, TEAMS, n),
            "agent_id": pa.DictionaryArray.from_arrays(
                pa.array(rng.integers(0, 400, size=n).astype(np.int32)), pa.array([f"A{i:03d}" for i in range(400)])
            ),
            "channel": _labels(rng, ("email", "phone", "web", "chat"), n),
            "category": _labels(rng, ("question", "complaint", "request"), n, [0.6, 0.15, 0.25]),
            "created_at": _stamp(created),
            "first_response_at": _stamp(first, mask=unanswered),
            "resolved_at": _stamp(resolved, mask=unanswered | (rng.random(n) < 0.05)),
            "escalated": pa.array(rng.random(n) < 0.07),
        }
    )


def write_scaled(
    out: str | Path,
    responses: int,
    tickets: int,
    customers: int | None = None,
    seed: int = DEFAULT_SEED,
    chunk: int = CHUNK,
) -> dict[str, Path]:
    """Write teams, customers, responses and tickets Parquet files of the given sizes into
    ``out`` (customers default to responses / 4); return table → file."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    customers = max(1, responses // 4) if customers is None else customers
    streams = np.random.SeedSequence(seed).spawn(3)
    written = {"teams": out / "teams.parquet"}
    pq.write_table(_teams(), written["teams"])
    makers = {
        "customers": (customers, lambda r, a, b: _customers(r, a, b)),
        "responses": (responses, lambda r, a, b: _responses(r, a, b, customers)),
        "tickets": (tickets, lambda r, a, b: _tickets(r, a, b, customers)),
    }
    for (name, (total, make)), stream in zip(makers.items(), streams):
        rng = np.random.default_rng(stream)
        path = written[name] = out / f"{name}.parquet"
        writer = None
        try:
            for start in range(0, max(total, 1), chunk):
                batch = make(rng, start, min(total, start + chunk))
                if writer is None:
                    writer = pq.ParquetWriter(path, batch.schema, compression="zstd")
                writer.write_table(batch, row_group_size=1 << 20)
                del batch
        finally:
            if writer is not None:
                writer.close()
    return written
