"""Bring the pre-computed values up to date for what a load changed, and only that.

For each affected indicator (dependencies first) and each touched period: read the inputs at the
indicator's base level, compute the derived values there if it is derived, aggregate over every
group (:mod:`.groups`), then replace the stored rows of those (indicator, period) keys — all in the
caller's transaction, so readers see the old numbers or the new ones, never a mix.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from indicators.catalogue import Aggregation, Catalogue, Indicator
from indicators.compute import AggregationSpec, aggregate, derive
from indicators.precompute.groups import GroupIndex, group_level, load_group_index
from indicators.precompute.scope import affected_indicators, base_level
from indicators.store.models import ComputedValue, Observation, utcnow
from indicators.store.models import Indicator as IndicatorRow

OBSERVATION_FRAME = ["indicator", "territory", "period", "value", "status"]
_CHUNK = 500  # bound the number of SQL parameters per IN clause


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
    derived_cache: dict[str, pd.DataFrame] = {}
    written = keys = 0
    for code in order:
        periods = sorted(periods_of.get(code, ()))
        if not periods:
            continue
        indicator = catalogue.indicators[code]
        rows = _compute_indicator(session, catalogue, indicator, periods, groups, derived_cache)
        session.execute(
            delete(ComputedValue).where(
                ComputedValue.indicator_code == code, ComputedValue.period.in_(periods)
            )
        )
        if rows:
            version = versions.get(code)
            for row in rows:
                row["indicator_version"] = version
            session.execute(insert(ComputedValue), rows)
        written += len(rows)
        keys += len(periods)
    return RefreshReport(len(order), keys, written, time.perf_counter() - start)


def _compute_indicator(
    session: Session,
    catalogue: Catalogue,
    indicator: Indicator,
    periods: list[str],
    groups: GroupIndex,
    derived_cache: dict[str, pd.DataFrame],
) -> list[dict[str, Any]]:
    level = base_level(indicator.levels).value
    inputs = set(indicator.dependencies) | ({indicator.code} if not indicator.is_derived else set())
    frames = [
        _input_values(session, catalogue, code, periods, level, derived_cache) for code in inputs
    ]
    observations = pd.concat(frames, ignore_index=True) if frames else _empty()
    rows: list[dict[str, Any]] = []
    if indicator.is_derived and indicator.formula is not None:
        derived = derive(observations, indicator.formula, indicator.code, factor=indicator.factor)
        derived_cache[indicator.code] = derived
        observations = pd.concat([observations, derived], ignore_index=True)
        rows += _territory_rows(derived, level)
    membership = groups.for_level(level)
    if membership is None or observations.empty:
        return rows
    aggregates = aggregate(
        observations,
        membership,
        aggregation_spec(indicator),
        indicator.code,
        groups.populations,
        periods=periods,
    )
    aggregates = aggregates[aggregates["n"] > 0]
    rows += _aggregate_rows(aggregates)
    rows += _median_rows(observations, indicator.code, groups)
    return rows


def _input_values(
    session: Session,
    catalogue: Catalogue,
    code: str,
    periods: list[str],
    level: str,
    derived_cache: dict[str, pd.DataFrame],
) -> pd.DataFrame:
    """Values of one input at the base level: uploaded, or computed if it is itself derived."""
    if code in derived_cache:
        frame = derived_cache[code]
        return frame[frame["period"].isin(periods)]
    definition = catalogue.indicators.get(code)
    prefix = f"{level}:" if level != "FR" else "FR"
    if definition is not None and definition.is_derived:
        model: Any = ComputedValue
        query = select(
            ComputedValue.indicator_code,
            ComputedValue.territory_code,
            ComputedValue.period,
            ComputedValue.value,
            ComputedValue.status,
        ).where(ComputedValue.territory_level == level)
    else:
        model = Observation
        query = select(
            Observation.indicator_code,
            Observation.territory_code,
            Observation.period,
            Observation.value,
            Observation.status,
        ).where(Observation.value_type == "valeur")
    query = query.where(
        model.indicator_code == code,
        model.period.in_(periods),
        model.territory_code.startswith(prefix, autoescape=True),
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=OBSERVATION_FRAME)
    frame = frame[frame["status"] != "withdrawn"]
    frame.loc[frame["status"] != "ok", "value"] = np.nan
    return frame.astype({"value": "float64"})


def _territory_rows(derived: pd.DataFrame, level: str) -> list[dict[str, Any]]:
    now = utcnow()
    values = derived["value"].to_numpy(dtype=float)
    return [
        {
            "indicator_code": indicator,
            "territory_code": territory,
            "territory_level": level,
            "period": period,
            "value": None if np.isnan(value) else float(value),
            "status": status,
            "reported": int(status == "ok"),
            "expected": 1,
            "n_missing": int(status == "missing"),
            "n_not_applicable": int(status == "not_applicable"),
            "n_secret": int(status == "secret"),
            "numerator": None,
            "denominator": None,
            "computed_at": now,
        }
        for indicator, territory, period, value, status in zip(
            derived["indicator"],
            derived["territory"],
            derived["period"],
            values,
            derived["status"],
            strict=True,
        )
    ]


def _aggregate_rows(aggregates: pd.DataFrame) -> list[dict[str, Any]]:
    now = utcnow()
    frame = aggregates.replace({np.nan: None})
    return [
        {
            "indicator_code": row["indicator"],
            "territory_code": row["group"],
            "territory_level": group_level(row["group"]),
            "period": row["period"],
            "value": row["value"],
            "status": row["status"],
            "reported": int(row["k"]),
            "expected": int(row["n"]),
            "n_missing": int(row["n_missing"]) + int(row["n_absent"]),
            "n_not_applicable": int(row["n_not_applicable"]),
            "n_secret": int(row["n_secret"]),
            "numerator": row["numerator"],
            "denominator": row["denominator"],
            "computed_at": now,
        }
        for row in frame.to_dict("records")
    ]


def _median_rows(observations: pd.DataFrame, code: str, groups: GroupIndex) -> list[dict[str, Any]]:
    """Median of the territories' own values by typology class, stored as ``MED:<class>``: the
    "territories like this one" line of a territory's chart (a sum over a class is not that)."""
    own = observations[(observations["indicator"] == code) & (observations["status"] == "ok")]
    if own.empty:
        return []
    typology = groups.territories.set_index("code")["typology"]
    classed = own.assign(typology=own["territory"].map(typology)).dropna(subset=["typology"])
    if classed.empty:
        return []
    now = utcnow()
    medians = (
        classed.groupby(["typology", "period"])["value"].agg(["median", "count"]).reset_index()
    )
    return [
        {
            "indicator_code": code,
            "territory_code": f"MED:{row['typology']}",
            "territory_level": "MED",
            "period": row["period"],
            "value": float(row["median"]),
            "status": "ok",
            "reported": int(row["count"]),
            "expected": int(row["count"]),
            "n_missing": 0,
            "n_not_applicable": 0,
            "n_secret": 0,
            "numerator": None,
            "denominator": None,
            "computed_at": now,
        }
        for row in medians.to_dict("records")
    ]


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
