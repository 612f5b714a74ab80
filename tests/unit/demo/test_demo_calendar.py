"""Which periods the demo fills, and the ramp rule of the injected effects."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from indicators.catalogue import Catalogue, load_catalogue
from indicators.demo.calendar import add_months, period_grid, published_periods
from indicators.demo.timing import active, treated
from indicators.periods import parse_period

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("ACC_FS_CREDITS", "2022", "2025"),  # annual, 3 months late: 2025 out on 1 April 2026
        ("SAN_APL_MG", "2022", "2024"),  # annual, 18 months late
        ("MOB_ACTIFS", "2022", "2023"),  # census, 30 months late
        ("ACC_FS_DEMANDES", "2022-T1", "2026-T3"),  # quarterly, 1 month: out on 1 November
        ("EMP_DEFM_A", "2022-T1", "2026-T2"),  # 2026-T3 would be out on 1 December
        ("NUM_AUTONOMIE", "2022-S1", "2025-S2"),  # semester, 6 months late
        ("NUM_ACCOMPAGNEMENTS", "2022-01", "2026-09"),  # monthly, 1 month late
    ],
)
def test_periods_run_from_2022_to_the_last_one_published_by_the_reference_date(
    catalogue: Catalogue, code: str, first: str, last: str
) -> None:
    periods = [str(p) for p in published_periods(catalogue.indicators[code])]
    assert (periods[0], periods[-1]) == (first, last)
    assert len(set(periods)) == len(periods)


def test_an_earlier_reference_date_publishes_less(catalogue: Catalogue) -> None:
    periods = published_periods(catalogue.indicators["EMP_DEFM_A"], as_of=date(2025, 12, 1))
    assert str(periods[-1]) == "2025-T3"


def test_add_months_crosses_years() -> None:
    assert add_months(date(2025, 7, 1), 6) == date(2026, 1, 1)
    assert add_months(date(2025, 1, 1), 12) == date(2026, 1, 1)


def test_effect_starts_with_the_first_period_starting_on_or_after_the_entry() -> None:
    grid = period_grid([parse_period(p) for p in ("2025-T1", "2025-T2", "2025-T3", "2025-T4")])
    starts = np.array(["2025-04-01", "2025-05-15", "NaT"], dtype="datetime64[D]")
    assert treated(starts, grid).tolist() == [
        [False, True, True, True],
        [False, False, True, True],  # entered mid-quarter: effect from the next quarter
        [False, False, False, False],
    ]
    # a programme member counts from the period in which it joined
    assert active(starts, grid)[1].tolist() == [False, True, True, True]


def test_grid_places_periods_on_a_time_axis() -> None:
    grid = period_grid([parse_period(p) for p in ("2022-S1", "2022-S2", "2023-S1")])
    assert grid.mid_month.tolist() == [3.5, 9.5, 3.5]
    assert grid.seasonal
    assert 0.2 < grid.years[0] < 0.3 and 1.2 < grid.years[2] < 1.3
