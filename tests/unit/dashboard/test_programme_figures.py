"""Figures of the programme pages, from small hand-made tables, without a browser."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

from dashboard.figures.classes import class_index
from dashboard.pages.programmes.figures import (
    JOINED_COLOUR,
    MEMBER_COLOUR,
    NONE_COLOUR,
    STATUS_COLOURS,
    count_classes,
    members_history_figure,
    members_map_figure,
    membership_classes,
    progress_figure,
    short_period,
)

pytestmark = pytest.mark.unit

HISTORY = pd.DataFrame(
    {
        "periode": ["2020", "2021", "2022"],
        "periode_libelle": ["2020", "2021", "2022"],
        "membres": [2, 2, 3],
        "deja_membres": [0, 2, 2],
        "entrees": [2, 0, 1],
        "sorties": [0, 0, 1],
    }
)


def test_members_history_stacks_members_already_there_and_newcomers() -> None:
    figure = members_history_figure(HISTORY, "communes")
    already, joined = figure["data"]
    assert figure["layout"]["barmode"] == "stack"
    assert already["y"] == [0, 2, 2] and joined["y"] == [2, 0, 1]
    # the bar's height is the number of members at the end of the period
    assert [a + j for a, j in zip(already["y"], joined["y"], strict=True)] == [2, 2, 3]
    assert already["marker"]["color"] == MEMBER_COLOUR
    assert joined["marker"]["color"] == JOINED_COLOUR
    assert "3 communes en fin de période, dont 1 entrée, 1 sortie" in joined["text"][2]
    assert figure["layout"]["yaxis"]["title"]["text"] == "Nombre de communes"
    json.dumps(figure)  # a plain dict, ready for the wire


def test_short_period_labels_fit_side_by_side() -> None:
    assert short_period("2025") == "2025"
    assert short_period("2025-S1") == "S1<br>2025"
    assert short_period("2025-T3") == "T3<br>2025"


def test_count_classes_start_with_none_and_split_whole_numbers() -> None:
    counts = pd.Series([0, 0, 1, 1, 2, 3, 5, 8, 13, 0])
    classes = count_classes(counts, "communes")
    assert classes[0].label == "Aucun membre" and classes[0].colour == NONE_COLOUR
    ranges = [(c.lower, c.upper) for c in classes[1:]]
    assert ranges[0][0] == 1 and ranges[-1][1] == 13
    for (_, high), (low, _) in itertools.pairwise(ranges):
        assert low == high + 1  # contiguous, never overlapping
    assert all(c.label.endswith("communes") for c in classes[1:])
    index = class_index(counts.astype(float), classes)
    assert index.tolist()[:3] == [0, 0, 1] and index.iloc[8] == len(classes) - 1


def test_count_classes_with_no_member_or_one_value() -> None:
    assert [c.label for c in count_classes(pd.Series([0, 0]), "communes")] == ["Aucun membre"]
    single = count_classes(pd.Series([0, 4, 4]), "communes")
    assert [(c.lower, c.upper, c.label) for c in single[1:]] == [(4.0, 4.0, "4 communes")]


def _communes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["COM:2A004", "COM:2A006"],
            "code_officiel": ["2A004", "2A006"],
            "nom": ["Ajaccio", "Alata"],
            "zone": ["metropole", "metropole"],
            "valeur": [1.0, 0.0],
        }
    )


def test_members_map_uses_the_geometry_url_and_its_own_hover_texts() -> None:
    classes = membership_classes("Membre")
    figure = members_map_figure(
        _communes(), classes, "/geo/communes-2A.geojson", ["Ajaccio : membre", "Alata : non"]
    )
    (trace,) = figure["data"]
    assert trace["geojson"] == "/geo/communes-2A.geojson"
    assert trace["locations"] == ["2A004", "2A006"]
    assert trace["customdata"] == ["COM:2A004", "COM:2A006"]
    assert trace["text"] == ["Ajaccio : membre", "Alata : non"]
    assert trace["z"] == [1.5, 0.5]  # member class, non-member class
    assert classes[1].colour == MEMBER_COLOUR


def _progress() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicateur": ["A", "B", "C"],
            "libelle": ["Taux A", "Taux B", "Nombre C"],
            "portee": ["ensemble des membres"] * 3,
            "periode": ["2025", "2025-S2", "2025"],
            "progression": [120.0, 35.0, -0.2],
            "progression_attendue": [50.0, 60.0, np.nan],
            "statut": ["achieved", "late", None],
        }
    )


def test_progress_figure_colours_bars_by_status_and_marks_elapsed_time() -> None:
    figure = progress_figure(_progress())
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    assert {t["name"]: t["marker"]["color"] for t in bars} == {
        "Cible atteinte": STATUS_COLOURS["achieved"],
        "En retard": STATUS_COLOURS["late"],
        "Sans échéance": STATUS_COLOURS[""],
    }
    achieved = next(t for t in bars if t["name"] == "Cible atteinte")
    assert achieved["text"] == ["120\u202f%"] and achieved["customdata"] == ["A"]
    undated = next(t for t in bars if t["name"] == "Sans échéance")
    assert undated["text"] == ["0\u202f%"]  # never "-0 %"
    ticks = next(t for t in figure["data"] if t.get("mode") == "markers")
    assert ticks["x"] == [50.0, 60.0]  # no tick where no deadline applies
    assert figure["layout"]["shapes"][0]["x0"] == 100
    # the first row of the table is drawn at the top
    assert figure["layout"]["yaxis"]["categoryarray"][-1].startswith("Taux A")
    assert figure["layout"]["height"] == 90 + 56 * 3


def test_progress_figure_clips_runaway_bars_but_keeps_their_text() -> None:
    table = _progress().assign(progression=[900.0, -400.0, 10.0])
    bars = [t for t in progress_figure(table)["data"] if t["type"] == "bar"]
    values = {t["customdata"][0]: (t["x"][0], t["text"][0]) for t in bars}
    assert values["A"] == (150.0, "900\u202f%")
    assert values["B"] == (-50.0, "-400\u202f%")
