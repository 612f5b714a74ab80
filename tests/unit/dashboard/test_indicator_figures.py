"""Figure builders of the indicator page (ranking, histogram, coverage, national trend) and the
binning behind the histogram, without a browser."""

import json

import numpy as np
import pandas as pd
import pytest

from dashboard.figures.classes import SEQUENTIAL, quantile_classes
from dashboard.pages.indicateur.datasets import histogram_bins, nice_step
from dashboard.pages.indicateur.figures import (
    bar_labels,
    coverage_figure,
    histogram_figure,
    label_placements,
    national_trend_figure,
    period_ticks,
    ranking_figure,
    short_period,
)

pytestmark = pytest.mark.unit


def _ranking(rows: list[tuple[int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rang": [r[0] for r in rows],
            "code": [f"DEP:{r[0]:02d}" for r in rows],
            "code_officiel": [f"{r[0]:02d}" for r in rows],
            "nom": [r[1] for r in rows],
            "valeur": [r[2] for r in rows],
        }
    )


def test_ranking_puts_the_highest_on_top_and_marks_the_left_out_middle() -> None:
    table = _ranking([(1, "Ain", 30.0), (2, "Aisne", 20.0), (9, "Var", 5.0), (10, "Lot", 1.0)])
    figure = ranking_figure(table, total=10, unit="%")
    bar = figure["data"][0]
    assert bar["orientation"] == "h"
    assert bar["y"] == ["Ain", "Aisne", "… 6 autres …", "Var", "Lot"]
    assert bar["x"][2] is None and bar["customdata"][2] is None
    assert bar["customdata"][0] == "DEP:01"
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"
    assert "10e sur 10" in bar["hovertext"][-1]
    assert bar["text"][0] == "30,0\u202f%"
    json.dumps(figure)  # a plain, serialisable dict


def test_ranking_hover_gives_the_coverage_of_aggregated_values() -> None:
    table = _ranking([(1, "Corse", 30.0), (2, "Bretagne", 20.0)]).assign(
        territoires_renseignes=[300, 1], territoires_attendus=[360, 1]
    )
    hover = ranking_figure(table, 2, "%")["data"][0]["hovertext"]
    assert hover[0].endswith("1er sur 2<br>300 territoires renseignés sur 360")
    assert hover[1].endswith("2e sur 2")


def test_ranking_bars_take_their_map_class_colour() -> None:
    table = _ranking([(1, "Ain", 30.0), (2, "Aisne", 20.0), (3, "Var", 10.0)])
    classes = quantile_classes(table["valeur"], "up", "%", count=3)
    colours = ranking_figure(table, 3, "%", classes)["data"][0]["marker"]["color"]
    assert colours == [classes[2].colour, classes[1].colour, classes[0].colour]


def test_bar_labels_add_the_code_to_repeated_names() -> None:
    table = _ranking([(1, "Sainte-Marie", 3.0), (2, "Sainte-Marie", 2.0), (3, "Ajaccio", 1.0)])
    assert bar_labels(table) == ["Sainte-Marie (01)", "Sainte-Marie (02)", "Ajaccio"]


def test_nice_step_is_round_and_close_to_the_wanted_width() -> None:
    assert nice_step(3.2, 6) == 0.5
    assert nice_step(100, 10) == 10
    assert nice_step(0, 5) == 1.0


def test_histogram_bins_cover_every_value_once_with_round_edges() -> None:
    values = pd.Series([10.1, 10.7, 11.2, 11.7, 12.0, 12.6, 13.3, np.nan])
    bins = histogram_bins(values)
    assert bins["territoires"].sum() == 7
    assert bins["borne_basse"].iloc[0] <= 10.1 and bins["borne_haute"].iloc[-1] > 13.3
    widths = (bins["borne_haute"] - bins["borne_basse"]).round(9).unique()
    assert len(widths) == 1 and widths[0] in {0.25, 0.5, 1.0}


def test_histogram_bins_of_equal_values_and_of_nothing() -> None:
    same = histogram_bins(pd.Series([4.0, 4.0, 4.0]))
    assert same["territoires"].sum() == 3
    assert histogram_bins(pd.Series([], dtype=float)).empty


def _distribution() -> pd.DataFrame:
    bins = histogram_bins(pd.Series([1.0, 2.0, 2.5, 3.0, 7.0]))
    bins = bins.assign(nature="classe", libelle="", valeur=np.nan)
    references = pd.DataFrame(
        [
            {"nature": "médiane", "libelle": "Médiane", "valeur": 2.5},
            {"nature": "France", "libelle": "France entière", "valeur": 3.1},
        ]
    )
    return pd.concat([bins, references], ignore_index=True)


def test_histogram_draws_classes_as_bars_and_references_as_labelled_lines() -> None:
    figure = histogram_figure(_distribution(), "%", "départements")
    bars = figure["data"][0]
    assert sum(bars["y"]) == 5
    assert all(w > 0 for w in bars["width"])
    shapes = figure["layout"]["shapes"]
    assert [s["x0"] for s in shapes] == [2.5, 3.1]
    texts = [a["text"] for a in figure["layout"]["annotations"]]
    assert texts == ["Médiane : 2,5\u202f%", "France entière : 3,1\u202f%"]
    assert figure["layout"]["yaxis"]["dtick"] == 1  # whole territories
    json.dumps(figure)


def test_histogram_bars_use_the_house_blue_not_plotly_purple() -> None:
    bars = histogram_figure(_distribution(), "%", "départements")["data"][0]
    assert bars["marker"]["color"] in SEQUENTIAL


@pytest.mark.parametrize("france", [2.5, 2.51, 3.1, 1.0])
def test_histogram_labels_of_close_references_never_share_a_row_or_a_side(france: float) -> None:
    table = _distribution()
    table.loc[table["nature"] == "France", "valeur"] = france
    figure = histogram_figure(table, "%", "départements")
    median, national = figure["layout"]["annotations"]
    assert median["y"] != national["y"]  # two rows above the plot
    assert abs(median["y"] - national["y"]) >= 0.1
    # each label runs away from the other line: the smaller value's leftwards
    low, high = (median, national) if france >= 2.5 else (national, median)
    assert (low["xanchor"], high["xanchor"]) == ("right", "left")
    assert figure["layout"]["margin"]["t"] >= 75  # room for both rows


def test_label_placements_of_one_and_three_lines_stack_rows() -> None:
    assert label_placements([4.0]) == [(1.0, "center")]
    rows = [y for y, _ in label_placements([1.0, 1.0, 1.0])]
    assert len(set(rows)) == 3


def _coverage() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "periode": ["2024", "2025"],
            "renseignes": [80, 90],
            "secret": [5, 0],
            "sans_objet": [0, 0],
            "manquants": [15, 10],
            "attendus": [100, 100],
            "taux_couverture": [80.0, 90.0],
        }
    )


