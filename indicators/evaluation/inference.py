"""The inference behind the staggered difference-in-differences of :mod:`estimation`: one
clustered OLS over every (type, event time) cell, linear combinations of its cells with Student
intervals on the effective number of clusters, the simultaneous band of the event study and the
pre-trend Wald test. See :mod:`indicators.evaluation.estimation` for the method."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import statsmodels.api as sm
from scipy import stats


@dataclass(frozen=True)
class Fit:
    result: Any  # statsmodels' OLS results, clustered by unit
    influence: npt.NDArray[np.float64]  # each cluster's contribution to the parameters (G x K)

    def effective_clusters(self, vector: npt.NDArray[np.float64]) -> float:
        """Kish's effective number of clusters behind ``vector @ params``: each territory
        weighs by its share of the clustered variance (Carter, Schnepel and Steigerwald
        2017): thirty test territories facing ninety comparison ones count for about forty."""
        weights = (self.influence @ vector) ** 2
        return float(weights.sum() ** 2 / (weights**2).sum()) if weights.any() else 1.0


def fit_cells(rows: pd.DataFrame, n_cells: int) -> Fit:
    """One OLS for every cell, clustered by unit.

    Each cell has its own constant and test dummy; the constants are partialled out first
    (Frisch-Waugh-Lovell: the changes and the dummy are centred within their cell), which gives
    the same coefficients, residuals and clustered covariance with half the columns.
    """
    cell = rows["cell"].to_numpy(dtype=np.int64)
    centred = rows[["change", "treated"]] - rows.groupby("cell")[["change", "treated"]].transform(
        "mean"
    )
    design = np.zeros((len(rows), n_cells))
    design[np.arange(len(rows)), cell] = centred["treated"].to_numpy(dtype=np.float64)
    groups = pd.factorize(rows["unit"])[0]
    model = sm.OLS(centred["change"].to_numpy(dtype=np.float64), design, hasconst=False)
    result = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    scores = pd.DataFrame(design * np.asarray(result.resid)[:, None]).groupby(groups).sum()
    return Fit(result, scores.to_numpy() @ result.normalized_cov_params)


def combination(cells: pd.DataFrame, n_cells: int) -> npt.NDArray[np.float64]:
    """A row vector averaging the cells' effects, weighted by the test units observed."""
    vector = np.zeros(n_cells)
    weights = cells["n_test"].to_numpy(dtype=np.float64)
    vector[cells["cell"].to_numpy(dtype=np.int64)] = weights / weights.sum()
    return vector[np.newaxis, :]


def by_event_time(cells: pd.DataFrame, n_cells: int, times: list[int]) -> npt.NDArray[np.float64]:
    """One :func:`combination` row per event time."""
    event = cells["event_time"].to_numpy(dtype=np.int64)
    index = cells["cell"].to_numpy(dtype=np.int64)
    weight = cells["n_test"].to_numpy(dtype=np.float64)
    matrix = np.zeros((len(times), n_cells))
    for row, time in enumerate(times):
        chosen = event == time
        matrix[row, index[chosen]] = weight[chosen] / weight[chosen].sum()
    return matrix


def student(fit: Fit, matrix: npt.NDArray[np.float64], alpha: float) -> pd.DataFrame:
    """Estimates, clustered standard errors (statsmodels), Student intervals and p-values of
    ``matrix @ params``, with the effective number of clusters minus one as degrees of freedom
    (G - 1 would make the intervals too narrow when test territories are few)."""
    test = fit.result.t_test(matrix)
    effect = np.asarray(test.effect, dtype=np.float64).ravel()
    error = np.asarray(test.sd, dtype=np.float64).ravel()
    freedom = np.array([max(fit.effective_clusters(row) - 1, 1.0) for row in matrix])
    quantile = stats.t.ppf(1 - alpha / 2, freedom)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_value = np.where(error > 0, 2 * stats.t.sf(np.abs(effect / error), freedom), np.nan)
    return pd.DataFrame(
        {
            "estimate": effect,
            "std_error": error,
            "ci_low": effect - quantile * error,
            "ci_high": effect + quantile * error,
            "p_value": p_value,
        }
    )


def band_critical_value(
    covariance: npt.NDArray[np.float64], confidence: float, draws: int, seed: int
) -> float:
    """Critical value of a simultaneous band: the quantile of the largest absolute t-statistic
    over the event times, simulated from their estimated joint normal distribution (as the
    uniform bands of Callaway & Sant'Anna). It covers the whole path at the confidence level."""
    error = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    kept = error > 0
    if not kept.any():
        return 0.0
    correlation = covariance[np.ix_(kept, kept)] / np.outer(error[kept], error[kept])
    # draws of N(0, correlation) as z @ factor, the factor from the (clipped) eigenvalues
    eigenvalues, vectors = np.linalg.eigh(correlation)
    factor = vectors * np.sqrt(np.clip(eigenvalues, 0.0, None))
    normal = np.random.default_rng(seed).standard_normal((draws, kept.sum()))
    largest = np.abs(normal @ factor.T).max(axis=1)
    return float(np.quantile(largest, confidence))


def pretrend(
    fit: Fit, cells: pd.DataFrame, n_cells: int, width: int, max_constraints: int
) -> tuple[float | None, int | None, float | None]:
    """Joint Wald test that the test and comparison territories did not drift apart before
    entry: the mean event-study coefficient of each full year before the reference year is zero.

    Years rather than single periods: seasonal noise cancels, and few constraints keep a
    clustered Wald test close to its nominal level (with a dozen quarterly coefficients it
    rejects a true null two to four times too often). At most ``max_constraints`` years, the
    closest first; a year whose coefficients do not vary is left out."""
    pre = cells[cells["event_time"] < -width]
    years = sorted({(-int(e) - 1) // width for e in pre["event_time"]})[:max_constraints]
    rows = [
        combination(pre[(-pre["event_time"] - 1) // width == year], n_cells)[0] for year in years
    ]
    matrix = independent_rows(np.array(rows), fit) if rows else None
    if matrix is None:
        return None, None, None
    # statsmodels' F form, F(q, G - 1): with q <= 3 it stays near its level (simulations in
    # tests/unit/evaluation: 3 to 9 % rejections of a true null at 5 %)
    test = fit.result.wald_test(matrix, scalar=True)
    return float(test.statistic), int(matrix.shape[0]), float(test.pvalue)


def independent_rows(matrix: npt.NDArray[np.float64], fit: Fit) -> npt.NDArray[np.float64] | None:
    kept: list[int] = []
    for row in range(matrix.shape[0]):
        candidate = matrix[[*kept, row]]
        covariance = np.asarray(fit.result.cov_params(r_matrix=candidate), dtype=np.float64)
        scale = max(float(np.abs(covariance).max()), 1e-300)
        if np.linalg.matrix_rank(covariance / scale, tol=1e-9) == len(kept) + 1:
            kept.append(row)
    return matrix[kept] if kept else None
