"""Plain-French readings of estimates: exact sentences, French number format."""

from __future__ import annotations

import pytest

from indicators.catalogue import Catalogue, load_catalogue
from indicators.evaluation.estimation import ScopeEstimate
from indicators.evaluation.reading import (
    effect_sentence,
    format_reading_number,
    reading,
    unit_word,
)
from indicators.evaluation.verdict import Verdict, verdict

pytestmark = pytest.mark.unit

NNBSP = "\u202f"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def estimate(scope: str, value: float, low: float, high: float) -> ScopeEstimate:
    return ScopeEstimate(scope, value, 1.0, low, high, 0.01)


@pytest.mark.parametrize(
    ("value", "decimals", "signed", "text"),
    [
        (3.2, 1, True, "+3,2"),
        (-1.05, 1, True, "\u22121,1"),  # rounding away, the minus sign U+2212
        (-0.04, 1, True, "0,0"),  # no sign on a zero
        (1234.5, 0, False, f"1{NNBSP}234"),  # banker's rounding of Python's format
        (-12345.678, 2, True, f"\u221212{NNBSP}345,68"),
    ],
)
def test_french_numbers(value: float, decimals: int, signed: bool, text: str) -> None:
    assert format_reading_number(value, decimals, signed=signed) == text


def test_the_issue_example_exactly(catalogue: Catalogue) -> None:
    indicator = catalogue.indicators["NUM_AUTONOMIE"]  # a percentage, up is desired
    assert effect_sentence(estimate("moins_20k", 3.2, 1.1, 5.3), indicator) == (
        "Dans les territoires test de moins de 20 000 habitants, +3,2 points de plus que dans "
        "les territoires témoins (IC 95 % : +1,1 à +5,3)."
    )
    assert reading(estimate("moins_20k", 3.2, 1.1, 5.3), indicator) == (
        "Dans les territoires test de moins de 20 000 habitants, +3,2 points de plus que dans "
        "les territoires témoins (IC 95 % : +1,1 à +5,3). L'écart va dans le sens souhaité "
        "(hausse) et l'intervalle de confiance exclut zéro : l'écart est statistiquement "
        "significatif au seuil de 5 %."
    )


def test_a_favourable_fall_in_minutes(catalogue: Catalogue) -> None:
    indicator = catalogue.indicators["ACC_FS_TEMPS_ACCES"]  # minutes, down is desired
    assert reading(estimate("20k_100k", -4.12, -6.0, -2.2), indicator) == (
        "Dans les territoires test de 20 000 à 100 000 habitants, 4,1 minutes de moins que "
        "dans les territoires témoins (IC 95 % : \u22126,0 à \u22122,2). L'écart va dans le sens "
        "souhaité (baisse) et l'intervalle de confiance exclut zéro : l'écart est "
        "statistiquement significatif au seuil de 5 %."
    )


def test_not_significant_and_opposite_directions(catalogue: Catalogue) -> None:
    indicator = catalogue.indicators["EMP_DEFM_A"]  # a count, down is desired
    assert reading(estimate("ensemble", 12.0, -3.5, 27.5), indicator) == (
        "Dans l'ensemble des territoires test, +12,0 unités de plus que dans les territoires "
        "témoins (IC 95 % : \u22123,5 à +27,5). L'écart va dans le sens contraire de celui "
        "souhaité (baisse) ; l'intervalle de confiance contient zéro : l'écart n'est pas "
        "statistiquement significatif au seuil de 5 %."
    )
    assert verdict(estimate("ensemble", 12.0, -3.5, 27.5), indicator.direction) is (
        Verdict.NOT_SIGNIFICANT
    )
    assert verdict(estimate("ensemble", 12.0, 3.5, 27.5), indicator.direction) is (
        Verdict.UNFAVOURABLE
    )


def test_large_amounts_and_neutral_indicators(catalogue: Catalogue) -> None:
    amount = catalogue.indicators["ECO_MPR_MONTANT"]  # euros
    assert effect_sentence(estimate("plus_100k", 1234.5, 210.0, 2500.0), amount) == (
        f"Dans les territoires test de plus de 100 000 habitants, +1{NNBSP}234 € de plus que "
        f"dans les territoires témoins (IC 95 % : +210 à +2{NNBSP}500)."
    )
    neutral = catalogue.indicators["SAN_PATIENTS"]
    assert reading(estimate("ensemble", 0.004, -0.5, 0.6), neutral) == (
        "Dans l'ensemble des territoires test, aucun écart (0,00 unité) avec les territoires "
        "témoins (IC 95 % : \u22120,50 à +0,60). Aucun sens d'évolution n'est souhaité pour "
        "cet indicateur ; l'intervalle de confiance contient zéro : l'écart n'est pas "
        "statistiquement significatif au seuil de 5 %."
    )


def test_singular_below_two_and_not_estimable(catalogue: Catalogue) -> None:
    assert unit_word("%", 1.5) == "point"
    assert unit_word("%", -2.0) == "points"
    assert unit_word("€", 5.0) == "€"
    missing = ScopeEstimate("plus_100k", reason="aucun territoire témoin de ce type")
    assert reading(missing, catalogue.indicators["NUM_AUTONOMIE"]) == (
        "Dans les territoires test de plus de 100 000 habitants, l'effet n'est pas estimable : "
        "aucun territoire témoin de ce type."
    )
    assert verdict(missing, catalogue.indicators["NUM_AUTONOMIE"].direction) is (
        Verdict.NOT_ESTIMABLE
    )


def test_a_zero_width_interval_is_not_significant(catalogue: Catalogue) -> None:
    """``+1,00 [1,00 ; 1,00]``: a standard error of zero measures no uncertainty (issue #16)."""
    indicator = catalogue.indicators["NUM_AUTONOMIE"]
    point = ScopeEstimate("20k_100k", 1.0, 0.0, 1.0, 1.0, 0.0)
    assert verdict(point, indicator.direction) is Verdict.NOT_SIGNIFICANT
    text = reading(point, indicator)
    assert "Intervalle de largeur nulle : trop peu de données" in text
    assert "exclut zéro" not in text and "est statistiquement significatif" not in text
    # a narrow interval that has a width still counts
    narrow = ScopeEstimate("20k_100k", 1.0, 0.001, 0.999, 1.001, 0.0)
    assert verdict(narrow, indicator.direction) is Verdict.FAVOURABLE
