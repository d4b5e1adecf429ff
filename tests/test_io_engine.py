"""load(DIR, engine="duckdb") and KPIs in the engine (issue 17, item 3): the same contract and
the same frames as the in-memory path, on the sample company and on its Parquet copy."""

from __future__ import annotations

import pandas as pd
import pytest

import cxlib as cx
from cxlib import paths
from cxlib.io import SourceError, load
from cxlib.io.convert import convert


@pytest.fixture(scope="module")
def lazy():
    data = load(paths.SAMPLE_DATA, engine="duckdb")
    yield data
    data.close()


@pytest.fixture(scope="module")
def lazy_copy(tmp_path_factory):
    out = tmp_path_factory.mktemp("copy") / "parquet"
    convert(paths.SAMPLE_DATA, out)
    data = load(out, engine="duckdb")
    yield data
    data.close()


def problems(rejected: pd.DataFrame) -> list[tuple]:
    """(table, column, value, reason) of each rejected record, sorted (lines differ where a
    quoted comment spans lines: DuckDB numbers records, the loader physical lines)."""
    cols = ["table", "column", "value", "reason"]
    return sorted(tuple(None if pd.isna(v) else v for v in row) for row in rejected[cols].itertuples(index=False))


def test_the_engine_rejects_what_the_loader_rejects(lazy, sample):
    pd.testing.assert_frame_equal(lazy.summary, sample.summary)
    got, want = problems(lazy.rejected), problems(sample.rejected)
    # the engine shows a blamed pair of columns without their joined values
    assert [g[:2] + g[3:] for g in got] == [w[:2] + w[3:] for w in want]
    assert [g[2] for g in got if g[1] != "observation_id, item"] == [
        w[2] for w in want if w[1] != "observation_id, item"
    ]


def test_collected_tables_equal_the_loaded_ones(lazy, sample):
    collected = lazy.collect()
    for name, frame in sample.tables.items():
        key = frame.columns[0]
        a = collected.tables[name].sort_values(key, kind="stable").reset_index(drop=True)
        b = frame.sort_values(key, kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, obj=name)


@pytest.mark.parametrize("key", ["nps", "csat", "ces"])
@pytest.mark.parametrize(
    "by, period, freq",
    [
        (None, None, None),
        ("team", None, "quarter"),
        (["touchpoint", "channel"], None, "month"),
        (["region", "segment"], "2026-Q1", "quarter"),
        ("language", None, "year"),
        ("function", "2025", "year"),
    ],
)
def test_survey_kpis_equal_the_in_memory_frames(lazy, sample, key, by, period, freq):
    # region, segment: from customers; function: from teams (as cx.measure attaches them)
    want = cx.measure(sample, key, by=by, period=period, freq=freq)
    pd.testing.assert_frame_equal(cx.measure(lazy, key, by=by, period=period, freq=freq), want)


@pytest.mark.parametrize("key", ["compliance", "behaviour"])
@pytest.mark.parametrize("by", [None, "team", ["source", "item"]])
def test_observation_kpis_equal_the_in_memory_frames(lazy, sample, key, by):
    want = cx.measure(sample, key, by=by)
    pd.testing.assert_frame_equal(cx.measure(lazy, key, by=by), want)


def test_a_parquet_copy_gives_the_same_frames(lazy_copy, sample):
    summary = lazy_copy.summary
    pd.testing.assert_frame_equal(summary.drop(columns="file"), sample.summary.drop(columns="file"))
    assert len(lazy_copy.rejected) == len(sample.rejected)  # carried from the original
    want = cx.measure_many(sample, ["nps", "csat", "ces"], by="region")
    got = cx.measure_many(lazy_copy, ["nps", "csat", "ces"], by="region")
    for key, frame in want.items():
        pd.testing.assert_frame_equal(got[key], frame, obj=key)


def test_options_reach_the_finish_step(lazy, sample):
    options = {"confidence": 0.9, "min_n": 500, "method": "bootstrap", "n_resamples": 300, "seed": 3}
    want = cx.measure(sample, "nps", by="team", **options)
    pd.testing.assert_frame_equal(cx.measure(lazy, "nps", by="team", **options), want)


