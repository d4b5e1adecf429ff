"""Action rules: findings on the KPI engine's tidy frames become proposed, owned actions.

The rules are data: ``cxlib/data/rules.yaml`` (format documented there and in docs/actions.md);
a data folder may ship its own ``rules.yaml``. Method, per rule:

1. compute the rule's KPI per group (``by``) with its catalogue function (``cx.csat``,
   ``cx.ces``, ``cx.response_times``, ...) at the period's granularity, and keep the period;
2. take the target from goals.yaml when the KPI is there, else from the rule;
3. fire where the whole confidence interval lies on the rule's side of the target: for
   ``when: worse`` and a higher-is-better KPI, ``ci_high < target``; for a lower-is-better KPI
   ``ci_low > target``; ``when: better`` the other way round. An interval that touches or
   straddles the target, and a suppressed group (n < min_n), proposes nothing;
4. measure the impact: the distinct customers the action reaches in the group and period
   (behind its responses or tickets; or its detractors / promoters) and their revenue
   (historic value up to the period end, or a given CLV), and rank by it.

Nothing in a rule file is evaluated: texts are filled by name (``{team}``), never formatted
with attribute access or executed.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from cxlib.actions.reach import customer_value, period_end_date
from cxlib.analysis.peaks import volume
from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.enrich import attach
from cxlib.goals import load_goals
from cxlib.i18n import LANGUAGES, check_language, code_label, fill, number, pick
from cxlib.io.cxdata import table as _table
from cxlib.io.schemas import TIME_COLUMNS
from cxlib.kpi.measure import Unavailable, measure
from cxlib.kpi.nps_groups import nps_group
from cxlib.paths import package_file
from cxlib.periods import ALL, in_period, parse_period
from cxlib.yaml_files import read_config, read_mapping

__all__ = ["propose_actions", "load_rules", "action_key", "PROPOSAL_COLUMNS", "RULES_FILE"]

RULES_FILE = "rules.yaml"
WHEN = ("worse", "better")
REACH = ("served", "detractors", "promoters")
SCOPES = ("peak_weeks",)
DETAILS = ("items",)
_FIELDS = {
    "kpi",
    "by",
    "target",
    "when",
    "owner",
    "scope",
    "reach",
    "detail",
    "enabled",
    "action",
    "description",
    "peak_k",
}
PROPOSAL_COLUMNS = (
    "rank",
    "action_id",
    "rule",
    "action",
    "kpi",
    "team",
    "group",
    "scope",
    "period",
    "n",
    "value",
    "ci_low",
    "ci_high",
    "target",
    "target_source",
    "direction",
    "gap",
    "customers",
    "revenue",
    "detail",
    "trigger",
    "description",
)


# ---- the rule set -----------------------------------------------------------------------------
def _merge(base: dict, extra: dict) -> dict:
    """``extra`` merged into ``base``: rules field by field, other top-level texts key by key."""
    merged = copy.deepcopy(base)
    for key, spec in extra.items():
        if key == "rules":
            for name, fields in (spec or {}).items():
                merged["rules"].setdefault(name, {}).update(copy.deepcopy(fields or {}))
        elif isinstance(spec, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **copy.deepcopy(spec)}
        elif key != "extends":
            merged[key] = copy.deepcopy(spec)
    return merged


def load_rules(rules: str | Path | Mapping | None = None) -> dict:
    """The rule set as a dict: the shipped default, a YAML file, a data folder or a mapping.

    A folder uses its ``rules.yaml`` when present, else the default. A file or mapping with
    ``extends: default`` is merged into the default (a rule with the same key is updated field
    by field, new keys are added, ``enabled: false`` switches a rule off); otherwise it
    replaces it. Validated: every problem names the file and the rule.
    """
    default_path = package_file(RULES_FILE)
    source, data = read_config(rules, default_path, "rules")
    if data.get("extends") == "default":
        data = _merge(read_mapping(default_path, "rules"), data)
    elif "trigger" not in data:  # a replacing rule set may keep the default sentences
        data = {**{k: v for k, v in read_mapping(default_path, "rules").items() if k != "rules"}, **data}
    _validate(data, source)
    data["source"] = str(source)
    return data


def _texts(value, where: str, field: str) -> None:
    if not isinstance(value, Mapping) or not all(isinstance(value.get(lang), str) for lang in LANGUAGES):
        raise ValueError(f"{where}: {field} needs a text in {' and '.join(LANGUAGES)}, got {value!r}")


def _validate(data: dict, source) -> None:
    keys = set(kpi_keys())
    for name, spec in data["rules"].items():
        where = f"{source}: rule {name!r}"
        if not isinstance(spec, Mapping):
            raise ValueError(f"{where}: expected a mapping of fields")
        unknown = set(spec) - _FIELDS
        if unknown:
            raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}; expected {sorted(_FIELDS)}")
        if not spec.get("enabled", True):
            continue
        if spec.get("kpi") not in keys:
            raise ValueError(f"{where}: kpi {spec.get('kpi')!r} is not a KPI catalogue key ({', '.join(sorted(keys))})")
        by = spec.get("by", [])
        if isinstance(by, str) or not isinstance(by, list) or not all(isinstance(c, str) for c in by):
            raise ValueError(f"{where}: by must be a list of column names, got {by!r}")
        for field, allowed in (("when", WHEN), ("reach", REACH), ("scope", SCOPES), ("detail", DETAILS)):
            if field in spec and spec[field] not in allowed:
                raise ValueError(f"{where}: {field} {spec[field]!r} must be one of {', '.join(allowed)}")
        if "target" in spec:
            target = spec["target"]
            if isinstance(target, bool) or not isinstance(target, (int, float)) or not np.isfinite(target):
                raise ValueError(f"{where}: target {target!r} is not a number")
        k = spec.get("peak_k", 3.0)
        if isinstance(k, bool) or not isinstance(k, (int, float)) or not k > 0:
            raise ValueError(f"{where}: peak_k {k!r} must be a positive number")
        if "team" not in by and not spec.get("owner"):
            raise ValueError(f"{where}: needs 'team' in by or an owner team")
        if spec.get("reach") in ("detractors", "promoters") and kpi_info(spec["kpi"]).tables[0] != "responses":
            raise ValueError(f"{where}: reach {spec['reach']!r} needs a survey KPI (nps, csat, ces)")
        _texts(spec.get("action"), where, "action")
        _texts(spec.get("description"), where, "description")
    for side in ("below", "above"):
        _texts((data.get("trigger") or {}).get(side), f"{source}: trigger", side)


# ---- texts ------------------------------------------------------------------------------------
def _fill(template: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` by ``values[name]`` (``cxlib.i18n.fill``); unknown names stay as written."""
    return fill(" ".join(template.split()), values)


