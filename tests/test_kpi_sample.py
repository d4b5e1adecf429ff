"""Every KPI function on the sample company honours the tidy-frame contract (skipped until generated)."""

import pandas as pd
import pytest

import cxlib.kpi as kpi
from cxlib import paths
from cxlib.catalogue import load_catalogue

pytestmark = pytest.mark.skipif(
    not (paths.SAMPLE_DATA / "responses.csv").exists(), reason="data/sample not generated yet"
)

CORE = ["period", "kpi", "n", "value", "ci_low", "ci_high", "suppressed"]


def test_every_catalogue_kpi_runs_on_the_sample(sample):
    seen = set()
    for info in load_catalogue().values():
        frame = kpi.measure(sample, info.key, freq="quarter")
        rows = frame[frame["kpi"] == info.key]
        assert len(rows) >= 8, info.key  # eight quarters in the sample
        assert list(frame.columns[:7]) == CORE
        assert (rows.loc[~rows["suppressed"], "ci_low"] <= rows.loc[~rows["suppressed"], "value"]).all()
        low, high = info.range
        values = rows["value"].dropna()
        assert low is None or (values >= low).all()
        assert high is None or (values <= high).all()
        seen.add(info.key)
    assert seen == set(load_catalogue())


def test_sample_cuts_by_customer_columns(sample):
    out = kpi.nps(sample.responses, by=["segment", "touchpoint"], freq="quarter", customers=sample.customers)
    assert set(out["segment"].dropna().astype(str)) <= {"consumer", "smb", "enterprise"}
    assert isinstance(out["touchpoint"].dtype, pd.CategoricalDtype)
