"""The review page's content (issue 14): signals triaged, overdue actions, peak episodes, page one.

Expected values come from the planted truths in data/sample/README.md or are derived by hand
from the raw CSV files in the test itself (said so at each one); none is copied from the code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import cxlib as cx
from cxlib import display, paths
from cxlib.catalogue import kpi_inputs_missing, missing_inputs, report_sections
from cxlib.i18n import code_label, date_range, label
from cxlib.kpi.measure import TOTAL
from cxlib.monitor.signals import triage
from cxlib.monitor.story import review_story
from cxlib.report.page import review_page


# ---- overdue actions: one list for tile, table and signal ---------------------------------------
def _overdue_by_hand(last_day: dt.date) -> dict[str, int]:
    """Actions overdue at the end of ``last_day``, read from actions.csv with the rule written out:
    due before the next day, status neither done nor cancelled (none of the sample's done actions
    was done after its period). Value: calendar days from the due date to ``last_day``."""
    raw = pd.read_csv(paths.SAMPLE_DATA / "actions.csv", dtype=str, keep_default_na=False)
    out = {}
    for action_id, status, due in zip(raw["action_id"], raw["status"], raw["due_on"]):
        due_day = dt.date.fromisoformat(due)
        if status not in ("done", "cancelled") and due_day <= last_day:
            out[action_id] = (last_day - due_day).days
    return out


@pytest.mark.parametrize(
    ("period", "last_day"),
    [
        ("2026-Q3", dt.date(2026, 9, 30)),  # the data end on 30 September (README: export at 1 October)
        ("2026-Q1", dt.date(2026, 3, 31)),
        ("2026-03", dt.date(2026, 3, 31)),
    ],
)
def test_overdue_actions_are_listed_with_owner_due_date_and_days(sample, period, last_day):
    late = cx.overdue_actions(sample, period)
    expected = _overdue_by_hand(last_day)
    if period == "2026-Q1":
        # the planted open actions on Field Zuid's follow-up (README truth 7): only A025 was due by then
        assert expected == {"A025": 102}
    assert dict(zip(late["action_id"], late["days_overdue"])) == expected
    assert late["days_overdue"].is_monotonic_decreasing
    owners = pd.read_csv(paths.SAMPLE_DATA / "actions.csv", dtype=str).set_index("action_id")["owner"]
    assert late["owner"].tolist() == owners.loc[late["action_id"]].tolist()


def test_overdue_counts_agree_across_tile_table_and_signal(sample):
    """Zuid's table said 0 overdue and its signal 3 (issue 14): now every count is the list's length."""
    for unit in ("", "Zuid", "Noord"):
        page = review_page(sample, "2026-Q3", "region", unit, "nl")
        listed = page["overdue"]
        signal = page["signals"][page["signals"]["kind"] == "action_overdue"]
        own = signal[signal["in_unit"]]
        assert (int(own["value"].iloc[0]) if len(own) else 0) == len(listed), unit
        tiles = display.tiles(page["review"], "nl", overdue=listed).data
        actions_tile = re.search(r'data-kpi="actions_done">(.*?)</div></div>', tiles).group(1)
        if len(listed):
            assert f"{len(listed)} over de deadline" in actions_tile, unit
        table = display.overdue(listed, "nl", "2026-Q3").data
        assert table.count("<tr>") - 1 == len(listed) or (len(listed) == 0 and "<table" not in table), unit


def test_actions_are_counted_not_sampled(sample):
    """Five actions due in 2026-Q1, all done (actions.csv: A029, A031, A032, A033, A034; A030 is
    cancelled): the tile shows 100%, not 'too few responses'."""
    review = cx.review_table(sample, "2026-Q1", lang="nl")
    row = review.set_index("kpi").loc["actions_done"]
    assert not row["suppressed"] and row["n"] == 5 and row["value"] == 100.0


# ---- signals --------------------------------------------------------------------------------------
def _alert(kind, kpi, group, value, reference, severity="high", period="2026-Q1"):
    return {
        "severity": severity,
        "kind": kind,
        "kpi": kpi,
        "group": group,
        "period": period,
        "value": value,
        "reference": reference,
    }


def test_triage_folds_teams_into_one_line_per_kpi_and_kind():
    alerts = pd.DataFrame(
        [
            _alert("target_missed", "sla_attainment", TOTAL, 79.3, 87.0),
            _alert("target_missed", "sla_attainment", "Team B", 70.0, 87.0),
            _alert("target_missed", "sla_attainment", "Team A", 74.0, 87.0),
            _alert("control_break", "csat", "Team C", 90.0, 80.0, severity="low"),  # better than its centre line
            _alert("control_break", "first_response_time", "Team A", 3.0, 2.0),  # lower is better: worse
        ]
    )
    lines = triage(alerts, unit="Oost", lang="en", of_groups=3)
    assert lines["kind"].tolist() == ["target_missed", "control_break_worse", "control_break_better"]
    first = lines.iloc[0]
    assert first["in_unit"] and first["value"] == 79.3 and first["n_groups"] == 2 and first["of_groups"] == 3
    assert first["message"] == (
        "Answered within the SLA misses the target of 87.0% in 2026-Q1 — Oost: 79.3%; "
        "also 2 of 3 teams: Team B 70.0%, Team A 74.0%."
    )  # worst team first
    assert lines.iloc[2]["message"].startswith(
        "Customer satisfaction (CSAT) better than its usual range in 2026-Q1 — Oost: in 1 of 3 teams: Team C 90.0%"
    )
    assert lines["rank"].tolist() == [1, 2, 3] and lines["shown"].all()
    assert not triage(alerts, "Oost", "en", top=2)["shown"].iloc[2]


@pytest.fixture(scope="module")
def q1_pages(sample):
    return {
        unit: review_page(sample, "2026-Q1", "region", unit, lang)
        for unit, lang in (("", "nl"), ("Oost", "en"), ("Zuid", "nl"))
    }


def test_signals_name_their_own_unit_and_period_and_show_at_most_seven(q1_pages):
    for unit, page in q1_pages.items():
        found = page["signals"]
        lang = page.key.lang
        assert found["shown"].sum() <= 7 and len(found) >= 1
        name = unit or label("whole_company", lang)
        assert (found["unit"] == name).all()
        for message in found["message"]:
            assert "2026-Q1" in message and f"— {name}:" in message, message
            if unit:  # a region's report never labels its figures with the company's name
                assert label("whole_company", lang) not in message, message


def test_every_signal_of_the_unit_carries_the_number_on_its_tile(q1_pages):
    for unit, page in q1_pages.items():
        found, review = page["signals"], page["review"].set_index("kpi")
        for row in found[found["in_unit"]].itertuples(index=False):
            if row.kind == "action_overdue":
                assert row.value == len(page["overdue"]), (unit, row.message)
            elif row.kind in ("target_missed", "control_break_worse", "control_break_better", "significant_drop"):
                if review.loc[row.kpi, "compared_on"] != "value":
                    continue  # tested on another statistic (none since issue 13: see the test below)
                assert row.value == pytest.approx(review.loc[row.kpi, "value"]), (unit, row.message)


def test_response_time_signals_carry_the_median_of_the_tile(q1_pages):
    page = q1_pages[""]
    found, review = page["signals"], page["review"].set_index("kpi")
    rows = found[found["in_unit"] & (found["kpi"] == "first_response_time")]
    assert len(rows)
    assert np.allclose(rows["value"], review.loc["first_response_time", "value"])


def test_signals_of_the_snow_quarter_are_a_handful_of_lines_not_fifty(sample):
    """The company's 2026-Q1 alerts number about fifty, one per team (issue 14); folded they are
    one line per KPI and kind."""
    raw = cx.alerts(sample, "2026-Q1", lang="nl")
    folded = cx.signals(sample, "2026-Q1", lang="nl", alerts=raw)
    assert len(raw) >= 30 and len(folded) <= 12
    assert folded.groupby(["kpi", "kind"]).size().max() == 1
    sla = folded[(folded["kpi"] == "sla_attainment") & (folded["kind"] == "target_missed")].iloc[0]
    assert sla["rank"] == 1 and sla["of_groups"] == 8  # eight teams in teams.csv


# ---- peak episodes --------------------------------------------------------------------------------
def _censored_median(sample, monday: str) -> float:
    """Median business hours (Mon–Fri 09–17 Amsterdam, Dutch holidays off) to the first response of
    the tickets created in the week from ``monday``; unanswered ones that waited past 4 business
    hours by the last time in the tickets count as ∞ (written out here with numpy's busday)."""
    import holidays

    off = np.array(sorted(holidays.Netherlands(years=range(2024, 2028))), dtype="datetime64[D]")

    def position(ts):  # business seconds since 2024-01-01
        wall = ts.dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None).to_numpy().astype("datetime64[s]")
        day = wall.astype("datetime64[D]")
        into = np.clip((wall - day).astype(np.int64) - 9 * 3600, 0, 8 * 3600) * np.is_busday(day, holidays=off)
        return np.busday_count(np.datetime64("2024-01-01"), day, holidays=off) * 8 * 3600 + into

    t = sample.tickets
    start = pd.Timestamp(monday, tz="Europe/Amsterdam")
    week = t[(t["created_at"] >= start) & (t["created_at"] < start + pd.Timedelta(days=7))]
    answered = week["first_response_at"].notna().to_numpy()
    hours = (position(week["first_response_at"].fillna(week["created_at"])) - position(week["created_at"])) / 3600
    last = t[["created_at", "first_response_at", "resolved_at"]].max().max()
    waited = (position(pd.Series(last, index=week.index)) - position(week["created_at"])) / 3600
    return float(np.median(np.where(answered, hours, np.inf)[answered | (waited > 4)]))


