"""The analysis panel: period axis, cohorts from start dates, statuses; units and their level."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from indicators.evaluation.panel import COMPARISON, NO_COHORT, TEST, make_panel
from indicators.evaluation.units import coarsest_level, evaluation_level, map_to_level
from indicators.periods import PeriodKind

pytestmark = pytest.mark.unit


def _units(starts: list[date | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "territory": [f"COM:{i}" for i in range(len(starts))],
            "type": "moins_20k",
            "role": [TEST if start else COMPARISON for start in starts],
            "start": starts,
            "population": 100.0,
        }
    )


def test_cohort_is_the_first_period_starting_on_or_after_the_start() -> None:
    units = _units([date(2025, 4, 1), date(2025, 1, 1), date(2025, 4, 15), None])
    observations = pd.DataFrame(
        {
            "territory": "COM:0",
            "period": ["2024-T1", "2024-T2", "2026-T1"],  # gaps stay on the axis
            "value": [1.0, 2.0, 3.0],
            "status": ["ok", "ok", "ok"],
        }
    )
    panel = make_panel("X", "COM", PeriodKind.QUARTER, units, observations)
    assert panel.periods[0] == "2024-T1" and panel.periods[-1] == "2026-T1"
    assert len(panel.periods) == 9
    cohorts = dict(zip(panel.units["territory"], panel.units["cohort"], strict=True))
    # 2025-T2 for 1 April, 2025-T1 for 1 January, 2025-T3 for 15 April (T2 is partly treated)
    assert [cohorts[f"COM:{i}"] for i in range(3)] == [5, 4, 6]
    assert cohorts["COM:3"] == NO_COHORT

    annual = make_panel(
        "X", "COM", PeriodKind.YEAR, units, observations.assign(period=["2023", "2024", "2025"])
    )
    cohorts = dict(zip(annual.units["territory"], annual.units["cohort"], strict=True))
    assert [cohorts[f"COM:{i}"] for i in range(3)] == [3, 2, 3]  # 2026, 2025, 2026


def test_only_ok_values_are_usable_and_statuses_are_kept() -> None:
    units = _units([date(2024, 1, 1), None])
    observations = pd.DataFrame(
        {
            "territory": ["COM:0", "COM:0", "COM:1", "COM:9"],
            "period": ["2023", "2024", "2023", "2023"],
            "value": [1.0, None, 0.0, 5.0],
            "status": ["ok", "secret", "ok", "ok"],
        }
    )
    panel = make_panel("X", "COM", PeriodKind.YEAR, units, observations)
    assert panel.periods == ("2023", "2024")
    row = {code: i for i, code in enumerate(panel.units["territory"])}
    assert panel.values[row["COM:0"]].tolist()[0] == 1.0
    assert np.isnan(panel.values[row["COM:0"], 1])
    assert panel.statuses[row["COM:0"]].tolist() == ["ok", "secret"]
    assert panel.values[row["COM:1"]].tolist()[0] == 0.0  # zero is a value
    assert panel.statuses[row["COM:1"], 1] == "absent"
    long = panel.long()
    assert len(long) == 4 and set(long["territory"]) == {"COM:0", "COM:1"}


def test_evaluation_levels() -> None:
    assert evaluation_level(["COM", "EPCI", "DEP"], "COM") == "COM"
    assert evaluation_level(["EPCI", "DEP"], "COM") == "EPCI"
    assert evaluation_level(["DEP", "REG"], "COM") is None  # too coarse
    assert evaluation_level(["COM", "EPCI"], "EPCI") == "EPCI"
    assert coarsest_level(["COM", "EPCI", "COM"]) == "EPCI"


def test_communes_map_to_their_epci_from_the_earliest_start() -> None:
    members = pd.DataFrame(
        {
            "territory": ["COM:A", "COM:B", "COM:C", "EPCI:2"],
            "level": ["COM", "COM", "COM", "EPCI"],
            "start": [date(2025, 7, 1), date(2025, 1, 1), None, date(2026, 1, 1)],
        }
    )
    territories = pd.DataFrame(
        {
            "territory": ["COM:A", "COM:B", "COM:C", "EPCI:1", "EPCI:2"],
            "epci": ["EPCI:1", "EPCI:1", "EPCI:3", None, None],
        }
    )
    mapped = map_to_level(members, territories, "EPCI")
    assert mapped.to_dict("records") == [
        {"territory": "EPCI:1", "start": date(2025, 1, 1)},
        {"territory": "EPCI:2", "start": date(2026, 1, 1)},
        {"territory": "EPCI:3", "start": None},
    ]
    communes = map_to_level(members, territories, "COM")
    assert communes["territory"].tolist() == ["COM:A", "COM:B", "COM:C"]
