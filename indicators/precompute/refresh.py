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

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from indicators.catalogue import Aggregation, Catalogue, Indicator
from indicators.compute import AggregationSpec, aggregate, derive
from indicators.precompute.computed_rows import (
    COMPUTED_COLUMNS,
    COMPUTED_KEY,
    aggregate_rows,
    median_rows,
    territory_rows,
)
from indicators.precompute.groups import GroupIndex, load_group_index
from indicators.precompute.inputs import (
    CATEGORICAL,
    LoadedValues,
    concat_frames,
    empty_frame,
    input_values,
)
from indicators.precompute.scope import affected_indicators, base_level
from indicators.store.engine import bulk_pragmas
from indicators.store.frames import frame_rows, insert_rows
from indicators.store.models import ComputedValue, Observation, utcnow
from indicators.store.models import Indicator as IndicatorRow


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
    written_values = LoadedValues(loaded) if loaded is not None and not loaded.empty else None
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
    loaded: LoadedValues | None,
) -> pd.DataFrame:
    level = base_level(indicator.levels).value
    inputs = set(indicator.dependencies) | ({indicator.code} if not indicator.is_derived else set())
    frames = [
        input_values(session, catalogue, code, periods, level, derived_cache, loaded)
        for code in inputs
    ]
    observations = concat_frames(frames) if frames else empty_frame()
    parts: list[pd.DataFrame] = []
    if indicator.is_derived and indicator.formula is not None:
        derived = derive(observations, indicator.formula, indicator.code, factor=indicator.factor)
        derived = derived.astype({column: "category" for column in CATEGORICAL})
        derived_cache[indicator.code] = derived
        observations = concat_frames([observations, derived])
        parts.append(territory_rows(derived, level))
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
        parts.append(aggregate_rows(aggregates[present]))
        parts.append(median_rows(observations, indicator.code, groups))
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=COMPUTED_COLUMNS[:-2])
    return pd.concat(parts, ignore_index=True)


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
