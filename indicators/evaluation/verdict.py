"""What an estimate says about a measure: favourable, unfavourable, not significant, not estimable.

An effect is significant when its confidence interval excludes zero; it is favourable when it
goes the way the indicator should move (``direction`` of the catalogue). An interval of zero width
(lower bound = upper bound: a standard error of zero, e.g. one test territory, or values that do
not vary) measures no uncertainty at all: too few data, never a significant effect.
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


# relative width under which an interval is a point: rounding noise of a zero standard error
ZERO_WIDTH: Final = 1e-9


def zero_width(estimate: ScopeEstimate) -> bool:
    """True when the interval is a single point (too few data to measure any uncertainty)."""
    if estimate.ci_low is None or estimate.ci_high is None:
        return False
    scale = max(1.0, abs(estimate.ci_low), abs(estimate.ci_high))
    return estimate.ci_high - estimate.ci_low <= ZERO_WIDTH * scale


def excludes_zero(estimate: ScopeEstimate) -> bool:
    """The interval lies on one side of zero and has a width: a point is no evidence."""
    if estimate.ci_low is None or estimate.ci_high is None or zero_width(estimate):
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
