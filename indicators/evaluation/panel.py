"""The analysis panel of one indicator: test and comparison units, their values per period.

A unit is a territory at the level the indicator is evaluated at. Its *cohort* is the position,
on the indicator's period axis, of the first period that starts on or after its start date: the
first period fully under the measure (event time 0); the periods before it are the reference
(see :mod:`indicators.evaluation.estimation`). When the start falls inside a period, that period
is partly treated and belongs to the reference, which can only pull the estimate towards zero.
Comparison units have no cohort. The panel is pure data; reading it from the database is
:mod:`indicators.evaluation.sources`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.periods import Period, PeriodKind, parse_period, period_containing, period_range

Role = Literal["test", "comparison"]
TEST: Final = "test"
COMPARISON: Final = "comparison"

UNIT_COLUMNS: Final = ("territory", "type", "role", "start", "population")
VALUE_COLUMNS: Final = ("territory", "period", "value", "status")
NO_COHORT: Final = -(10**6)  # comparison units, and test units without a start date


@dataclass(frozen=True)
class Panel:
    """``units``: one row per unit — ``territory``, ``type``, ``role``, ``start`` (date or None),
    ``population``, ``cohort`` (index into ``periods``, may fall outside it; :data:`NO_COHORT`
    for comparison units). ``values``: a (units x periods) matrix, NaN where no usable value
    exists; ``statuses``: the status of each cell (``absent`` when no row at all)."""

    indicator: str
    level: str
    kind: PeriodKind
    periods: tuple[str, ...]
    units: pd.DataFrame
    values: npt.NDArray[np.float64]
    statuses: npt.NDArray[np.object_]

    @property
    def period_months(self) -> int:
        return self.kind.months

    @property
    def is_test(self) -> npt.NDArray[np.bool_]:
        return (self.units["role"] == TEST).to_numpy()

    @property
    def cohorts(self) -> npt.NDArray[np.int64]:
        return self.units["cohort"].to_numpy(dtype=np.int64)

    def long(self) -> pd.DataFrame:
        """The panel in long form: ``territory``, ``type``, ``role``, ``period``, ``value``,
        ``status`` (a data twin for downloads)."""
        n_units, n_periods = self.values.shape
        return pd.DataFrame(
            {
                "territory": np.repeat(self.units["territory"].to_numpy(), n_periods),
                "type": np.repeat(self.units["type"].to_numpy(), n_periods),
                "role": np.repeat(self.units["role"].to_numpy(), n_periods),
                "period": np.tile(np.array(self.periods, dtype=object), n_units),
                "value": self.values.ravel(),
                "status": self.statuses.ravel(),
            }
        )


def make_panel(
    indicator: str,
    level: str,
    kind: PeriodKind,
    units: pd.DataFrame,
    observations: pd.DataFrame,
    periods: Sequence[str] | None = None,
) -> Panel:
    """Assemble a panel from ``units`` (:data:`UNIT_COLUMNS`) and ``observations``
    (:data:`VALUE_COLUMNS`, periods of ``kind``). Only ``ok`` values are usable; other statuses
    are kept to report on them. ``periods`` defaults to every period from the first to the last
    one observed, so that a period nobody reported still shows as a gap."""
    missing = [column for column in UNIT_COLUMNS if column not in units.columns]
    if missing:
        raise ValueError(f"colonnes manquantes dans les unités : {', '.join(missing)}")
    units = units.drop_duplicates("territory").sort_values(["role", "territory"])
    units = units.reset_index(drop=True)
    observations = observations[observations["territory"].isin(set(units["territory"]))]
    axis = tuple(periods) if periods is not None else _period_axis(observations["period"], kind)
    position = {label: index for index, label in enumerate(axis)}
    row_of = {code: index for index, code in enumerate(units["territory"])}

    values = np.full((len(units), len(axis)), np.nan)
    statuses = np.full((len(units), len(axis)), "absent", dtype=object)
    if not observations.empty and axis:
        cols = observations["period"].map(position)
        kept = cols.notna().to_numpy()
        rows = observations["territory"].map(row_of).to_numpy()[kept].astype(np.int64)
        cols_int = cols.to_numpy()[kept].astype(np.int64)
        status = observations["status"].to_numpy(dtype=object)[kept]
        value = pd.to_numeric(observations["value"], errors="coerce").to_numpy(np.float64)[kept]
        statuses[rows, cols_int] = status
        values[rows, cols_int] = np.where(status == "ok", value, np.nan)

    first = parse_period(axis[0]) if axis else None
    cohorts = [
        _cohort(start, role, first, kind)
        for start, role in zip(units["start"], units["role"], strict=True)
    ]
    units = units.assign(cohort=np.array(cohorts, dtype=np.int64))
    return Panel(indicator, level, kind, axis, units, values, statuses)


def _period_axis(labels: pd.Series, kind: PeriodKind) -> tuple[str, ...]:
    parsed = [parse_period(str(label)) for label in pd.unique(labels)]
    parsed = [period for period in parsed if period.kind is kind]
    if not parsed:
        return ()
    return tuple(str(period) for period in period_range(min(parsed), max(parsed)))


def _cohort(start: date | None, role: str, first: Period | None, kind: PeriodKind) -> int:
    # a test unit's cohort may fall before or after the axis: estimation then leaves it out
    if role != TEST or start is None or first is None or pd.isna(start):
        return NO_COHORT
    return first.steps_until(first_treated_period(start, kind))


def first_treated_period(start: date, kind: PeriodKind) -> Period:
    """The first period of ``kind`` that starts on or after ``start``."""
    entered = period_containing(start, kind)
    return entered if entered.start >= start else entered.shift(1)
