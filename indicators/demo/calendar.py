"""Which periods the demo fills: from 2022 to the last one published by the reference date.

A period counts as published ``publication_lag_months`` after the first day that follows it: a
quarter that ends on 30 September with a two-month lag is out on 1 December. The reference date is
fixed, not today's, so that the same seed gives the same data whatever the day of the build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt

from indicators.catalogue import Indicator
from indicators.periods import Period, PeriodKind, period_containing

AS_OF: Final = date(2026, 11, 24)
FIRST_YEAR: Final = 2022
ORIGIN: Final = np.datetime64(f"{FIRST_YEAR}-01-01", "D")
DAYS_PER_YEAR: Final = 365.25


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; only used on first days of months, so no clamping."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, day.day)


def publication_date(period: Period, lag_months: int) -> date:
    return add_months(period.shift(1).start, lag_months)


def published_periods(indicator: Indicator, as_of: date = AS_OF) -> list[Period]:
    """Periods from January 2022 whose publication date is on or before ``as_of``."""
    period = period_containing(date(FIRST_YEAR, 1, 1), indicator.periodicity.period_kind)
    periods: list[Period] = []
    while publication_date(period, indicator.publication_lag_months) <= as_of:
        periods.append(period)
        period = period.shift(1)
    return periods


@dataclass(frozen=True)
class PeriodGrid:
    """The periods of one indicator as arrays, for vectorised generation."""

    labels: tuple[str, ...]
    kind: PeriodKind
    starts: npt.NDArray[np.datetime64]
    ends: npt.NDArray[np.datetime64]
    years: npt.NDArray[np.float64]  # from 1 January 2022 to the middle of the period
    mid_month: npt.NDArray[np.float64]  # 2.0 for a first quarter, 3.5 for a first semester

    @property
    def seasonal(self) -> bool:
        return self.kind is not PeriodKind.YEAR

    def __len__(self) -> int:
        return len(self.labels)

    def index(self, label: str) -> int | None:
        return self.labels.index(label) if label in self.labels else None


def period_grid(periods: Sequence[Period]) -> PeriodGrid:
    if not periods:
        raise ValueError("aucune période publiée à la date de référence")
    starts = np.array([p.start for p in periods], dtype="datetime64[D]")
    ends = np.array([p.end for p in periods], dtype="datetime64[D]")
    middle = starts + (ends - starts) / 2
    return PeriodGrid(
        labels=tuple(str(p) for p in periods),
        kind=periods[0].kind,
        starts=starts,
        ends=ends,
        years=(middle - ORIGIN).astype(np.float64) / DAYS_PER_YEAR,
        mid_month=np.array([p.first_month + (p.kind.months - 1) / 2 for p in periods]),
    )