def test_what_the_engine_does_not_do_is_said(lazy, tmp_path):
    with pytest.raises(NotImplementedError, match="needs the rows"):
        cx.measure(lazy, "first_response_time")
    (tmp_path / "source.yaml").write_text("delimiter: ';'\n")
    with pytest.raises(SourceError, match="cx convert"):
        load(tmp_path, engine="duckdb")
    with pytest.raises(ValueError, match="engine must be one of pandas, duckdb"):
        load(paths.SAMPLE_DATA, engine="spark")


def test_the_temporary_folder_is_removed_on_close():
    from pathlib import Path

    data = load(paths.SAMPLE_DATA, engine="duckdb")
    home = Path(data.con.raw_sql("SELECT current_setting('temp_directory')").fetchall()[0][0]).parent
    assert home.is_dir() and oct(home.stat().st_mode & 0o777) == "0o700"
    data.close()
    assert not home.exists()


def test_a_failed_open_leaves_no_database_and_a_killed_ones_is_removed_next_time(tmp_path, monkeypatch):
    """The engine's folder holds a typed copy of the data: a load that fails removes it at once,
    and the folder a killed process left (nobody holds its lock) goes with the next load."""
    import os
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    base = tmp_path / f"cx-duckdb-{os.getuid()}"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "customers.csv").write_text("customer_id\nK1\n")
    (bad / "responses.csv").write_bytes(b"PK\x03\x04" + bytes(60))  # an archive, not a CSV
    with pytest.raises(SourceError, match="reads CSV and Parquet, not zip"):
        load(bad, engine="duckdb")
    assert list(base.glob("run-*")) == []
    killed = base / "run-killed"
    killed.mkdir()
    (killed / "lock").write_text("12345")
    (killed / "cx.duckdb").write_bytes(b"a typed copy of the data")
    data = load(paths.SAMPLE_DATA, engine="duckdb")
    try:
        assert not killed.exists() and len(list(base.glob("run-*"))) == 1  # only this load's own
    finally:
        data.close()
    assert list(base.glob("run-*")) == []


def test_the_engine_follows_the_contracts_defaults(tmp_path):
    # issue 12 in the engine: responses alone, without ids, touchpoint or channel; one blank
    # touchpoint; a comment without a score kept; a record with no answer at all rejected.
    (tmp_path / "responses.csv").write_text(
        "submitted_at,touchpoint,nps,comment\n"
        "2025-01-10T10:00:00+01:00,delivery,9,\n"
        "2025-01-11T10:00:00+01:00,,,Lang gewacht\n"
        "2025-01-12T10:00:00+01:00,support,,\n",
        encoding="utf-8",
    )
    want = load(tmp_path)
    lazy = load(tmp_path, engine="duckdb")
    try:
        pd.testing.assert_frame_equal(lazy.summary, want.summary)
        # written out by hand: the line numbers as ids, one customer per response, 'unknown'
        assert lazy.summary.set_index("table").loc["responses", "defaults"] == (
            "response_id: the record's line number (not in the file); customer_id: response_id "
            "(not in the file; one per record); touchpoint: unknown where empty (1); "
            "channel: unknown (not in the file)"
        )
        got = lazy.collect()
        assert got.responses["response_id"].tolist() == ["2", "3"]
        assert got.responses["customer_id"].tolist() == ["2", "3"]
        assert got.responses["touchpoint"].astype(str).tolist() == ["delivery", "unknown"]
        pd.testing.assert_frame_equal(got.responses, want.responses)
        assert (
            problems(lazy.rejected)
            == problems(want.rejected)
            == [
                (
                    "responses",
                    "nps, csat, ces, comment",
                    None,
                    "no answer (expected at least one of nps, csat, ces, comment)",
                )
            ]
        )
    finally:
        lazy.close()


def test_the_engine_needs_one_file(tmp_path):
    with pytest.raises(SourceError, match="no data files found"):
        load(tmp_path, engine="duckdb")
