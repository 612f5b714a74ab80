"""Straight-line projection of a series to the end of the evaluation window.

Least squares over every observed period (``numpy.polyfit``, degree 1) on the fractional-year
axis of :mod:`.time_axis`. Seasonality and saturation are ignored: it says where the current
trend leads, not a forecast.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from indicators.periods import Period

from .time_axis import fractional_year


def project(
    series: pd.Series | Iterable[tuple[str | Period, float | None]], end_period: str | Period
) -> float | None:
    """Value the linear trend of ``series`` reaches at ``end_period`` (where it starts).

    ``series`` is a Series indexed by period or (period, value) pairs; unknown values are
    skipped. ``None`` with fewer than two distinct observed periods.
    """
    pairs = series.items() if isinstance(series, pd.Series) else series
    points = [
        (fractional_year(period if isinstance(period, Period) else str(period)), float(value))
        for period, value in pairs
        if value is not None and math.isfinite(value)
    ]
    times = np.array([time for time, _ in points])
    if len(np.unique(times)) < 2:
        return None
    values = np.array([value for _, value in points])
    origin = times.mean()  # centring keeps the fit well conditioned with years around 2025
    slope, intercept = np.polyfit(times - origin, values, 1)
    return float(intercept + slope * (fractional_year(end_period) - origin))
