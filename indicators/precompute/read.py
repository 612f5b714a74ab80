"""Read values by key for the dashboard: a map vector or a time series, in a few milliseconds.

An uploaded value wins over a computed one for the same territory and period: a partner's
official figure for a département may include what no commune reports.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from indicators.store.models import ComputedValue, Observation
from indicators.store.prefix import has_prefix

VALUE_COLUMNS = ["territory", "period", "value", "status", "reported", "expected", "source"]


def _observations(query: Select[tuple[str, str, float | None, str]]) -> Select:  # type: ignore[type-arg]
    return query.where(Observation.value_type == "valeur", Observation.status != "withdrawn")


def _frame(session: Session, observed: Select, computed: Select) -> pd.DataFrame:  # type: ignore[type-arg]
    uploaded = pd.DataFrame(
        session.execute(observed).all(), columns=["territory", "period", "value", "status"]
    )
    uploaded = uploaded.assign(
        reported=(uploaded["status"] == "ok").astype("int64"), expected=1, source="chargement"
    )
    aggregated = pd.DataFrame(
        session.execute(computed).all(),
        columns=["territory", "period", "value", "status", "reported", "expected"],
    ).assign(source="calcul")
    frames = [frame for frame in (uploaded, aggregated) if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    combined = pd.concat(frames, ignore_index=True)
    return combined.drop_duplicates(["territory", "period"], keep="first")[VALUE_COLUMNS]


def _computed_columns() -> Select:  # type: ignore[type-arg]
    return select(
        ComputedValue.territory_code,
        ComputedValue.period,
        ComputedValue.value,
        ComputedValue.status,
        ComputedValue.reported,
        ComputedValue.expected,
    )


def _observed_columns() -> Select:  # type: ignore[type-arg]
    return select(
        Observation.territory_code, Observation.period, Observation.value, Observation.status
    )


def map_values(
    session: Session, indicator: str, period: str, level: str, within: str | None = None
) -> pd.DataFrame:
    """Values of every territory of ``level`` for one period; ``within="DEP:01"`` keeps the
    communes of that département (commune codes start with their département's code)."""
    prefix = f"{level}:" if level != "FR" else "FR"
    if within is not None and level == "COM" and within.startswith("DEP:"):
        prefix = f"COM:{within.removeprefix('DEP:')}"
    observed = _observations(
        _observed_columns().where(
            Observation.indicator_code == indicator,
            Observation.period == period,
            has_prefix(Observation.territory_code, prefix),
        )
    )
    computed = _computed_columns().where(
        ComputedValue.indicator_code == indicator,
        ComputedValue.period == period,
        ComputedValue.territory_level == level,
        has_prefix(ComputedValue.territory_code, prefix),
    )
    return _frame(session, observed, computed).reset_index(drop=True)


def series(session: Session, indicator: str, territory: str) -> pd.DataFrame:
    """Every period of one indicator for one territory or group, oldest first."""
    observed = _observations(
        _observed_columns().where(
            Observation.indicator_code == indicator, Observation.territory_code == territory
        )
    )
    computed = _computed_columns().where(
        ComputedValue.indicator_code == indicator, ComputedValue.territory_code == territory
    )
    frame = _frame(session, observed, computed)
    return frame.sort_values("period").reset_index(drop=True)


def series_of_many(session: Session, indicator: str, territories: list[str]) -> pd.DataFrame:
    """Every period of one indicator for several territories (a programme's members), in one
    query per table rather than one per territory."""
    if not territories:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    observed = _observations(
        _observed_columns().where(
            Observation.indicator_code == indicator, Observation.territory_code.in_(territories)
        )
    )
    computed = _computed_columns().where(
        ComputedValue.indicator_code == indicator,
        ComputedValue.territory_code.in_(territories),
    )
    frame = _frame(session, observed, computed)
    return frame.sort_values(["period", "territory"]).reset_index(drop=True)


def periods_available(session: Session, indicator: str) -> list[str]:
    """Periods holding at least one value of the indicator (uploaded or computed), in order."""
    uploaded = select(Observation.period).where(
        Observation.indicator_code == indicator, Observation.value_type == "valeur"
    )
    computed = select(ComputedValue.period).where(ComputedValue.indicator_code == indicator)
    periods = set(session.scalars(uploaded.distinct())) | set(session.scalars(computed.distinct()))
    return sorted(periods)
