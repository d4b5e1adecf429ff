"""Step 3 of the method: analysis functions (frames in, frames out)."""
from __future__ import annotations

from cxlib.analysis.key_drivers import drivers, importance_performance

__all__ = ["drivers", "importance_performance"]
