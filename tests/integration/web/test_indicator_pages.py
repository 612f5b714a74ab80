"""The indicator page and the catalogue through their callbacks and routes, with the demo data
of the test session (Corse and Martinique), plus the domain queries behind coverage and lineage.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import pytest

from indicators.catalogue import load_catalogue
from indicators.precompute.coverage import coverage_over_time, first_reporting_territory
from indicators.precompute.lineage import (
    changed_fields,
    computed_behind,
    indicator_versions,
    loads_behind,
    source_indicators,
)
from indicators.store import make_engine, session_factory

pytestmark = pytest.mark.integration

RATE = "SAN_TAUX_SANS_MT"  # derived ratio, two targets by size class
COUNT = "ACC_FS_DEMANDES"  # uploaded count, quarterly
COMMUNES_ONLY = "REV_INDICE_VITALITE"  # not aggregable, communes only

PLACE_OUTPUTS = [
    ("indicateur-carte-graph", "figure"),
    ("indicateur-carte-summary", "children"),
    ("indicateur-carte-legend", "children"),
    ("indicateur-carte-csv", "href"),
    ("indicateur-carte-xlsx", "href"),
    ("indicateur-carte-title", "children"),
    ("indicateur-classement-graph", "figure"),
    ("indicateur-classement-summary", "children"),
    ("indicateur-classement-csv", "href"),
    ("indicateur-classement-xlsx", "href"),
    ("indicateur-distribution-graph", "figure"),
    ("indicateur-distribution-summary", "children"),
    ("indicateur-distribution-csv", "href"),
    ("indicateur-distribution-xlsx", "href"),
]


def _csv(client: Any, url: str) -> pd.DataFrame:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return pd.read_csv(
        io.BytesIO(response.data),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"code_officiel": str, "code": str},
    )


def _xlsx(client: Any, url: str) -> pd.DataFrame:
    response = client.get(url)
    assert response.status_code == 200 and response.data[:2] == b"PK"
    return pd.read_excel(io.BytesIO(response.data))


def _page(callbacks: Any, path: str, search: str = "") -> str:
    """The page's layout as the pages router renders it (JSON text)."""
    result = callbacks.call(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [("_pages_location", "pathname", path), ("_pages_location", "search", search)],
    )
    return json.dumps(result["_pages_content"]["children"], ensure_ascii=False)


def _latest_period(callbacks: Any, code: str) -> str:
    result = callbacks.call(
        [("indicateur-periode", "options"), ("indicateur-periode", "value")],
        [("indicateur-code", "data", code)],
        [("indicateur-periode", "value", None)],
    )
    period = result["indicateur-periode"]["value"]
    assert period in {o["value"] for o in result["indicateur-periode"]["options"]}
    return str(period)


def _place(
    callbacks: Any, code: str, level: str, within: str = "", highlight: str | None = None
) -> dict[str, Any]:
    period = _latest_period(callbacks, code)
    return callbacks.call(
        PLACE_OUTPUTS,
        [
            ("indicateur-code", "data", code),
            ("indicateur-periode", "value", period),
            ("indicateur-niveau", "value", level),
            ("indicateur-dans", "value", within),
            ("indicateur-surligne", "data", highlight),
        ],
    )


# --- Pages ------------------------------------------------------------------------------------


def test_catalogue_is_in_the_navigation_and_the_indicator_page_is_not(client) -> None:  # type: ignore[no-untyped-def]
    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert '"href": "/indicateurs"' in layout
    assert "/indicateur/" not in layout
    assert client.get("/indicateurs").status_code == 200
    assert client.get(f"/indicateur/{RATE}").status_code == 200


def test_indicator_sheet_shows_definition_formula_and_targets(callbacks) -> None:  # type: ignore[no-untyped-def]
    page = _page(callbacks, f"/indicateur/{RATE}")
    for text in (
        "Part des patients sans médecin traitant",
        "Fiche de l'indicateur",
        "SAN_PATIENTS_SANS_MT / SAN_PATIENTS",
        "Caisse nationale de l'Assurance maladie",
        "Impacts (l'effet durable recherché)",
        "annuelle",
        "Territoires de moins de 20 000 hab.",
        "/indicateur/SAN_PATIENTS",
        "/indicateurs?mesure=M5",
    ):
        assert text in page, text


