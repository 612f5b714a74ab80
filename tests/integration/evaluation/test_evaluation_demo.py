"""Proof on the demo: the evaluation finds the effects documented in indicators/demo/effects.toml
within its 95 % intervals, finds nothing for the placebo measure, and says honestly when a
headline indicator cannot move within the window."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.demo import DemoReport, EffectTable, load_effects
from indicators.evaluation import (
    ESTIMATE_COLUMNS,
    EVENT_STUDY_TABLE_COLUMNS,
    OVERALL,
    TERRITORY_TABLE_COLUMNS,
    WARNING_COLUMNS,
    MeasureEvaluation,
    evaluate_measure,
)
from indicators.evaluation.estimation import effect_weights
from indicators.evaluation.panel import first_treated_period
from indicators.evaluation.sources import display_names, set_members_with_dates, territory_frame
from indicators.evaluation.warnings import CADENCE_TOO_SLOW, MIN_UNITS
from indicators.periods import parse_period
from indicators.territories.levels import plurals

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# Headlines whose periods after the start are not published yet at the demo's reference date:
# the evaluation must say so rather than estimate (see the demo's effects.toml).
TOO_EARLY = {"M5", "M6"}


@pytest.fixture(scope="module")
def evaluations(
    evaluation_demo: tuple[Engine, DemoReport], evaluation_catalogue: Catalogue
) -> dict[str, MeasureEvaluation]:
    engine, _ = evaluation_demo
    with Session(engine) as session:
        return {
            code: evaluate_measure(session, evaluation_catalogue, code)
            for code in evaluation_catalogue.measures
        }


@pytest.fixture(scope="module")
def effects(evaluation_catalogue: Catalogue) -> EffectTable:
    return load_effects(evaluation_catalogue)


def documented_truth(
    engine: Engine, evaluation: MeasureEvaluation, effects: EffectTable
) -> pd.Series:
    """The documented effect under the estimator's own weights, by scope.

    A commune's effect is its type's; an EPCI's (indicator published from the EPCI) is the sum
    of the effects of its test communes already entered — the demo's documented rule."""
    item = evaluation.headline
    assert item.panel is not None
    measure, code = evaluation.measure.code, item.indicator.code
    weights = effect_weights(item.panel, evaluation.options)
    if item.level == "COM":
        types = item.panel.units.set_index("territory")["type"]
        sizes = [effects.size(measure, code, types[t]) for t in weights["territory"]]
    else:
        with Session(engine) as session:
            members = set_members_with_dates(session, evaluation.measure.test_set)
            communes = territory_frame(session, ["COM"]).set_index("territory")
        kind = item.indicator.periodicity.period_kind
        members = members.assign(
            epci=members["territory"].map(communes["epci"]),
            size=[
                effects.size(measure, code, communes.loc[t, "type"]) for t in members["territory"]
            ],
            first=[first_treated_period(start, kind) for start in members["start"]],
        )
        sizes = [
            members.loc[
                (members["epci"] == epci) & (members["first"] <= parse_period(period)), "size"
            ].sum()
            for epci, period in zip(weights["territory"], weights["period"], strict=True)
        ]
    return (weights["weight"] * sizes).groupby(weights["scope"]).sum()


def test_headline_effects_are_recovered_within_their_intervals(
    evaluation_demo: tuple[Engine, DemoReport],
    evaluation_catalogue: Catalogue,
    evaluations: dict[str, MeasureEvaluation],
    effects: EffectTable,
) -> None:
    engine, _ = evaluation_demo
    checked = []
    for code, measure in evaluation_catalogue.measures.items():
        if measure.placebo or code in TOO_EARLY:
            continue
        evaluation = evaluations[code]
        truth = documented_truth(engine, evaluation, effects)
        headline = evaluation.headline
        assert headline.estimates is not None
        for scope in headline.estimates.scopes():
            # the overall figure always; a type's when it has enough test territories to be
            # read without a "too few units" warning
            if scope.scope != OVERALL and (not scope.estimable or scope.n_test < MIN_UNITS):
                continue
            assert scope.ci_low is not None and scope.ci_high is not None, (code, scope)
            assert scope.ci_low <= truth[scope.scope] <= scope.ci_high, (
                f"{code} {headline.indicator.code} {scope.scope} : estimé {scope.estimate:.2f} "
                f"[{scope.ci_low:.2f} ; {scope.ci_high:.2f}], documenté {truth[scope.scope]:.2f}"
            )
            assert scope.ci_low * scope.ci_high > 0, (code, scope.scope)  # detected, not noise
            checked.append((code, scope.scope))
    assert {code for code, _ in checked} == {"M1", "M2", "M3", "M4", "M7", "M8"}
    assert len(checked) >= 10


def test_documented_effects_are_what_the_commune_figures_mean(
    evaluation_demo: tuple[Engine, DemoReport],
    evaluations: dict[str, MeasureEvaluation],
    effects: EffectTable,
) -> None:
    """For a commune indicator, the truth of a type is the effect written in effects.toml."""
    engine, _ = evaluation_demo
    evaluation = evaluations["M4"]
    truth = documented_truth(engine, evaluation, effects)
    assert truth["moins_20k"] == pytest.approx(effects.size("M4", "NUM_AUTONOMIE", "moins_20k"))


