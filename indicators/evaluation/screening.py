"""Values an evaluator should know about: impossible ones are left out, gross outliers pointed at.

- *Out of range*: outside the indicator's valid range (a rate of 521 %) is a recording error:
  the cell becomes NaN with the status ``out_of_range``, and the panel warnings count it.
- *Outlier*: a value at least ``OUTLIER_RATIO`` times (or a ``OUTLIER_RATIO``-th of) its own
  territory's median and more than ``OUTLIER_SCALES`` times the series' noise away from it (a
  robust scale: the median absolute deviation of its period-to-period changes) — what a unit
  slip (x 10, x 1,000) looks like, while a policy effect of one or two noise levels, a trend, a
  new service starting from zero stay unflagged. Comparison territories and test territories
  before their entry are screened (after entry, a jump may be the effect). Outliers are *not*
  removed (a real jump must not vanish silently): a warning names them, and the evaluator can
  exclude the territory.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import Final

import numpy as np
import pandas as pd

from indicators.catalogue import ValidRange
from indicators.evaluation.panel import Panel

OUT_OF_RANGE: Final = "out_of_range"
OUTLIER_RATIO: Final = 3.0
OUTLIER_SCALES: Final = 10.0
OUTLIER_COLUMNS: Final = ("territory", "role", "period", "value", "median")
_MAD_TO_SD: Final = 1.4826
_MIN_PERIODS: Final = 4  # a shorter series cannot tell noise from a slip


def drop_out_of_range(panel: Panel, valid_range: ValidRange) -> Panel:
    """The panel without the values outside ``valid_range`` (status ``out_of_range``)."""
    low = valid_range.min if valid_range.min is not None else -np.inf
    high = valid_range.max if valid_range.max is not None else np.inf
    values, statuses = panel.values.copy(), panel.statuses.copy()
    with np.errstate(invalid="ignore"):
        impossible = ~np.isnan(values) & ((values < low) | (values > high))
    values[impossible], statuses[impossible] = np.nan, OUT_OF_RANGE
    return replace(panel, values=values, statuses=statuses)


def outliers(panel: Panel) -> pd.DataFrame:
    """Cells that look like a slip (:data:`OUTLIER_COLUMNS`), in unit and period order."""
    values = panel.values
    # a territory without values (all NaN) is expected: numpy's warning about it is noise
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        median = np.nanmedian(values, axis=1)
        changes = np.diff(values, axis=1)
        spread = np.nanmedian(np.abs(changes - np.nanmedian(changes, axis=1)[:, None]), axis=1)
        # a change is the difference of two noisy values: sd(noise) = sd(change) / sqrt 2
        scale = _MAD_TO_SD * spread / np.sqrt(2)
        far = np.abs(values - median[:, None]) > OUTLIER_SCALES * scale[:, None]
        ratio = np.abs(values / median[:, None])
    long_enough = (~np.isnan(values)).sum(axis=1) >= _MIN_PERIODS
    # after entry, a test territory's jump may be the effect itself: not second-guessed here
    before_entry = ~panel.is_test[:, None] | (
        np.arange(values.shape[1])[None, :] < panel.cohorts[:, None]
    )
    suspect = (
        before_entry
        & far
        & ((ratio >= OUTLIER_RATIO) | (ratio <= 1 / OUTLIER_RATIO))
        & (median != 0)[:, None]
        & long_enough[:, None]
        & ~np.isnan(values)
    )
    rows, columns = np.nonzero(suspect)
    return pd.DataFrame(
        {
            "territory": panel.units["territory"].to_numpy()[rows],
            "role": panel.units["role"].to_numpy()[rows],
            "period": np.asarray(panel.periods, dtype=object)[columns],
            "value": values[rows, columns],
            "median": median[rows],
        },
        columns=list(OUTLIER_COLUMNS),
    )