def _fmt(value: float, kpi: str, lang: str, units: Mapping) -> str:
    info = kpi_info(kpi)
    suffix = ((units or {}).get(info.unit) or {}).get(lang, "")
    return f"{number(value, lang, info.decimals)}{suffix}"


def action_key(rule: str, kpi: str, period: str, group: Mapping[str, object]) -> str:
    """Stable action id: ``A-`` + the first 10 hex digits of the SHA-256 of rule, KPI, period
    and the group's values (sorted by column). The same proposal always gets the same id."""
    parts = [str(rule), str(kpi), str(period)]
    parts += [f"{k}={group[k]}" for k in sorted(group) if not pd.isna(group[k])]
    return "A-" + hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:10]


# ---- data access ------------------------------------------------------------------------------
def _goal_targets(data, goals) -> dict[str, float]:
    if goals is False:
        return {}
    if goals is None:
        if getattr(data, "goals_path", None) is None:
            return {}
        goals = load_goals(data)
    elif not isinstance(goals, pd.DataFrame):
        goals = load_goals(Path(goals))
    first = goals.drop_duplicates("kpi", keep="first")
    return {str(k): float(t) for k, t in zip(first["kpi"], first["target"])}


def _utc(times: pd.Series) -> np.ndarray:
    return times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[us]")


def _peak_mask(times: pd.Series, weeks: pd.DataFrame) -> np.ndarray:
    """Rows whose time lies in a peak period of ``weeks`` (``cxlib.analysis.peaks.volume``:
    consecutive periods from ``start``), found by binary search on the period starts."""
    idx = np.searchsorted(_utc(weeks["start"]), _utc(times), side="right") - 1
    ok = times.notna().to_numpy() & (idx >= 0)
    out = np.zeros(len(times), dtype=bool)
    out[ok] = weeks["peak"].to_numpy(dtype=bool)[idx[ok]]
    return out


