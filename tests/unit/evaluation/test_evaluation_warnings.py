"""Honest warnings: stable codes, French messages, triggered exactly when they should be."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from evaluation_synthetic import constant, synthetic_panel

from indicators.catalogue import Catalogue, Periodicity, load_catalogue
from indicators.evaluation.designs import Design
from indicators.evaluation.estimation import PanelEstimates, ScopeEstimate, estimate_panel
from indicators.evaluation.screening import drop_out_of_range, outliers
from indicators.evaluation.warnings import (
    CADENCE_TOO_SLOW,
    COMPARISON_SHORTFALL,
    DIVERGING_PRETRENDS,
    FEW_POST_PERIODS,
    NOT_ESTIMABLE,
    OUT_OF_RANGE_VALUES,
    POOR_BALANCE,
    POSSIBLE_OUTLIERS,
    SECRET_VALUES,
    SMALL_NUMBERS,
    TOO_FEW_COMPARISON_UNITS,
    TOO_FEW_TEST_UNITS,
    UNBALANCED_PANEL,
    ZERO_WIDTH_INTERVAL,
    cadence,
    cadence_warnings,
    design_warnings,
    estimate_warnings,
    panel_warnings,
)
from indicators.periods import PeriodKind

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def codes(warnings) -> set[str]:  # type: ignore[no-untyped-def]
    return {warning.code for warning in warnings}


def test_an_annual_indicator_thirty_months_late_cannot_show_change(catalogue: Catalogue) -> None:
    indicator = catalogue.indicators["MOB_PART_VOITURE"]  # annual, 30 months
    found = cadence(PeriodKind.YEAR, 30, date(2025, 7, 1))
    assert str(found.first_period) == "2026"  # the first year fully after the start
    assert found.first_publication == date(2029, 7, 1)
    assert found.window_end == date(2027, 7, 1)
    assert found.periods_in_window == 0
    (warning,) = cadence_warnings(indicator, date(2025, 7, 1))
    assert warning.code == CADENCE_TOO_SLOW
    assert warning.message == (
        "Indicateur de périodicité annuelle publié environ 30 mois après la fin de chaque "
        "période : la première valeur qui suit le lancement (1er juillet 2025), celle de "
        "2026, ne paraîtra qu'en juillet 2029, après la fin de la fenêtre d'évaluation de "
        "deux ans (juillet 2027). Aucun effet ne peut être observé dans la fenêtre."
    )


def test_cadences_that_can_or_can_barely_show_change(catalogue: Catalogue) -> None:
    quarterly = catalogue.indicators["EMP_DEFM_A"]  # quarterly, 2 months
    assert cadence(PeriodKind.QUARTER, 2, date(2025, 4, 1)).periods_in_window == 7
    assert cadence_warnings(quarterly, date(2025, 4, 1)) == []
    annual = replace(quarterly, periodicity=Periodicity.ANNUAL, publication_lag_months=6)
    assert cadence(PeriodKind.YEAR, 6, date(2025, 1, 1)).periods_in_window == 1
    assert codes(cadence_warnings(annual, date(2025, 1, 1))) == {FEW_POST_PERIODS}
    # periods as people say them, not as files write them ("2025-T2")
    (slow,) = cadence_warnings(replace(quarterly, publication_lag_months=24), date(2025, 4, 1))
    assert "celle du 2e trimestre 2025, ne paraîtra qu'en juillet 2027" in slow.message
    assert "-T" not in slow.message


def test_estimate_warnings(catalogue: Catalogue) -> None:
    indicator = catalogue.indicators["NUM_AUTONOMIE"]
    small = synthetic_panel(0, cohorts=(8, 9), per_cohort=3, comparisons=8)
    found = estimate_warnings(indicator, estimate_panel(small.panel))
    assert {TOO_FEW_TEST_UNITS, TOO_FEW_COMPARISON_UNITS} <= codes(found)
    assert {w.scope for w in found} == {"ensemble", "moins_20k"}
    diverging = synthetic_panel(1, pretrend=0.2, effect=constant(0.0))
    found = estimate_warnings(indicator, estimate_panel(diverging.panel))
    assert DIVERGING_PRETRENDS in codes(found)
    assert "(test joint, p < 0,001)" in next(w.message for w in found)
    fine = estimate_warnings(indicator, estimate_panel(synthetic_panel(1).panel))
    assert fine == []


def test_not_estimable_is_a_warning_with_its_reason(catalogue: Catalogue) -> None:
    panel = synthetic_panel(2, comparisons=0).panel
    found = estimate_warnings(catalogue.indicators["NUM_AUTONOMIE"], estimate_panel(panel))
    assert codes(found) == {NOT_ESTIMABLE}
    assert found[0].message == "Effet non estimable : aucun territoire témoin de ce type."


def test_panel_warnings_missing_secret_and_small_counts(catalogue: Catalogue) -> None:
    count = catalogue.indicators["ECO_RENOV_MPR"]  # a count
    panel = synthetic_panel(3, missing=0.2).panel
    assert codes(panel_warnings(count, panel)) == {UNBALANCED_PANEL}
    panel.statuses[0, :3] = "secret"
    panel.values[panel.is_test] = np.clip(panel.values[panel.is_test], 0, None) / 100
    found = panel_warnings(count, panel)
    assert codes(found) == {UNBALANCED_PANEL, SECRET_VALUES, SMALL_NUMBERS}
    assert codes(panel_warnings(catalogue.indicators["NUM_AUTONOMIE"], panel)) == {
        UNBALANCED_PANEL,
        SECRET_VALUES,
    }


def test_design_warnings_on_balance_and_shortfall() -> None:
    design = Design(
        measure="M1",
        indicators=("X",),
        units=(),
        data_version=1,
        method={"neighbours": 3},
        diagnostics={
            "balance": {
                "COM": [
                    {"type": "moins_20k", "feature": "pre_level", "smd_after": 0.61},
                    {"type": "moins_20k", "feature": "pre_trend", "smd_after": -0.1},
                ]
            },
            "shortfall": {"COM": {"plus_100k": 4}},
        },
    )
    found = design_warnings(design)
    assert [w.code for w in found] == [POOR_BALANCE, COMPARISON_SHORTFALL]
    assert found[0].message.startswith(
        "Appariement imparfait (< 20 000 hab., communes) : territoires test et "
        "témoins diffèrent encore sur « niveau avant la mesure » (écart standardisé +0,61"
    )
    assert "il en manque 4 pour atteindre 3 par territoire test" in found[1].message
    assert "(> 100 000 hab., communes)" in found[1].message


def test_impossible_values_are_dropped_and_slips_pointed_at(catalogue: Catalogue) -> None:
    indicator = catalogue.indicators["NUM_AUTONOMIE"]  # a percentage, valid from 0 to 100
    panel = synthetic_panel(4, effect=constant(2.0)).panel
    comparison = int(np.flatnonzero(~panel.is_test)[0])
    test = int(np.flatnonzero(panel.is_test)[0])
    panel.values[comparison, 3] = 521.0  # x 10: out of range
    panel.values[comparison, 5] *= 0.2  # a fifth: in range, but a slip
    panel.values[test, -1] *= 0.2  # a test unit after entry: maybe the effect, not flagged
    screened = drop_out_of_range(panel, indicator.valid_range)
    assert np.isnan(screened.values[comparison, 3])
    assert screened.statuses[comparison, 3] == "out_of_range"
    suspects = outliers(screened)
    assert suspects[["territory", "period"]].values.tolist() == [
        [panel.units["territory"][comparison], panel.periods[5]]
    ]
    slip = panel.units["territory"][comparison]
    names = {slip: "Ajaccio"}
    found = {w.code: w.message for w in panel_warnings(indicator, screened, names)}
    assert found[OUT_OF_RANGE_VALUES].startswith(
        "1 valeur hors de l'intervalle valide de l'indicateur (de 0 à 100) écartée"
    )
    # the territory by its name and the period as people say it, no code (issue #16)
    assert panel.periods[5] == "2023-T2"
    assert found[POSSIBLE_OUTLIERS].startswith(
        "Valeurs aberrantes possibles, gardées dans l'estimation : Ajaccio en 2e trimestre 2023 ("
    )
    assert slip not in found[POSSIBLE_OUTLIERS]
    assert outliers(synthetic_panel(4).panel).empty  # noise and effects are not slips


def test_a_zero_width_interval_is_flagged(catalogue: Catalogue) -> None:
    point = ScopeEstimate("20k_100k", 1.0, 0.0, 1.0, 1.0, 0.0, n_test=12, n_comparison=30)
    point = replace(point, pretrend_p=0.5)
    overall = replace(point, scope="ensemble", ci_low=0.5, ci_high=1.5)
    found = estimate_warnings(
        catalogue.indicators["NUM_AUTONOMIE"], PanelEstimates(overall, {"20k_100k": point})
    )
    assert [(w.code, w.scope) for w in found] == [(ZERO_WIDTH_INTERVAL, "20k_100k")]
    assert "largeur nulle (20 000 – 100 000 hab.) : trop peu de données" in found[0].message
