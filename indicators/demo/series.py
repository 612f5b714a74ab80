"""The data-generating process of one indicator: a (territories × periods) matrix of values.

value = persistent level (type, population, own deviation, programme factor)
        + trend by type + seasonal cycle + noise + injected effect,
additively for levels (:class:`Continuous`), multiplicatively around an expected count for counts
(:class:`Count`, :class:`Balance`) — the effect is always added last, in the indicator's unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from indicators.demo.calendar import PeriodGrid
from indicators.demo.recipe_model import Balance, Continuous, Count

Matrix = npt.NDArray[np.float64]
Vector = npt.NDArray[np.float64]

# Population a type's typical level refers to (the ``pop_slope`` pivots around it).
REFERENCE_POPULATION: Final = np.array([1_500.0, 35_000.0, 200_000.0])


@dataclass(frozen=True)
class Inputs:
    """Everything one series depends on, aligned on the territories and periods of its level."""

    grid: PeriodGrid
    types: npt.NDArray[np.int8]
    population: Vector
    exposure: Vector
    deviation: Vector  # persistent standard-normal deviation of each territory
    level_factor: Matrix  # programme factors on the persistent level
    present: npt.NDArray[np.bool_]  # False where the value is a structural zero
    effect: Matrix
    rng: np.random.Generator

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.types), len(self.grid))

    def by_type(self, values: tuple[float, float, float]) -> Vector:
        return np.asarray(values, dtype=np.float64)[self.types]

    def cycle(self, peak_month: float) -> Vector:
        """Yearly cycle, 1 at ``peak_month`` and -1 six months later; flat for annual data."""
        if not self.grid.seasonal:
            return np.zeros(len(self.grid))
        return np.cos(2 * np.pi * (self.grid.mid_month - peak_month) / 12)


def continuous(model: Continuous, x: Inputs) -> Matrix:
    level = (
        x.by_type(model.level)
        + model.pop_slope
        * (np.log10(np.maximum(x.population, 1.0)) - np.log10(REFERENCE_POPULATION[x.types]))
        + x.by_type(model.spread) * x.deviation
    )
    values = (
        level[:, None] * x.level_factor
        + x.by_type(model.trend)[:, None] * x.grid.years[None, :]
        + model.season * x.cycle(model.peak_month)[None, :]
        + x.by_type(model.noise)[:, None] * x.rng.standard_normal(x.shape)
        + x.effect
    )
    low, high = model.bounds
    return np.asarray(np.round(np.clip(values, low, high), model.decimals), dtype=np.float64)


def count(model: Count, x: Inputs) -> Matrix:
    multiplier = _lognormal(model.spread, x.deviation)
    expected = x.by_type(model.rate) * x.exposure * multiplier
    growth = np.maximum(1 + x.by_type(model.trend)[:, None] * x.grid.years[None, :], 0.0)
    season = 1 + model.season * x.cycle(model.peak_month)[None, :]
    mean = expected[:, None] * x.level_factor * growth * season * x.present
    mean = mean * _lognormal(model.noise, x.rng.standard_normal(x.shape))
    if model.stock:
        # A stock moves smoothly: each territory keeps one rounding offset for all periods.
        units = np.floor(mean + x.rng.random(len(x.types))[:, None])
    else:
        units = x.rng.poisson(mean).astype(np.float64)
    amount = model.amount * _lognormal(model.amount_spread, x.rng.standard_normal(len(x.types)))
    values = units * amount[:, None] + x.effect
    return np.round(np.maximum(values, 0.0), model.decimals).astype(np.float64)


def balance(model: Balance, x: Inputs) -> Matrix:
    base = x.population / 1_000 * _lognormal(model.spread, x.deviation)
    opening = x.rng.poisson(np.broadcast_to((x.by_type(model.opening) * base)[:, None], x.shape))
    closing = x.rng.poisson(np.broadcast_to((x.by_type(model.closing) * base)[:, None], x.shape))
    return np.round(opening - closing + x.effect)


def _lognormal(sigma: float, normal: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """exp(sigma z) scaled to mean 1, so that ``rate`` stays the average."""
    return np.exp(sigma * normal - sigma**2 / 2)
