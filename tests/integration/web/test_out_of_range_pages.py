"""A 212 % rate in the store (issue #16; the ``period_212`` fixture of tests/conftest.py loads
it as it really arises, from two counts that pass every check on their own): every chart marks
it, names it in its note and keeps it out of the colour scale."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import pytest

from dashboard.figures.classes import OUT_OF_RANGE, OUT_OF_RANGE_COLOUR
from dashboard.figures.ranges import OUT_OF_RANGE_SYMBOL

pytestmark = pytest.mark.integration

RATE = "NUM_TAUX_FTTH"  # the rate of tests/conftest.py's ``period_212``
COUNT = "ACC_FS_DEMANDES"  # an uploaded count: France is the sum of what reported
NNBSP = "\u202f"
FLAGGED = f"Valeur hors de l'intervalle attendu (0–100) : 212,0{NNBSP}%"


CHART_PARTS = [("graph", "figure"), ("summary", "children"), ("csv", "href"), ("xlsx", "href")]


def _outputs(*charts: str) -> list[tuple[str, str]]:
    return [(f"{chart}-{part}", prop) for chart in charts for part, prop in CHART_PARTS]


def _map_outputs(chart: str) -> list[tuple[str, str]]:
    """A map's outputs in its callback's order: legend and title beside the chart's parts."""
    parts = _outputs(chart)
    return [*parts[:2], (f"{chart}-legend", "children"), *parts[2:], (f"{chart}-title", "children")]


def _indicator_place(callbacks: Any, period: str, level: str) -> dict[str, Any]:
    charts = ("indicateur-classement", "indicateur-distribution")
    return callbacks.call(
        [*_map_outputs("indicateur-carte"), *_outputs(*charts)],
        [
            ("indicateur-code", "data", RATE),
            ("indicateur-periode", "value", period),
            ("indicateur-niveau", "value", level),
            ("indicateur-dans", "value", ""),
            ("indicateur-surligne", "data", None),
        ],
    )


def _trace(figure: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in figure["data"] if t.get("name") == name)


def test_the_indicator_page_marks_212_percent_on_map_ranking_and_notes(
    callbacks: Any, period_212: str
) -> None:
    result = _indicator_place(callbacks, period_212, "DEP")
    figure = result["indicateur-carte-graph"]["figure"]
    flagged = _trace(figure, OUT_OF_RANGE)
    assert "01" in flagged["locations"]
    assert any(FLAGGED in text for text in flagged["text"])
    assert all("01" not in t["locations"] for t in figure["data"] if t["name"] == "Valeurs")
    # the colour scale is made of real values: no class reaches 212 %
    legend = json.dumps(result["indicateur-carte-legend"]["children"], ensure_ascii=False)
    assert "212" not in legend and "Hors de l'intervalle attendu" in legend
    # the map's sentence gives the range and median of the real values only
    assert "212" not in result["indicateur-carte-summary"]["children"].split("Attention")[0]
    for chart in ("carte", "classement"):
        summary = result[f"indicateur-{chart}-summary"]["children"]
        assert f"Ain (212,0{NNBSP}%)" in summary and "exclue" in summary
    bar = result["indicateur-classement-graph"]["figure"]["data"][0]
    ain = bar["y"].index("Ain")
    assert bar["marker"]["color"][ain] == OUT_OF_RANGE_COLOUR
    assert bar["text"][ain] == f"⚠ 212,0{NNBSP}% (hors intervalle)"
    distribution = result["indicateur-distribution-summary"]["children"]
    assert "exclue de l'histogramme" in distribution
    # the "France entière" line of a rate says which territories its ratio sums
    assert "Valeur France : rapport des sommes des " in distribution
    histogram = result["indicateur-distribution-graph"]["figure"]["data"][0]
    assert max(x + w / 2 for x, w in zip(histogram["x"], histogram["width"], strict=True)) <= 100


def test_the_map_page_and_the_territory_trend_mark_it_too(callbacks: Any, period_212: str) -> None:
    result = callbacks.call(
        _map_outputs("carte"),
        [
            ("carte-indicateur", "value", RATE),
            ("carte-periode", "value", period_212),
            ("carte-niveau", "value", "DEP"),
            ("carte-dans", "value", None),
        ],
    )
    assert "01" in _trace(result["carte-graph"]["figure"], OUT_OF_RANGE)["locations"]
    assert f"Ain (212,0{NNBSP}%)" in result["carte-summary"]["children"]
    trend = callbacks.call(
        [*_outputs("territoire-trend"), ("territoire-trend-title", "children")],
        [("territoire-indicateur", "value", RATE), ("territoire-code", "data", "DEP:01")],
    )
    line = _trace(trend["territoire-trend-graph"]["figure"], "Ain")
    assert line["marker"]["symbol"][line["x"].index(period_212)] == OUT_OF_RANGE_SYMBOL
    assert "hors de l'intervalle attendu" in trend["territoire-trend-summary"]["children"]


def test_a_france_total_says_how_many_territories_it_sums(callbacks: Any, client: Any) -> None:
    result = callbacks.call(
        _outputs("indicateur-evolution"),
        [("indicateur-code", "data", COUNT)],
    )
    summary = result["indicateur-evolution-summary"]["children"]
    assert "Total France : somme des " in summary
    assert " communes sur " in summary and "qui ont transmis une valeur" in summary
    france = _trace(result["indicateur-evolution-graph"]["figure"], "France")
    assert all("Total France : somme des" in text for text in france["text"])
    # the data twin carries what the total rests on
    response = client.get(f"/export/indicateur-evolution.csv?indicateur={COUNT}")
    frame = pd.read_csv(io.BytesIO(response.data), sep=";", encoding="utf-8-sig")
    rows = frame[frame["code"] == "FR"]
    assert (rows["territoires_renseignes"] < rows["territoires_attendus"]).all()
