"""cx.subset: one unit's slice, cut as cx.measure groups the rows (customer columns, teams.csv columns, own columns).

Expected rows come from the definitions in docs/architecture.md, written out as plain pandas
filters on the sample (not from subset itself); the KPI comparisons check that a unit's figure
equals that unit's row of the grouped computation, which is what the report relies on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxlib as cx


def _served_by(frame: pd.DataFrame, teams) -> int:
    return int(frame["team"].isin(list(teams)).sum())


def test_a_region_selects_its_customers_and_everything_they_did(sample):
    unit = cx.subset(sample, "region", "Noord")
    customers = set(sample.customers.loc[sample.customers["region"] == "Noord", "customer_id"])
    assert set(unit.customers["customer_id"]) == customers
    for name in ("orders", "responses", "tickets"):
        frame = getattr(sample, name)
        assert len(getattr(unit, name)) == int(frame["customer_id"].isin(customers).sum()), name
    assert set(unit.teams["team"]) == {"Service Noord", "Field Noord"}
    assert set(unit.actions["team"]) <= {"Service Noord", "Field Noord"}


def test_a_team_selects_the_responses_and_tickets_it_served_and_keeps_the_customers(sample):
    unit = cx.subset(sample, "team", "Field Oost")
    assert len(unit.customers) == len(sample.customers)  # customer-base KPIs are not a team's own
    assert len(unit.responses) == _served_by(sample.responses, ["Field Oost"]) > 0
    assert len(unit.tickets) == _served_by(sample.tickets, ["Field Oost"]) > 0
    assert set(unit.observations["team"]) == set(unit.pulse["team"]) == {"Field Oost"}


def test_a_function_selects_the_responses_and_tickets_its_teams_served(sample):
    field = sample.teams.loc[sample.teams["function"] == "field", "team"].astype(str)
    unit = cx.subset(sample, "function", "field")
    assert set(unit.teams["team"]) == set(field) and len(field) == 4  # one field team per region
    assert len(unit.responses) == _served_by(sample.responses, field) > 0
    assert len(unit.tickets) == _served_by(sample.tickets, field) > 0
    assert set(unit.actions["team"]) <= set(field)


def test_a_column_of_the_rows_themselves_cuts_those_rows(sample):
    unit = cx.subset(sample, "touchpoint", "delivery")
    assert len(unit.responses) == int((sample.responses["touchpoint"] == "delivery").sum()) > 0
    assert len(unit.customers) == len(sample.customers) and len(unit.actions) == len(sample.actions)


def test_an_unknown_dimension_is_an_error(sample):
    # issue 12 item 5: the error names the usable label columns (the sample's, README "Tables")
    with pytest.raises(ValueError, match="'colour' is not a label column of the data; usable: .*region.*touchpoint"):
        cx.subset(sample, "colour", "blue")


@pytest.mark.parametrize(
    ("by", "unit"), [("team", "Service West"), ("function", "field"), ("region", "Zuid"), ("touchpoint", "delivery")]
)
def test_a_units_kpi_equals_its_row_of_the_grouped_kpi(sample, by, unit):
    grouped = cx.measure(sample, "nps", by=by, period="2026-Q3")
    row = grouped[grouped[by].astype("string") == unit].iloc[0]
    alone = cx.measure(cx.subset(sample, by, unit), "nps", period="2026-Q3").iloc[0]
    assert alone["n"] == row["n"] > 0
    assert np.isclose(alone["value"], row["value"])