def test_coverage_stacks_reported_then_what_is_not_and_skips_empty_parts() -> None:
    figure = coverage_figure(_coverage(), "communes")
    assert figure["layout"]["barmode"] == "stack"
    assert [t["name"] for t in figure["data"]] == [
        "Renseignés",
        "Secret statistique",
        "Non renseignés",
    ]
    assert figure["data"][0]["y"] == [80, 90]
    assert figure["data"][0]["hovertext"][1] == "2025 — Renseignés : 90 communes sur 100"


def test_period_ticks_shorten_long_axes() -> None:
    assert short_period("2025-T3") == "T3 2025"
    assert short_period("2025-S1") == "S1 2025"
    assert short_period("2025-07") == "07/2025"
    assert short_period("2025") == "2025"
    assert period_ticks(["2025-T1", "2025-T2"]) == ["1er trimestre 2025", "2e trimestre 2025"]
    many = [f"{y}-T{q}" for y in (2023, 2024, 2025) for q in (1, 2, 3, 4)]
    assert period_ticks(many)[0] == "T1 2023"


def test_national_trend_draws_each_target_in_its_series_colour() -> None:
    table = pd.DataFrame(
        {
            "serie": ["France", "France", "Petits", "Petits", "Cible — petits", "Cible (tous)"],
            "code": ["FR", "FR", "TYPE:a", "TYPE:a", "a", "all"],
            "periode": ["2024", "2025", "2024", "2025", "2026", "2026"],
            "valeur": [10.0, 11.0, 12.0, 13.0, 9.0, 8.0],
            "statut": "ok",
            "nature": ["valeur"] * 4 + ["cible"] * 2,
        }
    )
    figure = national_trend_figure(table, "nombre", {"Cible — petits": "Petits"})
    traces = {t["name"]: t for t in figure["data"]}
    assert traces["Cible — petits"]["line"]["color"] == traces["Petits"]["line"]["color"]
    assert traces["Cible — petits"]["line"]["dash"] == "dash"
    assert traces["Cible (tous)"]["line"]["color"] != traces["Petits"]["line"]["color"]
    assert figure["layout"]["yaxis"]["tickformat"] == ",d"
