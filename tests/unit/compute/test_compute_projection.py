import math

import pandas as pd
import pytest

from indicators.compute import fractional_year, project

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2025", 2025.0), ("2025-S2", 2025.5), ("2025-T3", 2025.5), ("2025-T2", 2025.25),
     ("2025-07", 2025.5), ("2025-01", 2025.0)],
)  # fmt: skip
def test_periods_sit_at_their_start_in_fractional_years(period: str, expected: float) -> None:
    assert fractional_year(period) == pytest.approx(expected)


def test_projection_of_a_linear_series_is_exact() -> None:
    # 10 + 8 per year, observed quarterly from 2024-T1.
    quarters = [f"{year}-T{q}" for year in (2024, 2025) for q in (1, 2, 3, 4)]
    series = [(p, 10 + 8 * (fractional_year(p) - 2024)) for p in quarters]
    assert project(series, "2027-T4") == pytest.approx(10 + 8 * 3.75)
    assert project(pd.Series(dict(series)), "2026") == pytest.approx(26.0)


def test_projection_is_a_least_squares_line_and_skips_unknown_values() -> None:
    series = pd.Series({"2021": 1.0, "2022": 3.0, "2023": 2.0, "2024": math.nan, "2025": None})
    # Fit on (2021, 1), (2022, 3), (2023, 2): slope 0.5, value 2 at 2022.
    assert project(series, "2026") == pytest.approx(4.0)


def test_projection_needs_two_observed_periods() -> None:
    assert project([], "2027") is None
    assert project([("2025", 4.0)], "2027") is None
    assert project([("2025", 4.0), ("2026", math.nan)], "2027") is None