def test_the_snow_quarter_names_the_snow_week_with_its_effects(sample):
    """README truth 1: 5–11 January 2026, 510 tickets against a median week of 166 (3.07×); median
    first response 3.76 against 1.29 business hours of the answered tickets; SLA 50.6% against 86.0% counting unanswered
    tickets as missed; CSAT of delivery and installation falls (so does the total)."""
    found = cx.episodes(sample.tickets, sample.responses, "2026-Q1").set_index("kpi")
    assert found["episode"].unique().tolist() == ["2026-01-05"]
    first = found.iloc[0]
    assert first["start"].date() == dt.date(2026, 1, 5) and first["end"].date() == dt.date(2026, 1, 11)
    assert first["tickets"] == 510 and first["normal_per_week"] == 166
    assert first["volume_ratio"] == pytest.approx(510 / 166)
    # issue 13: the median counts the 15 unanswered snow-week tickets (past the 4-hour target) as
    # slower than every answered one, so it is the median of 495 business-hour times and 15 × ∞
    # (by hand below), above the README's 3.76 of the answered tickets alone
    assert found.loc["first_response_time", "value"] == pytest.approx(_censored_median(sample, "2026-01-05"), abs=1e-6)
    assert found.loc["first_response_time", "value"] > 3.76
    assert 1.29 <= found.loc["first_response_time", "value_normal"] <= 1.29 + 0.1  # README 1.29, answered only
    assert found.loc["sla_attainment", "value"] == pytest.approx(50.6, abs=0.1)
    assert found.loc["sla_attainment", "value_normal"] == pytest.approx(86.0, abs=0.2)
    assert found["significant"].all() and found["worse"].all()


