"""Key-driver analysis: each driver's share of R², with bootstrap intervals; importance-performance.

Both methods work on correlation matrices, so the bootstrap builds the correlation matrix of every
resample at once from weighted moments (resample counts x data, one matrix product) and then runs
batched numpy linear algebra over the resamples.

References
- Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
  variables in multiple regression. Multivariate Behavioral Research 35(1), 1-19.
- Lindeman, R. H., Merenda, P. F. & Gold, R. Z. (1980). Introduction to Bivariate and Multivariate
  Analysis, p. 119ff (LMG); Lipovetsky, S. & Conklin, M. (2001). Analysis of regression in game
  theory approach. Applied Stochastic Models in Business and Industry 17(4), 319-330 (Shapley);
  Groemping, U. (2006). Relative importance for linear regression in R: the package relaimpo.
  Journal of Statistical Software 17(1).
- Tonidandel, S., LeBreton, J. M. & Johnson, J. W. (2009). Determining the statistical
  significance of relative weights. Psychological Methods 14(4), 387-399 (bootstrap intervals).
- Martilla, J. A. & James, J. C. (1977). Importance-performance analysis. Journal of Marketing
  41(1), 77-79.
"""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np
import pandas as pd

from cxlib.io.schemas import SCORES
from cxlib.io.source import RATING_PREFIX

__all__ = ["METHODS", "MAX_SHAPLEY_FEATURES", "QUADRANTS", "default_features", "drivers", "importance_performance"]

METHODS = ("relative_weights", "shapley")
MAX_SHAPLEY_FEATURES = 12
QUADRANTS = ("concentrate here", "keep up the good work", "low priority", "possible overkill")
_CHUNK = 100  # bootstrap resamples per batch (bounds memory: chunk x rows floats)


def _complete_cases(data: pd.DataFrame, target: str, features: list[str]) -> np.ndarray:
    """Rows with target and all features present, as a float matrix (features..., target)."""
    columns = list(features) + [target]
    absent = [c for c in columns if c not in data.columns]
    if absent:
        raise ValueError(f"drivers: missing column(s) {absent}; found {list(data.columns)}")
    frame = data[columns].dropna()
    try:
        values = frame.to_numpy(dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"drivers: target and features must be numeric ({error})") from None
    k = len(features)
    if len(values) <= k + 1:
        raise ValueError(f"drivers: {len(values)} complete rows; need more than {k + 1}")
    constant = [c for c, sd in zip(columns, values.std(axis=0)) if sd == 0]
    if constant:
        raise ValueError(f"drivers: column(s) {constant} do not vary in the complete rows")
    return values


def _correlations(values: np.ndarray, counts: np.ndarray | None = None) -> np.ndarray:
    """Correlation matrix of ``values`` (n x p), or of each resample given counts (b x n)."""
    z = (values - values.mean(axis=0)) / values.std(axis=0)  # conditioning only
    if counts is None:
        return np.corrcoef(z, rowvar=False)[None]
    n, p = z.shape
    i, j = np.triu_indices(p)
    mean = counts @ z / n  # (b, p) weighted means
    cross = counts @ (z[:, i] * z[:, j]) / n  # (b, pairs) weighted second moments
    cov = np.empty((len(counts), p, p))
    cov[:, i, j] = cov[:, j, i] = cross - mean[:, i] * mean[:, j]
    sd = np.sqrt(np.einsum("bii->bi", cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / (sd[:, :, None] * sd[:, None, :])


def _relative_weights(corr: np.ndarray) -> np.ndarray:
    """Johnson's (2000) raw relative weights from correlation matrices (b, k+1, k+1), y last."""
    rxx, rxy = corr[:, :-1, :-1], corr[:, :-1, -1]
    eigval, eigvec = np.linalg.eigh(rxx)
    root = np.sqrt(np.clip(eigval, 0, None))
    inv_root = np.divide(1.0, root, out=np.zeros_like(root), where=root > 1e-12 * root.max())
    lam = (eigvec * root[:, None, :]) @ eigvec.transpose(0, 2, 1)  # corr(X, Z) = Rxx^(1/2)
    beta = np.einsum("bij,bj->bi", eigvec * inv_root[:, None, :], np.einsum("bji,bj->bi", eigvec, rxy))
    return np.einsum("bjk,bk->bj", lam**2, beta**2)


def _all_subset_r2(corr: np.ndarray) -> np.ndarray:
    """R² of y on every feature subset, (b, 2^k) indexed by bit mask: r_S' R_SS^-1 r_S."""
    k = corr.shape[1] - 1
    rxx, rxy = corr[:, :-1, :-1], corr[:, :-1, -1]
    r2 = np.zeros((len(corr), 2**k))
    for size in range(1, k + 1):
        subsets = np.array(list(combinations(range(k), size)))
        masks = (1 << subsets).sum(axis=1)
        sub = rxx[:, subsets[:, :, None], subsets[:, None, :]]  # (b, m, s, s)
        rhs = rxy[:, subsets]  # (b, m, s)
        try:
            solved = np.linalg.solve(sub, rhs[..., None])[..., 0]
        except np.linalg.LinAlgError:  # a singular subset (collinear features): least squares
            solved = (np.linalg.pinv(sub) @ rhs[..., None])[..., 0]
        r2[:, masks] = np.sum(rhs * solved, axis=-1)
    return r2


def _shapley(corr: np.ndarray) -> np.ndarray:
    """LMG / Shapley decomposition of R² over all subsets (b, k)."""
    k = corr.shape[1] - 1
    r2 = _all_subset_r2(corr)
    masks = np.arange(2**k)
    size = np.array([m.bit_count() for m in range(2**k)])
    weight = np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)])
    result = np.empty((len(corr), k))
    for j in range(k):
        without = masks[(masks >> j) & 1 == 0]
        result[:, j] = (r2[:, without | (1 << j)] - r2[:, without]) @ weight[size[without]]
    return result


