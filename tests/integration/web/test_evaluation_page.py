"""The evaluation page through its callback and its data twins (demo data of the test session:
Corse and Martinique)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from indicators.evaluation import ESTIMATE_COLUMNS

pytestmark = pytest.mark.integration


def _evaluate(
    callbacks, measure: str, type_choice: str = "tous", indicator: str | None = None
) -> dict:  # type: ignore[no-untyped-def]
    return callbacks.call(
        callbacks.outputs_of("update_evaluation"),
        [
            ("evaluation-mesure", "value", measure),
            ("evaluation-type", "value", type_choice),
            ("evaluation-plan", "value", None),
            ("evaluation-indicateur", "value", indicator),
        ],
    )


def _map(callbacks, measure: str, type_choice: str = "tous") -> dict:  # type: ignore[no-untyped-def]
    return callbacks.call(
        callbacks.outputs_of("update_territories_map"),
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
    table, count_note = result["evaluation-estimates"]["children"]
    assert table["type"] == "Table"
    assert "valeurs exploitables" in _text(count_note)  # what "Unités test / témoins" counts
    text = _text(table)
    assert "IC 95 %" in text and "Lecture" in text
    body = table["props"]["children"][2]["props"]["children"]
    assert body, "au moins une estimation"
    reading = body[0]["props"]["children"][-1]["props"]["children"]
    assert isinstance(reading, str) and len(reading) > 20
    # the results chain has its four levels, each indicator with a French status
    (chain,) = result["evaluation-chain"]["children"]  # every type: no note about one type
    children = chain["props"]["children"]
    steps = [c for c in children if c["props"]["className"] == "chain-step"]
    assert len(steps) == 4
    # an arrow between two steps, never before the first (issue #16)
    assert [c["props"]["className"] for c in children] == ["chain-step", "chain-arrow"] * 3 + [
        "chain-step"
    ]
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
    assert result["evaluation-estimates"]["children"][0]["type"] in {"Table", "P"}
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


def test_territories_map_is_the_reports_drawing_per_region(callbacks, client) -> None:  # type: ignore[no-untyped-def]
    result = _map(callbacks, "M1")
    figures = result["evaluation-carte-maps"]["children"]
    assert figures and all(f["type"] == "Figure" for f in figures)
    image = figures[0]["props"]["children"][0]["props"]
    assert image["src"].startswith("data:image/svg+xml") and "Carte des communes" in image["alt"]
    captions = [f["props"]["children"][1]["props"]["children"] for f in figures]
    # one drawing per région (Corse, Martinique), never one speck per département
    assert len(captions) == len(set(captions)) <= 2
    assert "témoin" in result["evaluation-carte-summary"]["children"]
    response = client.get(result["evaluation-carte-csv"]["href"])
    assert response.status_code == 200
    frame = pd.read_csv(io.BytesIO(response.data), sep=";", decimal=",", encoding="utf-8-sig")
    assert set(frame["valeur"].dropna()) == {0, 1}


def test_only_the_types_the_measure_targets_are_offered(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        callbacks.outputs_of("update_measure_filters"),
        [("evaluation-mesure", "value", "M2")],
        [("evaluation-type", "value", "plus_100k"), ("evaluation-indicateur", "value", None)],
    )
    offered = [o["value"] for o in result["evaluation-type"]["options"]]
    assert offered == ["tous", "moins_20k", "20k_100k"]  # M2 does not target > 100 000 hab.
    assert result["evaluation-type"]["value"] == "tous"
    labels = [o["label"] for o in result["evaluation-type"]["options"]]
    assert labels == ["Tous les types", "< 20 000 hab.", "20 000 – 100 000 hab."]
    indicators = result["evaluation-indicateur"]["options"]
    assert (
        len(indicators) > 1 and result["evaluation-indicateur"]["value"] == indicators[0]["value"]
    )


def test_the_type_filter_drives_every_section(callbacks) -> None:  # type: ignore[no-untyped-def]
    every = _evaluate(callbacks, "M2")
    one = _evaluate(callbacks, "M2", "20k_100k")
    for output in ("evaluation-chain", "evaluation-estimates", "evaluation-territories"):
        assert _text(every[output]["children"]) != _text(one[output]["children"]), output
    assert "Type choisi (20 000 – 100 000 hab.)" in _text(one["evaluation-chain"]["children"])
    assert "de 20 000 à 100 000 habitants" in _text(one["evaluation-chain"]["children"])
    assert "< 20 000 hab." not in _text(one["evaluation-estimates"]["children"])
    assert one["evaluation-etude-csv"]["href"].count("type=20k_100k") == 1
    # a type the measure does not target reads as every type, never as its whole result
    untargeted = _evaluate(callbacks, "M2", "plus_100k")
    assert _text(untargeted["evaluation-chain"]["children"]) == _text(
        every["evaluation-chain"]["children"]
    )


def test_warnings_are_grouped_by_indicator_name(callbacks, dash_app) -> None:  # type: ignore[no-untyped-def]
    from dashboard.pages.evaluation.datasets import measure_evaluation

    result = _evaluate(callbacks, "M1")
    parts = result["evaluation-warnings"]["children"]
    titles = [p["props"]["children"][0]["props"]["children"] for p in parts[1:]]
    with dash_app.server.app_context():
        evaluation = measure_evaluation("M1")
    names = {item.indicator.label for item in evaluation.indicators}
    assert titles and set(titles) <= names | {"Plan d'évaluation (choix des témoins)"}
    assert len(titles) == len(set(titles))  # one heading per indicator
    for part in parts[1:]:
        items = part["props"]["children"][1]["props"]["children"]
        messages = [item["props"]["children"] for item in items]
        assert len(messages) == len(set(messages))  # each message once
        assert all(item["props"]["title"].startswith("code : ") for item in items)
        assert not any(code in m for m in messages for code in ("too-few", "pretrends-"))


def test_event_study_follows_the_chosen_indicator(callbacks) -> None:  # type: ignore[no-untyped-def]
    filters = callbacks.call(
        callbacks.outputs_of("update_measure_filters"),
        [("evaluation-mesure", "value", "M1")],
        [("evaluation-type", "value", "tous"), ("evaluation-indicateur", "value", None)],
    )
    second = filters["evaluation-indicateur"]["options"][1]
    result = _evaluate(callbacks, "M1", indicator=second["value"])
    assert result["evaluation-etude-title"]["children"].endswith(second["label"])
    assert f"indicateur={second['value']}" in result["evaluation-etude-csv"]["href"]
    assert second["label"] in result["evaluation-types-title"]["children"]


def test_glossary_links_have_distinct_names_and_targets(client) -> None:  # type: ignore[no-untyped-def]
    from dashboard.pages.evaluation.page import glossary_card
    from dashboard.pages.evaluation.sections import term_link
    from dashboard.pages.evaluation.texts import GLOSSARY

    anchors = [anchor for anchor, _ in GLOSSARY.values()]
    assert len(anchors) == len(set(anchors))
    ids = {dt.id for dt in glossary_card().children[1].children[::2]}
    assert ids == set(anchors)
    links = [term_link(term) for term in GLOSSARY]
    names = [link.to_plotly_json()["props"]["aria-label"] for link in links]
    assert len(names) == len(set(names))
    assert all(link.href[1:] in ids for link in links)
