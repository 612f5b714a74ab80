"""What a chart may trust about an indicator's values, read from its definition (issue #16).

- :func:`expected_range`: the valid range of the definition; a percentage without one is read as
  0–100, since a share cannot leave it.
- :func:`outside_range`: which reported values fall outside that range. Such a value (a 212 %
  rate) is a recording or computing slip: charts mark it and leave it out of colour scales,
  they never draw it as if it were real. One rule, used by every chart.
- :func:`colour_scale`: a sequential scale for a quantity that only grows from nothing (a count,
  a rate), a diverging one centred on 0 only for a quantity whose range allows both signs (a
  balance of openings and closings, a change).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from indicators.catalogue.model import Indicator, ValidRange

PERCENT_RANGE: Final = ValidRange(0.0, 100.0)
ScaleKind = Literal["sequential", "diverging"]


def expected_range(indicator: Indicator) -> ValidRange:
    """The definition's valid range, or 0–100 for a percentage that declares none."""
    declared = indicator.valid_range
    if declared.min is None and declared.max is None and indicator.unit == "%":
        return PERCENT_RANGE
    return declared


def outside_range(
    values: npt.ArrayLike, valid_range: ValidRange, statuses: npt.ArrayLike | None = None
) -> npt.NDArray[np.bool_]:
    """True where a finite value (of status ``ok`` when ``statuses`` are given) lies outside
    ``valid_range``; gaps, secrets and NaN are never flagged (they carry no number)."""
    numbers = np.asarray(values, dtype=float)
    low = -np.inf if valid_range.min is None else valid_range.min
    high = np.inf if valid_range.max is None else valid_range.max
    with np.errstate(invalid="ignore"):
        flagged = np.isfinite(numbers) & ((numbers < low) | (numbers > high))
    if statuses is not None:
        flagged &= np.asarray(statuses, dtype=object) == "ok"
    return np.asarray(flagged, dtype=bool)


@dataclass(frozen=True)
class ColourScale:
    kind: ScaleKind
    centre: float | None = None  # the meaningful middle of a diverging scale


def colour_scale(indicator: Indicator) -> ColourScale:
    """Diverging around 0 when the indicator's range allows values on both sides of 0 (a balance,
    a gap, a change); sequential otherwise (a count, a rate, an amount: 0 is "none", not a
    middle)."""
    valid = expected_range(indicator)
    negatives = valid.min is None or valid.min < 0
    positives = valid.max is None or valid.max > 0
    if negatives and positives:
        return ColourScale("diverging", 0.0)
    return ColourScale("sequential")
