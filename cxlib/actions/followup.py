"""Closing the loop: who to call back (detractors, low CSAT) and who to ask for a referral (promoters).

The lists carry customer ids, never contact details: whoever follows up looks the customer up
in the CRM. Comments are redacted (``cxlib.actions.redact``) before they leave this module.
NPS groups follow the one definition (``cxlib.kpi.nps_groups``): detractors 0–6, promoters
9–10. Customer value is the historic value up to the period end, or a given CLV
(``cxlib.actions.reach.customer_value``); "high value" is the top tier (top 20% by value).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cxlib.actions.feedback_review import local_times
from cxlib.actions.reach import customer_value, period_end_date
from cxlib.actions.redact import as_text, redact
from cxlib.actions.themes import Taxonomy, theme_hits
from cxlib.io.cxdata import table as _table
from cxlib.io.schemas import TIME_COLUMNS
from cxlib.kpi.nps_groups import nps_group
from cxlib.periods import in_period

__all__ = ["follow_up_list", "referral_list", "LIST_COLUMNS"]

LIST_COLUMNS = (
    "response_id",
    "submitted_at",
    "customer_id",
    "touchpoint",
    "team",
    "reason",
    "nps",
    "csat",
    "ces",
    "comment",
    "themes",
    "value",
    "value_tier",
    "churned",
)
"""The only columns a follow-up or referral list has: ids, scores, redacted text, value."""


def _select(responses: pd.DataFrame, period: str | None, group: Mapping | None) -> pd.DataFrame:
    keep = in_period(responses[TIME_COLUMNS["responses"]], period)
    for column, wanted in (group or {}).items():
        values = list(wanted) if isinstance(wanted, (list, tuple, set, pd.Index)) else [wanted]
        found = responses[column].astype("string").isin([str(v) for v in values])
        keep = keep & found.fillna(False).to_numpy(dtype=bool)
    return responses[keep]


def _themes(rows: pd.DataFrame, taxonomy: Taxonomy) -> pd.Series:
    """Theme keys per response, ", "-separated (empty without a comment or theme)."""
    if rows.empty:
        return pd.Series([], index=rows.index, dtype="string")
    hits = theme_hits(rows, taxonomy)
    labels = np.asarray([f"{key}, " for key in hits.columns], dtype=object)
    joined = hits.to_numpy().astype(object) @ labels if len(hits.columns) else ""
    return pd.Series(joined, index=rows.index, dtype="string").str.removesuffix(", ")


def _at_most(rows: pd.DataFrame, column: str, limit: int) -> np.ndarray:
    if column not in rows:
        return np.zeros(len(rows), dtype=bool)
    return pd.to_numeric(rows[column], errors="coerce").le(limit).fillna(False).to_numpy(dtype=bool)


def _unhappy(rows: pd.DataFrame, nps_max: int, csat_max: int) -> tuple[np.ndarray, np.ndarray]:
    """Boolean arrays: NPS at most ``nps_max`` (detractor), CSAT at most ``csat_max``."""
    return _at_most(rows, "nps", nps_max), _at_most(rows, "csat", csat_max)


def _listing(
    data,
    rows: pd.DataFrame,
    reason: pd.Series,
    period: str | None,
    value,
    top: float,
    high_value_only: bool,
    taxonomy: Taxonomy,
) -> pd.DataFrame:
    customers = _table(data, "customers")
    orders = _table(data, "orders")
    end = period_end_date(period, orders)
    values = customer_value(customers, orders, end, value, top).set_index("customer_id")
    ids = rows["customer_id"].astype("string")
    out = pd.DataFrame(
        {
            "response_id": rows["response_id"].astype("string"),
            "submitted_at": local_times(rows["submitted_at"]),
            "customer_id": ids,
        }
    )
    for column in ("touchpoint", "team"):
        out[column] = rows[column] if column in rows else pd.Series(pd.NA, index=rows.index, dtype="string")
    out["reason"] = reason.astype("string")
    for column in ("nps", "csat", "ces"):
        out[column] = rows[column].astype("Int64") if column in rows else pd.array([pd.NA] * len(rows), dtype="Int64")
    out["comment"] = redact(as_text(rows["comment"])) if "comment" in rows else pd.NA
    out["themes"] = _themes(rows, taxonomy) if "comment" in rows else pd.NA
    out["value"] = values["value"].reindex(pd.Index(ids)).to_numpy(dtype="float64")
    out["value_tier"] = pd.Categorical(
        values["value_tier"].reindex(pd.Index(ids)).to_numpy(), categories=values["value_tier"].cat.categories
    )
    churned = np.zeros(len(rows), dtype=bool)
    if "churn_date" in customers:
        dates = customers.set_index(customers["customer_id"].astype("string"))["churn_date"].reindex(pd.Index(ids))
        on_time = dates.le(end) if end is not None else dates.notna()
        churned = (dates.notna() & on_time).fillna(False).to_numpy(dtype=bool)
    out["churned"] = churned
    if high_value_only:
        out = out[(out["value_tier"] == "top").to_numpy(dtype=bool)]
    out = out.sort_values(["submitted_at", "response_id"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)[list(LIST_COLUMNS)]


def follow_up_list(
    data,
    period: str | None,
    *,
    group: Mapping | None = None,
    nps_max: int = 6,
    csat_max: int = 2,
    high_value_only: bool = False,
    value=None,
    top: float = 0.2,
    taxonomy: Taxonomy = None,
) -> pd.DataFrame:
    """The period's customers to call back: detractors (NPS ≤ ``nps_max``, 0–6) and low CSAT
    (≤ ``csat_max`` on 1–5), one row per response, newest first.

    ``data``: CXData (or a mapping) with responses, customers and orders. ``period``: a label
    (``2025-Q2``, ``2025-05``, ``2025``) or None for all. ``group``: {column: value or list}
    to cut, e.g. ``{"team": "Service Oost"}``. ``high_value_only``: only customers in the top
    value tier (``top`` share; value = historic value of their orders up to the period end, or
    ``value``: a Series of customer value by customer_id, such as a CLV).

    Columns (``LIST_COLUMNS``, nothing else; no contact details): response_id, submitted_at,
    customer_id, touchpoint, team, reason ("detractor", "low_csat" or "detractor, low_csat"),
    nps, csat, ces, comment (redacted), themes (theme keys), value (EUR), value_tier and
    churned (churned by the period end: a win-back call rather than a follow-up).
    """
    rows = _select(_table(data, "responses"), period, group)
    detractor, low = _unhappy(rows, nps_max, csat_max)
    keep = detractor | low
    reason = np.where(detractor & low, "detractor, low_csat", np.where(detractor, "detractor", "low_csat"))
    rows = rows[keep]
    return _listing(
        data, rows, pd.Series(reason[keep], index=rows.index), period, value, top, high_value_only, taxonomy
    )


def referral_list(
    data,
    period: str | None,
    *,
    group: Mapping | None = None,
    nps_max: int = 6,
    csat_max: int = 2,
    high_value_only: bool = False,
    value=None,
    top: float = 0.2,
    taxonomy: Taxonomy = None,
) -> pd.DataFrame:
    """The period's promoters to ask for a referral or review: one row per customer (their
    latest promoter answer, NPS 9–10), newest first.

    Left out: customers who are also on the period's follow-up list (a detractor or low-CSAT
    answer in the same period and group) and customers who churned by the period end.
    Arguments and columns as ``follow_up_list`` (reason "promoter").
    """
    rows = _select(_table(data, "responses"), period, group)
    promoter = (nps_group(rows["nps"]) == "promoter").to_numpy(dtype=bool)
    detractor, low = _unhappy(rows, nps_max, csat_max)
    unhappy = rows["customer_id"][detractor | low].astype("string")
    keep = promoter & ~rows["customer_id"].astype("string").isin(unhappy).fillna(False).to_numpy(dtype=bool)
    rows = rows[keep]
    rows = rows.sort_values(["submitted_at", "response_id"], ascending=[False, True], kind="stable").drop_duplicates(
        "customer_id", keep="first"
    )
    out = _listing(data, rows, pd.Series("promoter", index=rows.index), period, value, top, high_value_only, taxonomy)
    return out[~out["churned"].to_numpy(dtype=bool)].reset_index(drop=True)
