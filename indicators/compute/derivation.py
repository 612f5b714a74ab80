"""Derived indicators: a formula evaluated on its input indicators, per (territory, period).

The formula is anything with ``variables`` and a vectorised ``evaluate`` (the catalogue's
``Formula`` is one); inputs are laid out wide on the (territory, period) cells where at least one
input has a row, and evaluated in one call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from .observations import OBSERVATION_COLUMNS, check_unique_cells, encode
from .statuses import (
    ABSENT_CODE,
    MISSING_CODE,
    OK_CODE,
    SECRET_CODE,
    STATUS_BY_CODE,
    combine_status_codes,
)

FormulaResult = pd.Series | npt.NDArray[np.float64] | float


class FormulaLike(Protocol):
    """What :func:`derive` needs from a formula."""

    @property
    def variables(self) -> frozenset[str]: ...

    def evaluate(self, env: Mapping[str, pd.Series]) -> FormulaResult: ...


def derive(
    observations: pd.DataFrame,
    formula: FormulaLike,
    code: str,
    *,
    variables: Mapping[str, str] | None = None,
    factor: float = 1.0,
) -> pd.DataFrame:
    """Observations of the derived indicator ``code`` (same columns as the input frame).

    ``variables`` maps a formula variable to the indicator code it reads (default: the variable
    is the code). The result is ``factor * formula``. Its status, on each cell:

    - secret if any input is secret (a derived value must not reveal a secret one);
    - otherwise ok if the formula gives a finite number — with plain arithmetic this requires
      every input to be ok; ``coalesce()`` may stand in for a missing input;
    - otherwise missing if any input is missing or has no row, else not applicable if any is;
    - otherwise (every input ok, result undefined: division by zero, ``log(0)``) missing.
    """
    names = sorted(formula.variables)
    codes = [variables.get(name, name) if variables else name for name in names]
    encoded = encode(observations, codes)
    n_periods = len(encoded.periods)
    cell_keys = encoded.territory * n_periods + encoded.period
    cells, cell_of_row = np.unique(cell_keys, return_inverse=True)
    n_inputs, n_cells = len(encoded.indicator_codes), len(cells)
    slot = encoded.indicator * n_cells + cell_of_row
    values = np.full((n_inputs, n_cells), np.nan)
    statuses = np.full((n_inputs, n_cells), ABSENT_CODE, dtype=np.int8)
    values.reshape(-1)[slot] = encoded.value  # views: fills the 2-D arrays
    statuses.reshape(-1)[slot] = encoded.status
    check_unique_cells(statuses, len(slot))

    position = {input_code: i for i, input_code in enumerate(encoded.indicator_codes)}
    env = {name: pd.Series(values[position[c]]) for name, c in zip(names, codes, strict=True)}
    result = factor * _as_array(formula.evaluate(env), n_cells) if n_cells else np.empty(0)
    status = _derived_status(statuses, np.isfinite(result))
    return pd.DataFrame(
        {
            "indicator": code,
            "territory": encoded.territories.to_numpy(dtype=object)[cells // max(n_periods, 1)],
            "period": np.asarray(encoded.periods, dtype=object)[cells % max(n_periods, 1)],
            "value": np.where(status == OK_CODE, result, np.nan),
            "status": np.asarray(STATUS_BY_CODE, dtype=object)[status],
        },
        columns=list(OBSERVATION_COLUMNS),
    )


def _as_array(result: FormulaResult, size: int) -> npt.NDArray[np.float64]:
    if isinstance(result, pd.Series):
        return result.to_numpy(dtype=np.float64, na_value=np.nan)
    # A formula without variables (a constant) answers a scalar: one value for every cell.
    return np.broadcast_to(np.asarray(result, dtype=np.float64), (size,)).copy()


def _derived_status(
    statuses: npt.NDArray[np.int8], finite: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int8]:
    combined = combine_status_codes(statuses)  # never absent: each cell has at least one row
    any_secret = (statuses == SECRET_CODE).any(axis=0)
    undefined = np.where(combined == OK_CODE, MISSING_CODE, combined)
    return np.where(any_secret, SECRET_CODE, np.where(finite, OK_CODE, undefined)).astype(np.int8)
