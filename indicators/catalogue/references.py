"""Checks across tables: every reference exists, operands fit, and derived indicators have no cycle.

Each check reports on the line of the referring key, with a suggestion when a code looks mistyped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from indicators.catalogue.model import (
    POPULATION_WEIGHT,
    Aggregation,
    Indicator,
    Measure,
    Partner,
    Programme,
    Theme,
)
from indicators.catalogue.reader import Record, suggestion

T = TypeVar("T")


@dataclass(frozen=True)
class Located(Generic[T]):
    """A model object and the table it was read from, so checks can point at its lines."""

    value: T
    record: Record


@dataclass(frozen=True)
class Tables:
    partners: Mapping[str, Located[Partner]]
    themes: Mapping[str, Located[Theme]]
    programmes: Mapping[str, Located[Programme]]
    measures: Mapping[str, Located[Measure]]
    indicators: Mapping[str, Located[Indicator]]
    # Codes written in a table that could not be read (already reported), and codes of kinds whose
    # file could not be parsed at all: references to them are not reported a second time.
    broken: frozenset[str] = frozenset()
    unreadable: frozenset[str] = frozenset()

    def excused(self, what: str, code: str) -> bool:
        return f"{what}:{code}" in self.broken or what in self.unreadable


def check_references(tables: Tables) -> None:
    for located in tables.indicators.values():
        _check_indicator(located, tables)
    for located_measure in tables.measures.values():
        _check_measure(located_measure, tables)
    for located_programme in tables.programmes.values():
        _check_programme(located_programme, tables)
    _check_set_slugs(tables)
    _check_cycles(tables.indicators)


# What a reference points to, and its French name with the right agreement.
UNKNOWN = {
    "partner": "partenaire inconnu",
    "theme": "thème inconnu",
    "programme": "programme inconnu",
    "measure": "mesure inconnue",
    "indicator": "indicateur inconnu",
}


def _exists(
    tables: Tables,
    record: Record,
    code: str,
    what: str,
    *keys: str | int,
) -> bool:
    known: Mapping[str, object] = getattr(tables, _PLURAL[what])
    if code in known:
        return True
    if not tables.excused(what, code):
        record.error(f"{UNKNOWN[what]} « {code} »{suggestion(code, known)}", *keys)
    return False


_PLURAL = {
    "partner": "partners",
    "theme": "themes",
    "programme": "programmes",
    "measure": "measures",
    "indicator": "indicators",
}


def _check_indicator(located: Located[Indicator], tables: Tables) -> None:
    indicator, record = located.value, located.record
    _exists(tables, record, indicator.theme, "theme", "theme")
    _exists(tables, record, indicator.partner, "partner", "partner")
    for index, code in enumerate(indicator.measures):
        _exists(tables, record, code, "measure", "measures", index)
    for index, code in enumerate(indicator.programmes):
        _exists(tables, record, code, "programme", "programmes", index)
    if indicator.formula is not None:
        for code in sorted(indicator.formula.variables):
            if code not in tables.indicators:
                if not tables.excused("indicator", code):
                    hint = suggestion(code, tables.indicators)
                    record.error(f"formule : indicateur inconnu « {code} »{hint}", "formula")
            else:
                _check_operand(located, tables.indicators[code].value, "formula", additive=False)
    for key in ("numerator", "denominator"):
        code = getattr(indicator, key)
        if code and _exists(tables, record, code, "indicator", key):
            _check_operand(located, tables.indicators[code].value, key, additive=True)
    weight = indicator.weight
    if weight and weight != POPULATION_WEIGHT:
        hint = suggestion(weight, [POPULATION_WEIGHT, *tables.indicators])
        if weight not in tables.indicators:
            if tables.excused("indicator", weight):
                return
            record.error(
                f"poids inconnu « {weight} » : attendu population ou un code d'indicateur{hint}",
                "weight",
            )
        else:
            _check_operand(located, tables.indicators[weight].value, "weight", additive=True)


def _check_operand(
    located: Located[Indicator], operand: Indicator, key: str, additive: bool
) -> None:
    """An operand must be published at least as often and as finely as the indicator using it."""
    indicator, record = located.value, located.record
    if operand.code == indicator.code:
        return  # reported as a cycle
    if additive and operand.aggregation is not Aggregation.SUM:
        record.error(
            f'« {operand.code} » doit être additif (aggregation = "sum") '
            f"pour servir de {_ROLE[key]}",
            key,
        )
    if operand.periodicity is not indicator.periodicity:
        record.error(
            f"« {operand.code} » a une périodicité {operand.periodicity.label}, "
            f"différente de celle de {indicator.code} ({indicator.periodicity.label})",
            key,
        )
    missing = [level.value for level in indicator.levels if level not in operand.levels]
    if missing:
        record.error(
            f"« {operand.code} » n'est pas publié au(x) niveau(x) {', '.join(missing)} "
            f"où {indicator.code} l'est",
            key,
        )


_ROLE = {"numerator": "numérateur", "denominator": "dénominateur", "weight": "poids"}


def _check_measure(located: Located[Measure], tables: Tables) -> None:
    measure, record = located.value, located.record
    _exists(tables, record, measure.theme, "theme", "theme")
    code = measure.headline_indicator
    if (
        _exists(tables, record, code, "indicator", "headline_indicator")
        and measure.code not in tables.indicators[code].value.measures
    ):
        record.error(
            f"l'indicateur phare « {code} » ne déclare pas la mesure {measure.code} "
            "dans ses « measures »",
            "headline_indicator",
        )


def _check_programme(located: Located[Programme], tables: Tables) -> None:
    programme, record = located.value, located.record
    if programme.lead_partner:
        _exists(tables, record, programme.lead_partner, "partner", "lead_partner")
    for index, code in enumerate(programme.headline_indicators):
        key = ("headline_indicators", index)
        if (
            _exists(tables, record, code, "indicator", *key)
            and programme.code not in tables.indicators[code].value.programmes
        ):
            record.error(
                f"l'indicateur phare « {code} » ne déclare pas le programme "
                f"{programme.code} dans ses « programmes »",
                *key,
            )


def _check_set_slugs(tables: Tables) -> None:
    """Test sets and membership sets are distinct territory sets: one slug, one owner."""
    owners: dict[str, str] = {}
    pairs = [
        (m.value.test_set, m.value.code, m.record, "test_set") for m in tables.measures.values()
    ]
    pairs += [
        (p.value.membership_set, p.value.code, p.record, "membership_set")
        for p in tables.programmes.values()
    ]
    for slug, owner, record, key in pairs:
        if slug in owners:
            record.error(f"l'ensemble « {slug} » est déjà celui de {owners[slug]}", key)
        else:
            owners[slug] = owner


def _check_cycles(indicators: Mapping[str, Located[Indicator]]) -> None:
    """Report each cycle of dependencies once, on the first indicator of the cycle in file order."""
    order = {code: index for index, code in enumerate(indicators)}
    reported: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(code: str, path: list[str]) -> None:
        state[code] = 1
        path.append(code)
        for dependency in sorted(indicators[code].value.dependencies):
            if dependency not in indicators:
                continue
            if state.get(dependency) == 1:
                cycle = path[path.index(dependency) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    _report_cycle(indicators, cycle, order)
            elif dependency not in state:
                visit(dependency, path)
        path.pop()
        state[code] = 2

    for code in indicators:
        if code not in state:
            visit(code, [])


def _report_cycle(
    indicators: Mapping[str, Located[Indicator]], cycle: list[str], order: Mapping[str, int]
) -> None:
    first = min(range(len(cycle)), key=lambda i: order[cycle[i]])
    rotated = cycle[first:] + cycle[:first]
    located = indicators[rotated[0]]
    following = rotated[1] if len(rotated) > 1 else rotated[0]
    chain = " → ".join([*rotated, rotated[0]])
    located.record.error(
        f"cycle entre indicateurs : {chain}", _reference_key(located.value, following)
    )


def _reference_key(indicator: Indicator, code: str) -> str:
    if indicator.formula is not None and code in indicator.formula.variables:
        return "formula"
    for key in ("numerator", "denominator", "weight"):
        if getattr(indicator, key) == code:
            return key
    return "code"