class _Context:
    """The data of one ``propose_actions`` call, with what several rules share computed once."""

    def __init__(self, data, period, kind, confidence, min_n, value):
        self.data, self.period, self.kind = data, period, kind
        self.confidence, self.min_n, self.value = confidence, min_n, value
        self._weeks: dict[float, pd.DataFrame] = {}
        self._values: pd.DataFrame | None = None

    def table(self, name: str, scope: str | None, k: float = 3.0) -> pd.DataFrame | None:
        frame = _table(self.data, name)
        if frame is None or scope is None or name not in ("responses", "tickets"):
            return frame
        tickets = _table(self.data, "tickets")
        if tickets is None or not tickets["created_at"].notna().any():  # no tickets: no peak weeks to keep
            return frame.iloc[0:0]
        if k not in self._weeks:
            self._weeks[k] = volume(tickets, k=k)
        return frame[_peak_mask(frame[TIME_COLUMNS[name]], self._weeks[k])]

    def tables(self, scope: str | None, k: float = 3.0) -> dict[str, pd.DataFrame]:
        """The data as a mapping of tables, responses and tickets limited to ``scope`` (peak weeks)."""
        names = ("customers", "teams", "responses", "tickets", "observations", "actions", "orders")
        found = {name: self.table(name, scope, k) for name in names}
        return {name: frame for name, frame in found.items() if frame is not None}

    def values(self) -> pd.DataFrame:
        if self._values is None:
            orders = _table(self.data, "orders")
            self._values = customer_value(
                _table(self.data, "customers"), orders, period_end_date(self.period, orders), self.value
            )
        return self._values


def _with_columns(frame: pd.DataFrame, by: list[str], customers) -> pd.DataFrame:
    missing = [c for c in by if c not in frame.columns]
    if missing and customers is not None and "customer_id" in frame and all(c in customers for c in missing):
        return attach(frame, customers, missing)
    return frame


def _kpi_frame(ctx: _Context, spec: Mapping, by: list[str], min_n: int | None) -> pd.DataFrame:
    """The rule's KPI per group for the period (``cx.measure`` on the rule's scope of the data)."""
    return measure(
        ctx.tables(spec.get("scope"), spec.get("peak_k", 3.0)),
        spec["kpi"],
        by=by or None,
        period=ctx.period,
        confidence=ctx.confidence,
        min_n=min_n,
    )


def _fires(frame: pd.DataFrame, direction: str, when: str, target: float) -> np.ndarray:
    low, high = frame["ci_low"].to_numpy(dtype="float64"), frame["ci_high"].to_numpy(dtype="float64")
    below = (direction == "higher") == (when == "worse")
    with np.errstate(invalid="ignore"):
        fired = high < target if below else low > target
    return fired & ~frame["suppressed"].to_numpy(dtype=bool)


def _reach(ctx: _Context, spec: Mapping, by: list[str]) -> pd.DataFrame:
    """Distinct customers and their revenue per group: behind the group's responses/tickets in
    the period (and scope), or only its detractors / promoters."""
    info = kpi_info(spec["kpi"])
    reach = spec.get("reach", "served")
    sources = {"responses": ["responses"], "tickets": ["tickets"]}.get(info.tables[0], ["responses", "tickets"])
    if reach != "served":
        sources = ["responses"]
    customers = _table(ctx.data, "customers")
    parts = []
    for name in sources:
        frame = ctx.table(name, spec.get("scope"), spec.get("peak_k", 3.0))
        if frame is None or "customer_id" not in frame:
            continue
        rows = frame[in_period(frame[TIME_COLUMNS[name]], ctx.period)]
        if name == "responses" and info.tables[0] == "responses" and spec["kpi"] in rows:
            rows = rows[rows[spec["kpi"]].notna().to_numpy(dtype=bool)]
        if reach != "served":
            rows = rows[(nps_group(rows["nps"]) == reach[:-1]).to_numpy(dtype=bool)]
        rows = _with_columns(rows, by, customers)
        cols = [c for c in by if c in rows.columns]
        parts.append(rows[cols + ["customer_id"]].astype("string"))
    cols = [c for c in by if parts and all(c in p for p in parts)]
    if not parts:
        return pd.DataFrame(columns=[*cols, "customers", "revenue"])
    rows = pd.concat([p[cols + ["customer_id"]] for p in parts], ignore_index=True).drop_duplicates()
    rows = rows.merge(ctx.values()[["customer_id", "value"]], on="customer_id", how="left")
    if not cols:
        return pd.DataFrame({"customers": [len(rows)], "revenue": [float(rows["value"].sum())]})
    out = rows.groupby(cols, observed=True, dropna=False).agg(
        customers=("customer_id", "size"), revenue=("value", "sum")
    )
    return out.reset_index()


