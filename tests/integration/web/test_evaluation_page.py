"""The evaluation page through its callback and its data twins (demo data of the test session:
Corse and Martinique)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from indicators.evaluation import ESTIMATE_COLUMNS

pytestmark = pytest.mark.integration

OUTPUTS = [
    ("evaluation-chain", "children"),
    ("evaluation-estimates", "children"),
    ("evaluation-estimates-csv", "href"),
    ("evaluation-estimates-xlsx", "href"),
    ("evaluation-etude-graph", "figure"),
    ("evaluation-etude-summary", "children"),
    ("evaluation-etude-title", "children"),
    ("evaluation-etude-csv", "href"),
    ("evaluation-etude-xlsx", "href"),
    ("evaluation-carte-graph", "figure"),
    ("evaluation-carte-summary", "children"),
    ("evaluation-carte-legend", "children"),
    ("evaluation-carte-csv", "href"),
    ("evaluation-carte-xlsx", "href"),
    ("evaluation-territories", "children"),
    ("evaluation-warnings", "children"),
    ("evaluation-method", "children"),
    ("evaluation-plan-facts", "children"),
    ("evaluation-plan-choices", "options"),
]


def _evaluate(callbacks, measure: str, type_choice: str = "tous") -> dict:  # type: ignore[no-untyped-def]
    return callbacks.call(
        OUTPUTS,
        [
            ("evaluation-mesure", "value", measure),
            ("evaluation-type", "value", type_choice),
            ("evaluation-plan", "value", None),
        ],
    )


def _text(component: object) -> str:
    return json.dumps(component, ensure_ascii=False)


def test_page_lists_measures_and_marks_the_placebo(client) -> None:  # type: ignore[no-untyped-def]
    from dashboard.pages.evaluation.views import measure_options

    with client.application.app_context():
        options = measure_options()
    labels = {option["value"]: option["label"] for option in options}
    assert labels["M1"].startswith("M1 — ")
    assert "démonstration" in labels["M9"]
    assert client.get("/evaluation?mesure=M1").status_code == 200


def test_m1_shows_estimates_with_their_reading(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _evaluate(callbacks, "M1")
    table = result["evaluation-estimates"]["children"]
    assert table["type"] == "Table"
    text = _text(table)
    assert "IC 95 %" in text and "Lecture" in text
    body = table["props"]["children"][2]["props"]["children"]
    assert body, "au moins une estimation"
    reading = body[0]["props"]["children"][-1]["props"]["children"]
    assert isinstance(reading, str) and len(reading) > 20
    # the results chain has its four levels, each indicator with a French status
    steps = result["evaluation-chain"]["children"]
    assert len(steps) == 4
    assert "Moyens" in _text(steps[0]) or "moyens" in _text(steps[0]).lower()
    # the event study: one trace with error bars, pre-periods included, lines at zero
    figure = result["evaluation-etude-graph"]["figure"]
    assert figure["data"][0]["error_y"]["type"] == "data"
    assert min(figure["data"][0]["x"]) < 0 <= max(figure["data"][0]["x"])
    assert len(figure["layout"]["shapes"]) == 2
    assert "avant le début" in result["evaluation-etude-summary"]["children"]
    assert "Test" in _text(result["evaluation-territories"]["children"])
    assert "version des données" in _text(result["evaluation-method"]["children"])
    assert result["evaluation-estimates-csv"]["href"] == "/export/evaluation.csv?mesure=M1"


def test_type_filter_keeps_one_scope(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _evaluate(callbacks, "M1", "moins_20k")
    assert result["evaluation-estimates-csv"]["href"].endswith("type=moins_20k")
    text = _text(result["evaluation-estimates"]["children"])
    assert "villes moyennes" not in text or "Aucune estimation" in text


def test_placebo_measure_shows(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _evaluate(callbacks, "M9")
    assert result["evaluation-estimates"]["children"]["type"] in {"Table", "P"}
    assert result["evaluation-method"]["children"]
    assert result["evaluation-etude-graph"]["figure"]["layout"]["xaxis"]["title"]["text"]


def test_estimates_export_is_the_table(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/evaluation.csv?mesure=M1")
    assert response.status_code == 200
    frame = pd.read_csv(io.BytesIO(response.data), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(frame.columns) == list(ESTIMATE_COLUMNS)
    assert (frame["indicator"].notna()).all() and len(frame) > 0
    xlsx = client.get("/export/evaluation.xlsx?mesure=M1")
    assert xlsx.status_code == 200
    assert len(pd.read_excel(io.BytesIO(xlsx.data))) == len(frame)


def test_event_study_export_and_bad_measure(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/evaluation-etude.csv?mesure=M1")
    assert response.status_code == 200
    frame = pd.read_csv(io.BytesIO(response.data), sep=";", decimal=",", encoding="utf-8-sig")
    assert (frame["event_time"] < 0).any()
    assert client.get("/export/evaluation.csv?mesure=M404").status_code == 404
    assert client.get("/export/evaluation.csv").status_code == 400


def test_territories_map_colours_test_and_comparison_communes(callbacks, client) -> None:  # type: ignore[no-untyped-def]
    result = _evaluate(callbacks, "M1")
    figure = result["evaluation-carte-graph"]["figure"]
    geometries = {trace["geojson"] for trace in figure["data"]}
    assert geometries and all(g.startswith("/geo/communes-") for g in geometries)
    assert {trace["geo"] for trace in figure["data"]} <= {
        k for k in figure["layout"] if k.startswith("geo")
    }
    assert "communes test" in result["evaluation-carte-summary"]["children"]
    response = client.get(result["evaluation-carte-csv"]["href"])
    assert response.status_code == 200
    frame = pd.read_csv(io.BytesIO(response.data), sep=";", decimal=",", encoding="utf-8-sig")
    assert set(frame["valeur"].dropna()) == {0, 1}
