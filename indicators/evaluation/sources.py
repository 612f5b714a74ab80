"""What the evaluation reads from the database: territories, test members and indicator values.

Values: an uploaded value wins over a computed one for the same territory and period (as in
:mod:`indicators.precompute.read`); computed values carry derived indicators at a territory's own
level and aggregates (an EPCI from its communes).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Final

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from indicators.evaluation.panel import UNIT_COLUMNS, VALUE_COLUMNS, Panel, make_panel
from indicators.periods import PeriodKind
from indicators.store.models import ComputedValue, Membership, Observation, Territory, TerritorySet

TERRITORY_COLUMNS: Final = ("territory", "level", "type", "population", "epci")
MEMBER_COLUMNS: Final = ("territory", "level", "start")
# codes per IN (...) list (bound-parameter limits); beyond _SCAN_LIMIT codes, reading the whole
# level and filtering in memory is cheaper than many queries
_IN_CHUNK: Final = 500
_SCAN_LIMIT: Final = 5000


def territory_frame(session: Session, levels: Collection[str]) -> pd.DataFrame:
    """Territories of ``levels``: :data:`TERRITORY_COLUMNS` (``type``: the plan's typology)."""
    query = select(
        Territory.code,
        Territory.level,
        Territory.typology,
        Territory.population,
        Territory.epci_code,
    ).where(Territory.level.in_(list(levels)))
    frame = _frame(session, query, TERRITORY_COLUMNS)
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce").astype("float64")
    return frame.sort_values("territory").reset_index(drop=True)


def set_members_with_dates(session: Session, slug: str) -> pd.DataFrame:
    """Members of a territory set with their level and start date: :data:`MEMBER_COLUMNS`."""
    # through the ORM, not read_sql: SQLite keeps dates as text, SQLAlchemy converts them
    rows = session.execute(
        select(Membership.territory_code, Territory.level, Membership.start_date)
        .join(TerritorySet, TerritorySet.id == Membership.set_id)
        .join(Territory, Territory.code == Membership.territory_code)
        .where(TerritorySet.slug == slug)
        .order_by(Membership.territory_code)
    ).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=list(MEMBER_COLUMNS))


def members_of_sets(session: Session, slugs: Collection[str]) -> set[str]:
    """Every territory in any of the sets (whatever its dates)."""
    if not slugs:
        return set()
    return set(
        session.scalars(
            select(Membership.territory_code)
            .join(TerritorySet, TerritorySet.id == Membership.set_id)
            .where(TerritorySet.slug.in_(list(slugs)))
        )
    )


def indicator_values(
    session: Session,
    indicator: str,
    level: str,
    territories: Collection[str] | None = None,
    periods: Collection[str] | None = None,
) -> pd.DataFrame:
    """Values of one indicator at one level: ``territory``, ``period``, ``value``, ``status``
    (``ok``, ``missing``, ``secret``…), optionally only for ``territories`` and ``periods``."""
    codes = sorted(set(territories)) if territories is not None else None
    wanted = sorted(set(periods)) if periods is not None else None
    if codes is not None and len(codes) <= _SCAN_LIMIT:
        chunks = [codes[i : i + _IN_CHUNK] for i in range(0, len(codes), _IN_CHUNK)]
        frames = [_values(session, indicator, level, chunk, wanted) for chunk in chunks]
        frames = [frame for frame in frames if not frame.empty]
        if not frames:
            return pd.DataFrame(columns=list(VALUE_COLUMNS))
        return pd.concat(frames, ignore_index=True)
    found = _values(session, indicator, level, None, wanted)
    if codes is not None:
        found = found[found["territory"].isin(set(codes))].reset_index(drop=True)
    return found


