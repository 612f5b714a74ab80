"""The catalogue shipped with the application validates and has the promised demo content."""

from __future__ import annotations

from collections import Counter

import pytest

from indicators.catalogue import (
    DEFAULT_DIRECTORY,
    Aggregation,
    Catalogue,
    ChainLevel,
    Kind,
    Periodicity,
    load_catalogue,
    validate_catalogue,
)

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_shipped_catalogue_has_no_error() -> None:
    assert [str(error) for error in validate_catalogue()] == []


def test_files_live_next_to_the_package() -> None:
    names = {path.name for path in DEFAULT_DIRECTORY.glob("*.toml")}
    assert {"partners.toml", "themes.toml", "programmes.toml", "measures.toml"} <= names
    assert any(name.startswith("indicators-") for name in names)


def test_themes_are_the_five_workshops(catalogue: Catalogue) -> None:
    labels = [theme.label for theme in catalogue.themes.values()]
    assert labels == [
        "Vivre où l'on a choisi",
        "Des territoires en dialogue",
        "Imaginer et construire ensemble",
        "Réussir la transition écologique",
        "Accompagner la mutation numérique",
    ]


def test_measures_and_one_flagged_placebo(catalogue: Catalogue) -> None:
    real = [m for m in catalogue.measures.values() if not m.placebo]
    placebos = [m for m in catalogue.measures.values() if m.placebo]
    assert 6 <= len(real) <= 8
    assert [m.code for m in real] == [f"M{i}" for i in range(1, len(real) + 1)]
    assert len(placebos) == 1
    assert "placebo" in placebos[0].label.lower()
    assert "démonstration" in placebos[0].description
    assert catalogue.indicators_for_measure(placebos[0].code)


def test_programmes(catalogue: Catalogue) -> None:
    assert sorted(catalogue.programmes) == ["ACV", "FS", "PVD", "TI"]
    for programme in catalogue.programmes.values():
        assert programme.headline_indicators
        assert catalogue.indicators_for_programme(programme.code)


def test_partners_are_about_ten_and_all_produce(catalogue: Catalogue) -> None:
    assert 8 <= len(catalogue.partners) <= 15
    producing = {indicator.partner for indicator in catalogue.indicators.values()}
    assert producing == set(catalogue.partners)


def test_indicators_cover_every_chain_level_rule_and_kind(catalogue: Catalogue) -> None:
    indicators = list(catalogue.indicators.values())
    assert 35 <= len(indicators) <= 50
    assert {i.chain_level for i in indicators} == set(ChainLevel)
    assert {i.aggregation for i in indicators} == set(Aggregation)
    assert {i.periodicity for i in indicators} == set(Periodicity)
    assert Counter(i.kind for i in indicators)[Kind.DERIVED] >= 2
    assert any(i.last_mile for i in indicators)
    assert any(i.weight not in (None, "population") for i in indicators)


def test_every_measure_has_indicators_and_a_headline(catalogue: Catalogue) -> None:
    for measure in catalogue.measures.values():
        served = {i.code for i in catalogue.indicators_for_measure(measure.code)}
        assert measure.headline_indicator in served, measure.code


def test_every_theme_has_indicators(catalogue: Catalogue) -> None:
    assert {i.theme for i in catalogue.indicators.values()} == set(catalogue.themes)


def test_derived_indicators_evaluate(catalogue: Catalogue) -> None:
    for indicator in catalogue.indicators.values():
        if indicator.formula is not None:
            value = indicator.formula.evaluate(dict.fromkeys(indicator.formula.variables, 2.0))
            assert value == pytest.approx(1.0), indicator.code
