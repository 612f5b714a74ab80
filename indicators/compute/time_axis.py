"""Periods on a numeric time axis, in fractional years from the start of each period.

``2025`` -> 2025.0, ``2025-S2`` -> 2025.5, ``2025-T3`` -> 2025.5, ``2025-02`` -> 2025.083…: a
value observed for a period sits where the period starts, whatever its length, so that periods
of different kinds share one axis (elapsed time, projections).
"""

from __future__ import annotations

from indicators.periods import Period, PeriodError, parse_period


def fractional_year(period: str | Period) -> float:
    """Start of ``period`` in years; raises ``ValueError`` (French) on a bad period."""
    if isinstance(period, str):
        try:
            period = parse_period(period)
        except PeriodError as error:
            raise ValueError(str(error)) from None
    return period.year + (period.first_month - 1) / 12
