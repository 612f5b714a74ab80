"""Comparison territories chosen automatically: nearest neighbours on population, level and trend.

Method: within each territory type, every test unit and every candidate (same type, not a test
territory of the measure nor of a measure sharing one of its indicators, not excluded by the
evaluator) is described by three features — the logarithm of its population, and the mean
level and linear trend (slope per period) of the matching indicator over the pre-period. The
features are standardised over the type's pool (test units and candidates), so that each counts
alike, and distances are Euclidean. Matching is *without replacement*: the closest (test,
candidate) pairs are taken first, each test unit receives up to ``neighbours`` candidates, and a
candidate serves one test unit only. Ties are broken by territory code, so the result is the
same for the same data. Territories pinned by the evaluator are always kept, in addition to the
matched ones; excluded territories are never candidates. A test unit without pre-period values
is placed at the pool mean for the missing feature; a candidate needs every feature.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.spatial import cKDTree

FEATURES: Final = ("log_population", "pre_level", "pre_trend")
FEATURE_LABELS: Final = {
    "log_population": "population (log)",
    "pre_level": "niveau avant la mesure",
    "pre_trend": "tendance avant la mesure",
}
SELECTION_COLUMNS: Final = ("territory", "type", "origin", "matched_to", "distance")
BALANCE_COLUMNS: Final = (
    "type",
    "feature",
    "mean_test",
    "mean_candidates",
    "mean_comparison",
    "smd_before",
    "smd_after",
)
MATCHED: Final = "matched"
PINNED: Final = "pinned"


@dataclass(frozen=True)
class MatchResult:
    """``selected``: the comparison units (:data:`SELECTION_COLUMNS`); ``balance``: standardised
    mean differences of each feature before and after matching (:data:`BALANCE_COLUMNS`)."""

    selected: pd.DataFrame
    balance: pd.DataFrame


def matching_features(
    territories: pd.DataFrame, values: pd.DataFrame, pre_periods: Sequence[str]
) -> pd.DataFrame:
    """Features of each territory (``territory``, ``population`` columns) from its ok values
    (``territory``, ``period``, ``value``, ``status``) in ``pre_periods`` (in order): columns
    ``territory`` + :data:`FEATURES`. The trend needs two values, the level one."""
    codes = territories["territory"].to_numpy(dtype=object)
    population = pd.to_numeric(territories["population"], errors="coerce").to_numpy(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_population = np.where(population > 0, np.log(population), np.nan)
    usable = values[(values["status"] == "ok") & values["period"].isin(list(pre_periods))]
    matrix = (
        usable.pivot_table(index="territory", columns="period", values="value", aggfunc="first")
        .reindex(index=codes, columns=list(pre_periods))
        .to_numpy(dtype=np.float64)
    )
    level, trend = _level_and_trend(matrix)
    return pd.DataFrame(
        {
            "territory": codes,
            "log_population": log_population,
            "pre_level": level,
            "pre_trend": trend,
        }
    )


def _level_and_trend(
    matrix: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Row means and least-squares slopes over the observed cells of each row."""
    observed = ~np.isnan(matrix)
    count = observed.sum(axis=1)
    time = np.broadcast_to(np.arange(matrix.shape[1], dtype=np.float64), matrix.shape)
    filled = np.where(observed, matrix, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        level = filled.sum(axis=1) / count
        mean_time = np.where(observed, time, 0.0).sum(axis=1) / count
        centred_time = np.where(observed, time - mean_time[:, None], 0.0)
        slope = (centred_time * filled).sum(axis=1) / (centred_time**2).sum(axis=1)
    level = np.where(count >= 1, level, np.nan)
    slope = np.where(count >= 2, slope, np.nan)
    return level, slope


def match_comparisons(
    tests: pd.DataFrame,
    candidates: pd.DataFrame,
    features: pd.DataFrame,
    *,
    neighbours: int = 3,
    pins: Collection[str] = (),
    exclusions: Collection[str] = (),
) -> MatchResult:
    """Choose comparison units for ``tests`` among ``candidates`` (both with ``territory`` and
    ``type`` columns) using ``features`` (from :func:`matching_features`).

    Pinned candidates are always selected; excluded ones never. Raises ``ValueError`` (French)
    when a pinned territory is a test unit or not a candidate at all."""
    if neighbours < 1:
        raise ValueError(f"nombre de voisins invalide : {neighbours} (au moins 1)")
    test_codes = set(tests["territory"])
    for code in sorted(pins):
        if code in test_codes:
            raise ValueError(f"{code} est un territoire test : il ne peut pas servir de témoin")
        if code not in set(candidates["territory"]):
            raise ValueError(
                f"{code} ne peut pas être épinglé : ce n'est pas un témoin possible "
                "(autre niveau, type non visé ou territoire traité par une mesure voisine)"
            )
    indexed = features.set_index("territory")
    selections, balances = [], []
    for type_ in sorted(set(tests["type"])):
        type_tests = tests.loc[tests["type"] == type_, "territory"].sort_values().tolist()
        pool = candidates[(candidates["type"] == type_) & ~candidates["territory"].isin(exclusions)]
        pinned = sorted(set(pool["territory"]) & set(pins))
        free = sorted(set(pool["territory"]) - set(pinned))
        eligible, columns = _eligible(indexed, type_tests, free)
        matched = _greedy_match(indexed, type_tests, eligible, columns, neighbours)
        pinned_rows = pd.DataFrame(
            {"territory": pinned, "origin": PINNED, "matched_to": None, "distance": np.nan}
        )
        selection = pd.concat(
            [frame for frame in (matched, pinned_rows) if not frame.empty]
            or [pd.DataFrame(columns=list(SELECTION_COLUMNS))],
            ignore_index=True,
        ).assign(type=type_)
        selections.append(selection)
        balances.append(
            _balance(indexed, type_, type_tests, eligible, selection["territory"].tolist())
        )
    # pinned territories of a type without test units still show up (as evaluators asked)
    other = candidates[
        candidates["territory"].isin(pins) & ~candidates["type"].isin(set(tests["type"]))
    ]
    if not other.empty:
        selections.append(
            pd.DataFrame(
                {
                    "territory": other["territory"],
                    "type": other["type"],
                    "origin": PINNED,
                    "matched_to": None,
                    "distance": np.nan,
                }
            )
        )
    selected = pd.concat(selections, ignore_index=True) if selections else None
    if selected is None or selected.empty:
        selected = pd.DataFrame(columns=list(SELECTION_COLUMNS))
    balance = pd.concat(balances, ignore_index=True) if balances else None
    if balance is None or balance.empty:
        balance = pd.DataFrame(columns=list(BALANCE_COLUMNS))
    return MatchResult(
        selected[list(SELECTION_COLUMNS)].reset_index(drop=True),
        balance[list(BALANCE_COLUMNS)].reset_index(drop=True),
    )


def _eligible(
    indexed: pd.DataFrame, tests: list[str], pool: list[str]
) -> tuple[list[str], list[str]]:
    """The candidates that can serve, and the features to match on: every feature known for
    some test unit or candidate, which each candidate must have. When the matching indicator
    has pre-period data, a territory without any cannot serve (it would add nothing to the
    estimate); a feature that nobody has (no data yet) is ignored."""
    if not tests or not pool:
        return [], []
    known = indexed.loc[tests + pool, list(FEATURES)]
    columns = [column for column in FEATURES if known[column].notna().any()]
    complete = indexed.loc[pool, columns].notna().all(axis=1).to_numpy()
    return [pool[i] for i in np.flatnonzero(complete)], columns


def _greedy_match(
    indexed: pd.DataFrame,
    tests: list[str],
    pool: list[str],
    columns: list[str],
    neighbours: int,
) -> pd.DataFrame:
    empty = pd.DataFrame(columns=["territory", "origin", "matched_to", "distance"])
    if not tests or not pool or not columns:
        return empty
    raw_tests = indexed.loc[tests, columns].to_numpy(dtype=np.float64)
    raw_pool = indexed.loc[pool, columns].to_numpy(dtype=np.float64)
    complete = ~np.isnan(raw_pool).any(axis=1)
    raw_pool, pool = raw_pool[complete], [pool[i] for i in np.flatnonzero(complete)]
    if not pool:
        return empty
    both = np.vstack([raw_tests, raw_pool])
    centre = np.nanmean(both, axis=0)
    scale = np.nanstd(both, axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    test_points = np.nan_to_num((raw_tests - centre) / scale, nan=0.0)
    pool_points = (raw_pool - centre) / scale

    taken: dict[int, tuple[int, float]] = {}
    needs = np.full(len(tests), neighbours)
    # rounds: each short test unit's nearest free candidates, closest pairs first; a round
    # leaves a test unit short only when its neighbours went to closer pairs
    while needs.any():
        free = np.array([i for i in range(len(pool)) if i not in taken], dtype=np.int64)
        if free.size == 0:
            break
        _greedy_round(test_points, pool_points, free, needs, taken)
    rows = sorted(taken.items(), key=lambda item: (item[1][0], item[1][1], pool[item[0]]))
    return pd.DataFrame(
        {
            "territory": [pool[index] for index, _ in rows],
            "origin": MATCHED,
            "matched_to": [tests[test_index] for _, (test_index, _) in rows],
            "distance": [distance for _, (_, distance) in rows],
        }
    )


def _greedy_round(
    test_points: npt.NDArray[np.float64],
    pool_points: npt.NDArray[np.float64],
    free: npt.NDArray[np.int64],
    needs: npt.NDArray[np.int64],
    taken: dict[int, tuple[int, float]],
) -> None:
    short = np.flatnonzero(needs)
    depth = int(min(free.size, max(50, 10 * int(needs.max()))))
    distances, found = cKDTree(pool_points[free]).query(test_points[short], k=depth)
    distances = np.asarray(distances, dtype=np.float64).reshape(short.size, depth)
    candidates = free[np.asarray(found, dtype=np.int64).reshape(short.size, depth)]
    rows = np.repeat(short, depth)
    order = np.lexsort((candidates.ravel(), rows, distances.ravel()))
    for flat in order:
        test_index, candidate = int(rows[flat]), int(candidates.ravel()[flat])
        if needs[test_index] and candidate not in taken:
            taken[candidate] = (test_index, float(distances.ravel()[flat]))
            needs[test_index] -= 1


def _balance(
    indexed: pd.DataFrame,
    type_: str,
    tests: list[str],
    pool: list[str],
    selected: list[str],
) -> pd.DataFrame:
    rows = []
    for column in FEATURES:
        test_values = indexed.loc[tests, column].to_numpy(dtype=np.float64)
        pool_values = indexed.loc[pool, column].to_numpy(dtype=np.float64) if pool else np.array([])
        chosen = (
            indexed.loc[selected, column].to_numpy(dtype=np.float64) if selected else np.array([])
        )
        spread = _pooled_sd(test_values, pool_values)
        rows.append(
            {
                "type": type_,
                "feature": column,
                "mean_test": _mean(test_values),
                "mean_candidates": _mean(pool_values),
                "mean_comparison": _mean(np.asarray(chosen, dtype=np.float64)),
                "smd_before": _smd(test_values, pool_values, spread),
                "smd_after": _smd(test_values, np.asarray(chosen, dtype=np.float64), spread),
            }
        )
    return pd.DataFrame(rows)


def _mean(values: npt.NDArray[np.float64]) -> float:
    kept = values[~np.isnan(values)]
    return float(kept.mean()) if kept.size else float("nan")


def _pooled_sd(first: npt.NDArray[np.float64], second: npt.NDArray[np.float64]) -> float:
    a, b = first[~np.isnan(first)], second[~np.isnan(second)]
    if a.size < 2 or b.size < 2:
        return float("nan")
    return float(np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2))


def _smd(
    test_values: npt.NDArray[np.float64], other: npt.NDArray[np.float64], spread: float
) -> float:
    if not spread or np.isnan(spread):
        return float("nan")
    return (_mean(test_values) - _mean(other)) / spread
