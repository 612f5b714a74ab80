import math

import pytest

from indicators.compute import (
    PROGRESS_STATUS_LABELS,
    expected_progress,
    progress,
    progress_status,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("baseline", "target", "current", "direction", "expected"),
    [
        (20.0, 60.0, 30.0, "up", 25.0),
        (20.0, 60.0, 60.0, "up", 100.0),
        (20.0, 60.0, 80.0, "up", 150.0),  # overshoot is kept, not capped
        (20.0, 60.0, 10.0, "up", -25.0),  # moved the wrong way
        (12.0, 8.0, 11.0, "down", 25.0),  # e.g. a waiting time to reduce
        (12.0, 8.0, 6.0, "down", 150.0),
        (12.0, 8.0, 13.0, "down", -25.0),
        (12.0, 8.0, 10.0, "neutral", 50.0),
    ],
)
def test_progress_in_both_directions(
    baseline: float, target: float, current: float, direction: str, expected: float
) -> None:
    assert progress(baseline, target, current, direction) == pytest.approx(expected)  # type: ignore[arg-type]


def test_target_equal_to_baseline_means_keeping_the_level() -> None:
    assert progress(50.0, 50.0, 50.0, "up") == 100.0
    assert progress(50.0, 50.0, 55.0, "up") == 100.0
    assert progress(50.0, 50.0, 49.0, "up") == 0.0
    assert progress(50.0, 50.0, 49.0, "down") == 100.0
    assert progress(50.0, 50.0, 51.0, "down") == 0.0
    assert progress(50.0, 50.0, 50.0, "neutral") is None


def test_unknown_numbers_and_inconsistent_targets() -> None:
    assert progress(None, 10.0, 5.0, "up") is None
    assert progress(1.0, 10.0, math.nan, "up") is None
    with pytest.raises(ValueError, match="hausse"):
        progress(10.0, 5.0, 7.0, "up")
    with pytest.raises(ValueError, match="baisse"):
        progress(5.0, 10.0, 7.0, "down")


def test_expected_progress_is_the_elapsed_share_of_time() -> None:
    assert expected_progress("2024", "2026", "2025") == 50.0
    assert expected_progress("2024", "2026", "2025-T3") == 75.0  # 2025.5: start of the quarter
    assert expected_progress("2024", "2026", "2023") == 0.0  # clipped before the baseline
    assert expected_progress("2024", "2026", "2027") == 100.0
    with pytest.raises(ValueError, match="doit suivre"):
        expected_progress("2026", "2024", "2025")


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (100.0, "achieved"),
        (130.0, "achieved"),
        (50.0, "on_track"),
        (40.0, "on_track"),  # exactly the elapsed share minus the 10-point tolerance
        (39.9, "late"),
        (-5.0, "late"),
    ],
)
def test_status_thresholds(percent: float, expected: str) -> None:
    # Half of the time has elapsed between 2024 and 2026.
    assert progress_status(percent, "2024", "2026", "2025") == expected


def test_status_tolerance_is_configurable_and_unknown_progress_has_no_status() -> None:
    assert progress_status(45.0, "2024", "2026", "2025", tolerance=0.0) == "late"
    assert progress_status(None, "2024", "2026", "2025") is None
    assert PROGRESS_STATUS_LABELS == {
        "achieved": "atteint",
        "on_track": "en bonne voie",
        "late": "en retard",
    }
