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
import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from indicators.catalogue import Aggregation, Catalogue, Indicator
from indicators.compute import AggregationSpec, aggregate, derive
from indicators.precompute.groups import GroupIndex, load_group_index
from indicators.precompute.scope import affected_indicators, base_level
from indicators.store.frames import insert_rows, read_frame
from indicators.store.models import ComputedValue, Observation, utcnow
from indicators.store.models import Indicator as IndicatorRow
from indicators.store.prefix import has_prefix

OBSERVATION_FRAME = ["indicator", "territory", "period", "value", "status"]
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
) -> RefreshReport:
    """Recompute for ``changed`` (indicator code -> periods), or for everything when ``None``."""
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
    written = keys = 0
    for code in order:
        periods = sorted(periods_of.get(code, ()))
        if not periods:
            continue
        indicator = catalogue.indicators[code]
        frame = _compute_indicator(session, catalogue, indicator, periods, groups, derived_cache)
        session.execute(
            delete(ComputedValue).where(
                ComputedValue.indicator_code == code, ComputedValue.period.in_(periods)
            )
        )
        frame = frame.assign(indicator_version=versions.get(code), computed_at=stamp)
        written += insert_rows(
            session, ComputedValue.__tablename__, COMPUTED_COLUMNS, _tuples(frame)
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
) -> pd.DataFrame:
    level = base_level(indicator.levels).value
    inputs = set(indicator.dependencies) | ({indicator.code} if not indicator.is_derived else set())
    frames = [
        _input_values(session, catalogue, code, periods, level, derived_cache) for code in inputs
    ]
    observations = pd.concat(frames, ignore_index=True) if frames else _empty()
    parts: list[pd.DataFrame] = []
    if indicator.is_derived and indicator.formula is not None:
        derived = derive(observations, indicator.formula, indicator.code, factor=indicator.factor)
        derived_cache[indicator.code] = derived
        observations = pd.concat([observations, derived], ignore_index=True)
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
) -> pd.DataFrame:
    """Values of one input at the base level: uploaded, or computed if it is itself derived."""
    cached = derived_cache.get(code)
    if cached is not None and set(periods) <= set(cached["period"].unique()):
        return cached[cached["period"].isin(periods)]
    definition = catalogue.indicators.get(code)
    prefix = f"{level}:" if level != "FR" else "FR"
    if definition is not None and definition.is_derived:
        query = select(
            ComputedValue.indicator_code,
            ComputedValue.territory_code,
            ComputedValue.period,
            ComputedValue.value,
            ComputedValue.status,
        ).where(
            ComputedValue.territory_level == level,
            ComputedValue.indicator_code == code,
            ComputedValue.period.in_(periods),
            has_prefix(ComputedValue.territory_code, prefix),
        )
    else:
        query = select(
            Observation.indicator_code,
            Observation.territory_code,
            Observation.period,
            Observation.value,
            Observation.status,
        ).where(
            Observation.value_type == "valeur",
            Observation.indicator_code == code,
            Observation.period.in_(periods),
            has_prefix(Observation.territory_code, prefix),
        )
    frame = read_frame(session, query, OBSERVATION_FRAME)
    frame = frame[frame["status"] != "withdrawn"]
    frame.loc[frame["status"] != "ok", "value"] = np.nan
    frame = frame.astype({"value": "float64"})
    # ratio terms and formula inputs are read again by their dependents: keep them for the run
    derived_cache[code] = frame
    return frame


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
    typology = groups.territories.set_index("code")["typology"]
    classed = own.assign(typology=own["territory"].map(typology)).dropna(subset=["typology"])
    if classed.empty:
        return pd.DataFrame()
    medians = (
        classed.groupby(["typology", "period"])["value"].agg(["median", "count"]).reset_index()
    )
    counts = medians["count"].astype(int)
    return pd.DataFrame(
        {
            "indicator_code": code,
            "territory_code": "MED:" + medians["typology"].astype(str),
            "territory_level": "MED",
            "period": medians["period"],
            "value": medians["median"].astype(float),
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


def _tuples(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """Rows in table order, NaN as NULL, numpy scalars as Python ones (drivers want those)."""
    ordered = frame[COMPUTED_COLUMNS].astype(object)
    ordered = ordered.where(ordered.notna(), None)
    return list(ordered.itertuples(index=False, name=None))


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
