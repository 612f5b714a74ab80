"""The programme pages through their callbacks and routes, and the French error pages.

Tests that read programme members or values use the ``demo`` fixture: they need the demo data of
the test session (Corse and Martinique) and skip with their reason on an empty database. The
others (addresses, layouts, refusals, error pages) need no data.
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import dash
import pandas as pd
import pytest
from sqlalchemy import func, select

from dashboard import readers
from dashboard.formatting import format_int
from dashboard.routes import exports
from indicators.store.models import Membership

pytestmark = pytest.mark.integration

PROGRESS_OUTPUTS = [
    ("programme-progression-graph", "figure"),
    ("programme-progression-graph", "style"),
    ("programme-progression-summary", "children"),
    ("programme-progression-legend", "children"),
    ("programme-progression-csv", "href"),
    ("programme-progression-xlsx", "href"),
]
MAP_OUTPUTS = [
    ("programme-carte-graph", "figure"),
    ("programme-carte-summary", "children"),
    ("programme-carte-legend", "children"),
    ("programme-carte-liste", "children"),
    ("programme-carte-csv", "href"),
    ("programme-carte-xlsx", "href"),
    ("programme-carte-title", "children"),
    ("programme-carte-aide", "children"),
]
TREND_OUTPUTS = [
    ("programme-evolution-graph", "figure"),
    ("programme-evolution-summary", "children"),
    ("programme-evolution-csv", "href"),
    ("programme-evolution-xlsx", "href"),
    ("programme-evolution-title", "children"),
]


@pytest.fixture
def demo(dash_app: Any) -> None:
    """Skip unless the session's database holds programme members (the demo)."""
    with dash_app.server.app_context():
        from dashboard.context import db_session

        with db_session() as session:
            members = session.scalar(select(func.count()).select_from(Membership))
    if not members:
        pytest.skip("base de test sans données de démonstration (membres des programmes)")


def _page(callbacks: Any, path: str, search: str = "") -> str:
    result = callbacks.call(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [("_pages_location", "pathname", path), ("_pages_location", "search", search)],
    )
    return json.dumps(result, ensure_ascii=False)


def _find(node: Any, component_id: str) -> dict[str, Any] | None:
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == component_id:
            return dict(props)
        for value in props.values():
            if (found := _find(value, component_id)) is not None:
                return found
    elif isinstance(node, list):
        for item in node:
            if (found := _find(item, component_id)) is not None:
                return found
    return None