def _items(
    ctx: _Context, spec: Mapping, by: list[str], target: float, direction: str, lang: str, units: Mapping
) -> pd.DataFrame:
    """Per group, the observation items on the bad side of the target (point values, worst first),
    as text: the pointer for coaching. Items are not tested one by one (min_n = 1)."""
    frame = measure(
        ctx.tables(None), spec["kpi"], by=[*by, "item"], period=ctx.period, confidence=ctx.confidence, min_n=1
    )
    bad = frame["value"] < target if direction == "higher" else frame["value"] > target
    frame = frame[bad.fillna(False).to_numpy(dtype=bool)]
    frame = frame.sort_values([*by, "value"], ascending=[True] * len(by) + [direction == "higher"])
    text = [
        f"{code_label('item', item, lang)} {_fmt(v, spec['kpi'], lang, units)}"
        for item, v in zip(frame["item"], frame["value"])
    ]
    frame = frame[by].astype("string").assign(detail=text)
    return frame.groupby(by, observed=True, sort=False)["detail"].agg(", ".join).reset_index()


# ---- proposing --------------------------------------------------------------------------------
def _rule_source(data, rules):
    if rules is not None:
        return rules
    folder = getattr(data, "path", None)
    if folder is not None and (Path(folder) / RULES_FILE).exists():
        return Path(folder) / RULES_FILE
    return None


def _evaluate(ctx: _Context, name: str, spec: Mapping, ruleset: Mapping, targets: Mapping, lang: str) -> list[dict]:
    info = kpi_info(spec["kpi"])
    by = list(spec.get("by", []))
    when = spec.get("when", "worse")
    if spec["kpi"] in targets:
        target, source = targets[spec["kpi"]], "goals"
    elif "target" in spec:
        target, source = float(spec["target"]), "rule"
    else:
        raise ValueError(f"rule {name!r}: no target for {spec['kpi']!r} in goals.yaml or in the rule")
    frame = _kpi_frame(ctx, spec, by, ctx.min_n)
    frame = frame[_fires(frame, info.direction, when, target)].reset_index(drop=True)
    if frame.empty:
        return []
    keys = frame[by].astype("string") if by else pd.DataFrame(index=frame.index)
    reach = _reach(ctx, spec, by)
    on = [c for c in by if c in reach.columns]
    if on:
        merged = keys.merge(reach.astype({c: "string" for c in on}), on=on, how="left")
    else:
        merged = keys.assign(
            customers=int(reach["customers"].sum()) if len(reach) else 0,
            revenue=float(reach["revenue"].sum()) if len(reach) else 0.0,
        )
    units = ruleset.get("units", {})
    detail = None
    if spec.get("detail") == "items" and by:
        detail = keys.merge(_items(ctx, spec, by, target, info.direction, lang, units), on=by, how="left")["detail"]
    side = "below" if (info.direction == "higher") == (when == "worse") else "above"
    scope = spec.get("scope")
    scope_text = (ruleset.get("scopes", {}).get(scope) or {}).get(lang, scope) if scope else None
    kpi_label = info.text("label", lang)
    conf = f"{number(100 * ctx.confidence, lang, 0)}%"
    rows = []
    for i, ev in frame.iterrows():  # a handful of fired groups: texts are filled one by one
        group = {c: keys.at[i, c] for c in by}
        owner = spec["owner"] if spec.get("owner") else group.get("team")
        customers = merged.at[i, "customers"]
        customers = 0 if pd.isna(customers) else int(customers)
        revenue = merged.at[i, "revenue"]
        revenue = 0.0 if pd.isna(revenue) else float(revenue)
        items = (
            detail.iat[i]
            if detail is not None and not pd.isna(detail.iat[i])
            else (ruleset.get("no_items", {}).get(lang, "") if detail is not None else "")
        )
        parts = [code_label(c, v, lang) for c, v in group.items() if not pd.isna(v)]
        group_text = ", ".join(parts + ([scope_text] if scope_text else []))
        values = {
            **{c: "" if pd.isna(v) else code_label(c, v, lang) for c, v in group.items()},
            "team": "" if pd.isna(owner) else str(owner),
            "group": group_text,
            "period": ctx.period,
            "kpi": kpi_label,
            "value": _fmt(ev["value"], spec["kpi"], lang, units),
            "target": _fmt(target, spec["kpi"], lang, units),
            "ci_low": _fmt(ev["ci_low"], spec["kpi"], lang, units),
            "ci_high": _fmt(ev["ci_high"], spec["kpi"], lang, units),
            "n": number(ev["n"], lang, 0),
            "customers": number(customers, lang, 0),
            "revenue": number(revenue, lang, 0),
            "items": items,
            "confidence": conf,
        }
        rows.append(
            {
                "action_id": action_key(
                    name, spec["kpi"], ctx.period, {**group, **({"scope": scope} if scope else {})}
                ),
                "rule": name,
                "action": pick(spec["action"], lang),
                "kpi": spec["kpi"],
                **group,
                "team": owner,
                "group": group_text,
                "scope": scope,
                "period": ctx.period,
                "n": int(ev["n"]),
                "value": float(ev["value"]),
                "ci_low": float(ev["ci_low"]),
                "ci_high": float(ev["ci_high"]),
                "target": target,
                "target_source": source,
                "direction": info.direction,
                "gap": float(ev["value"]) - target,
                "customers": customers,
                "revenue": revenue,
                "detail": items,
                "trigger": _fill(pick(ruleset["trigger"][side], lang), values),
                "description": _fill(pick(spec["description"], lang), values),
            }
        )
    return rows


