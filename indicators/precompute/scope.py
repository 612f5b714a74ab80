"""Which indicators a change touches: the changed ones and, transitively, every definition that
reads them (ratio terms, weights, formula variables), in an order where inputs come first."""

from __future__ import annotations

from collections.abc import Iterable
from graphlib import TopologicalSorter

from indicators.catalogue import Catalogue, Level

LEVEL_ORDER = (Level.COM, Level.EPCI, Level.DEP, Level.REG, Level.FR)


def base_level(levels: Iterable[Level]) -> Level:
    """The finest level an indicator is published at: its values aggregate upwards from there."""
    given = set(levels)
    return next((level for level in LEVEL_ORDER if level in given), Level.FR)


def affected_indicators(catalogue: Catalogue, changed: Iterable[str]) -> list[str]:
    """``changed`` plus their dependents, dependencies first; unknown codes are ignored."""
    dependents: dict[str, set[str]] = {}
    for indicator in catalogue.indicators.values():
        for dependency in indicator.dependencies:
            dependents.setdefault(dependency, set()).add(indicator.code)
    affected: set[str] = set()
    stack = [code for code in changed if code in catalogue.indicators]
    while stack:
        code = stack.pop()
        if code not in affected:
            affected.add(code)
            stack.extend(dependents.get(code, ()))
    graph = {
        code: {d for d in catalogue.indicators[code].dependencies if d in affected}
        for code in affected
    }
    return list(TopologicalSorter(graph).static_order())