def _raw_weights(corr: np.ndarray, method: str) -> np.ndarray:
    """Raw weights (b, k); NaN rows for resamples whose correlation matrix is undefined."""
    valid = np.isfinite(corr).all(axis=(1, 2))
    out = np.full((len(corr), corr.shape[1] - 1), np.nan)
    if valid.any():
        out[valid] = (_relative_weights if method == "relative_weights" else _shapley)(corr[valid])
    return out


def _with_noise(values: np.ndarray, counts: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Correlation matrices (b, k+2, k+2) of each resample with a random variable inserted before y.

    ``noise`` (b, n) is a fresh standard-normal variable per resample (Tonidandel, LeBreton &
    Johnson 2009); its weighted moments are added to those of the data in one matrix product.
    """
    z = (values - values.mean(axis=0)) / values.std(axis=0)
    n, p = z.shape
    b = len(counts)
    data = np.concatenate([z[:, :-1], np.zeros((n, 1)), z[:, -1:]], axis=1)  # features, noise, y
    k = p + 1
    i, j = np.triu_indices(k)
    mean = counts @ data / n
    cross = counts @ (data[:, i] * data[:, j]) / n
    cov = np.empty((b, k, k))
    cov[:, i, j] = cov[:, j, i] = cross - mean[:, i] * mean[:, j]
    w = counts * noise
    m_e = w.sum(axis=1) / n
    c_e = (w @ data) / n - m_e[:, None] * mean  # cov(noise, each column)
    c_e[:, p - 1] = (counts * noise**2).sum(axis=1) / n - m_e**2  # var(noise)
    cov[:, p - 1, :] = c_e
    cov[:, :, p - 1] = c_e
    sd = np.sqrt(np.einsum("bii->bi", cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / (sd[:, :, None] * sd[:, None, :])


def _bootstrap_shares(values: np.ndarray, method: str, n_boot: int, seed) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap of the rows: shares of R² (percent, (n_boot, k)) and, with a random variable added
    to each resample, each driver's share minus the random variable's share (percent points)."""
    rng = np.random.default_rng(seed)
    # the random variables come from their own stream, so the resampled rows (and the weight
    # intervals) are those of the bootstrap without the noise benchmark
    noise_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    n = len(values)
    shares, versus = [], []
    for start in range(0, n_boot, _CHUNK):
        b = min(_CHUNK, n_boot - start)
        rows = rng.integers(0, n, size=(b, n)) + (np.arange(b) * n)[:, None]
        counts = np.bincount(rows.ravel(), minlength=b * n).reshape(b, n).astype(float)
        raw = _raw_weights(_correlations(values, counts), method)
        shares.append(100 * raw / raw.sum(axis=1, keepdims=True))
        noisy = _raw_weights(_with_noise(values, counts, noise_rng.standard_normal((b, n))), method)
        noisy = 100 * noisy / noisy.sum(axis=1, keepdims=True)
        versus.append(noisy[:, :-1] - noisy[:, -1:])
    return np.concatenate(shares), np.concatenate(versus)


def default_features(data: pd.DataFrame, target_col: str = "nps") -> list[str]:
    """The scores (nps, csat, ces) and attribute ratings (``rating_…`` columns, named in
    source.yaml) that ``data`` holds with at least one value, other than ``target_col``."""
    candidates = [c for c in SCORES if c in data.columns] + [
        c for c in data.columns if str(c).startswith(RATING_PREFIX)
    ]
    return [c for c in candidates if c != target_col and data[c].notna().any()]


def drivers(
    data: pd.DataFrame,
    target_col: str = "nps",
    feature_cols: list[str] | tuple[str, ...] | None = None,
    method: str = "relative_weights",
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Key drivers of column ``target_col``: each feature column's share of the linear-regression R².

    Methods: ``"relative_weights"`` (Johnson 2000: regress y on the orthogonal counterparts of the
    features, Z = X Rxx^(-1/2), and share each Z's R² back by the squared loadings) or ``"shapley"``
    (LMG / Shapley value: each feature's R² gain averaged over all orders of entry, computed
    exactly over all 2^k subsets; at most 12 features). Both sum to the model R².

    ``feature_cols`` default to the scores and ratings present (``default_features``).
    Complete cases only (rows with target and every feature present); ``n`` reports how many.
    Returns one row per driver, sorted by rank: driver, weight (share of R², percent 0-100, sums
    to 100), raw_weight (R² units, sums to r2), rank (1 = strongest), ci_low, ci_high (percentile
    bootstrap interval of weight over ``n_boot`` resamples of the rows, Tonidandel, LeBreton &
    Johnson 2009; NaN when n_boot = 0), vs_noise_low, vs_noise_high (interval of the driver's
    share minus that of a random variable added to every resample: the noise benchmark of
    Tonidandel, LeBreton & Johnson 2009), beats_noise (that interval lies above 0; False means
    "not distinguishable from noise", NA without bootstrap), n, r2, method. A share of R² is
    never below 0, so its own interval never contains 0; only the comparison with the random
    variable says whether a driver carries anything.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> key = cx.drivers(data.responses, target_col="nps", feature_cols=["ces", "csat"])
    >>> print(key[["driver", "weight", "ci_low", "ci_high", "n"]].round(1).to_string(index=False))
    driver  weight  ci_low  ci_high     n
       ces    65.1    64.0     66.3 20689
      csat    34.9    33.7     36.0 20689
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    feature_cols = default_features(data, target_col) if feature_cols is None else list(feature_cols)
    if not feature_cols or len(set(feature_cols)) != len(feature_cols) or target_col in feature_cols:
        raise ValueError("feature_cols must be a non-empty list of distinct columns, without the target_col")
    if method == "shapley" and len(feature_cols) > MAX_SHAPLEY_FEATURES:
        raise ValueError(f"shapley: at most {MAX_SHAPLEY_FEATURES} features (2^k subsets), got {len(feature_cols)}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    values = _complete_cases(data, target_col, feature_cols)
    raw = _raw_weights(_correlations(values), method)[0]
    r2 = raw.sum()
    ci_low = ci_high = noise_low = noise_high = np.full(len(feature_cols), np.nan)
    beats_noise = pd.array([pd.NA] * len(feature_cols), dtype="boolean")
    if n_boot > 0:
        shares, versus = _bootstrap_shares(values, method, n_boot, seed)
        tail = (1 - confidence) / 2
        ci_low, ci_high = np.nanquantile(shares, [tail, 1 - tail], axis=0)
        noise_low, noise_high = np.nanquantile(versus, [tail, 1 - tail], axis=0)
        beats_noise = pd.array(noise_low > 0, dtype="boolean")
    result = pd.DataFrame(
        {
            "driver": feature_cols,
            "weight": 100 * raw / r2,
            "raw_weight": raw,
            "ci_low": ci_low,
            "ci_high": ci_high,
            "vs_noise_low": noise_low,
            "vs_noise_high": noise_high,
            "beats_noise": beats_noise,
            "n": len(values),
            "r2": r2,
            "method": method,
        }
    )
    result.insert(3, "rank", result["weight"].rank(ascending=False, method="min").astype(int))
    return result.sort_values("rank", kind="stable").reset_index(drop=True)


def importance_performance(
    data: pd.DataFrame,
    drivers_frame: pd.DataFrame,
    scales: dict[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """Importance-performance matrix (Martilla & James 1977) from a ``drivers()`` frame.

    importance: the driver's weight (share of R², percent). performance: the driver's mean score
    over its non-missing rows, rescaled to 0-100 as 100 x (mean - low) / (high - low) with
    (low, high) from ``scales`` (e.g. {"ces": (1, 7), "csat": (1, 5)}) or, for drivers not in
    ``scales``, the observed minimum and maximum. Quadrants are relative to the means over the
    drivers (at or above the mean counts as high): high importance and low performance =
    "concentrate here", high/high = "keep up the good work", low/low = "low priority",
    low importance and high performance = "possible overkill".
    Returns: driver, importance, performance, mean_score, n, quadrant, importance_mean,
    performance_mean.
    """
    scales = scales or {}
    names = list(drivers_frame["driver"])
    absent = [c for c in names if c not in data.columns]
    if absent:
        raise ValueError(f"importance_performance: missing column(s) {absent}")
    scores = data[names].astype(float)
    low = pd.Series({c: scales[c][0] if c in scales else scores[c].min() for c in names})
    high = pd.Series({c: scales[c][1] if c in scales else scores[c].max() for c in names})
    mean_score = scores.mean()
    result = pd.DataFrame(
        {
            "driver": names,
            "importance": drivers_frame["weight"].to_numpy(dtype=float),
            "performance": (100 * (mean_score - low) / (high - low)).to_numpy(),
            "mean_score": mean_score.to_numpy(),
            "n": scores.notna().sum().to_numpy(),
        }
    )
    important = result["importance"] >= result["importance"].mean()
    performing = result["performance"] >= result["performance"].mean()
    quadrant = np.select(
        [important & ~performing, important & performing, ~important & ~performing],
        QUADRANTS[:3],
        default=QUADRANTS[3],
    )
    result["quadrant"] = pd.Categorical(quadrant, categories=QUADRANTS)
    result["importance_mean"] = result["importance"].mean()
    result["performance_mean"] = result["performance"].mean()
    return result
