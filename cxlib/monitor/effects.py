"""Action effects: did the KPI of the owning team move after a done action, more than elsewhere?

For each done action (actions.csv: team, kpi, done_on) with a KPI that can be cut by team:

1. Windows. The quarter (grain ``freq``) holding done_on is left out, since the action took effect
   somewhere inside it. *Before* = the ``before`` periods preceding it, *after* = the ``after``
   periods following it (default 2 and 2 quarters).
2. Cells. The KPI engine computes the KPI for four cells: the owning team and the control
   teams (default: all other teams; ``control="function"``: the other teams of the same
   function; or a list of team names), before and after. One call of the catalogue function
   with ``by=["arm", "phase"]`` and ``freq=None`` (``cx.measure``), so each cell pools its window's rows.
3. Difference-in-differences (Card & Krueger 1994; Angrist & Pischke 2009, ch. 5):
   DiD = (team after − team before) − (control after − control before). The control teams'
   change stands in for what would have happened to the team without the action (common
   trends), which removes shocks that hit every team, such as a snow week or a season.
4. Interval: the sampling variance of the four cells plus the variance of team-level shocks
   estimated from the control teams (see ``diff_in_diff``), Student t with J − 1 df; before that
   (the textbook version) a normal approximation with independent cells, se = √(Σ se²cell), DiD ± z·se,
   p = 2·(1 − Φ(|DiD|/se)). The cell standard errors follow the catalogue's compare test:
   proportions (two_proportion_z) √(p(1 − p)/n) in percentage points; NPS (nps_z) the
   adjusted-Wald se of ``nps_adjusted_wald`` (Rocks 2016); means (welch) sd/√n; medians
   (median_z, first_response_time) the half-width of the bootstrap interval over z. The cells
   of Card & Krueger's Table 3 are combined the same way. Benjamini–Hochberg over all actions
   of the result (Benjamini & Hochberg 1995) gives ``p_adjusted`` and ``significant``.

Caveats: teams are not randomised; other actions in the same windows (on any team) blur the
contrast; a KPI with few answers per team gives wide intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cxlib.catalogue import kpi_info
from cxlib.io.cxdata import table
from cxlib.io.schemas import TIME_COLUMNS
from cxlib.kpi.measure import Unavailable, kpi_tables, measure
from cxlib.periods import period_codes, period_labels
from cxlib.stats import benjamini_hochberg, fcr_confidence, nps_adjusted_wald

__all__ = ["action_effects", "diff_in_diff", "effect_cells"]

ARMS = ("team", "control")
PHASES = ("before", "after")
EFFECT_COLUMNS = [
    "action_id",
    "team",
    "kpi",
    "done_on",
    "done_period",
    "before_periods",
    "after_periods",
    "compared_on",
    "n_team_before",
    "n_team_after",
    "n_control_before",
    "n_control_after",
    "team_before",
    "team_after",
    "control_before",
    "control_after",
    "change_team",
    "change_control",
    "did",
    "se",
    "shock_sd",
    "df",
    "ci_low",
    "ci_high",
    "ci_level",
    "p_value",
    "p_adjusted",
    "significant",
    "complete",
    "confounded_by",
    "direction",
    "improved",
    "verdict",
]
CELL_COLUMNS = [
    "action_id",
    "team",
    "kpi",
    "arm",
    "phase",
    "periods",
    "n",
    "value",
    "ci_low",
    "ci_high",
    "suppressed",
    "estimate",
    "se",
    "complete",
    "control_team",
]


def _cell_se(frame: pd.DataFrame, key: str) -> tuple[np.ndarray, np.ndarray]:
    """The compared estimate and its standard error per row of a tidy KPI frame (see module doc)."""
    info = kpi_info(key)

    def col(name):
        return frame[name].to_numpy(dtype="float64", na_value=np.nan)

    estimate = col(info.compare_on)
    n = col("n")
    with np.errstate(divide="ignore", invalid="ignore"):
        if info.test == "two_proportion_z":
            p = col("value") / 100.0
            se = 100.0 * np.sqrt(p * (1.0 - p) / n)
        elif info.test == "nps_z":
            se = np.asarray(nps_adjusted_wald(col("promoters"), col("passives"), col("detractors"))[3])
        elif info.test == "welch":
            se = col("sd") / np.sqrt(n)
        elif info.test == "median_z":  # the median's bootstrap interval, half-width / z
            se = (col("ci_high") - col("ci_low")) / (2.0 * 1.959964)
        else:  # poisson_z: a count over an exposure
            se = 1000.0 * np.sqrt(col("complaints")) / n
    suppressed = frame["suppressed"].to_numpy(dtype=bool)
    return np.where(suppressed, np.nan, estimate), np.where(suppressed, np.nan, se)


def _windows(code: int, before: int, after: int) -> tuple[np.ndarray, np.ndarray]:
    """Period codes of the before and after windows around the period ``code`` (left out)."""
    return np.arange(code - before, code), np.arange(code + 1, code + after + 1)


def _label(codes, freq) -> str:
    labels = period_labels(np.asarray(codes), freq)
    return str(labels[0]) if len(labels) == 1 else f"{labels[0]}–{labels[-1]}"


def _control_teams(data, team: str, control, teams_seen) -> list[str]:
    if control is None:
        return [t for t in teams_seen if t != team]
    if isinstance(control, str):
        teams = table(data, "teams")
        if teams is None or control not in teams.columns:
            raise ValueError(f"control={control!r}: teams.csv has no such column")
        own = teams.loc[teams["team"] == team, control]
        if own.empty:
            return []
        same = teams.loc[teams[control] == own.iloc[0], "team"].astype("string")
        return [t for t in same if t != team]
    return [t for t in control if t != team]


def effect_cells(
    data,
    actions: pd.DataFrame | None = None,
    *,
    before: int = 2,
    after: int = 2,
    freq: str = "quarter",
    control=None,
    confidence: float = 0.95,
    min_n: int | None = None,
) -> pd.DataFrame:
    """The four cells (team/control × before/after) of every done action, from the KPI engine.

    ``actions`` defaults to the data's action ledger; rows with status "done", a done_on date
    and a catalogue KPI that can be cut by team are used. Windows, control group and standard
    errors as in the module docstring. Columns: action_id, team, kpi, arm ("team" or
    "control"), phase ("before" or "after"), periods (e.g. "2025-Q1–2025-Q2"), n, value,
    ci_low, ci_high, suppressed (the tidy KPI frame of the cell), estimate (the compared
    column: value), se, complete (every period of the window
    holds data in the KPI's table). Cells without rows are absent.
    """
    if before < 1 or after < 1:
        raise ValueError("before and after must be at least one period")
    actions = table(data, "actions") if actions is None else actions
    done = actions[
        (actions["status"].astype("string") == "done").fillna(False).to_numpy(dtype=bool)
        & actions["done_on"].notna().to_numpy()
    ]
    done = done.sort_values(["done_on", "action_id"], kind="stable")
    done_code = period_codes(done["done_on"], freq)
    parts = []
    for action, code in zip(done.itertuples(index=False), done_code):  # a few dozen actions
        key = str(action.kpi)
        try:
            info = kpi_info(key)
            tables = kpi_tables(data, info, "team")
        except (KeyError, Unavailable):  # not a catalogue KPI, or not one to cut by team
            continue
        if info.groups != info.tables[0]:  # churn and complaints group customers, not team rows
            continue
        rows = tables[0]
        code_rows = period_codes(rows[TIME_COLUMNS[info.tables[0]]], freq)
        window_before, window_after = _windows(code, before, after)
        seen = np.unique(code_rows[code_rows >= 0])
        complete = {
            "before": bool(np.isin(window_before, seen).all()),
            "after": bool(np.isin(window_after, seen).all()),
        }
        phase = np.where(
            np.isin(code_rows, window_before), "before", np.where(np.isin(code_rows, window_after), "after", "")
        )
        team = str(action.team)
        teams_seen = sorted(pd.unique(rows["team"].dropna().astype("string")))
        controls = _control_teams(data, team, control, teams_seen)
        row_team = rows["team"].astype("string")
        arm = np.where(
            (row_team == team).fillna(False), "team", np.where(row_team.isin(controls).fillna(False), "control", "")
        )
        keep = (phase != "") & (arm != "")
        subset = rows[keep].assign(
            arm=pd.Categorical(arm[keep], categories=list(ARMS)),
            phase=pd.Categorical(phase[keep], categories=list(PHASES)),
        )
        if subset.empty:
            continue
        cut = {**dict(zip(info.tables, tables)), info.tables[0]: subset}
        frame = measure(cut, key, by=["arm", "phase"], freq=None, confidence=confidence, min_n=min_n)
        placebo = subset[subset["arm"] == "control"]
        if not placebo.empty:  # each control team on its own: the team-level shocks (see diff_in_diff)
            cut[info.tables[0]] = placebo.assign(arm=placebo["team"].astype("string"))
            per_team = measure(cut, key, by=["arm", "phase"], freq=None, confidence=confidence, min_n=min_n)
            p_est, p_se = _cell_se(per_team, key)
            parts.append(
                pd.DataFrame(
                    {
                        "action_id": str(action.action_id),
                        "team": team,
                        "kpi": key,
                        "arm": "placebo",
                        "phase": per_team["phase"].astype("string"),
                        "periods": "",
                        "n": per_team["n"].to_numpy(dtype="int64"),
                        "value": per_team["value"],
                        "ci_low": per_team["ci_low"],
                        "ci_high": per_team["ci_high"],
                        "suppressed": per_team["suppressed"].to_numpy(dtype=bool),
                        "estimate": p_est,
                        "se": p_se,
                        "complete": True,
                        "control_team": per_team["arm"].astype("string"),
                    }
                )
            )
        estimate, se = _cell_se(frame, key)
        periods = np.where(
            frame["phase"].astype("string") == "before", _label(window_before, freq), _label(window_after, freq)
        )
        parts.append(
            pd.DataFrame(
                {
                    "action_id": str(action.action_id),
                    "team": team,
                    "kpi": key,
                    "arm": frame["arm"].astype("string"),
                    "phase": frame["phase"].astype("string"),
                    "periods": periods,
                    "n": frame["n"].to_numpy(dtype="int64"),
                    "value": frame["value"],
                    "ci_low": frame["ci_low"],
                    "ci_high": frame["ci_high"],
                    "suppressed": frame["suppressed"].to_numpy(dtype=bool),
                    "estimate": estimate,
                    "se": se,
                    "complete": [complete[str(p)] for p in frame["phase"]],
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in CELL_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    if "control_team" not in out.columns:
        out["control_team"] = pd.NA
    for col in ("action_id", "team", "kpi", "arm", "phase", "periods", "control_team"):
        out[col] = out[col].astype("string")
    return out


def _shock_variance(cells: pd.DataFrame, index: pd.Index) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Between-team variance of the before-after change (tau^2), the control teams J and sum w_j^2.

    From the ``placebo`` cells (each control team alone): change_j = after_j − before_j with
    sampling variance v_j = se²after + se²before. tau² = max(0, var_j(change_j) − mean_j(v_j)), the
    method-of-moments between-team variance (DerSimonian & Laird 1986, Controlled Clinical Trials
    7:177–188), here the variance of team-level shocks that no amount of answers averages away.
    w_j = the team's share of the pooled control answers.
    """
    nan = np.full(len(index), np.nan)
    placebo = cells[cells["arm"] == "placebo"] if "arm" in cells.columns else cells.iloc[:0]
    if placebo.empty:
        return np.zeros(len(index)), nan, nan
    keys = list(index.names)
    wide = placebo.pivot_table(
        index=keys + ["control_team"], columns="phase", values=["estimate", "se", "n"], aggfunc="first", observed=True
    )
    if ("estimate", "before") not in wide.columns or ("estimate", "after") not in wide.columns:
        return np.zeros(len(index)), nan, nan
    change = wide[("estimate", "after")] - wide[("estimate", "before")]
    var = wide[("se", "after")] ** 2 + wide[("se", "before")] ** 2
    n = wide[("n", "after")] + wide[("n", "before")]
    frame = pd.DataFrame({"change": change, "var": var, "n": n}).dropna().reset_index()
    grouped = frame.groupby(keys, observed=True)
    tau2 = (grouped["change"].var(ddof=1) - grouped["var"].mean()).clip(lower=0)
    teams = grouped.size()
    w2 = grouped["n"].apply(lambda x: float(np.sum((x / x.sum()) ** 2)))

    def reindex(x):
        return x.reindex(index).to_numpy(dtype="float64")

    return np.nan_to_num(reindex(tau2)), reindex(teams), reindex(w2)


def diff_in_diff(cells: pd.DataFrame, confidence: float = 0.95, alpha: float | None = None) -> pd.DataFrame:
    """Difference-in-differences per action from its cells (``effect_cells`` columns).

    did = (team after − team before) − (control after − control before) on ``estimate``.
    Variance: the sampling variance of the four cells, √(Σ se²), plus the variance of team-level
    shocks, which hit the one treated team fully and the pooled control teams only through their
    average: tau²·(1 + Σw_j²) with tau² the between-team variance of the control teams' own
    changes (``placebo`` cells; DerSimonian & Laird 1986 moments). With J control teams the
    interval and p-value use Student t with J − 1 degrees of freedom, the small-cluster
    correction of Donald & Lang (2007), REStat 89(2):221–233; with one treated group this is the
    setting of Conley & Taber (2011), REStat 93(1):113–125. Without placebo cells: tau² = 0 and
    the normal distribution (the textbook DiD of Card & Krueger 1994, AER 84(4), Table 3).

    One adjustment over the actions (``alpha``, default 1 − ``confidence``): p_adjusted is
    Benjamini–Hochberg, intervals are at the Benjamini–Yekutieli FCR level ``ci_level``
    (``cxlib.stats.fcr_confidence``), and significant = that interval excludes 0.
    """
    alpha = 1.0 - confidence if alpha is None else float(alpha)
    keys = ["action_id", "team", "kpi"]
    main = cells[cells["arm"].isin(ARMS)] if "arm" in cells.columns else cells
    wide_est = main.pivot_table(
        index=keys, columns=["arm", "phase"], values="estimate", aggfunc="first", dropna=False, observed=True
    )
    wide_se = main.pivot_table(
        index=keys, columns=["arm", "phase"], values="se", aggfunc="first", dropna=False, observed=True
    )
    wide_n = main.pivot_table(
        index=keys, columns=["arm", "phase"], values="n", aggfunc="first", dropna=False, observed=True
    )
    index = main.drop_duplicates(keys).set_index(keys).index

    def pick(wide, arm, phase):
        if (arm, phase) not in wide.columns:
            return np.full(len(index), np.nan)
        return wide[(arm, phase)].reindex(index).to_numpy(dtype="float64", na_value=np.nan)

    tb, ta = pick(wide_est, "team", "before"), pick(wide_est, "team", "after")
    cb, ca = pick(wide_est, "control", "before"), pick(wide_est, "control", "after")
    sampling = sum(pick(wide_se, a, p) ** 2 for a in ARMS for p in PHASES)
    tau2, teams, w2 = _shock_variance(cells, index)
    se = np.sqrt(sampling + tau2 * (1.0 + np.nan_to_num(w2)))
    df = np.where(teams >= 2, teams - 1, np.inf)
    did = (ta - tb) - (ca - cb)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_value = np.where(se > 0, 2.0 * stats.t.sf(np.abs(did) / se, df), np.nan)
    level = fcr_confidence(p_value, alpha)
    crit = stats.t.ppf(0.5 + level / 2.0, df)
    out = index.to_frame(index=False)
    out["n_team_before"], out["n_team_after"] = pick(wide_n, "team", "before"), pick(wide_n, "team", "after")
    out["n_control_before"] = pick(wide_n, "control", "before")
    out["n_control_after"] = pick(wide_n, "control", "after")
    for name in ("n_team_before", "n_team_after", "n_control_before", "n_control_after"):
        out[name] = pd.array(out[name], dtype="Float64").astype("Int64")
    out["team_before"], out["team_after"], out["control_before"], out["control_after"] = tb, ta, cb, ca
    out["change_team"], out["change_control"] = ta - tb, ca - cb
    out["did"] = did
    out["se"] = se
    out["shock_sd"] = np.sqrt(tau2)
    out["df"] = df
    out["ci_low"], out["ci_high"] = did - crit * se, did + crit * se
    out["ci_level"] = level
    out["p_value"] = p_value
    out["p_adjusted"] = benjamini_hochberg(p_value)
    low, high = out["ci_low"].to_numpy(), out["ci_high"].to_numpy()
    sig = pd.array((low > 0) | (high < 0), dtype="boolean")
    sig[np.isnan(low) | np.isnan(high)] = pd.NA
    out["significant"] = sig
    return out


def _confounders(ledger: pd.DataFrame, effects: pd.DataFrame, freq: str, before: int, after: int) -> list[str]:
    """Other done actions of the same team and KPI whose done_on lies in the action's windows."""
    done = ledger[
        (ledger["status"].astype("string") == "done").fillna(False).to_numpy(dtype=bool)
        & ledger["done_on"].notna().to_numpy()
    ]
    codes = period_codes(done["done_on"], freq)
    key = (done["team"].astype("string") + "\x1f" + done["kpi"].astype("string")).to_numpy()
    ids = done["action_id"].astype("string").to_numpy()
    out = []
    for action, team, kpi, code in zip(
        effects["action_id"], effects["team"], effects["kpi"], period_codes(effects["done_on"], freq)
    ):  # a few dozen actions
        hit = (key == f"{team}\x1f{kpi}") & (ids != action) & (codes >= code - before) & (codes <= code + after)
        out.append(", ".join(sorted(ids[hit])))
    return out


def action_effects(
    data,
    actions: pd.DataFrame | None = None,
    *,
    before: int = 2,
    after: int = 2,
    freq: str = "quarter",
    control=None,
    confidence: float = 0.95,
    min_n: int | None = None,
    alpha: float | None = None,
) -> pd.DataFrame:
    """One row per done action: its KPI for the owning team before and after, and the DiD estimate.

    Arguments and method: see the module docstring (windows of ``before`` and ``after``
    periods either side of the period of done_on; control = other teams; DiD with a normal
    interval; Card & Krueger 1994; Angrist & Pischke 2009). Columns: action_id, team, kpi,
    done_on, done_period, before_periods, after_periods, compared_on, the cell counts
    n_team_before … n_control_after, the cell estimates team_before, team_after,
    control_before, control_after (the KPI's unit; first_response_time: median hours),
    change_team, change_control, did, se (sampling and team-shock variance), shock_sd, df,
    ci_low, ci_high, ci_level (FCR-adjusted), p_value, p_adjusted, significant, complete (all
    four cells present and every window period holds data), confounded_by (other done actions
    of the same team and KPI with done_on inside the windows, e.g. "A019"), direction,
    improved (True / False only when complete, not confounded and significant; else NA) and
    verdict: "incomplete", "confounded" (no effect claimed: the actions cannot be told apart),
    "improved", "worsened" or "no_effect_shown"; ``cxlib.i18n.label(f"effects.{verdict}")``.
    Actions whose KPI cannot be cut by team (churn_rate, complaint_rate) are left out.
    """
    cells = effect_cells(
        data, actions, before=before, after=after, freq=freq, control=control, confidence=confidence, min_n=min_n
    )
    if cells.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in EFFECT_COLUMNS})
    effects = diff_in_diff(cells, confidence, alpha)
    ledger = table(data, "actions") if actions is None else actions
    info = ledger.assign(action_id=ledger["action_id"].astype("string"))[["action_id", "done_on"]]
    effects = effects.merge(info, on="action_id", how="left")
    effects["done_period"] = pd.array(period_labels(period_codes(effects["done_on"], freq), freq), dtype="string")
    codes = period_codes(effects["done_on"], freq)
    windows = [_windows(c, before, after) for c in codes]
    effects["before_periods"] = [_label(b, freq) for b, _ in windows]
    effects["after_periods"] = [_label(a, freq) for _, a in windows]
    per_action = cells[cells["arm"].isin(ARMS)].groupby("action_id", observed=True)["complete"]
    complete = per_action.all() & (per_action.size() == len(ARMS) * len(PHASES))
    effects["complete"] = complete.reindex(effects["action_id"]).fillna(False).to_numpy(dtype=bool)
    effects["direction"] = [kpi_info(k).direction for k in effects["kpi"]]
    effects["compared_on"] = [kpi_info(k).compare_on for k in effects["kpi"]]
    effects["confounded_by"] = pd.array(_confounders(ledger, effects, freq, before, after), dtype="string")
    good = np.where(effects["direction"] == "higher", effects["did"] > 0, effects["did"] < 0)
    significant = effects["significant"].fillna(False).to_numpy(dtype=bool)
    confounded = effects["confounded_by"].fillna("").to_numpy(dtype=str) != ""
    complete = effects["complete"].to_numpy(dtype=bool)
    judged = complete & ~confounded
    improved = pd.array(good, dtype="boolean")
    improved[~(significant & judged)] = pd.NA
    improved[significant & judged & ~good] = False
    effects["improved"] = improved
    effects["verdict"] = pd.array(
        np.select(
            [~complete, confounded, significant & good, significant],
            ["incomplete", "confounded", "improved", "worsened"],
            "no_effect_shown",
        ),
        dtype="string",
    )
    out = effects[EFFECT_COLUMNS]
    for col in ("before_periods", "after_periods", "direction", "compared_on"):
        out[col] = out[col].astype("string")
    return out.sort_values(["done_on", "action_id"], kind="stable").reset_index(drop=True)