def _table(client: Any, url: str) -> pd.DataFrame:
    """A data twin, read back from its CSV, after checking the XLSX holds the same rows."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith("\ufeff".encode())
    frame = pd.read_csv(
        io.BytesIO(response.data),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"code_officiel": str, "code": str, "periode": str, "periode_reference": str},
        keep_default_na=False,
        na_values=[""],
    )
    xlsx = client.get(url.replace(".csv?", ".xlsx?"))
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert len(pd.read_excel(io.BytesIO(xlsx.data))) == len(frame)
    return frame


# --- Addresses and layouts (no data needed) ----------------------------------------------------


def test_programmes_are_in_the_navigation(client) -> None:  # type: ignore[no-untyped-def]
    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert '"href": "/programmes"' in layout and '"Programmes"' in layout
    for path in ("/programmes", "/programmes/ACV", "/programmes/nimporte"):
        assert client.get(path).status_code == 200


def test_programme_page_layout_rebuilds_the_view_from_its_address(callbacks) -> None:  # type: ignore[no-untyped-def]
    text = _page(
        callbacks,
        "/programmes/acv",
        "?pas=semestre&niveau=EPCI&dans=DEP:2A&indicateur=LOG_TAUX_VACANCE",
    )
    result = json.loads(text)
    assert result["_pages_store"]["data"]["title"] == "Action cœur de ville — Suivi des territoires"
    page = result["_pages_content"]["children"]
    assert "Action cœur de ville" in text and "Agence nationale de la cohésion" in text
    assert _find(page, "programme-code")["data"] == "ACV"  # type: ignore[index]
    assert _find(page, "programme-pas")["value"] == "semestre"  # type: ignore[index]
    assert _find(page, "programme-niveau")["value"] == "EPCI"  # type: ignore[index]
    area = _find(page, "programme-dans")
    assert area is not None and area["value"] == "DEP:2A"
    assert "DEP:2A" in {option["value"] for option in area["options"]}
    assert _find(page, "programme-indicateur")["value"] == "LOG_TAUX_VACANCE"  # type: ignore[index]
    for block in ("membres", "carte", "progression", "chaine", "evolution"):
        assert _find(page, f"programme-{block}-csv") is not None, block
    assert "Chaîne de résultats : des moyens aux impacts" in text


def test_unknown_values_in_the_address_fall_back_to_defaults(callbacks) -> None:  # type: ignore[no-untyped-def]
    page = json.loads(_page(callbacks, "/programmes/PVD", "?pas=decennie&indicateur=NIMPORTE"))
    content = page["_pages_content"]["children"]
    assert _find(content, "programme-pas")["value"] == "annee"  # type: ignore[index]
    # the programme's first headline indicator
    assert _find(content, "programme-indicateur")["value"] == "REV_VACANCE_COMMERCIALE"  # type: ignore[index]


def test_unknown_programme_says_so_in_french(callbacks) -> None:  # type: ignore[no-untyped-def]
    text = _page(callbacks, "/programmes/NIMPORTE")
    assert "Programme introuvable" in text and "NIMPORTE" in text
    assert "/programmes/FS" in text


def test_export_of_an_unknown_programme_or_indicator_is_refused_in_french(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/export/programme-chaine.csv?programme=NIMPORTE")
    assert response.status_code == 404
    assert "programme inconnu" in response.get_data(as_text=True)
    response = client.get("/export/programme-evolution.csv?programme=ACV&indicateur=EMP_DEFM_A")
    assert response.status_code == 404
    assert "ne sert pas le programme ACV" in response.get_data(as_text=True)
    response = client.get("/export/programme-membres.csv")
    assert response.status_code == 400
    assert "Paramètres manquants : programme" in response.get_data(as_text=True)


# --- The index ---------------------------------------------------------------------------------


def test_index_lists_the_four_programmes_with_their_data_twin(client, callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [
            ("programmes-cartes", "children"),
            ("programmes-resume", "children"),
            ("programmes-csv", "href"),
            ("programmes-xlsx", "href"),
        ],
        [("programmes-charge", "data", True)],
    )
    cards = json.dumps(result["programmes-cartes"]["children"], ensure_ascii=False)
    for code in ("ACV", "PVD", "FS", "TI"):
        assert f"/programmes/{code}" in cards
    assert "membres aujourd'hui" in cards
    summary = result["programmes-resume"]["children"]
    assert summary.startswith("4 programmes : Action cœur de ville, ")
    table = _table(client, result["programmes-csv"]["href"])
    assert set(table["programme"]) == {"ACV", "PVD", "FS", "TI"}
    acv = table[table["programme"] == "ACV"]
    assert list(acv["indicateur"]) == ["REV_VACANCE_COMMERCIALE", "REV_SOLDE_COMMERCES"]
    assert f"{int(acv['membres'].iloc[0])} communes membres" in summary


# --- Members over time and on the map -----------------------------------------------------------


def _levels(callbacks: Any, code: str) -> dict[str, Any]:
    return callbacks.call(
        [
            ("programme-niveau", "value"),
            ("programme-niveau-control", "hidden"),
            ("programme-membres-aujourdhui", "children"),
        ],
        [("programme-code", "data", code)],
        [("programme-niveau", "value", None)],
    )


def test_member_levels_choice_shows_only_when_there_are_several(callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    ti = _levels(callbacks, "TI")
    assert ti["programme-niveau"]["value"] == "EPCI"
    assert ti["programme-niveau-control"]["hidden"] is False
    assert "intercommunalités et" in ti["programme-membres-aujourdhui"]["children"]
    acv = _levels(callbacks, "ACV")
    assert acv["programme-niveau"]["value"] == "COM"
    assert acv["programme-niveau-control"]["hidden"] is True


# The official lists (data/reference/programmes): whole, across France, whatever the demo's scope.
OFFICIAL_COUNTS = {"ACV": 244, "PVD": 1606, "FS": 2601}


def test_pages_show_the_official_member_counts(client, callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    for code, count in OFFICIAL_COUNTS.items():
        shown = _levels(callbacks, code)["programme-membres-aujourdhui"]["children"]
        assert shown == f"{format_int(count)} communes", (code, shown)
        history = _table(client, f"/export/programme-membres.csv?programme={code}")
        assert history["membres"].iloc[-1] == count
    index = callbacks.call(
        [
            ("programmes-cartes", "children"),
            ("programmes-resume", "children"),
            ("programmes-csv", "href"),
            ("programmes-xlsx", "href"),
        ],
        [("programmes-charge", "data", True)],
    )
    table = _table(client, index["programmes-csv"]["href"])
    assert table.groupby("programme")["membres"].first().to_dict() == {
        **OFFICIAL_COUNTS,
        "TI": table.loc[table["programme"] == "TI", "membres"].iloc[0],
    }


def test_each_page_says_where_its_members_come_from(callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    def note(code: str) -> str:
        result = callbacks.call(
            [("programme-liste", "children")], [("programme-code", "data", code)]
        )
        return str(result["programme-liste"]["children"])

    acv = note("ACV")
    assert acv.startswith("Liste officielle de l'ANCT, avril 2025 : 244 communes")
    assert "ne donne pas de date d'entrée" in acv and "27 mars 2018" in acv
    assert "1er octobre 2020, lancement du programme" in note("PVD")
    assert "labellisation du premier espace" in note("FS")
    ti = note("TI")
    assert ti.startswith("Liste de démonstration, non officielle : aucune liste officielle des ")
    assert "Territoires d'industrie n'est disponible ici" in ti and "Source : Données de" in ti


def test_real_members_on_the_map_of_a_departement(client, callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    def members(code: str, departement: str) -> set[str]:
        result = _map(callbacks, code, "COM", departement)
        table = _table(client, result["programme-carte-csv"]["href"])
        return set(table.loc[table["membre"] == "oui", "nom"])

    assert members("ACV", "DEP:2A") == {"Ajaccio"}
    assert members("ACV", "DEP:2B") == {"Bastia"}
    assert members("ACV", "DEP:972") == {"Fort-de-France", "Le Lamentin"}
    assert {"Bonifacio", "Porto-Vecchio", "Sartène"} <= members("PVD", "DEP:2A")
    assert "Ajaccio" in members("FS", "DEP:2A")


def test_members_over_time_and_its_twin(client, callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [
            ("programme-membres-graph", "figure"),
            ("programme-membres-summary", "children"),
            ("programme-membres-csv", "href"),
            ("programme-membres-xlsx", "href"),
        ],
        [
            ("programme-code", "data", "FS"),
            ("programme-niveau", "value", "COM"),
            ("programme-pas", "value", "semestre"),
        ],
    )
    already, joined = result["programme-membres-graph"]["figure"]["data"]
    assert already["x"][-1].startswith(str(pd.Timestamp.today().year))
    assert all("-S" in period for period in already["x"])
    table = _table(client, result["programme-membres-csv"]["href"])
    assert list(table["periode"]) == already["x"]
    assert list(table["deja_membres"]) == already["y"]
    assert list(table["entrees"]) == joined["y"]
    summary = result["programme-membres-summary"]["children"]
    assert summary.startswith(f"{format_int(int(table['membres'].iloc[-1]))} communes membres au ")
    assert "pas=semestre" in result["programme-membres-csv"]["href"]


def _map(callbacks: Any, code: str, level: str, within: str) -> dict[str, Any]:
    return callbacks.call(
        MAP_OUTPUTS,
        [
            ("programme-code", "data", code),
            ("programme-niveau", "value", level),
            ("programme-dans", "value", within),
        ],
    )


def test_map_of_departements_counts_the_members(client, callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = _map(callbacks, "FS", "COM", "")
    figure = result["programme-carte-graph"]["figure"]
    assert {t["geojson"] for t in figure["data"]} == {"/geo/departements.geojson"}
    table = _table(client, result["programme-carte-csv"]["href"])
    assert len(table) == 101 and table["membres"].sum() > 0
    with_members = table[table["membres"] > 0]
    hovers = " ".join(text for t in figure["data"] for text in t["text"])
    for row in with_members.itertuples():
        assert f"<b>{row.nom}</b> ({row.code_officiel})<br>{row.membres} communes membres" in hovers
    assert result["programme-carte-title"]["children"] == "Où sont les membres — France entière"
    assert "Cliquez sur un département" in result["programme-carte-aide"]["children"]
    assert result["programme-carte-summary"]["children"].startswith(
        f"{format_int(int(table['membres'].sum()))} communes membres dans "
        f"{len(with_members)} département"
    )
    assert result["programme-carte-liste"]["children"] == []


def test_departement_choices_list_those_with_members_first(callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [("programme-dans", "options"), ("programme-dans", "value")],
        [("programme-code", "data", "FS"), ("programme-niveau", "value", "COM")],
        [("programme-dans", "value", "DEP:2B")],
    )
    options = result["programme-dans"]["options"]
    assert options[0] == {"label": "Toute la France", "value": ""}
    assert "membre" in options[1]["label"] and len(options) == 102
    assert result["programme-dans"]["value"] == "DEP:2B"


def test_map_of_the_communes_of_a_departement(client, callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = _map(callbacks, "PVD", "COM", "DEP:2A")
    figure = result["programme-carte-graph"]["figure"]
    assert {t["geojson"] for t in figure["data"]} == {"/geo/communes-2A.geojson"}
    table = _table(client, result["programme-carte-csv"]["href"])
    assert table["code_officiel"].str.startswith("2A").all()
    members = table[table["membre"] == "oui"]
    assert not members.empty and (members["code_membre"] == members["code"]).all()
    links = json.dumps(result["programme-carte-liste"]["children"], ensure_ascii=False)
    for row in members.itertuples():
        assert f"/territoire/{row.code}" in links
    assert result["programme-carte-title"]["children"] == "Où sont les membres — Corse-du-Sud"
    legend = json.dumps(result["programme-carte-legend"]["children"], ensure_ascii=False)
    assert "Non membre" in legend and "Membre" in legend


def test_communes_of_member_intercommunalites(client, callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = _map(callbacks, "TI", "EPCI", "DEP:2B")
    table = _table(client, result["programme-carte-csv"]["href"])
    members = table[table["membre"] == "oui"]
    assert not members.empty and members["code_membre"].str.startswith("EPCI:").all()
    assert "intercommunalité" in result["programme-carte-summary"]["children"]
    links = json.dumps(result["programme-carte-liste"]["children"], ensure_ascii=False)
    assert "Intercommunalités membres" in links and "/territoire/EPCI:" in links


def test_a_click_drills_into_a_departement_then_opens_a_commune(callbacks) -> None:  # type: ignore[no-untyped-def]
    outputs = [("programme-dans", "value"), ("programme-nav", "href")]
    state = [("programme-dans", "value", "")]
    result = callbacks.call(
        outputs,
        [("programme-carte-graph", "clickData", {"points": [{"customdata": "DEP:2A"}]})],
        state,
    )
    assert result == {"programme-dans": {"value": "DEP:2A"}}
    result = callbacks.call(
        outputs,
        [("programme-carte-graph", "clickData", {"points": [{"customdata": "COM:2A004"}]})],
        state,
    )
    assert result == {"programme-nav": {"href": "/territoire/COM:2A004"}}


# --- Progress, results chain, trend -------------------------------------------------------------


def test_progress_against_targets_and_its_twin(client, callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(PROGRESS_OUTPUTS, [("programme-code", "data", "FS")])
    figure = result["programme-progression-graph"]["figure"]
    assert result["programme-progression-graph"]["style"] == {}
    table = _table(client, result["programme-progression-csv"]["href"])
    assert not table.empty
    assert set(table["portee"]) >= {"ensemble des membres"}
    assert table["groupe"].str.startswith("GRP:prog-fs").all()
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    assert sum(len(t["x"]) for t in bars) == len(table)
    drawn = {c for t in bars for c in t["customdata"]}
    assert drawn == set(table["indicateur"])
    assert result["programme-progression-summary"]["children"].startswith(
        f"{len(table)} cibles suivies"
    )


def test_programme_without_targets_hides_the_chart_and_says_why(callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(PROGRESS_OUTPUTS, [("programme-code", "data", "TI")])
    assert result["programme-progression-graph"]["style"] == {"display": "none"}
    assert (
        "Aucun indicateur de ce programme n'a de cible"
        in (result["programme-progression-summary"]["children"])
    )


def test_results_chain_from_means_to_impacts(client, callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [
            ("programme-chaine", "children"),
            ("programme-chaine-summary", "children"),
            ("programme-chaine-csv", "href"),
            ("programme-chaine-xlsx", "href"),
        ],
        [("programme-code", "data", "ACV")],
    )
    columns = result["programme-chaine"]["children"]
    assert [c["props"]["children"][0]["props"]["children"] for c in columns] == [
        "Moyens",
        "Réalisations",
        "Résultats",
        "Impacts",
    ]
    table = _table(client, result["programme-chaine-csv"]["href"])
    catalogue = readers.catalogue()
    assert set(table["indicateur"]) == {i.code for i in catalogue.indicators_for_programme("ACV")}
    text = json.dumps(columns, ensure_ascii=False)
    # a commune-only, non-aggregable indicator says why it has no value over the members
    assert "sans total possible sur un ensemble" in text
    # an intercommunal indicator is read over the intercommunalités of the member communes
    assert "intercommunalités des membres renseignées sur" in text
    assert '"type": "programme-voir"' in text
    # the mini-charts are images with a text alternative, not hidden drawings (issue #16)
    assert text.count('"role": "img"') == text.count('"className": "sparkline"') > 0
    assert '"aria-label": "Évolution de l\'indicateur « ' in text
    assert result["programme-chaine-summary"]["children"].startswith(
        f"{table['indicateur'].nunique()} indicateurs ("
    )


def test_trend_choices_keep_only_indicators_with_values(callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [("programme-indicateur", "options"), ("programme-indicateur", "value")],
        [("programme-code", "data", "ACV")],
        [("programme-indicateur", "value", "DIA_INGENIERIE")],
    )
    values = [o["value"] for o in result["programme-indicateur"]["options"]]
    # not aggregable over a set: no trend; published by EPCI: read over the members' EPCIs
    assert "REV_INDICE_VITALITE" not in values
    assert "DIA_INGENIERIE" in values
    assert result["programme-indicateur"]["value"] == "DIA_INGENIERIE"
    kept = callbacks.call(
        [("programme-indicateur", "options"), ("programme-indicateur", "value")],
        [("programme-code", "data", "ACV")],
        [("programme-indicateur", "value", "REV_INDICE_VITALITE")],
    )
    assert kept["programme-indicateur"]["value"] == "REV_VACANCE_COMMERCIALE"


def test_a_card_or_a_progress_bar_picks_the_indicator_of_the_trend(client, callbacks) -> None:  # type: ignore[no-untyped-def]
    callbacks.client.get("/_dash-layout")
    key = next(
        k for k in callbacks.dash_app.callback_map if k.startswith("programme-indicateur.value@")
    )
    options = [{"label": "x", "value": "REV_SOLDE_COMMERCES"}, {"label": "y", "value": "A"}]
    card = {"type": "programme-voir", "indicator": "REV_SOLDE_COMMERCES"}

    def pick(clicks: list[Any], click_data: Any, changed: str) -> Any:
        response = client.post(
            "/_dash-update-component",
            json={
                "output": key,
                "outputs": {"id": "programme-indicateur", "property": "value"},
                "inputs": [
                    [{"id": card, "property": "n_clicks", "value": v} for v in clicks],
                    {
                        "id": "programme-progression-graph",
                        "property": "clickData",
                        "value": click_data,
                    },
                ],
                "state": [{"id": "programme-indicateur", "property": "options", "value": options}],
                "changedPropIds": [changed],
            },
        )
        return response

    card_id = json.dumps(card, sort_keys=True, separators=(",", ":"))
    response = pick([1], None, f"{card_id}.n_clicks")
    assert response.get_json()["response"]["programme-indicateur"]["value"] == "REV_SOLDE_COMMERCES"
    response = pick(
        [None], {"points": [{"customdata": "A"}]}, "programme-progression-graph.clickData"
    )
    assert response.get_json()["response"]["programme-indicateur"]["value"] == "A"
    # a card that appears (no click yet) changes nothing
    empty = pick([None], None, f"{card_id}.n_clicks")
    assert empty.status_code == 204 or not empty.get_json()["response"]


def test_trend_of_an_indicator_over_the_members_with_its_targets(client, callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        TREND_OUTPUTS,
        [("programme-code", "data", "FS"), ("programme-indicateur", "value", "ACC_FS_TEMPS_ACCES")],
    )
    names = [t["name"] for t in result["programme-evolution-graph"]["figure"]["data"]]
    assert names[0] == "Membres du programme" and "France entière" in names
    assert "Cible, territoires de moins de 20 000 hab." in names
    table = _table(client, result["programme-evolution-csv"]["href"])
    assert set(table["nature"]) == {"valeur", "cible"}
    assert set(table["serie"]) == set(names)
    summary = result["programme-evolution-summary"]["children"]
    assert summary.startswith("Temps d'accès") and "membres du programme" in summary
    assert result["programme-evolution-title"]["children"].startswith("Évolution — Temps")


def test_trend_of_a_count_leaves_france_out(callbacks, demo) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        TREND_OUTPUTS,
        [("programme-code", "data", "TI"), ("programme-indicateur", "value", "EMP_PROJETS_TI")],
    )
    names = [t["name"] for t in result["programme-evolution-graph"]["figure"]["data"]]
    assert names == ["Membres du programme"]


# --- Errors ------------------------------------------------------------------------------------


def _raise(*_args: Any) -> pd.DataFrame:
    raise RuntimeError("panne simulée")


def test_a_route_that_raises_answers_a_french_500_page(client, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(exports.DATASETS, "panne", (_raise, (), ()))
    response = client.get("/export/panne.csv")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="fr">' in page and "Erreur du serveur" in page
    assert "Référence de l'erreur" in page and "panne simulée" not in page  # no leak
    assert any("panne simulée" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
    json_response = client.get("/export/panne.csv", headers={"Accept": "application/json"})
    assert json_response.status_code == 500
    assert json_response.get_json()["erreur"] == "Erreur du serveur"


def test_refused_and_unknown_addresses_answer_in_french(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/geo/nulle-part.geojson")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)
    assert client.post("/healthz").status_code == 405


def _page_module() -> Any:
    name = next(
        page["module"]
        for page in dash.page_registry.values()
        if page.get("path_template") == "/programmes/<code>"
    )
    return sys.modules[name]


def _callbacks_module() -> Any:
    """The page's ``callbacks.py``, as the page ran it for this app."""
    return sys.modules[_page_module().__name__.rpartition(".")[0] + ".callbacks"]