def _values(
    session: Session,
    indicator: str,
    level: str,
    codes: list[str] | None,
    periods: list[str] | None,
) -> pd.DataFrame:
    observed = select(
        Observation.territory_code, Observation.period, Observation.value, Observation.status
    ).where(
        Observation.indicator_code == indicator,
        Observation.value_type == "valeur",
        Observation.status != "withdrawn",
    )
    computed = select(
        ComputedValue.territory_code,
        ComputedValue.period,
        ComputedValue.value,
        ComputedValue.status,
    ).where(ComputedValue.indicator_code == indicator, ComputedValue.territory_level == level)
    if periods is not None:
        observed = observed.where(Observation.period.in_(periods))
        computed = computed.where(ComputedValue.period.in_(periods))
    if codes is not None:
        observed = observed.where(Observation.territory_code.in_(codes))
        computed = computed.where(ComputedValue.territory_code.in_(codes))
    else:
        observed = observed.where(Observation.territory_code.startswith(f"{level}:"))
    frames = [_frame(session, query, VALUE_COLUMNS) for query in (observed, computed)]
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=list(VALUE_COLUMNS))
    # an uploaded value wins over a computed one (the first frame)
    combined = pd.concat(frames, ignore_index=True)
    return combined.drop_duplicates(["territory", "period"], keep="first").reset_index(drop=True)


def territory_details(session: Session, codes: Collection[str]) -> pd.DataFrame:
    """``territory``, ``name``, ``population`` of the given codes."""
    ordered = sorted(set(codes))
    frames = [
        _frame(
            session,
            select(Territory.code, Territory.name, Territory.population).where(
                Territory.code.in_(ordered[i : i + _IN_CHUNK])
            ),
            ("territory", "name", "population"),
        )
        for i in range(0, len(ordered), _IN_CHUNK)
    ]
    if not frames:
        return pd.DataFrame(columns=["territory", "name", "population"])
    frame = pd.concat(frames, ignore_index=True)
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce").astype("float64")
    return frame


def display_names(session: Session, codes: Collection[str]) -> dict[str, str]:
    """How a sentence names each territory: its name, followed by its official code in
    parentheses only when another territory of the same level has the same name (the many
    Saint-Denis), so that the reader can still tell which one is meant. Unknown codes stay codes."""
    details = territory_details(session, codes)
    if details.empty:
        return {code: code for code in codes}
    shared = _names_in_use(session, set(details["name"]))
    names: dict[str, str] = {}
    for code, name in zip(details["territory"], details["name"], strict=True):
        level, _, local = code.partition(":")
        names[code] = f"{name} ({local or code})" if shared.get((level, name), 0) > 1 else name
    return {code: names.get(code, code) for code in codes}


def _names_in_use(session: Session, names: Collection[str]) -> dict[tuple[str, str], int]:
    """How many territories of each level bear each of ``names``."""
    ordered = sorted(names)
    counts: dict[tuple[str, str], int] = {}
    for i in range(0, len(ordered), _IN_CHUNK):
        query = (
            select(Territory.level, Territory.name, func.count())
            .where(Territory.name.in_(ordered[i : i + _IN_CHUNK]))
            .group_by(Territory.level, Territory.name)
        )
        for level, name, count in session.execute(query):
            counts[(level, name)] = int(count)
    return counts


def read_panel(
    session: Session, indicator: str, kind: PeriodKind, level: str, units: pd.DataFrame
) -> Panel:
    """The panel of ``units`` of one level (:data:`indicators.evaluation.panel.UNIT_COLUMNS`)."""
    values = indicator_values(session, indicator, level, units["territory"])
    return make_panel(indicator, level, kind, units[list(UNIT_COLUMNS)], values)


def observed_periods(session: Session, indicator: str, level: str) -> list[str]:
    """Periods holding a row of the indicator at ``level`` (uploaded or computed), sorted."""
    uploaded = select(Observation.period).where(
        Observation.indicator_code == indicator,
        Observation.territory_code.startswith(f"{level}:"),
    )
    computed = select(ComputedValue.period).where(
        ComputedValue.indicator_code == indicator, ComputedValue.territory_level == level
    )
    found = set(session.scalars(uploaded.distinct())) | set(session.scalars(computed.distinct()))
    return sorted(found)


def _frame(
    session: Session, query: Select[*tuple[Any, ...]], columns: Sequence[str]
) -> pd.DataFrame:
    """A frame read straight from the driver's cursor: several times faster than building it
    from SQLAlchemy rows (no value here needs SQLAlchemy's type conversion)."""
    frame = pd.read_sql(query, session.connection())
    frame.columns = list(columns)
    return frame
