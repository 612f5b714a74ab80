"""The web shell through the Flask test client: pages, health, callbacks, authorisation."""

import json
from dataclasses import replace

import pytest

from dashboard import auth

pytestmark = pytest.mark.integration


def test_index_is_french(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.get_data(as_text=True)
    assert "Aller au contenu" in response.get_data(as_text=True)


def test_healthz_reports_database_and_versions(client, dash_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    context = dash_app.server.extensions["suivi"]
    monkeypatch.setattr(context, "settings", replace(context.settings, health_details=True))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True
    assert body["database"]["up_to_date"] is True
    assert body["data_version"] >= 1  # the demo is loaded
    assert body["app_version"]


def test_layout_has_navigation_sources_and_main(client) -> None:  # type: ignore[no-untyped-def]
    layout = json.dumps(client.get("/_dash-layout").get_json())
    assert "Navigation principale" in layout
    assert "Licence Ouverte 2.0" in layout
    assert '"id": "contenu"' in layout


def _home_summary_request(client):  # type: ignore[no-untyped-def]
    return client.post(
        "/_dash-update-component",
        json={
            "output": "home-summary.children",
            "outputs": {"id": "home-summary", "property": "children"},
            "inputs": [{"id": "url", "property": "pathname", "value": "/"}],
            "changedPropIds": ["url.pathname"],
        },
    )


def test_home_summary_callback_reads_the_database(client) -> None:  # type: ignore[no-untyped-def]
    response = _home_summary_request(client)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "suivi init" in text or "Valeurs enregistrées" in text


def test_a_callback_is_judged_by_its_declared_action(
    client, dash_app, login_as, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    function = dash_app.callback_map["home-summary.children"]["callback"]
    monkeypatch.setattr(function, auth.ACTION_ATTRIBUTE, "admin")
    assert _home_summary_request(client).status_code == 401  # anonymous: sign in first
    login_as(client, "lecteur")
    assert _home_summary_request(client).status_code == 403
    login_as(client, "administrateur")
    assert _home_summary_request(client).status_code == 200
    monkeypatch.setattr(function, auth.ACTION_ATTRIBUTE, "view")
    assert _home_summary_request(client).status_code == 200


def test_routes_pass_the_authorisation_point(
    client, dash_app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    view = dash_app.server.view_functions["health.healthz"]
    monkeypatch.setattr(view, auth.ACTION_ATTRIBUTE, "admin")
    assert client.get("/healthz").status_code == 401  # anonymous: sign in first


def test_unknown_action_is_refused() -> None:
    assert not auth.is_allowed(auth.ANONYMOUS, "détruire")
    assert not auth.is_allowed(auth.ANONYMOUS, "view")  # not public: sign in first
    assert auth.is_allowed(auth.PUBLIC_VISITOR, "view")
    with pytest.raises(ValueError, match="action inconnue"):
        auth.requires("détruire")


def test_long_format_table_schema_route(client) -> None:  # type: ignore[no-untyped-def]
    """Issue #14: partners check a file against the schema before sending it (public read)."""
    from indicators.catalogue import load_catalogue
    from indicators.ingest.table_schema import long_format_schema

    response = client.get("/schemas/valeurs.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == long_format_schema(load_catalogue())
