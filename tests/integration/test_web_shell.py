"""The web shell through the Flask test client: pages, health, callbacks, authorisation."""

import json

import pytest

from dashboard import auth

pytestmark = pytest.mark.integration


def test_index_is_french(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.get_data(as_text=True)
    assert "Aller au contenu" in response.get_data(as_text=True)


def test_healthz_reports_database_and_versions(client) -> None:  # type: ignore[no-untyped-def]
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


def test_every_callback_passes_the_authorisation_point(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(auth.CALLBACK_ACTIONS, "home-summary", "admin")
    monkeypatch.setitem(auth.PERMISSIONS, "admin", frozenset({"administrateur"}))
    assert _home_summary_request(client).status_code == 403
    monkeypatch.setitem(auth.PERMISSIONS, "admin", None)
    assert _home_summary_request(client).status_code == 200


def test_routes_pass_the_authorisation_point(client, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(auth.ROUTE_ACTIONS, "health.healthz", "admin")
    monkeypatch.setitem(auth.PERMISSIONS, "admin", frozenset({"administrateur"}))
    assert client.get("/healthz").status_code == 403


def test_unknown_action_is_refused() -> None:
    assert not auth.is_allowed(auth.ANONYMOUS, "détruire")
    assert auth.is_allowed(auth.ANONYMOUS, "view")


def test_long_format_table_schema_route(client) -> None:  # type: ignore[no-untyped-def]
    """Issue #14: partners check a file against the schema before sending it (public read)."""
    from indicators.catalogue import load_catalogue
    from indicators.ingest.table_schema import long_format_schema

    response = client.get("/schemas/valeurs.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == long_format_schema(load_catalogue())
