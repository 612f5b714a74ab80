"""The overview, map and territory pages through their callbacks and routes (demo data of the
test session: Corse and Martinique)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

pytestmark = pytest.mark.integration

INDICATOR = "ACC_FS_TEMPS_ACCES"
MAP_OUTPUTS = [
    ("carte-graph", "figure"),
    ("carte-summary", "children"),
    ("carte-legend", "children"),
    ("carte-csv", "href"),
    ("carte-xlsx", "href"),
    ("carte-title", "children"),
]


def _latest_period(callbacks) -> str:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [("carte-periode", "options"), ("carte-periode", "value")],
        [("carte-indicateur", "value", INDICATOR)],
        [("carte-periode", "value", None)],
    )
    period = result["carte-periode"]["value"]
    assert period and period in {o["value"] for o in result["carte-periode"]["options"]}
    return str(period)


def _map(callbacks, level: str, within: str | None) -> dict:  # type: ignore[no-untyped-def]
    period = _latest_period(callbacks)
    return callbacks.call(
        MAP_OUTPUTS,
        [
            ("carte-indicateur", "value", INDICATOR),
            ("carte-periode", "value", period),
            ("carte-niveau", "value", level),
            ("carte-dans", "value", within),
        ],
    )


def test_map_of_departements_sends_values_not_geometry(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _map(callbacks, "DEP", None)
    figure = result["carte-graph"]["figure"]
    assert {t["geojson"] for t in figure["data"]} == {"/geo/departements.geojson"}
    coloured = [t for t in figure["data"] if t["name"] == "Valeurs"]
    assert {loc for t in coloured for loc in t["locations"]} >= {"2A", "2B", "972"}
    # the whole map update is small: polygons travel once, by URL, and are cached
    assert len(json.dumps(result)) < 50_000
    summary = result["carte-summary"]["children"]
    assert "départements renseignés sur 101" in summary


def test_map_of_the_communes_of_a_departement(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _map(callbacks, "COM", "DEP:2A")
    figure = result["carte-graph"]["figure"]
    assert {t["geojson"] for t in figure["data"]} == {"/geo/communes-2A.geojson"}
    locations = {loc for t in figure["data"] for loc in t["locations"]}
    assert "2A004" in locations and all(code.startswith("2A") for code in locations)


def test_communes_need_a_departement(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _map(callbacks, "COM", None)
    assert "Choisissez un département" in result["carte-summary"]["children"]


def test_clicking_a_region_drills_down(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [("carte-niveau", "value"), ("carte-dans", "value"), ("carte-nav", "href")],
        [("carte-graph", "clickData", {"points": [{"customdata": "REG:94"}]})],
        [("carte-niveau", "value", "REG"), ("carte-indicateur", "value", INDICATOR)],
    )
    assert result["carte-niveau"]["value"] == "DEP"
    assert result["carte-dans"]["value"] == "REG:94"
    commune = callbacks.call(
        [("carte-niveau", "value"), ("carte-dans", "value"), ("carte-nav", "href")],
        [("carte-graph", "clickData", {"points": [{"customdata": "COM:2A004"}]})],
        [("carte-niveau", "value", "COM"), ("carte-indicateur", "value", INDICATOR)],
    )
    assert commune["carte-nav"]["href"] == f"/territoire/COM:2A004?indicateur={INDICATOR}"


def test_the_map_data_twin_holds_exactly_what_is_drawn(client, callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _map(callbacks, "DEP", "REG:94")
    csv_url = result["carte-csv"]["href"]
    response = client.get(csv_url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    table = pd.read_csv(
        io.BytesIO(response.data),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"code_officiel": str},
    )
    drawn = {loc for t in result["carte-graph"]["figure"]["data"] for loc in t["locations"]}
    assert set(table["code_officiel"]) == drawn == {"2A", "2B"}
    xlsx = client.get(result["carte-xlsx"]["href"])
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert len(pd.read_excel(io.BytesIO(xlsx.data))) == 2


def test_export_without_parameters_says_what_is_missing(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/carte.csv")
    assert response.status_code == 400
    assert "Paramètres manquants : indicateur, periode, niveau" in response.get_data(as_text=True)


def test_geometry_is_compressed_and_cached(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/geo/departements.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get("/geo/departements.geojson", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/geo/nimporte.geojson").status_code == 404


def test_territory_trend_compares_with_similar_territories(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [
            ("territoire-trend-graph", "figure"),
            ("territoire-trend-summary", "children"),
            ("territoire-trend-csv", "href"),
            ("territoire-trend-xlsx", "href"),
            ("territoire-trend-title", "children"),
        ],
        [("territoire-indicateur", "value", INDICATOR), ("territoire-code", "data", "COM:2A004")],
    )
    names = [trace["name"] for trace in result["territoire-trend-graph"]["figure"]["data"]]
    assert names[0] == "Ajaccio"
    assert any(name.startswith("Médiane des territoires") for name in names)
    assert result["territoire-trend-summary"]["children"].startswith("Ajaccio — ")


def test_territory_children_table_links_to_their_pages(callbacks) -> None:  # type: ignore[no-untyped-def]
    periods = callbacks.call(
        [("territoire-periode", "options"), ("territoire-periode", "value")],
        [("territoire-indicateur", "value", INDICATOR)],
    )
    period = periods["territoire-periode"]["value"]
    result = callbacks.call(
        [
            ("territoire-enfants-graph", "figure"),
            ("territoire-enfants-summary", "children"),
            ("territoire-enfants-legend", "children"),
            ("territoire-enfants-csv", "href"),
            ("territoire-enfants-xlsx", "href"),
            ("territoire-table", "data"),
        ],
        [
            ("territoire-indicateur", "value", INDICATOR),
            ("territoire-periode", "value", period),
            ("territoire-code", "data", "DEP:2A"),
        ],
    )
    rows = result["territoire-table"]["data"]
    link = f"(/territoire/COM:2A004?indicateur={INDICATOR})"
    assert any(link in row["nom_lien"] for row in rows)
    assert "communes renseignées" in result["territoire-enfants-summary"]["children"]


def test_search_suggests_territories_by_name_without_accents(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [({"place": "territoire", "type": "territory-search-results"}, "children")],
        [({"place": "territoire", "type": "territory-search"}, "value", "ajacc")],
        pattern='{"place":["MATCH"],"type":"territory-search-results"}',
    )
    items = next(iter(result.values()))["children"]
    first_link = items[0]["props"]["children"][0]["props"]
    assert first_link["href"] == "/territoire/COM:2A004"
    assert first_link["children"] == "Ajaccio"


def test_overview_cards_one_per_measure(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [
            ("accueil-mesures", "children"),
            ("accueil-mesures-resume", "children"),
            ("accueil-mesures-csv", "href"),
            ("accueil-mesures-xlsx", "href"),
        ],
        [("accueil-type", "value", "tous"), ("accueil-annee", "value", "2026")],
    )
    assert result["accueil-mesures-resume"]["children"].startswith("9 mesures")
    assert len(result["accueil-mesures"]["children"]) == 9
    cards = json.dumps(result["accueil-mesures"]["children"], ensure_ascii=False)
    # each mini-chart is an image named by its series; each link names its measure (issue #16)
    assert cards.count('"role": "img"') == cards.count('"className": "sparkline"') > 0
    assert '"aria-label": "Évolution de l\'indicateur « ' in cards
    assert cards.count("visually-hidden") >= 2 * 9


def test_a_forged_children_request_for_a_commune_gets_an_empty_state(callbacks) -> None:  # type: ignore[no-untyped-def]
    """A commune has no children block; a request for it (the load test fired one) is not an
    error but a French empty state."""
    result = callbacks.call(
        [
            ("territoire-enfants-graph", "figure"),
            ("territoire-enfants-summary", "children"),
            ("territoire-enfants-legend", "children"),
            ("territoire-enfants-csv", "href"),
            ("territoire-enfants-xlsx", "href"),
            ("territoire-table", "data"),
        ],
        [
            ("territoire-indicateur", "value", INDICATOR),
            ("territoire-periode", "value", "2025"),
            ("territoire-code", "data", "COM:2A004"),
        ],
    )
    assert result["territoire-enfants-summary"]["children"] == (
        "Ajaccio n'est pas découpé en territoires plus petits."
    )
    assert result["territoire-table"]["data"] == []
