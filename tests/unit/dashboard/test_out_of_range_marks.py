"""A 212 % rate on every chart (issue #16): marked, named in a note, never in the colour scale."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.components.chart import legend
from dashboard.datasets import MAP_COLUMNS
from dashboard.figures.choropleth import choropleth_figure
from dashboard.figures.classes import OUT_OF_RANGE, OUT_OF_RANGE_COLOUR, quantile_classes
from dashboard.figures.ranges import (
    OUT_OF_RANGE_SYMBOL,
    flagged_rows,
    out_of_range_note,
    range_text,
    series_note,
)
from dashboard.figures.trend import trend_figure
from dashboard.pages.indicateur.datasets import ranking_rows
from dashboard.pages.indicateur.figures import ranking_figure
from dashboard.summaries import map_summary
from indicators.catalogue import ValidRange

pytestmark = pytest.mark.unit

RATE = ValidRange(0.0, 100.0)
NNBSP = "\u202f"


def _map_table() -> pd.DataFrame:
    rows = [
        ("DEP:01", "01", "Ain", 40.0, "ok"),
        ("DEP:02", "02", "Aisne", 212.0, "ok"),
        ("DEP:03", "03", "Allier", 55.0, "ok"),
        ("DEP:04", "04", "Alpes-de-Haute-Provence", 60.0, "ok"),
        ("DEP:05", "05", "Hautes-Alpes", float("nan"), "missing"),
    ]
    return pd.DataFrame(
        {
            "code": [r[0] for r in rows],
            "code_officiel": [r[1] for r in rows],
            "nom": [r[2] for r in rows],
            "valeur": [r[3] for r in rows],
            "statut": [r[4] for r in rows],
            "statut_libelle": ["renseigné"] * 4 + ["manquant"],
            "territoires_renseignes": 1,
            "territoires_attendus": 1,
            "origine": "—",
            "zone": "metropole",
        }
    )[MAP_COLUMNS]


def test_the_map_draws_212_percent_apart_with_a_hover_that_says_why() -> None:
    table = _map_table()
    classes = quantile_classes(table.loc[table["nom"] != "Aisne", "valeur"].dropna(), "up", "%")
    figure = choropleth_figure(table, classes, "/geo/dep.json", "%", valid_range=RATE)
    by_name = {trace["name"]: trace for trace in figure["data"]}
    assert "02" not in by_name["Valeurs"]["locations"]
    flagged = by_name[OUT_OF_RANGE]
    assert flagged["locations"] == ["02"]
    assert flagged["colorscale"][0][1] == OUT_OF_RANGE_COLOUR
    assert f"Valeur hors de l'intervalle attendu (0–100) : 212,0{NNBSP}%" in flagged["text"][0]
    # the colour scale is that of the three real values
    assert classes[-1].upper == 60.0


def test_without_a_range_the_map_is_unchanged() -> None:
    table = _map_table()
    classes = quantile_classes(table["valeur"].dropna(), "up", "%")
    figure = choropleth_figure(table, classes, "/geo/dep.json", "%")
    assert OUT_OF_RANGE not in {trace["name"] for trace in figure["data"]}


def test_the_ranking_marks_the_212_percent_bar_and_its_label() -> None:
    ranking = ranking_rows(_map_table())
    figure = ranking_figure(ranking, 4, "%", valid_range=RATE)
    bar = figure["data"][0]
    top = bar["y"].index("Aisne")
    assert bar["marker"]["color"][top] == OUT_OF_RANGE_COLOUR
    assert bar["marker"]["line"]["width"][top] > bar["marker"]["line"]["width"][top + 1]
    assert bar["text"][top] == f"⚠ 212,0{NNBSP}% (hors intervalle)"
    assert "hors de l'intervalle attendu (0–100)" in bar["hovertext"][top]
    assert "hors" not in bar["text"][top + 1]


def test_the_trend_gives_the_212_percent_point_its_own_symbol() -> None:
    table = pd.DataFrame(
        {
            "serie": "Ain",
            "code": "DEP:01",
            "periode": ["2023", "2024", "2025"],
            "valeur": [40.0, 212.0, 45.0],
            "statut": "ok",
            "nature": "valeur",
        }
    )
    trace = trend_figure(table, "%", valid_range=RATE)["data"][0]
    assert trace["marker"]["symbol"] == ["circle", OUT_OF_RANGE_SYMBOL, "circle"]
    assert "hors de l'intervalle attendu" in trace["text"][1]
    assert series_note(table, RATE, "%").startswith(
        f"Attention : 1 valeur est hors de l'intervalle attendu pour cet indicateur (0–100) : "
        f"Ain, 2024 (212,0{NNBSP}%)."
    )


def test_the_note_names_the_territories_and_says_what_they_are_left_out_of() -> None:
    note = out_of_range_note(_map_table(), RATE, "%")
    assert note == (
        "Attention : 1 valeur est hors de l'intervalle attendu pour cet indicateur (0–100) : "
        f"Aisne (212,0{NNBSP}%). Elle est signalée et exclue de l'échelle de couleurs ; "
        "à vérifier auprès du producteur."
    )
    assert out_of_range_note(_map_table(), ValidRange(0.0, None), "%") == ""


def test_the_legend_explains_the_mark_and_ranges_read_in_french() -> None:
    items = legend([], {"ok", OUT_OF_RANGE})
    assert "Hors de l'intervalle attendu" in str(items[0].children[1])
    assert [range_text(r) for r in (RATE, ValidRange(0.0, None), ValidRange(None, 15.0))] == [
        "0–100",
        "≥ 0",
        "≤ 15",
    ]


def test_the_map_sentence_keeps_212_percent_out_of_its_range_and_median() -> None:
    table = _map_table()
    flags = flagged_rows(table, RATE)
    sentence = map_summary(table, "Taux", "%", "2024", "DEP", left_out=flags)
    assert sentence == (
        f"Taux, 2024 : de 40,0{NNBSP}% (Ain) à 60,0{NNBSP}% (Alpes-de-Haute-Provence), "
        f"médiane 55,0{NNBSP}% ; 4 départements renseignés sur 5."
    )
    only_flagged = table.assign(statut=["missing", "ok", "missing", "missing", "missing"])
    assert map_summary(
        only_flagged, "Taux", "%", "2024", "DEP", left_out=flagged_rows(only_flagged, RATE)
    ) == ("Taux, 2024 : 1 département renseigné sur 5.")
