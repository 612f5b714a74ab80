"""What an estimate says about a measure: favourable, unfavourable, not significant, not estimable.

An effect is significant when its confidence interval excludes zero; it is favourable when it
goes the way the indicator should move (``direction`` of the catalogue).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from indicators.catalogue import Direction
from indicators.evaluation.estimation import ScopeEstimate


class Verdict(StrEnum):
    FAVOURABLE = "favourable"
    UNFAVOURABLE = "unfavourable"
    SIGNIFICANT = "significant"  # an indicator without desired direction
    NOT_SIGNIFICANT = "not_significant"
    NOT_ESTIMABLE = "not_estimable"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]


VERDICT_LABELS: Final[Mapping[Verdict, str]] = MappingProxyType(
    {
        Verdict.FAVOURABLE: "effet significatif dans le sens souhaité",
        Verdict.UNFAVOURABLE: "effet significatif dans le sens contraire",
        Verdict.SIGNIFICANT: "effet significatif (pas de sens souhaité)",
        Verdict.NOT_SIGNIFICANT: "effet non significatif",
        Verdict.NOT_ESTIMABLE: "effet non estimable",
    }
)


def excludes_zero(estimate: ScopeEstimate) -> bool:
    if estimate.ci_low is None or estimate.ci_high is None:
        return False
    return estimate.ci_low > 0 or estimate.ci_high < 0


def goes_desired_way(value: float, direction: Direction) -> bool | None:
    """True / False for an up or down indicator, None for a neutral one."""
    if direction is Direction.NEUTRAL:
        return None
    return value > 0 if direction is Direction.UP else value < 0


def verdict(estimate: ScopeEstimate, direction: Direction) -> Verdict:
    if estimate.estimate is None:
        return Verdict.NOT_ESTIMABLE
    if not excludes_zero(estimate):
        return Verdict.NOT_SIGNIFICANT
    desired = goes_desired_way(estimate.estimate, direction)
    if desired is None:
        return Verdict.SIGNIFICANT
    return Verdict.FAVOURABLE if desired else Verdict.UNFAVOURABLE
