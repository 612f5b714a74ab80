"""The design registry: which territories a measure's evaluation compares, saved and versioned.

A design names the measure, the indicators evaluated, the test units (with their type and start
date, frozen at saving time), the comparison units (matched or pinned), the evaluator's pins and
exclusions, the method's parameters and the data version it was built on. Saving never
overwrites: each save of a measure's design is a new version; older ones stay readable, so a
report can say exactly which design produced its figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Final

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from indicators.evaluation.panel import COMPARISON, TEST, Role
from indicators.store.models import EvaluationDesign, EvaluationDesignUnit

TEST_SET: Final = "test_set"  # origin of a test unit: the measure's territory set
UNIT_COLUMNS: Final = (
    "territory",
    "level",
    "role",
    "type",
    "start",
    "origin",
    "matched_to",
    "distance",
)
ORIGIN_LABELS: Final = {
    TEST_SET: "territoire test",
    "matched": "apparié automatiquement",
    "pinned": "épinglé par l'évaluateur",
}


@dataclass(frozen=True)
class DesignUnit:
    territory: str
    level: str
    role: Role
    type: str
    start: date | None = None
    origin: str = TEST_SET
    matched_to: str | None = None
    distance: float | None = None


@dataclass(frozen=True)
class Design:
    """A design; ``version`` and ``id`` are None until it is saved."""

    measure: str
    indicators: tuple[str, ...]
    units: tuple[DesignUnit, ...]
    data_version: int
    method: Mapping[str, Any] = field(default_factory=dict)
    diagnostics: Mapping[str, Any] = field(default_factory=dict)
    pins: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    author: str | None = None
    comment: str | None = None
    version: int | None = None
    id: int | None = None
    created_at: datetime | None = None

    @property
    def saved(self) -> bool:
        return self.version is not None

    @property
    def levels(self) -> tuple[str, ...]:
        return tuple(sorted({unit.level for unit in self.units}))

    def units_frame(self, level: str | None = None) -> pd.DataFrame:
        """The units as a frame (:data:`UNIT_COLUMNS`), optionally of one level."""
        rows = [
            (u.territory, u.level, u.role, u.type, u.start, u.origin, u.matched_to, u.distance)
            for u in self.units
            if level is None or u.level == level
        ]
        return pd.DataFrame(rows, columns=list(UNIT_COLUMNS))

    def counts(self) -> pd.DataFrame:
        """Test and comparison units by level and type: ``level``, ``type``, ``test``,
        ``comparison``."""
        frame = self.units_frame()
        table = frame.groupby(["level", "type", "role"]).size().unstack("role", fill_value=0)
        table = table.reindex(columns=[TEST, COMPARISON], fill_value=0).reset_index()
        table.columns.name = None
        return table


def save_design(
    session: Session, design: Design, *, author: str | None = None, comment: str | None = None
) -> Design:
    """Store ``design`` as the next version of its measure's design and return it saved.

    Runs in the caller's transaction; two concurrent saves of the same measure cannot both win
    (unique measure and version): the second fails and can simply be retried."""
    latest = session.scalar(
        select(func.max(EvaluationDesign.version)).where(
            EvaluationDesign.measure_code == design.measure
        )
    )
    row = EvaluationDesign(
        measure_code=design.measure,
        version=int(latest or 0) + 1,
        indicators=list(design.indicators),
        method=dict(design.method),
        pins=sorted(design.pins),
        exclusions=sorted(design.exclusions),
        diagnostics=dict(design.diagnostics),
        data_version=design.data_version,
        author=author if author is not None else design.author,
        comment=comment if comment is not None else design.comment,
    )
    session.add(row)
    session.flush()
    session.add_all(
        EvaluationDesignUnit(
            design_id=row.id,
            territory_code=unit.territory,
            level=unit.level,
            role=unit.role,
            territory_type=unit.type,
            start_date=unit.start,
            origin=unit.origin,
            matched_to=unit.matched_to,
            distance=unit.distance,
        )
        for unit in design.units
    )
    session.flush()
    return replace(
        design,
        version=row.version,
        id=row.id,
        created_at=row.created_at,
        author=row.author,
        comment=row.comment,
    )


def load_design(session: Session, measure: str, version: int | None = None) -> Design | None:
    """A measure's design: the given version, or the latest one; None if there is none."""
    query = select(EvaluationDesign).where(EvaluationDesign.measure_code == measure)
    if version is not None:
        query = query.where(EvaluationDesign.version == version)
    row = session.scalar(query.order_by(EvaluationDesign.version.desc()).limit(1))
    return _design(session, row) if row is not None else None


def load_design_by_id(session: Session, design_id: int) -> Design | None:
    row = session.get(EvaluationDesign, design_id)
    return _design(session, row) if row is not None else None


DESIGN_LIST_COLUMNS: Final = (
    "id",
    "measure",
    "version",
    "created_at",
    "author",
    "comment",
    "data_version",
    "n_test",
    "n_comparison",
)


def list_designs(session: Session, measure: str | None = None) -> pd.DataFrame:
    """Saved designs, newest first per measure: :data:`DESIGN_LIST_COLUMNS`."""
    counts = (
        select(
            EvaluationDesignUnit.design_id,
            func.sum(case((EvaluationDesignUnit.role == TEST, 1), else_=0)).label("n_test"),
            func.sum(case((EvaluationDesignUnit.role == COMPARISON, 1), else_=0)).label(
                "n_comparison"
            ),
        )
        .group_by(EvaluationDesignUnit.design_id)
        .subquery()
    )
    query = select(
        EvaluationDesign.id,
        EvaluationDesign.measure_code,
        EvaluationDesign.version,
        EvaluationDesign.created_at,
        EvaluationDesign.author,
        EvaluationDesign.comment,
        EvaluationDesign.data_version,
        func.coalesce(counts.c.n_test, 0),
        func.coalesce(counts.c.n_comparison, 0),
    ).outerjoin(counts, counts.c.design_id == EvaluationDesign.id)
    if measure is not None:
        query = query.where(EvaluationDesign.measure_code == measure)
    query = query.order_by(EvaluationDesign.measure_code, EvaluationDesign.version.desc())
    return pd.DataFrame(session.execute(query).all(), columns=list(DESIGN_LIST_COLUMNS))


def _design(session: Session, row: EvaluationDesign) -> Design:
    units = session.scalars(
        select(EvaluationDesignUnit)
        .where(EvaluationDesignUnit.design_id == row.id)
        .order_by(EvaluationDesignUnit.id)
    )
    return Design(
        measure=row.measure_code,
        indicators=tuple(row.indicators),
        units=tuple(
            DesignUnit(
                territory=unit.territory_code,
                level=unit.level,
                role=TEST if unit.role == TEST else COMPARISON,
                type=unit.territory_type,
                start=unit.start_date,
                origin=unit.origin,
                matched_to=unit.matched_to,
                distance=unit.distance,
            )
            for unit in units
        ),
        data_version=row.data_version,
        method=dict(row.method),
        diagnostics=dict(row.diagnostics),
        pins=tuple(row.pins),
        exclusions=tuple(row.exclusions),
        author=row.author,
        comment=row.comment,
        version=row.version,
        id=row.id,
        created_at=row.created_at,
    )
