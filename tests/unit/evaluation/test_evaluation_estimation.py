"""Staggered difference-in-differences on synthetic panels whose effects are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from evaluation_synthetic import constant, synthetic_panel

from indicators.evaluation.estimation import (
    EVENT_STUDY_COLUMNS,
    OVERALL,
    EstimationOptions,
    effect_weights,
    estimate_panel,
)
from indicators.evaluation.panel import COMPARISON, TEST, make_panel
from indicators.periods import PeriodKind

pytestmark = pytest.mark.unit


def covers(estimate, value: float) -> bool:  # type: ignore[no-untyped-def]
    return bool(estimate.ci_low <= value <= estimate.ci_high)


def test_constant_effect_with_three_cohorts_is_recovered() -> None:
    synthetic = synthetic_panel(1, types=("moins_20k", "20k_100k"), effect=constant(2.0))
    estimates = estimate_panel(synthetic.panel)
    for scope in estimates.scopes():
        assert covers(scope, 2.0), scope
        assert scope.ci_high - scope.ci_low < 1.0  # informative, not just wide
    overall = estimates.overall
    assert (overall.n_test, overall.n_comparison) == (180, 180)
    assert set(estimates.by_type) == {"moins_20k", "20k_100k"}
    assert overall.n_post == 8  # two years of quarters
    assert overall.n_pre == 12  # three years of quarters, the reference year included
    assert overall.pretrend_p is not None and overall.pretrend_p > 0.05


def test_zero_effect_intervals_cover_zero() -> None:
    for seed in range(5):
        synthetic = synthetic_panel(seed, effect=constant(0.0), types=("moins_20k", "20k_100k"))
        for scope in estimate_panel(synthetic.panel).scopes():
            assert covers(scope, 0.0), (seed, scope.scope, scope.ci_low, scope.ci_high)


def naive_twfe(panel) -> float:  # type: ignore[no-untyped-def]
    """The static two-way fixed-effects coefficient (unit and period dummies)."""
    long = panel.long()
    cohort = dict(zip(panel.units["territory"], panel.units["cohort"], strict=True))
    long["t"] = np.tile(np.arange(len(panel.periods)), len(panel.units))
    long["treated"] = [
        float(role == TEST and t >= cohort[code])
        for code, role, t in zip(long["territory"], long["role"], long["t"], strict=True)
    ]
    fit = smf.ols("value ~ treated + C(territory) + C(t)", long.dropna(subset=["value"])).fit()
    return float(fit.params["treated"])


def test_heterogeneous_effects_bias_twfe_but_not_the_cohort_estimator() -> None:
    # the early cohort's effect grows twice as fast: the naive regression then compares later
    # cohorts with already-treated units whose effect is still growing
    def growing(cohort: int, event_time: int, type_: str) -> float:
        return (1.0 if cohort == 3 else 0.5) * (event_time + 1)

    synthetic = synthetic_panel(
        0, cohorts=(3, 7, 11), per_cohort=40, comparisons=20, n_periods=16, effect=growing
    )
    truth = synthetic.truth[OVERALL]
    estimate = estimate_panel(synthetic.panel).overall
    assert covers(estimate, truth)
    twfe = naive_twfe(synthetic.panel)
    smallest_effect = 0.5  # every treated cell has at least this effect
    assert twfe < smallest_effect < truth  # outside the range of the true effects
    assert abs(estimate.estimate - truth) < 0.2 * truth < abs(twfe - truth)


def test_diverging_pretrends_are_detected() -> None:
    synthetic = synthetic_panel(2, pretrend=0.15, effect=constant(0.0))
    overall = estimate_panel(synthetic.panel).overall
    assert overall.pretrend_p is not None and overall.pretrend_p < 0.001
    assert overall.pretrend_df == 2  # the two years before the reference year
    parallel = estimate_panel(synthetic_panel(2, effect=constant(0.0)).panel).overall
    assert parallel.pretrend_p is not None and parallel.pretrend_p > 0.05


def test_missing_values_keep_the_estimate_honest() -> None:
    synthetic = synthetic_panel(3, missing=0.08, effect=constant(1.5))
    overall = estimate_panel(synthetic.panel).overall
    assert covers(overall, 1.5)
    assert overall.n_test == 90


def test_single_cohort_equals_the_two_by_two_comparison_of_means() -> None:
    """An annual panel with one cohort: the estimate is the mean change of test units minus
    the mean change of comparison units, from the year before entry to the entry year."""
    synthetic = synthetic_panel(
        4, cohorts=(3,), per_cohort=12, comparisons=30, n_periods=4, first="2022"
    )
    panel = synthetic.panel
    change = panel.values[:, 3] - panel.values[:, 2]
    by_hand = np.nanmean(change[panel.is_test]) - np.nanmean(change[~panel.is_test])
    overall = estimate_panel(panel).overall
    assert overall.estimate == pytest.approx(by_hand)
    # and the same as a statsmodels 2x2 regression with unit-clustered errors
    long = pd.DataFrame({"change": change, "test": panel.is_test.astype(float)})
    two_by_two = smf.ols("change ~ test", long).fit(cov_type="HC1")
    assert overall.estimate == pytest.approx(two_by_two.params["test"])
    assert overall.std_error == pytest.approx(two_by_two.bse["test"], rel=0.05)


def test_event_study_shape_reference_and_band() -> None:
    synthetic = synthetic_panel(5, effect=constant(2.0))
    study = estimate_panel(synthetic.panel).overall.event_study
    assert tuple(study.columns) == EVENT_STUDY_COLUMNS
    assert study["event_time"].tolist() == list(range(-12, 8))
    assert study.loc[study["reference"], "event_time"].tolist() == [-4, -3, -2, -1]
    post = study[study["event_time"] >= 0]
    assert ((post["ci_low"] <= 2.0) & (post["ci_high"] >= 2.0)).mean() >= 0.75
    assert (study["band_high"] - study["band_low"] > study["ci_high"] - study["ci_low"]).all()


def test_annual_event_study_pins_the_reference_year_at_zero() -> None:
    synthetic = synthetic_panel(6, cohorts=(3, 4), n_periods=6, first="2021")
    study = estimate_panel(synthetic.panel).overall.event_study
    reference = study[study["event_time"] == -1].iloc[0]
    assert (reference["estimate"], reference["ci_low"], reference["ci_high"]) == (0, 0, 0)
    assert bool(reference["reference"])


def test_the_band_simulation_is_seeded() -> None:
    panel = synthetic_panel(7).panel
    first = estimate_panel(panel, EstimationOptions(seed=3)).overall.event_study
    again = estimate_panel(panel, EstimationOptions(seed=3)).overall.event_study
    pd.testing.assert_frame_equal(first, again)


def test_weights_reproduce_the_truth_of_heterogeneous_effects() -> None:
    def by_cohort(cohort: int, event_time: int, type_: str) -> float:
        return {8: 1.0, 10: 2.0, 12: 4.0}[cohort] + (0.5 if type_ == "20k_100k" else 0.0)

    synthetic = synthetic_panel(8, types=("moins_20k", "20k_100k"), effect=by_cohort)
    weights = effect_weights(synthetic.panel)
    assert weights.groupby("scope")["weight"].sum().to_numpy() == pytest.approx(1.0)
    cohort = synthetic.panel.units.set_index("territory")["cohort"]
    type_ = synthetic.panel.units.set_index("territory")["type"]
    effects = [by_cohort(int(cohort[code]), 0, str(type_[code])) for code in weights["territory"]]
    truth = (weights["weight"] * effects).groupby(weights["scope"]).sum()
    assert truth.to_dict() == pytest.approx(synthetic.truth)
    for scope in estimate_panel(synthetic.panel).scopes():
        assert covers(scope, truth[scope.scope])


def _tiny_panel(roles: list[str], cohorts: list[int | None]):  # type: ignore[no-untyped-def]
    periods = ["2022", "2023", "2024", "2025"]
    units = pd.DataFrame(
        {
            "territory": [f"COM:{i:05d}" for i in range(len(roles))],
            "type": "moins_20k",
            "role": roles,
            "start": [
                None if c is None else pd.Timestamp(f"{2022 + c}-01-01").date() for c in cohorts
            ],
            "population": 1000.0,
        }
    )
    rng = np.random.default_rng(0)
    observations = pd.DataFrame(
        [
            {"territory": code, "period": p, "value": rng.normal(), "status": "ok"}
            for code in units["territory"]
            for p in periods
        ]
    )
    return make_panel("X", "COM", PeriodKind.YEAR, units, observations)


def test_reasons_when_nothing_can_be_estimated() -> None:
    no_comparison = estimate_panel(_tiny_panel([TEST, TEST], [2, 3])).overall
    assert not no_comparison.estimable
    assert no_comparison.reason == "aucun territoire témoin de ce type"

    entered_before_the_data = estimate_panel(_tiny_panel([TEST, COMPARISON], [0, None]))
    assert "avant et après son entrée" in str(entered_before_the_data.overall.reason)

    one_test_unit = estimate_panel(_tiny_panel([TEST, COMPARISON, COMPARISON], [2, None, None]))
    assert not one_test_unit.overall.estimable
    assert one_test_unit.overall.n_test == 1
    assert "au moins 2 de chaque" in str(one_test_unit.overall.reason)
