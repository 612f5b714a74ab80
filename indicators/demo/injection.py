"""Where and when the effects of ``effects.toml`` land: one (territories × periods) matrix.

A test commune receives its type's effect from the first period starting on or after its start
date. An EPCI or a département receives the sum of its test communes' effects (indicators
aggregated by sum) or their population-weighted mean, other communes counting for zero
(indicators aggregated by a population-weighted mean).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from indicators.catalogue import Aggregation, Catalogue
from indicators.demo.calendar import PeriodGrid
from indicators.demo.effects import EffectTable
from indicators.demo.series import Matrix
from indicators.demo.timing import PARENT_COLUMN, treated
from indicators.territories.typology import TYPOLOGY_CLASSES


def effect_matrix(
    code: str,
    level: str,
    units: pd.DataFrame,
    grid: PeriodGrid,
    communes: pd.DataFrame,
    tests: Mapping[str, pd.DataFrame],
    effects: EffectTable,
    catalogue: Catalogue,
) -> Matrix:
    matrix = np.zeros((len(units), len(grid)))
    position = pd.Series(np.arange(len(units)), index=units["code"])
    for effect in effects.for_indicator(code):
        members = tests.get(effect.measure)
        if members is None or members.empty:
            continue
        sizes = np.array([effect.size(TYPOLOGY_CLASSES[t]) for t in members["type"]])
        starts = members["start"].to_numpy(dtype="datetime64[D]")
        per_member = sizes[:, None] * treated(starts, grid)
        if level == "COM":
            rows = members["code"].map(position)
            weights = np.ones(len(members))
        else:
            found = communes.set_index("code").loc[members["code"]]
            rows = pd.Series(found[PARENT_COLUMN[level]].to_numpy()).map(position)
            weights = _weights(code, catalogue, found["population"].to_numpy(), rows, units)
        kept = rows.notna().to_numpy()
        np.add.at(
            matrix,
            rows[kept].astype(int).to_numpy(),
            per_member[kept] * weights[kept][:, None],
        )
    return matrix


def _weights(
    code: str,
    catalogue: Catalogue,
    population: np.ndarray,  # type: ignore[type-arg]
    rows: pd.Series,
    units: pd.DataFrame,
) -> np.ndarray:  # type: ignore[type-arg]
    """1 for a sum; the commune's share of its parent's population for a weighted mean."""
    if catalogue.indicators[code].aggregation is Aggregation.SUM:
        return np.ones(len(rows))
    parent_population = units["population"].to_numpy()
    shares = np.zeros(len(rows))
    kept = rows.notna().to_numpy()
    shares[kept] = population[kept] / parent_population[rows[kept].astype(int).to_numpy()]
    return shares
