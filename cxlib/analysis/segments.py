"""Customer segmentation: value tiers, RFM behaviour segments, interaction segments, NPS groups.

``segment(customers, ...)`` returns the customers with new categorical columns, so that every KPI
can be cut by them: ``cx.nps(responses, by="value_tier", customers=segmented)`` (the KPI functions
attach customer columns with ``cxlib.enrich.attach``).

Scores and tiers treat ties alike: customers with the same value always get the same score or
tier (no arbitrary tie-breaking), so a score band can hold more or fewer than its nominal share
when many customers share a value (for example all customers with one order).

References
- Hughes, A. M. (1994). Strategic Database Marketing. Probus (RFM: recency, frequency and
  monetary quintile scores, 5 = best).
- Kumar, V. & Reinartz, W. (2018). Customer Relationship Management, 3rd ed., Springer, ch. 5
  (customer value tiers, the "top 20%" of customers by value).
- Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review 81(12)
  (promoters 9-10, passives 7-8, detractors 0-6).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.business_hours import local_timestamp, local_wall_time
from cxlib.clv.summary import historic_value
from cxlib.kpi.nps_groups import NPS_GROUPS, nps_group

__all__ = [
    "segment",
    "nps_groups",
    "tie_scores",
    "VALUE_TIERS",
    "RFM_SEGMENTS",
    "CONTACT_LEVELS",
    "NPS_GROUPS",
    "NO_CONTACT",
]

VALUE_TIERS = ("top", "middle", "bottom")
CONTACT_LEVELS = ("none", "low", "medium", "high")
NO_CONTACT = "none"
NO_ORDERS = "no_orders"
# R x F grid (rows: recency score 1..5, columns: frequency score 1..5): the widely used
# eleven-segment map of RFM practice, plus customers without orders.
_RF_GRID = np.array(
    [
        ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
        ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
        ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
        ["promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
        ["new", "potential_loyalist", "potential_loyalist", "champions", "champions"],
    ]
)
RFM_SEGMENTS = (
    "champions",
    "loyal",
    "potential_loyalist",
    "new",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cant_lose",
    "hibernating",
    NO_ORDERS,
)
_MIN_TENURE_DAYS = 90.0  # contact rates over shorter tenures are unstable
_DAYS_PER_YEAR = 365.2425


def tie_scores(values, bins: int = 5) -> np.ndarray:
    """Quantile scores 1..``bins`` (``bins`` = highest values) that keep ties together.

    score = 1 + ⌊bins · (share of the scored values strictly lower than this one)⌋, so equal
    values get equal scores and, without ties, each score holds 1/bins of the values (Hughes 1994
    quintiles for bins = 5). Missing values get score 0 (not scored). Returns an int array.
    """
    x = pd.Series(np.asarray(values, dtype="float64"))
    scored = x.notna()
    m = int(scored.sum())
    if m == 0:
        return np.zeros(len(x), dtype="int64")
    below = (x.rank(method="min") - 1.0) / m  # share strictly lower
    score = 1 + np.floor(bins * below.to_numpy(na_value=np.nan))
    return np.where(scored, np.clip(score, 1, bins), 0).astype("int64")


def _categorical(values, categories) -> pd.Categorical:
    return pd.Categorical(values, categories=list(categories))


def _as_of(as_of, *columns: pd.Series | None) -> pd.Timestamp:
    if as_of is not None:
        return local_timestamp(as_of)
    latest = [c.max() for c in columns if c is not None and len(c) and c.notna().any()]
    if not latest:
        raise ValueError("segment: give as_of= (no orders, tickets or responses to take it from)")
    return local_timestamp(max(local_timestamp(t) for t in latest))


def _up_to(frame: pd.DataFrame, column: str, as_of: pd.Timestamp) -> pd.DataFrame:
    wall = local_wall_time(frame[column])
    return frame[wall <= local_wall_time(pd.Series([as_of]))[0]]


def nps_groups(
    responses: pd.DataFrame, as_of=None, *, score_col: str = "nps", time_col: str = "submitted_at"
) -> pd.Series:
    """Each customer's NPS group from their latest NPS answer up to ``as_of`` (Reichheld 2003).

    The groups of ``cxlib.kpi.nps_groups`` (promoter 9–10, passive 7–8, detractor 0–6). Returns
    a categorical Series indexed by customer_id (customers without an NPS answer are absent),
    named ``nps_group``.
    """
    for col in ("customer_id", score_col, time_col):
        if col not in responses.columns:
            raise KeyError(f"nps_groups: responses has no column {col!r}")
    rows = responses[responses[score_col].notna()]
    if as_of is not None:
        rows = _up_to(rows, time_col, local_timestamp(as_of))
    latest = rows.sort_values(time_col, kind="stable").drop_duplicates("customer_id", keep="last")
    group = nps_group(latest[score_col].reset_index(drop=True))
    return pd.Series(group.array, index=pd.Index(latest["customer_id"], name="customer_id"), name="nps_group")


def _value(customers: pd.DataFrame, orders: pd.DataFrame | None, clv, as_of) -> tuple[pd.Series, str]:
    ids = pd.Index(customers["customer_id"])
    if clv is not None:
        if isinstance(clv, pd.DataFrame):
            if "customer_id" not in clv.columns or "clv" not in clv.columns:
                raise KeyError("segment: a clv frame needs columns customer_id and clv")
            clv = clv.set_index("customer_id")["clv"]
        if not clv.index.is_unique:
            raise ValueError("segment: clv has duplicate customer ids")
        return clv.astype("float64").reindex(ids), "clv"
    if orders is None:
        raise ValueError("segment: value tiers need clv= or orders=")
    hist = historic_value(_up_to(orders, "order_date", as_of))["value"]
    return hist.reindex(ids).fillna(0.0), "historic"  # no orders: no revenue


def _tiers(value: np.ndarray, top: float, bottom: float) -> pd.Categorical:
    """top: fewer than ``top`` of the customers have a strictly higher value; bottom likewise."""
    x = pd.Series(value)
    m = int(x.notna().sum())
    if m == 0:
        return _categorical([None] * len(x), VALUE_TIERS)
    higher = (x.rank(method="min", ascending=False) - 1.0) / m
    lower = (x.rank(method="min") - 1.0) / m
    is_top = (higher < top).to_numpy(na_value=False)
    is_bottom = (lower < bottom).to_numpy(na_value=False) & ~is_top
    tier = np.where(is_top, "top", np.where(is_bottom, "bottom", "middle"))
    return _categorical(np.where(x.isna(), None, tier), VALUE_TIERS)


def _rfm(customers: pd.DataFrame, orders: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    ids = pd.Index(customers["customer_id"])
    orders = _up_to(orders, "order_date", as_of)
    days_since = (local_wall_time(pd.Series([as_of]))[0] - local_wall_time(orders["order_date"])) / np.timedelta64(
        1, "D"
    )
    per = (
        pd.DataFrame(
            {
                "customer_id": orders["customer_id"].to_numpy(),
                "days": days_since,
                "amount": orders["amount"].to_numpy(dtype="float64"),
            }
        )
        .groupby("customer_id", sort=False)
        .agg(recency_days=("days", "min"), frequency=("days", "size"), monetary=("amount", "sum"))
        .reindex(ids)
    )
    r = tie_scores(-per["recency_days"].to_numpy())
    f = tie_scores(per["frequency"].to_numpy(dtype="float64"))
    m = tie_scores(per["monetary"].to_numpy())
    buyer = r > 0
    name = np.where(buyer, _RF_GRID[np.clip(r, 1, 5) - 1, np.clip(f, 1, 5) - 1], NO_ORDERS)
    out = pd.DataFrame(index=customers.index)
    out["recency_days"] = np.floor(per["recency_days"].to_numpy())
    out["frequency"] = pd.array(per["frequency"].fillna(0).to_numpy(dtype="int64"), dtype="Int64")
    out["monetary"] = per["monetary"].fillna(0.0).to_numpy()
    for col, score in (("r_score", r), ("f_score", f), ("m_score", m)):
        out[col] = pd.array(np.where(buyer, score, 0), dtype="Int64")
        out.loc[~buyer, col] = pd.NA
    out["rfm_segment"] = _categorical(name, RFM_SEGMENTS)
    return out


def _interactions(customers: pd.DataFrame, tickets: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    ids = pd.Index(customers["customer_id"])
    tickets = _up_to(tickets, "created_at", as_of)
    count = tickets.groupby("customer_id", sort=False).size().reindex(ids, fill_value=0).to_numpy()
    end = local_wall_time(customers["churn_date"]) if "churn_date" in customers else None
    stop = np.full(len(customers), local_wall_time(pd.Series([as_of]))[0])
    if end is not None:
        stop = np.where(np.isnat(end) | (end > stop), stop, end)
    tenure = (stop - local_wall_time(customers["signup_date"])) / np.timedelta64(1, "D")
    years = np.maximum(np.nan_to_num(tenure, nan=_MIN_TENURE_DAYS), _MIN_TENURE_DAYS) / _DAYS_PER_YEAR
    rate = count / years
    level = tie_scores(np.where(count > 0, rate, np.nan), bins=3)  # 0 = no tickets
    channel = tickets["channel"]
    channels = (
        list(channel.cat.categories)
        if isinstance(channel.dtype, pd.CategoricalDtype)
        else sorted(pd.unique(channel.dropna()))
    )
    counts = pd.crosstab(tickets["customer_id"].to_numpy(), channel.to_numpy()).reindex(
        index=ids, columns=channels, fill_value=0
    )
    main = np.where(count > 0, np.asarray(channels, dtype=object)[counts.to_numpy().argmax(axis=1)], NO_CONTACT)
    out = pd.DataFrame(index=customers.index)
    out["tickets"] = pd.array(count.astype("int64"), dtype="Int64")
    out["contact_rate"] = rate
    out["contact_intensity"] = pd.Categorical.from_codes(level, categories=list(CONTACT_LEVELS))
    out["main_channel"] = _categorical(main, [*channels, NO_CONTACT])
    return out


def segment(
    customers: pd.DataFrame,
    orders: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    responses: pd.DataFrame | None = None,
    clv=None,
    as_of=None,
    *,
    top: float = 0.2,
    bottom: float = 0.2,
) -> pd.DataFrame:
    """``customers`` with segment columns added, for ``by=`` in every KPI function.

    Value tiers (with ``clv`` or ``orders``): ``value`` (EUR: the given CLV, or historic revenue
    from orders up to ``as_of``, 0 without orders; ``cxlib.clv.historic_value``) and
    ``value_tier`` (top / middle / bottom). A customer is "top" when fewer than ``top`` (20%) of
    the customers have a strictly higher value, "bottom" when fewer than ``bottom`` (20%) have a
    strictly lower one, "middle" otherwise (Kumar & Reinartz 2018, customer value tiers). Tied
    customers share a tier, so with many customers at 0 the bottom tier holds them all.
    ``value_basis`` in ``attrs`` says "clv" or "historic".

    RFM behaviour (with ``orders``; Hughes 1994): ``recency_days`` (days since the last order),
    ``frequency`` (orders), ``monetary`` (EUR) and quintile scores ``r_score``, ``f_score``,
    ``m_score`` 1-5 (5 = most recent / most frequent / highest spend; ``tie_scores``, ties
    share a score), and ``rfm_segment`` from the usual R x F grid: champions, loyal,
    potential_loyalist, new, promising, need_attention, about_to_sleep, at_risk, cant_lose,
    hibernating; ``no_orders`` for customers without orders (scores missing).

    Interactions (with ``tickets``): ``tickets`` (count up to ``as_of``), ``contact_rate``
    (tickets per year of tenure: signup to churn or ``as_of``, at least 90 days),
    ``contact_intensity`` (none for no tickets, else low / medium / high terciles of the rate
    among customers with tickets, ties together) and ``main_channel`` (the channel of most of
    their tickets, ties to the first channel in category order; ``none`` without tickets).

    NPS group (with ``responses``): ``nps_group`` from the customer's latest NPS answer up to
    ``as_of`` (``nps_groups``; missing when they never answered).

    ``as_of`` defaults to the latest order, ticket or response. Pure: ``customers`` is not
    changed. Raises ValueError when a new column already exists in ``customers``.
    """
    customer_cols = ("customer_id", "signup_date") if tickets is not None else ("customer_id",)
    for name, table, cols in (
        ("customers", customers, customer_cols),
        ("orders", orders, ("customer_id", "order_date", "amount")),
        ("tickets", tickets, ("customer_id", "created_at", "channel")),
    ):
        if table is not None:
            missing = [c for c in cols if c not in table.columns]
            if missing:
                raise KeyError(f"segment: {name} has no column(s) {missing}")
    if not pd.Index(customers["customer_id"]).is_unique:
        raise ValueError("segment: customer_id is not unique in customers")
    if not 0 < top < 1 or not 0 < bottom < 1 or top + bottom > 1:
        raise ValueError(
            f"segment: top and bottom must be shares in (0, 1) with top + bottom <= 1, got {top}, {bottom}"
        )
    tables = (orders, tickets, responses)
    if as_of is not None or any(t is not None for t in tables):  # clv alone needs no date
        as_of = _as_of(
            as_of,
            None if orders is None else orders["order_date"],
            None if tickets is None else tickets["created_at"],
            None if responses is None else responses["submitted_at"],
        )
    parts, basis = [], None
    if clv is not None or orders is not None:
        value, basis = _value(customers, orders, clv, as_of)
        parts.append(
            pd.DataFrame(
                {"value": value.to_numpy(), "value_tier": _tiers(value.to_numpy(), top, bottom)}, index=customers.index
            )
        )
    if orders is not None:
        parts.append(_rfm(customers, orders, as_of))
    if tickets is not None:
        parts.append(_interactions(customers, tickets, as_of))
    if responses is not None:
        groups = nps_groups(responses, as_of).reindex(pd.Index(customers["customer_id"]))
        parts.append(pd.DataFrame({"nps_group": _categorical(groups.to_numpy(), NPS_GROUPS)}, index=customers.index))
    if not parts:
        raise ValueError("segment: give at least one of orders, tickets, responses or clv")
    added = pd.concat(parts, axis=1)
    clash = [c for c in added.columns if c in customers.columns]
    if clash:
        raise ValueError(f"segment: customers already has column(s) {clash}")
    out = pd.concat([customers, added], axis=1)
    out.attrs = {**customers.attrs, "as_of": as_of, "value_basis": basis}
    return out
