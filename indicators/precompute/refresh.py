"""Bring the pre-computed values up to date for what a load changed, and only that.

For each affected indicator (dependencies first) and each touched period: read the inputs at the
indicator's base level, compute the derived values there if it is derived, aggregate over every
group (:mod:`.groups`) and compute the medians by typology class, then replace the stored rows of
those (indicator, period) keys — all in the caller's transaction, so readers see the old numbers
or the new ones, never a mix. Reads and writes go at driver speed (:mod:`indicators.store.frames`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Select, case, delete, func, select
from sqlalchemy.orm import Session

from indicators.catalogue import Aggregation, Catalogue, Indicator
from indicators.compute import AggregationSpec, aggregate, derive
from indicators.compute.statuses import ABSENT_CODE, OK_CODE, STATUS_BY_CODE
from indicators.precompute.groups import GroupIndex, load_group_index
from indicators.precompute.scope import affected_indicators, base_level
from indicators.store.engine import bulk_pragmas
from indicators.store.frames import fetch_rows, frame_rows, insert_rows
from indicators.store.models import ComputedValue, Observation, utcnow
from indicators.store.models import Indicator as IndicatorRow
from indicators.store.prefix import has_prefix

WITHDRAWN = "withdrawn"
OBSERVATION_FRAME = ["indicator", "territory", "period", "value", "status"]
# Statuses read as small integers (no string per row), in the one encoding of
# ``indicators.compute.statuses``; a withdrawn value is left out, as if it had no row.
STATUSES = STATUS_BY_CODE
WITHDRAWN_CODE = ABSENT_CODE
CATEGORICAL = ("indicator", "territory", "period", "status")
COMPUTED_KEY = ("indicator_code", "territory_code", "period")
COMPUTED_COLUMNS = [
    "indicator_code",
    "territory_code",
    "territory_level",
    "period",
    "value",
    "status",
    "reported",
    "expected",
    "n_missing",
    "n_not_applicable",
    "n_secret",
    "numerator",
    "denominator",
    "indicator_version",
    "computed_at",
]


@dataclass(frozen=True)
class RefreshReport:
    indicators: int
    keys: int
    rows_written: int
    seconds: float

    def summary(self) -> str:
        return (
            f"Valeurs pré-calculées : {self.indicators} indicateurs, {self.keys} couples "
            f"indicateur × période, {self.rows_written} lignes écrites en {self.seconds:.1f} s."
        )


def aggregation_spec(indicator: Indicator) -> AggregationSpec:
    return AggregationSpec(
        rule=indicator.aggregation.value,  # type: ignore[arg-type]
        numerator=indicator.numerator,
        denominator=indicator.denominator,
        weight=indicator.weight,
        factor=indicator.factor if indicator.aggregation is Aggregation.RATIO else 1.0,
    )


def refresh_computed(
    session: Session,
    catalogue: Catalogue,
    changed: Mapping[str, Iterable[str]] | None = None,
    *,
    loaded: pd.DataFrame | None = None,
) -> RefreshReport:
    """Recompute for ``changed`` (indicator code -> periods), or for everything when ``None``.

    ``loaded``: the values a load has just written, as they now stand (columns ``indicator``,
    ``territory``, ``period``, ``value_type``, ``value``, ``status``). An input's period whose
    stored rows at the base level are exactly the load's (as many rows, counted on an index) is
    taken from them instead of being read back: a million-value load is not read twice.
    """
    start = time.perf_counter()
    touched = _touched(session, catalogue) if changed is None else _normalise(changed)
    order = affected_indicators(catalogue, touched)
    periods_of = _propagate_periods(catalogue, order, touched)
    groups = load_group_index(session)
    versions = dict(session.execute(select(IndicatorRow.code, IndicatorRow.current_version)).all())
    # SQLite keeps datetimes as text in SQLAlchemy's own format; other drivers take the object
    now = utcnow()
    stamp: str | datetime = (
        now.strftime("%Y-%m-%d %H:%M:%S.%f")
        if session.connection().dialect.name == "sqlite"
        else now
    )
    derived_cache: dict[str, pd.DataFrame] = {}  # inputs read or derived during this run
    written_values = _LoadedValues(loaded) if loaded is not None and not loaded.empty else None
    written = keys = 0
    # about one row read per territory of the referential and key (SQLite: cache and mmap)
    volume = len(groups.territories) * sum(len(periods) for periods in periods_of.values())
    with bulk_pragmas(session.connection(), volume):
        for code in order:
            periods = sorted(periods_of.get(code, ()))
            if not periods:
                continue
            indicator = catalogue.indicators[code]
            frame = _compute_indicator(
                session, catalogue, indicator, periods, groups, derived_cache, written_values
            )
            frame = frame.assign(indicator_version=versions.get(code), computed_at=stamp)
            # rows of keys already stored are updated in place, then what this run did not
            # write (a group left with no member row) is removed, all in one transaction
            written += insert_rows(
                session,
                ComputedValue.__tablename__,
                COMPUTED_COLUMNS,
                frame_rows(frame, COMPUTED_COLUMNS),
                replace_on=COMPUTED_KEY,
            )
            session.execute(
                delete(ComputedValue).where(
                    ComputedValue.indicator_code == code,
                    ComputedValue.period.in_(periods),
                    ComputedValue.computed_at != now,
                )
            )
            keys += len(periods)
    return RefreshReport(len(order), keys, written, time.perf_counter() - start)


def _compute_indicator(
    session: Session,
    catalogue: Catalogue,
    indicator: Indicator,
    periods: list[str],
    groups: GroupIndex,
    derived_cache: dict[str, pd.DataFrame],
    loaded: _LoadedValues | None,
) -> pd.DataFrame:
    level = base_level(indicator.levels).value
    inputs = set(indicator.dependencies) | ({indicator.code} if not indicator.is_derived else set())
    frames = [
        _input_values(session, catalogue, code, periods, level, derived_cache, loaded)
        for code in inputs
    ]
    observations = _concat(frames) if frames else _empty()
    parts: list[pd.DataFrame] = []
    if indicator.is_derived and indicator.formula is not None:
        derived = derive(observations, indicator.formula, indicator.code, factor=indicator.factor)
        derived = derived.astype({column: "category" for column in CATEGORICAL})
        derived_cache[indicator.code] = derived
        observations = _concat([observations, derived])
        parts.append(_territory_frame(derived, level))
    membership = groups.for_level(level)
    if membership is not None and not observations.empty:
        aggregates = aggregate(
            observations,
            membership,
            aggregation_spec(indicator),
            indicator.code,
            groups.populations,
            periods=periods,
        )
        # a group none of whose members has any row is not stored: readers show it as missing,
        # and France-wide groups of a two-région upload would otherwise be mostly empty rows
        present = aggregates["n"] > aggregates["n_absent"]
        parts.append(_aggregate_frame(aggregates[present]))
        parts.append(_median_frame(observations, indicator.code, groups))
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=COMPUTED_COLUMNS[:-2])
    return pd.concat(parts, ignore_index=True)


def _input_values(
    session: Session,
    catalogue: Catalogue,
    code: str,
    periods: list[str],
    level: str,
    derived_cache: dict[str, pd.DataFrame],
    loaded: _LoadedValues | None,
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
    frame = _concat(parts) if parts else _empty()
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


class _LoadedValues:
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


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
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


def _territory_frame(derived: pd.DataFrame, level: str) -> pd.DataFrame:
    status = derived["status"]
    return pd.DataFrame(
        {
            "indicator_code": derived["indicator"],
            "territory_code": derived["territory"],
            "territory_level": level,
            "period": derived["period"],
            "value": derived["value"].astype(float),
            "status": status,
            "reported": (status == "ok").astype(int),
            "expected": 1,
            "n_missing": (status == "missing").astype(int),
            "n_not_applicable": (status == "not_applicable").astype(int),
            "n_secret": (status == "secret").astype(int),
            "numerator": np.nan,
            "denominator": np.nan,
        }
    )


def _aggregate_frame(aggregates: pd.DataFrame) -> pd.DataFrame:
    groups = aggregates["group"].astype(str)
    return pd.DataFrame(
        {
            "indicator_code": aggregates["indicator"],
            "territory_code": groups,
            "territory_level": groups.str.split(":", n=1).str[0],
            "period": aggregates["period"],
            "value": aggregates["value"].astype(float),
            "status": aggregates["status"],
            "reported": aggregates["k"].astype(int),
            "expected": aggregates["n"].astype(int),
            "n_missing": (aggregates["n_missing"] + aggregates["n_absent"]).astype(int),
            "n_not_applicable": aggregates["n_not_applicable"].astype(int),
            "n_secret": aggregates["n_secret"].astype(int),
            "numerator": aggregates["numerator"].astype(float),
            "denominator": aggregates["denominator"].astype(float),
        }
    )


def _median_frame(observations: pd.DataFrame, code: str, groups: GroupIndex) -> pd.DataFrame:
    """Median of the territories' own values by typology class, stored as ``MED:<class>``: the
    "territories like this one" line of a territory's chart (a sum over a class is not that)."""
    own = observations[(observations["indicator"] == code) & (observations["status"] == "ok")]
    if own.empty:
        return pd.DataFrame()
    territory = own["territory"].astype("category")
    period = own["period"].astype("category")
    typology = groups.territories.set_index("code")["typology"]
    class_codes, classes = pd.factorize(typology.reindex(territory.cat.categories))
    row_class = class_codes[territory.cat.codes.to_numpy()]
    n_periods = len(period.cat.categories)
    key = row_class.astype(np.int64) * n_periods + period.cat.codes.to_numpy()
    key = np.where(row_class >= 0, key, -1)
    values = own["value"].to_numpy(dtype=np.float64)
    found = np.unique(key[key >= 0])
    if len(found) == 0:
        return pd.DataFrame()
    # a few classes × periods: one mask each is cheaper than a groupby on a million rows
    medians = np.array([np.median(values[key == one]) for one in found])
    counts = np.array([np.count_nonzero(key == one) for one in found], dtype=np.int64)
    return pd.DataFrame(
        {
            "indicator_code": code,
            "territory_code": "MED:" + classes.to_numpy(dtype=object)[found // n_periods],
            "territory_level": "MED",
            "period": period.cat.categories.to_numpy(dtype=object)[found % n_periods],
            "value": medians,
            "status": "ok",
            "reported": counts,
            "expected": counts,
            "n_missing": 0,
            "n_not_applicable": 0,
            "n_secret": 0,
            "numerator": np.nan,
            "denominator": np.nan,
        }
    )


def _touched(session: Session, catalogue: Catalogue) -> dict[str, set[str]]:
    """Every (indicator, period) holding a value: the scope of a full refresh."""
    pairs = session.execute(
        select(Observation.indicator_code, Observation.period)
        .where(Observation.value_type == "valeur")
        .distinct()
    ).all()
    touched: dict[str, set[str]] = {}
    for code, period in pairs:
        if code in catalogue.indicators:
            touched.setdefault(code, set()).add(period)
    return touched


def _normalise(changed: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    return {code: set(periods) for code, periods in changed.items()}


def _propagate_periods(
    catalogue: Catalogue, order: list[str], touched: Mapping[str, set[str]]
) -> dict[str, set[str]]:
    """A dependent is recomputed for every period one of its inputs changed in."""
    periods = {code: set(values) for code, values in touched.items()}
    for code in order:
        for dependency in catalogue.indicators[code].dependencies:
            periods.setdefault(code, set()).update(periods.get(dependency, set()))
    return periods


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=OBSERVATION_FRAME).astype({"value": "float64"})
