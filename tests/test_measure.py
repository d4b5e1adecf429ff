"""cx.measure: one entry point for every catalogue KPI, a period label computes that period only."""

from __future__ import annotations

import csv

import pandas as pd
import pandas.testing as pdt
import pytest

import cxlib as cx
from cxlib import kpi, paths
from cxlib.catalogue import kpi_keys
from cxlib.kpi import Unavailable, measure, measure_many


def _hand_nps_by_region(period: str) -> dict[str, tuple[int, float]]:
    """NPS per region of the quarter ``period`` straight from the sample CSV files (csv module only).

    The quarter of an answer is read from its local date: the timestamps carry the Amsterdam
    offset, so the first seven characters (YYYY-MM) are the local month. Promoters score 9–10,
    detractors 0–6 (Reichheld 2003); NPS = 100·(promoters − detractors)/n over answers with a score.
    """
    year, quarter = period.split("-Q")
    months = {f"{year}-{3 * (int(quarter) - 1) + m:02d}" for m in (1, 2, 3)}
    with open(paths.SAMPLE_DATA / "customers.csv", encoding="utf-8", newline="") as fh:
        region = {row["customer_id"]: row["region"] for row in csv.DictReader(fh)}
    counts: dict[str, list[int]] = {}
    with open(paths.SAMPLE_DATA / "responses.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["submitted_at"][:7] not in months or row["nps"] == "":
                continue
            score = int(row["nps"])
            tally = counts.setdefault(region[row["customer_id"]], [0, 0, 0])  # n, promoters, detractors
            tally[0] += 1
            tally[1] += score >= 9
            tally[2] += score <= 6
    return {r: (n, 100.0 * (p - d) / n) for r, (n, p, d) in counts.items()}


def test_nps_by_region_for_one_quarter_matches_a_hand_count(sample):
    out = cx.measure(sample, "nps", by="region", period="2026-Q3")
    assert set(out["period"]) == {"2026-Q3"}  # that quarter only
    hand = _hand_nps_by_region("2026-Q3")
    assert sorted(out["region"].astype(str)) == sorted(hand)
    for row in out.itertuples(index=False):
        n, value = hand[str(row.region)]
        assert row.n == n
        assert row.value == pytest.approx(value, abs=1e-9)
    # and the same numbers as the all-quarters computation, filtered
    full = kpi.nps(sample.responses, by="region", customers=sample.customers)
    full = full[full["period"] == "2026-Q3"].reset_index(drop=True)
    pdt.assert_frame_equal(out, full, check_dtype=False)


@pytest.mark.parametrize("key", kpi_keys())
def test_one_period_equals_that_period_of_every_period(sample, key):
    """Asking for one label computes only that period, with the numbers of the full computation
    (also the seeded bootstrap of first_response_time and the customer-base windows)."""
    by = None if key in ("churn_rate", "complaint_rate") else "region"
    for period in ("2026-Q3", "2025-Q1"):
        one = measure(sample, key, by=by, period=period)
        every = measure(sample, key, by=by)
        every = every[every["period"] == period].reset_index(drop=True)
        assert set(one["period"]) <= {period}
        pdt.assert_frame_equal(one, every, check_dtype=False)


def test_months_and_years_by_label(sample):
    month = measure(sample, "csat", period="2026-03")
    every = measure(sample, "csat", freq="month")
    assert month["value"].iloc[0] == every.set_index("period").loc["2026-03", "value"]
    assert list(measure(sample, "csat", period="2025")["period"]) == ["2025"]
    assert list(measure(sample, "csat", freq=None)["period"]) == ["all"]


def test_freq_that_contradicts_the_label_is_an_error(sample):
    with pytest.raises(ValueError, match="freq"):
        measure(sample, "nps", period="2026-03", freq="quarter")
    with pytest.raises(ValueError, match="grain, not a period label"):
        measure(sample, "nps", period="quarter")
    with pytest.raises(ValueError, match="not a period label"):
        measure(sample, "nps", period="2026-Q5")
    with pytest.raises(KeyError, match="unknown KPI"):
        measure(sample, "loyalty")


def test_kpis_sharing_a_function_are_computed_once(sample, monkeypatch):
    calls = []
    real = kpi.response_times

    def counting(*args, **kwargs):  # the real function, counted
        calls.append(kwargs.get("period"))
        return real(*args, **kwargs)

    monkeypatch.setattr(kpi, "response_times", counting)
    frames = measure_many(sample, ["first_response_time", "sla_attainment", "nps"], period="2026-Q3")
    assert calls == ["2026-Q3"]
    assert set(frames) == {"first_response_time", "sla_attainment", "nps"}
    assert set(frames["sla_attainment"]["kpi"]) == {"sla_attainment"}


def test_by_columns_are_attached_and_unusable_cuts_are_named(sample):
    by_function = measure(sample, "compliance", by="function", period="2026-Q3")  # teams.csv column
    assert set(by_function["function"].astype(str)) == {"service", "field"}
    by_segment = measure(sample, "csat", by="segment", period="2026-Q3")  # customers.csv column
    assert set(by_segment["segment"].astype(str)) == {"consumer", "smb", "enterprise"}
    with pytest.raises(Unavailable, match="customer columns"):
        measure(sample, "churn_rate", by="team")
    frames = measure_many(sample, ["churn_rate", "csat"], by="team", period="2026-Q3", skip_unavailable=True)
    assert list(frames) == ["csat"]


def test_a_mapping_of_tables_works_and_missing_tables_are_named(sample):
    out = measure({"responses": sample.responses}, "ces", period="2026-Q3")
    assert out["n"].iloc[0] > 0
    with pytest.raises(Unavailable, match="needs the table"):
        measure({"responses": sample.responses}, "compliance")


def test_options_go_where_the_catalogue_says(sample):
    as_of = pd.Timestamp("2026-09-30 23:59", tz="Europe/Amsterdam")
    frames = measure_many(sample, ["nps", "actions_done"], period="2026-Q3", as_of=as_of)  # nps takes no as_of
    assert set(frames) == {"nps", "actions_done"}
    with pytest.raises(TypeError, match="taken by none"):
        measure_many(sample, ["nps"], sla_hours=4)
