"""Check an observations frame and encode the rows a computation needs as integer arrays.

Every computation maps strings to positions once, here, then works on numpy arrays: string
hashing is the dominant cost on 400,000-row frames, so categorical columns are read through
their (few) categories instead of their rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.french import agree, plural
from indicators.periods import PeriodError, parse_period

from .statuses import ABSENT_CODE, OK, OK_CODE, STATUS_BY_CODE, StatusCodes

OBSERVATION_COLUMNS: Final = ("indicator", "territory", "period", "value", "status")

IntArray = npt.NDArray[np.intp]

_SAMPLE_STEP: Final = 97  # rows of a sample to guess the distinct periods from
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class EncodedObservations:
    """The rows of the requested indicators, as positions into the three ``*_codes`` lists."""

    indicator: IntArray
    territory: IntArray
    period: IntArray
    value: FloatArray  # NaN unless the status is ok
    status: StatusCodes
    indicator_codes: tuple[str, ...]
    territories: pd.Index
    periods: tuple[str, ...]  # chronological


def check_columns(frame: pd.DataFrame, required: Sequence[str], what: str) -> None:
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} : {agree(len(missing), 'colonne manquante', 'colonnes manquantes')} "
            + ", ".join(missing)
        )


def sort_periods(periods: Sequence[str]) -> tuple[str, ...]:
    """Chronological order (a year sorts before its own first quarter); refuses a bad period."""
    try:
        return tuple(sorted(periods, key=parse_period))
    except PeriodError as error:
        raise ValueError(str(error)) from None


def encode(
    observations: pd.DataFrame,
    indicator_codes: Sequence[str],
    *,
    territories: pd.Index | None = None,
    periods: Sequence[str] | None = None,
) -> EncodedObservations:
    """Encode the rows of ``indicator_codes``.

    With ``territories`` (or ``periods``) given, rows of other territories (periods) are dropped;
    otherwise the distinct values found are used, territories sorted, periods chronological.
    Raises ``ValueError`` (French message) on an unknown status or an ok row without a finite value.
    """
    check_columns(observations, OBSERVATION_COLUMNS, "observations")
    wanted = pd.Index(list(dict.fromkeys(indicator_codes)), dtype=object)
    indicator = _positions(observations["indicator"], wanted)
    keep = indicator >= 0
    rows = observations if keep.all() else observations[keep]  # skip a copy in the common case
    indicator = indicator[keep]
    if territories is None:
        territory, found = _factorize(rows["territory"], sorted)
        territories = pd.Index(found, dtype=object)
    else:
        territory = _positions(rows["territory"], territories)
    if periods is None:
        period, chronological = _factorize(rows["period"], sort_periods, few=True)
        if (period < 0).any():
            raise ValueError("observations : période vide")
    else:
        chronological = sort_periods(periods)
        period = _positions(rows["period"], pd.Index(chronological, dtype=object))
    status = _status_codes(rows["status"])
    value = rows["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    _check_values(value, status)
    value = np.where(status == OK_CODE, value, np.nan)  # a value beside a non-ok status is noise
    inside = (territory >= 0) & (period >= 0)
    if not inside.all():
        indicator, territory, period = indicator[inside], territory[inside], period[inside]
        value, status = value[inside], status[inside]
    return EncodedObservations(
        indicator=indicator,
        territory=territory,
        period=period,
        value=value,
        status=status,
        indicator_codes=tuple(wanted),
        territories=territories,
        periods=chronological,
    )


def _factorize(
    column: pd.Series, order: Callable[[list[str]], Sequence[str]], *, few: bool = False
) -> tuple[IntArray, tuple[str, ...]]:
    """Codes into the distinct values of ``column`` put in ``order`` (-1 for an empty cell).

    One hashing pass over the rows (not one to find the values and another to look them up);
    the few distinct values are then sorted and the codes renumbered.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.intp)
        found = column.cat.categories.to_numpy(dtype=object)
    elif few:
        codes, found = _factorize_few(column.to_numpy(dtype=object))
    else:
        codes, found = pd.factorize(column.to_numpy(dtype=object))
    used = np.bincount(codes[codes >= 0], minlength=len(found)) > 0  # unused categories
    # An empty cell (NaN) is left out of the values, so it is renumbered -1.
    kept = [value for value, u in zip(found, used, strict=True) if u and isinstance(value, str)]
    ordered = tuple(order(kept))
    position = pd.Index(ordered, dtype=object).get_indexer(pd.Index(found, dtype=object))
    renumber = np.append(position, -1)
    return renumber[codes].astype(np.intp, copy=False), ordered


def _factorize_few(values: npt.NDArray[np.object_]) -> tuple[IntArray, npt.NDArray[np.object_]]:
    """``pd.factorize`` for a column with few distinct values (periods), about twice as fast.

    The values are guessed from a sample, looked up, and only rows the sample missed are
    factorized again: one lookup pass instead of a full factorization.
    """
    found = pd.Index(pd.unique(values[::_SAMPLE_STEP]), dtype=object)
    codes = found.get_indexer(pd.Index(values, dtype=object, copy=False)).astype(np.intp)
    missed = codes < 0
    if missed.any():
        found = found.append(pd.Index(pd.unique(values[missed]), dtype=object))
        codes[missed] = found.get_indexer(pd.Index(values[missed], dtype=object))
    return codes, found.to_numpy(dtype=object)


def _positions(column: pd.Series, uniques: pd.Index) -> IntArray:
    """Position of each row's value in ``uniques`` (-1 when absent)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # One more slot at the end answers code -1 (a missing value) with -1.
        by_category = np.append(uniques.get_indexer(column.cat.categories), -1).astype(np.intp)
        return by_category[column.cat.codes.to_numpy()]
    if len(uniques) == 1:  # comparing strings costs half of hashing them
        return np.where(column.to_numpy(dtype=object) == uniques[0], 0, -1).astype(np.intp)
    return uniques.get_indexer(pd.Index(column, copy=False)).astype(np.intp, copy=False)


def _status_codes(column: pd.Series) -> StatusCodes:
    statuses = pd.Index(STATUS_BY_CODE, dtype=object)
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = _positions(column, statuses)
    else:
        # Most rows are ok: compare them, hash only the others.
        text = column.to_numpy(dtype=object)
        codes = np.full(len(text), OK_CODE, dtype=np.intp)
        other = text != OK
        codes[other] = statuses.get_indexer(pd.Index(text[other], dtype=object))
    if (codes < 0).any():
        unknown = sorted({str(value) for value in column[codes < 0].unique()})
        expected = ", ".join(STATUS_BY_CODE)
        raise ValueError(
            f"{agree(len(unknown), 'statut inconnu', 'statuts inconnus')} "
            f"{', '.join(unknown)} : attendu {expected}"
        )
    return codes.astype(np.int8)


def _check_values(value: FloatArray, status: StatusCodes) -> None:
    bad = (status == OK_CODE) & ~np.isfinite(value)
    if bad.any():
        raise ValueError(
            f"{plural(int(bad.sum()), 'observation')} au statut « ok » sans valeur finie : "
            "une valeur absente doit porter le statut missing, not_applicable ou secret"
        )


def check_unique_cells(statuses: StatusCodes, rows: int) -> None:
    """Refuse two rows for one (indicator, territory, period) once ``rows`` rows were scattered
    into ``statuses``: fewer filled cells than rows means two rows landed in one cell."""
    if int(np.count_nonzero(statuses != ABSENT_CODE)) < rows:
        raise ValueError("observations en double pour un même (indicateur, territoire, période)")