def test_the_placebo_measure_shows_no_effect(evaluations: dict[str, MeasureEvaluation]) -> None:
    placebo = evaluations["M9"]
    estimable = placebo.estimates.dropna(subset=["estimate"])
    headline = estimable[estimable["indicator"] == placebo.measure.headline_indicator]
    assert set(headline["scope"]) >= {OVERALL, "moins_20k"}
    for row in headline.itertuples():
        assert row.ci_low <= 0 <= row.ci_high, (row.indicator, row.scope, row.estimate)
        assert row.verdict == "not_significant"
    # Its other indicators: 95 % intervals may miss zero by chance, once in twenty. Seed 42
    # gives one such miss (REV_VACANCE_COMMERCIALE: 19 test communes against the 14 of the
    # scope that report the indicator, +0,9 point, already in the data generated without any
    # effect); more than one would mean the method invents effects.
    others = estimable[
        (estimable["indicator"] != placebo.measure.headline_indicator)
        & (estimable["scope"] == OVERALL)
    ]
    assert len(others) >= 3
    misses = others[(others["ci_low"] > 0) | (others["ci_high"] < 0)]
    assert len(misses) <= 1, misses[["indicator", "estimate", "ci_low", "ci_high"]]


def test_headlines_that_cannot_move_yet_are_flagged(
    evaluations: dict[str, MeasureEvaluation],
) -> None:
    for code in TOO_EARLY:
        evaluation = evaluations[code]
        headline = evaluation.measure.headline_indicator
        warnings = evaluation.warnings[evaluation.warnings["indicator"] == headline]
        assert CADENCE_TOO_SLOW in set(warnings["code"]), code
        rows = evaluation.estimates[evaluation.estimates["indicator"] == headline]
        assert set(rows["verdict"]) == {"not_estimable"}
        chain = evaluation.chain.frame().set_index("indicator")
        assert chain.loc[headline, "status"] == "not_estimable"
        assert CADENCE_TOO_SLOW in chain.loc[headline, "warnings"]


def test_what_the_page_and_the_report_get(
    evaluation_demo: tuple[Engine, DemoReport], evaluations: dict[str, MeasureEvaluation]
) -> None:
    _, report = evaluation_demo
    evaluation = evaluations["M2"]
    assert evaluation.data_version == report.data_version
    assert not evaluation.design.saved  # no design saved yet: proposed on the fly
    assert tuple(evaluation.estimates.columns) == ESTIMATE_COLUMNS
    assert tuple(evaluation.event_study.columns) == EVENT_STUDY_TABLE_COLUMNS
    assert tuple(evaluation.warnings.columns) == WARNING_COLUMNS
    assert tuple(evaluation.territories.columns) == TERRITORY_TABLE_COLUMNS
    headline = evaluation.estimates.set_index(["indicator", "scope"]).loc[
        ("REV_VACANCE_COMMERCIALE", OVERALL)
    ]
    assert headline["reading"].startswith("Dans l'ensemble des territoires test, ")
    assert "point" in headline["reading"] and "IC 95 % :" in headline["reading"]
    territories = evaluation.territories
    assert territories["name"].notna().all()
    assert {"test", "comparison"} == set(territories["role"])
    assert [step.label for step in evaluation.chain.steps] == [
        "moyens",
        "réalisations",
        "résultats",
        "impacts",
    ]
    assert "Callaway et Sant'Anna" in evaluation.method


def test_the_evaluation_is_reproducible(
    evaluation_demo: tuple[Engine, DemoReport],
    evaluation_catalogue: Catalogue,
    evaluations: dict[str, MeasureEvaluation],
) -> None:
    engine, _ = evaluation_demo
    with Session(engine) as session:
        again = evaluate_measure(session, evaluation_catalogue, "M8")
    first = evaluations["M8"]
    pd.testing.assert_frame_equal(first.estimates, again.estimates)
    pd.testing.assert_frame_equal(first.event_study, again.event_study)
    pd.testing.assert_frame_equal(first.territories, again.territories)


def test_sentences_name_territories_and_indicators(
    evaluation_demo: tuple[Engine, DemoReport],
    evaluations: dict[str, MeasureEvaluation],
    evaluation_catalogue: Catalogue,
) -> None:
    """Warnings and the method speak plain French: names, not codes (issue #16); the codes stay in
    the tables and exports."""
    engine, _ = evaluation_demo
    with Session(engine) as session:
        names = display_names(session, ["COM:2A004", "COM:97411", "COM:99999"])
    # Saint-Denis is also a commune of Seine-Saint-Denis: its code tells which one is meant
    assert names == {
        "COM:2A004": "Ajaccio",
        "COM:97411": "Saint-Denis (97411)",
        "COM:99999": "COM:99999",
    }
    typed_code = re.compile(r"\b(COM|ARM|EPCI|DEP|REG):\w")
    messages = [m for e in evaluations.values() for m in e.warnings["message"]]
    assert messages and not [m for m in messages if typed_code.search(m)]
    assert any(m.startswith("Valeurs aberrantes possibles") for m in messages)
    for evaluation in evaluations.values():
        matching = evaluation.design.method.get("matching_indicator", {})
        for level, code in matching.items():
            if code:
                label = evaluation_catalogue.indicators[code].label
                assert f"« {label} » pour les {plurals((level,))[level]}" in evaluation.method
                assert code not in evaluation.method
