"""Where the numbers of an indicator come from: the loads behind its uploaded values, the
definition versions behind its computed ones, and the dated versions of the definition itself.

A derived or aggregated value rests on the values of other indicators too (formula variables,
ratio terms, weights): :func:`source_indicators` lists them, so that the loads of every input
are shown, not only those of the indicator itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.store.frames import read_frame
from indicators.store.models import ComputedValue, IndicatorVersion, Load, Observation

LOAD_COLUMNS = [
    "indicator",
    "level",
    "load_id",
    "filename",
    "username",
    "partner",
    "committed_at",
    "values",
]
COMPUTED_COLUMNS = ["version", "valid_from", "level", "values", "computed_at"]
VERSION_COLUMNS = ["version", "valid_from", "definition_hash", "changed", "definition"]
LEVELS = ("COM", "EPCI", "DEP", "REG", "GRP", "TYPE", "MED")


def source_indicators(catalogue: Catalogue, code: str) -> list[str]:
    """``code`` and, transitively, every indicator its values are computed from, in that order."""
    ordered: list[str] = []
    stack = [code]
    while stack:
        current = stack.pop(0)
        if current in ordered or current not in catalogue.indicators:
            continue
        ordered.append(current)
        stack.extend(sorted(catalogue.indicators[current].dependencies))
    return ordered


def _level_of(column: Any) -> Any:
    """The level of a typed territory code (``COM:01001`` -> ``COM``), computed in SQL."""
    return case(
        *((column.startswith(f"{level}:"), level) for level in LEVELS),
        (column == "FR", "FR"),
        else_="autre",
    )


def loads_behind(session: Session, indicators: Iterable[str], period: str) -> pd.DataFrame:
    """One row per (indicator, territory level, load) holding uploaded values of ``period``:
    the load's file, user, partner and date and how many current values it provided.

    Values written without a load (``load_id`` empty) are listed with ``load_id`` missing.
    """
    codes = list(indicators)
    level = _level_of(Observation.territory_code).label("level")
    statement = (
        select(
            Observation.indicator_code,
            level,
            Observation.load_id,
            Load.filename,
            Load.username,
            Load.partner_code,
            Load.committed_at,
            func.count().label("values"),
        )
        .outerjoin(Load, Load.id == Observation.load_id)
        .where(
            Observation.indicator_code.in_(codes),
            Observation.period == period,
            Observation.value_type == "valeur",
            Observation.status != "withdrawn",
        )
        .group_by(
            Observation.indicator_code,
            level,
            Observation.load_id,
            Load.filename,
            Load.username,
            Load.partner_code,
            Load.committed_at,
        )
    )
    frame = read_frame(session, statement, LOAD_COLUMNS)
    if frame.empty:
        return frame
    order = {code: position for position, code in enumerate(codes)}
    level_order = {name: position for position, name in enumerate(LEVELS)}
    frame["values"] = frame["values"].astype("int64")
    frame["committed_at"] = pd.to_datetime(frame["committed_at"])
    frame = frame.assign(
        _indicator=frame["indicator"].map(order),
        _level=frame["level"].map(level_order).fillna(len(LEVELS)),
    )
    frame = frame.sort_values(["_indicator", "_level", "load_id"], kind="stable")
    return frame[LOAD_COLUMNS].reset_index(drop=True)


def computed_behind(session: Session, indicator: str, period: str) -> pd.DataFrame:
    """One row per (definition version, level) of the pre-computed values of ``period``: how
    many values that version produced, when they were last computed, and since when the version
    is in force."""
    statement = (
        select(
            ComputedValue.indicator_version,
            IndicatorVersion.valid_from,
            ComputedValue.territory_level,
            func.count(),
            func.max(ComputedValue.computed_at),
        )
        .outerjoin(
            IndicatorVersion,
            (IndicatorVersion.indicator_code == ComputedValue.indicator_code)
            & (IndicatorVersion.version == ComputedValue.indicator_version),
        )
        .where(ComputedValue.indicator_code == indicator, ComputedValue.period == period)
        .group_by(
            ComputedValue.indicator_version,
            IndicatorVersion.valid_from,
            ComputedValue.territory_level,
        )
    )
    frame = read_frame(session, statement, COMPUTED_COLUMNS)
    if frame.empty:
        return frame
    level_order = {name: position for position, name in enumerate((*LEVELS, "FR"))}
    frame["values"] = frame["values"].astype("int64")
    frame["valid_from"] = pd.to_datetime(frame["valid_from"])
    frame["computed_at"] = pd.to_datetime(frame["computed_at"])
    frame = frame.assign(_level=frame["level"].map(level_order).fillna(len(level_order)))
    frame = frame.sort_values(["version", "_level"], kind="stable")
    return frame[COMPUTED_COLUMNS].reset_index(drop=True)


def indicator_versions(session: Session, indicator: str) -> pd.DataFrame:
    """Every stored version of the definition, oldest first, with the fields that changed
    since the previous version (``changed``: a list of definition keys, empty for the first)."""
    rows = session.execute(
        select(
            IndicatorVersion.version,
            IndicatorVersion.valid_from,
            IndicatorVersion.definition_hash,
            IndicatorVersion.definition,
        )
        .where(IndicatorVersion.indicator_code == indicator)
        .order_by(IndicatorVersion.version)
    ).all()
    records = []
    previous: Mapping[str, Any] | None = None
    for version, valid_from, digest, definition in rows:
        records.append(
            {
                "version": int(version),
                "valid_from": _as_datetime(valid_from),
                "definition_hash": str(digest),
                "changed": changed_fields(previous, definition) if previous is not None else [],
                "definition": definition,
            }
        )
        previous = definition
    return pd.DataFrame(records, columns=VERSION_COLUMNS)


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Keys whose value differs between two stored definitions, in the order of ``after``."""
    keys = [*after, *(key for key in before if key not in after)]
    return [key for key in keys if key != "format" and before.get(key) != after.get(key)]


def _as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