def test_a_failing_callback_shows_a_french_notice(callbacks, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys.modules["dashboard.pages.programmes.views"], "progress_dataset", _raise)
    response = callbacks.client.post(
        "/_dash-update-component",
        json={
            "output": callbacks._key(PROGRESS_OUTPUTS, None),
            "outputs": [{"id": cid, "property": prop} for cid, prop in PROGRESS_OUTPUTS],
            "inputs": [{"id": "programme-code", "property": "data", "value": "ACV"}],
            "changedPropIds": ["programme-code.data"],
        },
    )
    assert response.status_code == 200
    body = response.get_json()
    # the chart keeps its value, its sentence says it failed, the shell's notice says what
    # happened, in French
    assert body["response"] == {
        "programme-progression-summary": {
            "children": "Ce graphique n'a pas pu être affiché à la suite d'une erreur du serveur."
        }
    }
    notice = body["sideUpdate"]["erreur-application"]
    assert notice["hidden"] is False
    assert "n'a pas pu être mise à jour" in json.dumps(notice, ensure_ascii=False)
    assert any("panne simulée" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_a_failing_callback_without_a_sentence_keeps_its_outputs(callbacks, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(_callbacks_module(), "departement_counts", _raise)
    outputs = [("programme-dans", "options"), ("programme-dans", "value")]
    response = callbacks.client.post(
        "/_dash-update-component",
        json={
            "output": callbacks._key(outputs, None),
            "outputs": [{"id": cid, "property": prop} for cid, prop in outputs],
            "inputs": [
                {"id": "programme-code", "property": "data", "value": "ACV"},
                {"id": "programme-niveau", "property": "value", "value": "COM"},
            ],
            "state": [{"id": "programme-dans", "property": "value", "value": ""}],
            "changedPropIds": ["programme-code.data"],
        },
    )
    assert response.status_code == 200
    body = response.get_json()
    assert not body.get("response") and body["sideUpdate"]["erreur-application"]["hidden"] is False


def test_a_failing_single_output_callback_keeps_its_output(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = next(page["module"] for page in dash.page_registry.values() if page["path"] == "/")
    module = sys.modules[page.rpartition(".")[0] + ".callbacks"]
    monkeypatch.setattr(module, "data_summary", _raise)
    response = client.post(
        "/_dash-update-component",
        json={
            "output": "home-summary.children",
            "outputs": {"id": "home-summary", "property": "children"},
            "inputs": [{"id": "accueil-annee", "property": "value", "value": "2025"}],
            "changedPropIds": ["accueil-annee.value"],
        },
    )
    assert response.status_code == 200
    body = response.get_json()
    assert not body.get("response") and body["sideUpdate"]["erreur-application"]["hidden"] is False


def test_a_page_whose_layout_fails_shows_a_french_error_card(callbacks, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(_page_module(), "trend_options", _raise)
    text = _page(callbacks, "/programmes/ACV")
    assert "Erreur du serveur" in text and "Cette page n'a pas pu être affichée" in text
    assert "Erreur — Suivi des territoires" in text