def test_a_period_shows_only_its_own_episodes(sample):
    """README truth 6: the autumn peak, 13 Oct – 9 Nov 2025 (four weeks of 300, 295, 300, 299
    tickets), without slower responses (a peak plan was in place)."""
    autumn = cx.episodes(sample.tickets, sample.responses, "2025-Q4").set_index("kpi")
    assert autumn["episode"].unique().tolist() == ["2025-10-13"]
    assert autumn["weeks"].iloc[0] == 4 and autumn["tickets"].iloc[0] == 300 + 295 + 300 + 299
    assert not autumn.loc["first_response_time", "significant"]
    assert cx.episodes(sample.tickets, sample.responses, "2026-Q3").empty
    assert cx.episodes(sample.tickets, sample.responses, "2026-02").empty
    assert cx.episodes(sample.tickets, sample.responses, "2026-01")["episode"].unique().tolist() == ["2026-01-05"]


# ---- page one ------------------------------------------------------------------------------------
def _review_row(kpi, value, low, high, **extra):
    row = {
        "kpi": kpi,
        "value": value,
        "ci_low": low,
        "ci_high": high,
        "suppressed": False,
        "compared_on": "value",
        "status": "no_target",
        "target": np.nan,
        "previous_period": "2025-Q4",
        "year_period": "2025-Q1",
        "value_prev": value,
        "change_prev": 0.0,
        "change_prev_low": -1.0,
        "change_prev_high": 1.0,
        "significant_prev": False,
        "change_year": np.nan,
        "change_year_low": np.nan,
        "change_year_high": np.nan,
        "significant_year": pd.NA,
    }
    row.update(extra)
    return row


def test_what_changed_lists_significant_findings_only_worse_first_with_intervals():
    review = pd.DataFrame(
        [
            _review_row(
                "csat",
                82.0,
                80.0,
                84.0,
                change_prev=3.0,
                change_prev_low=1.0,
                change_prev_high=5.0,
                significant_prev=True,
            ),  # better
            _review_row(
                "sla_attainment",
                79.3,
                77.7,
                80.9,
                status="missed",
                target=87.0,
                change_prev=-6.7,
                change_prev_low=-8.8,
                change_prev_high=-4.7,
                significant_prev=True,
            ),  # worse and missed
            _review_row("nps", 31.5, 28.8, 34.3, change_prev=0.5, change_prev_low=-3.4, change_prev_high=4.3),  # noise
            _review_row("ces", 4.95, 4.89, 5.02, status="missed", target=5.3),  # missed, no change
        ]
    )
    story = review_story(review, "2026-Q1", "en")
    what = story[story["part"] == "what"]
    assert what["kpi"].tolist() == ["sla_attainment", "ces", "csat"]
    assert what["text"].iloc[0] == (
        "Answered within the SLA: 79.3% in 2026-Q1, significantly worse than in 2025-Q4 "
        "(−6.7 percentage points; 95% interval −8.8 to −4.7 percentage points). "
        "It misses the target of 87.0%."
    )
    assert "95% interval 4.89 to 5.02" in what["text"].iloc[1]
    assert "nps" not in what["kpi"].tolist()  # a change inside its interval is no finding
    assert len(review_story(pd.concat([review] * 2), "2026-Q1", "en").query("part == 'what'")) == 3


