"""How many territories reported an indicator, period after period: the coverage that every
pre-computed aggregate carries (``k`` of ``n``), read back for one group."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indicators.store.frames import read_frame
from indicators.store.models import ComputedValue, Observation
from indicators.store.prefix import has_prefix

COVERAGE_COLUMNS = [
    "period",
    "reported",
    "expected",
    "n_missing",
    "n_not_applicable",
    "n_secret",
    "status",
]


def coverage_over_time(session: Session, indicator: str, group: str = "FR") -> pd.DataFrame:
    """One row per period with a pre-computed value of ``indicator`` for ``group``, oldest first.

    ``expected`` counts the group's members at the indicator's base level; ``reported`` those with
    a usable value; the others are missing (no row counts as missing), not applicable or secret.
    """
    statement = (
        select(
            ComputedValue.period,
            ComputedValue.reported,
            ComputedValue.expected,
            ComputedValue.n_missing,
            ComputedValue.n_not_applicable,
            ComputedValue.n_secret,
            ComputedValue.status,
        )
        .where(ComputedValue.indicator_code == indicator, ComputedValue.territory_code == group)
        .order_by(ComputedValue.period)
    )
    frame = read_frame(session, statement, COVERAGE_COLUMNS)
    counts = ["reported", "expected", "n_missing", "n_not_applicable", "n_secret"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    return frame


def first_reporting_territory(
    session: Session, indicator: str, period: str, level: str
) -> str | None:
    """The smallest code of ``level`` with a usable value of ``indicator`` for ``period``
    (uploaded or computed), or ``None``: a starting point when a view needs one territory."""
    prefix = f"{level}:"
    uploaded = session.scalar(
        select(func.min(Observation.territory_code)).where(
            Observation.indicator_code == indicator,
            Observation.period == period,
            has_prefix(Observation.territory_code, prefix),
            Observation.value_type == "valeur",
            Observation.status == "ok",
        )
    )
    computed = session.scalar(
        select(func.min(ComputedValue.territory_code)).where(
            ComputedValue.indicator_code == indicator,
            ComputedValue.period == period,
            ComputedValue.territory_level == level,
            ComputedValue.status == "ok",
        )
    )
    found = [code for code in (uploaded, computed) if code is not None]
    return min(found) if found else None
