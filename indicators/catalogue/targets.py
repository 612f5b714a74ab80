"""Baselines and targets of one indicator: reading, and consistency with the indicator's own fields.

Checked here: scopes (``all``, a territory type, a typed territory code at a published level),
periods no finer than the periodicity, values inside the valid range, milestones in time order and
moving in the desired direction, targets after the baseline and no worse than it, cumulative
targets only for additive indicators.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from indicators.catalogue.model import (
    ALL_TERRITORIES,
    Aggregation,
    Baseline,
    Direction,
    Level,
    Milestone,
    Periodicity,
    Target,
    TerritoryType,
    ValidRange,
)
from indicators.catalogue.reader import Record, suggestion
from indicators.periods import Period

TERRITORY_CODE = re.compile(
    r"^(?:(COM|EPCI|DEP|REG):[0-9A-Z]{1,9}|(FR)|GRP:[a-z0-9]+(?:-[a-z0-9]+)*)$"
)
TYPE_SCOPES = tuple(t.value for t in TerritoryType)


@dataclass(frozen=True)
class IndicatorFrame:
    """The fields of an indicator that its baseline and targets must agree with."""

    direction: Direction | None
    periodicity: Periodicity | None
    aggregation: Aggregation | None
    valid_range: ValidRange
    levels: tuple[Level, ...]


def check_scope(record: Record, scope: str, frame: IndicatorFrame, *keys: str | int) -> bool:
    if scope == ALL_TERRITORIES or scope in TYPE_SCOPES:
        return True
    match = TERRITORY_CODE.match(scope)
    if match is None:
        hint = suggestion(scope, (ALL_TERRITORIES, *TYPE_SCOPES))
        record.error(
            f"portée « {scope} » invalide : attendu all, {', '.join(TYPE_SCOPES)} "
            f"ou un code de territoire (ex. COM:75056){hint}",
            *keys,
        )
        return False
    level = match.group(1) or match.group(2)
    if level and frame.levels and Level(level) not in frame.levels:
        record.error(f"l'indicateur n'est pas publié au niveau {level} (portée « {scope} »)", *keys)
        return False
    return True


def check_granularity(record: Record, period: Period, frame: IndicatorFrame, key: str) -> bool:
    """A period may be coarser than the periodicity (a yearly target), never finer."""
    if frame.periodicity is None:
        return True
    expected = frame.periodicity.period_kind
    if period.kind.months < expected.months:
        record.error(
            f"période « {period} » ({period.kind.label}) plus fine que la périodicité "
            f"{frame.periodicity.label} de l'indicateur",
            key,
        )
        return False
    return True


def check_in_range(record: Record, value: float, frame: IndicatorFrame, key: str) -> None:
    if not frame.valid_range.contains(value):
        bounds = f"[{_fmt(frame.valid_range.min)} ; {_fmt(frame.valid_range.max)}]"
        record.error(f"valeur {_fmt(value)} hors de l'intervalle valide {bounds}", key)


def _fmt(value: float | None) -> str:
    return "…" if value is None else f"{value:g}"


BASELINE_KEYS = ("period", "values")


def read_baseline(record: Record, frame: IndicatorFrame) -> Baseline | None:
    record.check_keys(BASELINE_KEYS)
    period = record.period("period")
    if period is not None and not check_granularity(record, period, frame, "period"):
        period = None
    values: dict[str, float] = {}
    table = record.table("values", required=False)
    if table is not None:
        for scope in table.data:
            if not check_scope(table, scope, frame, scope):
                continue
            value = table.number(scope)
            if value is not None:
                check_in_range(table, value, frame, scope)
                values[scope] = value
    return None if period is None else Baseline(period, tuple(values.items()))


TARGET_KEYS = ("scope", "value", "period", "cumulative", "milestones")
MILESTONE_KEYS = ("period", "value")


def read_targets(
    records: list[Record], frame: IndicatorFrame, baseline: Baseline | None
) -> tuple[Target, ...]:
    if records and frame.direction is Direction.NEUTRAL:
        records[0].error("un indicateur sans sens souhaité (neutral) ne peut pas avoir de cible")
        return ()
    targets: list[Target] = []
    seen: dict[tuple[str, Period], int] = {}
    for record in records:
        target = _read_target(record, frame, baseline)
        if target is None:
            continue
        key = (target.scope, target.period)
        if key in seen:
            record.error(
                f"cible en double pour « {target.scope} » en {target.period} "
                f"(déjà ligne {seen[key]})"
            )
            continue
        seen[key] = record.line()
        targets.append(target)
    return tuple(targets)


def _read_target(record: Record, frame: IndicatorFrame, baseline: Baseline | None) -> Target | None:
    record.check_keys(TARGET_KEYS)
    scope = record.text("scope")
    value = record.number("value")
    period = record.period("period")
    cumulative = record.boolean("cumulative", default=False)
    errors_before = record.error_count
    if scope is not None:
        check_scope(record, scope, frame, "scope")
    if period is not None:
        check_granularity(record, period, frame, "period")
        if baseline is not None and not baseline.period.is_before(period):
            record.error(
                f"la cible ({period}) doit être postérieure à la période de référence "
                f"({baseline.period})",
                "period",
            )
    if cumulative and frame.aggregation not in (None, Aggregation.SUM):
        record.error(
            "une cible cumulée n'a de sens que pour un indicateur additif (sum)", "cumulative"
        )
    if value is not None and not cumulative:
        check_in_range(record, value, frame, "value")
    milestones = _read_milestones(record, frame, baseline, period, cumulative)
    if (
        scope is None
        or value is None
        or period is None
        or milestones is None
        or record.error_count > errors_before
    ):
        return None
    target = Target(scope, value, period, cumulative, milestones)
    _check_direction(record, target, frame, baseline)
    return target


def _read_milestones(
    record: Record,
    frame: IndicatorFrame,
    baseline: Baseline | None,
    target: Period | None,
    cumulative: bool,
) -> tuple[Milestone, ...] | None:
    milestones: list[Milestone] = []
    for item in record.tables("milestones"):
        item.check_keys(MILESTONE_KEYS)
        period = item.period("period")
        value = item.number("value")
        if period is None or value is None:
            continue
        if not check_granularity(item, period, frame, "period"):
            continue
        if not cumulative:
            check_in_range(item, value, frame, "value")
        if target is not None and not period.is_before(target):
            item.error(
                f"le jalon {period} doit précéder l'échéance de la cible ({target})", "period"
            )
        elif baseline is not None and not baseline.period.is_before(period):
            item.error(
                f"le jalon {period} doit suivre la période de référence ({baseline.period})",
                "period",
            )
        elif milestones and not milestones[-1].period.is_before(period):
            item.error(
                f"les jalons doivent se suivre sans se chevaucher ({milestones[-1].period}, "
                f"{period})",
                "period",
            )
        else:
            milestones.append(Milestone(period, value))
    if len(milestones) != len(record.data.get("milestones", []) or []):
        return None
    return tuple(milestones)


def _check_direction(
    record: Record, target: Target, frame: IndicatorFrame, baseline: Baseline | None
) -> None:
    """Milestones then target must move the way the indicator should move."""
    if frame.direction not in (Direction.UP, Direction.DOWN):
        return
    up = frame.direction is Direction.UP
    if target.cumulative:
        # A running total of a non-negative quantity only grows, whatever the desired direction.
        if frame.valid_range.min is None or frame.valid_range.min < 0:
            return
        up = True
    steps: list[tuple[str, float, tuple[str | int, ...]]] = []
    start = None
    if baseline is not None and not target.cumulative:
        start = baseline.value_for(target.scope)
        if start is None:
            start = baseline.value_for(ALL_TERRITORIES)
    if start is not None:
        steps.append(("valeur de référence", start, ()))
    for index, milestone in enumerate(target.milestones):
        steps.append((f"jalon {milestone.period}", milestone.value, ("milestones", index)))
    steps.append((f"cible {target.period}", target.value, ("value",)))
    for (before_name, before, _), (name, value, keys) in itertools.pairwise(steps):
        if value < before if up else value > before:
            reason = (
                "un cumul ne peut pas diminuer"
                if target.cumulative
                else f"sens souhaité « {frame.direction.label} » : les valeurs doivent être "
                + ("croissantes" if up else "décroissantes")
            )
            record.error(f"{reason} ({before_name} = {before:g}, {name} = {value:g})", *keys)
            return
