"""A 212 % rate in the store (issue #16), as it really arises: two counts that pass every check
on their own (212 locaux raccordables for 100 locaux in L'Abergement-Clémenciat, Ain) make the
derived NUM_TAUX_FTTH leave its 0–100 range. Every chart marks it, names it in its note and
keeps it out of the colour scale. The load is rolled back afterwards: the session store is
shared."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from dashboard.figures.classes import OUT_OF_RANGE, OUT_OF_RANGE_COLOUR
from dashboard.figures.ranges import OUT_OF_RANGE_SYMBOL
from indicators.catalogue import load_catalogue
from indicators.config import Settings
from indicators.ingest import LoadOptions, UploadedFile, analyse, commit_analysis, rollback_load
from indicators.store import make_engine
from indicators.territories import load_referential

pytestmark = pytest.mark.integration

RATE = "NUM_TAUX_FTTH"
COUNT = "ACC_FS_DEMANDES"  # an uploaded count: France is the sum of what reported
NNBSP = "\u202f"
FLAGGED = f"Valeur hors de l'intervalle attendu (0–100) : 212,0{NNBSP}%"


@pytest.fixture(scope="module")
def period_212(app_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The latest period of the rate, with Ain's only commune value at 212 % during the module."""
    catalogue = load_catalogue()
    engine = make_engine(app_settings.effective_database_url)
    with Session(engine) as session:
        from indicators.precompute.read import periods_available

        period = periods_available(session, RATE)[-1]
    rows = f"NUM_LOCAUX;01001;{period};100\nNUM_LOCAUX_FTTH;01001;{period};212\n"
    with Session(engine) as session:
        analysis = analyse(
            UploadedFile("ftth.csv", f"indicateur;territoire;periode;valeur\n{rows}".encode()),
            catalogue=catalogue,
            referential=load_referential(),
            session=session,
            options=LoadOptions(),
        )
    raw = tmp_path_factory.mktemp("raw")
    with Session(engine) as session, session.begin():
        load_id = commit_analysis(session, analysis, catalogue=catalogue, raw_dir=raw).load_id
    yield period
    with Session(engine) as session, session.begin():
        rollback_load(session, load_id, catalogue=catalogue)
    engine.dispose()


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
    for chart in ("carte", "classement"):
        summary = result[f"indicateur-{chart}-summary"]["children"]
        assert f"Ain (212,0{NNBSP}%)" in summary and "exclue" in summary
    bar = result["indicateur-classement-graph"]["figure"]["data"][0]
    ain = bar["y"].index("Ain")
    assert bar["marker"]["color"][ain] == OUT_OF_RANGE_COLOUR
    assert bar["text"][ain] == f"⚠ 212,0{NNBSP}% (hors intervalle)"
    assert "exclue de l'histogramme" in result["indicateur-distribution-summary"]["children"]
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
