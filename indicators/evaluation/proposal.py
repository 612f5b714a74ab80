"""Propose a design for a measure: its test units and automatically matched comparison units.

The proposal is not saved: an evaluator looks at it, pins or excludes territories (a new
proposal each time) and saves the one they accept (:func:`indicators.evaluation.designs.
save_design`). Comparison candidates are territories of the same level and type that are not
test territories of the measure, nor of another measure sharing one of its indicators (their
effect would leak into the comparison). See :mod:`indicators.evaluation.matching` for the method.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import pandas as pd
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue, ChainLevel, Indicator, Measure
from indicators.evaluation.designs import Design, DesignUnit
from indicators.evaluation.matching import FEATURES, match_comparisons, matching_features
from indicators.evaluation.panel import COMPARISON, TEST
from indicators.evaluation.sources import (
    indicator_values,
    members_of_sets,
    observed_periods,
    set_members_with_dates,
    territory_frame,
)
from indicators.evaluation.units import (
    EVALUATION_LEVELS,
    coarsest_level,
    evaluation_level,
    map_to_level,
)
from indicators.periods import parse_period
from indicators.store import current_data_version

DEFAULT_NEIGHBOURS: Final = 3
PRE_WINDOW_MONTHS: Final = 36


def measure_indicators(catalogue: Catalogue, measure: Measure) -> tuple[str, ...]:
    """The measure's indicators, headline first, then in catalogue order."""
    codes = [indicator.code for indicator in catalogue.indicators_for_measure(measure.code)]
    ordered = [measure.headline_indicator, *codes]
    return tuple(dict.fromkeys(code for code in ordered if code in catalogue.indicators))


def propose_design(
    session: Session,
    catalogue: Catalogue,
    measure_code: str,
    *,
    pins: Collection[str] = (),
    exclusions: Collection[str] = (),
    neighbours: int = DEFAULT_NEIGHBOURS,
    indicators: Sequence[str] | None = None,
    author: str | None = None,
    comment: str | None = None,
) -> Design:
    """A new, unsaved design for the measure. Raises ``ValueError`` (French) for an unknown
    measure or an impossible pin."""
    if measure_code not in catalogue.measures:
        raise ValueError(f"mesure inconnue : {measure_code}")
    measure = catalogue.measures[measure_code]
    codes = tuple(indicators) if indicators is not None else measure_indicators(catalogue, measure)
    members = set_members_with_dates(session, measure.test_set)
    members["start"] = [
        start if start is not None and not pd.isna(start) else measure.start_date
        for start in members["start"]
    ]
    member_level = coarsest_level(members["level"]) if not members.empty else "COM"
    levels = _levels(catalogue, codes, member_level)
    territories = territory_frame(session, EVALUATION_LEVELS)
    neighbours_treated = members_of_sets(session, _sibling_sets(catalogue, measure))

    method: dict[str, Any] = {
        "matching": "plus proches voisins sans remise",
        "member_level": member_level,
        "neighbours": neighbours,
        "features": list(FEATURES),
        "pre_window_months": PRE_WINDOW_MONTHS,
        "matching_indicator": {},
        "pre_periods": {},
    }
    diagnostics: dict[str, Any] = {"balance": {}, "dropped_tests": [], "shortfall": {}}
    units: list[DesignUnit] = []
    for level in levels:
        found = _propose_level(
            session,
            catalogue,
            measure,
            codes,
            level,
            member_level,
            members,
            territories,
            neighbours_treated,
            pins=[code for code in pins if code.split(":")[0] == level],
            exclusions=exclusions,
            neighbours=neighbours,
        )
        units += found.units
        method["matching_indicator"][level] = found.matcher
        method["pre_periods"][level] = found.pre_periods
        diagnostics["balance"][level] = found.balance
        diagnostics["shortfall"][level] = found.shortfall
        diagnostics["dropped_tests"] += found.dropped
    return Design(
        measure=measure.code,
        indicators=codes,
        units=tuple(units),
        data_version=current_data_version(session),
        method=method,
        diagnostics=diagnostics,
        pins=tuple(sorted(set(pins))),
        exclusions=tuple(sorted(set(exclusions))),
        author=author,
        comment=comment,
    )


@dataclass(frozen=True)
class _LevelProposal:
    units: list[DesignUnit]
    matcher: str | None
    pre_periods: list[str]
    balance: list[dict[str, Any]]
    shortfall: dict[str, int]
    dropped: list[dict[str, str]]


def _propose_level(
    session: Session,
    catalogue: Catalogue,
    measure: Measure,
    codes: Sequence[str],
    level: str,
    member_level: str,
    members: pd.DataFrame,
    territories: pd.DataFrame,
    treated_elsewhere: set[str],
    *,
    pins: Collection[str],
    exclusions: Collection[str],
    neighbours: int,
) -> _LevelProposal:
    """Test units of one level and their matched comparison units."""
    types = {str(t) for t in measure.territory_types}
    at_level = territories[territories["level"] == level]
    tests = map_to_level(members, territories, level)
    tests = tests.merge(at_level[["territory", "type", "population"]], on="territory")
    dropped = [
        {"territory": code, "level": level, "reason": "type non visé par la mesure"}
        for code in tests.loc[~tests["type"].isin(types), "territory"]
    ]
    tests = tests[tests["type"].isin(types)].reset_index(drop=True)
    others = map_to_level(_as_members(treated_elsewhere, territories), territories, level)
    treated = set(tests["territory"]) | set(others["territory"])
    candidates = at_level[at_level["type"].isin(types) & ~at_level["territory"].isin(treated)]
    matcher = _matching_indicator(catalogue, codes, level, member_level, measure)
    pre = _pre_periods(session, catalogue, matcher, level, tests) if matcher else []
    pool = pd.concat([tests[["territory", "population"]], candidates], ignore_index=True)
    values = (
        indicator_values(session, matcher, level, pool["territory"], periods=pre)
        if matcher and pre
        else pd.DataFrame(columns=["territory", "period", "value", "status"])
    )
    result = match_comparisons(
        tests[["territory", "type"]],
        candidates[["territory", "type"]],
        matching_features(pool, values, pre),
        neighbours=neighbours,
        pins=pins,
        exclusions=exclusions,
    )
    units = [
        DesignUnit(str(row["territory"]), level, TEST, str(row["type"]), _date(row["start"]))
        for row in tests.to_dict("records")
    ]
    units += [
        DesignUnit(
            str(row["territory"]),
            level,
            COMPARISON,
            str(row["type"]),
            None,
            str(row["origin"]),
            row["matched_to"] if isinstance(row["matched_to"], str) else None,
            _number(row["distance"]),
        )
        for row in result.selected.to_dict("records")
    ]
    return _LevelProposal(
        units,
        matcher,
        list(pre),
        _records(result.balance),
        _shortfall(tests, result.selected, neighbours),
        dropped,
    )


