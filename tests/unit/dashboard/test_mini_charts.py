"""Mini-charts have a text alternative (issue #16): one sentence from the series' ends."""

from __future__ import annotations

import math

import pytest

from dashboard.components.sparkline import sparkline
from dashboard.summaries import series_alt_text

pytestmark = pytest.mark.unit

NNBSP = "\u202f"


def test_the_sentence_gives_the_first_and_last_values_with_their_periods() -> None:
    text = series_alt_text(
        "Conseillers numériques en poste", ["2019", "2022", "2024"], [12, 30, 15], "nombre"
    )
    assert text == (
        "Évolution de l'indicateur « Conseillers numériques en poste » : de 12 en 2019 à 15 en 2024"
    )
    quarters = series_alt_text("Taux", ["2025-T1", "2025-T3"], [10.0, 12.5], "%")
    assert quarters.endswith(
        f": de 10,0{NNBSP}% en 1er trimestre 2025 à 12,5{NNBSP}% en 3e trimestre 2025"
    )


def test_gaps_single_values_and_empty_series_still_say_something() -> None:
    assert series_alt_text("X", ["2023", "2024", "2025"], [math.nan, 4.0, math.nan], "nombre") == (
        "Évolution de l'indicateur « X » : 4 en 2024, seule valeur"
    )
    assert (
        series_alt_text("X", [], [], "nombre") == "Évolution de l'indicateur « X » : aucune valeur"
    )


def test_the_mini_chart_is_an_image_named_by_that_sentence() -> None:
    box = sparkline("Taux", ["2024", "2025"], [10.0, 12.0], "%", style={"height": "48px"})
    props = box.to_plotly_json()["props"]
    assert props["role"] == "img"
    assert props["aria-label"] == series_alt_text("Taux", ["2024", "2025"], [10.0, 12.0], "%")
    assert box.children.style == {"height": "48px"}
    assert box.children.figure["data"][0]["y"] == [10.0, 12.0]
