"""When a membership counts: start dates aligned on a level's territories and on periods.

A programme member is *active* in every period that ends on or after its start date (it was a
member at the end of the period). A test territory is *treated* from the first period that starts
on or after its start date: the ramp rule of ``effects.toml``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.demo.calendar import PeriodGrid

Dates = npt.NDArray[np.datetime64]
Mask = npt.NDArray[np.bool_]

PARENT_COLUMN = {"EPCI": "epci", "DEP": "departement"}


def unit_starts(
    units: pd.DataFrame, level: str, members: pd.DataFrame, communes: pd.DataFrame
) -> Dates:
    """Each territory's start: its own, or for an EPCI or a département the earliest of its
    member communes; NaT when it is not a member."""
    own = _earliest(members).reindex(units["code"]).to_numpy(dtype="datetime64[D]")
    if level == "COM":
        return own
    inherited = communes.assign(start=communes["code"].map(_earliest(members)))
    earliest = inherited.dropna(subset=["start"]).groupby(PARENT_COLUMN[level])["start"].min()
    through = earliest.reindex(units["code"]).to_numpy(dtype="datetime64[D]")
    return np.where(np.isnat(own) | (through < own), through, own)


def active(starts: Dates, grid: PeriodGrid) -> Mask:
    return starts[:, None] <= grid.ends[None, :]


def treated(starts: Dates, grid: PeriodGrid) -> Mask:
    return starts[:, None] <= grid.starts[None, :]


def _earliest(members: pd.DataFrame) -> pd.Series:
    starts = pd.Series(members["start"].to_numpy(dtype="datetime64[s]"), index=members["code"])
    return starts.groupby(level=0).min()