def test_indicator_page_rebuilds_the_view_from_its_address(callbacks) -> None:  # type: ignore[no-untyped-def]
    page = _page(callbacks, f"/indicateur/{COUNT}", "?periode=2025-T2&niveau=COM&dans=DEP:2A")
    layout = json.loads(page)

    def find(node: Any, component_id: str) -> dict[str, Any] | None:
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == component_id:
                return dict(props)
            for value in props.values():
                if (found := find(value, component_id)) is not None:
                    return found
        elif isinstance(node, list):
            for item in node:
                if (found := find(item, component_id)) is not None:
                    return found
        return None

    assert find(layout, "indicateur-periode")["value"] == "2025-T2"  # type: ignore[index]
    assert find(layout, "indicateur-niveau")["value"] == "COM"  # type: ignore[index]
    area = find(layout, "indicateur-dans")
    assert area is not None and area["value"] == "DEP:2A"
    # the option is there from the start, so the dropdown keeps the value of the address
    assert "DEP:2A" in {option["value"] for option in area["options"]}


def test_unknown_indicator_says_so_in_french(callbacks) -> None:  # type: ignore[no-untyped-def]
    page = _page(callbacks, "/indicateur/NIMPORTE")
    assert "Indicateur introuvable" in page and "/indicateurs" in page


# --- Map, ranking, distribution -----------------------------------------------------------------


