"""Customer value: order summaries, BG/NBD, Gamma-Gamma and sBG models, predictive and simple CLV.

A scipy implementation with the API of the (archived) lifetimes library.
"""

from __future__ import annotations

from cxlib.clv._common import DegenerateFitError
from cxlib.clv.bgnbd import BetaGeoModel
from cxlib.clv.gamma_gamma import GammaGammaModel
from cxlib.clv.lifetime import customer_lifetime_value
from cxlib.clv.sbg import ShiftedBetaGeometricModel
from cxlib.clv.summary import historic_value, summary_from_orders
from cxlib.clv.value import clv, retention_clv

__all__ = [
    "BetaGeoModel",
    "DegenerateFitError",
    "GammaGammaModel",
    "ShiftedBetaGeometricModel",
    "clv",
    "customer_lifetime_value",
    "historic_value",
    "retention_clv",
    "summary_from_orders",
]
