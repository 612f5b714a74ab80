"""What real partner data look like: late files, gaps, statistical secrecy, typing errors.

Applied, in this order, to the clean generated values (documented in data/README.md):

1. Late report: the ARS of Provence-Alpes-Côte d'Azur and of Corse have not sent their last
   period — no row at all for their territories' last period of every ARS indicator (SAN_MSP).
2. Missing: 3 % of the remaining ok cells, at random, become ``missing`` with no value.
3. Secret: counts of health data (the recipes that say so: SAN_PATIENTS and
   SAN_PATIENTS_SANS_MT) from 1 to 10 become ``secret`` with no value; zero stays a value.
4. Outliers: 0.05 % of all cells, drawn among ok non-zero values of territories that are test
   territories of no measure, are multiplied by 10 (a unit or decimal-point slip), for the
   quality checks to find; the report lists them.

Zeros (small communes, no site) and ``not_applicable`` cells come from the recipes themselves.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from indicators.compute.statuses import MISSING_CODE, OK_CODE, SECRET_CODE
from indicators.demo.cells import Cells
from indicators.demo.streams import stream

LATE_PARTNER: Final = "ARS"
LATE_REGIONS: Final = ("93", "94")
MISSING_SHARE: Final = 0.03
OUTLIER_SHARE: Final = 0.0005
OUTLIER_FACTOR: Final = 10.0

Key = tuple[str, str, str]


@dataclass(frozen=True)
class Flaws:
    late_cells: int
    outliers: tuple[Key, ...]


def degrade(
    cells: Cells,
    *,
    late_periods: Mapping[str, str],
    region_of: pd.Series,
    secret: Mapping[str, int],
    protected: Collection[str],
    seed: int,
) -> tuple[Cells, Flaws]:
    """``late_periods``: indicator -> its last period, for the late partner's indicators;
    ``region_of``: territory code -> région code; ``secret``: indicator -> threshold;
    ``protected``: territories that never get an outlier (test territories)."""
    late = pd.Series(cells.indicator).map(late_periods).to_numpy() == cells.period
    late &= pd.Series(cells.territory).map(region_of).isin(LATE_REGIONS).to_numpy()
    cells = cells.subset(~late)

    value, status = cells.value.copy(), cells.status.copy()
    rng = stream(seed, "imperfections", "missing")
    gap = (status == OK_CODE) & (rng.random(len(cells)) < MISSING_SHARE)
    status[gap], value[gap] = MISSING_CODE, np.nan

    threshold = pd.Series(cells.indicator).map(secret).fillna(0).to_numpy()
    small = (status == OK_CODE) & (value > 0) & (value < threshold)
    status[small], value[small] = SECRET_CODE, np.nan

    rng = stream(seed, "imperfections", "outliers")
    eligible = np.flatnonzero(
        (status == OK_CODE) & (value != 0) & ~pd.Series(cells.territory).isin(protected).to_numpy()
    )
    size = min(round(OUTLIER_SHARE * len(cells)), len(eligible))
    picked = np.sort(rng.choice(eligible, size=size, replace=False))
    value[picked] *= OUTLIER_FACTOR
    outliers = tuple(
        (str(cells.indicator[i]), str(cells.territory[i]), str(cells.period[i])) for i in picked
    )
    degraded = Cells(cells.indicator, cells.territory, cells.period, value, status)
    return degraded, Flaws(int(late.sum()), outliers)
