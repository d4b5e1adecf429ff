"""cxlib.enrich.attach: customer attributes joined on customer_id."""

from __future__ import annotations

import pandas as pd
import pytest

from cxlib.enrich import attach


@pytest.fixture
def customers():
    return pd.DataFrame(
        {
            "customer_id": pd.array(["C1", "C2", "C3"], dtype="string"),
            "segment": pd.Categorical(["smb", "consumer", "smb"]),
            "region": pd.Categorical(["Noord", "Zuid", "Oost"]),
        }
    )


def test_rows_order_and_index_are_kept(customers):
    frame = pd.DataFrame(
        {"customer_id": pd.array(["C3", "C1", "C9", "C3", None], dtype="string"), "nps": [9, 3, 7, 10, 5]},
        index=[10, 11, 12, 13, 14],
    )
    out = attach(frame, customers)
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    assert out["nps"].tolist() == [9, 3, 7, 10, 5]
    assert out["segment"].astype(object).where(out["segment"].notna(), None).tolist() == [
        "smb",
        "smb",
        None,
        "smb",
        None,
    ]
    assert out["region"].astype(object).where(out["region"].notna(), None).tolist() == [
        "Oost",
        "Noord",
        None,
        "Oost",
        None,
    ]
    assert isinstance(out["segment"].dtype, pd.CategoricalDtype)
    assert list(frame.columns) == ["customer_id", "nps"]  # input unchanged


def test_one_column_by_name(customers):
    frame = pd.DataFrame({"customer_id": pd.array(["C2"], dtype="string")})
    assert attach(frame, customers, "region")["region"].tolist() == ["Zuid"]


def test_refuses_ambiguous_input(customers):
    frame = pd.DataFrame({"customer_id": pd.array(["C1"], dtype="string"), "segment": ["x"]})
    with pytest.raises(ValueError, match="already has column"):
        attach(frame, customers)
    with pytest.raises(ValueError, match="no column"):
        attach(frame[["customer_id"]], customers, ["tier"])
    doubled = pd.concat([customers, customers.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="not unique"):
        attach(frame[["customer_id"]], doubled)
    with pytest.raises(ValueError, match="frame has no customer_id"):
        attach(pd.DataFrame({"x": [1]}), customers)