def propose_actions(
    data,
    period: str,
    rules=None,
    lang: str = "nl",
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    goals=None,
    value=None,
    rank_by: str = "customers",
) -> pd.DataFrame:
    """Proposed actions for ``period`` (e.g. ``"2025-Q2"``), each with the evidence that triggered it.

    Method: every enabled rule of the rule set (``rules``: None = the data folder's
    rules.yaml, else cxlib's default; or a path or mapping, see ``load_rules``) computes its KPI
    per group with the KPI engine (intervals at ``confidence``, groups with n < ``min_n``
    suppressed) and fires for a group only when the whole interval lies beyond the target
    (goals.yaml first, else the rule's target): no action on noise. ``scope: peak_weeks`` keeps
    tickets/responses of the peak weeks found by ``cxlib.analysis.peaks`` (median + 3·1.4826·MAD
    over the whole history).

    Impact: ``customers`` is the number of distinct customers the action reaches in that group
    and period (behind its responses or tickets; for the follow-up and referral rules its
    detractors or promoters), ``revenue`` their value in EUR (historic value of orders up to the
    period end; or ``value``: a Series of customer value by customer_id, e.g. a CLV). Rows are
    ranked by ``rank_by`` ("customers" or "revenue"), then the other.

    ``goals``: None = the data's goals.yaml, False = rule targets only, or a frame/path.
    Returns one row per proposed action: rank, action_id (stable: ``action_key``), rule, action
    (short name in ``lang``), kpi, team (the owner team), the group columns of the rules
    (e.g. touchpoint), group (text), scope, period, n, value, ci_low, ci_high, target,
    target_source ("goals" or "rule"), direction, gap (value − target), customers, revenue,
    detail (observation items below target), trigger and description (in ``lang``: nl or en).

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> proposed = cx.propose_actions(data, "2026-Q3", lang="en")
    >>> print(proposed[["rank", "rule", "team", "kpi", "value", "customers"]].round(1).head(3).to_string(index=False))
     rank            rule         team        kpi  value  customers
        1 coach_standards   Field Zuid compliance   77.3        349
        2 coach_behaviour   Field Zuid  behaviour   60.0        349
        3     fix_process Service West        ces    4.7        232
    """
    check_language(lang)
    if rank_by not in ("customers", "revenue"):
        raise ValueError(f"rank_by must be 'customers' or 'revenue', got {rank_by!r}")
    if period is None:
        period = ALL
    kind, _ = parse_period(period)
    ruleset = load_rules(_rule_source(data, rules))
    targets = _goal_targets(data, goals)
    ctx = _Context(data, period, kind, confidence, min_n, value)
    rows, order = [], {}
    for i, (name, spec) in enumerate(ruleset["rules"].items()):
        if spec.get("enabled", True):
            order[name] = i
            try:
                rows += _evaluate(ctx, name, spec, ruleset, targets, lang)
            except Unavailable:  # the data cannot give the rule's KPI (no tickets, no observations): no proposal
                continue
    group_cols = []
    for name in order:
        group_cols += [c for c in ruleset["rules"][name].get("by", []) if c != "team" and c not in group_cols]
    columns = list(PROPOSAL_COLUMNS)
    columns[columns.index("group") : columns.index("group")] = group_cols
    out = pd.DataFrame(rows, columns=[c for c in columns if c != "rank"])
    out = out.drop_duplicates("action_id")
    other = "revenue" if rank_by == "customers" else "customers"
    out = (
        out.assign(_order=out["rule"].map(order))
        .sort_values([rank_by, other, "_order", "group"], ascending=[False, False, True, True], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    out.insert(0, "rank", np.arange(1, len(out) + 1, dtype="int64"))
    text = [
        "action_id",
        "rule",
        "action",
        "kpi",
        "team",
        *group_cols,
        "group",
        "scope",
        "period",
        "target_source",
        "direction",
        "detail",
        "trigger",
        "description",
    ]
    return out.astype({c: "string" for c in text}).astype(
        {
            "n": "int64",
            "customers": "int64",
            "value": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "target": "float64",
            "gap": "float64",
            "revenue": "float64",
        }
    )
