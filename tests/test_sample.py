"""The sample company: determinism, file format, sizes and every planted truth.

The truths are recomputed from the committed CSV files in data/sample/ with plain pandas/numpy
(no other cxlib module). Thresholds follow from the planted sizes documented in
data/sample/README.md; each comment says how.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pytest
import yaml

from cxlib.paths import SAMPLE_DATA
from cxlib.sample import generate, write_sample
from cxlib.sample.writer import write_csv

TZ = "Europe/Amsterdam"
FILES = (
    "customers.csv",
    "orders.csv",
    "responses.csv",
    "tickets.csv",
    "observations.csv",
    "pulse.csv",
    "actions.csv",
    "teams.csv",
    "goals.yaml",
    "taxonomy.yaml",
)
DATETIMES = {
    "customers": ["signup_date", "churn_date"],
    "orders": ["order_date"],
    "responses": ["submitted_at"],
    "tickets": ["created_at", "first_response_at", "resolved_at"],
    "observations": ["observed_at"],
    "pulse": ["submitted_on"],
    "actions": ["created_on", "due_on", "done_on"],
    "teams": [],
}
SNOW = pd.Period("2026-01-05", "W")
AUTUMN = [pd.Period(d, "W") for d in ("2025-10-13", "2025-10-20", "2025-10-27", "2025-11-03")]
TRAINED, WEAK = "Service Oost", "Field Zuid"
DONE_ON = pd.Timestamp("2025-07-18", tz=TZ)
# planted team CSAT (% answering 4-5); the trained team steps from 62 to 77 on DONE_ON
TEAM_CSAT = {
    "Service Noord": 81,
    "Service Oost": 62,
    "Service Zuid": 79,
    "Service West": 84,
    "Field Noord": 83,
    "Field Oost": 80,
    "Field Zuid": 76,
    "Field West": 85,
}
# the planted invalid rows of the default sample (data/sample/README.md, "Invalid rows")
INVALID = {
    "responses": {"R0004800", "R0008400", "R0012000", "R0015600", "R0019200"},
    "tickets": {"T0004500", "T0009900", "T0012600", "T0015300"},
    "customers": {"C002400", "C002457"},
    "orders": {"O0002439", "O0004878"},
    "observations": {"OB000960"},
    "pulse": {"P004345"},
    "actions": {"A040"},
}


# ---------------------------------------------------------------------------- loading helpers
def read(name: str, folder: Path = SAMPLE_DATA) -> pd.DataFrame:
    """A sample CSV with its dates and datetimes parsed to Europe/Amsterdam."""
    frame = pd.read_csv(folder / f"{name}.csv", keep_default_na=False, na_values=[""])
    for column in DATETIMES[name]:
        if column.endswith(("_date", "_on")):  # dates: local midnight
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").dt.tz_localize(TZ)
        else:
            frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(TZ)
    return frame


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    return {name: read(name) for name in DATETIMES}


@pytest.fixture(scope="module")
def data(raw) -> dict[str, pd.DataFrame]:
    """The tables without the planted invalid rows, as a validating loader would keep them."""
    out = dict(raw)
    customers = raw["customers"]
    customers = customers[~customers["customer_id"].duplicated(keep=False)]
    out["customers"] = customers[~(customers["churn_date"] < customers["signup_date"])]
    r = raw["responses"]
    in_range = (
        (r["nps"].between(0, 10) | r["nps"].isna())
        & (r["csat"].between(1, 5) | r["csat"].isna())
        & (r["ces"].between(1, 7) | r["ces"].isna())
    )
    scored = r[["nps", "csat", "ces"]].notna().any(axis=1)
    known = r["customer_id"].isin(raw["customers"]["customer_id"])
    r = r[in_range & scored & known & ~r["response_id"].duplicated(keep=False)].copy()
    r["quarter"] = r["submitted_at"].dt.tz_localize(None).dt.to_period("Q")
    r["week"] = r["submitted_at"].dt.tz_localize(None).dt.to_period("W")
    r["sat"] = np.where(r["csat"].notna(), (r["csat"] >= 4).astype(float), np.nan)
    out["responses"] = r.merge(
        customers.drop_duplicates("customer_id")[["customer_id", "segment"]], on="customer_id", how="left"
    )
    t = raw["tickets"]
    t = t[
        ~(t["first_response_at"] < t["created_at"])
        & ~(t["resolved_at"] < t["created_at"])
        & t["customer_id"].isin(raw["customers"]["customer_id"])
    ].copy()
    t["week"] = t["created_at"].dt.tz_localize(None).dt.to_period("W")
    out["tickets"] = t
    out["observations"] = raw["observations"].drop_duplicates(["observation_id", "item"], keep=False)
    return out


def nps(scores: pd.Series) -> float:
    scores = scores.dropna()
    return 100.0 * ((scores >= 9).mean() - (scores <= 6).mean())


def wilson(successes: float, n: float, z: float = 1.959964) -> tuple[float, float]:
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


_HOLIDAYS = np.array(sorted(holidays.Netherlands(years=range(2024, 2028))), dtype="datetime64[D]")


def business_hours_between(start: pd.Series, end: pd.Series) -> np.ndarray:
    """Business hours (Mon-Fri 09:00-17:00, Dutch holidays off) between two datetimes."""

    def position(ts: pd.Series) -> np.ndarray:
        wall = ts.dt.tz_localize(None).to_numpy().astype("datetime64[s]")
        day = wall.astype("datetime64[D]")
        into = np.clip((wall - day).astype(np.int64) - 9 * 3600, 0, 8 * 3600)
        into = into * np.is_busday(day, holidays=_HOLIDAYS)
        whole = np.busday_count(np.datetime64("2024-01-01"), day, holidays=_HOLIDAYS)
        return whole * 8 * 3600 + into

    return (position(end) - position(start)) / 3600.0


# ---------------------------------------------------------------------- determinism and files
def test_regenerating_gives_byte_identical_files(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    write_sample(first, responses=2_000)
    write_sample(second, responses=2_000)
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    write_sample(tmp_path / "c", responses=2_000, seed=7)
    assert (tmp_path / "c" / "responses.csv").read_bytes() != (first / "responses.csv").read_bytes()


def test_committed_sample_equals_a_fresh_default_generation(tmp_path):
    paths = write_sample(tmp_path)
    assert sorted(p.name for p in paths.values()) == sorted(FILES)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLE_DATA / name).read_bytes(), name


def test_sample_sizes_scale_with_responses():
    tables = generate(responses=4_000)
    assert len(tables["responses"]) == 4_000 + 1  # one planted duplicate
    assert len(tables["customers"]) == 1_000 + 1
    assert len(tables["tickets"]) == 3_000


def test_sizes_meet_the_issue(raw):
    assert raw["customers"]["customer_id"].nunique() >= 5_000
    assert len(raw["responses"]) >= 20_000
    assert len(raw["tickets"]) >= 15_000
    assert len(raw["actions"]) >= 40
    assert len(raw["teams"]) >= 6
    assert len(raw["orders"]) > 0 and len(raw["pulse"]) > 0
    assert set(raw["observations"]["source"]) == {"mystery_guest", "coach", "spot_check"}


def test_eight_full_quarters(data):
    for frame, column in ((data["responses"], "submitted_at"), (data["tickets"], "created_at")):
        local = frame[column].dt.tz_localize(None)
        assert local.min() < pd.Timestamp("2024-10-02")
        assert local.max() >= pd.Timestamp("2026-09-30")
        assert local.max() < pd.Timestamp("2026-10-01")
        assert local.dt.to_period("Q").nunique() == 8
    months = data["pulse"]["submitted_on"].dt.tz_localize(None).dt.to_period("M")
    assert months.nunique() == 24 and data["pulse"].groupby("team")["pulse_id"].size().size == 8


def test_file_format():
    text = (SAMPLE_DATA / "tickets.csv").read_bytes().decode("utf-8")
    assert "\r" not in text
    header, first = text.split("\n")[:2]
    assert header == (
        "ticket_id,customer_id,team,agent_id,channel,category,created_at,first_response_at,resolved_at,escalated"
    )
    fields = first.split(",")
    assert re.fullmatch(r"2024-10-01T\d\d:\d\d:\d\d\+02:00", fields[6])
    assert fields[9] in {"true", "false"}
    winter = (SAMPLE_DATA / "responses.csv").read_text(encoding="utf-8")
    assert re.search(r",2026-01-05T\d\d:\d\d:\d\d\+01:00,", winter)  # CET in January
    customers = (SAMPLE_DATA / "customers.csv").read_text(encoding="utf-8").split("\n")
    assert customers[0] == "customer_id,segment,region,signup_date,churn_date"
    assert re.fullmatch(r"C\d{6},\w+,\w+,\d{4}-\d\d-\d\d,(\d{4}-\d\d-\d\d)?", customers[1])
    amounts = read("orders")["amount"]
    assert (amounts.round(2) == amounts).all()


def test_writer_quotes_like_the_csv_module(tmp_path):
    tricky = ["plain", 'say "hi"', "a,b", "two\nlines", "", None, "<b>x</b>; y"]
    frame = pd.DataFrame(
        {
            "id": pd.Series([f"X{i}" for i in range(7)], dtype="string"),
            "comment": pd.Series(tricky, dtype="string"),
            "n": pd.array([1, None, 3, 4, 5, 6, 7], dtype="Int64"),
        }
    )
    write_csv(frame, tmp_path / "t.csv")
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows([f"X{i}", "" if c is None else c, "" if i == 1 else str(i + 1)] for i, c in enumerate(tricky))
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == expected.getvalue()


def test_generated_frames_round_trip_through_the_files(raw):
    frames = generate()
    responses = frames["responses"]
    written = raw["responses"]["comment"].fillna("").tolist()
    assert responses["comment"].fillna("").tolist() == written
    assert (responses["submitted_at"] == raw["responses"]["submitted_at"]).all()
    assert (
        str(responses["nps"].dtype) == "Int64"
        and str(responses["submitted_at"].dtype) == "datetime64[s, Europe/Amsterdam]"
    )


def test_labels_follow_the_contract(raw):
    assert set(raw["customers"]["segment"]) == {"consumer", "smb", "enterprise"}
    assert set(raw["customers"]["region"]) == {"Noord", "Oost", "Zuid", "West"}
    assert set(raw["responses"]["touchpoint"]) == {"purchase", "delivery", "installation", "support", "billing"}
    assert set(raw["tickets"]["category"]) == {"question", "complaint", "request"}
    assert set(raw["observations"]["category"]) == {"standard", "behaviour"}
    behaviour = raw["observations"].query("category == 'behaviour'")["item"]
    assert set(behaviour) == {"initiative", "follow_up", "resolved_before_escalation"}
    assert raw["observations"].query("category == 'standard'")["item"].nunique() >= 3
    assert set(raw["actions"]["status"]) <= {"open", "in_progress", "done", "cancelled"}
    assert raw["pulse"].columns.tolist() == ["pulse_id", "submitted_on", "team", "question", "score"]
    teams = set(raw["teams"]["team"])
    for name in ("responses", "tickets", "observations", "pulse", "actions"):
        assert set(raw[name]["team"]) <= teams, name
    assert set(raw["teams"]["function"]) == {"service", "field"}


def test_scores_mostly_complete(raw):
    r = raw["responses"]
    complete = r[["nps", "csat", "ces"]].notna().all(axis=1).mean()
    assert 0.83 <= complete <= 0.89  # planted 86% carry all three


def test_invalid_rows_are_exactly_the_documented_ones(raw):
    r, t, c = raw["responses"], raw["tickets"], raw["customers"]
    found = {
        "responses": r.loc[
            ~r["nps"].between(0, 10) & r["nps"].notna()
            | ~r["ces"].between(1, 7) & r["ces"].notna()
            | r[["nps", "csat", "ces", "comment"]].isna().all(axis=1)
            | ~r["customer_id"].isin(c["customer_id"])
            | r["response_id"].duplicated(),
            "response_id",
        ],
        "tickets": t.loc[
            (t["first_response_at"] < t["created_at"])
            | (t["resolved_at"] < t["created_at"])
            | ~t["customer_id"].isin(c["customer_id"]),
            "ticket_id",
        ],
        "customers": c.loc[(c["churn_date"] < c["signup_date"]) | c["customer_id"].duplicated(), "customer_id"],
        "orders": raw["orders"].loc[
            (raw["orders"]["amount"] < 0) | ~raw["orders"]["customer_id"].isin(c["customer_id"]), "order_id"
        ],
        "observations": raw["observations"].loc[
            raw["observations"].duplicated(["observation_id", "item"]), "observation_id"
        ],
        "pulse": raw["pulse"].loc[~raw["pulse"]["score"].between(1, 5), "pulse_id"],
        "actions": raw["actions"].loc[
            (raw["actions"]["status"] == "done") & raw["actions"]["done_on"].isna(), "action_id"
        ],
    }
    assert {k: set(v) for k, v in found.items()} == INVALID
    readme = (SAMPLE_DATA / "README.md").read_text(encoding="utf-8")
    for ids in INVALID.values():
        for row_id in ids:
            assert row_id in readme, row_id


def test_nothing_happens_after_churn(data):
    churn = data["customers"].set_index("customer_id")["churn_date"]
    for name, column in (("responses", "submitted_at"), ("tickets", "created_at"), ("orders", "order_date")):
        frame = data[name]
        when = churn.reindex(frame["customer_id"]).to_numpy()
        late = pd.Series(frame[column].dt.normalize().to_numpy() >= when)
        assert not late.any(), name


# ------------------------------------------------------------------------- 1. the snow week
def test_snow_week_ticket_volume_triples(data):
    weekly = data["tickets"].groupby("week").size()
    ratio = weekly[SNOW] / weekly.median()
    assert 2.6 <= ratio <= 3.4  # planted x3, weekly wobble within +-5%


def test_snow_week_first_response_three_times_slower_and_sla_falls(data):
    t = data["tickets"][data["tickets"]["first_response_at"].notna()].copy()
    t["hours"] = business_hours_between(t["created_at"], t["first_response_at"])
    snow, normal = t[t["week"] == SNOW], t[t["week"] != SNOW]
    ratio = snow["hours"].median() / normal["hours"].median()
    assert 2.6 <= ratio <= 3.4  # planted: every delay x3 (stratified draws per channel)
    sla = lambda frame: 100 * (frame["hours"] <= 4).mean()  # noqa: E731
    assert sla(normal) - sla(snow) >= 20  # planted ~88% -> ~60%
    next_week = t[t["week"] == SNOW + 1]
    assert abs(sla(next_week) - sla(normal)) <= 8
    calendar = (snow["first_response_at"] - snow["created_at"]).dt.total_seconds().median() / (
        normal["first_response_at"] - normal["created_at"]
    ).dt.total_seconds().median()
    assert calendar >= 2.5


def test_snow_week_delivery_and_installation_dip_then_recover(data):
    r = data["responses"]
    field = r[r["touchpoint"].isin(["delivery", "installation"])]
    by_week = field.groupby("week").agg(ces=("ces", "mean"), csat=("sat", "mean"))
    around = [SNOW - 2, SNOW - 1, SNOW + 2, SNOW + 3]
    normal = by_week.loc[around].mean()
    # planted latent effort shift -1.2 sd (about -2 CES points) and CSAT 4-5 share ~ -35 points
    assert normal["ces"] - by_week.loc[SNOW, "ces"] >= 1.2
    assert 100 * (normal["csat"] - by_week.loc[SNOW, "csat"]) >= 20
    assert abs(by_week.loc[SNOW + 1, "ces"] - normal["ces"]) <= 0.5
    others = r[~r["touchpoint"].isin(["delivery", "installation", "support"])]
    assert abs(others[others["week"] == SNOW]["ces"].mean() - others["ces"].mean()) <= 0.6


def test_snow_week_comments_mention_snow_and_delay(data):
    r = data["responses"].dropna(subset=["comment"])
    snowy = r["comment"].str.contains(r"sneeuw|snow", case=False)
    delay = r["comment"].str.contains(r"vertraging|delay", case=False)
    week = r[(r["week"] == SNOW) & r["touchpoint"].isin(["delivery", "installation"])]
    assert len(week) >= 15
    assert snowy[week.index].mean() >= 0.65 and delay[week.index].mean() >= 0.65  # planted 85%
    assert not snowy[r["week"] != SNOW].any()


# ---------------------------------------------------------------------- 2. the training effect
def test_training_action_is_recorded(raw):
    action = raw["actions"].set_index("action_id").loc["A019"]
    assert action["team"] == TRAINED and action["kpi"] == "csat" and action["status"] == "done"
    assert action["done_on"] == DONE_ON
    assert action["done_on"].quarter == 3 and action["done_on"].year == 2025
    assert "CSAT" in action["trigger"] and "target" in action["trigger"]


def test_trained_team_csat_rises_about_15_points_others_flat(data):
    r = data["responses"].dropna(subset=["sat"])
    after = r["submitted_at"] >= DONE_ON
    mean = lambda rows: rows.groupby("team")["sat"].mean()  # noqa: E731
    change = 100 * (mean(r[after]) - mean(r[~after]))
    assert 12 <= change[TRAINED] <= 18  # planted 62 -> 77; se of the change ~2 points
    others = change.drop(TRAINED)
    assert (others.abs() <= 5).all() and abs(others.mean()) <= 2.5
    assert change[TRAINED] - others.mean() >= 10  # difference in differences


def test_trained_team_clearly_below_csat_target_before_training(data):
    goals = yaml.safe_load((SAMPLE_DATA / "goals.yaml").read_text(encoding="utf-8"))["goals"]
    target = [k["target"] for g in goals for k in g["kpis"] if k["kpi"] == "csat"][0]
    r = data["responses"].dropna(subset=["sat"])
    q2 = r[(r["team"] == TRAINED) & (r["quarter"] == pd.Period("2025Q2", "Q"))]["sat"]
    low, high = wilson(q2.sum(), len(q2))
    assert len(q2) >= 300 and high < target  # planted 62% against a 75% target
    teams = r[r["quarter"] == pd.Period("2026Q3", "Q")].groupby("team")["sat"].agg(["sum", "size"])
    assert wilson(*teams.loc[TRAINED])[0] > 62  # and no longer after


def test_team_csat_levels_match_the_plant(data):
    r = data["responses"].dropna(subset=["sat"])
    r = r[~((r["team"] == TRAINED) & (r["submitted_at"] >= DONE_ON))]
    level = 100 * r.groupby("team")["sat"].mean()
    for team, planted in TEAM_CSAT.items():
        assert abs(level[team] - planted) <= 1.0, team  # calibrated on the full sample


# ----------------------------------------------------------------------- 3. detractor churn
def test_detractors_churn_two_to_three_times_as_often_as_promoters(data):
    r = data["responses"].dropna(subset=["nps"]).sort_values("submitted_at", kind="stable")
    latest = r.groupby("customer_id")["nps"].last()
    group = pd.cut(latest, [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
    churned = data["customers"].set_index("customer_id")["churn_date"].notna()
    rate = churned.reindex(latest.index).groupby(group.to_numpy(), observed=True).mean()
    assert 2.0 <= rate["detractor"] / rate["promoter"] <= 3.0  # planted hazard ratio 0.10/0.03
    assert rate["promoter"] < rate["passive"] < rate["detractor"]


# ------------------------------------------------------------------------ 4. effort drives NPS
def shapley_shares(frame: pd.DataFrame, target: str, features: list[str]) -> pd.Series:
    """Shapley decomposition of the OLS R^2 over ``features``, as shares of the full R^2."""
    y = frame[target].to_numpy(float)
    total = ((y - y.mean()) ** 2).sum()

    def r2(subset: tuple[str, ...]) -> float:
        if not subset:
            return 0.0
        X = np.column_stack([np.ones(len(y))] + [frame[f].to_numpy(float) for f in subset])
        residual = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
        return 1 - (residual**2).sum() / total

    k = len(features)
    fit = {s: r2(s) for n in range(k + 1) for s in itertools.combinations(features, n)}
    value = {}
    for f in features:
        others = [g for g in features if g != f]
        value[f] = sum(
            math.factorial(n)
            * math.factorial(k - n - 1)
            / math.factorial(k)
            * (fit[tuple(sorted(s + (f,), key=features.index))] - fit[s])
            for n in range(k)
            for s in itertools.combinations(others, n)
        )
    shares = pd.Series(value)
    return shares / shares.sum()


def test_effort_is_the_strongest_driver_of_nps(data):
    r = data["responses"].dropna(subset=["nps", "csat", "ces"])
    shares = shapley_shares(r, "nps", ["ces", "csat"])
    assert shares["ces"] >= 0.6  # planted: loyalty = 0.85 effort + 0.35 own satisfaction + ...

    t = data["tickets"]
    per_customer = pd.DataFrame(
        {
            "tickets": t.groupby("customer_id").size(),
            "complaints": t[t["category"] == "complaint"].groupby("customer_id").size(),
            "escalations": t[t["escalated"]].groupby("customer_id").size(),
        }
    ).fillna(0)
    r = r.join(per_customer, on="customer_id").fillna({c: 0 for c in per_customer})
    shares = shapley_shares(r, "nps", ["ces", "csat", "tickets", "complaints", "escalations"])
    assert shares.idxmax() == "ces" and shares["ces"] >= 0.5


# --------------------------------------------------------------------- 5. the hidden segment
def test_enterprise_billing_falls_while_the_total_stays_flat(data):
    r = data["responses"]
    total = r.groupby("quarter")["nps"].apply(nps)
    hidden = r[(r["segment"] == "enterprise") & (r["touchpoint"] == "billing")]
    line = hidden.groupby("quarter")["nps"].apply(nps)
    assert len(line) == 8 and hidden.groupby("quarter")["nps"].count().min() >= 60
    slope = np.polyfit(np.arange(8), line.to_numpy(), 1)[0]
    assert -9 <= slope <= -5  # planted -7 points a quarter (+20 -> -29)
    assert (np.diff(line.to_numpy()) < 0).sum() >= 6 and line.iloc[0] - line.iloc[-1] >= 35
    assert total.max() - total.min() <= 3  # planted flat at 31 (+-0.5 wobble)
    assert abs(np.polyfit(np.arange(8), total.to_numpy(), 1)[0]) <= 0.5


# ----------------------------------------------------------------------- 6. the second peak
def test_autumn_peak_and_snow_week_are_the_only_robust_outliers(data):
    weekly = data["tickets"].groupby("week").size()
    weekly = weekly.iloc[1:-1]  # the first and last weeks are partial
    median = weekly.median()
    mad = (weekly - median).abs().median()
    for scale in (1.0, 1.4826):  # raw and normal-consistent MAD
        flagged = set(weekly.index[weekly > median + 3 * scale * mad])
        assert flagged == set(AUTUMN) | {SNOW}
    autumn = weekly[AUTUMN] / median
    assert ((autumn >= 1.6) & (autumn <= 2.0)).all()  # planted x1.8
    assert weekly[SNOW] > weekly[AUTUMN].max()


# --------------------------------------------------------------------- 7. weak follow-up
def test_one_team_fails_follow_up_and_compliance_goes_with_csat(data):
    ob = data["observations"]
    follow_up = 100 * ob[ob["item"] == "follow_up"].groupby("team")["passed"].mean()
    assert follow_up[WEAK] <= 50  # planted 42%
    assert (follow_up.drop(WEAK) >= 65).all()  # planted >= 64% (trained team before training)
    csat = 100 * data["responses"].groupby("team")["sat"].mean()
    standard = 100 * ob[ob["category"] == "standard"].groupby("team")["passed"].mean()
    behaviour = 100 * ob[ob["category"] == "behaviour"].groupby("team")["passed"].mean()
    assert np.corrcoef(csat[standard.index], standard)[0, 1] >= 0.8  # planted slope 0.8
    assert np.corrcoef(csat[behaviour.index], behaviour)[0, 1] >= 0.4
    assert np.corrcoef(csat[follow_up.index], follow_up)[0, 1] > 0


def test_standard_compliance_matches_the_plant(data):
    ob = data["observations"]
    std = ob[(ob["category"] == "standard") & (ob["team"] != TRAINED)]
    rate = 100 * std.groupby("team")["passed"].mean()
    for team, level in rate.items():
        assert abs(level - (86 + 0.8 * (TEAM_CSAT[team] - 80))) <= 3.5, team  # n ~ 1,200


# ------------------------------------------------------------------------------ 8. comments
PRAISE = (
    r"\b(?:top|prima|netjes|keurig|tevreden|fijn|vriendelijke?|great|excellent|happy|"
    r"thanks?|recommended|perfect(?:ly)?|aanrader|dank|handig|handy|smooth(?:ly)?|soepel|"
    r"vlot|compliment(?:en|s)?|vakman|vakkundig|professional|skilled|nice|pleasant|"
    r"prettig|promptly|quick(?:ly)?|lightning|razendsnel|supersnel)\b"
)
PROBLEM = (
    r"\b(?:niet|nooit|geen|niemand|slecht|fout|foute|verkeerde?|kapotte?|onvriendelijk|"
    r"kortaf|lekte|rommel|slordig|lawaai|beschadigd|ontbrak|onacceptabel|onduidelijke?|"
    r"teleurgesteld|helaas|jammer|vast|traag|ingewikkeld|te lang|te veel|twee keer|"
    r"drie keer|zonder|later dan|onbeleefd|bot|kouder|aanmaning|hoger|not|never|nobody|"
    r"no|wrong|rude|damaged|missing|unacceptable|twice|three times|unclear|disappointed|"
    r"unfortunately|shame|freezing|slow|complicated|mess|leaked|noisy|sloppy|colder|ages|"
    r"blunt|lose|impolitely|reminder|too long|too much|higher|later than|without|"
    r"incomplete|cannot)\b"
)
PII = (
    r"[\w.]+@[\w.]+\.\w+|(?:\+31 6 \d{4} \d{4}|\b06-?\d{8}\b|\b020-\d{7}\b)"
    r"|\bNL\d{2} ?[A-Z]{4} ?\d{4} ?\d{4} ?\d{2}\b|\b\d{4} ?[A-Z]{2} \d{1,3}\b"
)


def test_comment_languages_and_share(data):
    r = data["responses"]
    comments = r.dropna(subset=["comment"])
    assert 0.30 <= len(comments) / len(r) <= 0.40  # planted 25-50% by NPS group
    assert 0.67 <= (comments["language"] == "nl").mean() <= 0.73  # planted 70% Dutch customers


def test_comment_tone_fits_the_score(data):
    c = data["responses"].dropna(subset=["comment", "nps"])
    praise = c["comment"].str.contains(PRAISE, case=False, regex=True)
    problem = c["comment"].str.contains(PROBLEM, case=False, regex=True)
    detractors, promoters = c["nps"] <= 6, c["nps"] >= 9
    assert problem[detractors].mean() >= 0.85 and praise[detractors].mean() <= 0.02
    assert praise[promoters].mean() >= 0.75 and problem[promoters].mean() <= 0.02


def test_comment_themes_follow_the_touchpoint(data):
    c = data["responses"].dropna(subset=["comment"])
    themes = {
        "billing": r"factuur|rekening|afgeschreven|invoice|bill|charged",
        "installation": r"monteur|installatie|geïnstalleerd|installer|engineer|install",
        "delivery": r"lever|bezorg|deliver",
    }
    for touchpoint, pattern in themes.items():
        mentions = c["comment"].str.contains(pattern, case=False, regex=True)
        share = mentions[c["touchpoint"] == touchpoint].mean()
        assert share >= 0.55, touchpoint  # planted 65-70% of comments on the main theme
        assert share > 2 * mentions[c["touchpoint"] == "purchase"].mean()


def test_personal_data_html_and_multiline_comments(raw):
    c = raw["responses"]["comment"].dropna()
    pii = c.str.contains(PII, regex=True)
    assert 0.008 <= pii.mean() <= 0.012  # planted exactly round(1% of comments)
    kinds = {
        "email": r"@",
        "phone": r"\+31 6|\b06-?\d{8}|\b020-",
        "iban": r"\bNL\d{2} ?[A-Z]{4}",
        "postcode": r"\b\d{4} ?[A-Z]{2} \d{1,3}\b",
    }
    for kind, pattern in kinds.items():
        assert c.str.contains(pattern, regex=True).sum() >= 10, kind
    html = c.str.contains(r"<\s*(?:script|b|i|img|a|div)\b", regex=True)
    assert 5 <= html.sum() <= 0.002 * len(c)
    assert c.str.contains("<script>alert(1)</script>", regex=False).any()
    assert c.str.contains("\n").mean() >= 0.02  # planted 4%, quoted multi-line fields


# ------------------------------------------------------------------------------------- goals
CATALOGUE = {
    "nps",
    "csat",
    "ces",
    "churn_rate",
    "complaint_rate",
    "first_response_time",
    "sla_attainment",
    "compliance",
    "behaviour",
    "actions_done",
}


def test_goals_use_few_catalogue_kpis_with_sensible_targets(data):
    goals = yaml.safe_load((SAMPLE_DATA / "goals.yaml").read_text(encoding="utf-8"))["goals"]
    kpis = [k for g in goals for k in g["kpis"]]
    assert all(len(g["kpis"]) <= 3 for g in goals) and len(kpis) <= 7
    assert {k["kpi"] for k in kpis} <= CATALOGUE
    assert all(k["direction"] in {"higher", "lower"} and k["cadence"] == "quarter" for k in kpis)
    target = {k["kpi"]: k["target"] for k in kpis}
    q3 = data["responses"][data["responses"]["quarter"] == pd.Period("2026Q3", "Q")]
    sat = q3["sat"].dropna()
    assert wilson(sat.sum(), len(sat))[0] > target["csat"]  # met
    ces = q3["ces"].dropna()
    assert ces.mean() + 1.96 * ces.std() / math.sqrt(len(ces)) < target["ces"]  # missed
    p, d = (q3["nps"] >= 9).sum(), (q3["nps"] <= 6).sum()
    n = q3["nps"].notna().sum()
    pa, da, na = (p + 0.75) / (n + 3), (d + 0.75) / (n + 3), n + 3  # adjusted Wald
    upper = 100 * (pa - da + 1.96 * math.sqrt((pa + da - (pa - da) ** 2) / na))
    assert upper < target["nps"]  # missed


# ------------------------------------------------------------------- a bigger company (--teams)
@pytest.fixture(scope="module")
def sixteen():
    """16 teams (each base team and one copy) with 24,000 responses: 1,500 per team."""
    return generate(responses=24_000, teams=16)


def test_eight_teams_is_the_default_company():
    a, b = generate(responses=2_000), generate(responses=2_000, teams=8)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_more_teams_are_copies_of_the_base_teams(sixteen):
    teams = sixteen["teams"]
    copies = teams[teams["team"].str.endswith(" 2")]
    assert len(teams) == 16 and len(copies) == 8 and teams["team"].is_unique
    base = teams.set_index("team")
    for name in copies["team"]:  # a copy lies in its base team's region and function
        assert tuple(base.loc[name, ["region", "function"]]) == tuple(base.loc[name[:-2], ["region", "function"]])
    for table in ("responses", "tickets", "observations", "pulse"):
        assert set(sixteen[table]["team"].dropna()) == set(teams["team"]), table
    # customers are spread evenly over a region's copies: each copy serves about half the base load
    served = sixteen["responses"]["team"].value_counts()
    for name in copies["team"]:
        assert 0.8 <= served[name] / served[name[:-2]] <= 1.25, name
    # ticket agents of a copy have their own ids
    agents = sixteen["tickets"].dropna(subset=["agent_id"])
    assert agents[agents["team"] == "Service Noord 2"]["agent_id"].str.startswith("SN2-").all()
    assert not sixteen["tickets"].groupby("agent_id")["team"].nunique().gt(1).any()


def test_copies_keep_their_base_levels_and_one_off_truths_stay_with_the_named_team(sixteen):
    r = sixteen["responses"].dropna(subset=["csat"])
    r = r.assign(sat=r["csat"] >= 4, after=r["submitted_at"] >= DONE_ON)
    level = 100 * r[~r["after"] | (r["team"] != TRAINED)].groupby("team")["sat"].mean()
    for team, planted in TEAM_CSAT.items():
        # calibrated per team on ~1,300 answers: within 1 point like the default sample
        assert abs(level[team] - planted) <= 1.0 and abs(level[f"{team} 2"] - planted) <= 1.0, team
    trained = 100 * r[r["team"] == TRAINED].groupby("after")["sat"].mean()
    copy = 100 * r[r["team"] == f"{TRAINED} 2"].groupby("after")["sat"].mean()
    assert trained[True] - trained[False] >= 12  # the named team's training (planted +15) …
    assert abs(copy[True] - copy[False]) <= 5  # … is not its copy's
    ob = sixteen["observations"]
    follow_up = 100 * ob[ob["item"] == "follow_up"].groupby("team")["passed"].mean()
    assert follow_up[WEAK] <= 50 and follow_up[f"{WEAK} 2"] >= 65  # weak follow-up: Field Zuid only


def test_too_few_teams_is_refused():
    with pytest.raises(ValueError, match="teams must be at least 8"):
        generate(responses=2_000, teams=7)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--scale", "--teams", "16"], "--teams is for the sample company"),
        (["--tickets", "100"], "--tickets is for --scale data"),
    ],
)
def test_cx_sample_refuses_an_option_its_mode_would_ignore(tmp_path, capsys, arguments, message):
    from cxlib.cli import main

    assert main(["sample", "--out", str(tmp_path / "out"), *arguments]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
