"""The loads' record, read back: the list of loads with their effects, one load's detail (its
issues and the values it changed, old -> new), for ``suivi loads`` and the load-history page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.ingest.issues import Issue
from indicators.store.models import Load, LoadIssue, Observation, ObservationHistory


@dataclass(frozen=True)
class LoadSummary:
    id: int
    filename: str
    sha256: str
    status: str
    username: str | None
    partner_code: str | None
    profile_id: int | None
    created_at: datetime
    committed_at: datetime | None
    rows_read: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    warnings: int
    withdrawn: int
    rollback_of: int | None
    raw_path: str | None
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "load_id": self.id,
            "filename": self.filename,
            "sha256": self.sha256,
            "status": self.status,
            "username": self.username,
            "partner": self.partner_code,
            "profile_id": self.profile_id,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "committed_at": self.committed_at.isoformat() if self.committed_at else None,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "withdrawn": self.withdrawn,
            "rollback_of": self.rollback_of,
            "raw_path": self.raw_path,
            "details": self.details,
        }


def _summary(load: Load) -> LoadSummary:
    return LoadSummary(
        id=load.id,
        filename=load.filename,
        sha256=load.sha256,
        status=load.status,
        username=load.username,
        partner_code=load.partner_code,
        profile_id=load.profile_id,
        created_at=load.created_at,
        committed_at=load.committed_at,
        rows_read=load.rows_read,
        created=load.created,
        updated=load.updated,
        unchanged=load.unchanged,
        rejected=load.rejected,
        warnings=load.warnings,
        withdrawn=load.withdrawn,
        rollback_of=load.rollback_of,
        raw_path=load.raw_path,
        details=dict(load.details or {}),
    )


def list_loads(
    session: Session, *, partner_code: str | None = None, limit: int = 100, offset: int = 0
) -> list[LoadSummary]:
    """The latest loads first."""
    query = select(Load).order_by(Load.id.desc()).limit(limit).offset(offset)
    if partner_code is not None:
        query = query.where(Load.partner_code == partner_code)
    return [_summary(load) for load in session.scalars(query)]


def loaded_files(session: Session) -> set[str]:
    """The sha256 of every file a load was recorded for (their raw files are kept for good)."""
    return set(session.scalars(select(Load.sha256).distinct()))


def get_load(session: Session, load_id: int) -> LoadSummary | None:
    load = session.get(Load, load_id)
    return _summary(load) if load is not None else None


def load_issues(session: Session, load_id: int, limit: int | None = None) -> list[Issue]:
    query = select(LoadIssue).where(LoadIssue.load_id == load_id).order_by(LoadIssue.id)
    if limit is not None:
        query = query.limit(limit)
    return [
        Issue(
            row.line,
            row.column,
            row.code,
            row.value or "",
            row.message,
            "warning" if row.severity == "warning" else "error",
        )
        for row in session.scalars(query)
    ]


EFFECT_COLUMNS = [
    "indicator",
    "territory",
    "period",
    "value_type",
    "action",
    "old_value",
    "old_status",
    "old_load_id",
    "value",
    "status",
]


def load_effects(session: Session, load_id: int, limit: int = 1000) -> pd.DataFrame:
    """Values the load changed (old -> the value it set) and, within ``limit``, those it created
    that it still holds."""
    changed = session.execute(
        select(
            ObservationHistory.indicator_code,
            ObservationHistory.territory_code,
            ObservationHistory.period,
            ObservationHistory.value_type,
            ObservationHistory.old_value,
            ObservationHistory.old_status,
            ObservationHistory.old_load_id,
        )
        .where(ObservationHistory.new_load_id == load_id)
        .limit(limit)
    ).all()
    frame = pd.DataFrame.from_records(
        changed,
        columns=[
            "indicator",
            "territory",
            "period",
            "value_type",
            "old_value",
            "old_status",
            "old_load_id",
        ],
    )
    held = session.execute(
        select(
            Observation.indicator_code,
            Observation.territory_code,
            Observation.period,
            Observation.value_type,
            Observation.value,
            Observation.status,
        )
        .where(Observation.load_id == load_id)
        .limit(limit + len(frame))
    ).all()
    current = pd.DataFrame.from_records(
        held, columns=["indicator", "territory", "period", "value_type", "value", "status"]
    )
    key = ["indicator", "territory", "period", "value_type"]
    merged = frame.merge(current, on=key, how="outer", indicator=True)
    merged["action"] = (
        merged["_merge"]
        .astype(str)
        .map({"both": "updated", "left_only": "replaced-since", "right_only": "created"})
    )
    merged.loc[merged["status"] == "withdrawn", "action"] = "withdrawn"
    load = session.get(Load, load_id)
    if load is not None and load.rollback_of is not None:
        merged["action"] = "undone"  # a rollback's history holds the values it removed
    return merged[EFFECT_COLUMNS].head(limit).reset_index(drop=True)
