"""Customer value: order summaries, BG/NBD and Gamma-Gamma models, predictive and simple CLV.

A scipy implementation with the API of the (archived) lifetimes library.
"""
from __future__ import annotations

from cxlib.clv.bgnbd import BetaGeoModel
from cxlib.clv.gamma_gamma import GammaGammaModel
from cxlib.clv.summary import historic_value, summary_from_orders
from cxlib.clv.value import clv, retention_clv

__all__ = [
    "BetaGeoModel",
    "GammaGammaModel",
    "clv",
    "historic_value",
    "retention_clv",
    "summary_from_orders",
]
