"""A refresh's inputs: one indicator's values at its base level as categorical frames, read
from the store (or taken from the load just written), withdrawn values left out."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.compute.statuses import ABSENT_CODE, OK_CODE, STATUS_BY_CODE
from indicators.store.frames import fetch_rows
from indicators.store.models import ComputedValue, Observation
from indicators.store.prefix import has_prefix

WITHDRAWN = "withdrawn"
OBSERVATION_FRAME = ["indicator", "territory", "period", "value", "status"]
# Statuses read as small integers (no string per row), in the one encoding of
# ``indicators.compute.statuses``; a withdrawn value is left out, as if it had no row.
STATUSES = STATUS_BY_CODE
WITHDRAWN_CODE = ABSENT_CODE
CATEGORICAL = ("indicator", "territory", "period", "status")


def input_values(
    session: Session,
    catalogue: Catalogue,
    code: str,
    periods: list[str],
    level: str,
    derived_cache: dict[str, pd.DataFrame],
    loaded: LoadedValues | None,
) -> pd.DataFrame:
    """Values of one input at the base level: uploaded, or computed if it is itself derived."""
    cached = derived_cache.get(code)
    if cached is not None and set(periods) <= set(cached["period"].unique()):
        return cached[cached["period"].isin(periods)]
    definition = catalogue.indicators.get(code)
    prefix = f"{level}:" if level != "FR" else "FR"
    table: type[ComputedValue] | type[Observation] = Observation
    if definition is not None and definition.is_derived:
        table = ComputedValue
    status = case(
        {name: number for number, name in enumerate((*STATUSES, WITHDRAWN))},
        value=table.status,
        else_=-1,
    )
    parts: list[pd.DataFrame] = []
    # one query per period: the indicator and the period are not read again on every row
    for period in periods:
        if table is Observation and loaded is not None:
            given = loaded.frame(session, code, period, prefix)
            if given is not None:
                parts.append(given)
                continue
        query = select(table.territory_code, table.value, status).where(
            table.indicator_code == code,
            table.period == period,
            has_prefix(table.territory_code, prefix),
        )
        if table is ComputedValue:
            query = query.where(ComputedValue.territory_level == level)
        else:
            query = query.where(Observation.value_type == "valeur")
        parts.append(_observation_frame(session, query, code, period))
    frame = concat_frames(parts) if parts else empty_frame()
    # ratio terms and formula inputs are read again by their dependents: keep them for the run
    derived_cache[code] = frame
    return frame


def _observation_frame(
    session: Session, query: Select[tuple[str, float | None, int]], code: str, period: str
) -> pd.DataFrame:
    """The rows of one indicator and period, categorical columns, withdrawn values left out."""
    rows = fetch_rows(session, query)
    # column by column with list comprehensions: ``zip(*rows)`` costs ten times more
    status = np.asarray([row[2] for row in rows], dtype=np.int8)
    if (status < 0).any():
        raise ValueError(f"{code} {period} : statut inconnu dans les valeurs stockées")
    value = np.asarray([row[1] for row in rows], dtype=np.float64)  # None -> NaN
    territories = np.asarray([row[0] for row in rows], dtype=object)
    return _frame_of(territories, value, status, code, period)


def _frame_of(
    territories: npt.NDArray[np.object_],
    value: npt.NDArray[np.float64],
    status: npt.NDArray[np.int8],
    code: str,
    period: str,
) -> pd.DataFrame:
    """An observation frame of one indicator and period, categorical columns, withdrawn values
    left out, NaN where the status is not ok."""
    territory_codes, uniques = pd.factorize(territories)
    keep = status != WITHDRAWN_CODE
    size = int(keep.sum())
    return pd.DataFrame(
        {
            "indicator": _constant(code, size),
            "territory": pd.Categorical.from_codes(
                territory_codes[keep], pd.Index(uniques), validate=False
            ),
            "period": _constant(period, size),
            "value": np.where(status[keep] == OK_CODE, value[keep], np.nan),
            "status": pd.Categorical.from_codes(status[keep], pd.Index(STATUSES)),
        }
    )


class LoadedValues:
    """The rows of a load, found by (indicator, period) without scanning them each time."""

    def __init__(self, values: pd.DataFrame) -> None:
        self.values = values
        indicator_codes, indicators = pd.factorize(values["indicator"])
        period_codes, periods = pd.factorize(values["period"])
        key = indicator_codes.astype(np.int64) * max(len(periods), 1) + period_codes
        order = np.argsort(key, kind="stable")
        found, starts = np.unique(key[order], return_index=True)
        ends = np.append(starts[1:], len(order))
        self.rows: dict[tuple[str, str], npt.NDArray[np.intp]] = {
            (str(indicators[k // len(periods)]), str(periods[k % len(periods)])): order[a:b]
            for k, a, b in zip(found.tolist(), starts.tolist(), ends.tolist(), strict=True)
        }

    def frame(self, session: Session, code: str, period: str, prefix: str) -> pd.DataFrame | None:
        """The load's values of ``code`` and ``period`` under ``prefix``, when they are all the
        stored ones (every value type counted, on the index alone); else ``None``."""
        rows = self.rows.get((code, period))
        if rows is None:
            return None
        given = self.values.iloc[rows]
        territories = given["territory"].to_numpy(dtype=object)
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        given = given[(territories >= prefix) & (territories < upper)]
        stored = session.scalar(
            select(func.count()).where(
                Observation.indicator_code == code,
                Observation.period == period,
                has_prefix(Observation.territory_code, prefix),
            )
        )
        if stored != len(given):
            return None
        given = given[given["value_type"].to_numpy() == "valeur"]
        status = pd.Categorical(given["status"], categories=(*STATUSES, WITHDRAWN))
        codes = status.codes.astype(np.int8)
        if (codes < 0).any():
            raise ValueError(f"{code} {period} : statut inconnu dans les valeurs chargées")
        value = given["value"].to_numpy(dtype=np.float64, na_value=np.nan)
        return _frame_of(given["territory"].to_numpy(dtype=object), value, codes, code, period)


def _constant(value: str, size: int) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(np.zeros(size, dtype=np.int8), pd.Index([value]))


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat`` that keeps categorical columns categorical (on the union of categories)."""
    frames = [frame for frame in frames if not frame.empty] or frames[:1]
    if len(frames) == 1:
        return frames[0]
    aligned = frames
    for column in CATEGORICAL:
        dtypes = [frame[column].dtype for frame in aligned]
        if not all(isinstance(dtype, pd.CategoricalDtype) for dtype in dtypes):
            continue
        if all(dtype == dtypes[0] for dtype in dtypes):
            continue
        known = [frame[column].cat.categories.to_numpy(dtype=object) for frame in aligned]
        union = pd.Index(pd.unique(np.concatenate(known)))
        aligned = [
            frame.assign(**{column: frame[column].cat.set_categories(union)}) for frame in aligned
        ]
    return pd.concat(aligned, ignore_index=True)


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame(columns=OBSERVATION_FRAME).astype({"value": "float64"})
