"""Western Electric run rules 1-4 on standardised chart values, per point and per side.

Reference: Western Electric Co., *Statistical Quality Control Handbook* (1956), zone tests;
Montgomery, *Introduction to Statistical Quality Control*, section on sensitising rules for
Shewhart charts.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["RULE_COLUMNS", "western_electric"]

# rule -> (window length, points needed in the window, zone boundary in sigma)
_WINDOWS = {2: (3, 2, 2.0), 3: (5, 4, 1.0), 4: (8, 8, 0.0)}
_TEXT = {
    1: "1 point beyond {L:g}σ",
    2: "2 of 3 beyond 2σ",
    3: "4 of 5 beyond 1σ",
    4: "8 in a row",
}
RULE_COLUMNS = ["rule_1", "rule_2", "rule_3", "rule_4"]


def _group_positions(codes: np.ndarray) -> np.ndarray:
    """Index of the first row of each row's group (codes must be contiguous)."""
    idx = np.arange(len(codes))
    starts = np.ones(len(codes), dtype=bool)
    starts[1:] = codes[1:] != codes[:-1]
    return np.maximum.accumulate(np.where(starts, idx, 0))


def _window_count(flag: np.ndarray, start: np.ndarray, width: int) -> np.ndarray:
    """Per row: how many of the last ``width`` rows of its group (itself included) are flagged."""
    cs = np.concatenate(([0], np.cumsum(flag, dtype=np.int64)))
    idx = np.arange(len(flag))
    lo = np.maximum(idx + 1 - width, start)
    return cs[idx + 1] - cs[lo]


def western_electric(z, group=None, rules: Iterable[int] = (1, 2, 3, 4), L: float = 3.0) -> pd.DataFrame:
    """Flag Western Electric rules 1-4 on standardised values z = (x - center) / sigma_i.

    Rules, each judged per side (above / below the center):
    1. one point beyond ``L`` sigma (3 by default);
    2. 2 of 3 consecutive points beyond 2 sigma;
    3. 4 of 5 consecutive points beyond 1 sigma;
    4. 8 consecutive points on one side of the center.

    The flag sits on the point that completes the pattern, and for rules 2 and 3 that point
    must itself be beyond the zone line. "Beyond" is strict; a point exactly on the center
    is on neither side. At the start of a series the windows are shorter: two points beyond
    2 sigma already make "2 of 3" whatever the third is. NaN values (suppressed periods) are
    skipped, so the points either side count as consecutive; ±inf (a point off a zero-width
    limit) is charted. ``group`` (labels, one per
    value) runs the rules separately per group, in the order given.

    Returns a frame with the input's index: boolean ``rule_1`` … ``rule_4`` (rules not
    listed in ``rules`` are all False), ``signal`` (any rule) and ``rules``, a readable
    text such as ``"rule 1: 1 point beyond 3σ above center"`` ("" when none fires).
    """
    index = z.index if isinstance(z, pd.Series) else None
    zz = np.asarray(z, dtype=float)
    size = len(zz)
    index = index if index is not None else pd.RangeIndex(size)
    wanted = {int(r) for r in rules}
    if not wanted <= {1, 2, 3, 4}:
        raise ValueError(f"rules must be among 1, 2, 3, 4; got {sorted(wanted)}")
    codes = np.zeros(size, dtype=np.int64) if group is None else pd.factorize(np.asarray(group))[0]
    if len(codes) != size:
        raise ValueError(f"group has {len(codes)} labels for {size} values")

    ok = np.flatnonzero(~np.isnan(zz))
    order = ok[np.argsort(codes[ok], kind="stable")]  # the charted points, group by group
    zs = zz[order]
    start = _group_positions(codes[order])

    flags = {r: np.zeros(size, dtype=bool) for r in (1, 2, 3, 4)}
    text = pd.Series("", index=range(size), dtype="string")
    for side, sign in (("above", 1.0), ("below", -1.0)):
        zside = sign * zs  # beyond the line on this side <=> zside > line
        for rule in sorted(wanted):
            if rule == 1:
                hit = zside > L
            else:
                width, need, line = _WINDOWS[rule]
                beyond = zside > line
                hit = beyond & (_window_count(beyond, start, width) >= need)
            full = np.zeros(size, dtype=bool)
            full[order] = hit
            flags[rule] |= full
            label = f"rule {rule}: {_TEXT[rule].format(L=L)} {side} center"
            text = text.mask(full, text + "; " + label)

    out = pd.DataFrame({f"rule_{r}": flags[r] for r in (1, 2, 3, 4)})
    out["signal"] = out[RULE_COLUMNS].any(axis=1)
    out["rules"] = text.str.removeprefix("; ").to_numpy()
    out.index = index
    return out
