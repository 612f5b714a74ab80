"""Automatic comparison territories: features, nearest neighbours without replacement, pins,
exclusions, balance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.evaluation.matching import (
    BALANCE_COLUMNS,
    MATCHED,
    PINNED,
    SELECTION_COLUMNS,
    match_comparisons,
    matching_features,
)

pytestmark = pytest.mark.unit

PRE = ["2022", "2023", "2024"]


def test_features_level_and_trend_use_the_observed_pre_periods() -> None:
    territories = pd.DataFrame(
        {"territory": ["COM:A", "COM:B", "COM:C"], "population": [1000.0, 0.0, 50.0]}
    )
    values = pd.DataFrame(
        [
            ("COM:A", "2022", 10.0, "ok"),
            ("COM:A", "2023", 12.0, "ok"),
            ("COM:A", "2024", 14.0, "ok"),
            ("COM:A", "2025", 99.0, "ok"),  # after the pre-period: ignored
            ("COM:B", "2022", 5.0, "ok"),
            ("COM:B", "2024", 9.0, "ok"),
            ("COM:C", "2023", 7.0, "ok"),
            ("COM:C", "2024", None, "secret"),
        ],
        columns=["territory", "period", "value", "status"],
    )
    features = matching_features(territories, values, PRE).set_index("territory")
    assert features.loc["COM:A", "log_population"] == pytest.approx(np.log(1000))
    assert np.isnan(features.loc["COM:B", "log_population"])  # unknown population
    assert features.loc["COM:A", ["pre_level", "pre_trend"]].tolist() == [12.0, 2.0]
    assert features.loc["COM:B", ["pre_level", "pre_trend"]].tolist() == [7.0, 2.0]
    assert features.loc["COM:C", "pre_level"] == 7.0
    assert np.isnan(features.loc["COM:C", "pre_trend"])  # one value: no trend


def _world(
    tests: dict[str, tuple[str, float]], candidates: dict[str, tuple[str, float]]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Territories on one axis (the pre-period level), same population and trend."""
    rows = {**tests, **candidates}
    features = pd.DataFrame(
        {
            "territory": list(rows),
            "log_population": 7.0,
            "pre_level": [level for _, level in rows.values()],
            "pre_trend": 0.0,
        }
    )
    frame = lambda items: pd.DataFrame(  # noqa: E731
        {"territory": list(items), "type": [type_ for type_, _ in items.values()]}
    )
    return frame(tests), frame(candidates), features


def test_nearest_neighbours_without_replacement_within_type() -> None:
    tests, candidates, features = _world(
        {"COM:T1": ("moins_20k", 10.0), "COM:T2": ("moins_20k", 11.0)},
        {
            "COM:C1": ("moins_20k", 10.2),
            "COM:C2": ("moins_20k", 10.9),
            "COM:C3": ("moins_20k", 11.1),
            "COM:C4": ("moins_20k", 30.0),
            "COM:C5": ("20k_100k", 10.0),  # closest, but another type
        },
    )
    result = match_comparisons(tests, candidates, features, neighbours=2)
    selected = result.selected.set_index("territory")
    assert tuple(result.selected.columns) == SELECTION_COLUMNS
    assert sorted(selected.index) == ["COM:C1", "COM:C2", "COM:C3", "COM:C4"]
    assert (selected["origin"] == MATCHED).all()
    assert selected["type"].eq("moins_20k").all()
    # the closest pairs first, each candidate used once: T2 takes C2 and C3, T1 takes C1 and
    # the only one left
    assert selected.loc[["COM:C2", "COM:C3"], "matched_to"].eq("COM:T2").all()
    assert selected.loc[["COM:C1", "COM:C4"], "matched_to"].eq("COM:T1").all()


def test_pins_and_exclusions_are_honoured() -> None:
    tests, candidates, features = _world(
        {"COM:T1": ("moins_20k", 10.0)},
        {
            "COM:C1": ("moins_20k", 10.1),
            "COM:C2": ("moins_20k", 10.2),
            "COM:C3": ("moins_20k", 50.0),
        },
    )
    result = match_comparisons(
        tests, candidates, features, neighbours=1, pins=["COM:C3"], exclusions=["COM:C1"]
    )
    selected = result.selected.set_index("territory")["origin"].to_dict()
    assert selected == {"COM:C2": MATCHED, "COM:C3": PINNED}
    with pytest.raises(ValueError, match="territoire test"):
        match_comparisons(tests, candidates, features, pins=["COM:T1"])
    with pytest.raises(ValueError, match="ne peut pas être épinglé"):
        match_comparisons(tests, candidates, features, pins=["COM:ZZZ"])


def test_matching_is_deterministic_whatever_the_input_order() -> None:
    rng = np.random.default_rng(0)
    tests, candidates, features = _world(
        {f"COM:T{i:02d}": ("moins_20k", float(rng.normal())) for i in range(15)},
        {f"COM:C{i:03d}": ("moins_20k", float(rng.normal())) for i in range(200)},
    )
    first = match_comparisons(tests, candidates, features)
    shuffled = match_comparisons(
        tests.sample(frac=1, random_state=1),
        candidates.sample(frac=1, random_state=2),
        features.sample(frac=1, random_state=3),
    )
    pd.testing.assert_frame_equal(first.selected, shuffled.selected)
    assert len(first.selected) == 45 and first.selected["territory"].is_unique


def test_balance_improves_and_candidates_without_data_cannot_serve() -> None:
    rng = np.random.default_rng(1)
    tests = {f"COM:T{i:02d}": ("moins_20k", float(rng.normal(1.0))) for i in range(20)}
    candidates = {f"COM:C{i:03d}": ("moins_20k", float(rng.normal(0.0))) for i in range(300)}
    test_frame, candidate_frame, features = _world(tests, candidates)
    features.loc[features["territory"] == "COM:C000", ["pre_level", "pre_trend"]] = np.nan
    result = match_comparisons(test_frame, candidate_frame, features, neighbours=2)
    assert "COM:C000" not in set(result.selected["territory"])
    assert tuple(result.balance.columns) == BALANCE_COLUMNS
    level = result.balance.set_index("feature").loc["pre_level"]
    assert abs(level["smd_after"]) < 0.25 < abs(level["smd_before"])


def test_population_alone_when_the_indicator_has_no_data_yet() -> None:
    tests, candidates, features = _world(
        {"COM:T1": ("moins_20k", 0.0)}, {"COM:C1": ("moins_20k", 0.0)}
    )
    features[["pre_level", "pre_trend"]] = np.nan
    features["log_population"] = [7.0, 7.1]
    result = match_comparisons(tests, candidates, features, neighbours=1)
    assert result.selected["territory"].tolist() == ["COM:C1"]
