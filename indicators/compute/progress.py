"""Progress from a baseline to a target, and whether it is on schedule.

Progress is the share of the way covered, in percent: 0 at the baseline, 100 at the target, more
than 100 past it, negative when the indicator moved the wrong way. The status compares it with
the share of the time elapsed between the baseline period and the target period.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

from indicators.periods import Period

from .time_axis import fractional_year

Direction = Literal["up", "down", "neutral"]
ProgressStatus = Literal["achieved", "on_track", "late"]

PROGRESS_STATUS_LABELS: Final[Mapping[ProgressStatus, str]] = MappingProxyType(
    {"achieved": "atteint", "on_track": "en bonne voie", "late": "en retard"}
)
DEFAULT_TOLERANCE: Final = 10.0  # percentage points of slack before "late"


def progress(
    baseline: float | None, target: float | None, current: float | None, direction: Direction
) -> float | None:
    """Percent of the way from ``baseline`` to ``target`` reached by ``current``.

    ``None`` when a number is unknown. When the target equals the baseline (keep the level), the
    progress is 100 if ``current`` is at or beyond it in ``direction``, else 0 (``None`` for a
    neutral direction). A target on the wrong side of the baseline for ``direction`` is a
    definition error and raises ``ValueError``.
    """
    if _unknown(baseline) or _unknown(target) or _unknown(current):
        return None
    assert baseline is not None and target is not None and current is not None
    gap = target - baseline
    if (direction == "up" and gap < 0) or (direction == "down" and gap > 0):
        raise ValueError(
            f"cible {target:g} incohérente avec la valeur de référence {baseline:g} "
            f"pour un indicateur orienté à la {'hausse' if direction == 'up' else 'baisse'}"
        )
    if gap == 0:
        if direction == "neutral":
            return None
        met = current >= target if direction == "up" else current <= target
        return 100.0 if met else 0.0
    return 100.0 * (current - baseline) / gap


def expected_progress(
    baseline_period: str | Period, target_period: str | Period, current_period: str | Period
) -> float:
    """Share of the baseline-to-target time elapsed at ``current_period``, in percent (0–100)."""
    start, end = fractional_year(baseline_period), fractional_year(target_period)
    if end <= start:
        raise ValueError(
            f"la période cible {target_period} doit suivre "
            f"la période de référence {baseline_period}"
        )
    share = (fractional_year(current_period) - start) / (end - start)
    return 100.0 * min(max(share, 0.0), 1.0)


def progress_status(
    progress_percent: float | None,
    baseline_period: str | Period,
    target_period: str | Period,
    current_period: str | Period,
    tolerance: float = DEFAULT_TOLERANCE,
) -> ProgressStatus | None:
    """``achieved`` at 100 % or more; ``on_track`` if the progress is at least the elapsed share
    of time minus ``tolerance`` points; ``late`` otherwise; ``None`` when progress is unknown.

    French labels: :data:`PROGRESS_STATUS_LABELS`.
    """
    if _unknown(progress_percent):
        return None
    assert progress_percent is not None
    if progress_percent >= 100.0:
        return "achieved"
    expected = expected_progress(baseline_period, target_period, current_period)
    return "on_track" if progress_percent >= expected - tolerance else "late"


def _unknown(number: float | None) -> bool:
    return number is None or not math.isfinite(number)