def test_the_first_period_of_the_data_says_so_instead_of_a_change(sample):
    page = review_page(sample, "2024-Q4", "region", "", "en")
    what = page["story"][page["story"]["part"] == "what"]
    assert what["kind"].iloc[0] == "first_period" and len(what) <= 3
    assert what["text"].iloc[0] == "No previous quarter in the data: changes cannot be judged yet."
    assert set(what["kind"].iloc[1:]) <= {"missed"}  # only targets can be judged
    html = display.tiles(page["review"], "en").data
    assert html.count("no previous quarter") >= 7


def test_page_one_of_the_snow_quarter_explains_and_proposes(q1_pages):
    story = q1_pages[""]["story"]
    what, why, todo = (story[story["part"] == p] for p in ("what", "why", "todo"))
    assert 1 <= len(what) <= 3 and what["text"].str.contains("95%-interval").all()
    assert "sla_attainment" in what["kpi"].tolist()  # README: the snow quarter misses the SLA target
    assert why["text"].str.contains("Piek 5–11 januari 2026").any()
    assert why["text"].str.contains("klantinspanning|Customer Effort Score").any()  # README truth 4: effort drives NPS
    assert len(todo[todo["kind"] == "proposal"]) == 3
    assert todo[todo["kind"] == "overdue"]["text"].str.contains("A025 Field Zuid \\(Joost Verbeek, 102 dagen").any()


# ---- sections follow the data ----------------------------------------------------------------------
def test_sections_declare_their_inputs_and_say_what_would_enable_them(sample):
    assert set(report_sections()) >= {"trends", "segments", "drivers", "peaks", "process", "feedback", "actions"}
    assert all(not missing_inputs(sample, s) for s in report_sections())
    survey_only = replace(
        sample,
        tickets=sample.tickets.iloc[0:0],
        actions=sample.actions.iloc[0:0],
        observations=sample.observations.iloc[0:0],
        responses=sample.responses.drop(columns=["ces", "csat"]),
    )
    assert missing_inputs(survey_only, "peaks") == ("tickets.created_at",)
    assert missing_inputs(survey_only, "drivers")  # NPS alone has nothing to be driven by
    page = review_page(survey_only, "2026-Q3", "region", "Noord", "en")
    for section in ("peaks", "process", "actions", "drivers"):
        assert not page.available(section)
        assert page.missing(section) == label(f"section_needs.{section}", "en")
        assert page.missing(section) in display.section(page, section, "en").data
    assert page["episodes"] is None and page["drivers"] is None and page["overdue"] is None
    assert page.available("trends") and page["trends"]["kpi"].unique().tolist() == ["nps"]
    # KPIs whose tables the folder lacks are left off the tiles (kpi_inputs_missing), not shown empty
    assert kpi_inputs_missing(survey_only, "sla_attainment") == ("tickets.first_response_at", "tickets.created_at")
    assert kpi_inputs_missing(survey_only, "nps") == ()
    assert "nps" in page.kpis and not {"sla_attainment", "first_response_time", "complaint_rate", "actions_done"} & set(
        page.kpis
    )
    assert set(page["review"]["kpi"]) == set(page.kpis)


# ---- texts --------------------------------------------------------------------------------------------
def test_codes_are_shown_through_labels_and_dates_in_the_report_language():
    assert code_label("touchpoint", "installation", "nl") == "installatie"
    assert code_label("item", "follow_up", "nl") == "opvolging"
    assert code_label("segment", "enterprise", "nl") == "grootzakelijk"
    assert code_label("team", "Service Oost", "nl") == "Service Oost"  # a name, not a code
    assert code_label("segment", pd.NA, "nl") == "–"
    assert date_range(dt.date(2026, 1, 5), dt.date(2026, 1, 11), "nl") == "5–11 januari 2026"
    assert date_range(dt.date(2025, 10, 13), dt.date(2025, 11, 9), "en") == "13 October – 9 November 2025"


def test_charts_are_images_with_alt_text(sample):
    import matplotlib

    matplotlib.use("Agg")
    page = review_page(sample, "2026-03", "region", "", "nl")
    html = display.trend_chart(page["trends"], "csat", "nl", page["targets"].get("csat")).data
    alt = re.search(r'alt="([^"]+)"', html).group(1)
    assert alt.startswith("Lijngrafiek van Klanttevredenheid (CSAT) per maand, 2025-04 tot 2026-03")
    assert "doel van 75,0%" in alt and "<img" in html and "No description" not in html