def adjust_design(
    session: Session,
    catalogue: Catalogue,
    design: Design,
    *,
    pin: Collection[str] = (),
    unpin: Collection[str] = (),
    exclude: Collection[str] = (),
    include: Collection[str] = (),
    author: str | None = None,
    comment: str | None = None,
) -> Design:
    """A new proposal from ``design`` with the evaluator's changes: pinning a territory lifts
    its exclusion and the reverse; the matching runs again on the current data."""
    pins = (set(design.pins) | set(pin)) - set(unpin) - set(exclude)
    exclusions = (set(design.exclusions) | set(exclude)) - set(include) - set(pin)
    return propose_design(
        session,
        catalogue,
        design.measure,
        pins=pins,
        exclusions=exclusions,
        neighbours=int(design.method.get("neighbours", DEFAULT_NEIGHBOURS)),
        indicators=design.indicators,
        author=author,
        comment=comment,
    )


def _levels(catalogue: Catalogue, codes: Sequence[str], member_level: str) -> list[str]:
    levels = {
        evaluation_level([str(level) for level in catalogue.indicators[code].levels], member_level)
        for code in codes
    }
    return [level for level in EVALUATION_LEVELS if level in levels]


def _sibling_sets(catalogue: Catalogue, measure: Measure) -> set[str]:
    """Test sets of the other measures that share an indicator with ``measure``."""
    own = {indicator.code for indicator in catalogue.indicators_for_measure(measure.code)}
    return {
        other.test_set
        for other in catalogue.measures.values()
        if other.code != measure.code
        and own & {indicator.code for indicator in catalogue.indicators_for_measure(other.code)}
    }


def _as_members(codes: set[str], territories: pd.DataFrame) -> pd.DataFrame:
    level_of = territories.set_index("territory")["level"]
    frame = pd.DataFrame({"territory": sorted(codes)})
    return frame.assign(level=frame["territory"].map(level_of), start=None).dropna(subset=["level"])


def _matching_indicator(
    catalogue: Catalogue,
    codes: Sequence[str],
    level: str,
    member_level: str,
    measure: Measure,
) -> str | None:
    """The headline indicator if it is evaluated at ``level``, else the first outcome or
    impact indicator that is, else the first indicator that is."""

    def at_level(indicator: Indicator) -> bool:
        published = [str(item) for item in indicator.levels]
        return evaluation_level(published, member_level) == level

    indicators = [catalogue.indicators[code] for code in codes]
    headline = catalogue.indicators.get(measure.headline_indicator)
    if headline is not None and at_level(headline):
        return headline.code
    effects = (ChainLevel.OUTCOME, ChainLevel.IMPACT)
    for indicator in indicators:
        if indicator.chain_level in effects and at_level(indicator):
            return indicator.code
    return next((indicator.code for indicator in indicators if at_level(indicator)), None)


def _pre_periods(
    session: Session, catalogue: Catalogue, indicator: str, level: str, tests: pd.DataFrame
) -> list[str]:
    """Periods of the indicator that end before the earliest test start, within the window."""
    starts = [value for value in tests["start"] if value is not None and not pd.isna(value)]
    if not starts:
        return []
    first_start: date = min(starts)
    months = first_start.year * 12 + first_start.month - 1 - PRE_WINDOW_MONTHS
    earliest_kept = date(months // 12, months % 12 + 1, 1)
    kind = catalogue.indicators[indicator].periodicity.period_kind
    labels = observed_periods(session, indicator, level)
    periods = sorted(
        period
        for period in (parse_period(label) for label in labels)
        if period.kind is kind and period.end < first_start and period.start >= earliest_kept
    )
    return [str(period) for period in periods]


def _shortfall(tests: pd.DataFrame, selected: pd.DataFrame, neighbours: int) -> dict[str, int]:
    """Comparison units missing, by type, to reach ``neighbours`` per test unit."""
    matched = selected[selected["origin"] == "matched"].groupby("type").size()
    wanted = tests.groupby("type").size() * neighbours
    gap = (wanted - matched.reindex(wanted.index, fill_value=0)).clip(lower=0)
    return {str(type_): int(count) for type_, count in gap.items() if int(count) > 0}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records (NaN is not valid JSON for PostgreSQL)."""
    return [
        {
            str(key): _number(value) if isinstance(value, float) else value
            for key, value in row.items()
        }
        for row in frame.to_dict("records")
    ]


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _date(value: Any) -> date | None:
    """A date from a frame cell (a date, a Timestamp, None or NaT)."""
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    return value if isinstance(value, date) else None
