"""Small read queries shared by the CLI and the web face; each receives its session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indicators.store.database import current_data_version
from indicators.store.models import Indicator, Load, Observation, Partner, Territory, TerritorySet


@dataclass(frozen=True)
class DataSummary:
    territories_by_level: dict[str, int]
    indicators: int
    partners: int
    territory_sets: int
    observations: int
    loads: int
    last_load_at: datetime | None
    data_version: int


def data_summary(session: Session) -> DataSummary:
    levels = session.execute(select(Territory.level, func.count()).group_by(Territory.level)).all()
    return DataSummary(
        territories_by_level={level: count for level, count in levels},
        indicators=session.scalar(select(func.count()).select_from(Indicator)) or 0,
        partners=session.scalar(select(func.count()).select_from(Partner)) or 0,
        territory_sets=session.scalar(select(func.count()).select_from(TerritorySet)) or 0,
        observations=session.scalar(select(func.count()).select_from(Observation)) or 0,
        loads=session.scalar(select(func.count()).select_from(Load)) or 0,
        last_load_at=session.scalar(select(func.max(Load.committed_at))),
        data_version=current_data_version(session),
    )