def test_map_ranking_and_distribution_of_departements(client, callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _place(callbacks, RATE, "DEP")
    traces = result["indicateur-carte-graph"]["figure"]["data"]
    assert {t["geojson"] for t in traces} == {"/geo/departements.geojson"}
    assert "départements renseignés" in result["indicateur-carte-summary"]["children"]

    bars = result["indicateur-classement-graph"]["figure"]["data"][0]
    assert set(bars["customdata"]) == {"DEP:2A", "DEP:2B", "DEP:972"}
    ranking = _csv(client, result["indicateur-classement-csv"]["href"])
    assert list(ranking["code"]) == bars["customdata"]
    assert ranking["valeur"].is_monotonic_decreasing
    assert "une valeur basse est favorable" in result["indicateur-classement-summary"]["children"]

    histogram = result["indicateur-distribution-graph"]["figure"]
    distribution = _csv(client, result["indicateur-distribution-csv"]["href"])
    classes = distribution[distribution["nature"] == "classe"]
    assert classes["territoires"].tolist() == histogram["data"][0]["y"]
    assert classes["territoires"].sum() == 3
    assert set(distribution["nature"]) >= {"classe", "médiane", "France"}
    assert len(histogram["layout"]["shapes"]) == len(distribution) - len(classes)
    assert len(_xlsx(client, result["indicateur-distribution-xlsx"]["href"])) == len(distribution)


AREA_OUTPUTS = [
    ("indicateur-dans", "options"),
    ("indicateur-dans", "placeholder"),
    ("indicateur-dans-label", "children"),
    ("indicateur-dans", "disabled"),
    ("indicateur-dans", "value"),
]


def test_communes_open_on_a_departement_with_values(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        AREA_OUTPUTS,
        [("indicateur-niveau", "value", "COM")],
        [
            ("indicateur-dans", "value", ""),
            ("indicateur-code", "data", COMMUNES_ONLY),
            ("indicateur-periode", "value", None),
            ("indicateur-surligne", "data", None),
        ],
    )
    assert result["indicateur-dans-label"]["children"] == "Département"
    assert result["indicateur-dans"]["value"] in {"DEP:2A", "DEP:2B", "DEP:972"}
    regions = callbacks.call(
        AREA_OUTPUTS,
        [("indicateur-niveau", "value", "REG")],
        [
            ("indicateur-dans", "value", "DEP:2A"),
            ("indicateur-code", "data", RATE),
            ("indicateur-periode", "value", None),
            ("indicateur-surligne", "data", None),
        ],
    )
    assert regions["indicateur-dans"]["disabled"] is True
    assert regions["indicateur-dans"]["value"] == ""
    assert regions["indicateur-dans"]["options"][0] == {"label": "Toute la France", "value": ""}
    assert regions["indicateur-dans"]["placeholder"] == "Toute la France"


def test_communes_of_a_departement_and_the_map_twin(client, callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _place(callbacks, COMMUNES_ONLY, "COM", "DEP:2A")
    traces = result["indicateur-carte-graph"]["figure"]["data"]
    assert {t["geojson"] for t in traces} == {"/geo/communes-2A.geojson"}
    drawn = {loc for t in traces for loc in t["locations"]}
    table = _csv(client, result["indicateur-carte-csv"]["href"])
    assert set(table["code_officiel"]) == drawn
    assert "Corse-du-Sud" in result["indicateur-carte-title"]["children"]
    ranking = result["indicateur-classement-graph"]["figure"]["data"][0]
    assert all(c is None or c.startswith("COM:2A") for c in ranking["customdata"])


def test_communes_without_a_departement_ask_for_one(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _place(callbacks, COMMUNES_ONLY, "COM", "")
    assert "Choisissez un département" in result["indicateur-carte-summary"]["children"]
    assert result["indicateur-classement-csv"]["href"] is None


def test_a_click_on_a_territory_opens_its_page_on_this_indicator(callbacks) -> None:  # type: ignore[no-untyped-def]
    on_map = callbacks.call(
        [("indicateur-nav", "href")],
        [
            ("indicateur-carte-graph", "clickData", {"points": [{"customdata": "DEP:2A"}]}),
            ("indicateur-classement-graph", "clickData", None),
        ],
        [("indicateur-code", "data", RATE)],
    )
    assert on_map["indicateur-nav"]["href"] == f"/territoire/DEP:2A?indicateur={RATE}"
    # a click on a bar: the browser names the ranking as the input that changed
    response = callbacks.client.post(
        "/_dash-update-component",
        json={
            "output": "indicateur-nav.href",
            "outputs": {"id": "indicateur-nav", "property": "href"},
            "inputs": [
                {"id": "indicateur-carte-graph", "property": "clickData", "value": None},
                {
                    "id": "indicateur-classement-graph",
                    "property": "clickData",
                    "value": {"points": [{"customdata": "DEP:2B"}]},
                },
            ],
            "state": [{"id": "indicateur-code", "property": "data", "value": RATE}],
            "changedPropIds": ["indicateur-classement-graph.clickData"],
        },
    )
    assert response.status_code == 200
    href = response.get_json()["response"]["indicateur-nav"]["href"]
    assert href == f"/territoire/DEP:2B?indicateur={RATE}"
    # the gap row of the ranking has no territory: nothing happens
    gap = callbacks.call(
        [("indicateur-nav", "href")],
        [
            ("indicateur-carte-graph", "clickData", {"points": [{"customdata": None}]}),
            ("indicateur-classement-graph", "clickData", None),
        ],
        [("indicateur-code", "data", RATE)],
    )
    assert gap == {}


# --- Trend, coverage, lineage, versions --------------------------------------------------------


def test_trend_shows_france_the_size_classes_and_the_targets(client, callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [
            ("indicateur-evolution-graph", "figure"),
            ("indicateur-evolution-summary", "children"),
            ("indicateur-evolution-csv", "href"),
            ("indicateur-evolution-xlsx", "href"),
        ],
        [("indicateur-code", "data", RATE)],
    )
    names = [t["name"] for t in result["indicateur-evolution-graph"]["figure"]["data"]]
    assert names[0] == "France"
    assert "Cible — territoires de moins de 20 000 hab." in names
    assert any(name.startswith("Territoires de") for name in names)
    table = _csv(client, result["indicateur-evolution-csv"]["href"])
    assert set(table["serie"]) == set(names)
    assert set(table.loc[table["nature"] == "cible", "code"]) == {"moins_20k", "20k_100k"}
    assert result["indicateur-evolution-summary"]["children"].startswith(
        "Part des patients sans médecin traitant — France : "
    )


def test_trend_of_an_indicator_that_is_not_aggregated(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [
            ("indicateur-evolution-graph", "figure"),
            ("indicateur-evolution-summary", "children"),
            ("indicateur-evolution-csv", "href"),
            ("indicateur-evolution-xlsx", "href"),
        ],
        [("indicateur-code", "data", COMMUNES_ONLY)],
    )
    assert result["indicateur-evolution-graph"]["figure"]["data"] == []
    assert "non agrégeable" in result["indicateur-evolution-summary"]["children"]


def test_coverage_counts_reported_territories_per_period(client, callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [
            ("indicateur-couverture-graph", "figure"),
            ("indicateur-couverture-summary", "children"),
            ("indicateur-couverture-csv", "href"),
            ("indicateur-couverture-xlsx", "href"),
            ("indicateur-couverture-title", "children"),
        ],
        [("indicateur-code", "data", COUNT)],
    )
    table = _csv(client, result["indicateur-couverture-csv"]["href"])
    assert (
        table["renseignes"] + table["secret"] + table["sans_objet"] + table["manquants"]
        == table["attendus"]
    ).all()
    reported = result["indicateur-couverture-graph"]["figure"]["data"][0]
    assert reported["name"] == "Renseignés"
    assert reported["y"] == table["renseignes"].tolist()
    assert "communes renseignées sur" in result["indicateur-couverture-summary"]["children"]
    assert "communes renseignées" in result["indicateur-couverture-title"]["children"]


def test_lineage_lists_the_loads_of_every_input(client, callbacks) -> None:  # type: ignore[no-untyped-def]
    period = _latest_period(callbacks, RATE)
    result = callbacks.call(
        [
            ("indicateur-provenance-summary", "children"),
            ("indicateur-chargements", "children"),
            ("indicateur-chargements-csv", "href"),
            ("indicateur-chargements-xlsx", "href"),
            ("indicateur-calculs", "children"),
            ("indicateur-calculs-csv", "href"),
            ("indicateur-calculs-xlsx", "href"),
        ],
        [("indicateur-code", "data", RATE), ("indicateur-periode", "value", period)],
    )
    loads = _csv(client, result["indicateur-chargements-csv"]["href"])
    # a derived indicator: its values come from the loads of its two inputs
    assert set(loads["indicateur"]) == {"SAN_PATIENTS", "SAN_PATIENTS_SANS_MT"}
    assert set(loads["utilisateur"]) == {"demo"} and (loads["valeurs"] > 0).all()
    computed = _csv(client, result["indicateur-calculs-csv"]["href"])
    assert set(computed["version"]) == {1}
    assert "France" in set(computed["niveau"])
    summary = result["indicateur-provenance-summary"]["children"]
    assert "valeurs chargées par 1 chargement (demo)" in summary
    assert "avec la version 1 de la définition" in summary
    assert len(_xlsx(client, result["indicateur-calculs-xlsx"]["href"])) == len(computed)


def test_versions_table_reads_the_stored_definitions(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [("indicateur-versions", "children")], [("indicateur-code", "data", RATE)]
    )
    text = json.dumps(result, ensure_ascii=False)
    assert "première version" in text and "Version" in text
    assert "diffère" not in text  # the catalogue files match the stored version


# --- Catalogue ----------------------------------------------------------------------------------

CATALOGUE_OUTPUTS = [
    ("catalogue-liste", "children"),
    ("catalogue-resume", "children"),
    ("catalogue-csv", "href"),
    ("catalogue-xlsx", "href"),
]


def _catalogue(callbacks: Any, query: str | None = None, **filters: str) -> dict[str, Any]:
    """An unset filter is the empty first option of its select, as the browser sends it."""
    names = ["mesure", "programme", "partenaire", "chaine", "theme"]
    return callbacks.call(
        CATALOGUE_OUTPUTS,
        [("catalogue-recherche", "value", query)]
        + [(f"catalogue-{name}", "value", filters.get(name, "")) for name in names],
    )


def test_catalogue_lists_everything_with_links(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _catalogue(callbacks)
    assert result["catalogue-resume"]["children"] == "44 indicateurs au catalogue."
    text = json.dumps(result["catalogue-liste"]["children"], ensure_ascii=False)
    assert text.count('"href": "/indicateur/') == 44


def test_catalogue_search_and_filters_and_their_twin(client, callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _catalogue(callbacks, "MEDECIN", mesure="M5")
    summary = result["catalogue-resume"]["children"]
    assert summary.endswith("correspondent à : « MEDECIN », mesure M5.")
    csv_url = result["catalogue-csv"]["href"]
    assert "q=MEDECIN" in csv_url and "mesure=M5" in csv_url
    table = _csv(client, csv_url)
    assert "SAN_TAUX_SANS_MT" in set(table["code"])
    assert all("M5" in m for m in table["mesures"])
    assert summary.startswith(f"{len(table)} indicateurs sur 44")
    listed = json.dumps(result["catalogue-liste"]["children"], ensure_ascii=False)
    assert listed.count('"href": "/indicateur/') == len(table)
    assert len(_xlsx(client, result["catalogue-xlsx"]["href"])) == len(table)


def test_catalogue_filter_by_chain_partner_and_theme(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = _catalogue(callbacks, chaine="impact", partenaire="ANCT")
    assert "chaîne de résultats « impacts »" in result["catalogue-resume"]["children"]
    nothing = _catalogue(callbacks, "zzz", theme="mutation-numerique")
    assert nothing["catalogue-resume"]["children"].startswith("Aucun indicateur ne correspond")


def test_catalogue_page_keeps_its_filters_from_the_address(callbacks) -> None:  # type: ignore[no-untyped-def]
    page = _page(callbacks, "/indicateurs", "?q=sant%C3%A9&programme=FS&chaine=nimporte")
    assert '"value": "santé"' in page and '"value": "FS"' in page
    assert '"value": "nimporte"' not in page


def test_exports_check_their_parameters(client) -> None:  # type: ignore[no-untyped-def]
    missing = client.get("/export/indicateur-classement.csv?indicateur=" + RATE)
    assert missing.status_code == 400
    assert "periode, niveau" in missing.get_data(as_text=True)
    unknown = client.get("/export/indicateur-evolution.csv?indicateur=NIMPORTE")
    assert unknown.status_code == 404
    assert "indicateur inconnu" in unknown.get_data(as_text=True)


# --- Domain queries -----------------------------------------------------------------------------


@pytest.fixture
def session(app_settings):  # type: ignore[no-untyped-def]
    engine = make_engine(app_settings.effective_database_url)
    with session_factory(engine)() as opened:
        yield opened
    engine.dispose()


def test_source_indicators_follow_formulas_ratios_and_weights() -> None:
    catalogue = load_catalogue()
    assert source_indicators(catalogue, RATE) == [RATE, "SAN_PATIENTS", "SAN_PATIENTS_SANS_MT"]
    assert source_indicators(catalogue, "ACC_FS_SATISFACTION") == [
        "ACC_FS_SATISFACTION",
        "ACC_FS_DEMANDES",
    ]
    assert source_indicators(catalogue, "NIMPORTE") == []


def test_changed_fields_ignore_the_format_key() -> None:
    before = {"format": 1, "label": "A", "unit": "%"}
    after = {"format": 2, "label": "B", "unit": "%", "licence": "LO"}
    assert changed_fields(before, after) == ["label", "licence"]


def test_domain_queries_on_the_demo(session) -> None:  # type: ignore[no-untyped-def]
    coverage = coverage_over_time(session, COUNT)
    assert not coverage.empty and coverage["period"].is_monotonic_increasing
    assert (coverage["reported"] <= coverage["expected"]).all()
    period = coverage["period"].iloc[-1]
    loads = loads_behind(session, [COUNT], period)
    assert set(loads["level"]) == {"COM"} and loads["load_id"].notna().all()
    computed = computed_behind(session, COUNT, period)
    assert "FR" in set(computed["level"]) and (computed["values"] > 0).all()
    versions = indicator_versions(session, COUNT)
    assert versions["version"].tolist() == [1] and versions["changed"].iloc[0] == []
    commune = first_reporting_territory(session, COMMUNES_ONLY, "2025", "COM")
    assert commune is not None and commune.startswith("COM:")
    assert first_reporting_territory(session, COMMUNES_ONLY, "1990", "COM") is None
